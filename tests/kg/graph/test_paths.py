"""/paths and /paths.json: the k shortest paths between two concepts, as readable chains and as a graph."""

from __future__ import annotations

import json
import re

HTML = {"accept": "text/html"}
A, B = "mechanism-team-learning", "remedy-step-by-step"
QUERY = f"from={A}&to={B}"


def test_form_without_query(client):
    response = client.get("/paths", headers=HTML)
    assert response.status_code == 200
    html = response.text
    assert 'name="from"' in html and 'name="to"' in html and "data-concept-suggest" in html
    assert "<option value=\"mechanism" not in html  # no datalist of every concept: the suggest endpoint
    assert 'id="graph-data"' not in html  # no graph before a question


def test_paths_page(client):
    response = client.get(f"/paths?{QUERY}&k=3&max_length=6", headers=HTML)
    assert response.status_code == 200
    link = response.headers["link"]
    assert 'rel="alternate"' in link and "/paths.json?" in link
    html = response.text
    chains = re.findall(r'<p class="path-chain"[^>]*>(.*?)</p>', html, re.S)
    assert 1 <= len(chains) <= 3
    for chain in chains:
        hrefs = re.findall(r'href="([^"]+)"', chain)
        assert hrefs[0] == f"/concepts/{A}" and hrefs[-1] == f"/concepts/{B}"
        assert all(h.startswith("/concepts/") for h in hrefs)
        assert "→" in chain or "←" in chain
    assert "团队学习机制" in html and "循序渐进" in html
    # the graph of the paths, with the form filled in
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)[1])
    assert data["view"] == "paths" and {A, B} <= {n["id"] for n in data["nodes"]}
    assert data["layout"]["edgeLabels"] is True
    assert f'value="{A}"' in html and f'value="{B}"' in html


def test_paths_page_in_english(client):
    html = client.get(f"/paths?{QUERY}&lang=en", headers=HTML).text
    assert "Team learning mechanism" in html and "part of" in html
    assert '<html lang="en">' in html


def test_paths_json(client):
    response = client.get(f"/paths.json?{QUERY}&k=5&max_length=6&lang=en")
    assert response.status_code == 200
    data = response.json()
    assert data["from"] == A and data["to"] == B and data["k"] == 5 and data["lang"] == "en"
    assert 1 <= data["count"] == len(data["paths"]) <= 5
    for path in data["paths"]:
        assert path["nodes"][0] == A and path["nodes"][-1] == B
        assert path["length"] == len(path["steps"]) <= 6
        assert path["chain"].startswith("Team learning mechanism") and path["chains"]["zh"].startswith("团队学习机制")
        for step in path["steps"]:
            assert step["direction"] in ("forward", "backward")
            assert step["label"]["zh"] and step["label"]["en"]
    assert data["concepts"][A]["url"] == f"/concepts/{A}"
    lengths = [p["length"] for p in data["paths"]]
    assert lengths == sorted(lengths)


def test_the_json_twin_carries_the_page(client):
    """The page's graph, form and choices are its JSON twin's: one page model."""
    page = client.get(f"/paths?{QUERY}&k=2", headers=HTML)
    twin = client.get(page.headers["link"].split(">")[0].lstrip("<")).json()
    island = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page.text, re.S)[1]
    assert json.loads(island) == twin["graph"] and twin["graph"]["view"] == "paths"
    assert twin["form"]["from"] == "团队学习机制" and twin["form"]["k"] == 2  # the label naming it alone
    assert "concepts" not in twin["choices"] and twin["choices"]["relations"]
    assert all(c["class_label"]["zh"] for c in twin["concepts"].values())


def test_paths_json_by_accept_header(client):
    data = client.get(f"/paths?{QUERY}", headers={"accept": "application/json"}).json()
    assert data["from"] == A and data["paths"]


def test_relation_filter_and_max_length(client):
    data = client.get(f"/paths.json?{QUERY}&relation=partOf&relation=exemplifies&k=4&max_length=8").json()
    assert data["relations"] == ["partOf", "exemplifies"] and data["paths"]
    for path in data["paths"]:
        assert {s["relation"] for s in path["steps"]} <= {"partOf", "exemplifies"}
    none = client.get(f"/paths.json?{QUERY}&max_length=1").json()
    assert none["count"] == 0 and none["paths"] == []
    page = client.get(f"/paths?{QUERY}&max_length=1", headers=HTML)
    assert page.status_code == 200 and "没有找到" in page.text


def test_labels_resolve_to_concepts(client):
    data = client.get("/paths.json", params={"from": "团队学习机制", "to": B}).json()
    assert data["from"] == A and data["paths"]


def test_errors(client):
    assert client.get(f"/paths.json?from={A}&to=no-such-concept").status_code == 404
    assert client.get(f"/paths?from={A}&to=no-such-concept", headers=HTML).status_code == 404
    assert client.get(f"/paths.json?from={A}").status_code == 400
    assert client.get("/paths.json").status_code == 400
    for bad in ("k=0", "k=11", "max_length=0", "max_length=11", "k=x", "lang=fr", "relation=noSuchRelation"):
        response = client.get(f"/paths.json?{QUERY}&{bad}")
        assert response.status_code == 400, bad
        assert response.json()["error"]["message"]
    assert client.get(f"/paths.json?from={A}&to={A}").status_code == 400


def test_a_label_beats_an_alternative_label_and_a_shared_name_is_not_guessed(client):
    # 共同愿景 is the Yanbian notion's label and an alternative label of Senge's discipline
    data = client.get("/paths.json", params={"from": "共同愿景", "to": B}).json()
    assert data["from"] == "notion-shared-vision-yanbian"
    # 学习力 is a concept of each article: the answer lists both instead of picking one
    shared = client.get("/paths.json", params={"from": "学习力", "to": B})
    assert shared.status_code == 400
    error = shared.json()["error"]
    assert error["code"] == "ambiguous_name" and "学习力" in error["message"]
    offered = {c["id"]: c for c in error["candidates"]}
    assert set(offered) == {"notion-learning-power", "notion-learning-power-yanbian"}
    assert {c["article"] for c in offered.values()} == {"zhonglou", "yanbian"}
    assert all(c["label"]["zh"] == "学习力" and c["class_label"]["en"] for c in offered.values())


def test_an_unknown_name_gets_what_search_finds(client):
    response = client.get("/paths.json", params={"from": "gtyj", "to": B})  # pinyin initials of 共同愿景
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_name" and "gtyj" in error["message"]
    assert "notion-shared-vision-yanbian" in [c["id"] for c in error["candidates"]]
    assert client.get("/paths.json", params={"from": "zzzzqqq", "to": B}).json()["error"]["candidates"] == []
