"""Valid HTML on every kind of page, checked offline with nothing to install beyond the test extras.

Two levels:

* always: html5lib's strict HTML5 parser (the WHATWG parsing algorithm; any parse error fails), plus the
  checks a parser does not make and the Nu validator would: unique ids, ``<label for>``, ``aria-*`` and
  ``href="#..."`` pointing at ids that exist, a ``lang`` on ``<html>`` and valid language tags, one
  ``<main>``, one ``<h1>``, ``<title>``, ``alt`` on images, no obsolete elements or attributes.
* when ``KG_VNU_JAR`` names a ``vnu.jar`` (npm ``vnu-jar``, ``build/dist/vnu.jar``, about 30 MB, run on
  the system Java): the W3C Nu HTML Checker on the same pages, no errors allowed.  It is not vendored
  (too big for the repository) and never downloaded by the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

REQUIRE = os.environ.get("KG_REQUIRE_SYSTEM") == "1"

PAGES = {
    "home": "/", "home-en": "/?lang=en",
    "concept": "/concepts/discipline-shared-vision", "concept-en": "/concepts/mechanism-team-learning?lang=en",
    "concepts": "/concepts", "concepts-filtered": "/concepts?class=Problem&article=yanbian",
    "class": "/classes/LearningMechanism", "scheme": "/schemes/scheme-45231", "index": "/index",
    "article": "/articles/yanbian", "article-quote": "/articles/zhonglou?quote=quote/mechanism-team-learning/1",
    "search": "/search?q=gtyj", "search-empty": "/search", "search-none": "/search?q=zzzzqqq",
    "graph-tree": "/graph/tree", "graph-chain": "/graph/chain?labels=both", "graph-cross": "/graph/cross",
    "graph-whole": "/graph/whole",
    "graph-neighbourhood": "/graph/neighbourhood?concept=layer-roots&depth=2",
    "graph-embed": "/graph/neighbourhood?concept=layer-roots&depth=1&embed=1",
    "paths": "/paths?from=mechanism-team-learning&to=remedy-step-by-step", "paths-form": "/paths",
    "sparql": "/sparql",
    "sparql-results": "/sparql?query=SELECT+%3Fc+%3Fl+WHERE+%7B%3Fc+skos%3AprefLabel+%3Fl%7D+LIMIT+5&format=html",
    "not-found": "/concepts/no-such-concept",
}
OBSOLETE_ELEMENTS = {"center", "font", "marquee", "blink", "big", "tt", "strike", "frame", "frameset", "acronym"}
OBSOLETE_ATTRIBUTES = {"align", "bgcolor", "border", "cellpadding", "cellspacing", "valign", "frameborder"}
LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


def _html5lib():
    try:
        import html5lib
    except ImportError:
        if REQUIRE:
            pytest.fail("html5lib is a test dependency (pip install -e '.[test]')")
        pytest.skip("html5lib is not installed")
    return html5lib


@pytest.fixture(scope="module")
def pages(session_client) -> dict[str, str]:
    client = session_client
    out = {}
    for name, url in PAGES.items():
        client.cookies.clear()  # ?lang=en sets a cookie: keep the shared client as it was
        response = client.get(url, headers={"accept": "text/html"})
        client.cookies.clear()
        assert response.status_code == (404 if name == "not-found" else 200), url
        assert response.headers["content-type"].startswith("text/html")
        out[name] = response.text
    return out


def problems(html: str) -> list[str]:
    html5lib = _html5lib()
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    doc = parser.parse(html)
    found = [f"parse error {code} at {pos} {data or ''}" for pos, code, data in parser.errors]
    if not html.lstrip().lower().startswith("<!doctype html>"):
        found.append("no <!doctype html>")
    elements = list(doc.iter())
    ids: dict[str, int] = {}
    for e in elements:
        if "id" in e.attrib:
            ids[e.attrib["id"]] = ids.get(e.attrib["id"], 0) + 1
    found += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]
    root = doc if doc.tag == "html" else doc.find("html")
    if root is None or not LANG_TAG.match(root.attrib.get("lang", "")):
        found.append("<html> has no valid lang")
    for e in elements:
        tag = e.tag if isinstance(e.tag, str) else ""
        if tag in OBSOLETE_ELEMENTS:
            found.append(f"obsolete <{tag}>")
        for attr in OBSOLETE_ATTRIBUTES & set(e.attrib):
            if not (tag == "table" and attr == "border" and e.attrib[attr] in ("", "1")):
                found.append(f"obsolete {attr}= on <{tag}>")
        if "lang" in e.attrib and not LANG_TAG.match(e.attrib["lang"]):
            found.append(f"bad lang {e.attrib['lang']!r} on <{tag}>")
        if tag == "label" and "for" in e.attrib and e.attrib["for"] not in ids:
            found.append(f"<label for={e.attrib['for']!r}> names no element")
        for attr in ("aria-labelledby", "aria-describedby", "aria-controls", "list"):
            for ref in e.attrib.get(attr, "").split():
                if ref not in ids:
                    found.append(f"{attr}={ref!r} on <{tag}> names no element")
        href = e.attrib.get("href", "")
        if tag == "a" and href.startswith("#") and len(href) > 1 and href[1:] not in ids:
            found.append(f"link to missing #{href[1:]}")
        if tag == "img" and "alt" not in e.attrib:
            found.append("<img> without alt")
    count = {t: sum(1 for e in elements if e.tag == t) for t in ("main", "h1", "title")}
    if count["main"] != 1:
        found.append(f"{count['main']} <main> elements")
    if count["h1"] != 1:
        found.append(f"{count['h1']} <h1> elements")
    if count["title"] != 1:
        found.append("no <title>")
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_valid_html(pages, name):
    assert problems(pages[name]) == [], PAGES[name]


def test_the_checker_finds_what_it_should():
    """The checks themselves: a page with known mistakes is caught."""
    bad = ('<!doctype html><html><head><title>x</title></head><body><main><h1>a</h1><h1>b</h1>'
           '<p id="a">1</p><p id="a">2</p><label for="nope">x</label><a href="#gone">y</a><img src="z">'
           '<div></span></div><center>old</center></main></body></html>')
    found = "\n".join(problems(bad))
    for expected in ("parse error", "duplicate id 'a'", "no valid lang", "for='nope'", "missing #gone",
                     "without alt", "2 <h1>", "obsolete <center>"):
        assert expected in found


def test_the_nu_validator_finds_no_error(pages, tmp_path):
    jar = os.environ.get("KG_VNU_JAR")
    if not jar:
        pytest.skip("set KG_VNU_JAR to a vnu.jar (npm vnu-jar) to run the W3C Nu HTML Checker too")
    java = shutil.which("java")
    if java is None or not os.path.exists(jar):
        pytest.fail(f"KG_VNU_JAR={jar} needs java and the jar")
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run([java, "-jar", jar, "--errors-only", *files], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
