"""api/routers/search.py and web/templates/search.html: the page, /search.json and /suggest.json."""

from __future__ import annotations

import re

import pytest

from api.templating import render

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
HOSTILE = "<img src=x onerror=alert(1)>"


def marks(body: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", body)


# -- the page --------------------------------------------------------------------------


def test_page_lists_hits_with_marks_and_links(client):
    r = client.get("/search", params={"q": "愿景"}, headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    body = r.text
    assert 'href="/concepts/discipline-shared-vision"' in body
    assert 'href="/concepts/vision-zhonglou"' in body
    assert "建立共同<mark>愿景</mark>" in body
    assert set(marks(body)) == {"愿景"}
    assert "Shared vision" in body and "修炼" in body  # en label and class label


def test_page_link_header_and_alternate(client):
    r = client.get("/search", params={"q": "共同愿景", "class": "Notion"}, headers=HTML)
    link = r.headers["link"]
    assert 'rel="alternate"' in link and "/search.json?" in link
    url = re.search(r"<([^>]+)>", link).group(1)
    assert '<link rel="alternate" type="application/json" href="' in r.text
    data = client.get(url).json()
    assert data["query"] == "共同愿景" and data["filters"]["class"] == "Notion"
    assert data["results"][0]["id"] == "notion-shared-vision-yanbian"
    assert {x["class"] for x in data["results"]} == {"Notion"}


def test_the_page_keeps_the_query_in_both_boxes(client):
    html = client.get("/search", params={"q": "团队"}, headers=HTML).text
    assert '<input id="q" name="q" type="search" value="团队"' in html  # the header's box
    assert '<input name="q" type="search" value="团队"' in html  # the page's form


def test_page_without_query(client):
    r = client.get("/search", headers=HTML)
    assert r.status_code == 200 and "<mark>" not in r.text
    assert "gongtongyuanjing" in r.text  # the hint


def test_page_no_results(client):
    r = client.get("/search", params={"q": "zzzzqqqq"}, headers=HTML)
    assert r.status_code == 200 and "没有找到匹配的概念" in r.text
    r = client.get("/search", params={"q": "zzzzqqqq", "lang": "en"}, headers=HTML)
    assert r.status_code == 200 and "No concept matches" in r.text


def test_page_keeps_filters_selected(client):
    r = client.get("/search", params={"q": "机制", "class": "LearningMechanism", "article": "zhonglou"},
                   headers=HTML)
    assert '<option value="LearningMechanism" selected>' in r.text
    assert '<option value="zhonglou" selected>' in r.text
    assert r.text.count('class="hit ') == 5


def test_page_lang_en_puts_english_first(client):
    r = client.get("/search", params={"q": "愿景", "lang": "en"}, headers=HTML)
    assert '<html lang="en">' in r.text
    assert '<span lang="en">Shared vision</span> <span lang="zh-CN" class="other">建立共同愿景</span>' in r.text


def test_hostile_query_rendered_inert(client):
    r = client.get("/search", params={"q": HOSTILE}, headers=HTML)
    assert r.status_code == 200
    assert "<img" not in r.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in r.text


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", "' OR 1=1 --", "a.*(b", "\"><svg onload=x>", "{{ 7*7 }}"])
def test_odd_queries_do_not_break_the_page(client, q):
    r = client.get("/search", params={"q": q}, headers=HTML)
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<svg" not in r.text and "49" not in marks(r.text)


def test_highlight_segments_are_escaped_one_by_one():
    result = {"id": "x", "class": "Notion", "label": {"zh": "<b>标签</b>", "en": "<i>label</i>"},
              "class_label": {"zh": "观念", "en": "Notion"}, "field": "definition", "tier": 5, "lang": "en",
              "url": "/concepts/x",
              "highlight": [{"text": "<script>bad()</script> and ", "mark": False},
                            {"text": "<img src=x onerror=alert(1)>", "mark": True}]}
    view = {"query": "x", "filters": {"class": None, "article": None, "limit": 50}, "count": 1, "results": [result],
            "page": {"offset": 0, "limit": 50, "total": 1, "next": None, "number": 1, "pages": 1}, "more": None,
            "classes": [], "facets": {"classes": [], "articles": []}}
    body = render("search.html", v=view, lang="zh", alternate="/search.json?q=x")
    assert "<script>bad" not in body and "<img" not in body and "<b>" not in body
    assert "&lt;script&gt;bad()&lt;/script&gt; and <mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in body


# -- content negotiation and JSON ------------------------------------------------------------


def test_same_path_json_by_accept(client):
    r = client.get("/search", params={"q": "共同愿景"}, headers=JSON)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json() == client.get("/search.json", params={"q": "共同愿景"}).json()


def test_json_shape(client):
    data = client.get("/search.json", params={"q": "共同愿景"}).json()
    assert set(data) == {"query", "filters", "count", "results", "page", "more", "classes", "schemes", "corrected", "facets"}
    assert data["query"] == "共同愿景"
    assert data["filters"] == {"class": None, "article": None, "limit": 50}
    assert data["count"] == len(data["results"]) > 3
    assert data["page"] == {"offset": 0, "limit": 50, "total": data["count"], "next": None, "number": 1, "pages": 1}
    assert data["more"] is None
    assert [(k["id"], k["url"]) for k in data["classes"]] == [("SharedVision", "/classes/SharedVision")]
    assert {"id": "Notion", "label": {"zh": "观念", "en": "Notion"}} == {k: v for k, v in next(
        c for c in data["facets"]["classes"] if c["id"] == "Notion").items() if k != "count"}
    first = data["results"][0]
    assert {"id", "iri", "class", "label", "tier", "field", "matched", "highlight", "url", "class_label",
            "article"} <= set(first)
    assert first["class_label"] == {"zh": "观念", "en": "Notion"} and first["article"] == "yanbian"
    assert first["id"] == "notion-shared-vision-yanbian"
    assert first["iri"] == "https://w3id.org/lokg/id/notion-shared-vision-yanbian"
    assert first["class"] == "Notion" and first["label"] == {"zh": "共同愿景", "en": "Shared vision"}
    assert (first["tier"], first["field"], first["matched"]) == (0, "label", "共同愿景")
    assert first["highlight"] == [{"text": "共同愿景", "mark": True}]
    assert first["url"] == "/concepts/notion-shared-vision-yanbian"


def test_json_rank_order(client):
    results = client.get("/search.json", params={"q": "Team learning"}).json()["results"]
    assert [r["tier"] for r in results] == sorted(r["tier"] for r in results)
    assert [r["id"] for r in results[:4]] == ["discipline-team-learning", "notion-team-learning-yanbian",
                                              "mechanism-team-learning", "notion-interlocking-stages"]
    assert [r["tier"] for r in results[:4]] == [0, 0, 0, 2]  # the mechanism by its alternative label "team learning"
    for r in results:
        assert "".join(seg["text"] for seg in r["highlight"]) == r["matched"]


def test_json_pinyin_typo_and_filters(client):
    def first(**params):
        return client.get("/search.json", params=params).json()["results"][0]

    assert first(q="gtyj")["id"] == "notion-shared-vision-yanbian"
    assert first(q="gtyj")["field"] == "pinyin"
    assert first(q="mechanizm", **{"class": "LearningMechanism"})["id"] == "mechanism-team-learning"
    data = client.get("/search.json", params={"q": "vision", "class": "ModelComponent", "limit": 5}).json()
    assert [r["id"] for r in data["results"]] == ["vision-zhonglou"]
    assert data["filters"] == {"class": "ModelComponent", "article": None, "limit": 5}
    data = client.get("/search.json", params={"q": "学习", "article": "yanbian", "limit": 7}).json()
    assert data["count"] == 7


def test_json_variants_a_trainer_types(client):
    def search(q):
        return client.get("/search.json", params={"q": q}).json()

    first = search("四个学习理念")["results"][0]  # the text says 四种
    assert first["id"] == "layer-roots"
    assert [seg["text"] for seg in first["highlight"] if seg["mark"]] == ["四种学习理念"]
    data = search("countermeasures")
    assert "part-remedies" in [r["id"] for r in data["results"][:2]]
    assert [k["id"] for k in data["classes"]] == ["Remedy"]
    assert search("钟楼模式")["results"][0]["id"] == "model-45231"
    assert search("第五项修炼")["results"][0]["id"] == "theory-learning-organisation"
    suggested = client.get("/suggest.json", params={"q": "Zhonglou mod"}).json()["suggestions"]
    assert [s["id"] for s in suggested][:1] == ["model-45231"]


def test_json_blank_query(client):
    assert client.get("/search.json", params={"q": "  "}).json()["results"] == []
    assert client.get("/search.json").json()["count"] == 0


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/search.json", "/search", "/suggest.json"])
def test_query_too_long_is_400(client, path):
    r = client.get(path, params={"q": "学" * 201, "lang": "en"}, headers=JSON)
    assert r.status_code == 400
    assert "too long" in r.json()["error"]["message"] and r.json()["error"]["code"] == "query_too_long"
    assert "查询过长" in client.get(path, params={"q": "学" * 201}, headers=JSON).json()["error"]["message"]


def test_query_too_long_page(client):
    r = client.get("/search", params={"q": "x" * 500, "lang": "en"}, headers=HTML)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert "too long" in r.text


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"limit": "many"}, {"class": "NoSuchClass"},
                                    {"article": "beijing"}])
