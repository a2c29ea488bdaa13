"""A tour as a PDF handout: one A4 page per step, its graph and its quotes.

Each page is the step's graph drawn by :func:`kg.export.dot.to_dot` (new concepts bold, earlier ones grey, the
links the step is about thicker), with the tour's and the step's title and the step's quotes in the graph's
label: plain, selectable text in the named CJK font (checked first, :func:`kg.export.fonts.check_font`), Latin
text in a Latin font.  Graphviz draws each page with cairo; pypdf scales them onto A4 pages, portrait or
landscape as the drawing is taller or wider, and merges them.
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from html import escape

from kg.catalog import Bilingual, Catalog
from kg.export.dot import check_graphviz, fold_points, node_lines, point_lines, to_dot
from kg.export.fonts import check_font, has_cjk, latin_font
from kg.export.options import ExportOptions, check_labels
from kg.linebreak import wrap_zh
from kg.styles import FONT
from kg.tours.model import ARTICLE_NAMES, Tour, TourStep

A4_LANDSCAPE_PT = (841.89, 595.28)
HANDOUT_MARGIN_PT = 28.0
QUOTE_WRAP = 40  # characters a line in the quote table
QUOTES_ONE_COLUMN = 4  # more quotes than this go in two columns
DIM_EDGE = '#c4c4c4'
def _wrap(text: str, width: int) -> list[str]:
    """Chinese (and mixed) text in lines of about ``width`` characters, broken between words
    (:func:`kg.linebreak.wrap_zh`); Latin text in lines of ``2 × width`` letters."""
    if not any("\u3400" <= ch <= "\u9fff" for ch in text):
        return textwrap.wrap(text, width * 2) or [""]
    return wrap_zh(text, width)


def _handout_label(tour: Tour, step: TourStep, catalog: Catalog, labels: str) -> str:
    """The page heading as an HTML-like label: tour and step number, the step's title, then its quotes."""
    lang = "en" if labels == "en" else "zh"

    def both(value: Bilingual) -> list[str]:
        if labels == "both" and value.en and value.en != value.zh:
            return [value.zh, value.en]
        return [value.get(lang) or value.zh]

    latin = latin_font()

    def font(text: str, size: int, colour: str | None = None, bold: bool = False) -> str:
        """One run of text: Chinese in the named CJK font (the graph's), Latin-only text in ``latin``."""
        attrs = f' POINT-SIZE="{size}"' + (f' COLOR="{colour}"' if colour else "")
        if latin and not has_cjk(text):
            attrs += f' FACE="{latin}"'
        body = escape(text)
        return f"<FONT{attrs}>{'<B>' + body + '</B>' if bold else body}</FONT>"

    head = " · ".join(font(part, 11, "#555555") for part in both(tour.title))
    rows = [f'<TR><TD ALIGN="LEFT">{head}{font(f" — {step.number} / {len(tour.steps)}", 11, "#555555")}</TD></TR>']
    for line in both(step.title):
        rows.append(f'<TR><TD ALIGN="LEFT">{font(line, 20, bold=True)}</TD></TR>')
    for line in both(step.subtitle):
        rows.append(f'<TR><TD ALIGN="LEFT">{font(line, 12, "#444444")}</TD></TR>')
    cells = []
    columns = 2 if len(step.quotes) > QUOTES_ONE_COLUMN else 1
    for q in step.quotes:
        concept = catalog.concepts.get(q.concept)
        name = concept.label.get(lang) if concept else q.concept
        where = f"{ARTICLE_NAMES.get(q.article, Bilingual(q.article, q.article)).get(lang)} · {q.paragraph} · {name}"
        text = '<BR ALIGN="LEFT"/>'.join(font(line, 12) for line in _wrap(q.exact, QUOTE_WRAP))
        cells.append(f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{text}'
                     f'<BR ALIGN="LEFT"/>{font(where, 9, "#555555")}</TD>')
    span = f' COLSPAN="{columns}"' if columns > 1 else ""
    rows = [row.replace("<TD ", f"<TD{span} ", 1) for row in rows]
    for i in range(0, len(cells), columns):
        rows.append("<TR>" + "".join(cells[i:i + columns]) + "</TR>")
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">{"".join(rows)}</TABLE>>'


def _handout_texts(tour: Tour, step: TourStep, catalog: Catalog) -> list[str]:
    texts = [tour.title.zh, tour.title.en, step.title.zh, step.title.en, step.subtitle.zh, step.subtitle.en]
    texts += [n.label.zh for n in step.graph.nodes] + [n.label.en for n in step.graph.nodes]
    texts += [catalog.relation_label(e.relation, "zh") for e in step.graph.edges]
    texts += [q.exact for q in step.quotes] + [q.paragraph for q in step.quotes]
    texts += [a.zh for a in ARTICLE_NAMES.values()]
    return texts


