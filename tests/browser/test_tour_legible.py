"""The tours read from the back of a room: at a projector's 1024×768 every label drawn on a tour's canvas
(nodes and links) is read off the drawing itself (vis-network's camera scale × the label's font size, for
each label whose box lies on the canvas), in every step of every tour: what the step is about at 24 px or
more, nothing under 16 px; what the step is about and is not in the picture is named beside it.  The same
at 1366×768 and 1920×1080.  The tree tour's fruit step shows the whole overview: its 15 components inside
the canvas at 16 px or more.
Screenshots of every step go to ``$KG_SCREENSHOTS`` (tests/browser/screenshots/) for a person to look at."""

from __future__ import annotations

import pytest

from tests.support.browser import LARGE, SMALL
from tests.support.tours import DRAWN_LABELS, PROJECTOR, SETTLED, wait_for_tour

#: every label on the canvas: its drawn size in pixels (the camera's scale × its font size), whether its box
#: lies on the canvas and wholly inside it, whether it is one of the step's subject
CARD_PX = """() => { const card = document.getElementById('tour-card');
    if (!card || card.hidden) return null;
    return Math.min(...[...card.querySelectorAll('p')].map(p => parseFloat(getComputedStyle(p).fontSize))); }"""


def settle(page, number: int) -> dict:
    page.evaluate(f"() => window.kgTour.go({number - 1}, false)")
    page.wait_for_function("() => !window.kgTour.moving")  # the tree's nodes move into their places
    page.evaluate(SETTLED)
    return page.evaluate(DRAWN_LABELS)


@pytest.mark.parametrize("size,lang", [(PROJECTOR, "zh"), (PROJECTOR, "en"), (SMALL, "zh"), (SMALL, "en"),
                                       (LARGE, "zh"), (LARGE, "en")],
                         ids=["1024x768-zh", "1024x768-en", "1366x768-zh", "1366x768-en", "1920x1080-zh",
                              "1920x1080-en"])
def test_every_label_of_every_step_is_legible(page, server, client, screenshots, size, lang):
    page.set_viewport_size(size)
    problems, smallest = [], {}
    for name in [t["name"] for t in client.get("/tours.json").json()["tours"]]:
        count = len(client.get(f"/tours/{name}.json").json()["steps"])
        page.goto(f"{server.url}/tours/{name}?step=1&lang={lang}")
        wait_for_tour(page)
        for number in range(1, count + 1):
            where = f"{name} {number}/{count} ({lang})"
            drawn = settle(page, number)
            if size == PROJECTOR:
                page.screenshot(path=str(screenshots / f"tour-{name}-{number:02d}-{lang}-1024x768.png"))
            on = [lab for lab in drawn["labels"] if lab["on"]]
            assert on, f"{where}: nothing drawn"
            for lab in on:
                smallest[name] = min(smallest.get(name, 99.0), lab["px"])
                if lab["px"] < 16 - 0.05:
                    problems.append(f"{where}: {lab['kind']} {lab['id']} drawn at {lab['px']:.1f} px")
            subjects = [lab for lab in drawn["labels"] if lab["subject"]]
            card = page.evaluate(CARD_PX)
            for lab in subjects:
                if lab["inside"]:
                    if lab["px"] < 24 - 0.05 and not (card and card >= 24):
                        problems.append(f"{where}: the subject {lab['id']} drawn at {lab['px']:.1f} px")
                elif lab["id"] not in drawn["offstage"]:
                    problems.append(f"{where}: the subject {lab['id']} is neither in the picture nor named beside it")
    print(f"smallest label per tour at {size['width']}x{size['height']} ({lang}, px):",
          {k: round(v, 1) for k, v in smallest.items()})
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fruit_step_shows_the_whole_tree(page, server, client, lang):
    """Steps 1–5 grow the 45231 model in one frame: the camera does not move, and at the fruit step the
    5 layers and 15 components are all inside the canvas, drawn at 16 px or more (in English too, whose
    labels are longer: they are wrapped in boxes sized to them, or drawn as the editors' contractions,
    never shrunk); every label on the canvas is 16 px or more and the fruit, the step's subject, 24 px."""
    page.set_viewport_size(PROJECTOR)
    tour = client.get("/tours/tree.json").json()
    bands = tour["layout"]["bands"]
    components = [c for b in bands for c in b["components"]]
    assert len(bands) == 5 and len(components) == 15
    fruit = next(s["number"] for s in tour["steps"] if s["id"] == bands[-1]["layer"])
    page.goto(f"{server.url}/tours/tree?step=1&lang={lang}")
    wait_for_tour(page)
    views, places = [], {}
    for number in range(1, fruit + 1):
        drawn = settle(page, number)
        views.append(page.evaluate("() => [window.kgTour.network.getScale(), window.kgTour.network.getViewPosition()]"))
        centres = page.evaluate("() => window.kgTour.network.getPositions()")
        for cid, p in centres.items():
            places.setdefault(cid, set()).add((round(p["x"]), round(p["y"])))
    assert all(v == views[0] for v in views), f"the camera moved while the tree grew: {views}"
    by_id = {lab["id"]: lab for lab in drawn["labels"]}
    for cid in [*components, *(b["layer"] for b in bands)]:
        assert cid in by_id, f"{cid} not drawn at the fruit step"
        assert by_id[cid]["inside"], f"{cid} not inside the canvas: {by_id[cid]}"
        assert by_id[cid]["px"] >= 16 - 0.05, f"{cid} drawn at {by_id[cid]['px']:.1f} px"
    # an earlier layer's components stay where they were drawn (nothing slides away as the tree grows)
    moved = [cid for cid in components if len(places.get(cid, ())) > 1]
    assert not moved, f"components moved while the tree grew: {moved}"
    small = [(lab["id"], round(lab["px"], 1)) for lab in drawn["labels"] if lab["on"] and lab["px"] < 16 - 0.05]
    assert not small, small
    assert by_id[bands[-1]["layer"]]["px"] >= 24 - 0.05
    # the components as large as the room allows: at 1024×768 in both languages at 20 px or more (the
    # English, longer, with the editors' contractions and the cards of a line sized to their labels)
    least = min(by_id[cid]["px"] for cid in components)
    assert least >= 20 - 0.05, f"the components drawn at {least:.1f} px"
    # a card the canvas cuts at its edge cannot be read: every node drawn is wholly inside
    assert all(lab["inside"] for lab in drawn["labels"] if lab["kind"] == "node" and lab["on"]), \
        [lab["id"] for lab in drawn["labels"] if lab["kind"] == "node" and lab["on"] and not lab["inside"]]


