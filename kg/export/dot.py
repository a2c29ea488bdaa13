"""Static images of the graph views for slides, handouts and print: SVG, PNG and PDF via Graphviz.

The layout comes from Graphviz (``dot``), never from hand-placed coordinates: a view's layout hints
only say which nodes share a rank (the tree's levels, bottom to top; the chain's and the cross view's
columns, left to right).  Chinese is drawn with a named font (Graphviz falls back to the Japanese
variant of Noto when left to itself); before drawing, :func:`check_font` makes sure that font is
installed and covers every character of every label, and stops with a clear message otherwise.

Determinism: nodes, edges and attributes are emitted in a fixed order and nothing time-dependent goes
into the picture unless a date is asked for, so the same request gives a byte-identical SVG.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
import shutil
import subprocess
import textwrap
from dataclasses import dataclass, field, replace
from functools import lru_cache

import graphviz

from kg.catalog import Bilingual, Catalog
from kg.graphs import GraphView
from kg.i18n import pair, t
from kg.linebreak import wrap_zh
from kg.styles import EXPORT_VIEWS, FONT, LABEL_MODES, class_style

FORMATS = ("svg", "png", "pdf", "html")
PNG_MAX_PX = 32_767  # cairo's bitmap ceiling
#: page sizes in inches: the picture is exactly this size, the drawing scaled to fit inside the margin
#: and centred on a white page (``none``: the drawing's own size)
PRESETS: dict[str, tuple[float, float] | None] = {
    "none": None,
    "slide": (13.333, 7.5),  # a 16:9 slide (PowerPoint's 13.333 × 7.5 in; 1280 × 720 px at 96 dpi)
    "a4": None,  # A4, portrait or landscape, whichever holds the drawing larger (see render)
    "a4-portrait": (8.27, 11.69),
    "a4-landscape": (11.69, 8.27),
}
MARGIN_IN = {"slide": 0.3, "a4-portrait": 0.4, "a4-landscape": 0.4}  # A4: about 10 mm, inside printers' reach
THEMES = ("light", "print")
LABELS = LABEL_MODES
SOURCE_LINE = Bilingual(*pair("source.line"))



class ExportError(ValueError):
    """The export cannot be made as asked; the message says why and what to do instead."""


@dataclass(frozen=True)
class ExportOptions:
    fmt: str = "svg"
    preset: str = "none"
    theme: str = "light"
    labels: str = "zh"
    title: bool | str = True  # True: the view's title; a string: that title; False: none
    legend: bool = True
    source: bool = True
    date: str | None = None  # printed as given (YYYY-MM-DD); None: no date
    dpi: int = 96  # PNG only; 300 for print
    scale: float = 1.0  # PNG only: multiplies dpi

    def check(self) -> "ExportOptions":
        if self.fmt not in FORMATS:
            raise ExportError(f"format must be one of {', '.join(FORMATS)}")
        if self.preset not in PRESETS:
            raise ExportError(f"preset must be one of {', '.join(PRESETS)}")
        if self.theme not in THEMES:
            raise ExportError(f"theme must be one of {', '.join(THEMES)}")
        if self.labels not in LABELS:
            raise ExportError(f"labels must be one of {', '.join(LABELS)}")
        if not 36 <= self.dpi <= 1200:
            raise ExportError("dpi must be between 36 and 1200")
        if not 0.1 <= self.scale <= 10:
            raise ExportError("scale must be between 0.1 and 10")
        if self.date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.date):
            raise ExportError("date must look like 2026-11-23")
        if isinstance(self.title, str) and len(self.title) > 200:
            raise ExportError("title is limited to 200 characters")
        return self

    @property
    def effective_dpi(self) -> float:
        return self.dpi * self.scale


# -- fonts ---------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _font_file(family: str) -> str | None:
    """The file fontconfig uses for ``family``, or None when that family is not installed."""
    if shutil.which("fc-match") is None:
        return None
    out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", family],
                         capture_output=True, text=True, timeout=10).stdout
    families, _, rest = out.partition("\t")
    path, _, index = rest.partition("\t")
    if family.lower() not in [f.strip().lower() for f in families.split(",")]:
        return None
    return f"{path}\t{index or 0}"


@lru_cache(maxsize=4)
def _font_cmap(family: str) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    found = _font_file(family)
    if found is None:
        return frozenset()
    path, index = found.split("\t")
    if path.lower().endswith((".ttc", ".otc")):
        font = TTCollection(path, lazy=True).fonts[int(index or 0)]
    else:
        font = TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


def check_font(texts, family: str | None = None) -> None:
    """Stop with a clear message unless ``family`` is installed and covers every character of ``texts``."""
    family = family or FONT
    if _font_file(family) is None:
        raise ExportError(f"the font {family!r} is not installed, so Chinese labels would be drawn as boxes; "
                          "install it (Debian: apt-get install fonts-noto-cjk) and try again")
    cmap = _font_cmap(family)
    missing = sorted({ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in cmap})
    if missing:
        shown = "".join(missing[:20])
        raise ExportError(f"the font {family!r} has no glyph for {len(missing)} character(s): {shown}")


# -- labels --------------------------------------------------------------------------------------


def _dot_text_one(text: str) -> str:
    return _dot_text([text])


def _wrap_point(label: Bilingual, mode: str) -> list[str]:
    """A point inside a card: wider lines than a node label."""
    zh = wrap_zh(label.zh, 18) if label.zh else []
    en = textwrap.wrap(label.en, 40) if label.en else []
    return (zh or en) if mode == "zh" else (en or zh) if mode == "en" else zh + en


def node_lines(label: Bilingual, mode: str) -> list[str]:
    zh = wrap_zh(label.zh) if label.zh else []
    en = textwrap.wrap(label.en, 22, break_long_words=True) if label.en else []
    if mode == "zh":
        return zh or en
    if mode == "en":
        return en or zh
    return zh + en


def _dot_text(lines: list[str]) -> str:
    """A DOT label of centred lines: backslashes doubled so no escape sequence (``\\N``, ``\\G``) can sneak
    in, and marked as plain text so a label like ``<b>`` is never read as an HTML-like label."""
    return graphviz.nohtml("\\n".join(line.replace("\\", "\\\\") for line in lines))


# -- DOT -----------------------------------------------------------------------------------------


@dataclass
class _Ranks:
    rankdir: str
    groups: list[list[str]] = field(default_factory=list)


CHAIN_COLUMNS = ("Significance", "Problem", "Remedy")
CROSS_COLUMNS = ("zhonglou", None, "yanbian")  # Zhonglou | Senge's disciplines | Yanbian


def _ranks(view: GraphView, folded: dict[str, list[str]]) -> _Ranks:
    """Which nodes share a rank: the tree's levels (bottom to top), the chain's and the cross view's
    columns (left to right); other views are left to Graphviz."""
    shown = [n for n in view.nodes if not any(n.id in points for points in folded.values())]
    if view.name == "tree" and any(n.level is not None for n in shown):
        by_level: dict[int, list[str]] = {}
        for n in shown:
            by_level.setdefault(n.level if n.level is not None else 0, []).append(n.id)
        return _Ranks("BT", [by_level[k] for k in sorted(by_level)])
    if view.name == "chain":
        columns = [[n.id for n in shown if n.cls == cls] for cls in CHAIN_COLUMNS]
        return _Ranks("LR", [c for c in columns if c])
    if view.name == "cross":
        columns = [[n.id for n in shown if (n.article if n.cls != "Discipline" else None) == key]
                   for key in CROSS_COLUMNS]
        return _Ranks("LR", [c for c in columns if c])
    return _Ranks("LR")


def _fold(view: GraphView) -> dict[str, list[str]]:
    """Chain view: everything that is part of a significance, problem or remedy (directly or through
    another point) goes into that item's card, as one line each, instead of being drawn as a node;
    the picture then shows the chain itself: 3 significances, 3 problems, 6 remedies and their links."""
    if view.name != "chain":
        return {}
    cards = {n.id for n in view.nodes if n.cls in CHAIN_COLUMNS}
    parent = {e.source: e.target for e in view.edges if e.relation == "partOf"}
    folded: dict[str, list[str]] = {}
    for n in view.nodes:  # view order keeps the article's order of the points
        if n.id in cards:
            continue
        seen, up = set(), parent.get(n.id)
        while up is not None and up not in cards and up not in seen:
            seen.add(up)
            up = parent.get(up)
        if up in cards:
            folded.setdefault(up, []).append(n.id)
    return folded


def _card_label(title: list[str], points: list[list[str]]) -> str:
    """An HTML-like label: the card's title in bold, then one line per point (text escaped)."""
    from html import escape

    rows = "".join(f'<TR><TD ALIGN="CENTER"><B>{escape(line)}</B></TD></TR>' for line in title)
    for lines in points:
        text = "<BR ALIGN=\"LEFT\"/>　".join(escape(line) for line in lines)
        rows += f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">· {text}</TD></TR>'
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{rows}</TABLE>>'


