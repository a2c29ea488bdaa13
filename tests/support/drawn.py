"""What an exported SVG draws, read back as a reader sees it: each node's lines of text, the outline it is
drawn with and its fill, and each edge's label.  Graphviz writes a node as ``<g class="node">`` with its id
in ``<title>``, its outline (polygons, ellipses, paths) and one ``<text>`` per line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import graphviz

SVG = "{http://www.w3.org/2000/svg}"
OUTLINES = ("polygon", "ellipse", "path", "polyline")


@dataclass
class Drawn:
    id: str
    lines: list[str]  # the text, one entry a line, as drawn
    outline: tuple  # the shape's signature (:func:`outline_of`)
    fill: str | None  # the fill of the outline's first element

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def _distinct(values, within: float = 1.0) -> int:
    """How many different values, those less than ``within`` points apart counted as one."""
    ordered = sorted(values)
    return sum(1 for a, b in zip([None, *ordered], ordered) if a is None or b - a >= within)


def outline_of(group: ET.Element) -> tuple:
    """A shape's signature, the same for one shape at any size: per element its tag, and for a polygon of
    straight sides its number of points, of distinct x and y values and of points on its top edge (a
    house, a box and a parallelogram differ); curves (an egg) by their number of points only."""
    out = []
    for el in group:
        tag = el.tag.removeprefix(SVG)
        if tag not in OUTLINES:
            continue
        points = [tuple(float(v) for v in p.split(",")) for p in el.get("points", "").split()]
        if tag == "polygon" and len(points) < 20:
            top = min(y for _, y in points)
            out.append((tag, len(points), _distinct(x for x, _ in points), _distinct(y for _, y in points),
                        sum(1 for _, y in points[:-1] if y - top < 1)))
        else:
            out.append((tag, len(points)))
    return tuple(out)


def _groups(svg: bytes | str, kind: str):
    root = ET.fromstring(svg.encode() if isinstance(svg, str) else svg)
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == kind:
            yield g.find(f"{SVG}title").text, g


def nodes(svg: bytes | str) -> dict[str, Drawn]:
    """Every node drawn (legend samples included, as ``legend_*``), by id."""
    out = {}
    for nid, g in _groups(svg, "node"):
        shapes = [el for el in g if el.tag.removeprefix(SVG) in OUTLINES]
        lines = ["".join(t.itertext()) for t in g.iter(f"{SVG}text")]
        out[nid] = Drawn(nid, lines, outline_of(g), shapes[0].get("fill") if shapes else None)
    return out


def edge_labels(svg: bytes | str) -> list[str]:
    """The text drawn along the edges (their relation labels)."""
    return [" ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text")) for _, g in _groups(svg, "edge")]


def reference_outlines(shapes) -> dict[str, tuple]:
    """The signature of each Graphviz shape, from a graph of one node per shape."""
    g = graphviz.Digraph()
    for shape in shapes:
        g.node(shape, shape=shape, label="x")
    return {nid: outline_of(group) for nid, group in _groups(g.pipe(format="svg"), "node")}


# -- how large the text comes out on the page ------------------------------------------------------------------


def _scale_of(transform: str | None) -> float:
    import re

    m = re.search(r"scale\(([-\d.]+)", transform or "")
    return abs(float(m.group(1))) if m else 1.0


def svg_text_px(svg: bytes | str, page_px: float) -> list[tuple[float, str]]:
    """Each text of an SVG and its height in pixels when the SVG is shown ``page_px`` pixels wide: its
    font-size times every scale between it and the page (viewBox to width, the groups' transforms)."""
    import re

    root = ET.fromstring(svg.encode() if isinstance(svg, str) else svg)
    view_w = float(root.get("viewBox").split()[2])
    out = []

    def walk(el, scale):
        scale *= _scale_of(el.get("transform"))
        if el.tag == f"{SVG}text" and "".join(el.itertext()).strip():
            out.append((float(re.match(r"[\d.]+", el.get("font-size")).group()) * scale, "".join(el.itertext())))
        for child in el:
            walk(child, scale)

    walk(root, page_px / view_w)
    return out


def pdf_text_pt(pdf: bytes, page: int = 0) -> list[tuple[float, str]]:
    """Each run of text on a PDF's page (the first by default) and its size in points on that page (the
    font size times the vertical scale of the text and the current transformation matrices)."""
    import io
    import math

    from pypdf import PdfReader

    out = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            out.append((size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return out
