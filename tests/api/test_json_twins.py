"""Every HTML page has a JSON twin that carries the same data: announced by ``Link: rel="alternate"``, the same
JSON whether asked for by the link or by ``Accept: application/json``, and holding what the page shows (its
heading, and every concept its main content links to).

The table below has a sample address for every GET route the API documents; a new route fails
:func:`test_every_documented_route_has_a_sample` until it is added here, so no page escapes the check.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from kg.i18n import catalogue

#: documented GET route → a sample address (None: not a page, e.g. binary downloads and redirects)
SAMPLES = {
    "/": "/",
    "/concepts": "/concepts",
    "/concepts/{name}": "/concepts/mechanism-team-learning",
    "/classes/{name}": "/classes/LearningMechanism",
    "/schemes/{name}": "/schemes/scheme-45231",
    "/index": "/index",
    "/articles/{name}": "/articles/zhonglou",
    "/search": "/search?q=团队学习",
    "/graph/{view}": "/graph/tree",
    "/paths": "/paths?from=mechanism-team-learning&to=layer-roots",
    "/tours": "/tours",
    "/tours/{name}": "/tours/tree?step=3",
    "/sparql": None,  # the SPARQL protocol: asked for JSON it answers a query, its HTML is the query form
    # JSON-only or not pages: their HTML twins above cover them, or they serve files
    "/search.json": None,
    "/suggest.json": None,
    "/paths.json": None,
    "/tours.json": None,
    "/tours/{name}.json": None,
    "/tours/{name}.pdf": None,
    "/tours/{name}/presenter": None,  # the presenter's window of a tour page: its data is the tour's JSON twin
    "/export/{view}.{fmt}": None,
    "/export/{view}": None,  # the export form's target: a file in the format it asks for
    "/tours/{name}.pptx": None,
    "/handout.pdf": None,
    "/id/{name}": None,  # a 303 to the page or the data
    "/-/health": None,
}
#: more addresses of the same routes that build their data differently
MORE = ["/graph/neighbourhood?concept=layer-roots&depth=1", "/graph/whole?limit=20", "/graph/chain",
        "/concepts?class=Remedy", "/index?letter=X", "/articles/yanbian", "/search?q=gtyj", "/tours/senge"]
PAGES = [url for url in SAMPLES.values() if url] + MORE


class _Page(HTMLParser):
    """The heading and the concepts that the page's main content links to."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside <main>
        self.heading: list[str] = []
        self.in_h1 = False
        self.concepts: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.depth += 1
        elif tag == "h1":
            self.in_h1 = True
        elif tag == "a" and self.depth:
            found = re.fullmatch(r"/concepts/([a-z0-9-]+)(?:[?#].*)?", attrs.get("href") or "")
            if found:
                self.concepts.add(found.group(1))

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        elif tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        if self.in_h1:
            self.heading.append(data)


def _strings(data) -> set[str]:
    """Every string in a JSON value, keys included."""
    out: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            out.add(str(key))
            out |= _strings(value)
    elif isinstance(data, list):
        for value in data:
            out |= _strings(value)
    elif isinstance(data, str):
        out.add(data)
    return out


def _alternate(response) -> str:
    link = response.headers.get("link", "")
    found = re.search(r'<([^>]+)>;\s*rel="alternate";\s*type="application/json"', link)
    assert found, f"no JSON alternate announced: {link!r}"
    return found.group(1)


def test_every_documented_route_has_a_sample(client):
    documented = {path for path, ops in client.app.openapi()["paths"].items() if "get" in ops}
    assert documented - set(SAMPLES) == set(), "add a sample address for the new route to SAMPLES"


@pytest.mark.parametrize("url", PAGES)
def test_the_json_twin_carries_what_the_page_shows(client, url):
    page = client.get(url, headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    twin_url = _alternate(page)
    by_link = client.get(twin_url)
    assert by_link.status_code == 200 and by_link.headers["content-type"].startswith("application/json")
    by_accept = client.get(url, headers={"accept": "application/json"})
    assert by_accept.status_code == 200
    assert by_accept.json() == by_link.json(), "the page's address and its alternate give different JSON"

    parsed = _Page()
    parsed.feed(page.text)
    strings = _strings(by_link.json())
    text = "\n".join(strings)
    heading = " ".join("".join(parsed.heading).split())
    assert heading, f"{url} has no heading"
    ui = {text for entry in catalogue().values() for text in entry.values() if isinstance(text, str)}
    words = [w for w in re.split(r"\s+|·", heading) if w and w not in ui]  # a fixed title is no data
    missing_words = [w for w in words if w not in text]
    assert not missing_words, f"heading words {missing_words} of {url} are not in its JSON"
    missing = {cid for cid in parsed.concepts if cid not in strings and f"/concepts/{cid}" not in text}
    assert not missing, f"{url} links to concepts its JSON does not name: {sorted(missing)[:10]}"
