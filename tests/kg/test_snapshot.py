"""kg/snapshot.py: the explorer's catalog and indexes kept beside an on-disk store, read back at the next
start only while they match the store and the code."""

import json

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import snapshot
from api.cli import app as cli
from kg.explorer import Explorer
from kg.store.factory import bundled_files, open_store
from kg.pages.site import concept_page
from tests.support.bundled import bundled_concepts


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory):
    """A store filled by ``kg load``, which leaves a snapshot beside it."""
    location = tmp_path_factory.mktemp("snap") / "db"
    result = CliRunner().invoke(cli, ["load", *map(str, bundled_files()), "--store", f"oxigraph:{location}"])
    assert result.exit_code == 0, result.output
    assert f"indexed {bundled_concepts()} concepts" in result.output
    return location


def _reopen(location):
    return Explorer.load(open_store(f"oxigraph:{location}"))


def test_kg_load_keeps_a_snapshot_and_a_restart_reads_it(loaded_store, explorer):
    assert (loaded_store / snapshot.FILE).is_file()
    again = _reopen(loaded_store)
    assert "snapshot_read_s" in again.timings and "catalog_s" not in again.timings
    # the same answers as the explorer built from the bundled files in memory
    assert len(again.catalog.concepts) == len(explorer.catalog.concepts) == bundled_concepts()
    for q in ("共同愿景", "gtyj", "shared vison", "学习"):
        assert [h.as_dict() for h in again.search_index.search(q)] == \
               [h.as_dict() for h in explorer.search_index.search(q)]
    for cid in ("notion-shared-vision-yanbian", "mechanism-team-learning"):
        assert json.dumps(concept_page(again, cid), default=str, sort_keys=True) == \
               json.dumps(concept_page(explorer, cid), default=str, sort_keys=True)
    assert again.pinyin_index == explorer.pinyin_index
    assert again.concept_graph.paths("notion-shared-vision-yanbian", "mechanism-team-learning", k=1).paths


def test_loading_again_replaces_the_snapshot(tmp_path):
    location = tmp_path / "db"
    files = bundled_files()
    runner = CliRunner()
    assert [f.name for f in files] == ["lo.ttl", "concepts.ttl", "sources.ttl"]
    assert runner.invoke(cli, ["load", str(files[0]), "--store", f"oxigraph:{location}"]).exit_code == 0
    assert len(_reopen(location).catalog.concepts) == 0  # the ontology alone: classes, no concepts
    assert runner.invoke(cli, ["load", *map(str, files[1:]), "--store", f"oxigraph:{location}"]).exit_code == 0
    after = _reopen(location)
    assert "snapshot_read_s" in after.timings and len(after.catalog.concepts) == bundled_concepts()


def test_a_store_changed_behind_its_back_is_rebuilt(tmp_path):
    location = tmp_path / "db"
    store = open_store(f"oxigraph:{location}", bundled_files())
    Explorer.load(store, keep_snapshot=True)
    del store
    raw = ox.Store(str(location))  # another tool adds a concept, not through kg
    graph = ox.NamedNode("urn:example:extra")
    raw.add(ox.Quad(ox.NamedNode("https://example.org/x"),
                    ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                    ox.Literal("额外概念", language="zh"), graph))
    raw.flush()
    del raw
    again = _reopen(location)
    assert "catalog_s" in again.timings and "snapshot_read_s" not in again.timings


def test_a_damaged_snapshot_is_rebuilt_not_trusted(tmp_path):
    location = tmp_path / "db"
    Explorer.load(open_store(f"oxigraph:{location}", bundled_files()), keep_snapshot=True)
    path = location / snapshot.FILE
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    again = _reopen(location)
    assert "catalog_s" in again.timings and len(again.catalog.concepts) == bundled_concepts()


def test_a_snapshot_from_other_code_is_rebuilt(tmp_path, monkeypatch):
    location = tmp_path / "db"
    Explorer.load(open_store(f"oxigraph:{location}", bundled_files()), keep_snapshot=True)
    monkeypatch.setattr(snapshot, "code_version", lambda: "another-version")
    again = _reopen(location)
    assert "catalog_s" in again.timings


def test_no_snapshot_without_keep(tmp_path):
    location = tmp_path / "db"
    Explorer.load(open_store(f"oxigraph:{location}", bundled_files()))
    assert not (location / snapshot.FILE).exists()


def test_kg_load_of_a_changed_file_discards_the_snapshot(tmp_path):
    # the same graphs and the same number of triples: only the discarding on a write notices the change
    location = tmp_path / "db"
    files = bundled_files()
    runner = CliRunner()
    assert runner.invoke(cli, ["load", *map(str, files), "--store", f"oxigraph:{location}"]).exit_code == 0
    assert _reopen(location).catalog.concepts["mechanism-team-learning"].label.zh == "团队学习机制"
    changed = tmp_path / "data" / "concepts.ttl"  # the same named graph as the bundled file: data/concepts
    changed.parent.mkdir()
    changed.write_text(files[1].read_text(encoding="utf-8").replace('"团队学习机制"@zh', '"团队学习之机制"@zh'),
                       encoding="utf-8")
    assert runner.invoke(cli, ["load", str(changed), "--store", f"oxigraph:{location}"]).exit_code == 0
    again = _reopen(location)
    assert "snapshot_read_s" in again.timings  # the snapshot kg load wrote anew
    assert again.catalog.concepts["mechanism-team-learning"].label.zh == "团队学习之机制"
