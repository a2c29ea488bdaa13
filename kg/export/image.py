"""A graph view as a picture: SVG, PNG or PDF, drawn by Graphviz (:mod:`kg.export.dot`) in the named CJK
font (checked first, :mod:`kg.export.fonts`) and placed on the preset's page (:mod:`kg.export.page`).
The same request gives a byte-identical SVG."""

from __future__ import annotations

from dataclasses import replace

from kg.catalog import Catalog
from kg.export.dot import check_graphviz, drawn_texts, to_dot
from kg.export.fonts import check_font
from kg.export.options import PRESETS, ExportError, ExportOptions
from kg.export.page import a4_orientation, pdf_on_page, png_on_page, set_png_dpi, svg_on_page, svg_size_in
from kg.graph.model import GraphView

PNG_MAX_PX = 32_767  # cairo's bitmap ceiling


def render(view: GraphView, catalog: Catalog, options: ExportOptions) -> bytes:
    """The picture, as the bytes of an SVG, PNG or PDF file."""
    options.check()
    if options.fmt == "html":
        raise ExportError("render() draws SVG, PNG and PDF; use kg.export.files.export_bytes() for HTML")
    check_graphviz()
    check_font(drawn_texts(view, catalog, options))
    if options.preset == "a4":  # the orientation whose page holds the drawing at the larger scale
        natural = svg_size_in(to_dot(view, catalog, replace(options, preset="none")).pipe(format="svg"))
        options = replace(options, preset=a4_orientation(*natural))
    graph = to_dot(view, catalog, options)
    page = PRESETS[options.preset]
    if options.fmt == "pdf":
        pdf = graph.pipe(format="pdf", renderer="cairo")
        return pdf if page is None else pdf_on_page(pdf, page)
    if options.fmt == "svg":
        svg = graph.pipe(format="svg")
        return svg if page is None else svg_on_page(svg, page)
    # a PNG: its size is the page's, or the drawing's (an SVG tells it before the bitmap is made)
    width_in, height_in = page or svg_size_in(graph.pipe(format="svg"))
    dpi = options.effective_dpi
    px = (round(width_in * dpi), round(height_in * dpi))
    if max(px) > PNG_MAX_PX:
        raise ExportError(f"a PNG of this view at {dpi:g} dpi would be {px[0]}×{px[1]} pixels, over the "
                          f"{PNG_MAX_PX}-pixel limit of the renderer; choose a lower dpi, a preset size, "
                          "or export SVG or PDF, which have no such limit")
    graph.attr("graph", dpi=f"{dpi:g}")  # only for PNG: dpi on an SVG crops it
    png = graph.pipe(format="png", renderer="cairo")
    return set_png_dpi(png, dpi) if page is None else png_on_page(png, px, dpi)


__all__ = ["PNG_MAX_PX", "render"]
