"""/sparql over HTTP: the SPARQL 1.1 Protocol as a table, then real clients against a real server."""

from __future__ import annotations

import io
import multiprocessing
import socket
import time
from urllib.parse import urlencode

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS
from rdflib.query import Result

from api.routers.sparql import MAX_BODY_BYTES, get_limits
from kg import queries
from kg.endpoint import Limits
from kg.namespaces import ID, LO
from kg.namespaces import GRAPH
from tests.support.browser import LiveServer

ONTOLOGY = str(GRAPH["ontology/lo"])
CONCEPTS = str(GRAPH["data/concepts"])
SOURCES = str(GRAPH["data/sources"])
REMEDIES = "SELECT ?s WHERE { ?s a lo:Remedy } ORDER BY ?s"
REMEDY_GRAPH = "CONSTRUCT { ?s a lo:Remedy ; skos:prefLabel ?l } WHERE { ?s a lo:Remedy ; skos:prefLabel ?l }"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


def get(client, query, headers=None, **params):
    return client.get("/sparql", params={"query": query, **params}, headers=headers or {})


def post_form(client, query, headers=None, **params):
    body = urlencode({"query": query, **params}, doseq=True)
    return client.post("/sparql", content=body, headers={"content-type": FORM, **(headers or {})})


def post_direct(client, query, headers=None, **params):
    return client.post("/sparql", params=params, content=query.encode("utf-8"),
                       headers={"content-type": DIRECT, **(headers or {})})


#: errors in English (the default is Chinese)
EN = {"accept-language": "en"}

METHODS = {"GET": get, "POST form": post_form, "POST direct": post_direct}


def error(response) -> str:
    body = response.json()
    assert body["error"]["status"] == response.status_code
    return body["error"]["message"]


# --- the three ways to send a query ---------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_methods(client, method):
    response = METHODS[method](client, REMEDIES)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.headers["x-truncated"] == "false"
    data = response.json()
    assert data["truncated"] is False and data["head"] == {"vars": ["s"]}
    assert len(data["results"]["bindings"]) == 6


