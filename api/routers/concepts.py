"""Concepts, classes and schemes: one view each, as HTML, JSON or (concepts) RDF."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match, request_response

from api import formats, responses, urls
from api.errors import problem
from api.deps import ExplorerDep, LangDep, get_lang
from kg import rdfformats
from kg.i18n import Message
from kg.pages import site
from kg.pages.graph import nearest_concepts
from kg.explorer import Explorer

router = APIRouter(tags=["concepts"], responses=responses.COMMON)

#: a concept as a page, its data as JSON, or its triples in each RDF format (the URL suffix: .ttl, ...)
CONCEPT_FORMATS = ("html", "json", *(f.name for f in rdfformats.GRAPH_FORMATS))
_RDF = {f.name: f for f in rdfformats.GRAPH_FORMATS}


class DirectRoute(APIRoute):
    """A route that FastAPI documents (OpenAPI, from the endpoint's signature) but that calls its
    endpoint directly, ``endpoint(request, **path_params)``: no dependency solving and no parameter
    validation, which were 40 % of a concept's time -- 2,400 → 3,100-3,500 concept JSON answers a
    second at a million triples (``bench/scale.py``).  For an async endpoint that takes the request
    and plain-string path parameters only.  Answers HEAD as GET, as Starlette's routes do, without
    documenting it as an operation of its own."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.app = request_response(self.get_route_handler())  # Starlette's: no per-request exit stacks

    def matches(self, scope):
        match, child_scope = super().matches(scope)
        if match is Match.PARTIAL and scope.get("method") == "HEAD" and "GET" in self.methods:
            return Match.FULL, child_scope
        return match, child_scope

    async def handle(self, scope, receive, send) -> None:
        if scope["method"] == "HEAD":
            await self.app(scope, receive, send)
        else:
            await super().handle(scope, receive, send)

    def get_route_handler(self):
        endpoint = self.endpoint

        async def handle(request: Request):
            return await endpoint(request=request, **request.path_params)

        return handle


def not_found(explorer: Explorer, name: str) -> HTTPException:
    """404 for an unknown concept that suggests the nearest concepts (labels, class, article)."""
    suggestions = [s | {"url": urls.concept(s["id"])} for s in nearest_concepts(explorer, name)]
    return problem(404, Message("unknown_concept", name=name), suggestions=suggestions)


async def get_concept(name: str, request: Request):
    """Async: the JSON and HTML views are read from the catalog in memory, in well under a
    millisecond, so they run on the event loop (a thread-pool hop cost more than the view).  The
    RDF formats read the store, which may be remote: they go to the thread pool.  The explorer and
    the language are taken from the request directly rather than as dependencies (a
    :class:`DirectRoute`)."""
    explorer: Explorer = request.app.state.explorer
    lang = get_lang(request)
    cid, suffix = formats.split_suffix(name)
    fmt = formats.choose(request, CONCEPT_FORMATS, suffix)
    if cid not in explorer.catalog.concepts:
        raise not_found(explorer, cid)
    if fmt in _RDF:
        text = await run_in_threadpool(
            lambda: site.concept_graph(explorer, cid).serialize(format=_RDF[fmt].rdflib))
        return formats.rdf(text, fmt)
    return formats.page_or_json(request, lambda: site.concept_page(explorer, cid), "concept.html",
                                urls.concept(cid, "json"), lang, suffix)


def add_concept_route(app: FastAPI) -> None:
    """Register ``/concepts/{name}``, the busiest route, on the app itself, ahead of the routers it
    includes: FastAPI looks a request's route up through each included router in turn, a quarter of
    a concept's answer (130 → 100 µs); Starlette's route table finds this one first."""
    app.router.add_api_route("/concepts/{name}", get_concept, methods=["GET"], route_class_override=DirectRoute,
                             tags=["concepts"], summary="A concept as HTML, JSON or RDF",
                             responses=responses.COMMON | {200: {"description": "The concept", "content": {
                                 "text/html": {"schema": {"type": "string"}}, "application/json": {},
                                 "text/turtle": {}, "application/ld+json": {}, "application/rdf+xml": {},
                                 "application/n-triples": {}}}},
                             description="`/concepts/{id}` negotiates on Accept; the suffixes `.json`, `.ttl`, `.jsonld`, "
                                         "`.rdf` and `.nt` choose a format directly.")


@router.get("/id/{name}", summary="Resolve a concept IRI (303 to its page or data)")
def resolve_iri(name: str, request: Request, explorer: ExplorerDep):
    cid, suffix = formats.split_suffix(name)
    if cid not in explorer.catalog.concepts:
        raise not_found(explorer, cid)
    fmt = formats.choose(request, CONCEPT_FORMATS, suffix)
    return RedirectResponse(urls.concept(cid, None if fmt == "html" else formats.PAGE_FORMATS[fmt].suffix),
                            status_code=303,
                            headers={"Vary": "Accept"})


@router.get("/concepts", summary="Browse concepts, filtered by class, scheme or article", responses=responses.PAGE_OR_JSON)
@router.get("/concepts.json", include_in_schema=False)
def browse(request: Request, explorer: ExplorerDep, lang: LangDep,
           cls: str | None = Query(None, alias="class", max_length=64),
           scheme: str | None = Query(None, max_length=64),
           article: str | None = Query(None, max_length=16),
           page: int = Query(1, ge=1, description=f"{site.PAGE_SIZE} concepts a page")):
    alternate = urls.concepts("json", **{"class": cls, "scheme": scheme, "article": article,
                                         "page": page if page > 1 else None})
    return formats.page_or_json(request, lambda: site.browse_page(explorer, cls, scheme, article, page), "browse.html",
                                alternate, lang)


@router.get("/classes/{name}", summary="A class of the ontology and its concepts", responses=responses.PAGE_OR_JSON)
def get_class(name: str, request: Request, explorer: ExplorerDep, lang: LangDep):
    name, suffix = formats.split_suffix(name, ("json", "html"))
    return formats.page_or_json(request, lambda: site.class_page(explorer, name), "class.html",
                                urls.class_(name, "json"), lang, suffix)


@router.get("/schemes/{name}", summary="A concept scheme and its concepts as a tree", responses=responses.PAGE_OR_JSON)
def get_scheme(name: str, request: Request, explorer: ExplorerDep, lang: LangDep):
    name, suffix = formats.split_suffix(name, ("json", "html"))
    return formats.page_or_json(request, lambda: site.scheme_page(explorer, name), "scheme.html",
                                urls.scheme(name, "json"), lang, suffix)