def _runs(lines: list[str], latin: str, bold: bool = False) -> list[str]:
    out = []
    for line in lines:
        body = f"<B>{escape(line)}</B>" if bold else escape(line)
        out.append(body if has_cjk(line) else f'<FONT FACE="{latin}">{body}</FONT>')
    return out


def _mixed_label(label: Bilingual, points: list[Bilingual], latin: str) -> str:
    """A zh + en node label (or chain card) as an HTML-like label: Chinese lines in the graph's CJK font,
    English lines in the Latin one."""
    if not points:
        return "<" + "<BR/>".join(_runs(node_lines(label, "both"), latin)) + ">"
    rows = "".join(f'<TR><TD ALIGN="CENTER">{run}</TD></TR>'
                   for run in _runs(node_lines(label, "both"), latin, bold=True))
    for point in points:
        lines = _runs(point_lines(point, "both"), latin)
        rows += '<TR><TD ALIGN="LEFT" BALIGN="LEFT">· ' + '<BR ALIGN="LEFT"/>　'.join(lines) + "</TD></TR>"
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{rows}</TABLE>>'


def step_dot(tour: Tour, step: TourStep, catalog: Catalog, labels: str = "zh"):
    """One handout page as a Graphviz graph: the step's graph drawn by :func:`kg.export.dot.to_dot`, new
    concepts bold, earlier ones grey, the title and quotes in the graph's label (plain, selectable text)."""
    options = ExportOptions(fmt="pdf", labels=labels, title=False, legend=False, source=False)
    g = to_dot(step.graph, catalog, options)
    focus = set(step.focus)
    folded = fold_points(step.graph)  # chain cards: points drawn inside their item, not as nodes
    drawn = {n.id for n in step.graph.nodes} - {p for points in folded.values() for p in points}
    latin = latin_font()
    labels_by_id = {n.id: n.label for n in step.graph.nodes}
    for cid in step.shown:
        if cid not in drawn:
            continue
        attrs = ({"penwidth": "3", "color": "#000000", "fontcolor": "#000000"} if cid in focus else
                 {"fillcolor": "#f2f2f2", "color": "#b0b0b0", "fontcolor": "#8a8a8a", "penwidth": "1"})
        lines = node_lines(labels_by_id[cid], labels)
        for point in folded.get(cid, []):
            lines += node_lines(labels_by_id[point], labels)
        if latin and not any(has_cjk(line) for line in lines):
            attrs["fontname"] = latin
        elif latin and labels == "both":
            attrs["label"] = _mixed_label(labels_by_id[cid], [labels_by_id[p] for p in folded.get(cid, [])], latin)
        g.node(cid, **attrs)
    _dim_earlier_edges(g, step)
    attrs = {"label": _handout_label(tour, step, catalog, labels), "labelloc": "t", "labeljust": "l",
             "fontname": FONT, "ranksep": "0.3", "nodesep": "0.18"}
    if tour.name == "problem-to-practice":
        attrs["rankdir"] = "RL"  # problems on the left, practices on the right
    g.attr("graph", **attrs)
    return g


_EDGE_LINE = re.compile(r'^\t("(?:[^"\\]|\\.)*"|[^\s"]+) -> ("(?:[^"\\]|\\.)*"|[^\s"]+) \[(.*)\]$')


def _dim_earlier_edges(g, step: TourStep) -> None:
    """Grey the links drawn in earlier steps (those the step is not about); Graphviz has no way to restyle an
    edge once declared, so the attribute list of its line is extended (a later attribute wins)."""
    hot = set(step.new_edges) | {link.id for link in step.links}
    hot_pairs = {tuple(eid.split("|")[::2]) for eid in hot}

    def unquote(text: str) -> str:
        return text[1:-1].replace('\\"', '"') if text.startswith('"') else text

    for i, line in enumerate(g.body):
        m = _EDGE_LINE.match(line.rstrip("\n"))
        if not m or "style=invis" in m.group(3):
            continue
        if (unquote(m.group(1)), unquote(m.group(2))) in hot_pairs:
            g.body[i] = line.rstrip("\n")[:-1] + ' penwidth=1.8]' + ("\n" if line.endswith("\n") else "")
        else:
            g.body[i] = line.rstrip("\n")[:-1] + f' color="{DIM_EDGE}" fontcolor="{DIM_EDGE}"]' + (
                "\n" if line.endswith("\n") else "")


NOTE_PT = 9.0  # the notes' text: body text on paper