def test_bad_parameters_are_400(client, params):
    r = client.get("/search.json", params={"q": "愿景", **params})
    assert r.status_code == 400
    assert r.json()["error"]["message"]


def test_suggest_bad_limit(client):
    assert client.get("/suggest.json", params={"q": "愿景", "limit": 0}).status_code == 400


# -- suggest -------------------------------------------------------------------------------


def test_suggest_shape(client):
    data = client.get("/suggest.json", params={"q": "gongtong"}).json()
    assert data["query"] == "gongtong"
    assert data["suggestions"] and len(data["suggestions"]) <= 10
    for s in data["suggestions"]:
        assert set(s) == {"id", "zh", "en", "class", "class_label", "article", "article_label", "field", "matched", "url"}
        assert s["url"] == f"/concepts/{s['id']}"
    keys = ("id", "zh", "en", "class", "article", "url")
    assert {"id": "notion-shared-vision-yanbian", "zh": "共同愿景", "en": "Shared vision", "class": "Notion",
            "article": "yanbian", "url": "/concepts/notion-shared-vision-yanbian"} in [
        {k: s[k] for k in keys} for s in data["suggestions"]]


def test_suggest_prefix_first(client):
    data = client.get("/suggest.json", params={"q": "共同", "limit": 3}).json()
    assert len(data["suggestions"]) == 3
    assert data["suggestions"][0]["zh"].startswith("共同")