@pytest.mark.parametrize("method", METHODS)
def test_graph_parameters(client, method):
    """default-graph-uri and named-graph-uri, repeated, in the URL or the form."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a lo:Paragraph }"
    names = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    send = METHODS[method]
    assert send(client, count).json()["results"]["bindings"][0]["n"]["value"] == "37"
    only_ontology = send(client, count, **{"default-graph-uri": ONTOLOGY}).json()
    assert only_ontology["results"]["bindings"][0]["n"]["value"] == "0"
    both = send(client, count, **{"default-graph-uri": [ONTOLOGY, SOURCES]}).json()
    assert both["results"]["bindings"][0]["n"]["value"] == "37"
    named = send(client, names, **{"named-graph-uri": [SOURCES, ONTOLOGY]}).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [SOURCES, ONTOLOGY]


# --- formats by Accept ----------------------------------------------------------------------

@pytest.mark.parametrize("query, accept, media, parse", [
    (REMEDIES, None, "application/sparql-results+json", "json"),
    (REMEDIES, "*/*", "application/sparql-results+json", "json"),
    (REMEDIES, "application/sparql-results+json", "application/sparql-results+json", "json"),
    (REMEDIES, "application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    (REMEDIES, "text/csv", "text/csv; charset=utf-8", "csv"),
    (REMEDIES, "text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "tsv"),
    (REMEDIES, "text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", "xml"),
    (REMEDIES, "text/turtle, text/csv;q=0.1", "text/csv; charset=utf-8", "csv"),
    ("ASK { ?s a lo:Remedy }", None, "application/sparql-results+json", "json"),
    ("ASK { ?s a lo:Remedy }", "application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    (REMEDY_GRAPH, None, "text/turtle; charset=utf-8", "turtle"),
    (REMEDY_GRAPH, "*/*", "text/turtle; charset=utf-8", "turtle"),
    (REMEDY_GRAPH, "application/ld+json", "application/ld+json", "json-ld"),
    (REMEDY_GRAPH, "application/n-triples", "application/n-triples", "nt"),
    (REMEDY_GRAPH, "application/rdf+xml", "application/rdf+xml", "xml"),
    (REMEDY_GRAPH, "application/ld+json;q=0.2, text/turtle;q=0.8", "text/turtle; charset=utf-8", "turtle"),
    ("DESCRIBE id:remedy-culture", "text/turtle", "text/turtle; charset=utf-8", "turtle"),
])
def test_formats_by_accept(client, query, accept, media, parse):
    response = get(client, query, headers={"accept": accept} if accept else {"accept": ""})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media
    assert response.headers["vary"] == "Accept"
    if query.startswith(("CONSTRUCT", "DESCRIBE")):
        graph = Graph().parse(data=response.content, format=parse)
        assert (ID["remedy-culture"], RDF.type, LO.Remedy) in graph
        return
    result = Result.parse(io.BytesIO(response.content), format=parse)
    if query.startswith("ASK"):
        assert result.askAnswer is True
    else:
        assert [str(row[0]) for row in result][0] == str(ID["remedy-culture"]) and len(result) == 6


def test_format_parameter_overrides_accept(client):
    response = get(client, REMEDIES, headers={"accept": "application/sparql-results+json"}, format="csv")
    assert response.headers["content-type"].startswith("text/csv")


# --- refusals -------------------------------------------------------------------------------

def test_html_page_for_a_browser(client):
    response = client.get("/sparql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<textarea id="sparql-query" name="query"' in page and '<select id="sparql-format" name="format">' in page
    assert 'type="submit"' in page and page.count('<input type="hidden" name="query"') == len(queries.EXAMPLES)
    assert "lo:partOf id:model-45231" in page and "&lt;https://w3id.org/lokg/ontology#&gt;" in page
    assert CONCEPTS in page
    english = client.get("/sparql?lang=en", headers={"accept": "text/html"}).text
    assert english.startswith('<!doctype html>\n<html lang="en">')


def test_html_results_page(client):
    browser = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    table = get(client, queries.EXAMPLES[0].query, headers=browser)
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/html")
    assert "<th>?layer</th>" in table.text and table.text.count("<tr>") == 1 + 5
    assert "根：四种学习理念" in table.text and "5 行" in table.text
    turtle = get(client, queries.EXAMPLES[-1].query, format="html")
    assert '<pre class="turtle" tabindex="0">' in turtle.text and "&#34;团队学习机制&#34;@zh" in turtle.text
    failed = get(client, "SELECT * WHERE { ?s ?p }", format="html")
    assert failed.status_code == 400 and "查询有语法错误（第 1 行，第 18 列）：Expected SelectQuery" in failed.text
    escaped = get(client, 'SELECT ("<script>alert(1)</script>" AS ?x) WHERE {}', format="html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in escaped.text and "<script>alert" not in escaped.text


@pytest.mark.parametrize("query, accept, params", [
    (REMEDIES, "text/turtle", {}),
    (REMEDIES, "image/png, text/html", {}),
    ("ASK { ?s ?p ?o }", "text/csv", {}),
    (REMEDY_GRAPH, "application/sparql-results+json", {}),
    (REMEDY_GRAPH, None, {"format": "csv"}),
])
def test_406(client, query, accept, params):
    response = get(client, query, headers={**EN, "accept": accept} if accept else EN, **params)
    assert response.status_code == 406
    assert "available" in error(response) and response.json()["error"]["code"].startswith("format.")


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "application/sparql-results+json", None])
def test_415(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/sparql", content=b"SELECT * WHERE { ?s ?p ?o }", headers=headers)
    assert response.status_code == 415
    assert DIRECT in error(response)


@pytest.mark.parametrize("content_type", [FORM, DIRECT])
def test_413(client, content_type):
    padding = "#" + "x" * MAX_BODY_BYTES + "\n"
    body = urlencode({"query": padding + REMEDIES}) if content_type == FORM else padding + REMEDIES
    response = client.post("/sparql", content=body, headers={"content-type": content_type})
    assert response.status_code == 413 and "100 KB" in error(response)
    assert client.post("/sparql", content=padding[: MAX_BODY_BYTES // 2] + "\n" + REMEDIES,
                       headers={"content-type": DIRECT}).status_code == 200


@pytest.mark.parametrize("method", METHODS)
def test_malformed_400_with_the_parser_message(client, method):
    response = METHODS[method](client, "SELECT * WHERE { ?s ?p }", headers=EN)
    assert response.status_code == 400
    assert error(response) == "The query has a syntax error (line 1, column 18): Expected SelectQuery, found '?'"
    assert response.json()["error"]["code"] == "sparql.syntax"


@pytest.mark.parametrize("request_", [
    lambda c: c.get("/sparql", headers={"accept": "application/json"}),
    lambda c: c.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"),
    lambda c: c.post("/sparql", content="default-graph-uri=x", headers={"content-type": FORM}),
    lambda c: c.post("/sparql", content=b"\xff\xfe", headers={"content-type": DIRECT}),
])
def test_bad_requests(client, request_):
    assert request_(client).status_code == 400


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("query, words", [
    ("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }", "Updates are not allowed"),
    ("DELETE WHERE { ?s ?p ?o }", "Updates are not allowed"),
    ("LOAD <http://127.0.0.1:9/x>", "Updates are not allowed"),
    ("DROP ALL", "Updates are not allowed"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is not allowed"),
    ("ASK { FILTER EXISTS { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } }", "SERVICE is not allowed"),
])
def test_refused_403(client, method, query, words):
    response = METHODS[method](client, query, headers=EN)
    assert response.status_code == 403 and words in error(response)


@pytest.mark.parametrize("request_", [
    lambda c: c.post("/sparql", content=urlencode({"update": "DROP ALL"}), headers={"content-type": FORM}),
    lambda c: c.post("/sparql", content="DROP ALL", headers={"content-type": "application/sparql-update"}),
])
def test_update_operation_refused(client, request_):
    response = request_(client)
    assert response.status_code == 403 and "不允许更新" in error(response)
    assert response.json()["error"]["code"] == "sparql_read_only"


@pytest.fixture
def listener():
    """A local port that records whether anything connects to it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        sock.settimeout(0.3)
        yield sock


