"""PowerPoint decks (python-pptx): a tour, one slide per step, or a view, its overview and one slide per part.

16:9 slides (13.333 × 7.5 in).  The drawing is native: bands, cards and connectors with editable text,
laid out by :mod:`kg.export.board` at the slide's legible size (labels at least 15 pt, 20 px on a
1280 × 720 slide; a step too big for one slide goes on as many as it needs), in the colours of
:func:`kg.styles.class_style`.  Every run of text names the CJK font as its East Asian typeface
(``a:ea``), so Chinese is drawn in it by PowerPoint, WPS and LibreOffice and not in a Latin fallback.
A step's linked cards of two or three classes are columns a class; of more classes, columns along the
links (:func:`_layered`); either way ordered to cross fewer links (:func:`_uncross`).  Cards grow up to
:data:`DECK_LARGEST` times the minimum so that a step of a few cards fills its slide.
The step's subtitle, definitions, quotes and links are the speaker notes.  Views other than the tree
and the chain are a picture of their slide drawing (:func:`kg.export.image.render`).
"""

from __future__ import annotations

import io
from dataclasses import replace

from kg.catalog import Bilingual, Catalog
from kg.export.board import BAND_TINT, CARD_TINT, Layout, _tint, fit_board, title_wrap
from kg.export.levels import Board, Card, Group, build_board
from kg.export.options import SOURCE_LINE, ExportError, ExportOptions
from kg.graph.model import GraphView
from kg.i18n import Message
from kg.styles import FONT, class_style, relation_colour

SLIDE_EMU = (12192000, 6858000)  # 13.333 × 7.5 in: PowerPoint's 16:9
EMU_PT = 12700
#: a slide of a deck holds its cards as large as they fit, up to 1.8 times the minimum of 15 pt (27 pt, 36 px
#: at 1280×720): a step of a few cards fills its slide instead of leaving it half empty; titles at most 32 pt
DECK_LARGEST = 1.8
DECK_TITLE_MAX = 32.0


def _emu(points: float) -> int:
    return int(round(points * EMU_PT))