def to_dot(view: GraphView, catalog: Catalog, options: ExportOptions) -> graphviz.Digraph:
    """The view as a Graphviz graph (deterministic: sorted nodes and edges)."""
    options.check()
    lang = "en" if options.labels == "en" else "zh"
    print_theme = options.theme == "print"
    folded = _fold(view)
    hidden = {p for points in folded.values() for p in points}
    ranks = _ranks(view, folded)
    labels_by_id = {n.id: n.label for n in view.nodes}
    g = graphviz.Digraph(name=view.name, engine="dot")
    graph_attr = {
        "rankdir": ranks.rankdir, "fontname": FONT, "newrank": "true", "nodesep": "0.25", "ranksep": "0.45",
        "pad": "0.3", "bgcolor": "white", "outputorder": "edgesfirst", "splines": "true",
    }
    size = PRESETS[options.preset]
    if size:
        # scaled up or down to fit inside the page's margin, filling its width or its height;
        # render() then centres it on the page
        margin = MARGIN_IN[options.preset]
        graph_attr.update({"size": f"{size[0] - 2 * margin:.3f},{size[1] - 2 * margin:.3f}!", "pad": "0"})
    title = view.title.get(lang) if options.title is True else (options.title or "")
    if options.labels == "both" and options.title is True:
        title = f"{view.title.zh}\n{view.title.en}"
    if title:
        graph_attr.update({"label": _dot_text(title.split("\n")), "labelloc": "t", "fontsize": "22"})
    g.attr("graph", **graph_attr)
    g.attr("node", fontname=FONT, fontsize="11", style="filled", margin="0.08,0.04", penwidth="1.2",
           color="#333333", fillcolor="white")
    g.attr("edge", fontname=FONT, fontsize="9", color="#555555", arrowsize="0.6")

    for node in view.nodes:  # the view's order (the articles' order) is deterministic
        if node.id in hidden:
            continue
        look = class_style(node.cls)
        shape, fill, border = look.print_shape, look.fill, look.line
        style = "filled" if border == "solid" else f"filled,{border}"
        if node.id in folded:
            label = _card_label(node_lines(node.label, options.labels),
                                [_wrap_point(labels_by_id[p], options.labels) for p in folded[node.id]])
            shape = "box"
        else:
            label = _dot_text(node_lines(node.label, options.labels))
        g.node(node.id, label=label, shape=shape, fillcolor="white" if print_theme else fill, style=style,
               fontcolor="#1f2328" if print_theme else look.font,
               penwidth="2.2" if node.role in ("centre", "end", "model") else "1.2")
    constraint = "false" if ranks.groups else "true"
    for edge in sorted(view.edges, key=lambda e: (e.source, e.relation, e.target)):
        if edge.source in hidden or edge.target in hidden:
            continue
        attrs = {"style": "dashed" if edge.status == "inferred" else "solid", "constraint": constraint}
        if edge.relation != "partOf":
            label = catalog.relation_label(edge.relation, lang)
            attrs["xlabel"] = _dot_text_one(label)
            attrs["fontcolor"] = "#444444"
        g.edge(edge.source, edge.target, **attrs)
    for i, group in enumerate(ranks.groups):
        with g.subgraph(name=f"rank_{i}") as sub:
            sub.attr(rank="same")
            for nid in group:
                sub.node(nid)
    if len(ranks.groups) > 1:  # invisible spine that keeps the ranks in order
        anchors = [group[0] for group in ranks.groups]
        for a, b in zip(anchors, anchors[1:]):
            g.edge(a, b, style="invis", weight="10")
    if options.legend or options.source or options.date:
        drawn = {n.cls for n in view.nodes if n.id not in hidden}
        _legend(g, [i for i in view.legend if i.cls in drawn], options, lang, ranks.rankdir)
    return g


