"""api/app.py's security headers on every response, the CORS policy of /sparql and its OPTIONS."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlencode

import pytest

from kg.export.standalone import template_env


def directives(csp: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in csp.split(";")) if d}


RESPONSES = {
    "page": ("GET", "/", {"accept": "text/html"}),
    "json": ("GET", "/-/health", {}),
    "static": ("GET", "/static/js/site-1.js", {}),
    "graph page": ("GET", "/graph/tree", {"accept": "text/html"}),
    "404 page": ("GET", "/no/such/page", {"accept": "text/html"}),
    "404 json": ("GET", "/concepts/nothing.json", {}),
    "sparql 400": ("GET", "/sparql?query=SELEKT", {}),
    "sparql 405": ("PUT", "/sparql", {}),
    "validation 422": ("GET", "/search.json?limit=x", {}),
    "openapi": ("GET", "/openapi.json", {}),
}


@pytest.mark.parametrize("name", RESPONSES)
def test_every_response_carries_the_headers(client, name):
    method, url, headers = RESPONSES[name]
    r = client.request(method, url, headers=headers)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    csp = directives(r.headers["content-security-policy"])
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval
    assert csp["style-src"] == ["'self'"] and csp["style-src-attr"] == ["'unsafe-inline'"]
    assert csp["frame-ancestors"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["default-src"] == ["'self'"] and csp["base-uri"] == ["'self'"]
    assert "server" not in r.headers


def test_no_inline_script_in_the_pages(client):
    """What the CSP refuses is not in the pages: no inline script (JSON islands are data), no handler."""
    for url in ["/", "/graph/tree", "/concepts/mechanism-team-learning", "/sparql", "/tours", "/search?q=愿景"]:
        html = client.get(url, headers={"accept": "text/html"}).text
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            assert "src=" in attrs or 'type="application/json"' in attrs, (url, attrs)
            assert "src=" not in attrs or not body.strip()
        assert not re.search(r"\son[a-z]+=", html), url
        assert "<style" not in html, url


def test_docs_allow_only_their_own_inline_script(client):
    r = client.get("/docs")
    inline = re.findall(rb"<script>(.*?)</script>", r.content, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0]).digest()).decode()
    assert directives(r.headers["content-security-policy"])["script-src"] == ["'self'", f"'sha256-{digest}'"]


def test_offline_export_csp_has_no_eval():
    source = template_env().loader.get_source(template_env(), "export_standalone.html")[0]
    csp = directives(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', source)[1])
    assert csp["default-src"] == ["'none'"] and "'unsafe-eval'" not in csp["script-src"]


# --- CORS and OPTIONS on /sparql ------------------------------------------------------------------

ORIGIN = {"origin": "https://elsewhere.example"}


def test_sparql_answers_any_origin(client):
    get = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=ORIGIN)
    post = client.post("/sparql", content=urlencode({"query": "ASK { ?s ?p ?o }"}),
                       headers={**ORIGIN, "content-type": "application/x-www-form-urlencoded"})
    direct = client.post("/sparql", content=b"ASK { ?s ?p ?o }",
                         headers={**ORIGIN, "content-type": "application/sparql-query"})
    refused = client.get("/sparql", params={"query": "SELEKT"}, headers=ORIGIN)
    for r in (get, post, direct, refused):
        assert r.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in r.headers
        assert "X-Truncated" in r.headers["access-control-expose-headers"]
    assert get.json()["boolean"] is True and refused.status_code == 400


def test_preflight_and_options(client):
    r = client.options("/sparql", headers={**ORIGIN, "access-control-request-method": "POST",
                                           "access-control-request-headers": "content-type"})
    assert r.status_code == 204 and r.content == b""
    assert r.headers["access-control-allow-origin"] == "*"
    assert set(r.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST", "OPTIONS"}
    assert "content-type" in r.headers["access-control-allow-headers"].lower()
    plain = client.options("/sparql")
    assert plain.status_code == 204 and set(plain.headers["allow"].split(", ")) == {"GET", "POST", "OPTIONS"}


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "HEAD"])
def test_405_names_every_method(client, method):
    r = client.request(method, "/sparql")
    assert r.status_code == 405 and set(r.headers["allow"].split(", ")) == {"GET", "POST", "OPTIONS"}


def test_other_routes_are_not_cross_origin(client):
    for url in ["/-/health", "/search.json?q=愿景", "/graph/tree.json"]:
        assert "access-control-allow-origin" not in client.get(url, headers=ORIGIN).headers


def test_a_crash_answers_500_with_the_headers_and_no_internal_text(explorer):
    """An unhandled exception is answered by Starlette's outermost error middleware: the headers are
    added around it too (api.app.App), and the answer says nothing of the exception."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    app = create_app(explorer=explorer)

    @app.get("/crash")
    async def crash():
        raise RuntimeError("secret-internal-detail in /srv/kg/store.py")

    with TestClient(app, raise_server_exceptions=False) as crashing:
        for headers in ({"accept-language": "en"}, {"accept": "text/html"}):
            r = crashing.get("/crash", headers=headers)
            assert r.status_code == 500
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "same-origin"
            assert "frame-ancestors 'self'" in r.headers["content-security-policy"]
            assert "secret" not in r.text and "RuntimeError" not in r.text and "/srv" not in r.text
        assert r.headers["content-type"].startswith("text/html")
        assert crashing.get("/crash", headers={"accept-language": "en"}).json()["error"]["code"] == "internal"
