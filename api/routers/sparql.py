"""/sparql: a read-only SPARQL 1.1 Protocol endpoint, thin over :mod:`kg.endpoint`.

GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``) and POST
``application/sparql-query`` (the query as the body).  The Accept header (by q-value) or
``?format=`` picks the serialisation, for each query form, through :func:`api.formats.negotiate`;
the core answers in the one that fits the query's form.  A browser (``text/html`` first in Accept, or
``?format=html``) gets the query page, with the results as a table when it sent a query.
Limits come from :func:`get_limits` (override it in tests).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api import admission, errors, formats, responses
from api.deps import ExplorerDep, LangDep
from api.errors import problem
from api.templating import render
from kg import endpoint
from kg.explorer import Explorer
from kg.i18n import Message
from kg.namespaces import PREFIXES
from kg.pages.sparql import sparql_page

router = APIRouter(tags=["sparql"])

#: POST bodies larger than this are refused (413) before they are read in full
MAX_BODY_BYTES = 100 * 1024
FORM, DIRECT = formats.SPARQL_FORM, formats.SPARQL_DIRECT
UPDATE = "application/sparql-update"


#: what the endpoint writes, by name: SPARQL results and RDF graphs (the query page lists them)
SPARQL_FORMATS = {f.name: f for f in formats.RESULTS + formats.GRAPHS}
#: for each query form, the formats it can be answered in, the default first
OFFERS = {form: tuple(SPARQL_FORMATS[f.name] for f in serializations)
          for form, serializations in endpoint.SERIALIZATIONS.items()}


async def get_limits() -> endpoint.Limits:
    """Time limit, row cap and memory ceiling of one query (``KG_SPARQL_*`` environment variables); async:
    a plain function would cost a thread-pool hop on every query, refused ones too."""
    return endpoint.Limits.from_env()


LimitsDep = Annotated[endpoint.Limits, Depends(get_limits)]

_GRAPH_DOC = "IRI of a held graph (see the query page for the list); repeat the parameter for several"
_FORMAT_DOC = ("Overrides the Accept header: " + ", ".join(SPARQL_FORMATS)
               + " (CSV and TSV for SELECT only; turtle, json-ld, nt, rdfxml for CONSTRUCT and DESCRIBE);"
               " html (GET only) for the query page with the results as a table")
DESCRIPTION = f"""Read-only SPARQL 1.1 query endpoint over the whole knowledge graph.

* The project's prefixes are predeclared: {", ".join(f"`{p}:`" for p in PREFIXES)}.
* SELECT and ASK answer in SPARQL JSON (default), XML, CSV or TSV (SELECT only);
  CONSTRUCT and DESCRIBE in Turtle (default), JSON-LD, N-Triples or RDF/XML. Choose with `Accept`
  (q-values are honoured) or `format`; nothing acceptable gives 406.
* Updates (403), SERVICE (403) and graphs that are not held here (400) are refused; nothing is ever fetched.
  FROM / FROM NAMED and `default-graph-uri` / `named-graph-uri` select among the held graphs.
* Each query has a time limit (503 when exceeded, default {endpoint.Limits.timeout_s:g} s) and a cap on the rows
  (default {endpoint.Limits.max_rows:,}); a capped answer carries `X-Truncated: true` and, in JSON, `"truncated": true`.
* At most `KG_SPARQL_SLOTS` queries (default {admission.AdmissionLimits.slots}) run at once; up to
  `KG_SPARQL_QUEUE` more (default {admission.AdmissionLimits.queue}) wait, each for at most
  `KG_SPARQL_QUEUE_WAIT` s (default {admission.AdmissionLimits.wait_s:g}); beyond that 503, and 429 for a client
  with `KG_SPARQL_PER_CLIENT` queries (default {admission.AdmissionLimits.per_client}) running or waiting,
  both at once and with `Retry-After`. When every slot is busy, an express lane runs one query of a client not
  known to be heavy with a budget of `KG_SPARQL_EXPRESS_S` s (default {admission.EXPRESS_S:g}); one that outruns it
  waits again for an ordinary slot, with its full time limit.
