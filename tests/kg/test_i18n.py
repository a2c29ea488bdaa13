"""The UI-string catalogue (web/i18n/ui.yaml through kg.i18n): every entry in both languages, every key used
and every key used there; a page in English has no Chinese interface words (what Chinese it shows is content,
marked lang="zh-CN"), a page in Chinese has the Chinese ones; the choice is remembered."""

from __future__ import annotations

import json
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest
from api.templating import env
from kg import resources
from kg.i18n import LANGS, SCRIPT_TEXTS, UnknownText, catalogue, pattern, t, texts

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(resources.templates_dir().glob("*.html"))
SCRIPTS = sorted((resources.static_dir() / "js").glob("*.js"))
PYTHON = sorted(p for folder in ("api", "kg") for p in (ROOT / folder).rglob("*.py"))
assert len(TEMPLATES) > 10 and len(SCRIPTS) > 3 and len(PYTHON) > 30, "the i18n checks would pass on empty lists"
HTML = {"accept": "text/html"}

#: a lookup: ui('key'), ui_alt('key'), t('key', ...), tNodes('key', ...), pair('key'); 'prefix.' ~ name is a
#: family of keys
LOOKUP = re.compile(r"""\b(?:ui|ui_alt|t|tNodes|pair)\(\s*(['"])(\w+\.[\w.]*)\1\s*(~)?""")
IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")


def lookups(path: Path) -> list[tuple[str, bool]]:
    """(key, is a prefix) for every lookup in a file."""
    return [(m.group(2), bool(m.group(3))) for m in LOOKUP.finditer(path.read_text(encoding="utf-8"))]


