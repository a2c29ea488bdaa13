"""Both languages all the way through, and the staff's snags (issue 17), in Chromium: axe on every page type in
both languages (error and candidate pages too, at a desktop's and a phone's size), the new controls from the
keyboard, the details panel on demand and clear of the drawing, Expand saying what it added, the tour's Esc, the
article's quote marks, the tree on a phone."""

from __future__ import annotations

import pytest

from tests.browser.test_pages import AXE_RUN, is_graph
from tests.support.browser import AXE, wait_for_graph

#: one page of each type, opened in each language (status: what it answers)
PAGE_TYPES = {
    "home": ("/", 200), "concept": ("/concepts/notion-learning-power-yanbian", 200), "browse": ("/concepts", 200),
    "class": ("/classes/Remedy", 200), "scheme": ("/schemes/scheme-senge", 200), "index": ("/index", 200),
    "article": ("/articles/zhonglou", 200), "search": ("/search?q=团对学习", 200),
    "search-scheme": ("/search?q=五项修炼", 200), "graph-tree": ("/graph/tree", 200),
    "graph-neighbourhood": ("/graph/neighbourhood?concept=mechanism-team-learning", 200),
    "paths": ("/paths?from=mechanism-team-learning&to=remedy-step-by-step", 200),
    "paths-ambiguous": ("/paths?from=学习力&to=mechanism-team-learning", 400),
    "paths-form": ("/paths", 200), "tours": ("/tours", 200), "sparql": ("/sparql", 200),
    "not-found": ("/concepts/zzz", 404), "neighbourhood-not-found": ("/graph/neighbourhood?concept=team-learning", 404),
    "bad-request": ("/graph/whole?offset=-1", 400),
}


def axe(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script> tag: the pages' CSP refuses inline script
    return page.evaluate(AXE_RUN)


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_is_axe_clean_in_both_languages(page, context, server, name, lang, size):
    url, status = PAGE_TYPES[name]
    if status != 200:  # the browser logs an error status as a console error: not a watched page
        page = context.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    response = page.goto(server.url + url + ("&" if "?" in url else "?") + f"lang={lang}")
    assert response.status == status, url
    assert page.evaluate("() => document.documentElement.lang") == ("en" if lang == "en" else "zh-CN")
    if status == 200 and is_graph(url):
        wait_for_graph(page)
    violations = axe(page)
    assert [(v["id"], v["impact"], v.get("nodes", [])[:2]) for v in violations] == [], url


def test_the_paths_suggestions_work_from_the_keyboard(page, server):
    page.goto(f"{server.url}/paths?lang=en")
    field = page.locator("#path-from")
    field.focus()
    page.keyboard.type("xuexili")
    page.wait_for_function("() => document.querySelectorAll('#path-from-list option').length >= 2")
    options = page.evaluate("() => [...document.querySelectorAll('#path-from-list option')].map(o => o.value)")
    shared = [o for o in options if o.startswith("Learning power ·")]
    assert len(shared) >= 2 and len(set(shared)) == len(shared)  # two concepts of one label told apart
    chosen = next(o for o in shared if "Yanbian" in o)
    field.fill(chosen)  # what picking the option does
    page.locator("#path-to").fill("mechanism-team-learning")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "from=" in url)
    assert "from=notion-learning-power-yanbian" in page.url  # the id behind the label was sent

CENTRE = "mechanism-team-learning"


