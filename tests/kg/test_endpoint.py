"""kg.endpoint without HTTP: parsing and refusals, the dataset, limits, serialisations.
(Choosing a format from a request is api/formats.py's: tests/test_formats.py.)"""

from __future__ import annotations

import io
import json
import multiprocessing
import socket
import time
import urllib.request

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.query import Result

from kg import endpoint, queries
from kg.namespaces import ID, LO
from kg.namespaces import GRAPH
from kg.store.interface import SparqlQuery

ONTOLOGY = str(GRAPH["ontology/lo"])
CONCEPTS = str(GRAPH["data/concepts"])
SOURCES = str(GRAPH["data/sources"])
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def run(store, query, **kw):
    """Direct (in-process) evaluation: the checks are the same, only the time limit is missing."""
    return endpoint.execute(store, query, isolate=False, **kw)


def rows(answer: endpoint.Answer) -> list[dict]:
    data = json.loads(answer.body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


# --- parsing and refusals ------------------------------------------------------------------

@pytest.mark.parametrize("query, error, words", [
    ("SELECT * WHERE { ?s ?p }", endpoint.SparqlError, "syntax error (line 1, column 18): Expected"),
    ("SELECT * WHERE { ?s nope:x ?o }", endpoint.SparqlError, "Unknown namespace prefix"),
    ("   ", endpoint.SparqlError, "empty"),
    ("PREFIX a: <http://example.org/>", endpoint.SparqlError, "syntax error (line 1"),
    ("SELECT * WHERE { FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }", endpoint.SparqlError, "nested too deeply"),
    ("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }", endpoint.Refused, "updates are not allowed"),
    ("DELETE WHERE { ?s ?p ?o }", endpoint.Refused, "updates are not allowed"),
    ("LOAD <http://127.0.0.1:9/x>", endpoint.Refused, "updates are not allowed"),
    ("CLEAR ALL", endpoint.Refused, "updates are not allowed"),
    ("DROP GRAPH <http://example.org/g>", endpoint.Refused, "updates are not allowed"),
    ("CREATE GRAPH <http://example.org/g>", endpoint.Refused, "updates are not allowed"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", endpoint.Refused, "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?x } } }",
     endpoint.Refused, "SERVICE"),
    ("ASK { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }", endpoint.Refused, "SERVICE"),
])
def test_refused_before_evaluation(store, query, error, words):
    with pytest.raises(error) as caught:
        run(store, query)
    assert type(caught.value) is error
    assert words.lower() in caught.value.text("en").lower()


def test_query_forms_and_predeclared_prefixes():
    assert endpoint.query_form(endpoint.parse("SELECT * WHERE { ?s a lo:Remedy }")) == "SELECT"
    assert endpoint.query_form(endpoint.parse("ASK { ?s skos:prefLabel ?l }")) == "ASK"
    assert endpoint.query_form(endpoint.parse("CONSTRUCT WHERE { ?s a lo:Remedy }")) == "CONSTRUCT"
    assert endpoint.query_form(endpoint.parse("DESCRIBE id:mechanism-team-learning")) == "DESCRIBE"


# --- the format: chosen by the caller for each query form ----------------------------------

def test_each_form_is_answered_in_the_format_named_for_it(store):
    chosen = {"SELECT": "csv", "ASK": "xml", "CONSTRUCT": "nt", "DESCRIBE": "rdfxml"}
    assert run(store, "SELECT * WHERE { ?s a lo:Remedy }", formats=chosen).format == "csv"
    assert run(store, "ASK { ?s a lo:Remedy }", formats=chosen).format == "xml"
    assert run(store, "CONSTRUCT WHERE { ?s a lo:Remedy }", formats=chosen).format == "nt"
    assert run(store, "SELECT * WHERE { ?s a lo:Remedy }").format == "json"  # each form's default
    assert run(store, "DESCRIBE id:mechanism-team-learning").format == "turtle"


