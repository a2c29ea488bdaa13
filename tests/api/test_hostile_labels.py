"""A hostile concept label, alternative label and definition, rendered through every page: inert."""

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.support.hostile import HOSTILE, TARGET, hostile_explorer
PAGES = [f"/concepts/{TARGET}", "/concepts", "/classes/LearningMechanism", "/schemes/scheme-45231", "/index", "/",
         "/articles/zhonglou", "/search?q=团队学习", "/graph/tree", "/graph/whole",
         f"/graph/neighbourhood?concept={TARGET}&depth=1", f"/graph/neighbourhood?concept={TARGET}&depth=1&embed=1",
         f"/paths?from={TARGET}&to=layer-roots"]


@pytest.fixture(scope="module")
def hostile_client(explorer):
    with TestClient(create_app(explorer=hostile_explorer(explorer))) as test_client:
        yield test_client


@pytest.mark.parametrize("url", PAGES)
def test_hostile_text_is_escaped_on_every_page(hostile_client, url):
    response = hostile_client.get(url, headers={"accept": "text/html"})
    assert response.status_code == 200, url
    html = response.text
    for raw in HOSTILE:
        assert raw not in html, (url, raw)
    assert "<img src=x" not in html and "<script>alert" not in html and 'href="javascript:' not in html


def test_hostile_text_survives_as_data_in_json(hostile_client):
    data = hostile_client.get(f"/concepts/{TARGET}.json").json()
    assert data["label"]["zh"] == HOSTILE[0]
    assert "&lt;" not in data["label"]["zh"]
