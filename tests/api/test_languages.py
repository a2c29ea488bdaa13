"""Both languages all the way through (issue 17): errors from the UI catalogue in the user's language with a
stable code; English pages lead with English, Chinese pages with Chinese, through the one pair macro."""

import re

import pytest

from kg.i18n import Message, UnknownText, catalogue

HTML = {"accept": "text/html"}


# -- errors: the catalogue's text in the user's language, a code beside it ----------------------------------


@pytest.mark.parametrize("url, code", [
    ("/concepts/zzz.json", "unknown_concept"),
    ("/classes/Nope.json", "unknown_class"),
    ("/schemes/nope.json", "unknown_scheme"),
    ("/graph/nope.json", "unknown_view"),
    ("/graph/neighbourhood.json", "needs_concept"),
    ("/graph/neighbourhood.json?concept=zzz", "unknown_concept"),
    ("/graph/neighbourhood.json?concept=mechanism-team-learning&depth=9", "out_of_range"),
    ("/graph/tree.json?relation=nope", "unknown_relation"),
    ("/graph/whole.json?offset=-1", "negative"),
    ("/graph/whole.json?limit=-5", "below_one"),
    ("/graph/neighbourhood.json?concept=mechanism-team-learning&offset=-1", "negative"),
    ("/graph/tree.json?labels=fr", "choice"),
    ("/paths.json?from=mechanism-team-learning", "both_ends"),
    ("/paths.json?from=学习力&to=mechanism-team-learning", "ambiguous_name"),
    ("/search.json?q=x&limit=0", "not_a_number"),
    ("/tours/nope.json", "unknown_tour"),
    ("/tours/senge.json?step=999", "step_range"),
    ("/concepts?page=0&format=json", "at_least"),
    ("/sparql", "sparql_no_query"),
])
def test_an_error_has_a_code_and_the_catalogues_text_in_each_language(client, url, code):
    sep = "&" if "?" in url else "?"
    zh = client.get(url + sep + "lang=zh", headers={"accept": "application/json"})
    en = client.get(url + sep + "lang=en", headers={"accept": "application/json"})
    assert zh.status_code == en.status_code and 400 <= zh.status_code < 500, (url, zh.text[:200])
    ez, ee = zh.json()["error"], en.json()["error"]
    assert ez["code"] == ee["code"] == code
    assert re.search(r"[\u4e00-\u9fff]", ez["message"]), ez["message"]  # Chinese for a Chinese user
    assert ee["message"].isascii() or not re.search(r"[\u4e00-\u9fff]{3}", ee["message"].replace("学习力", "")), ee
    assert ez["message"] != ee["message"]


def test_the_error_page_is_in_the_pages_language(client):
    zh = client.get("/graph/neighbourhood?concept=zzz", headers=HTML)
    assert zh.status_code == 404 and "没有 id 为“zzz”的概念" in zh.text and 'data-code="unknown_concept"' in zh.text
    en = client.get("/graph/neighbourhood?concept=zzz&lang=en", headers=HTML)
    assert "There is no concept with the id “zzz”" in en.text and "没有 id" not in en.text


def test_a_json_client_gets_its_accept_language(client):
    body = client.get("/graph/whole.json?offset=-1", headers={"accept-language": "en-US,en;q=0.9"}).json()
    assert body["error"]["message"] == "offset cannot be negative (got -1)."


def test_a_misspelt_code_fails_at_once():
    with pytest.raises(UnknownText):
        Message("no_such_code")
    assert all(set(entry) == {"zh", "en"} for key, entry in catalogue().items() if key.startswith("problem."))


# -- English pages lead with English ---------------------------------------------------------------------------


def first_lang(fragment: str) -> str:
    return re.search(r'<span lang="([^"]+)"', fragment).group(1)


@pytest.mark.parametrize("lang, first, second", [("en", "en", "zh-CN"), ("zh", "zh-CN", "en")])
def test_the_concept_page_leads_with_the_pages_language(client, lang, first, second):
    html = client.get(f"/concepts/remedy-mechanisms?lang={lang}", headers=HTML).text
    h1 = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert first_lang(h1) == first and f'<span lang="{second}" class="other">' in h1
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S) or re.search(r"<ol.*?</ol>", html, re.S)
    assert first_lang(crumbs.group(0)) == first
    chips = re.search(r'<p class="classes">(.*?)</p>', html, re.S).group(1)
    assert first_lang(chips) == first
    for h3 in re.findall(r"<h3>(.*?)</h3>", html, re.S):  # relation headings
        assert first_lang(h3) == first


@pytest.mark.parametrize("lang, first", [("en", "en"), ("zh", "zh-CN")])
def test_the_tree_page_leads_with_the_pages_language(client, lang, first):
    html = client.get(f"/graph/tree?lang={lang}", headers=HTML).text
    assert first_lang(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)) == first
    assert first_lang(re.search(r'<p class="graph-desc">(.*?)</p>', html, re.S).group(1)) == first
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert (title.startswith("The ") or title[0].isascii()) if lang == "en" else not title[0].isascii()


def test_the_site_has_a_natural_english_name(client):
    html = client.get("/?lang=en", headers=HTML).text
    assert "Learning Government Bodies Explorer" in html and "Learning-organ" not in html


