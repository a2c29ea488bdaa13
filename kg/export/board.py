"""A :class:`~kg.export.levels.Board` laid out on its page: bands or columns of cards at the largest label
size that fits, never below the page's legible minimum (:data:`kg.export.options.LABEL_MIN_PT`).

The layout is computed here, in points on the page, from the text's measured width (the font's own
advances, Pillow), and handed to Graphviz with every position pinned (``neato -n2``): Graphviz only draws
it, in the same font, shapes and colours as the full drawing and the screen (:func:`kg.styles.class_style`),
so SVG, PNG and PDF come out of the one pipeline.  When the board cannot be drawn at the minimum size,
:func:`board_dot` raises :class:`~kg.export.options.ExportError` naming a finer level or a bigger page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import graphviz

from kg.catalog import Bilingual, Catalog
from kg.export.fonts import font_file, has_cjk, latin_font
from kg.export.levels import Board
from kg.export.options import (LABEL_MIN_PT, MARGIN_IN, PAGE_ORDER, PRESETS, SOURCE_LINE, TITLE_MIN_PT,
                               ExportError, ExportOptions)
from kg.i18n import Message, Term, t
from kg.linebreak import wrap_zh
from kg.styles import FONT, class_style, relation_colour

LINE = 1.45  # line height of Noto Sans CJK, in ems
CARD_TINT, BAND_TINT = 0, 0.12  # how much of the class's fill a card and a band keep (the rest white)
MAX_LINES = 3  # a card's label in at most this many lines
#: the largest labels, in multiples of the page's minimum: a slide 18 pt (24 px), A4 12 pt, posters more
LARGEST = {"slide": 1.2, "a4-portrait": 1.5, "a4-landscape": 1.5, "a3-portrait": 2.0, "a3-landscape": 2.0,
           "a2-portrait": 2.75, "a2-landscape": 2.75}


@lru_cache(maxsize=4)
def _font(family: str = FONT):
    from PIL import ImageFont

    found = font_file(family)
    if found is None:
        return None
    path, index = found.split("\t")
    return ImageFont.truetype(path, size=100, index=int(index or 0))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in points at ``size`` points (bold: about 4 % wider), in the font it is drawn
    in: the CJK font, or the Latin one for text without Chinese (:func:`board_graph`)."""
    latin = None if has_cjk(text) else latin_font()
    font = _font(latin) if latin else _font()
    width = font.getlength(text) / 100 * size if font else len(text) * size
    return width * ((1.04 if latin is None else 1.1) if bold else 1.0)


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` in lines no wider than ``width`` points: Chinese broken between words, English at spaces."""
    if not text:
        return []
    if any("\u2e80" <= ch <= "\u9fff" for ch in text):
        chars = max(1, int(width / size))
        while True:
            lines = wrap_zh(text, chars)
            if chars == 1 or all(text_width(line, size) <= width for line in lines):
                break
            chars -= 1
        if len(lines) > 1:  # as many lines, of even length: no lone word on the last line
            even = -(-len(text) // len(lines))
            while even < chars:
                balanced = wrap_zh(text, even)
                if len(balanced) <= len(lines) and all(text_width(line, size) <= width for line in balanced):
                    return balanced
                even += 1
        return lines
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


#: a title's last line shorter than this (in characters) is an orphan ("…共同愿" / "景")
TITLE_LEAST_CHARS = 3
#: the share of its box a title's line may fill by our font metrics: PowerPoint, WPS and LibreOffice set
#: type a few per cent wider, and would break a full line again on their own, leaving a lone character
TITLE_SLACK = 0.9
#: where a title breaks first: the separator of a heading's parts, then punctuation (kept on the line before)
_TITLE_BREAKS = (" · ", "：", ": ", "，", ", ", "、", " — ")


def _orphaned(lines: list[str]) -> bool:
    return len(lines) > 1 and any(len(line.strip()) < TITLE_LEAST_CHARS for line in lines)


def title_wrap(text: str, width: float, size: float, slack: float | None = None) -> list[str]:
    """A title in lines no wider than ``width`` points at ``size`` with no orphan: a title that takes more
    than one line breaks at its " · " separator or other punctuation first (when that takes no more lines),
    else in lines of even length (the narrowest width that keeps the count).  Hand-written: a title is a
    few dozen characters, and :func:`wrap` balances Chinese only by character count, which a title mixing
    Chinese, digits and quotes defeats."""
    width *= TITLE_SLACK if slack is None else slack
    lines = wrap(text, width, size)
    if len(lines) <= 1:
        return lines
    for sep in _TITLE_BREAKS:
        at = text.find(sep)
        while at > 0:
            cut = at + (0 if sep.startswith(" ") else len(sep.rstrip()))
            head, tail = text[:cut].strip(), text[cut:].strip()
            if sep == " · ":
                tail = tail.removeprefix("·").strip()
                head = f"{head} ·"
            parts = wrap(head, width, size) + wrap(tail, width, size)
            if len(parts) <= len(lines) and not _orphaned(parts):
                return parts
            at = text.find(sep, at + 1)
    best, narrow = lines, width
    while narrow > width * 0.4:  # narrower boxes, as long as the title keeps its number of lines
        narrow *= 0.96
        tried = wrap(text, narrow, size)
        if len(tried) > len(lines):
            break
        if not _orphaned(tried):
            best = tried
    return best


def label_lines(label: Bilingual, mode: str, width: float, size: float) -> list[str]:
    zh = wrap(label.zh, width, size)
    en = wrap(label.en, width, size)
    return (zh or en) if mode == "zh" else (en or zh) if mode == "en" else zh + en


def _tint(colour: str, keep: float) -> str:
    """``colour`` mixed with white: ``keep`` of the colour."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#%02x%02x%02x" % tuple(round(255 - (255 - c) * keep) for c in (r, g, b))


def _text(lines: list[str]) -> str:
    return graphviz.nohtml("\\n".join(line.replace("\\", "\\\\") for line in lines))


def _html(text: str) -> str:
    from html import escape

    return escape(text)


@dataclass
class _Placed:
    """A card or a header placed on the page: centre (top-down y), size, lines, font size."""

    id: str
    x: float
    y: float
    w: float
    h: float
    lines: list[str]


class _TooSmall(Exception):
    pass


def page_of(options: ExportOptions) -> tuple[str, tuple[float, float]]:
    """The preset a board is drawn on (``none``: the slide; ``a4``: landscape, where bands are wide)
    and its size in points."""
    preset = {"none": "slide", "a4": "a4-landscape", "a3": "a3-landscape", "a2": "a2-landscape"}.get(
        options.preset, options.preset)
    w, h = PRESETS[preset]
    return preset, (w * 72, h * 72)


@dataclass
class Layout:
    """A board placed on its page: sizes in points, y from the top."""

    board: Board
    preset: str
    page: tuple[float, float]
    size: float  # the labels' size
    title: _Placed | None
    title_size: float
    groups: list  # (Group, band, header)
    cards: list  # (Card, placed)
    foot: list  # (name, text, colour, placed)


def board_dot(board: Board, catalog: Catalog, options: ExportOptions) -> tuple[graphviz.Digraph, str]:
    """The board as a Graphviz graph with pinned positions (render it with ``neato -n2``), and the preset
    it is drawn on.  Labels get the largest size between the page's minimum and :data:`LARGEST` times that
    which fits."""
    preset, _ = page_of(options)
    layout = fit_board(board, catalog, options, preset)
    if layout is None and options.preset in ("a4", "a3", "a2"):  # turned: the portrait page may hold it
        layout = fit_board(board, catalog, options, f"{options.preset}-portrait")
        if layout is not None:
            preset = layout.preset
    if layout is None:
        raise ExportError(_advice(board, catalog, options, preset))
    return board_graph(layout, options), preset


def fit_board(board: Board, catalog: Catalog, options: ExportOptions, preset: str,
              reserve: float = 0.0, page: tuple[float, float] | None = None, margin: float | None = None,
              largest: float | None = None, title_max: float | None = None) -> Layout | None:
    """The board laid out on ``preset``'s page at the largest label size that fits, or None when it does
    not fit at the page's minimum.  ``page`` (points), ``margin`` (points) and ``largest`` (a multiple of
    the minimum) replace the preset's when given: a figure in a booklet is drawn to its box; ``title_max``
    caps the title's size (points) where labels may grow large (a deck's slides)."""
    pw, ph = page or tuple(side * 72 for side in PRESETS[preset])
    least = LABEL_MIN_PT[preset]
    size = least * (largest or LARGEST.get(preset, 1.5))
    while size >= least - 1e-6:
        try:
            return layout_board(board, catalog, options, preset, (pw, ph), size, reserve, margin, title_max)
        except _TooSmall:
            size -= 0.5
    return None


def _advice(board: Board, catalog: Catalog, options: ExportOptions, preset: str) -> Message:
    """Why the board does not fit, and what does: a finer level, or the pages on which it fits."""
    from dataclasses import replace

    fits = [p for p in PAGE_ORDER
            if p != preset and fit_board(board, catalog, replace(options, preset=p), p) is not None]
    finer = Message("export.finer_tree" if board.view == "tree" else "export.finer_chain")
    if board.level == "detail":
        finer = Message("export.finer_component" if board.view == "tree" else "export.finer_points")
    elif board.level == "full":
        finer = Message("export.finer_full", finer=finer)
    least = LABEL_MIN_PT[preset]
    unit = (Message("export.px_slide", px=f"{least * 96 / 72:g}") if preset == "slide"
            else Message("export.pt", pt=f"{least:g}"))
    pages = (Message("export.fits_on", presets=" / ".join(fits[:2])) if fits
             else Message("export.one_language") if options.labels == "both" else Message("export.no_page"))
    return Message("export.no_fit", view=Term(f"problem.export.view.{board.view}"),
                   level=Term(f"problem.export.level.{board.level}"), preset=preset, unit=unit, finer=finer, pages=pages)


def layout_board(board: Board, catalog: Catalog, options: ExportOptions, preset: str,
                 page: tuple[float, float], size: float, reserve: float = 0.0,
                 margin: float | None = None, title_max: float | None = None) -> Layout:
    """The board on the page with labels of ``size`` points (:class:`_TooSmall` when it does not fit),
    ``reserve`` points left free at the foot (a handout's notes), ``margin`` points round it (default:
    the preset's)."""
    pw, ph = page
    mode, lang = options.labels, options.lang
    margin = MARGIN_IN[preset] * 72 if margin is None else margin
    gap = size * 0.6
    pad = size * 0.45
    title_size = max(TITLE_MIN_PT[preset], size * 1.5)
    if title_max:  # capped, yet never under the page's minimum for titles nor as small as the labels
        title_size = max(TITLE_MIN_PT[preset], size * 1.15, min(title_size, title_max))
    top = margin
    title = board.title.get(lang) if options.title is True else (options.title or "")
    if mode == "both" and options.title is True:
        title = f"{board.title.zh} · {board.title.en}"
    title_lines = title_wrap(title, pw - 2 * margin, title_size) if title else []
    if len(title_lines) > 3:  # a long heading (an English section title) may take three lines
        raise _TooSmall
    title_h = len(title_lines) * title_size * LINE
    title_box = _Placed("title", pw / 2, margin + title_h / 2, pw - 2 * margin, title_h, title_lines) \
        if title_lines else None
    top += title_h + (gap if title_lines else 0)
    foot_items = _foot(board, catalog, options, lang)
    foot_h = size * LINE if foot_items else 0
    bottom = ph - margin - foot_h - (gap if foot_items else 0) - reserve
    groups, cards = (_bands if board.arrangement == "bands" else _columns)(
        board, mode, margin, top, pw - margin, bottom, size, gap, pad)
    foot, x = [], margin
    for name, text, colour in foot_items:
        w = text_width(text, size) + size
        foot.append((name, text, colour,
                     _Placed(name, x + w / 2, ph - margin - reserve - foot_h / 2, w, foot_h, [text])))
        x += w + gap
    if foot and x - gap > pw - margin + 0.5:
        raise _TooSmall
    return Layout(board, preset, page, size, title_box, title_size, groups, cards, foot)


def board_graph(layout: Layout, options: ExportOptions, latin: str | None = "auto") -> graphviz.Digraph:
    """The laid-out board as a Graphviz graph, every node pinned where the layout put it; with ``latin``,
    text without Chinese is drawn in that font (cairo would embed most of the CJK font for a few Latin
    letters drawn in it)."""
    board, (pw, ph), size = layout.board, layout.page, layout.size
    latin = latin_font() if latin == "auto" else latin
    print_theme = options.theme == "print"
    g = graphviz.Digraph(name=f"{board.view}-{board.level}", engine="neato")
    g.attr("graph", bgcolor="white", pad="0", margin="0", splines="line", outputorder="nodesfirst",
           fontname=FONT)
    g.attr("node", fontname=FONT, fixedsize="true", penwidth="0", label="")
    g.attr("edge", fontname=FONT, arrowsize="0.9", penwidth="1.6")

    def node(name: str, box: _Placed, **attrs) -> None:
        if latin and box.lines and not any(has_cjk(line) for line in box.lines):
            attrs["fontname"] = latin
        g.node(name, pos=f"{box.x:.2f},{ph - box.y:.2f}", width=f"{box.w / 72:.4f}", height=f"{box.h / 72:.4f}",
               **attrs)

    node("paper", _Placed("paper", pw / 2, ph / 2, pw, ph, []), shape="box", style="filled", fillcolor="white")
    if layout.title:
        node("title", layout.title, shape="plaintext", label=_text(layout.title.lines),
             fontsize=f"{layout.title_size:g}", fontcolor="#1f2328")
    for group, band, header in layout.groups:
        look = class_style(group.cls)
        node(f"band_{group.id}", band, shape="box", style="rounded,filled",
             fillcolor="#f6f8fa" if print_theme else _tint(look.fill, BAND_TINT),
             penwidth="0" if not print_theme else "0.8", color="#8c959f")
        if not header.lines:  # a lone band named by the title: no name beside it
            continue
        lines = '<BR ALIGN="LEFT"/>'.join(_html(line) for line in header.lines)
        align = '<BR ALIGN="LEFT"/>' if board.arrangement == "bands" else ""
        node(f"head_{group.id}", header, shape="plaintext", label=f"<<B>{lines}</B>{align}>",
             fontsize=f"{size:g}", fontcolor="#1f2328")
    for card, c in layout.cards:
        look = class_style(card.cls)
        style = "rounded,filled" + ("" if look.line == "solid" else f",{look.line}")
        # the class's colours as on screen, the fill lightened so dark text reads on every card
        node(card.id, c, shape="box", style=style, label=_text(c.lines), fontsize=f"{size:g}",
             fillcolor="white" if print_theme else _tint(look.fill, CARD_TINT),
             fontcolor="#1f2328", color="#333333" if print_theme else look.border, penwidth="2.5")
    placed = {card.id: c for card, c in layout.cards}
    for e in board.links:  # columns: from the side of one card to the side of the other, across the lane
        ports = {}
        if board.arrangement == "columns" and e.source in placed and e.target in placed:
            leftwards = placed[e.source].x > placed[e.target].x
            ports = {"tailport": "w" if leftwards else "e", "headport": "e" if leftwards else "w"}
        g.edge(e.source, e.target, **ports,
               color="#333333" if print_theme else relation_colour(e.relation),
               style="dashed" if print_theme and e.relation == "hinders" else "solid")
    for name, text, colour, box in layout.foot:
        node(name, box, shape="plaintext", label=_text([text]), fontsize=f"{size:g}", fontcolor=colour)
    return g


def _foot(board: Board, catalog: Catalog, options: ExportOptions, lang: str) -> list[tuple[str, str, str]]:
    """The line at the foot: the links' colours (the chain), the source and the date."""
    out = []
    if options.legend and board.links:
        relations = sorted({e.relation for e in board.links})
        for r in relations:
            label = catalog.relation_label(r, lang)
            out.append((f"legend_{r}", f"→ {label}", "#1f2328" if options.theme == "print" else relation_colour(r)))
    notes = []
    if options.source:
        notes.append(SOURCE_LINE.get(lang) if options.labels != "both" else SOURCE_LINE.zh)
    if options.date:
        notes.append(t("export.date", lang, date=options.date))
    if notes:
        out.append(("legend_source", " · ".join(notes), "#57606a"))
    return out


def _header_lines(label: Bilingual, mode: str, width: float, size: float) -> list[str]:
    """A band's name: the layer's label (``根：四种学习理念``) in up to three lines."""
    return label_lines(label, mode, width, size)


def _bands(board, mode, left, top, right, bottom, size, gap, pad):
    """Bands top to bottom, the group's name on the left, its cards in rows centred on the right.  A lone group
    whose name the board's title holds (a tour step about one part) gets no name beside it: the title says it, and a
    long English name would not fit the column."""
    named = [grp for grp in board.groups if not (len(board.groups) == 1 and board.title is not None
                                                 and grp.label.zh in board.title.zh and grp.label.en in board.title.en)]
    widest = max((text_width(line, size, bold=True) for grp in named
                  for line in label_lines(grp.label, mode, 10_000, size)), default=0)
    head_w = min(widest + 2 * pad, (right - left) * 0.24) if named else 0
    heads = [_header_lines(grp.label, mode, head_w - 2 * pad, size) if grp in named else [] for grp in board.groups]
    if any(len(lines) > 4 for lines in heads):
        raise _TooSmall
    area_left = left + head_w + (gap if named else pad)
    area_w = right - area_left - pad
    line_h = size * LINE
    plans = []
    for grp, head in zip(board.groups, heads):
        n = len(grp.cards)
        for rows in range(1, 5):
            cols = -(-n // rows) if n else 1
            cw = (area_w - (cols - 1) * gap) / cols
            texts = [label_lines(c.label, mode, cw - 2 * pad, size) for c in grp.cards]
            limit = MAX_LINES * (2 if mode == "both" else 1)
            if all(len(x) <= limit for x in texts):
                break
        else:
            raise _TooSmall
        widest = max([text_width(line, size) for x in texts for line in x] or [size * 4])
        cw = min(cw, max(widest + 2 * pad, size * 6))
        ch = max([len(x) for x in texts] or [1]) * line_h + 2 * pad
        band_h = max(len(head) * line_h + 2 * pad, rows * ch + (rows - 1) * gap + 2 * pad * 0.8)
        plans.append((grp, head, rows, cols, cw, ch, texts, band_h))
    total = sum(p[-1] for p in plans) + (len(plans) - 1) * gap * 0.5
    if total > bottom - top + 0.01:
        raise _TooSmall
    spare = (bottom - top - total) / max(1, len(plans))
    grown = total + sum(min(spare, p[-1] * 1.5) for p in plans)
    groups, cards = [], []
    y = top + (bottom - top - grown) / 2  # what the bands do not fill is shared above and below them
    for grp, head, rows, cols, cw, ch, texts, band_h in plans:
        extra = min(spare, band_h * 1.5)
        band_h += extra
        band = _Placed(grp.id, (left + right) / 2, y + band_h / 2, right - left, band_h, [])
        header = _Placed(grp.id, left + pad + head_w / 2, y + band_h / 2, head_w, band_h, head)
        groups.append((grp, band, header))
        # a band grown into spare room spreads its cards over it (taller cards, wider rows) instead of
        # leaving them in a strip across its middle
        ch += min(extra * 0.4 / rows, ch * 0.6)
        row_gap = gap + (min(extra * 0.3, ch * (rows - 1)) / (rows - 1) if rows > 1 else 0)
        block_h = rows * ch + (rows - 1) * row_gap
        for i, (card, lines) in enumerate(zip(grp.cards, texts)):
            r, k = divmod(i, cols)
            in_row = min(cols, len(grp.cards) - r * cols)
            row_w = in_row * cw + (in_row - 1) * gap * 2
            x = area_left + (area_w - row_w) / 2 + cw / 2 + k * (cw + gap * 2)
            if row_w > area_w:  # no room for the wider spacing: the plain gap
                row_w = in_row * cw + (in_row - 1) * gap
                x = area_left + (area_w - row_w) / 2 + cw / 2 + k * (cw + gap)
            cy = y + (band_h - block_h) / 2 + ch / 2 + r * (ch + row_gap)
            cards.append((card, _Placed(card.id, x, cy, cw, ch, lines)))
        y += band_h + gap * 0.5
    return groups, cards


def _columns(board, mode, left, top, right, bottom, size, gap, pad):
    """Columns left to right, the group's name on top, its cards spread down the column; wide gaps between
    the columns for the links."""
    n = len(board.groups)
    lane = size * 4  # the room between two columns for the links
    col_w = (right - left - (n - 1) * lane) / n
    line_h = size * LINE
    heads = [label_lines(grp.label, mode, col_w - 2 * pad, size) for grp in board.groups]
    head_h = max(len(h) for h in heads) * line_h + pad
    texts = [[label_lines(c.label, mode, col_w - 4 * pad, size) for c in grp.cards] for grp in board.groups]
    heights = [[len(x) * line_h + 2 * pad for x in col] for col in texts]
    for col in heights:
        if sum(col) + (len(col) - 1) * gap * 0.6 + head_h + 2 * pad > bottom - top + 0.01:
            raise _TooSmall
    groups, cards = [], []
    for i, (grp, head, col, hs) in enumerate(zip(board.groups, heads, texts, heights)):
        x = left + col_w / 2 + i * (col_w + lane)
        band = _Placed(grp.id, x, (top + bottom) / 2, col_w, bottom - top, [])
        header = _Placed(grp.id, x, top + pad + head_h / 2, col_w, head_h, head)
        groups.append((grp, band, header))
        room = bottom - top - head_h - 2 * pad
        spare = (room - sum(hs)) / len(hs) if hs else 0
        y = top + pad + head_h + spare / 2
        for card, lines, h in zip(grp.cards, col, hs):
            cards.append((card, _Placed(card.id, x, y + h / 2, col_w - 2 * pad, h, lines)))
            y += h + spare
    return groups, cards


__all__ = ["CARD_TINT", "BAND_TINT", "Layout", "board_dot", "board_graph", "fit_board", "label_lines", "layout_board", "page_of",
           "text_width", "wrap"]
