"""Content negotiation: one resource, rendered as HTML, JSON or RDF -- and the one chooser.

Every response format is a :class:`MediaFormat`: the name a resource renders, the media type it is
sent as, and the other names and media types that ask for it.  :func:`negotiate` picks one from what
a resource offers: a name asked for explicitly (``?format=``, a URL suffix) wins; otherwise the
Accept header's media ranges, best q-value first.  The RDF formats and the SPARQL result formats
come from :mod:`kg.rdfformats`; what is added here is HTTP's: the aliases clients send.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

import orjson

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kg import rdfformats
from kg.i18n import Message

#: the bodies a SPARQL query is POSTed in (SPARQL 1.1 Protocol): a form with ``query=``, and the query itself;
#: the /sparql route reads them, the admission gate refuses them early (api.admission.RefuseEarly)
SPARQL_FORM = "application/x-www-form-urlencoded"
SPARQL_DIRECT = "application/sparql-query"


@dataclass(frozen=True)
class MediaFormat:
    """One way to write a response: ``name`` (what the resource renders), ``media`` (its
    Content-Type), ``suffix`` (in a URL: ``/concepts/x.ttl``) and ``asks``: the other names and media
    types that ask for it."""

    name: str
    media: str
    suffix: str = ""
    asks: tuple[str, ...] = ()

    def answers(self, token: str) -> bool:
        return token in (self.name, self.media, self.suffix) or token in self.asks


#: what clients send for a format of kg.rdfformats, besides its name, media type and suffix
_ALIASES = {
    "turtle": ("n3", "application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
    "json-ld": ("json", "application/json"),  # offered after a page's own JSON, which wins
    "rdfxml": ("xml", "rdf+xml", "application/xml", "text/xml"),
    "nt": ("ntriples", "n-triples", "text/plain"),
    "json": ("application/json", "text/javascript", "application/javascript"),
    "xml": ("application/xml", "text/xml"),
    "csv": (),
    "tsv": (),
}


def _from_table(fmt: rdfformats.Format) -> MediaFormat:
    return MediaFormat(fmt.name, fmt.media, fmt.suffix if fmt.suffixes else "", _ALIASES[fmt.name])


HTML = MediaFormat("html", "text/html", "html", ("application/xhtml+xml",))
#: a page's data as JSON
JSON = MediaFormat("json", "application/json", "json")
#: RDF graphs (a concept's data, a CONSTRUCT), the default first
GRAPHS = tuple(_from_table(f) for f in rdfformats.GRAPH_FORMATS)
#: SPARQL results (SELECT, ASK), the default first
RESULTS = tuple(_from_table(f) for f in rdfformats.RESULT_FORMATS)
#: the formats a page may offer, by name
PAGE_FORMATS = {f.name: f for f in (HTML, JSON, *GRAPHS)}
#: the exported files' media types, by the export's format name (kg.export.options.FORMATS)
EXPORT_MEDIA = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf", "html": "text/html",
                "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
#: the suffixes a page's URL may end with
SUFFIXES = tuple(f.suffix for f in PAGE_FORMATS.values())


class NotAcceptable(HTTPException):
    """406: nothing the resource offers is what the client asked for; the detail a
    :class:`~kg.i18n.Message` (``problem.format.*``) that names what is available."""

    def __init__(self, message: Message) -> None:
        super().__init__(406, message)


def accept_ranges(header: str) -> list[str]:
    """The media ranges of an Accept header that are acceptable (q > 0), best first (q-value, then order)."""
    items = []
    for n, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if bits[0]:
            items.append((bits[0].lower(), q, -n))
    items.sort(key=lambda t: (t[1], t[2]), reverse=True)
    return [m for m, q, _ in items if q > 0]


def negotiate(offered: Sequence[MediaFormat], accept: str = "", requested: Sequence[str | None] = (),
              form: str | None = None) -> MediaFormat:
    """The format to answer with, from ``offered`` (the first is the default): the first name in
    ``requested`` (``?format=``, a URL suffix) that one of them answers to, else the first media
    range of ``accept`` that one of them is (``type/*``: the first of that type).  A blank Accept
    header takes the default.  :class:`NotAcceptable` when nothing fits (``form``: the SPARQL query form it
    was for, if any)."""
    tokens = [t.strip().lower() for t in requested if t and t.strip()]
    for token in tokens:
        for fmt in offered:
            if fmt.answers(token):
                return fmt
    if tokens:
        raise NotAcceptable(Message("format.unavailable_for" if form else "format.unavailable", value=tokens[0],
                                    form=form, known=", ".join(f"{f.name} ({f.media})" for f in offered)))
    if not accept.strip():
        return offered[0]
    ranges = accept_ranges(accept)
    for media in ranges:
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            found = next((f for f in offered if f.media.startswith(media[:-1])), None)
        else:
            found = next((f for f in offered if f.answers(media)), None)
        if found:
            return found
    raise NotAcceptable(Message("format.not_acceptable_for" if form else "format.not_acceptable",
                                asked=", ".join(ranges) or accept, form=form,
                                known=", ".join(f.media for f in offered)))


def choose(request: Request, offered: tuple[str, ...], suffix: str | None = None) -> str:
    """The name of the format to answer a page's request with, from ``offered`` names of
    :data:`PAGE_FORMATS` (the first is the default); 406 when none fits."""
    fmt = negotiate([PAGE_FORMATS[name] for name in offered], request.headers.get("accept", ""),
                    [request.query_params.get("format") or suffix])
    return fmt.name


@dataclass
class Alternate:
    """A ``Link: <url>; rel="alternate"`` to the JSON twin of a page."""

    url: str
    media: str = "application/json"

    def header(self) -> str:
        return f'<{self.url}>; rel="alternate"; type="{self.media}"'


def html(body: str, alternate: str | None = None, status: int = 200) -> HTMLResponse:
    headers = {"Link": Alternate(alternate).header(), "Vary": "Accept"} if alternate else {"Vary": "Accept"}
    return HTMLResponse(body, status_code=status, headers=headers)


class FastJSONResponse(JSONResponse):
    """JSON written by orjson: the same compact UTF-8 JSON as Starlette's encoder, about ten times
    faster (a tenth of a concept request's time on the standard library's)."""

    def render(self, content) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def json(data, status: int = 200) -> JSONResponse:
    return FastJSONResponse(data, status_code=status, headers={"Vary": "Accept"})


def rdf(text: str, fmt: str) -> Response:
    """``text`` in the RDF format named ``fmt`` (:data:`GRAPHS`)."""
    media = PAGE_FORMATS[fmt].media
    return Response(text, media_type=f"{media}; charset=utf-8", headers={"Vary": "Accept"})


def split_suffix(name: str, suffixes=SUFFIXES) -> tuple[str, str | None]:
    """``"mechanism-team-learning.ttl"`` → ``("mechanism-team-learning", "ttl")``."""
    stem, dot, ext = name.rpartition(".")
    if dot and ext in suffixes:
        return stem, ext
    return name, None


def disposition(filename: str, inline: bool = False) -> str:
    """A ``Content-Disposition`` header for a download: an ASCII ``filename`` for old clients and the
    name itself as ``filename*`` (RFC 6266 / 5987), so a file named after a Chinese label is no error."""
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"{'inline' if inline else 'attachment'}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def json_suffix(request: Request) -> str | None:
    """``"json"`` for a route's ``.json`` twin (``/search.json``), registered beside the page's address."""
    return "json" if request.url.path.endswith(".json") else None


def page_or_json(request: Request, build, template: str, alternate: str, lang: str,
                 suffix: str | None = None, not_found: str | None = None):
    """One resource, two renderings: ``build()`` makes the view once; JSON gets it as is, HTML renders
    ``template`` with it (as ``v``).  A :class:`kg.pages.errors.NotFound` from ``build`` becomes a 404, a :class:`~kg.paging.BadPage` a 400."""
    from api.templating import render
    from kg.pages.errors import NotFound
    from kg.paging import BadPage

    fmt = choose(request, ("html", "json"), suffix or json_suffix(request))
    try:
        view = build()
    except NotFound as exc:
        raise HTTPException(404, {"message": not_found or exc.message, **exc.extra}) from None
    except BadPage as exc:
        raise HTTPException(400, {"message": exc.message, **exc.extra}) from None
    if fmt == "json":
        return json(view)
    return html(render(template, v=view, lang=lang, alternate=alternate), alternate=alternate)
