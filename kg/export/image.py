"""A graph view as a picture: SVG, PNG or PDF, drawn by Graphviz (:mod:`kg.export.dot`) in the named CJK
font (checked first, :mod:`kg.export.fonts`) and placed on the preset's page (:mod:`kg.export.page`).
The same request gives a byte-identical SVG."""

from __future__ import annotations

import shutil
from dataclasses import replace

from kg.catalog import Catalog
from kg.export.board import board_dot
from kg.export.dot import check_graphviz, drawn_texts, is_compact, to_dot
from kg.export.legibility import check_legible, smallest_text
from kg.export.levels import build_board, choose_level, drawn_as_board
from kg.export.fonts import check_font
from kg.export.options import PRESETS, TURNED, ExportError, ExportOptions
from kg.export.page import orientation, pdf_on_page, png_on_page, set_png_dpi, svg_on_page, svg_size_in
from kg.graph.model import GraphView
from kg.i18n import Message

PNG_MAX_PX = 32_767  # cairo's bitmap ceiling
#: the most pixels a PNG may have: 40 million (an A2 poster at 230 dpi, A4 at 400 dpi) take about
#: 160 MB as a bitmap, a few hundred MB inside Graphviz and Pillow, and a few seconds
PNG_MAX_PIXELS = 40_000_000
#: the longest Graphviz may take for one drawing
GRAPHVIZ_TIMEOUT_S = 20
#: Graphviz runs at a lower CPU priority (``nice``, as SPARQL's children: :data:`kg.endpoint.CHILD_NICENESS`):
#: a server's drawings yield the CPU to the pages, search and health checks it answers meanwhile (on an
#: idle machine this changes nothing)
NICE = shutil.which("nice")


def render(view: GraphView, catalog: Catalog, options: ExportOptions) -> bytes:
    """The picture, as the bytes of an SVG, PNG or PDF file, at the level of detail the options ask for
    (:func:`kg.export.levels.choose_level`); on a page, refused when its text would be too small to read."""
    options.check()
    if options.fmt in ("html", "pptx"):
        raise ExportError(Message("export.not_drawn", fmt=options.fmt))
    check_graphviz()
    check_font(drawn_texts(view, catalog, options))
    level = choose_level(view, options.level, options.preset, options.concept)
    if drawn_as_board(view, level, options.preset):
        graph, preset = board_dot(build_board(view, level, options.concept), catalog, options)
        return _draw(graph, replace(options, preset=preset), {"neato_no_op": 2})
    if options.preset != "none":  # the drawing's own size tells the orientation of A4 and where it is legible
        compact = is_compact(view, options.preset)  # the whole graph: a compact layout (kg.export.dot)
        own = pipe(to_dot(view, catalog, replace(options, preset="none"), compact), "svg")
        natural = svg_size_in(own)
        if options.preset in TURNED:  # the orientation whose page holds the drawing at the larger scale
            options = replace(options, preset=orientation(options.preset, *natural))
        graph = to_dot(view, catalog, options, compact)
        check_legible(pipe(graph, "svg"), options.preset, view.name, level, natural, smallest_text(own)[0])
        return _draw(graph, options, {})
    return _draw(to_dot(view, catalog, options), options, {})


def pipe(graph, fmt: str, renderer: str | None = None, neato_no_op: int | None = None) -> bytes:
    """Graphviz's output, bounded in time (:data:`GRAPHVIZ_TIMEOUT_S`): the layout program run on the
    graph's DOT source, killed when it takes too long."""
    import subprocess

    command = ([NICE, "-n", "10"] if NICE else []) + [graph.engine, f"-T{fmt}" + (f":{renderer}" if renderer else "")]
    if neato_no_op:
        command.append(f"-n{neato_no_op}")
    try:
        done = subprocess.run(command, input=graph.source.encode("utf-8"), capture_output=True,
                              timeout=GRAPHVIZ_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise ExportError(Message("export.too_slow", seconds=GRAPHVIZ_TIMEOUT_S)) from None
    if done.returncode != 0:
        raise ExportError(Message("export.graphviz_failed",
                                  detail=done.stderr.decode("utf-8", "replace").strip()[:300]))
    return done.stdout


def _draw(graph, options: ExportOptions, extra: dict) -> bytes:
    page = PRESETS[options.preset]
    if options.fmt == "pdf":
        pdf = pipe(graph, "pdf", "cairo", **extra)
        return pdf if page is None else pdf_on_page(pdf, page)
    if options.fmt == "svg":
        svg = pipe(graph, "svg", **extra)
        return svg if page is None else svg_on_page(svg, page)
    # a PNG: its size is the page's, or the drawing's (an SVG tells it before the bitmap is made)
    width_in, height_in = page or svg_size_in(pipe(graph, "svg", **extra))
    dpi = options.effective_dpi
    px = (round(width_in * dpi), round(height_in * dpi))
    check_pixels(px, dpi, width_in, height_in)
    graph.attr("graph", dpi=f"{dpi:g}")  # only for PNG: dpi on an SVG crops it
    png = pipe(graph, "png", "cairo", **extra)
    return set_png_dpi(png, dpi) if page is None else png_on_page(png, px, dpi)


def check_pixels(px: tuple[int, int], dpi: float, width_in: float, height_in: float) -> None:
    """Refuse a bitmap over :data:`PNG_MAX_PIXELS` (memory and time) or :data:`PNG_MAX_PX` a side,
    naming the largest resolution that works."""
    if max(px) <= PNG_MAX_PX and px[0] * px[1] <= PNG_MAX_PIXELS:
        return
    best = int(min(PNG_MAX_PX / max(width_in, height_in), (PNG_MAX_PIXELS / (width_in * height_in)) ** 0.5))
    raise ExportError(Message("export.png_too_big", dpi=f"{dpi:g}", width=px[0], height=px[1],
                              limit=PNG_MAX_PIXELS // 1_000_000, best=best))


__all__ = ["GRAPHVIZ_TIMEOUT_S", "PNG_MAX_PIXELS", "PNG_MAX_PX", "check_pixels", "pipe", "render"]
