"""The graph pages and their JSON twins: /graph/{view}, the embeddable neighbourhood, local assets, safe data."""

from __future__ import annotations

import copy
import dataclasses
import json
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg import resources
from kg.catalog import Bilingual
from kg.explorer import Explorer

VIEWS = {
    "tree": "/graph/tree",
    "chain": "/graph/chain",
    "cross": "/graph/cross",
    "whole": "/graph/whole",
    "neighbourhood": "/graph/neighbourhood?concept=mechanism-team-learning&depth=1",
}
HTML = {"accept": "text/html"}
VENDOR = "/static/vendor/vis-network-9.1.2/"
ISLAND = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)


def island(html: str) -> str:
    found = ISLAND.findall(html)
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_view_page_and_json_twin(client, view):
    url = VIEWS[view]
    page = client.get(url, headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    link = page.headers["link"]
    assert 'rel="alternate"' in link and f"/graph/{view}.json" in link
    alternate = link.split(">")[0].lstrip("<")
    html = page.text
    assert f'href="{alternate.replace("&", "&amp;")}"' in html  # also in <head>
    assert 'id="graph-canvas"' in html and 'class="site"' in html
    data = json.loads(island(html))
    assert data["view"] == view and data["nodes"] and data["vis"]["nodes"]
    twin = client.get(alternate)
    assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json")
    body = twin.json()
    assert body["view"] == view
    assert {n["id"] for n in body["nodes"]} == {n["id"] for n in data["nodes"]}
    assert body["counts"]["nodes"] == len(body["nodes"]) and body["legend"]
    node = body["nodes"][0]
    assert node["url"] == f"/concepts/{node['id']}"


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_the_json_twin_is_the_page_data(client, view):
    """One page model: the page's island, what its script reads, is its JSON twin, links included."""
    page = client.get(VIEWS[view], headers=HTML)
    twin = client.get(page.headers["link"].split(">")[0].lstrip("<")).json()
    assert json.loads(island(page.text)) == twin
    assert [tab["name"] for tab in twin["tabs"]][:4] == ["tree", "chain", "cross", "whole"]
    assert {e["fmt"] for e in twin["exports"]} == {"svg", "png", "pdf", "html"}
    assert (twin["embed_url"] is not None) == (view == "neighbourhood")


def test_accept_negotiation(client):
    response = client.get("/graph/chain", headers={"accept": "application/json"})
    assert response.status_code == 200 and response.json()["view"] == "chain"
    assert client.get("/graph/chain", headers={"accept": "text/html,application/xhtml+xml"}).text.startswith(
        "<!doctype html>")
    assert client.get("/graph/chain?format=json").json()["view"] == "chain"
    assert client.get("/graph/chain", headers={"accept": "image/png"}).status_code == 406


def test_tree_json_has_levels_and_bands(client):
    data = client.get("/graph/tree.json").json()
    level = {n["id"]: n["level"] for n in data["nodes"]}
    assert level["layer-roots"] < level["layer-trunk"] < level["layer-branches"] < level["layer-flowers"] \
        < level["layer-fruit"]
    assert data["vis"]["options"]["layout"]["hierarchical"]["direction"] == "DU"
    assert data["vis"]["options"]["physics"]["enabled"] is False
    assert [b["id"] for b in data["layout"]["bands"]][0] == "layer-roots"


def test_filters_and_labels_in_the_query(client):
    data = client.get("/graph/tree.json?relation=feeds&relation=partOf&class=ModelComponent&labels=en").json()
    assert {e["relation"] for e in data["edges"]} <= {"feeds", "partOf"}
    assert data["params"]["relation"] == ["feeds", "partOf"] and data["params"]["class"] == ["ModelComponent"]
    vis_node = next(n for n in data["vis"]["nodes"] if n["id"] == "mechanism-team-learning")
    assert vis_node["label"] == "Team learning mechanism"
    both = client.get("/graph/chain.json?labels=both").json()
    assert "\n" in both["vis"]["nodes"][0]["label"]
    page = client.get("/graph/tree?relation=feeds&labels=en", headers=HTML)
    assert page.status_code == 200
    assert "/graph/tree.json?relation=feeds&amp;labels=en" in page.text


def test_errors(client):
    # unknown concept: 404, as JSON or as a page
    missing = client.get("/graph/neighbourhood.json?concept=no-such-concept")
    assert missing.status_code == 404 and "no-such-concept" in missing.json()["error"]["message"]
    assert client.get("/graph/neighbourhood?concept=no-such-concept", headers=HTML).status_code == 404
    # bad depth: 400
    for depth in ("0", "4", "x"):
        assert client.get(f"/graph/neighbourhood.json?concept=layer-trunk&depth={depth}").status_code == 400
        assert client.get(f"/graph/neighbourhood?concept=layer-trunk&depth={depth}", headers=HTML).status_code == 400
    assert client.get("/graph/neighbourhood.json").status_code == 400  # no concept
    assert client.get("/graph/nope").status_code == 404
    assert client.get("/graph/nope.json").status_code == 404
    assert client.get("/graph/tree.json?relation=noSuchRelation").status_code == 400
    assert client.get("/graph/tree.json?class=NoSuchClass").status_code == 400
    assert client.get("/graph/tree.json?labels=fr").status_code == 400


def test_graph_redirects_to_the_tree(client):
    response = client.get("/graph", follow_redirects=False)
    assert response.status_code in (302, 307) and response.headers["location"] == "/graph/tree"


def test_embeddable_neighbourhood(client):
    response = client.get("/graph/neighbourhood?concept=mechanism-team-learning&depth=1&embed=1", headers=HTML)
    assert response.status_code == 200
    html = response.text
    assert 'class="site"' not in html and "<nav" not in html  # no site header
    assert 'id="graph-canvas"' in html and 'target="_top"' in html
    data = json.loads(island(html))
    assert data["view"] == "neighbourhood" and data["params"]["concept"] == "mechanism-team-learning"
    assert data["links"]["neighbourhood_json"] == "/graph/neighbourhood.json"


@pytest.mark.parametrize("url", [*VIEWS.values(), "/graph/neighbourhood?concept=layer-trunk&embed=1",
                                 "/paths?from=mechanism-team-learning&to=remedy-step-by-step"])
def test_everything_is_local(client, url):
    html = client.get(url, headers=HTML).text
    sources = re.findall(r'<script[^>]*\bsrc="([^"]*)"', html) + re.findall(r'<link[^>]*\bhref="([^"]*)"', html)
    assert sources
    for src in sources:
        assert not src.startswith(("http://", "https://", "//")), src
    assert f"{VENDOR}vis-network.min.js" in sources
    assert "/static/js/graph-1.js" in sources
    assert not any("cdn" in src.lower() or "bootstrap" in src.lower() for src in sources)


def test_vendored_vis_network_is_served(client):
    js = client.get(VENDOR + "vis-network.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "@version 9.1.2" in js.text[:1000]
    css = client.get(VENDOR + "vis-network.css")
    assert css.status_code == 200 and ".vis-network" in css.text
    folder = resources.static_dir() / "vendor" / "vis-network-9.1.2"
    assert "Apache License" in (folder / "LICENSE-APACHE-2.0").read_text()
    assert "MIT License" in (folder / "LICENSE-MIT").read_text()
    readme = (folder / "README.md").read_text()
    assert "9.1.2" in readme and "pyvis" in readme
    for name in ("graph-1.js", "graph-1.css"):
        kind = "js" if name.endswith(".js") else "css"
        assert client.get(f"/static/{kind}/{name}").status_code == 200


def test_script_builds_text_never_markup():
    script = (resources.static_dir() / "js" / "graph-1.js").read_text()
    assert ".innerHTML" not in script and ".outerHTML" not in script and "insertAdjacentHTML" not in script
    assert "document.write" not in script and "eval(" not in script
    assert "JSON.parse" in script and "textContent" in script


# -- hostile labels ------------------------------------------------------------------------------------

HOSTILE = ['<img src=x onerror=alert(1)>', '</script><script>alert(1)</script>',
           '<a href="javascript:alert(1)">x</a>']
TARGETS = ["mechanism-team-learning", "layer-trunk", "remedy-step-by-step"]


@pytest.fixture(scope="module")
def hostile(explorer):
    catalog = copy.deepcopy(explorer.catalog)
    for cid, text in zip(TARGETS, HOSTILE):
        concept = catalog.concepts[cid]
        concept.label = Bilingual(text, text + " href")
        concept.definition = Bilingual(HOSTILE[1], HOSTILE[2])
        concept.quotes = [dataclasses.replace(q, exact=HOSTILE[0]) for q in concept.quotes]
    with TestClient(create_app(explorer=Explorer(explorer.store, catalog))) as test_client:
        yield test_client


HOSTILE_PAGES = [*VIEWS.values(), "/graph/neighbourhood?concept=mechanism-team-learning&depth=1&embed=1",
                 "/paths?from=mechanism-team-learning&to=remedy-step-by-step"]


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_hostile_labels_stay_text(client, hostile, url):
    html = hostile.get(url, headers=HTML).text
    for raw in HOSTILE:
        assert raw not in html
    assert "<img" not in html and "<script>alert" not in html and 'href="javascript:' not in html
    # no extra script element: the same number of <script as on the clean page
    assert html.count("<script") == client.get(url, headers=HTML).text.count("<script")
    text = island(html)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in text or "\\u003c/script\\u003e" in text
    data = json.loads(text)
    labels = {n["id"]: n["label"]["zh"] for n in data["nodes"]}
    present = [cid for cid in TARGETS if cid in labels]
    assert present
    for cid in present:
        assert labels[cid] == HOSTILE[TARGETS.index(cid)]  # kept exactly, as data
    titles = [n["title"] for n in data["vis"]["nodes"]]
    assert all(isinstance(t, str) for t in titles)  # tooltips are plain text, never elements


def test_hostile_labels_in_json(hostile):
    data = hostile.get("/graph/neighbourhood.json?concept=mechanism-team-learning").json()
    node = next(n for n in data["nodes"] if n["id"] == "mechanism-team-learning")
    assert node["label"]["zh"] == HOSTILE[0] and node["definition"]["zh"] == HOSTILE[1]
    assert node["quote"]["text"] == HOSTILE[0]


def test_templates_do_not_use_safe_filters():
    folder = resources.templates_dir()
    for name in ("graph.html", "paths.html", "graph_embed.html"):
        text = (folder / name).read_text()
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text