def handout_page(tour: Tour, step: TourStep, catalog: Catalog, labels: str = "zh") -> bytes:
    """One A4 landscape page of the handout: the tour and the step's title, what the step shows as bands
    of cards (:func:`kg.export.deck.step_board`, labels at least 8 pt) and its notes below (definitions,
    quotes with their paragraph, links; 9 pt), as many lines as the page holds."""
    from dataclasses import replace as _replace

    from kg.export.board import board_graph, fit_board, wrap
    from kg.export.deck import step_board, step_notes
    from kg.export.image import pipe
    from kg.export.options import MARGIN_IN, PRESETS, ExportError
    from kg.i18n import Message

    lang = "en" if labels == "en" else "zh"
    options = ExportOptions("pdf", preset="a4-landscape", labels=labels, source=False)
    heading = Bilingual(f"{tour.title.zh} · {step.number}/{len(tour.steps)} {step.title.zh}",
                        f"{tour.title.en} · {step.number}/{len(tour.steps)} {step.title.en}")
    board = _replace(step_board(tour, step), title=heading)
    pw, ph = (side * 72 for side in PRESETS["a4-landscape"])
    margin = MARGIN_IN["a4-landscape"] * 72
    width = pw - 2 * margin
    # wrapped a little short of the width: Latin lines are drawn in the Latin font, wider than the CJK font's
    lines = [piece for line in step_notes(step, catalog, lang).splitlines()
             for piece in wrap(line, width * 0.85, NOTE_PT)]
    line_h = NOTE_PT * 1.45
    layout, shown = None, 0
    candidates = [board]
    while candidates[-1].fallback is not None:  # columns that do not fit: the next layout of the step
        candidates.append(_replace(candidates[-1].fallback, title=heading))
    for candidate in candidates:
        for share in (0.5, 0.4, 0.3, 0.2, 0.0):  # the notes take up to half the page, the drawing the rest
            shown = min(len(lines), int((ph - 2 * margin) * share / line_h))
            layout = fit_board(candidate, catalog, options, "a4-landscape",
                                             reserve=shown * line_h + (6 if shown else 0))
            if layout is not None:
                break
        if layout is not None:
            break
    if layout is None:
        raise ExportError(Message("export.step_too_big", step=step.number, tour=tour.name))
    notes = lines[:shown]
    if shown < len(lines) and notes:
        notes[-1] = notes[-1][: max(0, len(notes[-1]) - 2)] + "……"
    g = board_graph(layout, options, latin_font())
    if notes:
        latin = latin_font()

        def run(line: str) -> str:  # a line without Chinese in the Latin font: no near-complete CJK embed
            face = latin if latin and not has_cjk(line) else FONT
            return f'<FONT FACE="{face}">{escape(line)}</FONT><BR ALIGN="LEFT"/>'

        body = "".join(run(line) for line in notes)
        h = len(notes) * line_h
        g.node("notes", label=f"<{body}>", shape="plaintext", fontsize=f"{NOTE_PT:g}", fontname=FONT,
               fontcolor="#1f2328", pos=f"{pw / 2:.2f},{margin + h / 2:.2f}", width=f"{width / 72:.4f}",
               height=f"{h / 72:.4f}", fixedsize="true")
    return pipe(g, "pdf", "cairo", neato_no_op=2)


def handout_pdf(tour: Tour, catalog: Catalog, labels: str = "zh", workers: int = 2) -> bytes:
    """The tour as a PDF handout: one A4 landscape page per step (:func:`handout_page`), merged with pypdf.
    Text stays text, in the named CJK font (checked first) and, for English, a Latin font."""
    from pypdf import PdfReader, PdfWriter

    check_labels(labels)
    check_graphviz()
    check_font([text for s in tour.steps for text in _handout_texts(tour, s, catalog)])
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pages = list(pool.map(lambda step: handout_page(tour, step, catalog, labels), tour.steps))
    writer = PdfWriter()
    for data in pages:
        writer.add_page(PdfReader(io.BytesIO(data)).pages[0])
    writer.add_metadata({"/Title": f"{tour.title.zh} · {tour.title.en}", "/Creator": "learning-organ-kg tours"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_PDF_CACHE: "weakref.WeakKeyDictionary[Tour, dict[str, bytes]]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def cached_handout(tour: Tour, catalog: Catalog, labels: str = "zh") -> bytes:
    """:func:`handout_pdf`, kept per tour and label mode (a tour never changes once built)."""
    with _LOCK:
        found = _PDF_CACHE.get(tour, {}).get(labels)
    if found is not None:
        return found
    data = handout_pdf(tour, catalog, labels)
    with _LOCK:
        _PDF_CACHE.setdefault(tour, {})[labels] = data
    return data


__all__ = ["NOTE_PT", "cached_handout", "handout_page", "handout_pdf", "step_dot"]