#: every node drawn: its label as given, and the lines vis-network drew it in
DRAWN_LINES = """() => { const net = window.kgTour.network;
    return net.body.nodeIndices.map(id => { const node = net.body.nodes[id];
        return [id, String(node.options.label), node.labelModule.lines.map(l => l.blocks.map(b => b.text).join(''))]; }); }"""


@pytest.mark.parametrize("size,lang", [(PROJECTOR, "zh"), (PROJECTOR, "en"), (SMALL, "zh"), (SMALL, "en"),
                                       (LARGE, "zh"), (LARGE, "en")],
                         ids=["1024x768-zh", "1024x768-en", "1366x768-zh", "1366x768-en", "1920x1080-zh",
                              "1920x1080-en"])
def test_no_word_of_the_overview_is_cut_in_two(page, server, client, size, lang):
    """The overview's cards are as wide as their labels need: vis-network never has to break an English word
    in two, nor a line of Chinese the page wrapped (which it would, leaving a blank line, when the line is
    longer than its card)."""
    page.set_viewport_size(size)
    bands = client.get("/tours/tree.json").json()["layout"]["bands"]
    page.goto(f"{server.url}/tours/tree?step={len(bands)}&lang={lang}")
    wait_for_tour(page)
    page.wait_for_function("() => !window.kgTour.moving")
    page.evaluate(SETTLED)
    cut = []
    for cid, label, lines in page.evaluate(DRAWN_LINES):
        if lang == "en":
            if " ".join(lines).split() != label.split():
                cut.append((cid, lines))
        elif lines != label.split("\n"):
            cut.append((cid, lines, label))
    assert not cut, cut


@pytest.mark.parametrize("size,lang", [(PROJECTOR, "zh"), (PROJECTOR, "en"), (LARGE, "en")],
                         ids=["1024x768-zh", "1024x768-en", "1920x1080-en"])
def test_the_model_is_the_title_of_the_overview(page, server, client, size, lang):
    """As on the design slide, the model's own card is the drawing's title: above every band, across the
    middle, at 24 px or more, wholly inside the canvas; not a card of the fruit's band (its box lies above
    the fruit's).  The same in the overview (O)."""
    page.set_viewport_size(size)
    tour = client.get("/tours/tree.json").json()
    model, bands = tour["layout"]["model"], tour["layout"]["bands"]
    fruit = next(s["number"] for s in tour["steps"] if s["id"] == bands[-1]["layer"])
    page.goto(f"{server.url}/tours/tree?step=1&lang={lang}")
    wait_for_tour(page)
    for view in ("step 1", "fruit", "overview"):
        if view == "fruit":
            drawn = settle(page, fruit)
        elif view == "overview":
            page.keyboard.press("o")
            page.wait_for_function("() => !window.kgTour.moving")
            page.evaluate(SETTLED)
            drawn = page.evaluate(DRAWN_LABELS)
        else:
            drawn = settle(page, 1)
        nodes = {lab["id"]: lab for lab in drawn["labels"] if lab["kind"] == "node" and lab["on"]}
        title = nodes.get(model)
        assert title, f"{view}: the model is not drawn"
        assert title["inside"] and title["px"] >= 24 - 0.05, f"{view}: {title}"
        others = [lab for cid, lab in nodes.items() if cid != model]
        assert others and all(title["bottom"] <= lab["top"] + 0.5 for lab in others), \
            f"{view}: the title is not above the bands: {[lab['id'] for lab in others if lab['top'] < title['bottom']]}"
        middle = (title["left"] + title["right"]) / 2
        assert abs(middle - drawn["width"] / 2) < 0.05 * drawn["width"], f"{view}: the title is off centre: {title}"
        assert all(lab["inside"] for lab in others), [lab["id"] for lab in others if not lab["inside"]]