def test_home_ways_in_lead_with_the_pages_language(client):
    html = client.get("/?lang=en", headers=HTML).text
    ways = html.split(">Ways in<")[-1] if ">Ways in<" in html else html
    for li in re.findall(r'<a href="/schemes/[^"]+">(.*?)</a>', ways, re.S):
        assert first_lang(li) == "en"


# -- graph pages ------------------------------------------------------------------------------------------------


def test_the_neighbourhood_counter_counts_the_neighbours_it_shows(client):
    data = client.get("/graph/neighbourhood.json?concept=mechanism-team-learning").json()
    total = data["page"]["total"]
    html = client.get("/graph/neighbourhood?concept=mechanism-team-learning", headers=HTML).text
    assert f"已显示 {total} / {total} 个概念" in html
    assert len(data["nodes"]) == total + 1  # the centre and its neighbours


def test_an_unknown_concept_on_the_neighbourhood_page_gets_suggestions(client):
    html = client.get("/graph/neighbourhood?concept=team-learning", headers=HTML).text
    assert "您是不是要找" in html and 'href="/concepts/mechanism-team-learning"' in html
    body = client.get("/graph/neighbourhood.json?concept=team-learning").json()["error"]
    assert body["code"] == "unknown_concept" and body["suggestions"]
    assert {"class_label", "article"} <= set(body["suggestions"][0])


# -- paths ---------------------------------------------------------------------------------------------------


def test_an_ambiguous_name_offers_its_candidates_as_links_and_keeps_the_form(client):
    page = client.get("/paths", params={"from": "学习力", "to": "mechanism-team-learning", "k": 2}, headers=HTML)
    assert page.status_code == 400
    html = page.text
    assert "“学习力”是 2 个概念的名称" in html
    assert 'value="学习力"' in html and 'value="mechanism-team-learning"' in html  # the form as it was
    assert '<option selected>2</option>' in html
    for cid, article in (("notion-learning-power", "钟楼"), ("notion-learning-power-yanbian", "延边")):
        link = re.search(rf'<a href="(/paths\?from={cid}&amp;to=mechanism-team-learning[^"]*)" class="choice">', html)
        assert link, cid
        assert client.get(link.group(1).replace("&amp;", "&"), headers=HTML).status_code == 200
    assert "(学习力" not in html and "延边" in html and "钟楼" in html


def test_an_unknown_name_keeps_the_form_and_offers_what_search_finds(client):
    page = client.get("/paths", params={"from": "gtyj", "to": "mechanism-team-learning"}, headers=HTML)
    assert page.status_code == 404 and 'value="gtyj"' in page.text
    assert 'href="/paths?from=notion-shared-vision-yanbian&amp;to=mechanism-team-learning"' in page.text


def test_the_paths_form_takes_labels_and_shows_them_after_the_question(client):
    html = client.get("/paths?from=mechanism-team-learning&to=notion-shared-vision-yanbian&lang=en",
                      headers=HTML).text
    assert 'value="Team learning mechanism"' in html
    assert len(html.encode()) < 200_000 and html.count("<option") < 60  # no list of every concept


def test_suggestions_tell_two_concepts_of_one_label_apart(client):
    found = client.get("/suggest.json", params={"q": "xuexili"}).json()["suggestions"]
    shared = [s for s in found if s["zh"] == "学习力"]
    assert len(shared) == 2 and {s["article"] for s in shared} == {"yanbian", "zhonglou"}
    assert all(s["class_label"]["zh"] for s in shared)


# -- search and reading ---------------------------------------------------------------------------------------


def test_a_forgiven_typo_says_what_was_searched_for_instead(client):
    data = client.get("/search.json", params={"q": "团对学习"}).json()
    assert data["corrected"] == "团队学习"
    assert "显示的是“团队学习”的结果" in client.get("/search?q=团对学习", headers=HTML).text
    assert "Showing results for “Team learning”" in client.get("/search?q=teem+learning&lang=en", headers=HTML).text
    assert client.get("/search.json", params={"q": "团队学习"}).json()["corrected"] is None  # no typo, no note


@pytest.mark.parametrize("q, scheme", [("五项修炼", "scheme-senge"), ("disciplines", "scheme-senge"),
                                       ("45231", "scheme-45231"), ("树状模型", "scheme-45231")])
def test_schemes_can_be_found_by_search(client, q, scheme):
    data = client.get("/search.json", params={"q": q}).json()
    assert scheme in [s["id"] for s in data["schemes"]]
    assert f'href="/schemes/{scheme}"' in client.get("/search", params={"q": q}, headers=HTML).text


def test_same_label_concepts_are_told_apart_in_results_and_tooltips(client):
    html = client.get("/search?q=学习力", headers=HTML).text
    assert html.count('class="badge article"') >= 2
    nodes = client.get("/graph/whole.json").json()["vis"]["nodes"]
    titles = [n["title"] for n in nodes if n["title"].startswith("学习力\n")]
    assert len(titles) == 2
    assert any("延边" in t for t in titles) and any("钟楼" in t for t in titles)


def test_an_unknown_address_says_so_in_the_users_language(client):
    body = client.get("/no/such/page.json").json()["error"]
    assert body["code"] == "no_such_page" and body["message"] == "没有这个页面。"
    assert client.post("/concepts/remedy-mechanisms.json?lang=en").json()["error"]["code"] == "method_not_allowed"