@pytest.mark.parametrize("query, formats", [
    ("SELECT * WHERE { ?s a lo:Remedy }", {"CONSTRUCT": "turtle"}),  # nothing named for SELECT
    ("ASK { ?s a lo:Remedy }", {"ASK": "csv"}),  # CSV holds no boolean
    ("CONSTRUCT WHERE { ?s a lo:Remedy }", {"CONSTRUCT": "json"}),  # SPARQL JSON holds no graph
])
def test_a_format_that_does_not_fit_the_form_is_refused(store, query, formats):
    with pytest.raises(endpoint.NoFormat) as caught:
        run(store, query, formats=formats)
    assert caught.value.form == endpoint.query_form(endpoint.parse(query))
    assert "available" in caught.value.text("en")


def test_no_format_crosses_the_process_boundary(store):
    with pytest.raises(endpoint.NoFormat) as caught:
        endpoint.execute(store, "ASK { ?s a lo:Remedy }", formats={"SELECT": "json"})
    assert caught.value.form == "ASK"


# --- the dataset: only held graphs, nothing fetched ----------------------------------------

@pytest.fixture
def no_network(monkeypatch):
    """Record (and block) every attempt to open a connection or fetch a URL."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


@pytest.mark.parametrize("query, graphs", [
    ("SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }", {}),
    ("SELECT * FROM NAMED <http://127.0.0.1:9/x> WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
    (f"SELECT * FROM <{ONTOLOGY}> FROM <http://127.0.0.1:9/x> WHERE {{ ?s ?p ?o }}", {}),
    ("SELECT * WHERE { ?s ?p ?o }", {"default_graphs": ["http://127.0.0.1:9/x"]}),
    ("SELECT * WHERE { ?s ?p ?o }", {"named_graphs": ["http://127.0.0.1:9/x"]}),
])
def test_unknown_graph_refused_without_network(store, no_network, query, graphs):
    with pytest.raises(endpoint.UnknownGraph) as caught:
        run(store, query, **graphs)
    assert "<http://127.0.0.1:9/x>" in caught.value.text("en") and CONCEPTS in caught.value.text("en")
    assert caught.value.extra["available_graphs"] == [CONCEPTS, SOURCES, ONTOLOGY]
    assert no_network == []


def test_graph_pattern_on_unknown_iri_fetches_nothing(store, no_network):
    answer = run(store, "SELECT * WHERE { GRAPH <http://127.0.0.1:9/x> { ?s ?p ?o } }")
    assert rows(answer) == [] and no_network == []


def count(store, query, **kw) -> int:
    return int(rows(run(store, query, **kw))[0]["n"])


def test_from_selects_held_graphs(store, no_network):
    everything = count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    ontology = count(store, f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}")
    both = count(store, f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> FROM <{SOURCES}> WHERE {{ ?s ?p ?o }}")
    sources = count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[SOURCES])
    assert 0 < ontology < both < everything
    assert both == ontology + sources
    # the ontology holds classes, no instances
    assert count(store, f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s a lo:Remedy }}") == 0
    assert count(store, f"SELECT (COUNT(*) AS ?n) FROM <{CONCEPTS}> WHERE {{ ?s a lo:Remedy }}") == 6
    assert no_network == []


def test_from_named_is_not_in_the_default_graph(store):
    query = (f"SELECT ?g (COUNT(*) AS ?n) FROM <{ONTOLOGY}> FROM NAMED <{SOURCES}> "
             "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert [r["g"] for r in rows(run(store, query))] == [SOURCES]
    only_named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{SOURCES}> WHERE {{ ?s ?p ?o }}"
    assert count(store, only_named) == 0  # FROM NAMED alone: an empty default graph


def test_protocol_graphs_override_from(store):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{CONCEPTS}> WHERE {{ ?s a lo:Remedy }}"
    assert count(store, query) == 6
    assert count(store, query, default_graphs=[ONTOLOGY]) == 0


def test_without_a_dataset_every_graph_is_named(store):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    assert [r["g"] for r in rows(run(store, query))] == [CONCEPTS, SOURCES, ONTOLOGY]


# --- limits --------------------------------------------------------------------------------

def test_time_limit_stops_the_query_and_the_next_is_answered(store):
    start = time.perf_counter()
    with pytest.raises(endpoint.TimeLimit) as caught:
        endpoint.execute(store, EXPLOSIVE, limits=endpoint.Limits(timeout_s=1))
    elapsed = time.perf_counter() - start
    assert caught.value.code == "sparql.time_limit"
    assert caught.value.text("en") == "The query exceeded the time limit of 1 s."
    assert 1 <= elapsed < 10  # stopped near the limit, not when the query would end (minutes); room for a busy machine
    assert multiprocessing.active_children() == []  # the child was killed and reaped
    answer = endpoint.execute(store, "SELECT (COUNT(?x) AS ?n) WHERE { ?x a lo:LearningIdea }")
    assert rows(answer) == [{"n": "4"}]


def test_isolated_and_direct_answers_agree(store):
    for example in queries.EXAMPLES:
        assert endpoint.execute(store, example.query) == run(store, example.query)


def test_errors_cross_the_process_boundary(store):
    with pytest.raises(endpoint.UnknownGraph) as caught:
        endpoint.execute(store, "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }")
    assert caught.value.extra["available_graphs"] == [CONCEPTS, SOURCES, ONTOLOGY]


def test_memory_limit(store):
    # each row of the cross product is kept for ORDER BY: far more than 32 MB
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a"
    with pytest.raises(endpoint.ResourceLimit) as caught:
        endpoint.execute(store, query, limits=endpoint.Limits(timeout_s=60, memory_mb=32))
    assert "memory" in caught.value.text("en")


def test_rows_are_capped_with_a_flag(store):
    small = endpoint.Limits(max_rows=3)
    answer = endpoint.execute(store, "SELECT ?s WHERE { ?s a lo:Remedy } ORDER BY ?s", limits=small)
    data = json.loads(answer.body)
    assert answer.truncated and data["truncated"] is True and len(data["results"]["bindings"]) == 3
    assert list(data) == ["head", "results", "truncated"]
    exact = endpoint.execute(store, "SELECT ?s WHERE { ?s a lo:Remedy }", limits=endpoint.Limits(max_rows=6))
    assert not exact.truncated and json.loads(exact.body)["truncated"] is False
    # a cross product of every triple streams: the cap stops it long before the time limit
    cross = endpoint.execute(store, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", limits=small)
    assert cross.truncated and len(json.loads(cross.body)["results"]["bindings"]) == 3
    graph = endpoint.execute(store, "CONSTRUCT WHERE { ?s a lo:Remedy }", limits=small)
    assert graph.truncated and len(Graph().parse(data=graph.body, format="turtle")) == 3


# --- serialisations ------------------------------------------------------------------------

LAYERS = ("SELECT ?n ?layer ?label WHERE { ?layer lo:partOf id:model-45231 ; lo:ordinal ?n ; skos:prefLabel ?label "
          "FILTER (lang(?label) = 'zh') } ORDER BY ?n")


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_results_parse_back(store, fmt):
    answer = run(store, LAYERS, formats={"SELECT": fmt})
    result = Result.parse(io.BytesIO(answer.body), format=fmt)
    layers = [str(row[1]) for row in result]
    assert layers == [str(ID[f"layer-{x}"]) for x in ("roots", "trunk", "branches", "flowers", "fruit")]
    labels = [row[2] for row in result]
    if fmt == "csv":  # CSV drops language tags and datatypes
        assert labels[0] == Literal("根：四种学习理念")
    else:
        assert labels[0] == Literal("根：四种学习理念", lang="zh")
        assert [str(v) for v in result.vars] == ["n", "layer", "label"]


def test_json_is_readable_utf8(store):
    body = run(store, LAYERS).body.decode("utf-8")
    assert "根：四种学习理念" in body


def test_tsv_escapes_tabs_and_newlines():
    assert endpoint._tsv_term(Literal('a\tb\nc"d\\', lang="zh")) == '"a\\tb\\nc\\"d\\\\"@zh'
    assert endpoint._tsv_term(URIRef("http://example.org/x")) == "<http://example.org/x>"
    assert endpoint._tsv_term(Literal(3)) == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert endpoint._tsv_term(None) == ""


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("json-ld", "json-ld"), ("nt", "nt"),
                                                ("rdfxml", "xml")])
def test_construct_parses_back_to_the_same_triples(store, fmt, rdflib_format):
    query = "CONSTRUCT { ?m skos:prefLabel ?l } WHERE { ?m a lo:LearningMechanism ; skos:prefLabel ?l }"
    graph = Graph().parse(data=run(store, query, formats={"CONSTRUCT": fmt}).body, format=rdflib_format)
    mechanisms = {s for s, in store.query(SparqlQuery("SELECT ?s WHERE { ?s a lo:LearningMechanism }"))}
    assert set(graph.subjects()) == mechanisms
    assert len(graph) == 10  # five mechanisms, labels in zh and en
    assert (ID["mechanism-team-learning"], SKOS.prefLabel, Literal("团队学习机制", lang="zh")) in graph


def test_ask_and_describe(store):
    ask = run(store, "ASK { id:mechanism-team-learning a lo:LearningMechanism }")
    assert json.loads(ask.body)["boolean"] is True
    xml = run(store, "ASK { id:mechanism-team-learning a lo:Remedy }", formats={"ASK": "xml"})
    assert Result.parse(io.BytesIO(xml.body), format="xml").askAnswer is False
    described = Graph().parse(data=run(store, "DESCRIBE id:mechanism-team-learning").body, format="turtle")
    assert (ID["mechanism-team-learning"], LO.hasQuote, None) in described


@pytest.mark.parametrize("example", queries.EXAMPLES, ids=lambda e: e.key)
def test_examples_answer(store, example):
    answer = run(store, example.query)
    if answer.format == "turtle":
        assert len(Graph().parse(data=answer.body, format="turtle")) > 5
    else:
        assert len(rows(answer)) >= 4


def test_example_values(store):
    layers, remedies, inferred, quotes, disciplines, figures, _ = (run(store, e.query) for e in queries.EXAMPLES)
    assert [r["n"] for r in rows(layers)] == ["1", "2", "3", "4", "5"]
    assert {r["remedy"] for r in rows(remedies)} <= {str(s) for s, in store.query(SparqlQuery("SELECT ?s WHERE { ?s a lo:Remedy }"))}
    assert all(r["reason"] for r in rows(inferred))
    assert len(rows(quotes)) == 4
    for quote in rows(quotes):  # the offsets span exactly the quoted text
        assert quote["quote"].startswith(str(ID["quote/notion-team-learning-yanbian/"]))
        assert int(quote["end"]) - int(quote["start"]) == len(quote["exact"])
    assert {r["discipline"] for r in rows(disciplines)} == {str(ID[f"discipline-{d}"]) for d in (
        "personal-mastery", "mental-models", "shared-vision", "team-learning", "systems-thinking")}
    assert {"value": "30.0", "unit": "百分比"}.items() <= next(
        r for r in rows(figures) if r["figure"].endswith("result-budget-revenue-growth")).items()


def test_limits_from_env():
    limits = endpoint.Limits.from_env({"KG_SPARQL_TIMEOUT": "2.5", "KG_SPARQL_MAX_ROWS": "7"})
    assert limits == endpoint.Limits(timeout_s=2.5, max_rows=7)
    assert endpoint.Limits.from_env({}) == endpoint.Limits(timeout_s=10.0, max_rows=10_000)
