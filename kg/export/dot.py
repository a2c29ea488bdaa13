"""A graph view as a Graphviz graph: its labels, which nodes share a rank, the chain's cards and the legend.

The layout comes from Graphviz (``dot``), never from hand-placed coordinates: a view's layout hints only
say which nodes share a rank (the tree's levels, bottom to top; the chain's and the cross view's columns,
left to right).  Each class is drawn in its own shape and colours (:func:`kg.styles.class_style`); the
print theme keeps the shapes and border lines and drops the colours.

Determinism: nodes, edges and attributes are emitted in a fixed order and nothing time-dependent goes
into the picture unless a date is asked for, so the same request gives a byte-identical drawing.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass, field
from html import escape

import graphviz

from kg.catalog import Bilingual, Catalog
from kg.export.options import MARGIN_IN, PRESETS, SOURCE_LINE, ExportError, ExportOptions
from kg.graph.model import GraphView
from kg.i18n import Message, pair, t
from kg.linebreak import wrap_zh
from kg.styles import FONT, class_style, relation_colour


def check_graphviz() -> None:
    """Stop with a clear message unless Graphviz's ``dot`` is installed."""
    if shutil.which("dot") is None:
        raise ExportError(Message("export.no_graphviz"))


# -- labels --------------------------------------------------------------------------------------


def _dot_text_one(text: str) -> str:
    return _dot_text([text])


def point_lines(label: Bilingual, mode: str) -> list[str]:
    """A point inside a chain card: wider lines than a node label."""
    zh = wrap_zh(label.zh, 18) if label.zh else []
    en = textwrap.wrap(label.en, 40) if label.en else []
    return (zh or en) if mode == "zh" else (en or zh) if mode == "en" else zh + en


def node_lines(label: Bilingual, mode: str) -> list[str]:
    """A node's label in lines: Chinese broken between words, English at 22 letters; ``both``: zh then en."""
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
#: a view of more nodes than this, without ranks, is drawn compact on a page (:func:`is_compact`)
COMPACT_FROM = 60
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


def fold_points(view: GraphView) -> dict[str, list[str]]:
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
    rows = "".join(f'<TR><TD ALIGN="CENTER"><B>{escape(line)}</B></TD></TR>' for line in title)
    for lines in points:
        text = "<BR ALIGN=\"LEFT\"/>　".join(escape(line) for line in lines)
        rows += f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">· {text}</TD></TR>'
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{rows}</TABLE>>'


def is_compact(view: GraphView, preset: str) -> bool:
    """Whether the view is drawn compact: on a page (any preset but ``none``), a view of more than
    :data:`COMPACT_FROM` nodes whose layout has no ranks (the whole graph).

    Compact is neato (Kamada-Kawai: the most compact of its modes here) with Graphviz's prism overlap removal, straight edges without
    labels (their relation told by their colour, named in the legend) and tight node margins: the whole
    graph's 217 nodes come out about 30 × 20 in at 11 pt, against 43 × 58 in for ``dot``'s ranked
    layout, so an A2 page holds it with labels above 8 pt.  Spline routing is left out: around 217
    nodes it takes minutes."""
    return preset != "none" and len(view.nodes) > COMPACT_FROM and not _ranks(view, fold_points(view)).groups


def to_dot(view: GraphView, catalog: Catalog, options: ExportOptions, compact: bool = False) -> graphviz.Digraph:
    """The view as a Graphviz graph (deterministic: sorted nodes and edges); ``compact``: see
    :func:`is_compact`."""
    options.check()
    lang = options.lang
    print_theme = options.theme == "print"
    folded = fold_points(view)
    hidden = {p for points in folded.values() for p in points}
    ranks = _ranks(view, folded)
    labels_by_id = {n.id: n.label for n in view.nodes}
    g = graphviz.Digraph(name=view.name, engine="neato" if compact else "dot")
    graph_attr = {
        "rankdir": ranks.rankdir, "fontname": FONT, "newrank": "true", "nodesep": "0.25", "ranksep": "0.45",
        "pad": "0.3", "bgcolor": "white", "outputorder": "edgesfirst", "splines": "true",
    }
    if compact:
        graph_attr.update({"mode": "KK", "overlap": "prism", "sep": "+0", "splines": "false"})
    size = PRESETS[options.preset]
    if size:
        # scaled up or down to fit inside the page's margin, filling its width or its height;
        # kg.export.image.render then centres it on the page (kg.export.page)
        margin = MARGIN_IN[options.preset]
        graph_attr.update({"size": f"{size[0] - 2 * margin:.3f},{size[1] - 2 * margin:.3f}!", "pad": "0"})
    title = view.title.get(lang) if options.title is True else (options.title or "")
    if options.labels == "both" and options.title is True:
        title = f"{view.title.zh}\n{view.title.en}"
    if title:
        graph_attr.update({"label": _dot_text(title.split("\n")), "labelloc": "t", "fontsize": "22"})
    g.attr("graph", **graph_attr)
    g.attr("node", fontname=FONT, fontsize="11", style="filled", margin="0.03,0.02" if compact else "0.08,0.04",
           penwidth="1.2", color="#333333", fillcolor="white")
    g.attr("edge", fontname=FONT, fontsize="11", color="#555555", arrowsize="0.6")

    for node in view.nodes:  # the view's order (the articles' order) is deterministic
        if node.id in hidden:
            continue
        look = class_style(node.cls)
        shape, fill, border = look.print_shape, look.fill, look.line
        style = "filled" if border == "solid" else f"filled,{border}"
        if node.id in folded:
            label = _card_label(node_lines(node.label, options.labels),
                                [point_lines(labels_by_id[p], options.labels) for p in folded[node.id]])
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
        if compact:  # the relation told by the edge's colour, named in the legend
            attrs["color"] = "#555555" if print_theme else relation_colour(edge.relation)
        elif edge.relation != "partOf":
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
        relations = sorted({e.relation for e in view.edges if e.source not in hidden and e.target not in hidden})
        _legend(g, [i for i in view.legend if i.cls in drawn], options, lang, ranks.rankdir,
                [(r, catalog.relation_label(r, lang)) for r in relations] if compact and not print_theme else [])
    return g


