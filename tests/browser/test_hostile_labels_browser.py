"""A concept whose label, alternative label and definition are markup (tests/test_hostile_labels.py, but
in a real browser): every page that shows it runs no script and opens no dialog."""

from __future__ import annotations

import pytest

from tests.support.browser import wait_for_graph
from tests.support.hostile import HOSTILE, TARGET as HOSTILE_TARGET

PAGES = [f"/concepts/{HOSTILE_TARGET}", "/search?q=img", "/search?q=script", "/concepts", "/index",
         "/graph/tree", "/graph/whole", f"/graph/neighbourhood?concept={HOSTILE_TARGET}&depth=1",
         f"/paths?from={HOSTILE_TARGET}&to=layer-roots"]


@pytest.mark.parametrize("url", PAGES)
def test_hostile_text_stays_text(page, hostile_server, url):
    page.goto(hostile_server.url + url)
    if url.startswith(("/graph/", "/paths")):
        wait_for_graph(page)
        # the node's panel shows the label as text
        page.evaluate("(id) => window.kgGraph.focus(id)", HOSTILE_TARGET)
        page.wait_for_selector("#graph-panel:not([hidden]) h2")
        assert page.locator("#graph-panel h2").inner_text() == HOSTILE[0]
        # and its tooltip, shown on hover, is text too (once the focus animation is over)
        page.locator("#graph-canvas").scroll_into_view_if_needed()
        page.wait_for_timeout(600)
        spot = page.evaluate("""(id) => {
            const net = window.kgGraph.network;
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById('graph-canvas').getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y, hit: net.getNodeAt(p)}; }""", HOSTILE_TARGET)
        if spot["hit"] == HOSTILE_TARGET:
            page.mouse.move(spot["x"] - 20, spot["y"])
            page.mouse.move(spot["x"], spot["y"], steps=4)
            page.wait_for_selector("div.vis-tooltip", state="visible")
            tip = page.locator("div.vis-tooltip")
            assert HOSTILE[0] in tip.inner_text() and tip.locator("*:not(br)").count() == 0
    page.wait_for_timeout(200)  # an onerror would have fired by now
    assert page.locator("img[src='x'], img[onerror]").count() == 0
    assert page.evaluate("() => [...document.scripts].filter(s => s.textContent.includes('alert(1)') && s.type !== 'application/json').length") == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    if url.startswith("/concepts/"):
        assert HOSTILE[0] in page.locator("h1").inner_text()
    # the page fixture fails the test on any dialog (alert) or console error


def test_hostile_text_in_the_embedded_neighbourhood(page, hostile_server):
    page.goto(f"{hostile_server.url}/concepts/{HOSTILE_TARGET}")
    frame = page.frame_locator("iframe.neighbourhood")
    frame.locator("#graph-canvas[data-ready]").wait_for(state="attached")
    page.wait_for_timeout(200)
    assert page.locator("img[src='x']").count() == 0
