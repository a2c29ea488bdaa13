"""Loading files into a named graph of one's choosing: ``Store.load(files, graph=IRI)`` on each store,
and ``kg load FILE --graph IRI``."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef
from typer.testing import CliRunner

from api.cli import app as cli
from kg.store.factory import connect

NAMED = URIRef("http://example.org/graphs/chosen")


def _files(tmp_path: Path) -> list[Path]:
    files = []
    for n in range(3):
        path = tmp_path / f"part{n}.nt"
        path.write_text(f"<http://example.org/s{n}> <http://example.org/p> <http://example.org/o{n}> .\n")
        files.append(path)
    return files


def test_files_go_into_the_named_graph_and_replace_it(fresh_backend_factory, tmp_path):
    _, make = fresh_backend_factory
    store = make()
    first, second, third = _files(tmp_path)
    store.load([first, second], graph=NAMED)
    assert store.graph_names() == [NAMED]
    assert {str(s) for s, _, _ in store.graph_triples(NAMED)} == {"http://example.org/s0", "http://example.org/s1"}
    store.load([third], graph=NAMED)  # loading again replaces the graph
    assert {str(s) for s, _, _ in store.graph_triples(NAMED)} == {"http://example.org/s2"}
    store.load([first])  # without a name: the graph named after the file, beside the chosen one
    assert len(store.graph_names()) == 2 and NAMED in store.graph_names()


def test_kg_load_graph(tmp_path):
    first, second, _ = _files(tmp_path)
    spec = f"oxigraph:{tmp_path / 'store'}"
    result = CliRunner().invoke(cli, ["load", str(first), str(second), "--graph", str(NAMED), "--store", spec])
    assert result.exit_code == 0, result.output
    store = connect(spec)
    assert store.graph_names() == [NAMED] and len(store) == 2


def test_kg_load_graph_must_be_an_absolute_iri(tmp_path):
    first, _, _ = _files(tmp_path)
    for bad in ("relative/name", "http://example.org/a b", "<http://example.org/x>"):
        result = CliRunner().invoke(cli, ["load", str(first), "--graph", bad, "--store",
                                          f"oxigraph:{tmp_path / 'store'}"])
        assert result.exit_code == 2 and "not an absolute IRI" in result.output, result.output
    assert not (tmp_path / "store").exists()


def test_kg_load_help_names_the_graph_option():
    result = CliRunner().invoke(cli, ["load", "--help"])
    assert "--graph" in result.output
