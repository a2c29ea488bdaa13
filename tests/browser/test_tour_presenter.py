"""The presenter's window and the audience's, two pages of one browser: each follows the other when either
is stepped (keyboard, buttons, the step list), offline (BroadcastChannel / localStorage, no request to the
server for it); the presenter shows the step's notes, the next step, a timer and the step list; the audience's
page never shows or carries the notes.  Screenshots of both at 1024×768."""

from __future__ import annotations

from tests.support.tours import PROJECTOR, progress, wait_for_tour

TOUR = "tree"


def wait_for_presenter(page) -> None:
    page.wait_for_function("() => window.kgPresenter && document.querySelectorAll('#presenter-steps li').length")


def presenter_step(page) -> int:
    return page.evaluate("() => window.kgPresenter.step")


def test_presenter_and_audience_stay_in_step(context, page, watch, server, client, screenshots):
    tour = client.get(f"/tours/{TOUR}.json").json()
    steps = tour["steps"]
    notes = [n["text"]["zh"] for s in steps for n in s["notes"] if n["text"]["zh"]]
    assert notes, "the tour has speaker notes"
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{server.url}/tours/{TOUR}?step=2")
    wait_for_tour(page)
    # P opens the presenter's window at the audience's step, same origin
    with context.expect_page() as opened:
        page.keyboard.press("p")
    presenter = opened.value
    watch.attach(presenter)
    presenter.set_viewport_size(PROJECTOR)
    wait_for_presenter(presenter)
    assert presenter.url.startswith(f"{server.url}/tours/{TOUR}/presenter")
    assert presenter_step(presenter) == 2
    # the audience steps: the presenter follows, with the notes of that step and the next step's title
    presenter.wait_for_load_state("networkidle")
    page.wait_for_load_state("networkidle")
    requests_before = len(watch.requests)
    page.keyboard.press("ArrowRight")
    presenter.wait_for_function("() => window.kgPresenter.step === 3")
    shown = presenter.locator("#presenter-notes").inner_text()
    for note in steps[2]["notes"]:
        assert note["text"]["zh"] in shown
    assert presenter.locator("#presenter-next-title").inner_text().endswith(steps[3]["title"]["zh"])
    assert presenter.locator("#presenter-steps li").count() == len(steps)
    assert presenter.locator('#presenter-steps li[aria-current="step"]').inner_text() == steps[2]["title"]["zh"]
    # the presenter steps (keyboard, button, the list): the audience follows
    presenter.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.kgTour.step === 4")
    presenter.locator("#presenter-next").click()
    page.wait_for_function("() => window.kgTour.step === 5")
    presenter.locator("#presenter-steps li button").nth(9).click()
    page.wait_for_function("() => window.kgTour.step === 10")
    assert progress(page) == (10, len(steps))
    page.keyboard.press("ArrowLeft")
    presenter.wait_for_function("() => window.kgPresenter.step === 9")
    # staying in step asked nothing of the server
    assert [u for u in watch.requests[requests_before:] if "/static/" not in u] == []
    # a timer that runs
    presenter.wait_for_function("() => document.getElementById('presenter-timer').textContent !== '0:00'",
                                timeout=4000)
    page.wait_for_timeout(600)
    page.screenshot(path=str(screenshots / f"tour-{TOUR}-audience-1024x768.png"))
    presenter.screenshot(path=str(screenshots / f"tour-{TOUR}-presenter-1024x768.png"))
    # the audience never shows the notes, nor carries them in its page
    html = page.content()
    assert not any(note in html for note in notes), "a speaker note is on the audience's page"
    assert page.locator("#tour-notes").count() == 0
    presenter.close()


#: the stepping keys both windows share (kgGraph.stepKeys), each with the move it makes
STEP_KEYS = [("ArrowRight", +1), ("PageDown", +1), ("Space", +1), ("Shift+Space", -1), ("PageUp", -1),
             ("ArrowLeft", -1), ("End", "last"), ("Home", "first")]


def test_both_windows_step_with_the_same_keys(page, server, client):
    """The audience's window and the presenter's step with the same keys (one function, kgGraph.stepKeys):
    each key is pressed in each window on its own (two tours, so the two do not follow each other here), and
    moves it as it should; each window keeps its own keys (O in the audience's, R in the presenter's)."""
    page.set_viewport_size(PROJECTOR)
    for kind, name, url, at in (
            ("audience", "tree", "/tours/tree?step=3", "window.kgTour.step"),
            ("presenter", "chain", "/tours/chain/presenter?step=3", "window.kgPresenter.step")):
        count = len(client.get(f"/tours/{name}.json").json()["steps"])
        page.goto(server.url + url)
        if kind == "audience":
            wait_for_tour(page)
        else:
            wait_for_presenter(page)
        assert page.evaluate(f"() => {at}") == 3
        for key, move in STEP_KEYS:
            before = page.evaluate(f"() => {at}")
            want = count if move == "last" else 1 if move == "first" else before + move
            page.keyboard.press(key)
            page.wait_for_function(f"() => {at} === {want}", timeout=3000)
        # a key with Ctrl (the browser's own) does not step
        page.keyboard.press("Control+ArrowRight")
        page.wait_for_timeout(150)
        assert page.evaluate(f"() => {at}") == 1, kind
    # the presenter's own key: R resets the timer
    page.wait_for_function("() => document.getElementById('presenter-timer').textContent !== '0:00'", timeout=4000)
    page.keyboard.press("r")
    assert page.locator("#presenter-timer").inner_text() == "0:00"
