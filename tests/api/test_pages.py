"""Pages as a browser gets them: a real title, zh-CN, the JSON twin, bilingual labels, friendly errors."""

import re

import pytest
from markupsafe import escape

PAGES = ["/", "/concepts/mechanism-team-learning", "/concepts", "/classes/Remedy", "/schemes/scheme-yanbian",
         "/articles/yanbian", "/articles/zhonglou", "/index", "/search?q=愿景"]
HTML = {"accept": "text/html"}


@pytest.mark.parametrize("url", PAGES)
def test_page_is_chinese_first_with_a_title_and_a_json_twin(client, url):
    response = client.get(url, headers=HTML)
    assert response.status_code == 200
    html = response.text
    assert '<html lang="zh-CN">' in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "学习型机关知识图谱" in title and len(title) > 12
    link = response.headers["link"]
    alternate = re.match(r"<([^>]+)>; rel=\"alternate\"", link).group(1)
    assert f'<link rel="alternate" type="application/json" href="{alternate}">' in html.replace("&amp;", "&")
    assert client.get(alternate).headers["content-type"].startswith("application/json")


def test_nothing_is_loaded_from_the_internet(client):
    for url in PAGES:
        html = client.get(url, headers=HTML).text
        assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', html), url


def test_concept_card(client):
    html = client.get("/concepts/remedy-mechanisms", headers=HTML).text
    assert "健全机制,为学习型机关建设提供制度保证" in html
    assert 'aria-current="page"' in html  # breadcrumbs
    assert "在原文中阅读" in html and "/articles/yanbian?quote=quote%2Fremedy-mechanisms%2F1#yanbian-p" in html
    assert "编者推断" in html and "原文陈述" in html
    english = client.get("/concepts/remedy-mechanisms?lang=en", headers=HTML).text
    assert "Read in context" in english and "inferred" in english and "stated" in english
    for ext in ("ttl", "jsonld", "rdf", "nt"):
        assert f'href="/concepts/remedy-mechanisms.{ext}"' in html
    assert '/graph/neighbourhood?concept=remedy-mechanisms&amp;depth=1&amp;embed=1' in html


def test_supplied_title_is_marked(client):
    """The Zhonglou source has no title: the one the editors gave it says so (lo:titleSupplied)."""
    zhonglou = client.get("/articles/zhonglou", headers=HTML).text
    assert "原文没有标题，这一标题由图谱编者拟定。" in zhonglou
    assert "原文没有标题" not in client.get("/articles/yanbian", headers=HTML).text
    assert "supplied by the graph's editors" in client.get("/articles/zhonglou?lang=en", headers=HTML).text.replace("&#39;", "'")
    assert client.get("/articles/zhonglou.json").json()["title_supplied"] is True
    assert client.get("/articles/yanbian.json").json()["title_supplied"] is False


def test_english_switch_is_remembered(client):
    try:
        response = client.get("/concepts/layer-roots?lang=en", headers=HTML)
        assert '<html lang="en">' in response.text and response.cookies.get("lang") == "en"
        assert '<html lang="en">' in client.get("/concepts/layer-roots", headers=HTML).text
    finally:
        client.cookies.clear()


def test_unknown_concept_page_is_friendly(client):
    response = client.get("/concepts/mechanism-team-lerning", headers=HTML)
    assert response.status_code == 404
    assert "未找到" in response.text and "Traceback" not in response.text


def test_bad_parameters_are_4xx_not_tracebacks(client):
    for url in ["/articles/nowhere", "/classes/Nope", "/concepts?class=" + "x" * 500]:
        response = client.get(url, headers=HTML)
        assert 400 <= response.status_code < 500, url
        assert "Traceback" not in response.text


def test_api_docs_are_served_offline(client):
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert client.get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/concepts/{name}" in spec["paths"]


def test_language_switch_keeps_the_query(client):
    html = client.get("/search?q=愿景&class=Discipline", headers=HTML).text
    assert re.search(r'class="lang-switch" href="/search\?q=%E6%84%BF%E6%99%AF&amp;class=Discipline&amp;lang=en"', html)


def test_a_class_longer_than_a_page_links_to_its_next_page(client):
    """A class page shows the class's first page of concepts; its pager goes on in the browse pages."""
    from api.templating import render

    view = client.get("/classes/Remedy.json").json()
    assert view["page"] == {"offset": 0, "limit": 200, "total": view["count"], "next": None, "number": 1, "pages": 1}
    assert 'class="pager"' not in client.get("/classes/Remedy", headers=HTML).text
    view["page"] = {"offset": 0, "limit": 200, "total": 450, "next": 200, "number": 1, "pages": 3}
    html = render("class.html", v=view, lang="zh", alternate="/classes/Remedy.json")
    assert '<a rel="next" href="/concepts?class=Remedy&amp;page=2">' in html and "第 1 / 3 页" in html


def test_english_pages_give_each_quote_the_editors_rendering_under_the_chinese(client):
    """The concept card (its quotes and its links' evidence) and the article reader, in English: the editors'
    English under the verbatim Chinese, marked as theirs; the Chinese pages show the Chinese alone."""
    concept = client.get("/concepts/mechanism-team-learning.json").json()
    quote = concept["quotes"][0]
    assert quote["en"]
    english = client.get("/concepts/mechanism-team-learning?lang=en", headers={"accept": "text/html"}).text
    assert english.index(str(escape(quote["exact"]))) < english.index(str(escape(quote["en"])))
    assert "Editors&#39; translation" in english
    chinese = client.get("/concepts/mechanism-team-learning?lang=zh", headers={"accept": "text/html"}).text
    assert str(escape(quote["en"])) not in chinese and 'class="quote-en"' not in chinese
    article = client.get("/articles/zhonglou.json").json()
    rendered = [r for p in article["paragraphs"] for r in p["renderings"]]
    assert len(rendered) > 100 and all(r["en"] for r in rendered)
    reader = client.get("/articles/zhonglou?lang=en", headers={"accept": "text/html"}).text
    assert reader.count('class="quote-en"') == len(rendered)
    assert 'class="quote-en"' not in client.get("/articles/zhonglou?lang=zh", headers={"accept": "text/html"}).text
