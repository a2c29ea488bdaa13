"""Errors over HTTP in the user's language (Accept-Language, ?lang=) with a stable code: exports, SPARQL,
406 format refusals, a tour's step out of range."""

from __future__ import annotations

EN = {"accept": "application/json", "accept-language": "en"}
ZH = {"accept": "application/json", "accept-language": "zh-CN"}


def both(client, path, **kw):
    """The JSON error in English and in Chinese; the status and the code are the same in both."""
    en, zh = client.get(path, headers=EN, **kw), client.get(path, headers=ZH, **kw)
    assert en.status_code == zh.status_code >= 400
    assert en.json()["error"]["code"] == zh.json()["error"]["code"]
    return en.status_code, en.json()["error"]["code"], en.json()["error"]["message"], zh.json()["error"]["message"]


def test_an_export_that_does_not_fit_advises_in_the_users_language(client):
    status, code, en, zh = both(client, "/export/tree.svg?preset=slide&level=detail&concept=layer-trunk&labels=en")
    assert (status, code) == (400, "export.no_fit")
    assert en.startswith("The tree view at the detail level does not fit on slide") and "preset=a4" in en
    assert zh.startswith("树状模型图的细节放不进 slide 页面") and "放得下的页面（preset=a4" in zh


def test_an_export_level_a_view_does_not_have(client):
    status, code, en, zh = both(client, "/export/whole.svg?level=overview&preset=slide")
    assert (status, code) == (400, "export.one_level")
    assert en == "The whole-graph view has one level, full; overview and detail are for tree, chain."
    assert zh == "全图只有一种详略：full（全部节点）；overview 与 detail 只用于 tree, chain。"


def test_a_sparql_syntax_error_keeps_the_line(client):
    query = "SELECT ?s\nWHERE {\n ?s ?p }"
    for headers, start in ((EN, "The query has a syntax error (line 3, column 2): Expected"),
                           (ZH, "查询有语法错误（第 3 行，第 2 列）：Expected")):
        response = client.get("/sparql", params={"query": query},
                              headers={**headers, "accept": "application/sparql-results+json"})
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "sparql.syntax" and error["message"].startswith(start)


def test_the_sparql_page_shows_the_error_in_its_language(client):
    html = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }", "lang": "en"},
                      headers={"accept": "text/html"}).text
    assert "The query has a syntax error (line 1" in html
    html = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }", "lang": "zh"},
                      headers={"accept": "text/html"}).text
    assert "查询有语法错误（第 1 行" in html


def test_a_format_not_available(client):
    for headers, text in ((EN, "The format “png” is not available for a SELECT query; available: json"),
                          (ZH, "SELECT 查询没有“png”格式；可用：json")):
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "format": "png"},
                              headers=headers)
        assert response.status_code == 406
        error = response.json()["error"]
        assert error["code"] == "format.unavailable_for" and error["message"].startswith(text)


def test_a_tour_step_out_of_range(client):
    status, code, en, zh = both(client, "/tours/chain.json?step=99")
    assert (status, code) == (400, "step_range")
    assert en.startswith("The step must be from 1 to") and zh.startswith("步骤须在 1 到")
