"""The explorer served from each store answers as it does from memory: concept JSON, search,
paths, SPARQL; and the ``kg load`` / ``kg serve --store`` command line."""

import json
import subprocess
import sys
import time
from contextlib import contextmanager

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from tests.support.bundled import bundled_concepts, bundled_triples
from kg import snapshot
from api.cli import app as cli
from kg.store.factory import bundled_files
from tests.support.system import free_port

STORES = ("oxigraph", "remote")


@pytest.fixture(scope="module", params=STORES)
def store_client(request, backend_explorers):
    explorer = backend_explorers(request.param)
    with TestClient(create_app(explorer=explorer)) as client:
        yield request.param, client


@pytest.mark.parametrize("url", [
    "/concepts/mechanism-team-learning.json",
    "/concepts/layer-roots.json",
    "/search.json?q=gongtongyuanjing",
    "/search.json?q=shared%20vison",
    "/paths.json?from=problem-no-inner-drive&to=vision-zhonglou",
    "/graph/tree.json",
])
def test_pages_from_each_store_equal_the_memory_ones(store_client, client, url):
    _, other = store_client
    expected = client.get(url)
    got = other.get(url)
    assert expected.status_code == got.status_code == 200
    assert got.json() == expected.json()


def test_health_names_the_store(store_client):
    name, client = store_client
    health = client.get("/-/health").json()
    assert health["triples"] == bundled_triples()
    assert health["store"].startswith("oxigraph:" if name == "oxigraph" else "http://127.0.0.1:")


def test_concept_turtle_from_each_store(store_client):
    _, client = store_client
    response = client.get("/concepts/mechanism-team-learning.ttl")
    assert response.status_code == 200
    assert "团队学习机制" in response.text


@pytest.mark.parametrize("query, expect", [
    ("SELECT ?l WHERE { id:mechanism-team-learning skos:prefLabel ?l } ORDER BY ?l", ["Team learning mechanism",
                                                                                       "团队学习机制"]),
    ("SELECT ?l FROM <https://w3id.org/lokg/graph/ontology/lo> WHERE { id:mechanism-team-learning skos:prefLabel ?l }",
     []),
])
def test_sparql_endpoint_over_each_store(store_client, query, expect):
    _, client = store_client
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert [b["l"]["value"] for b in response.json()["results"]["bindings"]] == expect


def test_sparql_endpoint_refuses_an_unknown_graph_on_each_store(store_client):
    _, client = store_client
    response = client.get("/sparql", params={"query": "SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o }"},
                          headers={"accept-language": "en"})
    assert response.status_code == 400
    assert "Not a graph held here" in response.json()["error"]["message"]
    assert response.json()["error"]["code"] == "sparql.unknown_graph"


def test_sparql_endpoint_refuses_updates_on_each_store(store_client):
    _, client = store_client
    response = client.post("/sparql", data={"query": "DROP ALL"})
    assert response.status_code == 403
    assert client.get("/-/health").json()["triples"] == bundled_triples()


# --- the command line -------------------------------------------------------------------------

def test_kg_load_then_stats_from_an_oxigraph_store(tmp_path):
    runner = CliRunner()
    spec = f"oxigraph:{tmp_path / 'db'}"
    loaded = runner.invoke(cli, ["load", *map(str, bundled_files()), "--store", spec])
    assert loaded.exit_code == 0, loaded.output
    assert f"the store holds {bundled_triples():,} triples in 3 graph(s)" in loaded.output
    stats = runner.invoke(cli, ["stats", "--json", "--store", spec])
    assert stats.exit_code == 0
    assert json.loads(stats.output)["totals"]["concepts"] == bundled_concepts()


def test_kg_load_stops_at_a_bad_file_with_its_line(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n"
                   "<https://example.org/a> <https://example.org/p> .\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", str(bad), "--store", f"oxigraph:{tmp_path / 'db'}"])
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.output
    assert "nothing loaded: the store is as it was" in result.output


def test_kg_load_refuses_the_memory_store(tmp_path):
    result = CliRunner().invoke(cli, ["load", str(bundled_files()[0]), "--store", "memory"])
    assert result.exit_code == 2
    assert "needs a store that keeps the data" in result.output