def test_suggest_empty_and_hostile(client):
    assert client.get("/suggest.json", params={"q": ""}).json() == {"query": "", "suggestions": []}
    r = client.get("/suggest.json", params={"q": HOSTILE})
    assert r.status_code == 200 and r.json()["query"] == HOSTILE


# -- documentation ---------------------------------------------------------------------------


def test_endpoints_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/search.json", "/suggest.json", "/search"):
        op = paths[path]["get"]
        assert op["summary"] and "search" in op["tags"]
    assert paths["/search.json"]["get"]["description"].strip()
    names = {p["name"] for p in paths["/search.json"]["get"]["parameters"]}
    assert {"q", "class", "article", "limit"} <= names


def test_a_full_page_says_it_is_the_first_results_and_links_to_more(client):
    page = client.get("/search", params={"q": "学习"}, headers={"Accept": "text/html"}).text
    assert "前 50 个结果" in page and "limit=100" in page
    everything = client.get("/search", params={"q": "学习", "limit": 200}, headers={"Accept": "text/html"}).text
    assert "前 " not in everything.split('class="count"')[1][:200] and "limit=250" not in everything


def test_results_name_their_article_and_the_classes_the_query_names(client):
    page = client.get("/search", params={"q": "学习力"}, headers={"Accept": "text/html"}).text
    assert page.count('class="badge article"') >= 2 and "延边" in page and "钟楼" in page
    remedies = client.get("/search", params={"q": "remedies"}, headers={"Accept": "text/html"}).text
    assert 'href="/classes/Remedy"' in remedies


def test_no_more_link_when_the_page_holds_every_result(client):
    total = client.get("/search.json", params={"q": "学习", "limit": 200}).json()["count"]
    assert 2 < total < 200
    exact = client.get("/search", params={"q": "学习", "limit": total}, headers={"Accept": "text/html"}).text
    assert f"{total} 个结果" in exact and 'class="more"' not in exact
    short = client.get("/search", params={"q": "学习", "limit": total - 1}, headers={"Accept": "text/html"}).text
    assert f"前 {total - 1} 个结果" in short and 'class="more"' in short


def test_the_json_twin_carries_what_the_page_shows(client):
    """The page and /search.json are one view: the same hits in the same order, the same class and article
    badges, the same "more" link and the same classes named."""
    params = {"q": "学习力", "limit": 3}
    page = client.get("/search", params=params, headers=HTML)
    data = client.get(re.search(r"<([^>]+)>", page.headers["link"]).group(1)).json()
    assert data == client.get("/search", params=params, headers=JSON).json()
    hits = re.findall(r'<li class="hit .*?</li>', page.text, re.S)
    assert [re.search(r'href="/concepts/([^"]+)"', h).group(1) for h in hits] == [r["id"] for r in data["results"]]
    for hit, result in zip(hits, data["results"]):
        assert result["class_label"]["zh"] in hit
        article = {"yanbian": "延边", "zhonglou": "钟楼"}[result["article"]]
        assert ('class="badge article"' in hit) and article in hit
    assert data["page"]["next"] is None and data["page"]["total"] is None and data["more"] == {"limit": 53}
    assert 'href="/search?q=%E5%AD%A6%E4%B9%A0%E5%8A%9B&amp;limit=53"' in page.text
    remedies = client.get("/search.json", params={"q": "remedies"}).json()
    assert [(k["id"], k["url"]) for k in remedies["classes"]] == [("Remedy", "/classes/Remedy")]


def test_every_paged_resource_reports_the_same_page_keys(client):
    keys = {"offset", "limit", "total", "next", "number", "pages"}
    assert set(client.get("/search.json", params={"q": "学习"}).json()["page"]) == keys
    browse = client.get("/concepts.json").json()["page"]
    assert set(browse) == keys and browse["offset"] == 0 and browse["number"] == 1
