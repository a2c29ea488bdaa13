"""The export menu follows the screen, in Chromium: the classes and relations hidden on the graph page, the
label language and the selected concept reach the exported file, from the links and from the form."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.support.browser import wait_for_graph
from tests.support.system import needs_graphviz

PART_CLASSES = ["Goal", "Institution", "Method", "Notion", "Organisation", "Practice", "Principle", "Result", "Slogan"]


@needs_graphviz
def test_hidden_classes_language_and_selection_reach_the_exports(page, server, tmp_path):
    page.goto(f"{server.url}/graph/tree")
    wait_for_graph(page)
    page.fill("#graph-find", "团队学习机制")
    page.press("#graph-find", "Enter")
    page.locator('input[name="labels"][value="en"]').check()
    for cls in PART_CLASSES:
        box = page.locator(f'#graph-classes input[value="{cls}"]')
        if box.count():
            box.uncheck()
    page.locator(".export-menu summary").click()
    links = page.locator(".export-menu a[data-format]")
    for i in range(links.count()):
        state = parse_qs(urlsplit(links.nth(i).get_attribute("href")).query)
        assert state["labels"] == ["en"] and state["selected"] == ["mechanism-team-learning"]
        assert "Practice" in state["hide_class"] and "Goal" in state["hide_class"]
    form = page.locator(".export-menu form")
    hidden = form.evaluate("f => Array.from(new FormData(f).entries())")
    assert ["labels", "en"] in hidden and ["selected", "mechanism-team-learning"] in hidden  # labels: a choice
    assert ["hide_class", "Practice"] in hidden
    # the form: an SVG at the drawing's own size, every node: the 21-node skeleton on screen
    form.locator('select[name="format"]').select_option("svg")
    form.locator('select[name="preset"]').select_option("none")
    form.locator('select[name="level"]').select_option("full")
    with page.expect_download(timeout=60000) as info:
        form.locator('button[type="submit"]').click()
    download = info.value
    assert download.suggested_filename == "45231-tree-full-en-filtered.svg"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    svg = path.read_text(encoding="utf-8")
    assert svg.count('class="node"') == 21 + 1  # the skeleton and the legend
    assert "Team learning mechanism" in svg.replace("\n", " ") or "Team learning" in svg
