"""Every main page in Chromium: no console error, no request off 127.0.0.1, no serious or critical axe
violation, a layout that fits the window, Chinese drawn with a CJK font; screenshots at 1366×768 and
1920×1080 into ``KG_SCREENSHOTS`` (default ``tests/browser/screenshots/``) for a person to look at."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import AXE, LARGE, SMALL, wait_for_graph

MAIN_PAGES = {
    "home": "/",
    "concept": "/concepts/discipline-shared-vision",
    "concepts": "/concepts",
    "article-yanbian": "/articles/yanbian",
    "search": "/search?q=gtyj",
    "graph-tree": "/graph/tree",
    "graph-chain": "/graph/chain",
    "graph-cross": "/graph/cross",
    "paths": "/paths?from=mechanism-team-learning&to=remedy-step-by-step",
    "sparql": "/sparql",
    "index": "/index",
}
#: more pages axe checks (English side, neighbourhood, embed, filters and results)
MORE_PAGES = {
    "home-en": "/?lang=en",
    "concept-en": "/concepts/mechanism-team-learning?lang=en",
    "graph-tree-en": "/graph/tree?labels=en&lang=en",
    "graph-neighbourhood": "/graph/neighbourhood?concept=layer-roots&depth=2",
    "graph-embed": "/graph/neighbourhood?concept=layer-roots&depth=1&embed=1",
    "class": "/classes/LearningMechanism",
    "scheme": "/schemes/scheme-45231",
    "search-none": "/search?q=zzzzqqq",
    "article-quote": "/articles/zhonglou?quote=quote/mechanism-team-learning/1",
    "sparql-results": "/sparql?query=SELECT+%3Fc+%3Fl+WHERE+%7B%3Fc+skos%3AprefLabel+%3Fl%7D+LIMIT+5&format=html",
}

AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""


def is_graph(url: str) -> bool:
    return url.startswith(("/graph/", "/paths?"))


def open_page(page, server, url: str) -> None:
    response = page.goto(server.url + url)
    assert response.status == 200, url
    if is_graph(url):
        wait_for_graph(page)


def axe_violations(page, serious_only: bool = True) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script> tag: the pages' CSP refuses inline script
    found = page.evaluate(AXE_RUN)
    if serious_only:
        found = [v for v in found if v["impact"] in ("serious", "critical")]
    return found


def layout_problems(page) -> list[str]:
    """What a person would see as broken: a page wider than the window, a header that covers the
    content or takes two lines, items of the header drawn over each other, a graph that does not fit
    in the window when the page opens."""
    return page.evaluate("""() => {
        const problems = [];
        const doc = document.documentElement;
        if (doc.scrollWidth > window.innerWidth + 1) problems.push('horizontal scroll: ' + doc.scrollWidth);
        const header = document.querySelector('header.site');
        const main = document.querySelector('main');
        if (header && main && header.getBoundingClientRect().bottom > main.getBoundingClientRect().top + 1)
            problems.push('header overlaps main');
        if (header && header.getBoundingClientRect().height > 70) problems.push('header wraps to two lines');
        const canvas = document.getElementById('graph-canvas');
        if (canvas && !document.querySelector('.paths-form')) {
            const r = canvas.getBoundingClientRect();
            if (r.bottom > window.innerHeight || r.height < 400) problems.push('graph not in the window: ' + r.top + '-' + r.bottom);
        }
        const boxes = header ? [...header.children].map(e => [e.className || e.tagName, e.getBoundingClientRect()]) : [];
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const [na, a] = boxes[i], [nb, b] = boxes[j];
            if (a.width && b.width && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
                problems.push('header items overlap: ' + na + ' / ' + nb);
        }
        return problems;
    }""")


def cjk_font_used(page) -> bool:
    """Chinese is drawn with real glyphs: without a CJK font every ideograph becomes the same box, so two
    different characters drawn in the page's font would give the same pixels."""
    return page.evaluate("""() => {
        const canvas = document.createElement('canvas'); canvas.width = canvas.height = 48;
        const c = canvas.getContext('2d');
        c.font = '40px ' + getComputedStyle(document.body).fontFamily;
        c.textBaseline = 'top';
        const draw = ch => { c.clearRect(0, 0, 48, 48); c.fillText(ch, 2, 2);
                             return Array.from(c.getImageData(0, 0, 48, 48).data).join(','); };
        const a = draw('学'), b = draw('景'), blank = draw('');
        return a !== b && a !== blank && b !== blank;
    }""")


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_main_page_screenshots_axe_and_layout(page, watch, server, screenshots, name):
    url = MAIN_PAGES[name]
    open_page(page, server, url)
    assert watch.requests and watch.outside() == []  # the page, its CSS and scripts: all from 127.0.0.1
    assert page.title() and "学习型机关" in page.title()
    assert layout_problems(page) == [], url
    assert cjk_font_used(page), "Chinese would show as boxes: install fonts-noto-cjk"
    page.screenshot(path=str(screenshots / f"{name}-1366x768.png"))
    violations = axe_violations(page, serious_only=False)
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == [], url
    # the main pages are kept free of moderate and minor ones too (landmarks, headings, regions)
    assert violations == [], url
    page.set_viewport_size(LARGE)
    if is_graph(url):
        page.wait_for_timeout(300)  # vis-network redraws on resize
    assert layout_problems(page) == [], url
    page.screenshot(path=str(screenshots / f"{name}-1920x1080.png"))
    page.set_viewport_size(SMALL)