def _legend(g: graphviz.Digraph, items: list, options: ExportOptions, lang: str, rankdir: str) -> None:
    """The legend as a row of sample nodes, one per class, with the line styles, source and date."""
    print_theme = options.theme == "print"
    with g.subgraph(name="cluster_legend") as leg:
        legend = " ".join(pair("export.legend")) if options.labels == "both" else t("export.legend", lang)
        leg.attr(label=_dot_text_one(legend), fontsize="12", style="rounded", color="#999999")
        if rankdir in ("TB", "BT"):
            leg.attr(rank="same")  # a row across the page; in LR graphs the invisible chain makes the row
        previous = None
        if options.legend:
            for item in sorted(items, key=lambda i: i.cls):
                look = class_style(item.cls)
                shape, fill, border = look.print_shape, look.fill, look.line
                name = f"legend_{item.cls}"
                text = item.label.get(lang) if options.labels != "both" else f"{item.label.zh} {item.label.en}"
                leg.node(name, label=_dot_text_one(f"{text} ({item.count})"), shape=shape,
                         fillcolor="white" if print_theme else fill,
                         fontcolor="#1f2328" if print_theme else look.font,
                         style="filled" if border == "solid" else f"filled,{border}", fontsize="10")
                if previous:
                    leg.edge(previous, name, style="invis")
                previous = name
            line = " / ".join(pair("export.lines")) if options.labels == "both" else t("export.lines", lang)
            leg.node("legend_lines", label=_dot_text_one(line), shape="plaintext", fontsize="10")
            if previous:
                leg.edge(previous, "legend_lines", style="invis")
            previous = "legend_lines"
        notes = []
        if options.source:
            notes += [SOURCE_LINE.zh, SOURCE_LINE.en] if options.labels == "both" else [SOURCE_LINE.get(lang)]
        if options.date:
            notes.append(t("export.date", lang, date=options.date))
        if notes:
            leg.node("legend_source", label=_dot_text(notes), shape="plaintext", fontsize="9")
            if previous:
                leg.edge(previous, "legend_source", style="invis")