def connected(sock) -> bool:
    try:
        conn, _ = sock.accept()
    except TimeoutError:
        return False
    conn.close()
    return True


@pytest.mark.parametrize("method", METHODS)
def test_from_unknown_graph_refused_without_network(client, listener, method):
    remote = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
    for query, params in ((f"SELECT * FROM <{remote}> WHERE {{ ?s ?p ?o }}", {}),
                          (f"SELECT * FROM NAMED <{remote}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
                          ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": remote}),
                          ("SELECT * WHERE { ?s ?p ?o }", {"named-graph-uri": remote})):
        response = METHODS[method](client, query, **params)
        assert response.status_code == 400
        assert f"<{remote}>" in error(response)
        assert response.json()["error"]["available_graphs"] == [CONCEPTS, SOURCES, ONTOLOGY]
    # a GRAPH pattern on a remote IRI is just an empty graph
    empty = METHODS[method](client, f"SELECT * WHERE {{ GRAPH <{remote}> {{ ?s ?p ?o }} }}")
    assert empty.status_code == 200 and empty.json()["results"]["bindings"] == []
    assert not connected(listener)


def test_from_a_held_graph(client):
    query = "SELECT ?c WHERE { ?c rdfs:subClassOf+ lo:Concept }"
    everything = get(client, query).json()["results"]["bindings"]
    ontology = get(client, query.replace("SELECT ?c", f"SELECT ?c FROM <{ONTOLOGY}>")).json()["results"]["bindings"]
    assert len(ontology) == len(everything) > 20
    sources = get(client, query.replace("SELECT ?c", f"SELECT ?c FROM <{SOURCES}>")).json()["results"]["bindings"]
    assert sources == []


# --- limits ---------------------------------------------------------------------------------

@pytest.fixture
def limited(client):
    """The session app with a 1 s time limit and a 3-row cap."""
    client.app.dependency_overrides[get_limits] = lambda: Limits(timeout_s=1, max_rows=3)
    yield client
    client.app.dependency_overrides.pop(get_limits)


def test_timeout_stops_the_query_and_the_next_is_answered(limited):
    start = time.perf_counter()
    response = post_direct(limited, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", headers=EN)
    assert time.perf_counter() - start < 3
    assert response.status_code == 503
    assert error(response) == "The query exceeded the time limit of 1 s."
    assert multiprocessing.active_children() == []
    after = get(limited, "SELECT (COUNT(?x) AS ?n) WHERE { ?x a lo:LearningIdea }")
    assert after.status_code == 200 and after.json()["results"]["bindings"][0]["n"]["value"] == "4"


@pytest.mark.parametrize("query, accept, truncated", [
    (REMEDIES, "application/sparql-results+json", True),
    (REMEDIES, "text/csv", True),
    (REMEDIES, "application/sparql-results+xml", True),
    ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "text/tab-separated-values", True),
    (REMEDY_GRAPH, "text/turtle", True),
    ("SELECT ?l WHERE { id:mechanism-team-learning skos:prefLabel ?l }", "application/sparql-results+json", False),
    ("ASK { ?s ?p ?o }", "application/sparql-results+json", False),
])
def test_truncated_flag(limited, query, accept, truncated):
    response = get(limited, query, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["x-truncated"] == ("true" if truncated else "false")
    if accept.endswith("+json"):
        assert response.json()["truncated"] is truncated
    if accept == "text/csv":
        assert len(response.text.strip().splitlines()) == 1 + 3


def test_openapi_documents_the_endpoint(client):
    spec = client.get("/openapi.json").json()["paths"]["/sparql"]
    assert spec["get"]["tags"] == ["sparql"] and "time limit" in spec["get"]["description"]
    assert {p["name"] for p in spec["get"]["parameters"]} >= {"query", "default-graph-uri", "named-graph-uri",
                                                              "format"}
    assert set(spec["post"]["requestBody"]["content"]) == {FORM, DIRECT}
    assert {"406", "413", "415", "503"} <= set(spec["post"]["responses"])
    assert "text/tab-separated-values" in spec["get"]["responses"]["200"]["content"]


# --- real clients against a real server -----------------------------------------------------

@pytest.fixture(scope="module")
def endpoint(explorer):
    """uvicorn serving create_app() on a free loopback port, in a thread; stopped after the module."""
    from api.app import create_app

    with LiveServer(create_app(explorer=explorer)) as live:
        yield f"{live.url}/sparql"


PREFIXES = """PREFIX lo: <https://w3id.org/lokg/ontology#>
PREFIX id: <https://w3id.org/lokg/id/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select(endpoint, method):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setMethod(method)
    client.setReturnFormat(JSON)
    counts = {}
    for cls in ("LearningIdea", "Remedy", "LearningMechanism"):
        client.setQuery(PREFIXES + f"SELECT (COUNT(?x) AS ?n) WHERE {{ ?x a lo:{cls} }}")
        counts[cls] = int(client.queryAndConvert()["results"]["bindings"][0]["n"]["value"])
    assert counts == {"LearningIdea": 4, "Remedy": 6, "LearningMechanism": 5}


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside SPARQLWrapper
def test_sparqlwrapper_ask_construct_and_errors(endpoint):
    from SPARQLWrapper import JSON, RDFXML, TSV, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = SPARQLWrapper(endpoint)
    client.setReturnFormat(JSON)
    client.setQuery(PREFIXES + 'ASK { id:mechanism-team-learning skos:prefLabel "团队学习机制"@zh }')
    assert client.queryAndConvert()["boolean"] is True

    label = (ID["mechanism-team-learning"], SKOS.prefLabel, Literal("团队学习机制", lang="zh"))
    client.setQuery(PREFIXES + "CONSTRUCT { ?m skos:prefLabel ?l } "
                               "WHERE { ?m a lo:LearningMechanism ; skos:prefLabel ?l }")
    client.setReturnFormat(TURTLE)
    turtle = Graph().parse(data=client.queryAndConvert(), format="turtle")
    client.setReturnFormat(RDFXML)
    rdfxml = client.queryAndConvert()  # SPARQLWrapper parses RDF/XML into a Graph itself
    assert label in turtle and len(turtle) == 10 and set(rdfxml) == set(turtle)

    client.setReturnFormat(TSV)
    client.setQuery(PREFIXES + "SELECT ?l WHERE { id:mechanism-team-learning skos:prefLabel ?l } ORDER BY ?l")
    assert client.queryAndConvert().decode("utf-8").splitlines() == [
        "?l", '"Team learning mechanism"@en', '"团队学习机制"@zh']

    client.setReturnFormat(JSON)
    client.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed, match="sparql.syntax"):
        client.queryAndConvert()


def test_rdflib_sparqlstore(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(endpoint))
    rows = list(graph.query(PREFIXES + "SELECT ?x WHERE { ?x a lo:Remedy } ORDER BY ?x"))
    assert len(rows) == 6 and rows[0][0] == ID["remedy-culture"]
    labels = set(graph.triples((ID["mechanism-team-learning"], SKOS.prefLabel, None)))
    assert (ID["mechanism-team-learning"], SKOS.prefLabel, Literal("团队学习机制", lang="zh")) in labels
    assert len(labels) == 2
    ideas = set(graph.subjects(RDF.type, LO.LearningIdea))
    assert len(ideas) == 4
    constructed = graph.query(PREFIXES + "CONSTRUCT WHERE { ?x a lo:LearningIdea }").graph
    assert set(constructed.subjects()) == ideas
    assert graph.query(PREFIXES + "ASK { id:model-45231 ?p ?o }").askAnswer is True
