"""Exports: one endpoint per view and format, the options as query parameters (thin over :mod:`kg.export`).
Drawings are bounded: a request already drawn is answered from memory (:mod:`kg.export.serving`) at once;
any other waits for a drawing slot on the event loop, without holding a server thread, and is drawn in the
export gate's own threads, or is refused at once (:mod:`api.admission`, ``app.state.export_gate``).  Every
route that draws goes through :func:`render` (the tours' PDF too).

Before a drawing is queued, what can be known of its limits is checked (:func:`check_png_size`: a PNG
over the pixel limit gets its 400 at once, never a 503 for a full queue); and identical requests drawn at
the same time are drawn once (:func:`render`: the later ones wait for the first one's drawing)."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass, replace
from typing import Annotated, Literal

from collections import OrderedDict
from collections.abc import Callable, Hashable

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from api import admission, formats, responses
from api.deps import ExplorerDep, LangDep
from api.errors import problem
from kg.export.files import ViewRequest, build_view, export_bytes, file_name
from kg.export.image import PNG_MAX_PIXELS, PNG_MAX_PX, check_pixels
from kg.export.levels import LEVELS
from kg.export.options import FORMATS, PRESETS, THEMES, TURNED, ExportError, ExportOptions
from kg.export.serving import RecentExports
from kg.graph.model import GraphError
from kg.i18n import Message
from kg.pages.errors import NotFound
from kg.pages.tours import find_tour
from kg.styles import EXPORT_VIEWS, LABEL_MODES
from kg.tours.builders import TOURS

router = APIRouter(tags=["export"], responses=responses.errors(400, 404, 406, 413, 429, 503))
RECENT = RecentExports()


async def render(request: Request, key: Hashable, make: Callable[[], bytes],
                 check: Callable[[], None] | None = None) -> bytes:
    """The export for ``key``: from memory at once when drawn before; else ``check()`` (the limits known
    before drawing: its 400 comes before any queue's 503), then the drawing already under way for the
    same ``key`` (awaited, not drawn again), else ``make()`` through the app's export gate (waits for a
    slot without a server thread; 429 or 503 with Retry-After at once when the client has its share or
    the queue is full).  A request that joined a drawing refused at the door (429, 503) tries itself."""
    found = RECENT.cached(key)
    if found is not None:
        return found
    if check is not None:
        check()
    drawing: dict[Hashable, asyncio.Future] = request.app.state.drawing
    while (under_way := drawing.get(key)) is not None:
        try:
            return await asyncio.shield(under_way)
        except HTTPException as exc:
            if exc.status_code not in (429, 503) or "retry-after" not in {k.lower() for k in exc.headers or {}}:
                raise
        found = RECENT.cached(key)
        if found is not None:
            return found
    gate: admission.Gate = request.app.state.export_gate
    task = asyncio.ensure_future(gate.admit(request, lambda: RECENT.make(key, make)))
    drawing[key] = task

    def done(finished: asyncio.Future) -> None:
        if drawing.get(key) is finished:
            del drawing[key]
        if not finished.cancelled():
            finished.exception()  # read here: the requests that awaited it may all have gone

    task.add_done_callback(done)
    return await asyncio.shield(task)


#: the size in inches of PNG drawings made or refused, by request at 96 dpi and scale 1 (the size does not
#: depend on the resolution): a later request for the same drawing at a resolution over the pixel limit is
#: refused before it is queued
PNG_SIZES: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()
PNG_SIZES_KEPT = 1024


def _size_key(key: Hashable, options: ExportOptions) -> Hashable:
    return key[:-1] + (replace(options, dpi=96, scale=1.0),)


def check_png_size(key: Hashable, options: ExportOptions) -> None:
    """400 (as :func:`kg.export.image.check_pixels`) for a PNG whose size is known before drawing — on a
    page of a fixed size, or drawn (or refused) before at another resolution — when it is clearly over
    the pixel limit.  A PNG at the border, or whose size is not known yet, is left to the drawing's own
    check."""
    if options.fmt != "png":
        return
    page = PRESETS.get(f"{options.preset}-portrait" if options.preset in TURNED else options.preset)
    size = page or PNG_SIZES.get(_size_key(key, options))
    if size is None:
        return
    dpi = options.effective_dpi
    px = (round(size[0] * dpi), round(size[1] * dpi))
    if max(px) > PNG_MAX_PX * 1.01 or px[0] * px[1] > PNG_MAX_PIXELS * 1.01:
        check_pixels(px, dpi, *size)


def _remember_png_size(key: Hashable, options: ExportOptions, png: bytes | None = None,
                       error: ExportError | None = None) -> None:
    """Keep the size in inches of a PNG drawn (its header's pixels at its resolution) or refused for its size."""
    if options.fmt != "png" or options.preset != "none":
        return
    if png is not None and png[12:16] == b"IHDR":
        px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        dpi = options.effective_dpi
    elif error is not None and error.message.code == "export.png_too_big":
        values = error.message.values
        px, dpi = (int(values["width"]), int(values["height"])), float(values["dpi"])
    else:
        return
    size_key = _size_key(key, options)
    PNG_SIZES[size_key] = (px[0] / dpi, px[1] / dpi)
    PNG_SIZES.move_to_end(size_key)
    while len(PNG_SIZES) > PNG_SIZES_KEPT:
        PNG_SIZES.popitem(last=False)

FLAG_OFF = {"0", "false", "no", "off", ""}
FLAG_ON = {"1", "true", "yes", "on"}


def _flag(value: str | None, default: bool = True) -> bool:
    return default if value is None else value.strip().lower() not in FLAG_OFF


def _title(value: str | None) -> bool | str:
    """``title=0`` hides the title, ``title=1`` (or none) shows the view's own, any other text replaces it."""
    if value is None or value.strip().lower() in FLAG_ON:
        return True
    if value.strip().lower() in FLAG_OFF:
        return False
    return value


DESCRIPTION = (
    "Views: tree, chain, cross, whole, neighbourhood (`concept`, `depth`), paths (`from`, `to`, `k`, `max_length`). "
    "`level`: auto (the tree's and the chain's overview on a page, the full drawing at its own size), overview "
    "(the tree's 5 layers and 15 components; the chain's 3 significances, 3 problems and 6 remedies), detail "
    "(`concept` or `selected`: one layer or component of the tree with its practices, one item of the chain with "
    "its points) or full (every node). Filters as on the graph page: `class`/`relation` keep only those, "
    "`hide_class`/`hide_relation` leave those out. Options: `preset` (none: the drawing's own size; slide: a "
    "16:9 page, 1280×720 px at 96 dpi; a4: an A4 page turned to fit; a4-portrait; a4-landscape; a3 and a2: "
    "posters, turned to the drawing like a4, or a3-portrait, a3-landscape, a2-portrait, a2-landscape), `theme` (light, print), `labels` (zh, en, both), `title` (1, 0 or your own text), `legend`, "
    "`source` (1 or 0), `date` (YYYY-MM-DD), and for PNG `dpi` (300 for print) and `scale`. A drawing whose "
    "text would be too small to read on the page (20 px on a slide, 8 pt on paper) is refused (400) with the "
    "level or page that works; a PNG over 40 million pixels likewise, naming the largest dpi. The same request "
    "gives the same SVG.")


async def export_query(
    concept: str | None = Query(None, max_length=120),
    depth: int = Query(1, ge=1, le=3),
    source: str | None = Query(None, alias="from", max_length=120),
    target: str | None = Query(None, alias="to", max_length=120),
    k: int = Query(3, ge=1, le=10),
    max_length: int = Query(6, ge=1, le=10),
    relation: list[str] = Query([], max_length=40),
    cls: list[str] = Query([], alias="class", max_length=40),
    hide_class: list[str] = Query([], max_length=40),
    hide_relation: list[str] = Query([], max_length=40),
    selected: str | None = Query(None, max_length=120),
    level: Literal[LEVELS] = "auto",
    preset: Literal[tuple(PRESETS)] = "none",
    theme: Literal[THEMES] = "light",
    labels: Literal[LABEL_MODES] = "zh",
    title: str | None = Query(None, max_length=200),
    legend: str | None = Query(None, max_length=5),
    source_line: str | None = Query(None, alias="source", max_length=5),
    date: str | None = Query(None, pattern=r"^\d{4}-\d{2}-\d{2}$"),
    dpi: int = Query(96, ge=36, le=1200),
    scale: float = Query(1.0, ge=0.1, le=10),
) -> "ExportQuery":
    """The export's query parameters (both export routes take the same: one dependency, documented once).
    Async: a plain function would cost a hop through the server's thread pool, behind the pages, on every
    export (refused ones too)."""
    return ExportQuery(concept, depth, source, target, k, max_length, tuple(relation), tuple(cls), tuple(hide_class),
                       tuple(hide_relation), selected, level, preset, theme, labels, title, legend, source_line,
                       date, dpi, scale)


@dataclass(frozen=True)
class ExportQuery:
    concept: str | None
    depth: int
    source: str | None
    target: str | None
    k: int
    max_length: int
    relation: tuple
    cls: tuple
    hide_class: tuple
    hide_relation: tuple
    selected: str | None
    level: str
    preset: str
    theme: str
    labels: str
    title: str | None
    legend: str | None
    source_line: str | None
    date: str | None
    dpi: int
    scale: float


ExportQueryDep = Annotated[ExportQuery, Depends(export_query)]


@functools.lru_cache(maxsize=32)
def _view(graph, request: ViewRequest):
    """:func:`kg.export.files.build_view`, the recent ones kept: the whole graph's view takes 2–3 ms to build,
    on the event loop, for every request (refused ones too, after it: a 404 or 400 comes first).  The views
    are only read once built (drawn in the export gate's threads)."""
    return build_view(graph, request)


async def _export(http: Request, view: str, fmt: str, explorer, q: ExportQuery) -> Response:
    focus = q.concept if view == "neighbourhood" else (q.concept or q.selected)
    request = ViewRequest(view, focus if view == "neighbourhood" else None, q.depth, q.source, q.target, q.k,
                          q.max_length, q.relation, q.cls, q.hide_class, q.hide_relation)
    options = ExportOptions(
        fmt=fmt, preset=q.preset, theme=q.theme, labels=q.labels, title=_title(q.title), legend=_flag(q.legend),
        source=_flag(q.source_line), date=q.date, dpi=q.dpi, scale=q.scale, level=q.level,
        concept=None if view == "neighbourhood" else focus)
    key = (id(explorer.catalog), request, options)
    try:
        graph_view = _view(explorer.concept_graph, request)
        name = file_name(request, graph_view, options)
        body = await render(http, key, lambda: export_bytes(graph_view, explorer.catalog, options),
                            check=lambda: check_png_size(key, options))
        _remember_png_size(key, options, png=body)
    except KeyError as exc:
        raise problem(404, Message("unknown_concept", name=exc.args[0])) from None
    except GraphError as exc:
        raise problem(400, exc.message) from None
    except ExportError as exc:
        _remember_png_size(key, options, error=exc)
        raise problem(400, exc.message) from None
    return Response(body, media_type=formats.EXPORT_MEDIA[fmt],
                    headers={"Content-Disposition": formats.disposition(name)})


@router.get(
    "/export/{view}.{fmt}",
    summary="Export a graph view as SVG, PNG, PDF, PowerPoint or standalone HTML",
    description=DESCRIPTION,
    responses={200: {"content": {m: {} for m in formats.EXPORT_MEDIA.values()}}},
)
async def export_view(
    request: Request,
    view: Literal[EXPORT_VIEWS],
    fmt: Literal[FORMATS],
    explorer: ExplorerDep,
    q: ExportQueryDep,
):
    return await _export(request, view, fmt, explorer, q)


@router.get(
    "/export/{view}",
    summary="Export a graph view, the format as a parameter (the export menu's form)",
    description="The same as `/export/{view}.{format}`, with `format` a query parameter.",
    responses={200: {"content": {m: {} for m in formats.EXPORT_MEDIA.values()}}},
)
async def export_view_form(
    request: Request,
    view: Literal[EXPORT_VIEWS],
    explorer: ExplorerDep,
    q: ExportQueryDep,
    fmt: Literal[FORMATS] = Query("svg", alias="format"),
):
    return await _export(request, view, fmt, explorer, q)


@router.get(
    "/tours/{name}.pptx",
    summary="A tour as a PowerPoint deck: a title slide, one slide per step, speaker notes",
    description="16:9; the drawing as native shapes and connectors with editable text (labels at least 15 pt, "
                "20 px on a 1280×720 slide: a step too big for one slide continues on the next), the CJK font "
                "set as the East Asian typeface, each step's subtitle, definitions, quotes and links as speaker "
                "notes. `labels`: zh (default; en when the page is in English), en or both; `theme`: light or print.",
    responses={200: {"content": {formats.EXPORT_MEDIA["pptx"]: {}}}},
)
async def tour_pptx(request: Request, name: str, explorer: ExplorerDep, lang: LangDep,
                    labels: Literal[LABEL_MODES] | None = Query(None), theme: Literal[THEMES] = "light"):
    from kg.export.deck import tour_deck

    try:
        tour = find_tour(explorer, name)
    except NotFound:
        raise problem(404, Message("unknown_tour", name=name, known=", ".join(TOURS))) from None
    mode = labels or ("en" if lang == "en" else "zh")
    options = ExportOptions(fmt="pptx", preset="slide", labels=mode, theme=theme)
    try:
        body = await render(request, (id(explorer.catalog), "tour", name, options),
                            lambda: tour_deck(tour, explorer.catalog, options))
    except ExportError as exc:
        raise problem(400, exc.message) from None
    suffix = "" if theme == "light" else f"-{theme}"
    return Response(body, media_type=formats.EXPORT_MEDIA["pptx"],
                    headers={"Content-Disposition": formats.disposition(f"tour-{name}-{mode}{suffix}.pptx")})


@router.get(
    "/handout.pdf",
    summary="The handout booklet: both articles as an A4 booklet",
    description="A cover, the contents, page numbers, the 45231 overview, a section per layer with each "
                "component's definition (zh and en), source quotes with their paragraph and practices, the "
                "Yanbian chain as a table (problem → remedies → Zhonglou's practices), the five disciplines "
                "across both articles; fonts embedded, body text 10 pt. `lang`: zh (default) or en.",
    responses={200: {"content": {"application/pdf": {}}}},
)
async def handout_booklet(request: Request, explorer: ExplorerDep, lang: Literal["zh", "en"] = "zh"):
    from kg.export.booklet import booklet_pdf

    try:
        body = await render(request, (id(explorer.catalog), "booklet", lang),
                            lambda: booklet_pdf(explorer.catalog, explorer.concept_graph, lang))
    except ExportError as exc:
        raise problem(503, exc.message) from None
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": formats.disposition(f"handout-booklet-{lang}.pdf")})
