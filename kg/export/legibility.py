"""How large the text of a drawing comes out on its page, read from the SVG itself: each ``<text>``'s
font size times every scale between it and the page (the root's size over its viewBox, the transforms
of the groups around it).  Used to refuse a drawing that would be too small to read, instead of
shrinking it, and by the tests."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kg.export.options import LABEL_MIN_PT, MARGIN_IN, PAGE_ORDER, PRESETS, ExportError
from kg.i18n import Message, Term

SVG = "{http://www.w3.org/2000/svg}"


def _scale(transform: str | None) -> float:
    m = re.search(r"scale\(([\d.]+)", transform or "")
    return float(m.group(1)) if m else 1.0


def text_sizes(svg: bytes | str) -> list[tuple[float, str, str]]:
    """Every text drawn: (its size in points on the page, the text, the id of the node or edge around it)."""
    root = ET.fromstring(svg.encode() if isinstance(svg, str) else svg)
    width = float(re.match(r"[\d.]+", root.get("width", "0")).group())
    view = root.get("viewBox")
    page_scale = width / float(view.split()[2]) if view and width else 1.0
    out: list[tuple[float, str, str]] = []

    def walk(el, scale: float, owner: str) -> None:
        scale *= _scale(el.get("transform"))
        if el.tag == f"{SVG}g" and el.get("class") in ("node", "edge"):
            title = el.find(f"{SVG}title")
            owner = title.text if title is not None else owner
        if el.tag == f"{SVG}text":
            size = float(el.get("font-size", "14"))
            out.append((size * scale, "".join(el.itertext()), owner))
        for child in el:
            walk(child, scale, owner)

    walk(root, page_scale, "")
    return out


def smallest_text(svg: bytes | str) -> tuple[float, str]:
    """The size in points on the page and the text of the smallest text drawn (0 and '' when none)."""
    sizes = [(size, text) for size, text, _ in text_sizes(svg) if text.strip()]
    return min(sizes) if sizes else (0.0, "")


def check_legible(svg: bytes, preset: str, view: str, level: str, natural: tuple[float, float] | None = None,
                  natural_smallest: float | None = None) -> None:
    """Stop with advice when the smallest text of the drawing on ``preset``'s page is under its minimum.
    With the drawing's ``natural`` size (inches) and smallest text there (points), the advice names the
    pages on which it would be legible."""
    least = LABEL_MIN_PT.get(preset)
    if least is None:
        return
    size, text = smallest_text(svg)
    if size >= least - 0.05:
        return
    finer = Message({"tree": "export.coarser_tree", "chain": "export.coarser_chain"}.get(view, "export.fewer_nodes"))
    fits = []
    if natural and natural_smallest:
        for page in PAGE_ORDER:
            if page == preset:
                continue
            margin = MARGIN_IN[page]
            pw, ph = (side - 2 * margin for side in PRESETS[page])
            if natural_smallest * min(pw / natural[0], ph / natural[1]) >= LABEL_MIN_PT[page]:
                fits.append(page)
    pages = Message("export.readable_on", presets=" / ".join(fits[:2])) if fits else Message("export.own_size")
    raise ExportError(Message("export.illegible", view=Term(f"problem.export.view.{view}"),
                              level=Term(f"problem.export.level.{level}"), preset=preset, size=_unit(size, preset),
                              text=text if len(text) <= 20 else text[:19] + "…", least=_unit(least, preset), finer=finer, pages=pages))


def _unit(pt: float, preset: str) -> Message:
    return (Message("export.px_slide", px=f"{pt * 96 / 72:.1f}") if preset == "slide"
            else Message("export.pt", pt=f"{pt:.1f}"))


__all__ = ["check_legible", "smallest_text", "text_sizes"]