LEGEND_ROW = 3  # classes in one row of the legend


def _legend(g: graphviz.Digraph, items: list, options: ExportOptions, lang: str, rankdir: str,
            relations: list[tuple[str, str]] = ()) -> None:
    """The legend as one compact node (an HTML-like table): per class a swatch in its colours and its name
    and count, :data:`LEGEND_ROW` a row; per relation (when the edges carry no labels) a line in its
    colour and its name; then the line styles, the source and the date."""
    print_theme = options.theme == "print"
    rows = []
    if options.legend:
        cells = []
        for item in sorted(items, key=lambda i: i.cls):
            look = class_style(item.cls)
            text = item.label.get(lang) if options.labels != "both" else f"{item.label.zh} {item.label.en}"
            fill = "white" if print_theme else look.fill
            cells.append(f'<TD BGCOLOR="{fill}" COLOR="{look.border}" BORDER="1" WIDTH="18">&nbsp;</TD>'
                         f'<TD ALIGN="LEFT">{escape(text)} ({item.count})</TD>')
        for i in range(0, len(cells), LEGEND_ROW):
            rows.append("".join(cells[i:i + LEGEND_ROW]))
        lines = [f'<TD ALIGN="RIGHT"><FONT COLOR="{relation_colour(r)}"><B>——</B></FONT></TD>'
                 f'<TD ALIGN="LEFT">{escape(label)}</TD>' for r, label in relations]
        for i in range(0, len(lines), LEGEND_ROW):
            rows.append("".join(lines[i:i + LEGEND_ROW]))
        line = " / ".join(pair("export.lines")) if options.labels == "both" else t("export.lines", lang)
        rows.append(f'<TD COLSPAN="{2 * LEGEND_ROW}" ALIGN="LEFT">{escape(line)}</TD>')
    notes = []
    if options.source:
        lines = [SOURCE_LINE.zh, SOURCE_LINE.en] if options.labels == "both" else [SOURCE_LINE.get(lang)]
        notes += [part for line in lines for part in _split_source(line)]
    if options.date:
        notes.append(t("export.date", lang, date=options.date))
    rows += [f'<TD COLSPAN="{2 * LEGEND_ROW}" ALIGN="LEFT">{escape(note)}</TD>' for note in notes]
    if not rows:
        return
    title = " ".join(pair("export.legend")) if options.labels == "both" else t("export.legend", lang)
    body = "".join(f"<TR>{row}</TR>" for row in rows)
    head = f'<TR><TD COLSPAN="{2 * LEGEND_ROW}" ALIGN="LEFT"><B>{escape(title)}</B></TD></TR>' if options.legend else ""
    g.node("legend", label=f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">{head}{body}</TABLE>>',
           shape="box", style="rounded,filled", color="#999999", fillcolor="white", fontsize="11")


def _split_source(line: str) -> list[str]:
    """The source line in two, at its semicolon (one article a line)."""
    for mark in (";", "；", "; "):
        if mark in line:
            head, _, tail = line.partition(mark)
            return [head + mark.strip(), tail.strip()]
    return [line]


def drawn_texts(view: GraphView, catalog: Catalog, options: ExportOptions) -> list[str]:
    """Every text :func:`to_dot` may draw for ``view``, in both languages (for the font check)."""
    texts = [view.title.zh, view.title.en, SOURCE_LINE.zh, SOURCE_LINE.en]
    texts += [n.label.zh for n in view.nodes] + [n.label.en for n in view.nodes]
    texts += [i.label.zh for i in view.legend] + [i.label.en for i in view.legend]
    texts += [catalog.relation_label(e.relation, "zh") for e in view.edges]
    if isinstance(options.title, str):
        texts.append(options.title)
    return texts


__all__ = ["COMPACT_FROM", "check_graphviz", "is_compact", "drawn_texts", "fold_points", "node_lines", "point_lines", "to_dot"]
