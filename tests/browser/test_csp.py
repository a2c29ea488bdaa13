"""The Content-Security-Policy in Chromium: the pages work under it (graphs drawn, Swagger UI built,
the tour stepped) with no violation reported; /sparql is readable from another origin."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest

from tests.support.browser import wait_for_graph

#: records every violation the page reports (before any of its own script runs)
RECORD = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));"""


@pytest.mark.parametrize("url, ready", [
    ("/graph/tree", "graph"),
    ("/concepts/mechanism-team-learning", "h1"),
    ("/graph/neighbourhood?concept=layer-roots&depth=1&embed=1", "graph"),
    ("/tours/tree", "#tour-title"),
    ("/sparql?query=SELECT+%3Fc+WHERE+%7B%3Fc+a+lo%3ARemedy%7D&format=html", "table"),
    ("/docs", ".opblock"),
])
def test_no_violation(page, server, url, ready):
    page.add_init_script(RECORD)
    response = page.goto(server.url + url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    if ready == "graph":
        wait_for_graph(page)
    else:
        page.wait_for_selector(ready)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__csp") == []


def test_tour_steps_under_the_policy(page, server):
    page.add_init_script(RECORD)
    page.goto(server.url + "/tours/tree")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.getElementById('tour-bar').getAttribute('aria-valuenow') === '2'")
    assert page.evaluate("window.__csp") == []


@pytest.fixture
def other_origin(tmp_path):
    """A plain page served from another port of 127.0.0.1: another origin, no policy of ours."""
    (tmp_path / "index.html").write_text("<!doctype html><title>elsewhere</title>", encoding="utf-8")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    httpd.shutdown()
    httpd.server_close()


def test_sparql_readable_from_another_origin(page, server, other_origin):
    """From a page of another origin, a GET and a POST that needs a preflight."""
    page.goto(other_origin)
    answers = page.evaluate("""async (url) => {
        const get = await fetch(url + '?query=' + encodeURIComponent('ASK { ?s a lo:Remedy }'));
        const post = await fetch(url, {method: 'POST', body: 'SELECT ?s WHERE { ?s a lo:Remedy }',
                                       headers: {'Content-Type': 'application/sparql-query'}});
        return [(await get.json()).boolean, (await post.json()).results.bindings.length,
                post.headers.get('X-Truncated')];
    }""", server.url + "/sparql")
    assert answers == [True, 6, "false"]
