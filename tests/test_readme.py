"""The README's front door tells the truth about the bundled graph: its figures are the ones `kg stats` counts
(they went stale twice as the content review changed the graph)."""

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app as cli

README = Path(__file__).resolve().parent.parent / "README.md"


def _row(text: str, name: str) -> str:
    row = re.search(rf"^\| {re.escape(name)} \| (.+) \|$", text, re.M)
    assert row, f"the README's table has no row {name!r}"
    return row.group(1)


def _number(text: str) -> int:
    return int(re.match(r"[\d,]+", text).group(0).replace(",", ""))


def test_the_readme_figures_are_the_graphs():
    totals = json.loads(CliRunner().invoke(cli, ["stats", "--json"]).output)["totals"]
    text = README.read_text(encoding="utf-8")
    assert _number(_row(text, "concepts")) == totals["concepts"]
    relations = _row(text, "relations between concepts")
    assert _number(relations) == totals["relations"]
    assert f"{totals['stated']} stated" in relations and f"{totals['inferred']} inferred" in relations
    assert _number(_row(text, "quotes")) == totals["quotes"]
    assert f"({totals['triples']:,} with the ontology)" in _row(text, "triples")
