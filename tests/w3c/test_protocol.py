"""The W3C SPARQL 1.1 Protocol tests (query side, 20 tests) against /sparql served by uvicorn on 127.0.0.1,
over the memory store, the Oxigraph store and a remote store (an Oxigraph server), each holding the tests' data under the graph names the tests
use (``store.load(files, graph=IRI)``, what ``kg load FILE --graph IRI`` does)."""

from __future__ import annotations

import httpx
import pytest
from rdflib import URIRef

from api.app import create_app
from kg.store.factory import connect
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore
from tests.support.browser import LiveServer
from tests.w3c.runner import GRAPHS, MANIFEST_DIR, query_tests

TESTS = query_tests()


def test_the_manifest_has_the_twenty_query_side_tests():
    assert len(TESTS) == 20
    assert {"query_dataset_full", "query_content_type_construct", "bad_query_non_utf8"} <= set(TESTS)


def _empty_store(name: str, request, tmp_path_factory):
    if name == "memory":
        return MemoryStore()
    if name == "oxigraph":
        return OxigraphStore(tmp_path_factory.mktemp("w3c-oxigraph"))
    store = connect(request.getfixturevalue("scratch_oxigraph_server"))
    for graph in store.graph_names():
        store.remove_graph(graph)
    return store


@pytest.fixture(scope="module", params=["memory", "oxigraph", "remote"])
def endpoint_url(request, tmp_path_factory):
    """/sparql of the explorer over a store holding the tests' four graphs, served on a free loopback port."""
    store = _empty_store(request.param, request, tmp_path_factory)
    for file, graph in GRAPHS.items():
        store.load([MANIFEST_DIR / file], graph=URIRef(graph))
    assert sorted(map(str, store.graph_names())) == sorted(GRAPHS.values())
    with LiveServer(create_app(store=store)) as live:
        yield f"{live.url}/sparql"
    if request.param == "remote":  # the scratch server is shared: leave it empty
        for graph in store.graph_names():
            store.remove_graph(graph)


@pytest.fixture(scope="module")
def http():
    with httpx.Client(timeout=20) as client:
        yield client


@pytest.mark.parametrize("name", TESTS)
def test_w3c_protocol(name, endpoint_url, http):
    from tests.w3c.runner import run

    assert run(TESTS[name], endpoint_url, http) == ""
