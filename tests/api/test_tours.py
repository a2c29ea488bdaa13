"""Tours over HTTP: the list, the presentation page (permalinks, languages), JSON, the PDF handout, errors,
and a hostile label kept inert."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

from markupsafe import escape

import pytest
from fastapi.testclient import TestClient

from kg.tours.builders import TOURS, get_tour
from tests.support.hostile import HOSTILE, TARGET, hostile_explorer
from tests.support.system import needs_graphviz

HTML = {"accept": "text/html"}


def tours_app(explorer):
    """The app (it mounts the tours router)."""
    from api.app import create_app

    return create_app(explorer=explorer)


@pytest.fixture(scope="module")
def tc(explorer):
    with TestClient(tours_app(explorer)) as test_client:
        yield test_client


def island(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="tour-data">(.*?)</script>', html, re.S)
    assert m, "no JSON island"
    return json.loads(m.group(1))


# -- list, pages, JSON -----------------------------------------------------------------------------------


def test_tours_list_html_and_json(tc):
    page = tc.get("/tours", headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'rel="alternate"' in page.headers["link"]
    for name in TOURS:
        assert f'href="/tours/{name}"' in page.text and f'href="/tours/{name}.pdf"' in page.text
    data = tc.get("/tours.json").json()
    assert [t["name"] for t in data["tours"]] == list(TOURS)
    assert all(t["steps"] >= 5 and t["title"]["zh"] and t["title"]["en"] for t in data["tours"])
    assert tc.get("/tours", headers={"accept": "application/json"}).json() == data


@pytest.mark.parametrize("name", TOURS)
def test_each_tour_page_and_json(tc, explorer, name):
    tour = get_tour(explorer.concept_graph, name)
    page = tc.get(f"/tours/{name}", headers=HTML)
    assert page.status_code == 200
    html = page.text
    assert "/static/vendor/vis-network-9.1.2/vis-network.min.js" in html
    assert "/static/js/tour-1.js" in html and "/static/css/tour-1.css" in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # nothing from outside the site
    assert f'href="/tours/{name}.pdf"' in html
    assert f"1 / {len(tour)}" in html
    data = island(html)
    assert data["tour"]["count"] == len(tour) and data["start"] == 1
    assert {n["id"] for n in data["vis"]["nodes"]} == tour.final.node_ids
    assert [s["new"] for s in data["steps"]] == [s.new for s in tour.steps]
    full = tc.get(f"/tours/{name}.json").json()
    assert full["name"] == name and len(full["steps"]) == len(tour)
    assert full["steps"][-1]["graph"]["counts"]["nodes"] == len(tour.final.nodes)
    one = tc.get(f"/tours/{name}.json?step=2").json()
    assert one["step"]["number"] == 2 and one["step"]["id"] == tour.steps[1].id


@pytest.mark.parametrize("query", ["", "?step=3"])
def test_a_tour_asked_for_json_is_its_json_twin(tc, query):
    twin = tc.get(f"/tours/tree.json{query}").json()
    assert tc.get(f"/tours/tree{query}", headers={"accept": "application/json"}).json() == twin
    assert ("steps" in twin and isinstance(twin["steps"], list)) if not query else twin["step"]["number"] == 3
    page = tc.get(f"/tours/tree{query}", headers=HTML)
    assert page.headers["link"].startswith(f'</tours/tree.json{query}>; rel="alternate"')
    if query:  # the page shows the step its JSON twin holds
        assert f'<h1 id="tour-title">{twin["step"]["title"]["zh"]}</h1>' in page.text


def test_permalink_renders_that_step(tc, explorer):
    tour = get_tour(explorer.concept_graph, "chain")
    step = tour.steps[5]
    html = tc.get("/tours/chain?step=6", headers=HTML).text
    assert f'<h1 id="tour-title">{step.title.zh}</h1>' in html
    assert f"6 / {len(tour)}" in html
    assert 'href="/tours/chain?step=5"' in html and 'href="/tours/chain?step=7"' in html
    assert island(html)["start"] == 6
    for q in step.quotes[:3]:
        assert q.exact in html
    assert "/articles/yanbian?quote=quote%2F" in html  # "read in context"
    english = tc.get("/tours/chain?step=6&lang=en", headers=HTML).text
    assert f'<h1 id="tour-title">{step.title.en}</h1>' in english
    assert 'lang="en"' in english and "Read in context" in english
    assert 'href="/tours/chain?step=7&amp;lang=en"' in english
    assert island(english)["lang"] == "en"


@pytest.mark.parametrize("name", TOURS)
def test_the_audience_page_never_carries_the_notes(tc, explorer, name):
    tour = get_tour(explorer.concept_graph, name)
    notes = {n.text.zh for s in tour.steps for n in s.notes if n.text.zh} | \
        {n.text.en for s in tour.steps for n in s.notes if n.text.en}
    assert notes
    for number in (1, len(tour)):
        html = tc.get(f"/tours/{name}?step={number}", headers=HTML).text
        assert not [note for note in notes if note in html]
        assert all("notes" not in step for step in island(html)["steps"])
        assert 'id="tour-notes"' not in html
        assert f'href="/tours/{name}/presenter?step={number}"' in html
        assert island(html)["links"]["presenter"] == f"/tours/{name}/presenter"


def test_presenter_page(tc, explorer):
    tour = get_tour(explorer.concept_graph, "tree")
    step = tour.steps[2]
    page = tc.get("/tours/tree/presenter?step=3", headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "/static/js/presenter-1.js" in html and "vis-network" not in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
    for note in step.notes:
        assert note.text.zh in html
    data = island(html)
    assert data["start"] == 3 and len(data["steps"]) == len(tour)
    assert [len(s["notes"]) for s in data["steps"]] == [len(s.notes) for s in tour.steps]
    assert 'href="/tours/tree?step=3"' in html  # the audience's page of the same step
    english = tc.get("/tours/tree/presenter?step=3&lang=en", headers=HTML).text
    assert step.notes[0].text.en in english and "Presenter view" in english
    assert tc.get("/tours/nope/presenter", headers=HTML).status_code == 404
    beyond = tc.get(f"/tours/tree/presenter?step={len(tour) + 1}", headers=HTML, follow_redirects=False)
    assert beyond.status_code == 307 and beyond.headers["location"].endswith(f"/tours/tree/presenter?step={len(tour)}")


def test_read_in_context_links_open_the_article(tc, explorer):
    data = tc.get("/tours/tree.json?step=2").json()
    quote = data["step"]["quotes"][0]
    path, _, anchor = quote["url"].partition("#")
    assert anchor == quote["paragraph"]
    page = tc.get(path, headers=HTML)
    assert page.status_code == 200 and quote["exact"] in page.text


def test_links_are_told_apart_in_the_page(tc):
    html = tc.get("/tours/problem-to-practice?step=5", headers=HTML).text
    assert 'class="links stated"' in html and 'class="links inferred"' in html


# -- errors ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/tours/nope", "/tours/nope.json", "/tours/nope.pdf"])
def test_unknown_tour_is_404(tc, url):
    response = tc.get(url + "?lang=zh", headers=HTML if not url.endswith((".json", ".pdf")) else {})
    assert response.status_code == 404
    if url.endswith(".json"):
        assert response.json()["error"]["code"] == "unknown_tour"
        assert "没有名为“nope”的演示" in response.json()["error"]["message"]
    elif not url.endswith(".pdf"):
        assert "没有名为“nope”的演示" in response.text


@pytest.mark.parametrize("query, nearest", [("step=0", 1), ("step=99", 6), ("step=-2", 1), ("step=abc", None)])
def test_a_step_out_of_range_goes_to_the_nearest_step_and_is_400_in_json(tc, query, nearest):
    page = tc.get(f"/tours/senge?{query}&lang=en", headers=HTML, follow_redirects=False)
    if nearest is None:  # not a number at all: 400 in the user's language
        assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    else:  # /tours/senge?step=99 → the last step, not a 400 page
        assert page.status_code == 307
        assert page.headers["location"].endswith(f"/tours/senge?step={nearest}&lang=en")
        assert tc.get(f"/tours/senge?{query}", headers=HTML).status_code == 200
    data = tc.get(f"/tours/senge.json?{query}&lang=en")
    assert data.status_code == 400 and data.json()["error"]["status"] == 400
    if nearest is not None:
        assert data.json()["error"]["code"] == "step_range"
        assert "The step must be from 1 to 6" in data.json()["error"]["message"]


# -- the PDF handout -----------------------------------------------------------------------------------------


@needs_graphviz
def test_pdf_handout_has_a_page_per_step(tc, explorer):
    from pypdf import PdfReader

    tour = get_tour(explorer.concept_graph, "senge")
    response = tc.get("/tours/senge.pdf?labels=zh")
    assert response.status_code == 200, response.text[:200]
    assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == len(tour)
    fonts = set()
    for page in reader.pages:
        assert round(float(page.mediabox.width)) in (595, 842)  # A4, portrait or landscape
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("NotoSansCJKsc" in f for f in fonts), fonts
    text = reader.pages[1].extract_text()
    assert tour.steps[1].title.zh in text.replace(" ", "")
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, timeout=60).stdout
        plain = out.decode("utf-8").replace(" ", "")
        assert "自我超越" in plain and tour.steps[2].title.zh in plain
        assert tour.steps[1].quotes[0].exact[:6] in plain


@needs_graphviz
def test_pdf_handout_in_english(tc, explorer):
    from pypdf import PdfReader

    response = tc.get("/tours/senge.pdf?labels=en")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == len(get_tour(explorer.concept_graph, "senge"))
    assert "Personal mastery" in reader.pages[1].extract_text()
    assert len(response.content) < 3_000_000  # no near-complete CJK font on every page
    assert tc.get("/tours/senge.pdf?labels=xx").status_code == 400


# -- a hostile label ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_client(explorer):
    with TestClient(tours_app(hostile_explorer(explorer))) as test_client:
        yield test_client


@pytest.mark.parametrize("url", ["/tours/tree?step=2", "/tours/tree?step=10", "/tours/tree?step=10&lang=en",
                                 "/tours/tree/presenter?step=10", "/tours/tree/presenter?step=10&lang=en",
                                 "/tours/senge?step=5", "/tours/problem-to-practice?step=2"])
def test_hostile_label_is_inert_on_tour_pages(hostile_client, url):
    response = hostile_client.get(url, headers=HTML)
    assert response.status_code == 200, url
    html = response.text
    for raw in HOSTILE:
        assert raw not in html, (url, raw)
    assert "<img src=x" not in html and "<script>alert" not in html and 'href="javascript:' not in html
    island(html)  # still parses


def test_hostile_label_survives_as_data_in_json(hostile_client):
    data = hostile_client.get("/tours/tree.json?step=10").json()
    assert data["step"]["subject"] == [TARGET]
    assert data["step"]["title"]["zh"] == HOSTILE[0]
    assert data["step"]["notes"][0]["text"]["zh"] == HOSTILE[2]


def test_an_english_tour_page_gives_each_quote_the_editors_rendering_under_the_chinese(tc):
    step = tc.get("/tours/tree.json").json()["steps"][0]
    assert step["quotes"] and all(q["en"] for q in step["quotes"])
    page = tc.get("/tours/tree?step=1&lang=en", headers=HTML).text
    english = page[page.index('id="tour-quotes-list"'):]
    for q in step["quotes"]:
        zh, en = english.index(str(escape(q["exact"]))), english.index(str(escape(q["en"])))
        assert zh < en  # under the verbatim Chinese
    assert english.count('class="tq-en"') == len(step["quotes"])
    chinese = tc.get("/tours/tree?step=1&lang=zh", headers=HTML).text
    quoted = chinese[chinese.index('id="tour-quotes-list"'):chinese.index('id="tour-links"')]
    assert str(escape(step["quotes"][0]["exact"])) in quoted
    assert 'class="tq-en"' not in quoted and str(escape(step["quotes"][0]["en"])) not in quoted