# -- rendering -----------------------------------------------------------------------------------


def _texts(view: GraphView, catalog: Catalog, options: ExportOptions) -> list[str]:
    texts = [view.title.zh, view.title.en, SOURCE_LINE.zh, SOURCE_LINE.en]
    texts += [n.label.zh for n in view.nodes] + [n.label.en for n in view.nodes]
    texts += [i.label.zh for i in view.legend] + [i.label.en for i in view.legend]
    texts += [catalog.relation_label(e.relation, "zh") for e in view.edges]
    if isinstance(options.title, str):
        texts.append(options.title)
    return texts


def a4_orientation(width_in: float, height_in: float) -> str:
    """``a4-portrait`` or ``a4-landscape``: the page on which a drawing of this size comes out larger."""
    def scale(preset: str) -> float:
        page_w, page_h = (side - 2 * MARGIN_IN[preset] for side in PRESETS[preset])
        return min(page_w / max(width_in, 0.01), page_h / max(height_in, 0.01))

    return max(("a4-portrait", "a4-landscape"), key=scale)


def _svg_size_in(svg: bytes) -> tuple[float, float]:
    m = re.search(rb'<svg width="([\d.]+)pt"\s+height="([\d.]+)pt"', svg)
    if not m:
        return 0.0, 0.0
    return float(m.group(1)) / 72, float(m.group(2)) / 72