def test_kg_load_to_an_unreachable_server_says_so():
    result = CliRunner().invoke(cli, ["load", str(bundled_files()[0]), "--store", "http://127.0.0.1:9/query"])
    assert result.exit_code == 1
    assert "cannot reach the SPARQL server" in result.output


@contextmanager
def kg_serve_workers(store: str, workers: int = 2):
    """``kg serve --store STORE --workers N`` on a free 127.0.0.1 port: yields its base URL and its
    health answer, stops it, and checks that every worker started."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--store", store, "--workers", str(workers),
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = httpx.get(f"{base}/-/health", timeout=2).json()
                break
            except httpx.HTTPError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()[-800:]
                time.sleep(0.3)
        yield base, health
    finally:
        proc.terminate()
        log = proc.communicate(timeout=20)[1]
    assert log.count(b"Started server process") == workers, log.decode()[-800:]


def test_several_workers_serve_one_remote_store(oxigraph_server, backend_explorers):
    """``kg serve --store URL --workers 2``: stateless workers in front of a shared Oxigraph server."""
    backend_explorers("remote")  # the shared server holds the bundled files
    with kg_serve_workers(oxigraph_server) as (base, health):
        assert health["store"] == oxigraph_server and health["concepts"] == bundled_concepts()
        concept = httpx.get(f"{base}/concepts/layer-roots.json", timeout=10).json()
        assert concept["label"]["zh"] == "根：四种学习理念"


def test_several_workers_serve_one_oxigraph_folder(tmp_path):
    """``kg serve --store oxigraph:DIR --workers 2``: the store is prepared once (the bundled data, as it
    is empty, and the snapshot), then each worker opens it read-only and starts from the snapshot."""
    location = tmp_path / "db"
    with kg_serve_workers(f"oxigraph:{location}") as (base, health):
        assert health["concepts"] == bundled_concepts()
        pids, deadline = {health["pid"]}, time.monotonic() + 60
        while len(pids) < 2 and time.monotonic() < deadline:  # new connections, until both workers answered
            with httpx.Client() as http:
                concept = http.get(f"{base}/concepts/layer-roots.json", timeout=10).json()
                pids.add(http.get(f"{base}/-/health", timeout=10).json()["pid"])
            assert concept["label"]["zh"] == "根：四种学习理念"
        assert len(pids) == 2, "only one worker ever answered"
        assert (location / snapshot.FILE).is_file()


def test_a_read_only_store_refuses_writes_and_a_missing_one_says_load_first(tmp_path, monkeypatch):
    from kg.store.factory import connect, open_store
    from kg.store.interface import StoreError

    location = tmp_path / "db"
    open_store(f"oxigraph:{location}", bundled_files())
    monkeypatch.setenv("KG_STORE_READ_ONLY", "1")
    store = connect(f"oxigraph:{location}")
    assert len(store) == bundled_triples()
    with pytest.raises(StoreError, match="read-only"):
        store.load(bundled_files()[:1])
    with pytest.raises(StoreError, match="load one first"):
        connect(f"oxigraph:{tmp_path / 'nothing'}")


def test_a_store_that_stops_answering_gives_503_not_a_traceback(tmp_path, caplog):
    """The explorer keeps its catalog in memory; what still asks the store (RDF downloads, SPARQL)
    says the store cannot answer when its server is gone; the reason (which names the server) goes
    to the log, not to the client."""
    from kg.explorer import Explorer
    from tests.support.system import start_oxigraph_server

    with start_oxigraph_server(tmp_path / "ox") as url:
        from kg.store.factory import open_store

        explorer = Explorer.load(open_store(url))
    with TestClient(create_app(explorer=explorer)) as client:
        assert client.get("/concepts/layer-roots.json").status_code == 200  # from the catalog
        response = client.get("/concepts/layer-roots.ttl", headers={"accept-language": "en"})
        assert response.status_code == 503
        message = response.json()["error"]["message"]
        assert "cannot answer" in message and "127.0.0.1" not in message
        assert "cannot reach the SPARQL server" in caplog.text
        query = client.get("/sparql", params={"query": "ASK {}"})
        assert query.status_code == 503 and "127.0.0.1" not in query.text
        page = client.get("/concepts/layer-roots.ttl", headers={"Accept": "text/html"})
        assert "Traceback" not in page.text