def values_of(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def forms(entry_text) -> list[str]:
    return list(entry_text.values()) if isinstance(entry_text, dict) else [entry_text]


# -- the catalogue itself ----------------------------------------------------------------------------------


def test_every_entry_has_zh_and_en_with_the_same_values():
    entries = catalogue()
    assert len(entries) > 150
    for key, entry in entries.items():
        texts_of = {lang: forms(entry[lang]) for lang in LANGS}
        assert all(text.strip() for lang in LANGS for text in texts_of[lang]), key
        names = {lang: [values_of(text) for text in texts_of[lang]] for lang in LANGS}
        first = names["zh"][0]
        assert all(n == first for lang in LANGS for n in names[lang]), (key, names)
        if any(isinstance(entry[lang], dict) for lang in LANGS):
            assert "n" in first, f"{key} counts something but has no {{n}}"


def test_zh_is_chinese_and_en_is_not():
    for key, entry in catalogue().items():
        en = " ".join(forms(entry["en"]))
        assert not IDEOGRAPH.search(en), key
    chinese = [key for key, entry in catalogue().items() if IDEOGRAPH.search(" ".join(forms(entry["zh"])))]
    assert len(chinese) > 0.8 * len(catalogue())  # the rest are names: SVG, HTML, PNG 16:9, PDF A4


def test_texts_fill_in_values_and_pick_the_form_of_a_count():
    assert t("common.concepts", "en", n=1) == "1 concept" and t("common.concepts", "en", n=3) == "3 concepts"
    assert t("common.concepts", "zh", n=1) == "1 个概念"
    assert t("nav.browse", "en") == "Browse" and t("nav.browse", "zh") == "浏览"
    with pytest.raises(ValueError):
        pattern("common.concepts", "en")  # a count needs n


def test_an_unknown_key_fails_loudly():
    with pytest.raises(UnknownText):
        t("nav.brwose", "en")
    with pytest.raises(UnknownText):
        env.from_string("{{ ui('nav.brwose') }}").render(lang="en")
    with pytest.raises(UnknownText):
        env.from_string("{{ ui_alt('nav') }}").render(lang="zh")  # a section is not a text
    with pytest.raises(RuntimeError):
        env.from_string("{{ ui('nav.browse') }}").render()  # no language: not a silent zh
    with pytest.raises(KeyError):
        env.from_string("{{ ui('graph.status.selected', label='x') }}").render(lang="en")  # no {cls}


def test_values_are_escaped_unless_they_are_markup():
    html = env.from_string("{{ ui('search.title_query', q=q) }}").render(lang="en", q="<b>x</b>")
    assert html == "Search “&lt;b&gt;x&lt;/b&gt;”"


# -- every key used, every used key there --------------------------------------------------------------------


def test_every_key_used_exists():
    keys = set(catalogue())
    for path in TEMPLATES + SCRIPTS + PYTHON:
        for key, prefix in lookups(path):
            if prefix:
                assert any(k.startswith(key) for k in keys), (path.name, key)
            else:
                assert key in keys, (path.name, key)


#: a Message's code or a Term's key named as a literal; a Term's key built in an f-string (a family)
MESSAGE = re.compile(r"""\bMessage\(\s*(['"])([\w.]+)\1""")
TERM = re.compile(r"""\bTerm\(\s*(['"])([\w.]+)\1""")
TERM_FAMILY = re.compile(r"""\bTerm\(\s*f['"]([\w.]+\.)\{""")


def test_every_message_code_used_is_in_the_catalogue():
    """Every ``Message("code")`` and ``Term("key")`` of the Python code names an entry (problem.<code>), and
    every family of Terms has entries."""
    keys = set(catalogue())
    found = 0
    for path in PYTHON:
        text = path.read_text(encoding="utf-8")
        for _, code in MESSAGE.findall(text):
            assert f"problem.{code}" in keys, (path.name, code)
            found += 1
        for _, key in TERM.findall(text):
            assert key in keys, (path.name, key)
        for family in TERM_FAMILY.findall(text):
            assert any(k.startswith(family) for k in keys), (path.name, family)
    assert found > 100  # the walk saw the codes (the export's, SPARQL's, the command line's...)


def test_every_key_is_used():
    keys = set(catalogue())
    used, families = set(), set()
    for path in TEMPLATES + SCRIPTS + PYTHON:
        for key, prefix in lookups(path):
            (families if prefix else used).add(key)
    literals = set()  # keys named in Python tables (error titles, the export menu)
    for path in PYTHON:
        literals |= set(re.findall(r"""['"]([a-z]\w*\.[\w.]+)['"]""", path.read_text(encoding="utf-8")))
    codes = set()  # kg.i18n.Message codes (problem.<code>, problem.export.no_fit), named as string literals
    for path in PYTHON:
        text = path.read_text(encoding="utf-8")
        codes |= {f"problem.{c}" for c in re.findall(r"""['"]([a-z][a-z0-9_.]*)['"]""", text)}
        families |= set(TERM_FAMILY.findall(text))  # Term(f"problem.export.view.{name}")
    unused = {k for k in keys - used - literals - codes if not k.startswith(tuple(families))}
    assert unused == set()


def test_the_key_families_are_complete(explorer):
    from api.errors import TITLES
    from api.urls import EXPORT_CHOICES
    from kg.styles import STANDARD_VIEWS as TABS

    keys = set(catalogue())
    for name in [*TABS, "neighbourhood", "paths"]:
        assert f"graph.tab.{name}" in keys
    reported = {"label", "altLabel", "pinyin", "definition", "quote", "id"}  # kg.search.hits.SearchHit.field
    fields = {hit.field for q in ("gtyj", "团队学习", "shared vision", "team learning", "循序渐进", "tuandui")
              for hit in explorer.search_index.search(q, limit=50)}
    assert {"label", "pinyin", "definition"} <= fields <= reported
    assert {f"search.field.{field}" for field in reported} <= keys
    assert set(TITLES.values()) <= keys
    assert {k for _, _, label, hint in EXPORT_CHOICES for k in (label, hint)} <= keys


def test_scripts_read_only_their_sections_and_write_no_words_of_their_own():
    for script, sections in SCRIPT_TEXTS.items():
        path = ROOT / "web" / "static" / "js" / f"{script}-1.js"
        used = {key for key, _ in lookups(path)}
        assert used, script
        assert all(key.startswith(tuple(f"{s}." for s in sections)) for key in used), (script, used)
    for path in SCRIPTS:
        assert not IDEOGRAPH.search(path.read_text(encoding="utf-8")), path.name


def test_templates_hold_no_chinese_words_outside_content():
    for path in TEMPLATES:
        text = re.sub(r'<span lang="zh-CN">[^<{]*</span>', "", path.read_text(encoding="utf-8"))
        assert not IDEOGRAPH.search(text), (path.name, IDEOGRAPH.search(text))


# -- pages ------------------------------------------------------------------------------------------------------


class Words(HTMLParser):
    """The text and the labelling attributes of a page, each with the language it is marked with; what the
    page script writes is read from the JSON islands separately.  Options and datalists list content."""

    SKIP = {"script", "style", "option", "datalist"}
    VOID = {"meta", "link", "input", "br", "img", "hr", "source", "wbr"}

    def __init__(self, lang: str):
        super().__init__()
        self.stack: list[tuple[str, str]] = [("", lang)]
        self.found: list[tuple[str, str]] = []  # (lang, text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = a.get("lang") or self.stack[-1][1]
        for name in ("aria-label", "placeholder", "aria-roledescription"):
            if a.get(name):
                self.found.append((lang, a[name]))
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        while len(self.stack) > 1:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and not any(t in self.SKIP for t, _ in self.stack):
            self.found.append((self.stack[-1][1], data.strip()))


def words(html: str, lang: str) -> list[tuple[str, str]]:
    parser = Words("en" if lang == "en" else "zh-CN")
    parser.feed(html[html.index("<body"):])
    return parser.found


PAGES = ["/", "/concepts/mechanism-team-learning", "/concepts/remedy-mechanisms", "/concepts?class=Problem",
         "/classes/Remedy", "/schemes/scheme-45231", "/articles/yanbian", "/index", "/search", "/search?q=gtyj",
         "/search?q=zzzzqqq", "/graph/tree", "/graph/chain", "/graph/neighbourhood?concept=layer-roots&depth=2",
         "/graph/neighbourhood?concept=layer-roots&depth=1&embed=1", "/paths",
         "/paths?from=mechanism-team-learning&to=remedy-step-by-step", "/sparql", "/tours", "/tours/tree?step=3",
         "/tours/problem-to-practice?step=5", "/concepts/no-such-concept"]


@pytest.mark.parametrize("url", PAGES)
def test_english_pages_have_no_chinese_interface_words(client, url):
    response = client.get(url + ("&" if "?" in url else "?") + "lang=en", headers=HTML)
    assert response.status_code in (200, 404)
    html = response.text
    assert '<html lang="en">' in html
    chinese = [text for lang, text in words(html, "en") if lang == "en" and IDEOGRAPH.search(text)]
    assert chinese == [], url


@pytest.mark.parametrize("url", ["/graph/tree", "/graph/neighbourhood?concept=layer-roots&depth=1&embed=1",
                                 "/tours/tree"])
@pytest.mark.parametrize("lang", LANGS)
def test_scripts_get_their_words_in_the_page_language(client, url, lang):
    html = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}", headers=HTML).text
    if url.startswith("/tours"):
        m = re.search(r'<script type="application/json" id="tour-data">(.*?)</script>', html, re.S)
        got, script = json.loads(m.group(1))["ui"], "tour"
    else:
        m = re.search(r'<script type="application/json" id="ui-text">(.*?)</script>', html, re.S)
        got, script = json.loads(m.group(1)), "graph"
    assert got == texts(lang, *SCRIPT_TEXTS[script])


