"""Graph views: ``/graph/{view}`` (HTML, with a ``.json`` twin) and the embeddable neighbourhood.

Thin over :mod:`kg.graphs` (what is in a view) and :mod:`kg.network` (how vis-network draws it).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from api import formats, urls
from api.routers.export import export_links
from api.deps import ExplorerDep, LangDep
from api.templating import render
from kg.graphs import LIMIT_RANGE, NODE_LIMIT, GraphError, GraphView, UnknownConcept, UnknownView
from kg.network import json_island, payload
from kg.styles import GRAPH_VIEWS as VIEWS, LABEL_MODES, STANDARD_VIEWS as TABS

router = APIRouter(tags=["graph"])

#: the tabs of the graph pages, in order (neighbourhood only when a concept is chosen); their words
#: are the catalogue's graph.tab.NAME


def label_mode(labels: str | None, lang: str | None) -> str:
    if labels is None:
        return "en" if lang == "en" else "zh"
    if labels not in LABEL_MODES:
        raise HTTPException(400, f"labels must be one of {', '.join(LABEL_MODES)}, not {labels!r}")
    return labels


def build_view(explorer, view: str, concept: str | None, depth: int, relation: list[str],
               classes: list[str], offset: int = 0, limit: int | None = None) -> GraphView:
    """The view, with kg errors turned into HTTP ones (unknown concept or view 404, bad parameter 400)."""
    try:
        return explorer.concept_graph.view(view, concept=concept, depth=depth, relations=relation,
                                           classes=classes, offset=offset, limit=limit)
    except UnknownView as exc:
        raise HTTPException(404, str(exc)) from None
    except UnknownConcept as exc:
        raise HTTPException(404, str(exc)) from None
    except GraphError as exc:
        raise HTTPException(400, str(exc)) from None


def query_params(view: GraphView, labels: str | None = None) -> dict:
    """The query string that reproduces the view (for links and the JSON twin)."""
    params = {"concept": view.params.get("concept"), "depth": view.params.get("depth"),
              "relation": view.params.get("relation") or None, "class": view.params.get("class") or None}
    if labels:
        params["labels"] = labels
    return params


def script_links() -> dict:
    """URLs graph-1.js needs (built here, never pasted together in the script)."""
    return {"neighbourhood_json": urls.graph("neighbourhood", "json"),
            "whole_json": urls.graph("whole", "json"),
            "neighbourhood": urls.graph("neighbourhood"),
            "concept": urls.concept("__ID__")}


def graph_tabs(current: str, concept: str | None = None) -> list[dict]:
    """The tabs of the graph pages; the neighbourhood tab only when a concept is chosen."""
    tabs = [{"name": name, "url": urls.graph(name), "current": name == current} for name in TABS]
    if current == "neighbourhood":
        tabs.append({"name": "neighbourhood", "current": True,
                     "url": urls.graph("neighbourhood", concept=concept)})
    tabs.append({"name": "paths", "url": urls.paths(), "current": current == "paths"})
    return tabs


def view_payload(explorer, view: GraphView, labels: str) -> dict:
    return payload(view, explorer.catalog, labels, concept_url=urls.concept, links=script_links())


def page_context(explorer, view: GraphView, labels: str, lang: str | None) -> dict:
    data = view_payload(explorer, view, labels)
    params = query_params(view)
    tabs = graph_tabs(view.name, view.params.get("concept"))
    cat = explorer.catalog
    concepts = {n.id: cat.concepts[n.id] for n in view.nodes if n.id in cat.concepts}
    return {
        "view": view, "data": data, "island": json_island(data), "labels": labels, "lang": lang,
        "tabs": tabs, "alternate": urls.graph(view.name, "json", **params, labels=labels),
        "concepts": concepts, "catalog": cat, "relation_label": cat.relation_label,
        "embed_url": urls.graph(view.name, **params, embed=1) if view.name == "neighbourhood" else None,
        "exports": export_links(view.name, params, labels),
    }


@router.get("/graph", include_in_schema=False)
def graph_index():
    return RedirectResponse(urls.graph("tree"), status_code=307)


@router.get("/graph/{view}.json", summary="A graph view as JSON")
def graph_json(
    view: str, explorer: ExplorerDep,
    concept: str | None = Query(None, description="the concept of a neighbourhood"),
    depth: int = Query(1, description="hops from the concept, 1 to 3"),
    relation: list[str] = Query([], description="only these relations (local names, repeatable)"),
    cls: list[str] = Query([], alias="class", description="only concepts of these classes (and subclasses)"),
    labels: str | None = Query(None, description="zh, en or both"),
    offset: int = Query(0, description="neighbourhood and whole graph: the page's first concept (see page.next)"),
    limit: int | None = Query(None, description=f"neighbourhood and whole graph: concepts per page, at most "
                                                f"{LIMIT_RANGE[1]} (default {NODE_LIMIT})"),
    lang: LangDep = "zh",
):
    graph_view = build_view(explorer, view, concept, depth, relation, cls, offset, limit)
    return formats.json(view_payload(explorer, graph_view, label_mode(labels, lang)))


@router.get("/graph/{view}", summary="A graph view: tree, chain, cross, whole or neighbourhood")
def graph_page(
    view: str, request: Request, explorer: ExplorerDep,
    concept: str | None = Query(None, description="the concept of a neighbourhood"),
    depth: int = Query(1, description="hops from the concept, 1 to 3"),
    relation: list[str] = Query([], description="only these relations (local names, repeatable)"),
    cls: list[str] = Query([], alias="class", description="only concepts of these classes (and subclasses)"),
    labels: str | None = Query(None, description="zh, en or both"),
    embed: bool = Query(False, description="a bare page for an <iframe> (neighbourhood)"),
    offset: int = Query(0, description="neighbourhood and whole graph: the page's first concept"),
    limit: int | None = Query(None, description="neighbourhood and whole graph: concepts per page"),
    lang: LangDep = "zh",
):
    if view not in VIEWS:
        raise HTTPException(404, f"unknown view {view!r}; views: {', '.join(VIEWS)}")
    fmt = formats.choose(request, ("html", "json"))
    graph_view = build_view(explorer, view, concept, depth, relation, cls, offset, limit)
    mode = label_mode(labels, lang)
    if fmt == "json":
        return formats.json(view_payload(explorer, graph_view, mode))
    context = page_context(explorer, graph_view, mode, lang)
    template = "graph_embed.html" if embed else "graph.html"
    return formats.html(render(template, **context), alternate=context["alternate"])
