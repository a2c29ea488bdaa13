"""The interactive graph pages in Chromium, used as a person would: the drawing, clicking a node, the find
box, the keyboard, the permalink of the view's state and the export menu."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import ink, wait_for_graph
from tests.support.system import needs_graphviz

VIEWS = ["tree", "chain", "cross"]
MAGIC = {"svg": (b"<?xml", b"<svg"), "png": (b"\x89PNG\r\n\x1a\n",), "pdf": (b"%PDF-",),
         "html": (b"<!doctype html>", b"<!DOCTYPE html>")}


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def panel_title(page) -> str:
    page.wait_for_selector("#graph-panel:not([hidden]) h2")
    return page.locator("#graph-panel h2").inner_text().strip()


def node_on_screen(page, node_id: str) -> dict:
    """The page coordinates of a node's centre (vis-network's canvas → DOM, plus the canvas's offset)."""
    return page.evaluate("""(id) => {
        const net = window.kgGraph.network;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.getElementById('graph-canvas').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y, hit: net.getNodeAt(p)};
    }""", node_id)


@pytest.mark.parametrize("view", VIEWS)
def test_graph_draws_every_node_of_the_view(page, server, client, view):
    expected = client.get(f"/graph/{view}.json").json()
    page.goto(f"{server.url}/graph/{view}")
    wait_for_graph(page)
    assert ink(page) > 20000, "the canvas is blank"
    drawn = page.evaluate("() => window.kgGraph.nodes.getIds()")
    assert sorted(drawn) == sorted(n["id"] for n in expected["nodes"])
    assert page.evaluate("() => window.kgGraph.edges.length") == len(expected["edges"])
    status = page.locator("#graph-status").inner_text()
    assert f"{len(expected['nodes'])} 个概念" in status and f"{len(expected['edges'])} 条关系" in status
    # the find box offers every node
    assert page.locator("#graph-find-list option").count() == len(expected["nodes"])
    # "Fit" shows every node inside the canvas
    page.locator('[data-action="fit"]').click()
    box = page.locator("#graph-canvas").bounding_box()
    outside_js = """(box) => {
        const net = window.kgGraph.network, pos = net.getPositions();
        return Object.keys(pos).filter(id => { const p = net.canvasToDOM(pos[id]);
            return p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height; });
    }"""
    try:  # the fit is animated: on a busy machine it may take more than its half second
        page.wait_for_function(f"(box) => ({outside_js})(box).length === 0", arg=box, timeout=5000)
    except Exception:
        pass  # the assertion below names the nodes left outside
    outside = page.evaluate(outside_js, box)
    assert outside == []


def test_clicking_a_node_opens_its_panel(page, server, client):
    data = client.get("/graph/chain.json").json()
    page.goto(f"{server.url}/graph/chain")
    wait_for_graph(page)
    # a node that nothing else covers at its centre
    for node in sorted(data["nodes"], key=lambda n: n.get("role") != "main"):
        spot = node_on_screen(page, node["id"])
        if spot["hit"] == node["id"]:
            break
    else:
        pytest.fail("no node can be clicked")
    assert page.locator("#graph-panel").is_hidden()
    page.mouse.click(spot["x"], spot["y"])
    assert panel_title(page) == node["label"]["zh"]
    assert page.locator("#graph-panel a", has_text="概念页").get_attribute("href") == f"/concepts/{node['id']}"
    assert query(page)["selected"] == [node["id"]]
    # the close button closes it and forgets the selection
    page.locator("#graph-panel button.close").click()
    assert page.locator("#graph-panel").is_hidden()
    assert "selected" not in query(page)


def test_the_find_box_selects_and_opens_a_node(page, server):
    page.goto(f"{server.url}/graph/tree")
    wait_for_graph(page)
    page.fill("#graph-find", "团队学习机制")
    page.press("#graph-find", "Enter")
    assert panel_title(page) == "团队学习机制"
    assert page.evaluate("() => window.kgGraph.network.getSelectedNodes()") == ["mechanism-team-learning"]