NAV = ["nav.browse", "nav.index", "nav.graph", "nav.tours", "nav.yanbian", "nav.zhonglou"]
CONCEPT_HEADINGS = ["concept.definition", "concept.quotes", "concept.parts", "concept.relations", "concept.neighbourhood",
                    "concept.downloads"]


@pytest.mark.parametrize("lang", LANGS)
def test_navigation_and_headings_are_in_the_page_language(client, lang):
    other = "zh" if lang == "en" else "en"
    html = client.get(f"/concepts/layer-roots?lang={lang}", headers=HTML).text
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', html, re.S).group(1)
    links = re.findall(r"<a [^>]*>([^<]*)</a>", nav)
    assert links == [t(key, lang) for key in NAV] + ["SPARQL"]
    assert re.findall(r"<h2>([^<]*)</h2>", html) == [t(key, lang) for key in CONCEPT_HEADINGS]
    assert f'aria-label="{t("nav.label", lang)}"' in html
    for key in NAV + CONCEPT_HEADINGS:
        assert t(key, other) not in nav + "".join(re.findall(r"<h2>.*?</h2>", html))
    switch = re.search(r'<a class="lang-switch"[^>]*>([^<]*)</a>', html).group(1)
    assert switch == t("lang.name", other)  # the other language, named in itself


def test_chinese_pages_say_it_in_chinese(client):
    html = client.get("/graph/tree", headers=HTML).text
    assert f"<legend>{t('graph.labels', 'zh')}</legend>" in html and "<legend>Labels</legend>" not in html
    assert t("graph.reload", "zh") in html and t("graph.reload", "en") not in html
    tours = client.get("/tours", headers=HTML).text
    assert f"<h1>{t('tours.title', 'zh')}</h1>" in tours and t("tours.title", "en") not in tours


def test_the_language_choice_is_remembered(client):
    english = client.get("/concepts/layer-roots?lang=en", headers=HTML)
    assert english.cookies.get("lang") == "en"
    for url in ("/tours", "/", "/sparql", "/paths", "/concepts/no-such-concept"):
        html = client.get(url, headers=HTML).text
        assert '<html lang="en">' in html, url
        assert f">{t('nav.browse', 'en')}</a>" in html and f">{t('nav.browse', 'zh')}</a>" not in html, url
    client.get("/?lang=zh", headers=HTML)
    html = client.get("/tours", headers=HTML).text
    assert '<html lang="zh-CN">' in html and f"<h1>{t('tours.title', 'zh')}</h1>" in html