@pytest.mark.parametrize("size", [PROJECTOR, SMALL, LARGE], ids=["1024x768", "1366x768", "1920x1080"])
def test_no_card_is_cut_at_the_edge_in_the_english_chain(page, server, client, size):
    """The chain tour in English (long labels): at every step every concept drawn lies wholly inside the
    canvas; what the frame would cut is left out of the drawing (what the step adds is listed beside it,
    what it is about named there), and the step still draws its subject."""
    page.set_viewport_size(size)
    count = len(client.get("/tours/chain.json").json()["steps"])
    page.goto(f"{server.url}/tours/chain?step=1&lang=en")
    wait_for_tour(page)
    cut = []
    for number in range(1, count + 1):
        drawn = settle(page, number)
        nodes = [lab for lab in drawn["labels"] if lab["kind"] == "node" and lab["on"]]
        cut += [f"{number}: {lab['id']}" for lab in nodes if not lab["inside"]]
        assert any(lab["subject"] for lab in nodes) or drawn["offstage"], f"step {number} draws nothing it is about"
    assert not cut, f"cards cut at the canvas edge: {cut}"


def test_overview_and_full_screen(page, server, client, screenshots):
    """O shows the tree's whole skeleton (the model, 5 layers, 15 components) inside the canvas at 16 px or
    more, and another tour's outline (every step) in type of 16 px or more; F gives the graph the screen."""
    page.set_viewport_size(PROJECTOR)
    tour = client.get("/tours/tree.json").json()
    skeleton = [tour["layout"]["model"], *(b["layer"] for b in tour["layout"]["bands"]),
                *(c for b in tour["layout"]["bands"] for c in b["components"])]
    page.goto(f"{server.url}/tours/tree?step=12")
    wait_for_tour(page)
    page.keyboard.press("o")
    page.wait_for_function("() => !window.kgTour.moving")
    page.evaluate(SETTLED)
    drawn = {lab["id"]: lab for lab in page.evaluate(DRAWN_LABELS)["labels"]}
    assert set(skeleton) <= set(drawn), set(skeleton) - set(drawn)
    assert all(drawn[cid]["inside"] and drawn[cid]["px"] >= 16 - 0.05 for cid in skeleton), \
        [(cid, drawn[cid]) for cid in skeleton if not (drawn[cid]["inside"] and drawn[cid]["px"] >= 16 - 0.05)]
    page.keyboard.press("o")  # back to the step
    page.wait_for_function("() => !window.kgTour.moving")
    assert "mechanism-deepening" in page.evaluate("() => window.kgTour.framed")
    # another tour: its outline, every step a button, this one marked
    steps = client.get("/tours/chain.json").json()["steps"]
    page.goto(f"{server.url}/tours/chain?step=3")
    wait_for_tour(page)
    page.keyboard.press("o")
    outline = page.locator("#tour-outline")
    assert outline.is_visible()
    assert outline.locator("li").count() == len(steps)
    assert outline.locator('li[aria-current="step"]').inner_text() == steps[2]["title"]["zh"]
    assert page.evaluate("""() => Math.min(...[...document.querySelectorAll('#tour-outline li')]
        .map(li => parseFloat(getComputedStyle(li).fontSize)))""") >= 16
    outline.locator("li button").nth(5).click()
    page.wait_for_function("() => window.kgTour.step === 6")
    assert not outline.is_visible()
    # F: the graph takes the screen
    page.goto(f"{server.url}/tours/tree?step=5")
    wait_for_tour(page)
    before = page.evaluate("() => document.getElementById('tour-canvas').clientWidth")
    page.keyboard.press("f")
    page.wait_for_function("() => !!document.fullscreenElement")
    page.wait_for_function(f"() => document.getElementById('tour-canvas').clientWidth > {before}")
    page.wait_for_timeout(300)
    size = page.evaluate("""() => { const c = document.getElementById('tour-canvas');
        return [c.clientWidth, c.clientHeight, window.innerWidth, window.innerHeight]; }""")
    assert size[0] >= 0.95 * size[2] and size[1] >= 0.6 * size[3], size
    page.wait_for_function("() => !window.kgTour.moving")
    page.evaluate(SETTLED)
    labels = page.evaluate(DRAWN_LABELS)["labels"]
    assert all(lab["px"] >= 16 - 0.05 for lab in labels if lab["on"])
    assert all(lab["inside"] for lab in labels if lab["id"] in skeleton)
    page.screenshot(path=str(screenshots / "tour-tree-05-fullscreen-1024x768.png"))
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.fullscreenElement")