* POST bodies over {MAX_BODY_BYTES // 1024} KB get 413; other POST body types than form and
  `application/sparql-query`, and bodies labelled with a charset other than UTF-8, get 415.
* Relative IRIs in a query resolve against the endpoint's URL. A malformed query, or one the evaluator
  refuses (a type error, an unknown function), gets 400 with the parser's or evaluator's message; valid
  SPARQL the engine fails on unexpectedly gets 422 with a generic message (the details go to the server log).
"""
RESPONSES = {
    200: {"description": "The results, in the negotiated format; `X-Truncated` says whether they were capped. "
                         "A browser (or `format=html`) gets the query page, with the results as a table",
          "content": {f.media: {} for f in SPARQL_FORMATS.values()} | {"text/html": {"schema": {"type": "string"}}}},
    400: responses.errors(400)[400] | {
        "description": "Malformed query (the parser's message and line), missing query, a graph that is not held "
                       "here, or valid SPARQL that cannot be evaluated (a type error, a function not known here)"},
    403: responses.errors(403)[403] | {
        "description": "An update or SERVICE: this endpoint is read-only and queries only its own graphs"},
    406: responses.errors(406)[406] | {
        "description": "The Accept header (or `format`) names nothing this query form can be written as"},
    422: responses.errors(422)[422] | {"description": "Valid SPARQL that the engine fails on unexpectedly: a generic "
                                                      "message, the details in the server log"},
    429: responses.errors(429)[429] | {"description": "This client already has its share of queries running or waiting "
                 "(`KG_SPARQL_PER_CLIENT`); `Retry-After` says when to try again",
          "headers": {"Retry-After": {"description": "Seconds", "schema": {"type": "integer"}}}},
    503: responses.errors(503)[503] | {"description": "The query exceeded the time or memory limit, the queue of queries waiting for a slot "
                 "is full, or no slot came free in time; `Retry-After` (on the queue's refusals) says when "
                 "to try again",
          "headers": {"Retry-After": {"description": "Seconds", "schema": {"type": "integer"}}}},
}
POST_RESPONSES = RESPONSES | {
    413: responses.errors(413)[413] | {"description": f"The body is larger than {MAX_BODY_BYTES // 1024} KB"},
    415: responses.errors(415)[415] | {"description": "The body is neither a form nor `application/sparql-query`, or "
                                                      "its charset is not UTF-8"},
}
POST_BODY = {"requestBody": {"required": True, "content": {
    FORM: {"schema": {"type": "object", "required": ["query"], "properties": {
        "query": {"type": "string", "minLength": 1, "description": "The SPARQL query"},
        "default-graph-uri": {"type": "array", "items": {"type": "string"}, "description": _GRAPH_DOC},
        "named-graph-uri": {"type": "array", "items": {"type": "string"}, "description": _GRAPH_DOC},
        "format": {"type": "string", "enum": list(SPARQL_FORMATS), "description": _FORMAT_DOC}}}},
    DIRECT: {"schema": {"type": "string", "minLength": 1,
                        "description": "The SPARQL query (graph IRIs and format go in the URL)"}},
}}}


@router.get("/sparql", summary="SPARQL query (GET), or the query page for a browser", description=DESCRIPTION,
            response_class=Response, responses=RESPONSES)
async def sparql_get(
    request: Request,
    explorer: ExplorerDep,
    limits: LimitsDep,
    lang: LangDep,
    query: Annotated[str | None, Query(description="The SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)",
                                       json_schema_extra={"minLength": 1})] = None,
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri", description=_GRAPH_DOC)] = [],
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri", description=_GRAPH_DOC)] = [],
    format: Annotated[list[str], Query(  # noqa: A002 - the protocol's name
        description=_FORMAT_DOC, json_schema_extra={"items": {"type": "string", "enum": [*SPARQL_FORMATS, "html"]}})] = [],
) -> Response:
    page = _wants_page(request, format)
    if query is None:
        if page:
            return await run_in_threadpool(_page, explorer, limits, lang)
        raise problem(400, Message("sparql_no_query"))
    if len(request.query_params.getlist("query")) > 1:
        raise problem(400, Message("sparql_one_query"))
    if page:
        return await _admitted(request, _results_page, explorer, limits, lang, query, default_graph_uri,
                               named_graph_uri, _base(request))
    return await _admitted(request, _respond, explorer, limits, request, query, default_graph_uri, named_graph_uri,
                           format)


@router.post("/sparql", summary="SPARQL query (POST, form or direct)", description=DESCRIPTION,
             response_class=Response, responses=POST_RESPONSES, openapi_extra=POST_BODY)
async def sparql_post(request: Request, explorer: ExplorerDep, limits: LimitsDep) -> Response:
    media, _, params = request.headers.get("content-type", "").partition(";")
    media = media.strip().lower()
    if media == UPDATE:
        raise problem(403, Message("sparql_read_only"))
    if media not in (FORM, DIRECT):
        raise problem(415, Message("sparql_media", form=FORM, direct=DIRECT, media=media or "untyped"))
    charset = _charset(params)
    if charset not in (None, "utf-8", "utf8"):
        raise problem(415, Message("sparql_charset", charset=charset))
    body = await _read_body(request)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise problem(400, Message("not_utf8")) from None
    url = request.query_params
    if media == DIRECT:
        query, default_graphs, named_graphs = text, url.getlist("default-graph-uri"), url.getlist("named-graph-uri")
        formats = url.getlist("format")
    else:
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form:
            raise problem(403, Message("sparql_read_only"))
        if len(form.get("query", [])) != 1:
            raise problem(400, Message("sparql_one_query"))
        query = form["query"][0]
        default_graphs, named_graphs = form.get("default-graph-uri", []), form.get("named-graph-uri", [])
        formats = form.get("format", []) + url.getlist("format")
    return await _admitted(request, _respond, explorer, limits, request, query, default_graphs, named_graphs,
                           formats)


#: what an OPTIONS request (a CORS preflight among them) is told: any origin may send a query with these
#: headers; no credentials (``Access-Control-Allow-Origin: *`` is added to every /sparql answer by the app)
PREFLIGHT = {
    "Allow": "GET, POST, OPTIONS",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


@router.options("/sparql", summary="The methods /sparql answers (and the CORS preflight)", status_code=204,
                response_class=Response, responses={204: {
                    "description": "No body; `Allow` lists the methods, and the `Access-Control-*` headers say "
                                   "that any origin may query (read-only, without credentials)"}})
async def sparql_options() -> Response:
    return Response(status_code=204, headers=PREFLIGHT)


@router.api_route("/sparql", methods=["HEAD", "PUT", "DELETE", "PATCH"], include_in_schema=False)
async def sparql_other_methods(request: Request) -> Response:
    """405 naming every method /sparql answers (Starlette's own 405 names only the first route's)."""
    raise problem(405, Message("sparql_method", allowed=PREFLIGHT["Allow"], method=request.method),
                  headers={"Allow": PREFLIGHT["Allow"]})


async def _admitted(request: Request, work: Callable[..., Response], *args) -> Response:
    """``work(*args)`` (which runs a query) through the app's admission gate (:mod:`api.admission`):
    it waits for a slot without holding a server thread, or is refused at once (429 or 503)."""
    gate: admission.Gate = request.app.state.sparql_gate
    return await gate.admit(request, partial(work, *args))


def _charset(params: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header's parameters (lower case), if any."""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def _read_body(request: Request) -> bytes:
    too_large = problem(413, Message("body_too_large", kb=MAX_BODY_BYTES // 1024))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise too_large
    return bytes(body)


def _respond(explorer: Explorer, limits: endpoint.Limits, request: Request, query: str,
             default_graphs: list[str], named_graphs: list[str], requested: list[str]) -> Response:
    """The answer in the format the request asks for.  The query's form is known only once it is
    parsed (in the core, under the time limit): the choice is made here for each form, and the core
    takes the one for its query.  A :class:`kg.endpoint.SparqlError` gets its status from
    :data:`api.errors.STATUS`."""
    accept = request.headers.get("accept", "")
    chosen: dict[str, str] = {}
    refusals: dict[str, formats.NotAcceptable] = {}
    for form, offered in OFFERS.items():
        try:
            chosen[form] = formats.negotiate(offered, accept, requested, form).name
        except formats.NotAcceptable as exc:
            refusals[form] = exc
    try:
        answer = endpoint.execute(explorer.store, query, default_graphs=default_graphs, named_graphs=named_graphs,
                                  formats=chosen, limits=limits, base=_base(request))
    except endpoint.NoFormat as exc:
        raise refusals.get(exc.form, exc) from None
    return Response(answer.body, media_type=SPARQL_FORMATS[answer.format].media,  # text/* get "; charset=utf-8"
                    headers={"X-Truncated": "true" if answer.truncated else "false", "Vary": "Accept"})


def _base(request: Request) -> str:
    """The base IRI of a query sent here: the endpoint's URL (the protocol's retrieval URI)."""
    return str(request.url.replace(query="", fragment=""))


def _wants_page(request: Request, requested: list[str]) -> bool:
    """A browser's request: ``?format=html``, or HTML the best of the Accept header's media ranges."""
    if requested:
        return formats.HTML.answers(requested[0].strip().lower())
    ranges = formats.accept_ranges(request.headers.get("accept", ""))
    return bool(ranges) and formats.HTML.answers(ranges[0])


def _results_page(explorer: Explorer, limits: endpoint.Limits, lang: str, query: str,
                  default_graphs: list[str], named_graphs: list[str], base: str | None = None) -> HTMLResponse:
    """The query page with the answer: SPARQL JSON shown as a table, Turtle as text (each form's
    default); or the error."""
    try:
        answer = endpoint.execute(explorer.store, query, default_graphs=default_graphs, named_graphs=named_graphs,
                                  limits=limits, base=base)
    except endpoint.SparqlError as exc:
        return _page(explorer, limits, lang, query=query, error=exc)
    return _page(explorer, limits, lang, query=query, answer=answer)


def _page(explorer: Explorer, limits: endpoint.Limits, lang: str, query: str | None = None,
          answer: endpoint.Answer | None = None, error: endpoint.SparqlError | None = None) -> HTMLResponse:
    status = errors.status_of(error) if error is not None else 200
    v = sparql_page(explorer, limits, lang, query, answer, error.text(lang) if error is not None else None)
    v["formats"] = [{"name": f.name, "media": f.media} for f in SPARQL_FORMATS.values()]
    body = render("sparql.html", lang=lang, alternate=None, v=v, status=status)
    return HTMLResponse(body, status_code=status, headers={"Vary": "Accept"})
