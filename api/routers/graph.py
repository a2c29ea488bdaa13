"""Graph views: ``/graph/{view}``, as a page, as JSON (``/graph/{view}.json`` or ``Accept``), and the
embeddable neighbourhood (``?embed=1``).

Thin over :mod:`kg.pages.graph` (the page's data: the view and how vis-network draws it); this adds the
links (:func:`api.urls.graph_page_links`).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from api import formats, responses, urls
from api.deps import ExplorerDep, LangDep
from kg.graph.concept_graph import LIMIT_RANGE, NODE_LIMIT
from kg.pages import graph

router = APIRouter(tags=["graph"], responses=responses.COMMON)


@router.get("/graph", include_in_schema=False)
def graph_index():
    return RedirectResponse(urls.graph("tree"), status_code=307)


@router.get("/graph/{view}", summary="A graph view: tree, chain, cross, whole or neighbourhood "
                                      "(/graph/{view}.json: as JSON)", responses=responses.PAGE_OR_JSON)
def graph_view(
    view: str, request: Request, explorer: ExplorerDep,
    concept: str | None = Query(None, description="the concept of a neighbourhood"),
    depth: int = Query(1, description="hops from the concept, 1 to 3", json_schema_extra={"minimum": 1, "maximum": 3}),
    relation: list[str] = Query([], description="only these relations (local names, repeatable)"),
    cls: list[str] = Query([], alias="class", description="only concepts of these classes (and subclasses)"),
    labels: str | None = Query(None, description="zh, en or both", json_schema_extra={"enum": ["zh", "en", "both"]}),
    embed: bool = Query(False, description="a bare page for an <iframe> (neighbourhood)"),
    offset: int = Query(0, description="neighbourhood and whole graph: the page's first concept (see page.next)",
                        json_schema_extra={"minimum": 0}),
    limit: int | None = Query(None, description=f"neighbourhood and whole graph: concepts per page, at most "
                                                f"{LIMIT_RANGE[1]} (default {NODE_LIMIT})",
                                    json_schema_extra={"minimum": LIMIT_RANGE[0], "maximum": LIMIT_RANGE[1]}),
    lang: LangDep = "zh",
):
    name, suffix = formats.split_suffix(view, ("json",))

    def build() -> dict:
        page = graph.graph_page(explorer, name, concept, depth, relation, cls, offset, limit, labels, lang,
                                concept_url=urls.concept, links=urls.graph_script_links())
        return page | urls.graph_page_links(name, graph.view_query(page["params"]), page["labels"])

    neighbourhood = name == "neighbourhood"
    alternate = urls.graph(name, "json", concept=concept if neighbourhood else None,
                           depth=depth if neighbourhood else None, relation=relation or None, **{"class": cls or None},
                           labels=labels or ("en" if lang == "en" else "zh"), offset=offset or None, limit=limit)
    return formats.page_or_json(request, build, "graph_embed.html" if embed else "graph.html", alternate, lang,
                                suffix)