@pytest.mark.parametrize("name", list(MORE_PAGES))
def test_more_pages_have_no_serious_axe_violation(page, server, name):
    open_page(page, server, MORE_PAGES[name])
    assert axe_violations(page) == [], MORE_PAGES[name]


def test_graph_page_with_its_panel_open_has_no_axe_violation(page, server):
    """The side panel and the text list are built or shown after load: check them too, at every impact."""
    open_page(page, server, "/graph/tree?selected=mechanism-team-learning")
    page.wait_for_selector("#graph-panel:not([hidden]) h2")
    page.locator("#graph-list summary").click()
    assert axe_violations(page, serious_only=False) == []


#: the header's text in the other language than the page's, with the language it is marked with
OTHER_LANGUAGE_IN_HEADER = """(other) => {
    const found = [];
    const walk = document.createTreeWalker(document.querySelector('header.site'), NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const text = n.textContent.trim();
        const isOther = other === 'en' ? /[A-Za-z]{3,}/.test(text) && text !== 'SPARQL' : /[\u3400-\u9fff]/.test(text);
        if (isOther) found.push([text, n.parentElement.closest('[lang]').getAttribute('lang')]);
    }
    return found;
}"""


def test_pages_declare_their_languages(page, server):
    """The document's language follows ?lang=; the header's words in the other language (the site's name, the
    language switch) are marked with theirs: lang="en" on a Chinese page, lang="zh-CN" on an English one."""
    open_page(page, server, "/")
    assert page.get_attribute("html", "lang") == "zh-CN"
    english = page.evaluate(OTHER_LANGUAGE_IN_HEADER, "en")
    assert len(english) >= 2 and {lang for _, lang in english} == {"en"}, english
    open_page(page, server, "/?lang=en")
    assert page.get_attribute("html", "lang") == "en"
    assert re.search(r"中文", page.locator("a.lang-switch").inner_text())
    chinese = page.evaluate(OTHER_LANGUAGE_IN_HEADER, "zh")
    assert len(chinese) >= 2 and {lang for _, lang in chinese} == {"zh-CN"}, chinese


def test_the_watcher_sees_what_it_must(context, server):
    """The checks every page gets (tests/browser/conftest.py) do catch an outside request, a console
    error and a dialog.  The outside request is stopped by the context's route before it is sent."""
    from tests.support.browser import Watch

    watch = Watch()
    page = context.new_page()
    watch.attach(page)
    page.goto(server.url + "/concepts")
    page.evaluate("""() => { const img = new Image(); img.src = 'http://192.0.2.1/x.png';
                             document.body.append(img); console.error('boom'); alert('hi'); }""")
    page.wait_for_timeout(300)
    assert watch.outside() == ["http://192.0.2.1/x.png"]
    assert any("boom" in e for e in watch.errors)
    assert watch.dialogs == ["alert: hi"]
    with pytest.raises(AssertionError):
        watch.check()
    page.close()