def test_the_graph_works_from_the_keyboard(page, server):
    page.goto(f"{server.url}/graph/chain")
    wait_for_graph(page)
    # Tab reaches the graph: it is the focusable element just before the "text list" link
    page.focus('#graph-keys a[href="#graph-list"]')
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.id") == "graph-canvas"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    # an arrow selects a node and says which
    page.keyboard.press("ArrowRight")
    first = page.evaluate("() => window.kgGraph.network.getSelectedNodes()")
    assert len(first) == 1
    assert "已选" in page.locator("#graph-status").inner_text()
    assert page.locator("#graph-panel").is_hidden()
    # arrows move the selection to another node in that direction
    moved = []
    for key in ("ArrowDown", "ArrowRight", "ArrowDown", "ArrowLeft"):
        page.keyboard.press(key)
        moved.append(page.evaluate("() => window.kgGraph.network.getSelectedNodes()[0]"))
    assert len(set(moved) | {first[0]}) >= 3
    positions = page.evaluate("(ids) => window.kgGraph.network.getPositions(ids)", [first[0], moved[0]])
    assert positions[moved[0]]["y"] > positions[first[0]]["y"]  # ArrowDown went down
    # Enter opens the panel of the selected node, Escape closes it
    current = moved[-1]
    page.keyboard.press("Enter")
    label = page.evaluate("(id) => window.kgGraph.nodes.get(id).label_zh", current)
    assert panel_title(page) == label
    assert query(page)["selected"] == [current]
    page.keyboard.press("Escape")
    assert page.locator("#graph-panel").is_hidden()
    assert page.evaluate("() => document.activeElement.id") == "graph-canvas"


def test_the_text_alternative_lists_nodes_and_links(page, server, client):
    data = client.get("/graph/cross.json").json()
    page.goto(f"{server.url}/graph/cross")
    wait_for_graph(page)
    details = page.locator("details#graph-list")
    assert details.get_attribute("open") is None
    page.locator('#graph-keys a[href="#graph-list"]').click()
    # the page's script opens it on the link's hashchange: wait for it (an assert right after the click raced)
    page.wait_for_function("() => document.querySelector('details#graph-list').open", timeout=5000)
    assert details.get_attribute("open") is not None
    tables = details.locator("table")
    assert tables.nth(0).locator("tbody tr").count() == len(data["nodes"])
    assert tables.nth(1).locator("tbody tr").count() == len(data["edges"])
    first = data["nodes"][0]
    assert tables.nth(0).locator(f'a[href="/concepts/{first["id"]}"]').inner_text().startswith(first["label"]["zh"])


def test_the_url_keeps_the_view_state_across_a_reload(page, server):
    page.goto(f"{server.url}/graph/tree")
    wait_for_graph(page)
    page.fill("#graph-find", "团队学习机制")
    page.press("#graph-find", "Enter")
    assert panel_title(page) == "团队学习机制"
    page.locator('input[name="labels"][value="en"]').check()
    page.locator('#graph-classes input[value="Practice"]').uncheck()
    page.locator('#graph-relations input[value="partOf"]').uncheck()
    state = query(page)
    assert state["selected"] == ["mechanism-team-learning"] and state["labels"] == ["en"]
    assert state["hide_class"] == ["Practice"] and state["hide_relation"] == ["partOf"]
    shown = page.locator("#graph-status").inner_text()
    assert "个概念" in shown
    # the language switch and the export menu follow the state
    switch = page.locator("a.lang-switch").get_attribute("href")
    assert "selected=mechanism-team-learning" in switch and "lang=en" in switch
    assert all("labels=en" in (a.get_attribute("href") or "")
               for a in page.locator(".export-menu a[data-format]").all())

    page.reload()
    wait_for_graph(page)
    assert panel_title(page) == "团队学习机制"
    assert page.evaluate("() => window.kgGraph.network.getSelectedNodes()") == ["mechanism-team-learning"]
    assert page.locator('input[name="labels"][value="en"]').is_checked()
    assert page.evaluate("() => window.kgGraph.nodes.get('mechanism-team-learning').label") == "Team learning mechanism"
    assert not page.locator('#graph-classes input[value="Practice"]').is_checked()
    assert not page.locator('#graph-relations input[value="partOf"]').is_checked()
    assert page.locator("#graph-status").inner_text() == shown

    # a shared link opens the same state in a fresh page
    other = page.context.new_page()
    other.goto(page.url)
    wait_for_graph(other)
    assert other.locator("#graph-panel h2").inner_text() == "团队学习机制"
    assert other.locator('input[name="labels"][value="en"]').is_checked()
    other.close()


