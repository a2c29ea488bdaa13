"""The kg command as a user runs it: exit codes, messages, no tracebacks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from api.cli import app
from kg.store.factory import bundled_files

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("command", ["build", "validate", "dump", "stats", "serve"])
def test_every_subcommand_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def test_validate_is_clean_on_the_bundled_data():
    result = subprocess.run([sys.executable, "-m", "api.cli", "validate"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK:")


def test_validate_malformed_turtle_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix lo: <https://w3id.org/lokg/ontology#> .\nlo:a lo:b lo:c .\nlo:a lo:b \n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "api.cli", "validate", *map(str, bundled_files()), str(bad)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{bad}:" in result.stdout and "syntax error" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_reports_a_shacl_violation_with_focus_and_shape(tmp_path: Path):
    extra = tmp_path / "extra.ttl"
    extra.write_text("@prefix lo: <https://w3id.org/lokg/ontology#> .\n"
                     "<https://w3id.org/lokg/id/idea-fifth> a lo:LearningIdea .\n", encoding="utf-8")
    result = run("validate", *map(str, bundled_files()), str(extra))
    assert result.exit_code == 1
    assert "los:FourLearningIdeas" in result.output and "idea-fifth" in result.output


def test_validate_missing_path_is_a_usage_error(tmp_path: Path):
    result = run("validate", str(tmp_path / "nope.ttl"))
    assert result.exit_code == 2 and "no such file" in result.output


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "xml"])
def test_dump_writes_the_whole_graph_in_each_format(fmt, tmp_path: Path, bundled_graph):
    out = tmp_path / f"graph.{fmt}"
    result = run("dump", "-f", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    parsed = Graph().parse(out, format=fmt)
    assert len(parsed) == len(bundled_graph)


def test_dump_to_stdout_is_turtle():
    result = run("dump")
    assert result.exit_code == 0
    assert "@prefix lo: <https://w3id.org/lokg/ontology#>" in result.output


def test_stats_counts_the_whole_of_both_articles():
    result = run("stats", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    by_class = {c["iri"].rsplit("#", 1)[-1]: c["count"] for c in data["classes"]}
    assert by_class["LearningIdea"] == 4 and by_class["Remedy"] == 6
    assert data["totals"]["concepts"] > 150 and data["totals"]["quotes"] > 200
    relations = {r["en"]: r for r in data["relations"]}
    assert relations["part of"]["count"] > 100
    assert data["totals"]["stated"] + data["totals"]["inferred"] == data["totals"]["relations"]
    text = run("stats").output
    assert "学习理念（根）" in text and "stated" in text


def test_serve_starts_the_explorer_and_answers(tmp_path: Path):
    """`kg serve --port N` answers /-/health on 127.0.0.1, and stops cleanly."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/health", timeout=2) as response:
                    body = json.loads(response.read())
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise AssertionError(proc.stderr.read() if proc.poll() is not None else "no answer")
                time.sleep(0.3)
        assert body["status"] == "ok" and body["concepts"] > 150
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_stats_counts_a_plain_skos_vocabulary_as_the_explorer_reads_it(tmp_path: Path):
    vocabulary = tmp_path / "vocabulary.ttl"
    vocabulary.write_text("""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix v: <https://example.org/v/> .
v:top a skos:Concept ; skos:prefLabel "顶层"@zh, "Top"@en ; skos:narrower v:a .
v:a a skos:Concept ; skos:prefLabel "甲"@zh .
v:b a skos:Concept ; skos:prefLabel "乙"@zh ; skos:broader v:top ; skos:related v:a .
""", encoding="utf-8")
    data = json.loads(run("stats", "--json", str(vocabulary)).output)
    assert data["totals"]["concepts"] == 3
    assert data["totals"]["relations"] == 3 and data["totals"]["stated"] == 3
    from kg.catalog import Catalog
    from kg.store.factory import open_store

    catalog = Catalog.from_store(open_store("memory", paths=[vocabulary]))
    assert catalog.totals["concepts"] == data["totals"]["concepts"]
    assert catalog.totals["relations"] == data["totals"]["relations"]


@pytest.mark.parametrize("command", [["stats"], ["dump"], ["validate"], ["build", "--check"],
                                     ["export", "tree", "-o", "x.svg"], ["serve"]])
def test_a_missing_data_folder_stops_every_subcommand_with_one_line_and_exit_2(command, tmp_path, monkeypatch):
    """A broken install (no data/ where the package looks) is an error on stderr, not "0 concepts" and exit 0."""
    from kg import resources

    look_in = resources._candidates
    monkeypatch.setattr(resources, "_candidates", lambda name: [tmp_path / name] if name == "data" else look_in(name))
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("kg serve started without its data"))
    monkeypatch.chdir(tmp_path)
    resources.folder.cache_clear()
    try:
        result = run(*command)
    finally:
        resources.folder.cache_clear()
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"kg: the bundled folder data/ is missing (looked in {tmp_path / 'data'}); "
                                          "reinstall the package or run from a checkout"]
    assert "concepts" not in result.stdout and "Traceback" not in result.output
    assert not (tmp_path / "x.svg").exists()


@pytest.mark.parametrize("lang, expected", [("zh_CN.UTF-8", "没有 id 为“no-such”的概念"),
                                            ("en_GB.UTF-8", "There is no concept with the id “no-such”")])
def test_cli_errors_speak_the_users_language(tmp_path: Path, monkeypatch, lang, expected):
    monkeypatch.delenv("KG_LANG", raising=False)
    result = subprocess.run([sys.executable, "-m", "api.cli", "export", "neighbourhood", "--concept", "no-such",
                             "-o", str(tmp_path / "x.svg")], capture_output=True, text=True,
                            env={**os.environ, "LANG": lang})
    assert result.returncode == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr
