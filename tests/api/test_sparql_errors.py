"""/sparql never answers a valid or invalid query with a server error, and never shows internals:
valid queries that used to fail (issue 18), queries the evaluator refuses (400 with its message),
bodies in another charset (415), and one the engine fails on (422, a generic message, the details logged)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from api.app import create_app
from kg import endpoint
from kg.namespaces import GRAPH
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore

ONTOLOGY = str(GRAPH["ontology/lo"])
CONCEPTS = str(GRAPH["data/concepts"])
SOURCES = str(GRAPH["data/sources"])
DIRECT = "application/sparql-query"


def _client(name, explorer, backend_explorers):
    return TestClient(create_app(explorer=explorer if name == "memory" else backend_explorers(name)))


@pytest.fixture(scope="module", params=["memory", "oxigraph", "remote"])
def any_client(request, explorer, backend_explorers):
    with _client(request.param, explorer, backend_explorers) as test_client:
        yield request.param, test_client


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def evaluating_client(request, explorer, backend_explorers):
    """The stores that evaluate queries here (a remote server's own 500 is its own: the explorer
    then answers 503 without its text, tested in test_stores_served)."""
    with _client(request.param, explorer, backend_explorers) as test_client:
        yield request.param, test_client


def test_graph_patterns_over_a_chosen_dataset(any_client):
    """ASK with GRAPH ?g joins over default-graph-uri and two named-graph-uri (a TypeError on the memory store)."""
    _, client = any_client
    query = "ASK { ?a a ?t GRAPH ?g1 { ?b a ?t } GRAPH ?g2 { ?c a ?t } }"
    response = client.get("/sparql", params={"query": query, "default-graph-uri": CONCEPTS,
                                             "named-graph-uri": [CONCEPTS, SOURCES]})
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True
    # the named graphs are the ones named: the ontology's classes are in no named graph here
    absent = "ASK { GRAPH ?g { ?class a owl:Class } }"
    response = client.get("/sparql", params={"query": absent, "default-graph-uri": CONCEPTS,
                                             "named-graph-uri": [CONCEPTS, SOURCES]})
    assert response.status_code == 200 and response.json()["boolean"] is False


def test_relative_iris_resolve_against_the_endpoint(any_client):
    """CONSTRUCT { <s> <p> 1 } WHERE {} (a 500 on the Oxigraph store): the base is the endpoint's URL."""
    _, client = any_client
    response = client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                           headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.text, format="nt")
    assert set(graph) == {(URIRef("http://testserver/s"), URIRef("http://testserver/p"), Literal(1))}


@pytest.mark.parametrize("query", [
    "SELECT (SUM(?x) AS ?s) WHERE { VALUES ?x { 'a' 1 } }",
    "SELECT (<http://example.org/no-such-function>(1) AS ?x) WHERE {}",
    "SELECT ?x WHERE { BIND(1 AS ?x) BIND(2 AS ?x) }",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY (1/0) LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(?o, '(')) } LIMIT 1",
    "DESCRIBE ?x WHERE { VALUES ?x { 1 } }",
    "SELECT * WHERE { ?s ?p ?o",
    "CONSTRUCT WHERE { ?s ?p ?o FILTER(?o) } LIMIT 1",
    "DESCRIBE * WHERE { ?c a lo:Remedy } LIMIT 1",
    "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s HAVING (SUM(?o) > 0) LIMIT 2",
    "SELECT (REPLACE('abc', 'b', '$9') AS ?r) WHERE {}",
    "ASK { FILTER(lo:no-such-function(1)) }",
])
def test_no_query_gets_a_server_error_or_internals(evaluating_client, query):
    _, client = evaluating_client
    response = client.get("/sparql", params={"query": query})
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        message = response.json()["error"]["message"]
        assert message and "Traceback" not in message and "NoneType" not in message


def test_an_evaluator_refusal_is_a_400_with_its_message(explorer):
    with TestClient(create_app(explorer=explorer)) as client:
        response = client.get("/sparql", params={"query": "SELECT (SUM(?x) AS ?s) WHERE { VALUES ?x { 'a' 1 } }"})
    assert response.status_code == 400
    assert "numeric" in response.json()["error"]["message"]


def test_a_relative_iri_with_no_base_is_a_400_with_the_line(tmp_path):
    """Without a base (a caller of the core that gives none), Oxigraph refuses a relative IRI: a 400
    naming the line in the query's own text (the prefixes declared before it not counted)."""
    store = OxigraphStore(tmp_path / "ox")
    with pytest.raises(endpoint.QueryFailed) as caught:
        endpoint.answer(store, "CONSTRUCT {\n  <s> <p> 1 } WHERE {}")
    assert "line 2" in caught.value.text("en") and caught.value.code == "sparql.cannot_answer"
    from api.errors import status_of

    assert status_of(caught.value) == 400
    base = endpoint.answer(store, "CONSTRUCT { <s> <p> 1 } WHERE {}", formats={"CONSTRUCT": "nt"},
                           base="http://example.org/sparql")
    assert base.body.startswith(b"<http://example.org/s> <http://example.org/p>")
    unsafe = endpoint.answer(MemoryStore(), "CONSTRUCT { <s> <p> 1 } WHERE {}", formats={"CONSTRUCT": "nt"},
                             base="http://x> } WHERE { SERVICE <http://y> {} } #")
    assert b"SERVICE" not in unsafe.body and b"<s> <p>" in unsafe.body  # an unsafe base is not used


def test_an_engine_failure_is_a_generic_422_and_logged(explorer, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise TypeError("secret internal detail")

    monkeypatch.setattr(endpoint, "serialize", broken)
    with TestClient(create_app(explorer=explorer)) as client:
        response = client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 422
    assert "secret" not in response.text and "TypeError" not in response.text
    with pytest.raises(endpoint.EvaluationFailed) as caught:
        endpoint.answer(explorer.store, "ASK {}")
    assert "secret" not in caught.value.text("en") and caught.value.code == "sparql.see_log"
    assert "secret internal detail" in caplog.text


@pytest.mark.parametrize("content_type, status", [
    (f"{DIRECT}; charset=UTF-16", 415),
    (f"{DIRECT}; charset=\"iso-8859-1\"", 415),
    ("application/x-www-form-urlencoded; charset=windows-1252", 415),
    (f"{DIRECT}; charset=UTF-8", 200),
    (f"{DIRECT};charset=utf-8", 200),
    (DIRECT, 200),
])
def test_a_body_in_another_charset_is_refused(client, content_type, status):
    body = b"query=ASK%20%7B%7D" if content_type.startswith("application/x-www") else b"ASK {}"
    response = client.post("/sparql", content=body, headers={"Content-Type": content_type})
    assert response.status_code == status, response.text
    if status == 415:
        assert "UTF-8" in response.json()["error"]["message"]