def test_the_panel_opens_on_demand_beside_the_drawing_and_expand_says_what_it_added(page, server, client):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{server.url}/graph/neighbourhood?concept={CENTRE}&depth=1")
    wait_for_graph(page)
    assert page.locator("#graph-panel").is_hidden()  # not on page load
    canvas_before = page.locator("#graph-canvas").bounding_box()
    # Enter on the graph (the centre is selected) opens the details
    page.focus("#graph-canvas")
    page.keyboard.press("Enter")
    page.wait_for_selector("#graph-panel:not([hidden]) h2")
    panel = page.locator("#graph-panel").bounding_box()
    canvas = page.locator("#graph-canvas").bounding_box()
    assert canvas["width"] < canvas_before["width"]
    assert canvas["x"] + canvas["width"] <= panel["x"] + 1, (canvas, panel)  # nothing of the drawing covered
    # Expand a neighbour: the status line says what came, and the new concepts are inside the canvas
    around = {n["id"] for n in client.get(f"/graph/neighbourhood.json?concept={CENTRE}").json()["nodes"]}
    target = next(i for i in sorted(around) if i != CENTRE)
    before = set(page.evaluate("() => window.kgGraph.nodes.getIds()"))
    page.evaluate("(id) => window.kgGraph.expand(id)", target)
    page.wait_for_function("() => /展开/.test(document.getElementById('graph-status').textContent)")
    after = set(page.evaluate("() => window.kgGraph.nodes.getIds()"))
    status = page.locator("#graph-status").inner_text()
    added = after - before
    assert (f"新增 {len(added)} 个概念" in status) if added else ("没有新的概念" in status), status
    page.wait_for_timeout(700)  # the fit is animated
    inside = page.evaluate("""(ids) => { const net = window.kgGraph.network, box = document.getElementById('graph-canvas');
        return ids.every(id => { const p = net.canvasToDOM(net.getPositions([id])[id]);
            return p.x >= 0 && p.y >= 0 && p.x <= box.clientWidth && p.y <= box.clientHeight; }); }""", sorted(added))
    assert inside


def test_escape_outside_full_screen_stays_in_the_tour(page, server):
    page.goto(f"{server.url}/tours/tree?step=2")
    page.wait_for_function("() => window.kgTour && !window.kgTour.moving")
    before = page.url
    page.locator("body").press("Escape")
    page.wait_for_timeout(600)
    assert page.url == before


def test_the_article_marks_quotes_without_underlining_the_text(page, server):
    page.goto(f"{server.url}/articles/zhonglou")
    styles = page.evaluate("""() => [...document.querySelectorAll('.article a.q')].map(a => {
        const s = getComputedStyle(a);
        return {line: s.textDecorationLine, border: s.borderBottomStyle, bg: s.backgroundImage}; })""")
    assert len(styles) > 20
    assert all(s["line"] == "none" and s["border"] == "none" for s in styles)  # no underline at rest
    assert all(s["bg"] != "none" for s in styles)  # a light shading
    first = page.locator(".article a.q").first
    first.hover()
    assert page.evaluate("(a) => getComputedStyle(a).textDecorationLine", first.element_handle()) == "underline"
    assert first.get_attribute("title")  # the concepts, one hover away
    margin = page.evaluate("() => getComputedStyle(document.querySelector('.article a.q').closest('p')).borderLeftStyle")
    assert margin == "solid"


def test_the_tree_on_a_phone_comes_first_with_settings_folded_and_titles_apart(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/graph/tree?lang=en")
    wait_for_graph(page)
    canvas = page.locator("#graph-canvas").bounding_box()
    assert canvas["y"] < 600 and canvas["y"] + canvas["height"] > 844 * 0.9  # the graph fills the first screen
    assert page.evaluate("() => document.getElementById('graph-side').open") is False  # settings folded
    page.locator("#graph-side > summary").click()
    assert page.locator("#graph-classes").is_visible()  # one tap opens them
    # the nodes open readable (not a whole tree at 2 px)
    assert page.evaluate("() => window.kgGraph.network.getScale()") * 14 >= 11
    # the layer titles stay inside their own bands, so they never print over each other: at the phone's zoom
    # and at the whole tree's ("Fit")
    for _ in range(2):
        labels = page.evaluate("() => window.kgGraph.bandLabels()")
        assert len(labels) == 5
        for lab in labels:
            assert lab["band"][0] <= lab["text"][0] and lab["text"][1] <= lab["band"][1] + 1, lab
        spans = sorted(lab["band"] for lab in labels)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
        page.locator('[data-action="fit"]').click()
        page.wait_for_timeout(700)
