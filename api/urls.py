"""Every URL of the explorer is built here, never pasted together in templates."""

from __future__ import annotations

from urllib.parse import urlencode

RDF_SUFFIXES = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}


def _q(path: str, **params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", [])}
    return f"{path}?{urlencode(clean, doseq=True)}" if clean else path


def home() -> str:
    return "/"


def concept(cid: str, fmt: str | None = None) -> str:
    return f"/concepts/{cid}" + (f".{fmt}" if fmt else "")


def concepts(fmt: str | None = None, **params) -> str:
    return _q("/concepts" + (f".{fmt}" if fmt else ""), **params)


def class_(name: str, fmt: str | None = None) -> str:
    return f"/classes/{name}" + (f".{fmt}" if fmt else "")


def scheme(sid: str, fmt: str | None = None) -> str:
    return f"/schemes/{sid}" + (f".{fmt}" if fmt else "")


def article(key: str, fmt: str | None = None, paragraph: str | None = None, quote: str | None = None) -> str:
    path = f"/articles/{key}" + (f".{fmt}" if fmt else "")
    path = _q(path, quote=quote)
    return path + (f"#{paragraph}" if paragraph else "")


def search(q: str = "", fmt: str | None = None, **params) -> str:
    return _q("/search" + (f".{fmt}" if fmt else ""), q=q, **params)


def suggest(q: str = "") -> str:
    return _q("/suggest.json", q=q)


def graph(view: str, fmt: str | None = None, **params) -> str:
    return _q(f"/graph/{view}" + (f".{fmt}" if fmt else ""), **params)


def paths(fmt: str | None = None, **params) -> str:
    return _q("/paths" + (f".{fmt}" if fmt else ""), **params)


def index(fmt: str | None = None, **params) -> str:
    return _q("/index" + (f".{fmt}" if fmt else ""), **params)


def sparql() -> str:
    return "/sparql"


def static(path: str) -> str:
    return f"/static/{path}"


def export(view: str, fmt: str, **params) -> str:
    return _q(f"/export/{view}.{fmt}", **params)


def tours(fmt: str | None = None) -> str:
    return "/tours" + (f".{fmt}" if fmt else "")


def tour(name: str, fmt: str | None = None, **params) -> str:
    return _q(f"/tours/{name}" + (f".{fmt}" if fmt else ""), **params)