def _rgb(colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def _set_font(font, size: float, colour: str = "#1f2328", bold: bool = False) -> None:
    """Size, colour and weight, and the CJK font as the Latin, East Asian and complex-script typeface."""
    from lxml import etree
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = _rgb(colour)
    font.name = FONT
    rpr = font._rPr
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = etree.SubElement(rpr, qn(tag))
        el.set("typeface", FONT)


def _text(shape, lines: list[str], size: float, colour: str = "#1f2328", bold: bool = False,
          align: str = "center", anchor: str = "middle") -> None:
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

    frame = shape.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = _emu(size * 0.2)
    frame.margin_top = frame.margin_bottom = _emu(size * 0.1)
    frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE}[anchor]
    for i, line in enumerate(lines or [""]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = {"center": PP_ALIGN.CENTER, "left": PP_ALIGN.LEFT}[align]
        run = paragraph.add_run()
        run.text = line
        _set_font(run.font, size, colour, bold)


def _box(slide, x: float, y: float, w: float, h: float, rounded: bool = True):
    """A shape by its centre and size in points (a layout's coordinates)."""
    from pptx.enum.shapes import MSO_SHAPE

    kind = MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE
    shape = slide.shapes.add_shape(kind, _emu(x - w / 2), _emu(y - h / 2), _emu(w), _emu(h))
    shape.shadow.inherit = False
    if rounded:
        shape.adjustments[0] = min(0.5, 8 / max(min(w, h), 1))
    return shape


def _label_box(slide, x: float, y: float, w: float, h: float):
    return slide.shapes.add_textbox(_emu(x - w / 2), _emu(y - h / 2), _emu(w), _emu(h))


def _arrow(connector) -> None:
    """An arrowhead at the connector's end."""
    from lxml import etree
    from pptx.oxml.ns import qn

    line = connector.line._get_or_add_ln()
    tail = etree.SubElement(line, qn("a:tailEnd"))
    tail.set("type", "triangle")


def draw_layout(slide, layout: Layout, print_theme: bool = False) -> dict:
    """The laid-out board as native shapes on the slide: the title, bands with their names, cards, the
    links as connectors glued to the cards, the foot line.  Returns the cards' shapes by id."""
    from pptx.enum.shapes import MSO_CONNECTOR

    size = layout.size
    if layout.title:
        box = layout.title
        _text(_label_box(slide, box.x, box.y, box.w, box.h), box.lines, layout.title_size, bold=True)
    for group, band, header in layout.groups:
        look = class_style(group.cls)
        shape = _box(slide, band.x, band.y, band.w, band.h)
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb("#f6f8fa" if print_theme else _tint(look.fill, BAND_TINT))
        shape.line.fill.background()
        columns = layout.board.arrangement == "columns"
        if header.lines:  # a lone band named by the title has none
            _text(_label_box(slide, header.x, header.y, header.w, header.h), header.lines, size, bold=True,
                  align="center" if columns else "left")
    shapes = {}
    for card, c in layout.cards:
        look = class_style(card.cls)
        shape = _box(slide, c.x, c.y, c.w, c.h)
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb("#ffffff" if print_theme else _tint(look.fill, CARD_TINT))
        shape.line.color.rgb = _rgb("#333333" if print_theme else look.border)
        shape.line.width = _emu(2.5)
        _text(shape, c.lines, size)
        shape.name = card.id
        shapes[card.id] = (shape, c)
    for e in layout.board.links:
        if e.source not in shapes or e.target not in shapes:
            continue
        (a, pa), (b, pb) = shapes[e.source], shapes[e.target]
        connector = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, 0, 0, 0, 0)
        if abs(pa.y - pb.y) > (pa.h + pb.h) / 2 and abs(pa.x - pb.x) < (pa.w + pb.w) / 2:
            connector.begin_connect(a, 0 if pa.y > pb.y else 2)  # across bands: top or bottom
            connector.end_connect(b, 2 if pa.y > pb.y else 0)
        else:
            connector.begin_connect(a, 1 if pa.x > pb.x else 3)  # across columns: left or right side
            connector.end_connect(b, 3 if pa.x > pb.x else 1)
        connector.line.color.rgb = _rgb("#333333" if print_theme else relation_colour(e.relation))
        connector.line.width = _emu(1.75)
        _arrow(connector)
    for _name, text, colour, box in layout.foot:
        _text(_label_box(slide, box.x, box.y, box.w + size, box.h), [text], size, colour, align="left")
    return shapes


def _split(board: Board) -> list[Board]:
    """The board in two, its cards halved (a step too big for one slide)."""
    cards = [(g, c) for g in board.groups for c in g.cards]
    if len(cards) < 2:
        return [board]
    half = len(cards) // 2
    out = []
    for part in (cards[:half], cards[half:]):
        ids = {c.id for _, c in part}
        groups = [Group(g.id, g.cls, g.label, [c for c in g.cards if c.id in ids]) for g in board.groups]
        groups = [g for g in groups if g.cards]
        links = [e for e in board.links if e.source in ids and e.target in ids]
        out.append(Board(board.view, board.level, board.title, groups, links, board.arrangement))
    return out


def fit_slides(board: Board, catalog: Catalog, options: ExportOptions) -> list[Layout]:
    """The board on as many slides as it needs at the slide's legible size (numbered when more than one)."""
    layout = fit_board(board, catalog, options, "slide", largest=DECK_LARGEST, title_max=DECK_TITLE_MAX)
    if layout is not None:
        return [layout]
    if board.fallback is not None:  # the columns do not fit one slide: the bands, before two slides
        return fit_slides(board.fallback, catalog, options)
    parts = _split(board)
    if len(parts) == 1:
        raise ExportError(Message("export.slide_too_small", title=board.title))
    layouts = [lay for part in parts for lay in fit_slides(part, catalog, options)]
    n = len(layouts)
    for i, lay in enumerate(layouts, 1):
        if lay.title:
            lay.title.lines = [*lay.title.lines[:-1], f"{lay.title.lines[-1]} ({i}/{n})"]
    return layouts


