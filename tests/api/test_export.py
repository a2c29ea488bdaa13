"""Exports over HTTP and the export menu of every graph page; the offline HTML in a real browser."""

import io
import re

import pytest
from PIL import Image

from tests.support.drawn import nodes
from tests.support.system import CHROMIUM_ARGS, chromium_path, needs_graphviz

MAGIC = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF", "html": b"<!doctype html>"}


@needs_graphviz
@pytest.mark.parametrize("view", ["tree", "chain", "cross", "whole"])
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "html"])
def test_every_standard_view_in_every_format(client, view, fmt):
    response = client.get(f"/export/{view}.{fmt}", params={"dpi": 72} if fmt == "png" else {})
    assert response.status_code == 200, response.text[:200]
    assert response.content.startswith(MAGIC[fmt])
    assert f'.{fmt}"' in response.headers["content-disposition"]


@needs_graphviz
def test_neighbourhood_and_paths_exports(client, explorer):
    response = client.get("/export/neighbourhood.svg?concept=remedy-mechanisms&depth=2&labels=en")
    drawn = nodes(response.content)
    centre = explorer.catalog.concepts["remedy-mechanisms"]
    assert drawn["remedy-mechanisms"].text.replace("- ", "-") == centre.label.en  # its lines, as drawn
    neighbours = {e.target for e in explorer.catalog.out_edges(centre.id)} | {
        e.source for e in explorer.catalog.in_edges(centre.id)}
    assert neighbours and neighbours <= set(drawn)
    view = explorer.concept_graph.paths("mechanism-team-learning", "remedy-step-by-step").view
    paths = nodes(client.get("/export/paths.svg?from=mechanism-team-learning&to=remedy-step-by-step").content)
    assert {n.id for n in view.nodes} <= set(paths) and len(view.nodes) >= 2
    for node in view.nodes:  # each concept of the paths drawn with its Chinese label
        assert "".join(paths[node.id].lines) == node.label.zh


@needs_graphviz
def test_png_options_are_applied(client):
    png = client.get("/export/chain.png?preset=slide&dpi=150").content
    with Image.open(io.BytesIO(png)) as image:
        assert round(image.info["dpi"][0]) == 150
        assert image.size == (2000, 1125)  # a 16:9 slide, 13.333 × 7.5 in at 150 dpi


