"""Presentation tours for trainers: ``/tours`` (the list), ``/tours/{tour}`` (the presentation page,
``?step=N`` permalink), ``/tours/{tour}.json`` (every step) and ``/tours/{tour}.pdf`` (a handout, one
page per step).

Thin over :mod:`kg.tours` (what each step shows) and :mod:`kg.network` (the vis-network data, sent as a
JSON island that ``web/static/js/tour-1.js`` reads).  Unknown tour: 404; step out of range: 400.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api import formats, urls
from api.deps import ExplorerDep, LangDep
from api.templating import render, script_texts
from kg import export
from api.templating import json_island
from kg.graph.vis_network import vis_data
from kg.tours import TOURS, Tour, TourError, TourQuote, UnknownTour, cached_handout, get_tour, tours_for

router = APIRouter(tags=["tours"])


def ui_text(lang: str) -> dict:
    """The words tour-1.js writes on the page (the catalogue's ``tour`` section), in ``lang``."""
    return script_texts("tour", lang)


tours_url = urls.tours
tour_url = urls.tour


def quote_url(q: TourQuote) -> str:
    """"Read in context": the article with the quote highlighted, scrolled to its paragraph."""
    return urls.article(q.article, paragraph=q.paragraph, quote=q.id)


# -- helpers ---------------------------------------------------------------------------------------------


def _tour(explorer, name: str) -> Tour:
    try:
        return get_tour(explorer.concept_graph, name)
    except UnknownTour as exc:
        raise HTTPException(404, str(exc)) from None


def _step(tour: Tour, step: int | None) -> int:
    """The 1-based step asked for (1 when none); 400 outside the tour."""
    number = 1 if step is None else step
    try:
        tour.step(number)
    except TourError as exc:
        raise HTTPException(400, f"tour {tour.name!r}: {exc}") from None
    return number


def tour_summaries(explorer) -> list[dict]:
    out = []
    for name, tour in tours_for(explorer.concept_graph).items():
        out.append({**tour.summary(), "url": tour_url(name), "json": tour_url(name, "json"),
                    "pdf": tour_url(name, "pdf")})
    return out


def island_data(explorer, tour: Tour, number: int, lang: str) -> dict:
    """What tour-1.js needs: the steps (without their repeated graphs), the whole tour's vis-network data,
    each concept's labels and page, the links."""
    cat = explorer.catalog
    labels = "en" if lang == "en" else "zh"
    final = tour.final
    steps = []
    for s in tour.steps:
        data = s.as_dict(quote_url, graph=False)
        for key in ("shown", "edges", "earlier"):  # derived in the script from "new" and the whole graph
            data.pop(key, None)
        steps.append(data)
    concepts = {}
    for n in final.nodes:
        concepts[n.id] = {"label": n.label.as_dict(), "class": n.cls,
                          "class_label": {"zh": cat.term_label(n.cls, "zh"), "en": cat.term_label(n.cls, "en")},
                          "url": urls.concept(n.id)}
    return {
        "tour": {"name": tour.name, "title": tour.title.as_dict(), "description": tour.description.as_dict(),
                 "count": len(tour.steps)},
        "lang": lang, "labels": labels, "start": number,
        "layout": tour.layout,
        "steps": steps,
        "concepts": concepts,
        "vis": vis_data(final, cat, labels),
        "ui": ui_text(lang),
        "links": {"list": tours_url(), "page": tour_url(tour.name), "pdf": tour_url(tour.name, "pdf"),
                  "json": tour_url(tour.name, "json")},
    }


# -- routes ------------------------------------------------------------------------------------------------


@router.get("/tours.json", summary="The presentation tours (list)")
def tours_json(explorer: ExplorerDep):
    return formats.json({"tours": tour_summaries(explorer)})


@router.get("/tours", summary="The presentation tours for trainers")
def tours_page(request: Request, explorer: ExplorerDep, lang: LangDep):
    items = tour_summaries(explorer)
    if formats.choose(request, ("html", "json")) == "json":
        return formats.json({"tours": items})
    alternate = tours_url("json")
    return formats.html(render("tours.html", tours=items, lang=lang, alternate=alternate), alternate=alternate)


@router.get("/tours/{name}.json", summary="A tour with all its steps, or one step (?step=N)")
def tour_json(name: str, explorer: ExplorerDep,
              step: int | None = Query(None, description="only this step (1-based)")):
    tour = _tour(explorer, name)
    if step is None:
        return formats.json(tour.as_dict(quote_url))
    number = _step(tour, step)
    return formats.json({**tour.summary(), "step": tour.step(number).as_dict(quote_url)})


@router.get("/tours/{name}.pdf", summary="A tour as a PDF handout: one A4 page per step, its graph and quotes",
            responses={200: {"content": {"application/pdf": {}}}})
async def tour_pdf(name: str, explorer: ExplorerDep, lang: LangDep,
                   labels: Literal["zh", "en", "both"] | None = Query(None, description="zh, en or both")):
    tour = _tour(explorer, name)
    mode = labels or ("en" if lang == "en" else "zh")
    try:
        body = await run_in_threadpool(cached_handout, tour, explorer.catalog, mode)
    except export.ExportError as exc:
        raise HTTPException(503, str(exc)) from None
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="tour-{name}-{mode}.pdf"'})


@router.get("/tours/{name}", summary="A tour's presentation page (?step=N, &lang=en)")
def tour_page(name: str, request: Request, explorer: ExplorerDep, lang: LangDep,
              step: int | None = Query(None, description="the step to show (1-based)")):
    tour = _tour(explorer, name)
    number = _step(tour, step)
    if formats.choose(request, ("html", "json")) == "json":
        return formats.json({**tour.summary(), "step": tour.step(number).as_dict(quote_url)})
    current = tour.step(number)
    alternate = tour_url(name, "json")
    data = island_data(explorer, tour, number, lang)
    context = {
        "tour": tour, "step": current, "number": number, "count": len(tour.steps), "lang": lang,
        "alternate": alternate, "island": json_island(data, "tour-data"),
        "step_data": data["steps"][number - 1], "concepts": data["concepts"],
        "list_url": tours_url(), "pdf_url": tour_url(name, "pdf"),
        "step_url": lambda n: tour_url(name, step=n, lang=request.query_params.get("lang")), "quote_url": quote_url,
    }
    return formats.html(render("tour.html", **context), alternate=alternate)


__all__ = ["TOURS", "quote_url", "router", "tour_url", "tours_url"]
