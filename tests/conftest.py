"""Shared fixtures: the bundled graph is parsed once per session and copied per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.rdfio import parse_file
from kg.store import MemoryStore, bundled_files, open_store
from kg.validate import SHAPES

FIXTURES = Path(__file__).parent / "fixtures"


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
    return parse_file(SHAPES)


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