@pytest.mark.parametrize("url,status", [
    ("/export/tree.gif", 400), ("/export/nowhere.svg", 400), ("/export/neighbourhood.svg", 400),
    ("/export/neighbourhood.svg?concept=no-such", 404), ("/export/tree.png?dpi=5000", 400),
    ("/export/paths.svg?from=layer-roots", 400), ("/export/tree.svg?date=yesterday", 400),
    ("/export/tree.svg?preset=poster", 400), ("/export/tree.svg?title=" + "x" * 300, 400),
])
def test_bad_export_requests_are_4xx_with_a_message(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["error"]["message"]


@pytest.mark.parametrize("url", ["/graph/tree?labels=en", "/graph/chain", "/graph/cross", "/graph/whole",
                                 "/graph/neighbourhood?concept=layer-roots&depth=2",
                                 "/paths?from=mechanism-team-learning&to=remedy-step-by-step"])
def test_every_graph_page_has_an_export_menu_for_its_view(client, url):
    html = client.get(url, headers={"accept": "text/html"}).text
    links = [u.replace("&amp;", "&") for u in re.findall(r'href="(/export/[^"]+)"', html)]
    assert {re.search(r"\.(\w+)\?", u).group(1) for u in links} >= {"svg", "png", "pdf", "html"}
    if "labels=en" in url:
        assert all("labels=en" in u for u in links)
    if "concept=layer-roots" in url:
        assert all("concept=layer-roots" in u and "depth=2" in u for u in links)
    if url.startswith("/paths"):
        assert all("from=mechanism-team-learning" in u for u in links)


PART_CLASSES = ["Goal", "Institution", "Method", "Notion", "Organisation", "Practice", "Principle", "Result", "Slogan"]


@needs_graphviz
def test_the_classes_hidden_on_screen_are_left_out_of_the_file(client, explorer):
    full = nodes(client.get("/export/tree.svg").content)
    query = "&".join(f"hide_class={c}" for c in PART_CLASSES)
    response = client.get(f"/export/tree.svg?{query}&hide_relation=supports")
    skeleton = nodes(response.content)
    drawn = {nid for nid in skeleton if nid != "legend"}
    # the model, its 5 layers and 15 components; the full tree also has the parts below them (30 and more)
    assert len(drawn) == 21 and len(full) > 21 + 30
    assert "filtered" in response.headers["content-disposition"]
    assert 'class="edge"' in response.text and "支持" not in response.text  # hidden relation: no link


@needs_graphviz
def test_the_selected_layer_or_component_gives_its_detail(client):
    response = client.get("/export/tree.svg?preset=slide&selected=mechanism-team-learning")
    assert response.status_code == 200, response.text[:300]
    assert 'filename="45231-tree-detail-mechanism-team-learning-slide.svg"' in response.headers["content-disposition"]
    assert "每月一讲" in response.text
    practice = client.get("/export/tree.svg?preset=slide&selected=practice-no-such")  # not a layer: the overview
    assert "45231-tree-overview-slide.svg" in practice.headers["content-disposition"]


@needs_graphviz
@pytest.mark.parametrize("view", ["tree", "chain", "cross", "whole"])
def test_every_menu_entry_works_and_has_its_own_file_name(client, view):
    html = client.get(f"/graph/{view}", headers={"accept": "text/html"}).text
    links = [u.replace("&amp;", "&") for u in re.findall(r'href="(/export/[^"]+)"', html)]
    names = set()
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        names.add(re.search(r'filename="([^"]+)"', response.headers["content-disposition"]).group(1))
    assert len(names) == len(links), names
    if view == "tree":
        assert "45231-tree-overview-slide-144dpi.png" in names and "45231-tree-overview-a4-300dpi.png" in names
        assert "45231-tree-full-a3.pdf" in names and "45231-tree-full.svg" in names


def test_the_menu_has_a_form_for_every_preset_in_every_format(client):
    html = client.get("/graph/chain?labels=en", headers={"accept": "text/html"}).text
    form = re.search(r'<form class="export-form" method="get" action="/export/chain">(.*?)</form>', html, re.S)
    assert form
    options = re.findall(r'<option value="([^"]+)"', form.group(1))
    assert {"png", "svg", "pdf", "pptx", "html", "slide", "a4", "a3", "a2", "overview", "detail", "full", "print"} <= set(options)
    assert '<option value="en" selected>' in form.group(1)  # the page's label language, chosen


@needs_graphviz
def test_the_form_route_takes_the_format_as_a_parameter(client):
    response = client.get("/export/chain?format=pdf&preset=a4&level=overview&labels=en")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert 'filename="yanbian-chain-overview-a4-landscape-en.pdf"' in response.headers["content-disposition"] or \
        'filename="yanbian-chain-overview-a4-en.pdf"' in response.headers["content-disposition"]


@needs_graphviz
def test_an_oversized_png_is_refused_fast_naming_the_largest_dpi(client):
    import time
    start = time.monotonic()
    response = client.get("/export/whole.png?dpi=450")
    assert response.status_code == 400 and re.search(r"dpi=\d+", response.json()["error"]["message"])
    assert time.monotonic() - start < 10


@needs_graphviz
def test_a_repeated_request_is_served_from_memory(client):
    from api.routers.export import RECENT

    url = "/export/chain.svg?preset=slide&date=2026-12-01"
    first = client.get(url).content
    before = len(RECENT)
    assert client.get(url).content == first and len(RECENT) == before


def test_offline_html_makes_no_request_and_draws(client, tmp_path):
    chromium = chromium_path()
    if chromium is None:
        pytest.skip("chromium is installed by `make test`")
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "tree.html"
    page_file.write_bytes(client.get("/export/tree.html").content)
    requests, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
            page.goto(page_file.as_uri())
            page.wait_for_function("() => document.querySelector('#graph-canvas canvas') !== null", timeout=15000)
            page.wait_for_timeout(500)
            blank = page.evaluate("""() => {
                const c = document.querySelector('#graph-canvas canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let ink = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
                return ink; }""")
        finally:
            browser.close()
    outside = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert outside == [] and errors == []
    assert blank > 1000  # the canvas has drawing on it


def test_the_paths_export_takes_names_as_the_paths_page_does(client):
    by_id = client.get("/export/paths.svg", params={"from": "mechanism-team-learning", "to": "layer-roots"})
    by_name = client.get("/export/paths.svg", params={"from": "团队学习机制", "to": "layer-roots"})
    assert by_id.status_code == by_name.status_code == 200
    assert by_name.content == by_id.content
    # the file is named after what was asked for, in UTF-8 beside an ASCII fallback (a Chinese name was a 500)
    disposition = by_name.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"") and "filename*=UTF-8''" in disposition
    assert client.get("/export/paths.svg", params={"from": "没有这个概念", "to": "layer-roots"}).status_code == 404
