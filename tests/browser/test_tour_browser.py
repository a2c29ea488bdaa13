"""A tour in Chromium, stepped through as a trainer does it: the keyboard (→, space, ←, End, Home), the
progress and the permalink of each step, a reload, the drawing and the quotes, and the language switch that
keeps the step; screenshots of a step at 1366×768 and 1920×1080 for a person to look at on a projector."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from browser_support import LARGE, SMALL

TOUR = "tree"


INK = """() => {
    const c = document.querySelector('#tour-canvas canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n; }"""


def wait_for_tour(page) -> None:
    """Until tour-1.js has started and drawn the step on its canvas."""
    page.wait_for_function("() => window.kgTour && document.querySelector('#tour-canvas canvas')")
    page.wait_for_function(f"() => ({INK})() > 5000")


def progress(page) -> tuple[int, int]:
    """The "n / N" the page shows, and the step tour-1.js is on (they must agree)."""
    shown = re.search(r"(\d+) / (\d+)", page.locator("#tour-count").inner_text())
    number, count = int(shown.group(1)), int(shown.group(2))
    assert page.evaluate("() => window.kgTour.step") == number
    assert page.get_attribute("#tour-bar", "aria-valuenow") == str(number)
    return number, count


def step_in_url(page) -> int:
    return int(parse_qs(urlsplit(page.url).query)["step"][0])


def shows(page, tour: dict, number: int, lang: str = "zh") -> None:
    """Step ``number`` is on the page: its progress, permalink, title and first quote."""
    step = tour["steps"][number - 1]
    assert progress(page) == (number, len(tour["steps"]))
    assert page.locator("#tour-title").inner_text() == step["title"][lang]
    if step["quotes"]:
        assert step["quotes"][0]["exact"] in page.locator("#tour-quotes-list").inner_text()


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
    # the canvas is drawn, and the step's new concepts are named beside it (the step's whole tree is fitted
    # in: small boxes, fewer pixels than a close-up, but far from blank)
    assert page.evaluate(INK) > 10000, "the canvas is blank"
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
