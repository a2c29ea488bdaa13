"""Search as a person would: type in the header's box, submit, pick the first hit."""

from __future__ import annotations


def test_pinyin_initials_lead_to_the_concept_page(page, server, client):
    page.goto(server.url + "/")
    box = page.get_by_label("搜索概念")
    box.fill("gtyj")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.startswith(server.url + "/search?") and "q=gtyj" in page.url
    hits = page.locator("ol.hits > li a.concept")
    expected = [r["id"] for r in client.get("/search.json?q=gtyj").json()["results"]]
    assert [h.get_attribute("href") for h in hits.all()] == [f"/concepts/{cid}" for cid in expected]
    # the first hit is the concept labelled exactly 共同愿景 (tests/test_search_api.py ranks it first)
    first = hits.first
    assert "共同愿景" in first.inner_text()
    with page.expect_navigation():
        first.click()
    assert page.url == f"{server.url}/concepts/{expected[0]}"
    assert page.locator("h1").inner_text().startswith("共同愿景")
    # back to the results; Senge's discipline is among them
    with page.expect_navigation():
        page.go_back()
    with page.expect_navigation():
        page.locator('ol.hits a.concept[href="/concepts/discipline-shared-vision"]').click()
    assert page.url == server.url + "/concepts/discipline-shared-vision"
    assert page.locator("h1").inner_text().startswith("建立共同愿景")


def test_the_search_button_and_suggestions(page, server):
    page.goto(server.url + "/concepts")
    page.fill("#q", "团队")
    # the box offers suggestions (from /suggest.json, as text)
    page.wait_for_function("() => document.querySelectorAll('#suggestions option').length > 0")  # a function: under the CSP Playwright cannot eval an expression
    assert any("团队" in o for o in page.eval_on_selector_all("#suggestions option", "os => os.map(o => o.value)"))
    with page.expect_navigation():
        page.locator("form.search button[type=submit]").click()
    assert page.locator("ol.hits > li").count() >= 1
    # the search page keeps the query in both boxes
    assert page.input_value("#q") == "团队"
    assert page.input_value("form.filters input[name=q]") == "团队"