def test_neighbourhood_depth_is_in_the_url(page, server):
    page.goto(f"{server.url}/graph/neighbourhood?concept=layer-roots&depth=1&labels=both")
    wait_for_graph(page)
    before = page.evaluate("() => window.kgGraph.nodes.length")
    with page.expect_navigation():
        page.select_option("#graph-depth", "2")
    wait_for_graph(page)
    state = query(page)
    assert state["depth"] == ["2"] and state["concept"] == ["layer-roots"] and state["labels"] == ["both"]
    assert page.evaluate("() => window.kgGraph.nodes.length") > before


@needs_graphviz
@pytest.mark.parametrize("view", ["tree"])
def test_every_export_button_downloads_a_valid_file(page, server, view, tmp_path):
    page.goto(f"{server.url}/graph/{view}")
    wait_for_graph(page)
    page.locator(".export-menu summary").click()
    links = page.locator(".export-menu a[data-format]")
    formats = [links.nth(i).get_attribute("data-format") for i in range(links.count())]
    assert set(formats) == {"html", "pdf", "png", "svg"}
    for i, fmt in enumerate(formats):
        with page.expect_download(timeout=60000) as info:
            links.nth(i).click()
        download = info.value
        assert download.failure() is None
        assert download.suggested_filename.endswith(f".{fmt}")
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        head = path.read_bytes()[:64].lstrip()
        assert head.startswith(MAGIC[fmt]), (fmt, head[:20])
        assert path.stat().st_size > 1000


def test_reload_with_this_selection_asks_the_server_for_the_filtered_view(page, server, client):
    page.goto(f"{server.url}/graph/chain")
    wait_for_graph(page)
    page.fill("#graph-find", "集体学习")
    page.press("#graph-find", "Enter")
    assert page.evaluate("() => window.kgGraph.network.getSelectedNodes().length") == 1, "find selects the concept"
    selected = page.evaluate("() => window.kgGraph.network.getSelectedNodes()[0]")
    page.locator('#graph-relations input[value="hinders"]').uncheck()
    with page.expect_navigation():
        page.locator("form.graph-controls button[type=submit]").click()
    wait_for_graph(page)
    state = query(page)
    assert "hinders" not in state["relation"] and "addresses" in state["relation"]
    assert "class" not in state  # every class ticked: no class filter sent
    assert state["selected"] == [selected]
    expected = client.get("/graph/chain.json", params={"relation": state["relation"]}).json()
    assert page.evaluate("() => window.kgGraph.edges.length") == len(expected["edges"])
    assert page.locator('#graph-relations input[value="hinders"]').count() == 0


def test_show_more_adds_the_next_page_of_a_paged_view(page, server, client):
    """A large graph comes a page at a time; here the whole bundled graph in pages of 80."""
    total = len(client.get("/graph/whole.json").json()["nodes"])
    first = client.get("/graph/whole.json", params={"limit": 80}).json()
    second = client.get("/graph/whole.json", params={"limit": 80, "offset": 80}).json()
    page.goto(f"{server.url}/graph/whole?limit=80&lang=en")
    wait_for_graph(page)
    assert page.evaluate("() => window.kgGraph.nodes.length") == 80
    assert page.locator("#graph-shown").inner_text() == f"showing 80 of {total} concepts"
    page.locator('[data-action="more"]').click()
    page.wait_for_function("() => window.kgGraph.nodes.length === 160")
    drawn = set(page.evaluate("() => window.kgGraph.nodes.getIds()"))
    assert drawn == {n["id"] for n in first["nodes"]} | {n["id"] for n in second["nodes"]}
    assert page.locator("#graph-shown").inner_text() == f"showing 160 of {total} concepts"
    page.locator('[data-action="more"]').click()
    page.wait_for_function(f"() => window.kgGraph.nodes.length === {total}")
    assert page.locator('[data-action="more"]').is_hidden()
    assert page.evaluate("() => window.kgGraph.edges.length") == len(client.get("/graph/whole.json").json()["edges"])
