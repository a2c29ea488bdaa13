"""A plain SKOS vocabulary larger than the browser should get at once: the graph views come in
bounded pages, and search, concept pages, browsing and paths work on it as on the bundled graph.

The vocabulary: one hub concept with 1,200 narrower concepts, each with 2 of their own (3,601
concepts), related links along the way; zh and en labels, alt labels, definitions.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.explorer import Explorer
from kg.graph.concept_graph import NODE_LIMIT
from kg.store.factory import connect

BASE = "https://example.org/kos/"
WORDS = [("学习", "learning"), ("机关", "organ"), ("干部", "cadre"), ("培训", "training"), ("团队", "team"),
         ("愿景", "vision"), ("机制", "mechanism"), ("读书", "reading"), ("实践", "practice"), ("创新", "innovation"),
         ("服务", "service"), ("考核", "assessment")]
HUB_CHILDREN = 1200


def _concept(lines: list[str], cid: str, n: int, broader: str | None) -> None:
    a, b, c = WORDS[n % 12], WORDS[(n // 12) % 12], WORDS[(n // 144) % 12]
    zh, en = f"{a[0]}{b[0]}{c[0]}{n}", f"{a[1]} {b[1]} {c[1]} {n}"
    iri = f"<{BASE}{cid}>"
    lines += [f"{iri} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2004/02/skos/core#Concept> .",
              f'{iri} <http://www.w3.org/2004/02/skos/core#prefLabel> "{zh}"@zh .',
              f'{iri} <http://www.w3.org/2004/02/skos/core#prefLabel> "{en}"@en .',
              f'{iri} <http://www.w3.org/2004/02/skos/core#altLabel> "{a[0]}{c[0]}{n}"@zh .',
              f'{iri} <http://www.w3.org/2004/02/skos/core#definition> "关于{zh}的概念。"@zh .',
              f'{iri} <http://www.w3.org/2004/02/skos/core#definition> "A concept about {en}."@en .',
              f"{iri} <http://www.w3.org/2004/02/skos/core#inScheme> <{BASE}scheme> ."]
    if broader:
        lines.append(f"{iri} <http://www.w3.org/2004/02/skos/core#broader> <{BASE}{broader}> .")


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    folder = tmp_path_factory.mktemp("large")
    lines = [f'<{BASE}scheme> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
             '<http://www.w3.org/2004/02/skos/core#ConceptScheme> .',
             f'<{BASE}scheme> <http://www.w3.org/2004/02/skos/core#prefLabel> "测试词表"@zh .',
             f'<{BASE}scheme> <http://www.w3.org/2004/02/skos/core#prefLabel> "Test vocabulary"@en .']
    _concept(lines, "hub", 0, None)
    n = 1
    for i in range(HUB_CHILDREN):
        child = f"c{i:04d}"
        _concept(lines, child, n, "hub")
        n += 1
        for j in range(2):
            _concept(lines, f"{child}-{j}", n, child)
            n += 1
        if i:
            lines.append(f"<{BASE}{child}> <http://www.w3.org/2004/02/skos/core#related> <{BASE}c{i - 1:04d}-0> .")
    path = folder / "kos.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = connect(f"oxigraph:{folder / 'db'}")
    store.load([path])
    explorer = Explorer.load(store)
    with TestClient(create_app(explorer=explorer)) as client:
        yield explorer, client


def test_the_vocabulary_is_read_as_concepts(large):
    explorer, _ = large
    assert len(explorer.catalog.concepts) == 1 + HUB_CHILDREN * 3
    assert explorer.catalog.parent("c0005-1") == "c0005"
    assert {e.relation for e in explorer.catalog.edges} == {"broader", "related"}


def test_a_hubs_neighbourhood_comes_in_bounded_pages_that_cover_it_once(large):
    _, client = large
    seen: list[str] = []
    offset, pages = 0, 0
    while offset is not None:
        data = client.get("/graph/neighbourhood.json", params={"concept": "hub", "offset": offset}).json()
        ids = [n["id"] for n in data["nodes"] if n["id"] != "hub"]
        assert len(data["nodes"]) <= NODE_LIMIT + 1
        assert data["page"]["total"] == HUB_CHILDREN
        seen += ids
        if offset:  # a later page's links reach back to the concepts already shown (the hub here)
            assert all(e["from"] in ids or e["to"] in ids for e in data["edges"])
            assert any(e["to"] == "hub" for e in data["edges"])
        offset, pages = data["page"]["next"], pages + 1
    assert pages == -(-HUB_CHILDREN // NODE_LIMIT)
    assert sorted(seen) == sorted(f"c{i:04d}" for i in range(HUB_CHILDREN))


def test_the_whole_graph_is_capped_to_the_best_connected(large):
    _, client = large
    data = client.get("/graph/whole.json").json()
    assert len(data["nodes"]) == NODE_LIMIT
    total = 1 + HUB_CHILDREN * 3
    assert data["page"] == {"offset": 0, "limit": NODE_LIMIT, "total": total, "next": NODE_LIMIT, "number": 1,
                            "pages": -(-total // NODE_LIMIT)}
    assert data["nodes"][0]["id"] == "hub"  # the best-connected concept first
    page = client.get("/graph/whole", params={"limit": 40})
    assert page.status_code == 200
    assert page.text.count('"id":"c') < 200  # the page's JSON island holds one page, not 3,601 concepts


@pytest.mark.parametrize("params", [{"limit": 100_000}, {"limit": 0}, {"offset": -1}, {"offset": 10**9}])
def test_page_requests_out_of_range_are_refused(large, params):
    _, client = large
    response = client.get("/graph/neighbourhood.json", params={"concept": "hub", "lang": "en", **params})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] in ("out_of_range", "negative", "below_one")
    assert ("must be" in error["message"]) or ("cannot be negative" in error["message"])


@pytest.mark.parametrize("q, expected", [("培训机关", "training"), ("peixun", "training"), ("trainng", "training"),
                                         ("vision", "vision")])
def test_search_works_on_the_large_vocabulary(large, q, expected):
    _, client = large
    hits = client.get("/search.json", params={"q": q}).json()["results"]
    assert hits and expected in hits[0]["label"]["en"]


def test_the_hubs_concept_page_stays_readable(large):
    _, client = large
    page = client.get("/concepts/hub")
    assert page.status_code == 200
    assert page.text.count('href="/concepts/c') < 400
    data = client.get("/concepts/hub.json").json()
    narrower = [g for g in data["relations_in"] if g["relation"] == "broader"][0]
    assert narrower["total"] == HUB_CHILDREN
    assert len(narrower["items"]) < HUB_CHILDREN


def test_a_deep_concept_has_its_breadcrumbs(large):
    _, client = large
    data = client.get("/concepts/c0007-1.json").json()
    assert [b["id"] for b in data["breadcrumbs"]] == ["hub", "c0007", "c0007-1"]


def test_browsing_and_the_scheme_are_paged(large):
    _, client = large
    browse = client.get("/concepts.json").json()
    assert browse["count"] == 1 + HUB_CHILDREN * 3
    assert sum(len(g["concepts"]) for g in browse["groups"]) <= 500
    scheme = client.get("/schemes/scheme.json")
    assert scheme.status_code == 200
    assert len(scheme.content) < 500_000


def test_paths_on_the_large_vocabulary(large):
    _, client = large
    data = client.get("/paths.json", params={"from": "c0003-1", "to": "c1100-0"}).json()
    assert data["paths"]
    assert data["paths"][0]["nodes"][0] == "c0003-1"


def test_the_graph_page_offers_show_more(large):
    _, client = large
    page = client.get("/graph/neighbourhood", params={"concept": "hub", "lang": "en"})
    assert page.status_code == 200
    assert f'data-action="more" data-next="{NODE_LIMIT}"' in page.text
    assert f"showing {NODE_LIMIT} of {HUB_CHILDREN} concepts" in page.text  # neighbours (the centre besides)


def test_long_lists_link_to_the_rest(large):
    _, client = large
    concept = client.get("/concepts/hub", params={"lang": "en"}).text
    assert "more, in the graph" in concept and "/graph/neighbourhood?concept=hub" in concept
    browse = client.get("/concepts", params={"lang": "en"}).text
    assert 'rel="next" href="/concepts?page=2"' in browse
    assert client.get("/concepts.json", params={"page": 999}).status_code == 400
    index = client.get("/index.json").json()
    assert index["letter"] == index["letters"][0] and index["page"]["limit"] == 200
    assert sum(len(g["concepts"]) for g in index["groups"]) <= 200
    other = client.get("/index", params={"letter": index["letters"][-1]})
    assert other.status_code == 200
    assert client.get("/index", params={"letter": "Q"}).status_code in (200, 404)