def render(view: GraphView, catalog: Catalog, options: ExportOptions) -> bytes:
    """The picture, as the bytes of an SVG, PNG or PDF file."""
    options.check()
    if options.fmt == "html":
        raise ExportError("render() draws SVG, PNG and PDF; use export_bytes() for HTML")
    if shutil.which("dot") is None:
        raise ExportError("Graphviz is not installed (Debian: apt-get install graphviz)")
    check_font(_texts(view, catalog, options))
    if options.preset == "a4":  # the orientation whose page holds the drawing at the larger scale
        natural = _svg_size_in(to_dot(view, catalog, replace(options, preset="none")).pipe(format="svg"))
        options = replace(options, preset=a4_orientation(*natural))
    graph = to_dot(view, catalog, options)
    page = PRESETS[options.preset]
    if options.fmt == "pdf":
        pdf = graph.pipe(format="pdf", renderer="cairo")
        return pdf if page is None else _pdf_on_page(pdf, page)
    if options.fmt == "svg":
        svg = graph.pipe(format="svg")
        return svg if page is None else _svg_on_page(svg, page)
    # a PNG: its size is the page's, or the drawing's (an SVG tells it before the bitmap is made)
    width_in, height_in = page or _svg_size_in(graph.pipe(format="svg"))
    dpi = options.effective_dpi
    px = (round(width_in * dpi), round(height_in * dpi))
    if max(px) > PNG_MAX_PX:
        raise ExportError(f"a PNG of this view at {dpi:g} dpi would be {px[0]}×{px[1]} pixels, over the "
                          f"{PNG_MAX_PX}-pixel limit of the renderer; choose a lower dpi, a preset size, "
                          "or export SVG or PDF, which have no such limit")
    graph.attr("graph", dpi=f"{dpi:g}")  # only for PNG: dpi on an SVG crops it
    png = graph.pipe(format="png", renderer="cairo")
    return _set_png_dpi(png, dpi) if page is None else _png_on_page(png, px, dpi)


# -- pages: a preset's picture is the page itself, the drawing centred on it -------------------------


def _svg_on_page(svg: bytes, page: tuple[float, float]) -> bytes:
    """The SVG widened to the page: the root's size becomes the page's, its viewBox grows by the margins
    (in the viewBox's own units, whatever Graphviz's scale) so the drawing sits in the middle, and a
    white rectangle is laid under it."""
    head = re.search(rb'<svg width="([\d.]+)pt"\s+height="([\d.]+)pt"\s+viewBox="([^"]*)"[^>]*>', svg)
    try:
        w, h = float(head.group(1)), float(head.group(2))
        vx, vy, vw, vh = (float(v) for v in head.group(3).split())
    except (AttributeError, ValueError):
        raise ExportError("Graphviz did not produce the SVG expected") from None
    pw, ph = page[0] * 72, page[1] * 72
    kx, ky = (vw / w if w else 1.0), (vh / h if h else 1.0)  # viewBox units a point
    x, y, bw, bh = vx - (pw - w) / 2 * kx, vy - (ph - h) / 2 * ky, pw * kx, ph * ky
    tag = re.sub(rb'width="[\d.]+pt"\s+height="[\d.]+pt"\s+viewBox="[^"]*"',
                 f'width="{pw:.2f}pt" height="{ph:.2f}pt" viewBox="{x:.2f} {y:.2f} {bw:.2f} {bh:.2f}"'.encode(),
                 head.group())
    paper = f'\n<rect x="{x:.2f}" y="{y:.2f}" width="{bw:.2f}" height="{bh:.2f}" fill="white"/>'.encode()
    return svg[:head.start()] + tag + paper + svg[head.end():]


