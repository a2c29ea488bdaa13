"""A tour on a phone (390×844, touch): the drawing comes before the quotes, the tree's layers stack (each
name on a line of its own, no two boxes over each other), every label on the canvas at 16 px or more, and a
swipe steps the tour (left: next, right: back)."""

from __future__ import annotations

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