def _notes(slide, text: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    frame.text = text
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            _set_font(run.font, 12)


def _title_slide(prs, title: Bilingual, description: Bilingual, lang: str, notes: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    w = 960
    _text(_label_box(slide, w / 2, 190, 860, 110), title_wrap(title.get(lang), 860 - 16, 40), 40, bold=True)
    other = title.en if lang == "zh" else title.zh
    if other and other != title.get(lang):
        _text(_label_box(slide, w / 2, 270, 860, 50), title_wrap(other, 860 - 10, 24), 24, "#57606a")
    if description.get(lang):
        _text(_label_box(slide, w / 2, 360, 820, 110), [description.get(lang)], 18, "#1f2328")
    _text(_label_box(slide, w / 2, 500, 900, 30), [SOURCE_LINE.get(lang)], 15, "#57606a")
    _notes(slide, notes)


def _presentation():
    from pptx import Presentation

    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_EMU
    return prs


def _save(prs) -> bytes:
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _deck_options(options: ExportOptions) -> ExportOptions:
    return replace(options, fmt="pptx", preset="slide", source=False)


# -- a tour -------------------------------------------------------------------------------------------------


def step_board(tour, step) -> Board:
    """What a step shows on its slide: per concept it is about, a band of the concepts it brings in that
    are linked to it (its components, parts, remedies ...), and the links among them."""
    by_id = {n.id: n for n in step.graph.nodes}
    subject = [by_id[i] for i in step.subject if i in by_id]
    subject_ids = {n.id for n in subject}
    new = [by_id[i] for i in step.new if i in by_id and i not in subject_ids]
    touching: dict[str, set[str]] = {}
    for e in step.graph.edges:
        touching.setdefault(e.source, set()).add(e.target)
        touching.setdefault(e.target, set()).add(e.source)
    groups, used = [], set()
    for s in subject:
        cards = [n for n in new if n.id not in used and s.id in touching.get(n.id, ())]
        used.update(n.id for n in cards)
        if cards:
            groups.append(Group(s.id, cards[0].cls, s.label, [Card(n.id, n.cls, n.label) for n in cards]))
    rest = [n for n in new if n.id not in used]
    if rest:
        groups.append(Group("new", rest[0].cls, Bilingual("新出现", "New"), [Card(n.id, n.cls, n.label) for n in rest]))
    shown_alone = [s for s in subject if not any(g.id == s.id for g in groups)]
    if shown_alone:
        groups.insert(0, Group("subject", shown_alone[0].cls, step.subtitle if step.subtitle.zh else step.title,
                               [Card(n.id, n.cls, n.label) for n in shown_alone]))
    ids = {c.id for g in groups for c in g.cards}
    links = sorted((e for e in step.graph.edges if e.source in ids and e.target in ids and e.relation != "partOf"),
                   key=lambda e: (e.source, e.relation, e.target))
    cards = [c for g in groups for c in g.cards]
    classes = list(dict.fromkeys(c.cls for c in cards))
    legend = {i.cls: i.label for i in step.graph.legend}
    if links and 2 <= len(classes) <= 3:  # linked cards of a few classes: a column a class, the links across
        columns = [Group(f"column-{cls}", cls, legend.get(cls, Bilingual(cls, cls)), [c for c in cards if c.cls == cls])
                   for cls in classes]
        links = [e for e in links if next(c.cls for c in cards if c.id == e.source)
                 != next(c.cls for c in cards if c.id == e.target)]
        return Board(tour.name, "step", step.title, _uncross(columns, links), links, "columns")
    board = Board(tour.name, "step", step.title, groups, links)
    if links and len(classes) > 3:  # many classes: a column per step along the links, so that no link crosses a card
        for pull in (False, True):  # tried first: the pulled columns, then the plain ones, then the bands
            layered = _layered(cards, links, legend, pull)
            if layered is not None:
                board = Board(tour.name, "step", step.title, *layered, "columns", fallback=board)
    return board


#: the most columns a step's links are laid out in (:func:`_layered`)
MAX_COLUMNS = 3


def _layered(cards: list[Card], links: list, legend: dict, pull: bool = True) -> tuple[list[Group], list] | None:
    """Cards of many classes linked to each other, as columns along the links (a layered drawing): each
    card one column right of the farthest card that links to it (``pull``: a card nothing links to just
    left of its nearest target, so fewer links skip a column); a card without links joins the column where its class is most frequent.  The columns are then
    ordered to cross fewer links (:func:`_uncross`).  None when the links go round in a cycle or need more
    than :data:`MAX_COLUMNS` columns (the step keeps its bands).

    Hand-written rather than Graphviz's ``dot``: the cards are laid out by :mod:`kg.export.board` as native
    slide shapes, which only needs which column a card is in and its place in it."""
    ids = [c.id for c in cards]
    incoming: dict[str, list[str]] = {i: [] for i in ids}
    for e in links:
        if e.source != e.target:
            incoming[e.target].append(e.source)
    depth: dict[str, int] = {}
    for _ in range(len(ids) + 1):  # longest path from a source, relaxed until it holds
        changed = False
        for i in ids:
            d = max((depth.get(j, 0) + 1 for j in incoming[i]), default=0)
            if depth.get(i) != d:
                depth[i], changed = d, True
        if not changed:
            break
    else:
        return None  # a cycle
    linked = {e.source for e in links} | {e.target for e in links}
    outgoing: dict[str, list[str]] = {}
    for e in links:
        if e.source != e.target:
            outgoing.setdefault(e.source, []).append(e.target)
    if pull:
        for i in ids:  # a card nothing links to just left of its nearest target: fewer links skip a column
            if not incoming[i] and i in outgoing:
                depth[i] = max(depth[i], min(depth[j] for j in outgoing[i]) - 1)
    n = max(depth[i] for i in linked) + 1
    if not 2 <= n <= MAX_COLUMNS:
        return None
    for c in cards:  # unlinked cards: beside their class
        if c.id not in linked:
            same = [depth[o.id] for o in cards if o.cls == c.cls and o.id in linked]
            depth[c.id] = max(set(same), key=same.count) if same else 0
    columns = []
    for k in range(n):
        members = [c for c in cards if depth[c.id] == k]
        kinds = list(dict.fromkeys(c.cls for c in members))
        name = Bilingual("、".join(legend.get(x, Bilingual(x, x)).zh for x in kinds[:3]) + ("等" if len(kinds) > 3 else ""),
                         ", ".join(legend.get(x, Bilingual(x, x)).en for x in kinds[:3]) + (" …" if len(kinds) > 3 else ""))
        columns.append(Group(f"column-{k}", kinds[0] if kinds else "Concept", name, members))
    columns = [g for g in columns if g.cards]
    return _uncross(columns, links), links


def _uncross(columns: list[Group], links: list, sweeps: int = 4) -> list[Group]:
    """The columns' cards reordered to cross fewer links: each card moved to the mean place of the cards it
    is linked with in the neighbouring column (the barycentre heuristic of layered drawing), sweeping left
    to right and back; ties keep the given order (the article's)."""
    neighbours: dict[str, set[str]] = {}
    for e in links:
        neighbours.setdefault(e.source, set()).add(e.target)
        neighbours.setdefault(e.target, set()).add(e.source)
    order = [list(g.cards) for g in columns]

    def place(k: int, ref: int) -> None:
        where = {c.id: i for i, c in enumerate(order[ref])}
        def key(item):
            i, card = item
            near = [where[o] for o in neighbours.get(card.id, ()) if o in where]
            return (sum(near) / len(near) if near else i, i)
        order[k] = [c for _, c in sorted(enumerate(order[k]), key=key)]

    for _ in range(sweeps):
        for k in range(1, len(order)):
            place(k, k - 1)
        for k in range(len(order) - 2, -1, -1):
            place(k, k + 1)
    return [Group(g.id, g.cls, g.label, cards) for g, cards in zip(columns, order)]


def _titled(board: Board | None, title: Bilingual) -> Board | None:
    """The board and its fallbacks under another title."""
    return board and replace(board, title=title, fallback=_titled(board.fallback, title))


def step_notes(step, catalog: Catalog, lang: str) -> str:
    """The speaker notes of a step: its subtitle, the definitions (zh and en), the quotes with their
    paragraph, the links as sentences."""
    from kg.tours.model import ARTICLE_NAMES

    def said(value: Bilingual) -> list[str]:  # Chinese notes carry the English too; English ones only English
        return [value.en or value.zh] if lang == "en" else [x for x in (value.zh, value.en) if x]

    lines = said(step.subtitle)
    if step.notes:
        lines.append("定义" if lang == "zh" else "Definitions")
        for note in step.notes:
            if lang != "en":
                lines.append(f"· {note.label.zh}:{note.text.zh}")
            if note.text.en:
                lines.append(f"{'  ' if lang != 'en' else '· '}{note.label.en}: {note.text.en}")
    if step.quotes:
        lines.append("原文" if lang == "zh" else "Quotes")
        for q in step.quotes:
            article = ARTICLE_NAMES.get(q.article, Bilingual(q.article, q.article)).get(lang)
            lines.append(f"· “{q.exact}”")
            lines.append(f"  ({article}, {q.paragraph})")
    if step.links:
        lines.append("关系" if lang == "zh" else "Links")
        labels = {n.id: n.label for n in step.graph.nodes}
        for link in step.links:
            a, b = labels.get(link.source), labels.get(link.target)
            mark = "" if link.status != "inferred" else (" (推断)" if lang == "zh" else " (inferred)")
            lines.append(f"· {a.get(lang) if a else link.source} {link.relation_label.get(lang)} "
                         f"{b.get(lang) if b else link.target}{mark}")
    return "\n".join(lines)


def tour_deck(tour, catalog: Catalog, options: ExportOptions) -> bytes:
    """A tour as a deck: a title slide, then each step on one slide (or more when it needs them)."""
    options = _deck_options(options)
    lang = options.lang
    prs = _presentation()
    _title_slide(prs, tour.title, tour.description, lang,
                 f"{tour.title.zh} · {tour.title.en}\n{tour.description.zh}\n{tour.description.en}")
    for step in tour.steps:
        board = step_board(tour, step)
        heading = Bilingual(f"{step.number}. {step.title.zh}", f"{step.number}. {step.title.en}")
        board = _titled(board, heading)
        notes = step_notes(step, catalog, lang)
        for layout in fit_slides(board, catalog, options):
            slide = prs.slides.add_slide(prs.slide_layouts[6])
            draw_layout(slide, layout, options.theme == "print")
            _notes(slide, notes)
    return _save(prs)


# -- a view -------------------------------------------------------------------------------------------------


def view_deck(view: GraphView, catalog: Catalog, options: ExportOptions) -> bytes:
    """A view as a deck: a title slide, the overview, then one slide per layer (the tree) or per item (the
    chain) with its parts; other views: their slide drawing as a picture."""
    options = _deck_options(options)
    lang = options.lang
    prs = _presentation()
    _title_slide(prs, view.title, view.description, lang, f"{view.description.zh}\n{view.description.en}")
    if view.name in ("tree", "chain"):
        boards = [build_board(view, "overview")]
        if view.name == "tree":
            parts = [n.id for n in sorted((n for n in view.nodes if n.role == "layer"), key=lambda n: -(n.level or 0))]
        else:
            parts = [g.cards[i].id for g in boards[0].groups for i in range(len(g.cards))]
        for cid in parts:
            detail = build_board(view, "detail", cid)
            if any(g.cards for g in detail.groups):
                boards.append(detail)
        for board in boards:
            for layout in fit_slides(board, catalog, options):
                slide = prs.slides.add_slide(prs.slide_layouts[6])
                draw_layout(slide, layout, options.theme == "print")
                _notes(slide, "\n".join(f"· {g.label.zh} {g.label.en}: " + "、".join(c.label.zh for c in g.cards)
                                        for g in board.groups))
    else:
        from kg.export.image import render

        png = render(view, catalog, replace(options, fmt="png", preset="slide", dpi=144, source=True))
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        slide.shapes.add_picture(io.BytesIO(png), 0, 0, SLIDE_EMU[0], SLIDE_EMU[1])
        _notes(slide, "\n".join(f"· {n.label.zh} {n.label.en}" for n in view.nodes[:80]))
    return _save(prs)


__all__ = ["SLIDE_EMU", "draw_layout", "fit_slides", "step_board", "step_notes", "tour_deck", "view_deck"]
