"""A tour in Chromium, stepped through as a trainer does it: the keyboard (→, space, ←, End, Home), the
progress and the permalink of each step, a reload, the drawing and the quotes, and the language switch that
keeps the step; every step of every tour at a projector's 1024×768 and a laptop's 1366×768: what the camera
frames inside the canvas and readable, no node over another, the new concepts clear of the navigation bar, the buttons on one
line; screenshots of a step at 1366×768 and 1920×1080 for a person to look at on a projector."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import LARGE, SMALL
from tests.support.tours import INK, NODE_BOXES, PROJECTOR, SETTLED, progress, wait_for_tour

TOUR = "tree"


def step_in_url(page) -> int:
    return int(parse_qs(urlsplit(page.url).query)["step"][0])


def shows(page, tour: dict, number: int, lang: str = "zh") -> None:
    """Step ``number`` is on the page: its progress, permalink, title and first quote (in English, with the
    editors' rendering under it, marked as theirs)."""
    step = tour["steps"][number - 1]
    assert progress(page) == (number, len(tour["steps"]))
    assert page.locator("#tour-title").inner_text() == step["title"][lang]
    if step["quotes"]:
        quotes = page.locator("#tour-quotes-list").inner_text()
        assert step["quotes"][0]["exact"] in quotes
        rendered = page.locator("#tour-quotes-list .tq-en")
        if lang == "en":
            assert step["quotes"][0]["en"] in quotes and "Editors' translation" in quotes
            assert rendered.count() == len(step["quotes"])
        else:
            assert rendered.count() == 0


def test_tour_steps_by_keyboard_and_keeps_the_step(page, watch, server, client):
    tour = client.get(f"/tours/{TOUR}.json").json()
    count = len(tour["steps"])
    assert count >= 6
    page.goto(f"{server.url}/tours/{TOUR}")
    wait_for_tour(page)
    shows(page, tour, 1)
    for key, number in (("ArrowRight", 2), ("Space", 3), ("ArrowLeft", 2), ("End", count), ("Home", 1)):
        page.keyboard.press(key)
        shows(page, tour, number)
        assert step_in_url(page) == number, key
    # the permalink of a step: a reload opens it
    page.goto(f"{server.url}/tours/{TOUR}?step=5")
    wait_for_tour(page)
    shows(page, tour, 5)
    page.reload()
    wait_for_tour(page)
    shows(page, tour, 5)
    # the canvas is drawn, and the step's new concepts are named beside it
    assert page.evaluate(INK) > 20000, "the canvas is blank"
    assert page.locator("#tour-new .chip").count() == len(tour["steps"][4]["new"])
    # the language switch keeps the step, also one reached by the keyboard
    page.keyboard.press("ArrowRight")
    shows(page, tour, 6)
    page.locator("a.lang-switch").click()
    page.wait_for_url(re.compile(r"lang=en"))
    wait_for_tour(page)
    assert page.get_attribute("html", "lang") == "en"
    shows(page, tour, 6, "en")
    assert page.locator("#tour-next").inner_text().startswith("Next")
    page.keyboard.press("ArrowLeft")
    shows(page, tour, 5, "en")
    page.locator("a.lang-switch").click()
    page.wait_for_url(re.compile(r"lang=zh"))
    wait_for_tour(page)
    assert page.get_attribute("html", "lang") == "zh-CN"
    shows(page, tour, 5)
    assert watch.requests and watch.outside() == []


def test_tour_step_screenshots(page, server, screenshots):
    """A step with new concepts, quotes and links, as a projector shows it (look at the files)."""
    page.goto(f"{server.url}/tours/{TOUR}?step=4")
    wait_for_tour(page)
    page.wait_for_timeout(600)  # the camera's move to the step
    page.screenshot(path=str(screenshots / f"tour-{TOUR}-1366x768.png"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SMALL["width"]
    page.set_viewport_size(LARGE)
    page.wait_for_timeout(600)  # resized: the page refits the graph
    assert page.evaluate("() => document.documentElement.scrollWidth") <= LARGE["width"]
    page.screenshot(path=str(screenshots / f"tour-{TOUR}-1920x1080.png"))
    page.set_viewport_size(SMALL)


#: the step's new concepts against the navigation bar, as the page is shown (nothing scrolled): each chip
#: at 16 px or more, inside its box (or scrolled in it), above the bar, inside the window, and on top at its
#: centre
CHIPS = """() => {
    const nav = document.querySelector('.tour-nav').getBoundingClientRect();
    const box = document.getElementById('tour-new'), bx = box.getBoundingClientRect();
    const bad = [];
    if (bx.bottom > nav.top + 0.5) bad.push('the box of new concepts runs under the navigation bar');
    for (const chip of box.querySelectorAll('.chip')) {
        const r = chip.getBoundingClientRect(), name = chip.textContent;
        if (parseFloat(getComputedStyle(chip).fontSize) < 16) bad.push(name + ': under 16 px');
        // a long list scrolls in its own box: the chips scrolled out of it are read by scrolling it
        if (box.scrollHeight > box.clientHeight + 1 && (r.bottom > bx.bottom || r.top < bx.top)) continue;
        if (r.bottom > nav.top + 0.5) bad.push(name + ': under the navigation bar');
        if (r.top < bx.top - 0.5 || r.bottom > bx.bottom + 0.5) bad.push(name + ': cut off by its box');
        if (r.bottom > window.innerHeight) bad.push(name + ': below the window');
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (!top || !chip.contains(top)) bad.push(name + ': covered by ' + (top ? top.outerHTML.slice(0, 60) : 'nothing'));
    }
    return bad; }"""

#: the lines each button of the navigation bar takes (its visible text's line boxes), and whether it is
#: inside the window
NAV_LINES = """() => ['tour-first', 'tour-prev', 'tour-next', 'tour-last'].map(id => {
    const a = document.getElementById(id), tops = new Set();
    const walk = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
        if (!t.textContent.trim() || t.parentElement.closest('.visually-hidden')) continue;
        const range = document.createRange(); range.selectNodeContents(t);
        for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    const r = a.getBoundingClientRect();
    return {id, lines: tops.size, inside: r.left >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight}; })"""




@pytest.mark.parametrize("size,lang", [(PROJECTOR, "zh"), (SMALL, "zh"), (PROJECTOR, "en")],
                         ids=["1024x768-zh", "1366x768-zh", "1024x768-en"])
def test_every_step_fits_the_canvas_and_the_panel_clears_the_navigation(page, server, client, size, lang):
    """At a projector's and a laptop's size, each step of each tour: every node it shows lies inside the
    canvas with a margin and meets no other node, its new concepts are not under the navigation bar, and
    the step buttons keep to one line."""
    page.set_viewport_size(size)
    tours = [t["name"] for t in client.get("/tours.json").json()["tours"]]
    assert len(tours) >= 4
    problems = []
    for name in tours:
        count = len(client.get(f"/tours/{name}.json").json()["steps"])
        page.goto(f"{server.url}/tours/{name}?step=1&lang={lang}")
        wait_for_tour(page)
        for number in range(1, count + 1):
            where = f"{name} {number}/{count}"
            page.evaluate(f"() => window.kgTour.go({number - 1}, false)")
            page.wait_for_function("() => !window.kgTour.moving")
            page.evaluate(SETTLED)
            assert page.evaluate("() => window.kgTour.step") == number
            offstage = set(page.evaluate("() => window.kgTour.offstage"))
            drawn = page.evaluate(NODE_BOXES)
            assert drawn["boxes"], where
            framed = [b for b in drawn["boxes"] if b["framed"]]
            assert framed, where
            for b in framed:
                if b["id"] in offstage:  # what the frame leaves out is named beside the drawing
                    continue
                if not (b["left"] >= 4 and b["top"] >= 4 and b["right"] <= drawn["width"] - 4
                        and b["bottom"] <= drawn["height"] - 4):
                    problems.append(f"{where}: {b['id']} outside the canvas "
                                    f"({b['left']:.0f}, {b['top']:.0f}, {b['right']:.0f}, {b['bottom']:.0f} "
                                    f"in {drawn['width']}×{drawn['height']})")
            problems += [f"{where}: {a} overlaps {b}" for a, b in drawn["overlaps"]]
            problems += [f"{where}: {text}" for text in page.evaluate(CHIPS)]
            for button in page.evaluate(NAV_LINES):
                if button["lines"] != 1 or not button["inside"]:
                    problems.append(f"{where}: #{button['id']} on {button['lines']} lines"
                                    + ("" if button["inside"] else ", outside the window"))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
