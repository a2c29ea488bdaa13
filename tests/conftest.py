"""Shared fixtures: the bundled graph is parsed once per session and copied per test."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.rdfio import parse_file
from kg.store.factory import bundled_files, open_store
from kg.store.memory import MemoryStore
from kg import resources

@pytest.fixture(scope="session")
def bundled_graph() -> Graph:
    graph = Graph()
    for path in bundled_files():
        parse_file(path, into=graph)
    return graph


@pytest.fixture
def graph_copy(bundled_graph) -> Graph:
    """A private copy of the bundled graph that a test may break."""
    copy = Graph()
    copy += bundled_graph
    return copy


@pytest.fixture(scope="session")
def shapes_graph() -> Graph:
    return parse_file(resources.path("ontology", "shapes.ttl"))


@pytest.fixture(scope="session")
def store() -> MemoryStore:
    return open_store()


@pytest.fixture(scope="session")
def explorer():
    from kg.explorer import Explorer

    return Explorer.load()


@pytest.fixture(scope="session")
def session_client(explorer):
    """A TestClient over the app built on the bundled data (one app per session)."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(explorer=explorer)) as test_client:
        yield test_client


@pytest.fixture
def client(session_client):
    """The session's client with an empty cookie jar, so a language chosen in one test (the app
    remembers ?lang= in a cookie) does not change the pages of the next."""
    session_client.cookies.clear()
    return session_client


# --- the three stores: every store-facing test runs against each ------------------------------

BACKENDS = ("memory", "oxigraph", "remote")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph server (pip ``oxigraph``) on 127.0.0.1, empty, stopped after the session."""
    from tests.support.system import start_oxigraph_server

    with start_oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as url:
        yield url


@pytest.fixture(scope="session")
def scratch_oxigraph_server(tmp_path_factory):
    """A second Oxigraph server, for tests that write (the first keeps the bundled data)."""
    from tests.support.system import start_oxigraph_server

    with start_oxigraph_server(tmp_path_factory.mktemp("oxigraph-scratch")) as url:
        yield url


def _backend_spec(name: str, request, tmp_path_factory, scratch: bool = False) -> str:
    if name == "memory":
        return "memory"
    if name == "oxigraph":
        return f"oxigraph:{tmp_path_factory.mktemp('oxigraph-store')}"
    return request.getfixturevalue("scratch_oxigraph_server" if scratch else "oxigraph_server")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, tmp_path_factory):
    """(name, store) for each backend, loaded with the bundled files; shared, not to be changed."""
    return request.param, open_store(_backend_spec(request.param, request, tmp_path_factory))


@pytest.fixture(scope="session", params=BACKENDS)
def fresh_backend_factory(request, tmp_path_factory):
    """(name, make): ``make()`` gives an empty store of this backend that a test may change
    (the remote one: the scratch server, emptied first)."""
    from kg.store.factory import connect

    def make():
        store = connect(_backend_spec(request.param, request, tmp_path_factory, scratch=True))
        for name in store.graph_names():
            store.remove_graph(name)
        return store

    return request.param, make


@pytest.fixture(scope="session")
def backend_explorers(tmp_path_factory, request):
    """An Explorer over each backend, loaded with the bundled files (built once, on demand)."""
    from kg.explorer import Explorer

    built: dict[str, Explorer] = {}

    def get(name: str) -> Explorer:
        if name not in built:
            built[name] = Explorer.load(open_store(_backend_spec(name, request, tmp_path_factory)))
        return built[name]

    return get


@pytest.fixture(scope="session")
def cg(explorer):
    """The bundled graph's concept graph (views, neighbourhoods, paths)."""
    return explorer.concept_graph


@pytest.fixture(scope="session")
def catalog(explorer):
    return explorer.catalog
