"""Exports: one endpoint per view and format, the options as query parameters (thin over :mod:`kg.export`)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import ExplorerDep
from kg.export.files import ViewRequest, build_view, export_bytes
from kg.export.options import FORMATS, MEDIA_TYPES, PRESETS, THEMES, ExportError, ExportOptions
from kg.graph.model import GraphError
from kg.styles import EXPORT_VIEWS, LABEL_MODES

router = APIRouter(tags=["export"])

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


@router.get(
    "/export/{view}.{fmt}",
    summary="Export a graph view as SVG, PNG, PDF or standalone HTML",
    description="Views: tree, chain, cross, whole, neighbourhood (`concept`, `depth`), paths (`from`, `to`, `k`, "
                "`max_length`). Options: `preset` (none; slide: a 16:9 page; a4: an A4 page turned to fit the "
                "drawing; a4-portrait; a4-landscape), `theme` (light, print), "
                "`labels` (zh, en, both), `title` (1, 0 or your own text), `legend`, `source` (1 or 0), `date` "
                "(YYYY-MM-DD), and for PNG `dpi` (300 for print) and `scale`. The same request gives the same SVG.",
    responses={200: {"content": {m: {} for m in MEDIA_TYPES.values()}}},
)
async def export_view(
    view: Literal[EXPORT_VIEWS],
    fmt: Literal[FORMATS],
    explorer: ExplorerDep,
    concept: str | None = Query(None, max_length=120),
    depth: int = Query(1, ge=1, le=3),
    source: str | None = Query(None, alias="from", max_length=120),
    target: str | None = Query(None, alias="to", max_length=120),
    k: int = Query(3, ge=1, le=10),
    max_length: int = Query(6, ge=1, le=10),
    relation: list[str] = Query([], max_length=40),
    cls: list[str] = Query([], alias="class", max_length=40),
    preset: Literal[tuple(PRESETS)] = "none",
    theme: Literal[THEMES] = "light",
    labels: Literal[LABEL_MODES] = "zh",
    title: str | None = Query(None, max_length=200),
    legend: str | None = Query(None, max_length=5),
    source_line: str | None = Query(None, alias="source", max_length=5),
    date: str | None = Query(None, pattern=r"^\d{4}-\d{2}-\d{2}$"),
    dpi: int = Query(96, ge=36, le=1200),
    scale: float = Query(1.0, ge=0.1, le=10),
):
    request = ViewRequest(view, concept, depth, source, target, k, max_length, tuple(relation), tuple(cls))
    options = ExportOptions(
        fmt=fmt, preset=preset, theme=theme, labels=labels,
        title=_title(title),
        legend=_flag(legend), source=_flag(source_line), date=date, dpi=dpi, scale=scale,
    )
    try:
        graph_view = build_view(explorer.concept_graph, request)
        body = await run_in_threadpool(export_bytes, graph_view, explorer.catalog, options)
    except KeyError as exc:
        raise HTTPException(404, f"unknown concept: {exc.args[0]}") from None
    except (GraphError, ExportError) as exc:
        raise HTTPException(400, str(exc)) from None
    filename = f"{request.file_stem()}.{fmt}"
    return Response(body, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
