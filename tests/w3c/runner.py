"""The W3C SPARQL 1.1 Protocol manifest (``protocol/manifest.ttl``) read as a list of tests, and one test
run against an endpoint: its requests sent in order, each response checked for the expected status class,
format family and boolean.  Adapted from ``../shared/w3c/run_protocol_tests.py``, query side only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import httpx
from rdflib import Graph, Namespace, RDF
from rdflib.collection import Collection

MANIFEST_DIR = Path(__file__).parent / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
#: the graph each data file is held under: the IRI the tests name it by
GRAPHS = {f"data{n}.nt": f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in range(4)}
#: the media types a response of each expected format may have
FAMILIES = {"boolean": ("sparql-results", "json", "xml"), "tabular": ("sparql-results", "csv", "tab-separated"),
            "RDF": ("turtle", "n-triples", "rdf+xml", "ld+json", "n3", "trig", "n-quads")}


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # after /sparql/: the query string, if any
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]  # the first digits expected ("2", "3", "4")
    format: str | None
    boolean: bool | None


def manifest() -> Graph:
    path = MANIFEST_DIR / "manifest.ttl"
    return Graph().parse(path, format="turtle", publicID=path.as_uri())


def query_tests(g: Graph | None = None) -> dict[str, list[Request]]:
    """Every query-side test of the manifest (the update ones left out), by name, in manifest order."""
    g = g if g is not None else manifest()
    root = next(g.subjects(RDF.type, MF.Manifest))
    tests: dict[str, list[Request]] = {}
    for entry in Collection(g, g.value(root, MF.entries)):
        name = str(entry).split("#")[-1]
        if "update" in name:
            continue
        requests = []
        for req in Collection(g, g.value(g.value(entry, MF.action), HT.requests)):
            headers = {}
            listed = g.value(req, HT.headers)
            for h in Collection(g, listed) if listed is not None else ():
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body = None
            b = g.value(req, HT.body)
            if b is not None:  # a body labelled with another encoding is sent as Latin-1, as the shared runner does
                encoding = str(g.value(b, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(b, CNT.chars)).encode("utf-8" if encoding.upper() == "UTF-8" else "iso-8859-1")
            resp = g.value(req, HT.resp)
            expected_boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests.append(Request(
                method=str(g.value(req, HT.methodName)),
                path=str(g.value(req, HT.absolutePath)).removeprefix("/sparql/"),
                headers=headers, body=body,
                statuses=frozenset(str(s).split("StatusCode")[-1][0] for s in g.objects(resp, MF.expectedStatus)),
                format=str(fmt) if fmt is not None else None,
                boolean=bool(expected_boolean.toPython()) if expected_boolean is not None else None))
        tests[name] = requests
    return tests


def run(requests: list[Request], query_url: str, client: httpx.Client) -> str:
    """Send a test's requests to ``query_url``; "" when every response is as expected, else why not."""
    for req in requests:
        response = client.request(req.method, query_url + req.path, content=req.body, headers=req.headers)
        if req.statuses and str(response.status_code)[0] not in req.statuses:
            return f"status {response.status_code}, want {'/'.join(sorted(req.statuses))}xx: {response.text[:300]}"
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if req.format is not None and not any(x in media for x in FAMILIES[req.format]):
            return f"content-type {media!r} for {req.format}"
        if req.boolean is not None:
            try:
                got = json.loads(response.text).get("boolean")
            except ValueError:
                got = True if "<boolean>true</boolean>" in response.text else (
                    False if "<boolean>false</boolean>" in response.text else None)
            if got is not req.boolean:
                return f"boolean {got}, want {req.boolean}"
    return ""