def _pdf_on_page(pdf: bytes, page: tuple[float, float]) -> bytes:
    """Graphviz's one-page PDF on a page of the preset's size, the drawing moved to its middle
    (pypdf: the page's content gets a translation, the text and the embedded font stay as drawn)."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    sheet = writer.pages[0]
    w, h = float(sheet.mediabox.width), float(sheet.mediabox.height)
    pw, ph = page[0] * 72, page[1] * 72
    sheet.add_transformation(Transformation().translate((pw - w) / 2 - float(sheet.mediabox.left),
                                                        (ph - h) / 2 - float(sheet.mediabox.bottom)))
    sheet.mediabox = RectangleObject([0, 0, pw, ph])
    sheet.cropbox = RectangleObject([0, 0, pw, ph])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png_on_page(png: bytes, page_px: tuple[int, int], dpi: float) -> bytes:
    """The drawing pasted in the middle of a white page of ``page_px`` pixels, its resolution recorded.
    Through Pillow (decoded and encoded again, unlike :func:`_set_png_dpi`): a page is bounded, an A4
    page at 300 dpi, Graphviz included, renders in about 2 s here."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as drawing:
        drawing = drawing.convert("RGB")
        sheet = Image.new("RGB", page_px, "white")
        sheet.paste(drawing, ((page_px[0] - drawing.width) // 2, (page_px[1] - drawing.height) // 2))
    out = io.BytesIO()
    sheet.save(out, format="PNG", dpi=(dpi, dpi), optimize=False)
    return out.getvalue()


def _set_png_dpi(png: bytes, dpi: float) -> bytes:
    """Record the resolution in the PNG, which Graphviz leaves out, as a ``pHYs`` chunk after ``IHDR``.

    Written by hand rather than with Pillow: Pillow would decode and re-encode the whole bitmap, which
    takes seconds for a 300 dpi print image; inserting one 21-byte chunk is exact and instant."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ExportError("Graphviz did not produce a PNG")
    ppm = round(dpi / 0.0254)  # pixels per metre
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    ihdr_end = 8 + 4 + 4 + 13 + 4
    rest = png[ihdr_end:]
    return png[:ihdr_end] + chunk + _drop_chunk(rest, b"pHYs")


def _drop_chunk(data: bytes, kind: bytes) -> bytes:
    """``data`` (a run of PNG chunks) without the chunks of type ``kind``."""
    out, i = [], 0
    while i + 8 <= len(data):
        length = struct.unpack(">I", data[i:i + 4])[0]
        end = i + 12 + length
        if data[i + 4:i + 8] != kind:
            out.append(data[i:end])
        i = end
    return b"".join(out)


# -- views by name -------------------------------------------------------------------------------



@dataclass(frozen=True)
class ViewRequest:
    """Which graph to draw: a built-in view, a neighbourhood or the paths between two concepts."""

    name: str
    concept: str | None = None
    depth: int = 1
    source: str | None = None  # paths: from
    target: str | None = None  # paths: to
    k: int = 3
    max_length: int = 6
    relations: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()

    def file_stem(self) -> str:
        if self.name == "neighbourhood":
            return f"neighbourhood-{self.concept}-d{self.depth}"
        if self.name == "paths":
            return f"paths-{self.source}-{self.target}"
        return {"tree": "45231-tree", "chain": "yanbian-chain", "cross": "articles-and-disciplines"}.get(
            self.name, self.name)


def build_view(concept_graph, request: ViewRequest) -> GraphView:
    """The :class:`GraphView` for ``request`` (errors as :mod:`kg.graphs` raises them)."""
    relations = list(request.relations) or None
    classes = list(request.classes) or None
    if request.name == "paths":
        if not request.source or not request.target:
            raise ExportError("the paths view needs from= and to=")
        return concept_graph.paths(request.source, request.target, request.k, request.max_length,
                                   relations, classes).view
    if request.name not in EXPORT_VIEWS:
        raise ExportError(f"unknown view {request.name!r}; one of {', '.join(EXPORT_VIEWS)}")
    return concept_graph.view(request.name, request.concept, request.depth, relations, classes)


MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf", "html": "text/html"}


def export_bytes(view: GraphView, catalog: Catalog, options: ExportOptions) -> bytes:
    """Any export format: the static ones from Graphviz, ``html`` as a standalone interactive page."""
    if options.fmt == "html":
        from kg.standalone import standalone_html

        return standalone_html(view, catalog, options).encode("utf-8")
    return render(view, catalog, options)
