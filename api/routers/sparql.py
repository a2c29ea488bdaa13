"""/sparql: a read-only SPARQL 1.1 Protocol endpoint, thin over :mod:`kg.endpoint`.

GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``) and POST
``application/sparql-query`` (the query as the body).  The Accept header (by q-value) or
``?format=`` picks the serialisation, for each query form, through :func:`api.formats.negotiate`;
the core answers in the one that fits the query's form.  A browser (``text/html`` first in Accept, or
``?format=html``) gets the query page, with the results as a table when it sent a query.
Limits come from :func:`get_limits` (override it in tests).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api import errors, formats
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
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


#: what the endpoint writes, by name: SPARQL results and RDF graphs (the query page lists them)
SPARQL_FORMATS = {f.name: f for f in formats.RESULTS + formats.GRAPHS}
#: for each query form, the formats it can be answered in, the default first
OFFERS = {form: tuple(SPARQL_FORMATS[f.name] for f in serializations)
          for form, serializations in endpoint.SERIALIZATIONS.items()}


def get_limits() -> endpoint.Limits:
    """Time limit, row cap and memory ceiling of one query (``KG_SPARQL_*`` environment variables)."""
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
* POST bodies over {MAX_BODY_BYTES // 1024} KB get 413; other POST body types than form and
  `application/sparql-query` get 415.
"""
RESPONSES = {
    200: {"description": "The results, in the negotiated format; `X-Truncated` says whether they were capped",
          "content": {f.media: {} for f in SPARQL_FORMATS.values()}},
    400: {"description": "Malformed query, missing query, or a graph that is not held here"},
    403: {"description": "An update or SERVICE: this endpoint is read-only and queries only its own graphs"},
    406: {"description": "The Accept header (or `format`) names nothing this query form can be written as"},
    500: {"description": "The query could not be evaluated"},
    503: {"description": "The query exceeded the time or memory limit, or too many queries are running"},
}
POST_RESPONSES = RESPONSES | {
    413: {"description": f"The body is larger than {MAX_BODY_BYTES // 1024} KB"},
    415: {"description": "The body is neither a form nor `application/sparql-query`"},
}
POST_BODY = {"requestBody": {"required": True, "content": {
    FORM: {"schema": {"type": "object", "required": ["query"], "properties": {
        "query": {"type": "string", "description": "The SPARQL query"},
        "default-graph-uri": {"type": "array", "items": {"type": "string"}, "description": _GRAPH_DOC},
        "named-graph-uri": {"type": "array", "items": {"type": "string"}, "description": _GRAPH_DOC},
        "format": {"type": "string", "description": _FORMAT_DOC}}}},
    DIRECT: {"schema": {"type": "string", "description": "The SPARQL query (graph IRIs and format go in the URL)"}},
}}}


@router.get("/sparql", summary="SPARQL query (GET), or the query page for a browser", description=DESCRIPTION,
            response_class=Response, responses=RESPONSES)
def sparql_get(
    request: Request,
    explorer: ExplorerDep,
    limits: LimitsDep,
    lang: LangDep,
    query: Annotated[str | None, Query(description="The SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")] = None,
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri", description=_GRAPH_DOC)] = [],
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri", description=_GRAPH_DOC)] = [],
    format: Annotated[list[str], Query(description=_FORMAT_DOC)] = [],  # noqa: A002 - the protocol's name
) -> Response:
    page = _wants_page(request, format)
    if query is None:
        if page:
            return _page(explorer, limits, lang)
        raise problem(400, Message("sparql_no_query"))
    if len(request.query_params.getlist("query")) > 1:
        raise problem(400, Message("sparql_one_query"))
    if page:
        return _results_page(explorer, limits, lang, query, default_graph_uri, named_graph_uri)
    return _respond(explorer, limits, request, query, default_graph_uri, named_graph_uri, format)


@router.post("/sparql", summary="SPARQL query (POST, form or direct)", description=DESCRIPTION,
             response_class=Response, responses=POST_RESPONSES, openapi_extra=POST_BODY)
async def sparql_post(request: Request, explorer: ExplorerDep, limits: LimitsDep) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == UPDATE:
        raise problem(403, Message("sparql_read_only"))
    if media not in (FORM, DIRECT):
        raise problem(415, Message("sparql_media", form=FORM, direct=DIRECT, media=media or "untyped"))
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
    return await run_in_threadpool(_respond, explorer, limits, request, query, default_graphs, named_graphs,
                                   formats)


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
            chosen[form] = formats.negotiate(offered, accept, requested, f"for a {form} query").name
        except formats.NotAcceptable as exc:
            refusals[form] = exc
    try:
        answer = endpoint.execute(explorer.store, query, default_graphs=default_graphs, named_graphs=named_graphs,
                                  formats=chosen, limits=limits)
    except endpoint.NoFormat as exc:
        raise refusals.get(exc.form, exc) from None
    return Response(answer.body, media_type=SPARQL_FORMATS[answer.format].media,  # text/* get "; charset=utf-8"
                    headers={"X-Truncated": "true" if answer.truncated else "false", "Vary": "Accept"})


def _wants_page(request: Request, requested: list[str]) -> bool:
    """A browser's request: ``?format=html``, or HTML the best of the Accept header's media ranges."""
    if requested:
        return formats.HTML.answers(requested[0].strip().lower())
    ranges = formats.accept_ranges(request.headers.get("accept", ""))
    return bool(ranges) and formats.HTML.answers(ranges[0])


def _results_page(explorer: Explorer, limits: endpoint.Limits, lang: str, query: str,
                  default_graphs: list[str], named_graphs: list[str]) -> HTMLResponse:
    """The query page with the answer: SPARQL JSON shown as a table, Turtle as text (each form's
    default); or the error."""
    try:
        answer = endpoint.execute(explorer.store, query, default_graphs=default_graphs, named_graphs=named_graphs,
                                  limits=limits)
    except endpoint.SparqlError as exc:
        return _page(explorer, limits, lang, query=query, error=exc)
    return _page(explorer, limits, lang, query=query, answer=answer)


def _page(explorer: Explorer, limits: endpoint.Limits, lang: str, query: str | None = None,
          answer: endpoint.Answer | None = None, error: endpoint.SparqlError | None = None) -> HTMLResponse:
    status = errors.status_of(error) if error is not None else 200
    v = sparql_page(explorer, limits, lang, query, answer, error.message if error is not None else None)
    v["formats"] = [{"name": f.name, "media": f.media} for f in SPARQL_FORMATS.values()]
    body = render("sparql.html", lang=lang, alternate=None, v=v, status=status)
    return HTMLResponse(body, status_code=status, headers={"Vary": "Accept"})
