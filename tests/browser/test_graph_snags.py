"""The graph pages' snags of issue 17 in Chromium: the details panel opens on demand and keeps clear of the
drawing, Expand says what it added, the neighbourhood counter counts right."""

from __future__ import annotations

from tests.support.browser import wait_for_graph

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
        return {line: s.textDecorationLine, border: s.borderBottomStyle, bg: s.backgroundColor}; })""")
    assert len(styles) > 20
    assert all(s["line"] == "none" and s["border"] == "none" for s in styles)  # no underline at rest
    assert all(s["bg"] not in ("rgba(0, 0, 0, 0)", "transparent") for s in styles)  # a light shading
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
