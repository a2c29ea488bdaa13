"""A tour on a phone (390×844, touch): the drawing comes before the quotes, the tree's layers stack (each
name on a line of its own, no two boxes over each other), every label on the canvas at 16 px or more, and a
swipe steps the tour (left: next, right: back)."""

from __future__ import annotations

import pytest

from tests.support.tours import DRAWN_LABELS, NODE_BOXES, SETTLED, wait_for_tour

PHONE = {"width": 390, "height": 844}

SWIPE = """([dx]) => {
    const target = document.getElementById('tour-canvas');
    const r = target.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    const touch = (cx) => new Touch({identifier: 1, target, clientX: cx, clientY: y});
    target.dispatchEvent(new TouchEvent('touchstart', {touches: [touch(x - dx / 2)], changedTouches: [touch(x - dx / 2)], bubbles: true, cancelable: true}));
    target.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [touch(x + dx / 2)], bubbles: true, cancelable: true}));
}"""


def test_a_tour_on_a_phone(browser, server, watch, screenshots):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        page = context.new_page()
        watch.attach(page)
        page.goto(f"{server.url}/tours/tree?step=3")
        wait_for_tour(page)
        canvas = page.locator("#tour-canvas").bounding_box()
        quotes = page.locator("#tour-quotes").bounding_box()
        assert canvas["y"] < quotes["y"], "the drawing comes first"
        assert canvas["y"] < PHONE["height"] / 2 and canvas["height"] >= PHONE["height"] / 2
        for number in (3, 5, 10):
            page.evaluate(f"() => window.kgTour.go({number - 1}, false)")
            page.wait_for_function("() => !window.kgTour.moving")
            page.evaluate(SETTLED)
            drawn = page.evaluate(NODE_BOXES)
            assert not drawn["overlaps"], (number, drawn["overlaps"])
            labels = [lab for lab in page.evaluate(DRAWN_LABELS)["labels"] if lab["on"]]
            assert labels and min(lab["px"] for lab in labels) >= 16 - 0.05, number
            page.screenshot(path=str(screenshots / f"tour-tree-{number:02d}-phone.png"))
        page.evaluate("() => window.kgTour.go(2, false)")
        page.evaluate(SWIPE, [-160])  # to the left: next
        page.wait_for_function("() => window.kgTour.step === 4")
        page.evaluate(SWIPE, [160])  # to the right: back
        page.wait_for_function("() => window.kgTour.step === 3")
        page.evaluate(SWIPE, [20])  # a tap or a small move: nothing
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.kgTour.step") == 3
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        watch.check()
    finally:
        context.close()


PORTRAIT, LANDSCAPE = PHONE, {"width": 844, "height": 390}
PHONE_LEAST = 12  # the projector's 16 px rule is for the room; a phone is read at arm's length


def _phone(browser, size, lang):
    return browser.new_context(viewport=size, is_mobile=True, has_touch=True, locale="zh-CN" if lang == "zh" else "en")


def _settle(page, number):
    page.evaluate(f"() => window.kgTour.go({number - 1}, false)")
    page.wait_for_function("() => !window.kgTour.moving")
    page.evaluate(SETTLED)
    return page.evaluate(DRAWN_LABELS)


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["390x844", "844x390"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fruit_step_fits_a_phone(browser, server, client, watch, screenshots, size, lang):
    """On a phone the tree's overview (the fruit step) is wholly inside the canvas: its 5 layers and 15
    components, none cut at the canvas edge, every label drawn at 12 px or more (read off the drawing)."""
    tour = client.get("/tours/tree.json").json()
    bands = tour["layout"]["bands"]
    components = [c for b in bands for c in b["components"]]
    assert len(components) == 15
    fruit = next(s["number"] for s in tour["steps"] if s["id"] == bands[-1]["layer"])
    context = _phone(browser, size, lang)
    try:
        page = context.new_page()
        watch.attach(page)
        page.goto(f"{server.url}/tours/tree?step={fruit}&lang={lang}")
        wait_for_tour(page)
        drawn = _settle(page, fruit)
        page.screenshot(path=str(screenshots / f"tour-tree-fruit-{lang}-{size['width']}x{size['height']}.png"))
        by_id = {lab["id"]: lab for lab in drawn["labels"] if lab["kind"] == "node"}
        for cid in [*components, *(b["layer"] for b in bands)]:
            assert cid in by_id, f"{cid} not drawn"
            assert by_id[cid]["inside"], f"{cid} cut at the canvas edge: {by_id[cid]}"
        small = [(lab["id"], round(lab["px"], 1)) for lab in drawn["labels"] if lab["on"] and lab["px"] < PHONE_LEAST - 0.05]
        assert not small, small
        # the canvas lies wholly on the page, the quotes panel can be scrolled to
        canvas = page.locator("#tour-canvas").bounding_box()
        assert canvas["x"] >= 0 and canvas["x"] + canvas["width"] <= size["width"] + 0.5
        page.locator("#tour-quotes").scroll_into_view_if_needed()
        assert page.locator("#tour-quotes").is_visible()
        watch.check()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_tour_on_a_phone(browser, server, client, watch, screenshots, lang):
    """Every step of every tour at 390×844: no card cut at the canvas edge, every label on the canvas at
    12 px or more; a left swipe steps on. The smallest label per tour is printed for the report."""
    context = _phone(browser, PORTRAIT, lang)
    problems, smallest = [], {}
    try:
        page = context.new_page()
        watch.attach(page)
        for name in [t["name"] for t in client.get("/tours.json").json()["tours"]]:
            count = len(client.get(f"/tours/{name}.json").json()["steps"])
            page.goto(f"{server.url}/tours/{name}?step=1&lang={lang}")
            wait_for_tour(page)
            for number in range(1, count + 1):
                drawn = _settle(page, number)
                page.screenshot(path=str(screenshots / f"tour-{name}-{number:02d}-{lang}-phone.png"))
                nodes = [lab for lab in drawn["labels"] if lab["on"]]
                problems += [f"{name} {number}: {lab['id']} cut" for lab in nodes if lab["kind"] == "node" and not lab["inside"]]
                for lab in nodes:
                    smallest[name] = min(smallest.get(name, 99.0), lab["px"])
                    if lab["px"] < PHONE_LEAST - 0.05:
                        problems.append(f"{name} {number}: {lab['id']} at {lab['px']:.1f} px")
            page.evaluate("() => window.kgTour.go(0, false)")
            page.evaluate(SWIPE, [-160])
            page.wait_for_function("() => window.kgTour.step === 2")
        print(f"smallest label per tour at 390x844 ({lang}, px):", {k: round(v, 1) for k, v in smallest.items()})
        assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
        watch.check()
    finally:
        context.close()
