"""Concepts as JSON and RDF, content negotiation as a table, IRIs that resolve."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.namespaces import ID, LO

CID = "mechanism-team-learning"


def test_concept_json_has_the_card(client):
    data = client.get(f"/concepts/{CID}.json").json()
    assert data["label"] == {"zh": "团队学习机制", "en": "Team learning mechanism"}
    assert data["class"] == "LearningMechanism" and data["iri"] == str(ID[CID])
    assert [b["id"] for b in data["breadcrumbs"]] == ["model-45231", "layer-trunk", CID]
    quote = data["quotes"][0]
    assert quote["exact"] == "一是团队学习机制。" and quote["paragraph"] == "zhonglou-p04"
    out = {g["relation"]: g for g in data["relations_out"]}
    assert out["partOf"]["items"][0]["concept"]["id"] == "layer-trunk"
    assert out["embodies"]["items"][0]["status"] == "inferred" and out["embodies"]["items"][0]["rationale"]["en"]
    incoming = {g["relation"]: g for g in data["relations_in"]}
    assert incoming["partOf"]["label"] == {"zh": "包含", "en": "has part"}
    assert {i["concept"]["id"] for i in incoming["partOf"]["items"]} >= {"practice-monthly-lecture", "institution-learning-records"}
    # the party school is named in the mechanism's paragraph, not one of its parts
    assert incoming["mentionedIn"]["label"] == {"zh": "提及", "en": "mentions"}
    assert "org-district-party-school" in {i["concept"]["id"] for i in incoming["mentionedIn"]["items"]}


def test_stated_links_carry_evidence(client):
    """A stated link shows the sentence that says it, located in the article; an inferred one its reason."""
    data = client.get("/concepts/notion-learning-organ-yanbian.json").json()
    supports = next(g for g in data["relations_out"] if g["relation"] == "supports")
    items = {i["concept"]["id"]: i for i in supports["items"]}
    assert set(items) >= {"significance-party-advancement", "notion-learning-party", "notion-cohesion-yanbian"}
    # the text says the body is a basis of the Party's advanced nature; the learning Party is the editors' reading
    learning_party = items.pop("notion-learning-party")
    assert learning_party["status"] == "inferred" and "evidence" not in learning_party
    assert "学习型政党" in learning_party["rationale"]["zh"]
    for item in items.values():
        evidence = item["evidence"]
        assert item["status"] == "stated" and evidence["article"] == "yanbian" and evidence["en"]
        assert evidence["exact"] and evidence["end"] - evidence["start"] == len(evidence["exact"])
    # the trunk's support of the other layers: the text names no layer, so the editors' reading is inferred
    data = client.get("/concepts/layer-trunk.json").json()
    supports = next(g for g in data["relations_out"] if g["relation"] == "supports")
    assert all(i["status"] == "inferred" and "支持和促进" in i["rationale"]["zh"] for i in supports["items"])


@pytest.mark.parametrize("accept,suffix,media", [
    ("text/html", "", "text/html"),
    ("application/json", "", "application/json"),
    ("text/turtle", "", "text/turtle"),
    ("application/ld+json", "", "application/ld+json"),
    ("application/rdf+xml", "", "application/rdf+xml"),
    ("application/n-triples", "", "application/n-triples"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "", "application/ld+json"),
    ("*/*", "", "text/html"),
    ("text/html", ".json", "application/json"),
    ("text/html", ".ttl", "text/turtle"),
    ("text/html", ".jsonld", "application/ld+json"),
    ("text/html", ".rdf", "application/rdf+xml"),
    ("text/html", ".nt", "application/n-triples"),
])
def test_content_negotiation(client, accept, suffix, media):
    response = client.get(f"/concepts/{CID}{suffix}", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)


def test_unacceptable_format_is_406(client):
    response = client.get(f"/concepts/{CID}", headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "message" in response.json()["error"]


@pytest.mark.parametrize("suffix,fmt", [(".ttl", "turtle"), (".jsonld", "json-ld"), (".rdf", "xml"), (".nt", "nt")])
def test_rdf_parses_back_with_labels_quotes_and_assertions(client, suffix, fmt):
    g = Graph().parse(data=client.get(f"/concepts/{CID}{suffix}").text, format=fmt)
    node = ID[CID]
    assert (node, SKOS.prefLabel, Literal("团队学习机制", lang="zh")) in g
    quote = g.value(node, LO.hasQuote)
    assert quote is not None and len(list(g.triples((None, None, None)))) > 20
    assert any(True for _ in g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"), node))


def test_concept_iri_resolves_by_content_negotiation(client):
    browser = client.get(f"/id/{CID}", headers={"accept": "text/html"}, follow_redirects=False)
    assert browser.status_code == 303 and browser.headers["location"] == f"/concepts/{CID}"
    rdf_client = client.get(f"/id/{CID}", headers={"accept": "text/turtle"}, follow_redirects=False)
    assert rdf_client.status_code == 303 and rdf_client.headers["location"] == f"/concepts/{CID}.ttl"


def test_unknown_concept_is_404_with_a_message(client):
    response = client.get("/concepts/no-such-concept.json")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_concept" and error["message"] == "没有 id 为“no-such-concept”的概念。"
    english = client.get("/concepts/no-such-concept.json", headers={"accept-language": "en-GB,en;q=0.8"}).json()
    assert english["error"] == error | {"message": "There is no concept with the id “no-such-concept”."}
    page = client.get("/concepts/no-such-concept?lang=en", headers={"accept": "text/html"})
    assert "There is no concept with the id" in page.text and "没有 id" not in page.text


def test_the_concept_route_answers_head_and_refuses_other_methods(client):
    # a DirectRoute (api.routers.concepts): FastAPI documents it, Starlette's matching answers HEAD
    get = client.get(f"/concepts/{CID}.json")
    head = client.head(f"/concepts/{CID}.json")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))
    refused = client.post(f"/concepts/{CID}.json")
    assert refused.status_code == 405 and "GET" in refused.headers["allow"]
    assert refused.json()["error"]["message"]


def _routes(routes):
    """Every route of the app, inside included routers too (FastAPI may keep them nested)."""
    for route in routes:
        yield route
        included = getattr(route, "original_router", None)  # a recent FastAPI keeps an included router whole
        yield from _routes(included.routes if included is not None else [])


def test_the_concept_route_is_registered_once_and_documented(client):
    concept_routes = [r for r in _routes(client.app.router.routes) if getattr(r, "path", None) == "/concepts/{name}"]
    assert len(concept_routes) == 1
    documented = client.get("/openapi.json").json()["paths"]["/concepts/{name}"]
    assert list(documented) == ["get"]
    assert [p["name"] for p in documented["get"]["parameters"]] == ["name"]
    assert "suffixes" in documented["get"]["description"]


@pytest.mark.parametrize("url", ["/concepts.json", "/concepts.json?class=Remedy", "/classes/Remedy.json",
                                 "/schemes/scheme-45231.json", "/articles/yanbian.json", "/index.json",
                                 "/?format=json"])
def test_json_resources(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")


def test_browse_filters(client):
    remedies = client.get("/concepts.json?class=Remedy").json()
    assert remedies["count"] == 6
    components = client.get("/concepts.json?class=ModelComponent").json()
    assert components["count"] == 15
    yanbian = client.get("/concepts.json?article=yanbian").json()
    assert yanbian["count"] > 80
    assert client.get("/concepts.json?class=Nope").status_code == 404


def test_scheme_tree_and_class_page(client):
    tree = client.get("/schemes/scheme-45231.json").json()["tree"]
    assert tree[0]["id"] == "model-45231"
    layers = [n["id"] for n in tree[0]["children"] if n["class"] == "FrameworkPart"]
    assert layers == ["layer-roots", "layer-trunk", "layer-branches", "layer-flowers", "layer-fruit"]
    cls = client.get("/classes/LearningIdea.json").json()
    assert cls["count"] == 4 and cls["label"]["zh"] == "学习理念（根）"


def test_article_reader_links_quotes(client):
    data = client.get("/articles/zhonglou.json?quote=quote/mechanism-team-learning/1").json()
    para = next(p for p in data["paragraphs"] if p["id"] == "zhonglou-p04")
    assert "".join(s["text"] for s in para["segments"]) == para["text"]
    current = [s for p in data["paragraphs"] for s in p["segments"] if s.get("current")]
    assert len(current) == 1 and CID in [c["id"] for c in current[0]["concepts"]]


def test_pinyin_index_is_in_pinyin_order(client):
    data = client.get("/index.json").json()
    assert data["count"] > 150
    letters = data["letters"]
    assert letters == sorted(letters)
    assert data["letter"] is None and [g["letter"] for g in data["groups"]] == letters  # the whole index at once
    g = next(g for g in data["groups"] if g["letter"] == "G")
    assert any(c["label"]["zh"] == "共同价值观和使命感" for c in g["concepts"])
