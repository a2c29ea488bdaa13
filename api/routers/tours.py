"""Presentation tours for trainers: ``/tours`` (the list), ``/tours/{tour}`` (the presentation page,
``?step=N`` permalink), ``/tours/{tour}/presenter`` (the presenter's window: notes, next step, timer), ``/tours/{tour}.json`` (every step, or one with ``?step=N``) and ``/tours/{tour}.pdf``
(a handout, one page per step).

Thin over :mod:`kg.pages.tours` (the pages' data, one function each) and :mod:`kg.export.handout` (the PDF).
A page and its JSON twin are one resource: ``/tours/tree`` asked for JSON is ``/tours/tree.json``.
Unknown tour: 404; a step out of range: the page redirects to the nearest step (the last for 999), JSON 400.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import formats, responses, urls
from api.deps import ExplorerDep, LangDep
from api.errors import problem
from api.routers.export import render as render_export
from api.templating import json_island, render
from kg.export.handout import handout_pdf
from kg.export.options import ExportError
from kg.i18n import Message
from kg.pages import tours as pages
from kg.pages.errors import NotFound
from kg.paging import BadPage
from kg.tours.builders import TOURS

router = APIRouter(tags=["tours"], responses=responses.COMMON)


def _find(explorer, name: str):
    """The tour, or a 404 in the user's language that names the tours."""
    try:
        return pages.find_tour(explorer, name)
    except NotFound:
        raise problem(404, Message("unknown_tour", name=name, known=", ".join(TOURS))) from None


def _step_redirect(request: Request, explorer, name: str, step: int | None) -> RedirectResponse | None:
    """A page asked for a step outside the tour goes to the nearest one (``?step=999``: the last), keeping the
    other parameters; None when the step is in the tour."""
    last = len(_find(explorer, name).steps)
    if step is None or 1 <= step <= last:
        return None
    query = dict(request.query_params) | {"step": str(min(max(step, 1), last))}
    return RedirectResponse(str(request.url.replace_query_params(**query)), status_code=307)


def _check_step(explorer, name: str, step: int | None) -> None:
    """JSON asks for a step outside the tour: 400 in the user's language."""
    last = len(_find(explorer, name).steps)
    if step is not None and not 1 <= step <= last:
        raise problem(400, Message("step_range", last=last, number=step))


@router.get("/tours", summary="The presentation tours for trainers", responses=responses.PAGE_OR_JSON)
@router.get("/tours.json", summary="The presentation tours (list)")
def tours_list(request: Request, explorer: ExplorerDep, lang: LangDep):
    return formats.page_or_json(request, lambda: pages.tours_page(explorer, urls), "tours.html",
                                urls.tours("json"), lang)


@router.get("/tours/{name}.pdf", summary="A tour as a PDF handout: one A4 page per step, its graph and quotes",
            responses={200: {"content": {"application/pdf": {}}}} | responses.errors(429, 503))
async def tour_pdf(request: Request, name: str, explorer: ExplorerDep, lang: LangDep,
                   labels: Literal["zh", "en", "both"] | None = Query(None, description="zh, en or both")):
    tour = _find(explorer, name)
    mode = labels or ("en" if lang == "en" else "zh")
    try:
        body = await render_export(request, (id(explorer.catalog), "tour-pdf", name, mode),
                                   lambda: handout_pdf(tour, explorer.catalog, mode))
    except ExportError as exc:
        raise problem(503, exc.message) from None
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": formats.disposition(f"tour-{name}-{mode}.pdf", inline=True)})


@router.get("/tours/{name}", summary="A tour's presentation page (?step=N, &lang=en); as JSON, the tour or the step",
            responses=responses.PAGE_OR_JSON)
@router.get("/tours/{name}.json", summary="A tour with all its steps, or one step (?step=N)")
def tour(name: str, request: Request, explorer: ExplorerDep, lang: LangDep,
         step: int | None = Query(None, description="the step (1-based); the page starts at 1",
                                  json_schema_extra={"minimum": 1})):
    """One handler for the page and its JSON twin: JSON is the whole tour, or the step asked for; the page
    shows that step (the first when none is asked for) and carries the whole tour for its script."""
    fmt = formats.choose(request, ("html", "json"), formats.json_suffix(request))
    alternate = urls.tour(name, "json", step=step)
    if fmt == "json":
        _check_step(explorer, name, step)
    elif (redirect := _step_redirect(request, explorer, name, step)) is not None:
        return redirect
    try:
        if fmt == "json":
            return formats.json(pages.tour_page(explorer, name, urls) if step is None
                                else pages.tour_step_page(explorer, name, step, urls))
        v = pages.tour_step_page(explorer, name, 1 if step is None else step, urls)
        script = pages.tour_script_data(explorer, name, v["step"]["number"], lang, urls)
    except NotFound as exc:
        raise problem(404, exc.message) from None
    except BadPage as exc:
        raise problem(400, exc.message) from None
    script["links"]["presenter"] = urls.tour_presenter(name)
    html = render("tour.html", v=v, lang=lang, alternate=alternate, concepts=script["concepts"],
                  island=json_island(script, "tour-data"), query_lang=request.query_params.get("lang"))
    return formats.html(html, alternate=alternate)


@router.get("/tours/{name}/presenter",
            summary="A tour's presenter window: the step's notes, the next step, a timer and the step list; it "
                    "follows the audience's window (and leads it) in the same browser, offline",
            response_class=HTMLResponse)
def tour_presenter(name: str, request: Request, explorer: ExplorerDep, lang: LangDep,
                   step: int | None = Query(None, description="the step (1-based) to open at",
                                            json_schema_extra={"minimum": 1})):
    if (redirect := _step_redirect(request, explorer, name, step)) is not None:
        return redirect
    try:
        v = pages.tour_step_page(explorer, name, 1 if step is None else step, urls)
        script = pages.tour_script_data(explorer, name, v["step"]["number"], lang, urls, notes=True)
    except NotFound as exc:
        raise problem(404, exc.message) from None
    except BadPage as exc:
        raise problem(400, exc.message) from None
    script["links"]["presenter"] = urls.tour_presenter(name)
    html = render("presenter.html", v=v, lang=lang, concepts=script["concepts"],
                  island=json_island(script, "tour-data"), query_lang=request.query_params.get("lang"))
    return formats.html(html)


__all__ = ["router"]
