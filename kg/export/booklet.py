"""The handout booklet: both articles as an A4 booklet, printed from HTML with print CSS by WeasyPrint.

HTML and print CSS because a booklet is running text: headings, definitions, quotes, lists and tables flow
over pages by themselves.  WeasyPrint rather than headless Chromium (which printed it before): Chromium's PDF
back end (Skia) cannot subset a CFF-flavoured OpenType font such as Noto Sans CJK, so every glyph came out as
a Type 3 bitmap-like font that readers do not treat as text well; WeasyPrint embeds the same font as a CID
font subset (``CID Type 0C``), text selectable and searchable.  And WeasyPrint implements CSS Paged Media:
``target-counter()`` puts each section's page number in the contents, ``leader()`` the dots before it,
``@page`` margin boxes number the pages, and a named page turns the overview to landscape when it is
drawn larger there.  It is a pip package on top of pango, which Graphviz already brings.

Contents: a cover, the contents with page numbers, the 45231 overview (the board of
:mod:`kg.export.board`, laid out to the page's own text box at the largest label size that fits, as SVG),
a section per layer with each component's definition (zh and en), its source quotes with their paragraph
and its practices; the Yanbian chain as a table (problem → remedies → the Zhonglou concepts that realise
or align with them); Senge's five disciplines across both articles.  Body text 10 pt.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape

from kg.catalog import ACROSS_ARTICLES, Catalog, Concept
from kg.export.options import SOURCE_LINE, ExportError, ExportOptions
from kg.graph.layouts import MODEL_ID, YANBIAN_ID
from kg.i18n import Message, t
from kg.styles import FONT_STACK, class_style

MM = 72 / 25.4
#: the page's margins in mm (top, right, bottom, left) and the text box they leave on A4, in points
MARGINS_MM = (18, 16, 20, 16)
TEXT_BOX = {"portrait": ((210 - 32) * MM, (297 - 38) * MM), "landscape": ((297 - 32) * MM, (210 - 38) * MM)}
#: what the overview's heading takes of the text box, in points (16 pt × 1.55 lines, 4 mm under it, a spare)
HEADING_PT = 16 * 1.55 + 4 * MM + 10
#: the overview's labels: at least 8 pt (the paper's minimum), at most 2.25 times that (18 pt)
OVERVIEW_LARGEST = 2.25

CSS = """
@page { size: A4; margin: %(margins)s;
        @bottom-center { content: counter(page); font-family: %(font)s; font-size: 9pt; color: #57606a; } }
@page :first { @bottom-center { content: none; } }
@page overview { size: A4 %(orientation)s; }
html { font-family: %(font)s; font-size: 10pt; line-height: 1.55; color: #1f2328; }
h1 { font-size: 26pt; margin: 60mm 0 6mm; } h2 { font-size: 16pt; margin: 0 0 4mm; break-before: page; }
h3 { font-size: 12pt; margin: 5mm 0 1mm; break-after: avoid; } .en { color: #57606a; }
.cover p { font-size: 13pt; } .cover .source { font-size: 10pt; margin-top: 40mm; }
.toc ol { font-size: 12pt; line-height: 2; padding-left: 6mm; } .toc a { color: inherit; text-decoration: none; }
.toc a::after { content: leader('.') target-counter(attr(href), page); }
.toc .about { margin-top: 10mm; }
#overview { page: overview; } #overview h2 { break-before: page; }
.component { break-inside: avoid; border-left: 4pt solid var(--c); padding-left: 3mm; margin-bottom: 3mm; }
blockquote { margin: 1mm 0 1mm 4mm; font-size: 10pt; } blockquote cite { font-size: 9pt; color: #57606a; }
ul.practices { margin: 1mm 0; padding-left: 5mm; } .practices li { font-size: 10pt; }
table { border-collapse: collapse; width: 100%%; font-size: 9.5pt; }
th, td { border: 0.5pt solid #8c959f; padding: 1.5mm; vertical-align: top; text-align: left; }
tr { break-inside: avoid; } .figure { margin: 0; } .figure img { display: block; width: %(fig_w).2fpt; height: %(fig_h).2fpt; }
"""


def _both(value, lang: str) -> str:
    if lang == "en":
        return f'<span lang="en">{escape(value.en or value.zh)}</span>'
    en = f'<br><span class="en" lang="en">{escape(value.en)}</span>' if value.en else ""
    return f"{escape(value.zh)}{en}"


def _label(c: Concept, lang: str) -> str:
    return escape(c.label.get(lang) or c.label.zh)


def _quotes(c: Concept) -> str:
    return "".join(f'<blockquote>“{escape(q.exact)}” <cite>({escape(q.paragraph)})</cite></blockquote>'
                   for q in c.quotes)


def _descendants(cat: Catalog, cid: str) -> list[str]:
    out, todo = [], [cid]
    while todo:
        for child in cat.children(todo.pop()):
            if child.id not in out:
                out.append(child.id)
                todo.append(child.id)
    return out


def booklet_html(cat: Catalog, overview: "Overview", lang: str = "zh") -> str:
    """The booklet as one HTML page for print, the overview drawing given as :class:`Overview`."""
    say = lambda key, **v: escape(t(key, lang, **v))  # noqa: E731
    model = cat.concepts[MODEL_ID]
    layers = [c for c in cat.children(MODEL_ID) if c.cls == "FrameworkPart"]
    sections = [("overview", say("export.booklet.overview"))] + [(layer.id, _label(layer, lang)) for layer in layers]
    sections += [("chain", say("export.booklet.chain")), ("disciplines", say("export.booklet.disciplines"))]
    css = CSS % {"font": FONT_STACK, "margins": " ".join(f"{m}mm" for m in MARGINS_MM),
                 "orientation": overview.orientation, "fig_w": overview.width, "fig_h": overview.height}
    out = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{say("export.booklet.title")}</title>',
           f"<style>{css}</style></head><body>",
           f'<section class="cover"><h1>{say("export.booklet.title")}</h1><p>{say("export.booklet.subtitle")}</p>',
           f'<p class="source">{escape(SOURCE_LINE.get(lang))}</p></section>',
           f'<section class="toc"><h2>{say("export.booklet.contents")}</h2><ol>',
           *[f'<li><a href="#{sid}">{name}</a></li>' for sid, name in sections], "</ol>",
           f'<p class="about">{_both(model.definition, lang)}</p></section>',
           f'<section id="overview"><h2>{say("export.booklet.overview")}</h2>',
           f'<figure class="figure"><img alt="{say("export.booklet.overview")}" src="data:image/svg+xml;base64,'
           f'{base64.b64encode(overview.svg).decode("ascii")}"></figure></section>']
    for layer in layers:
        out.append(f'<section id="{layer.id}"><h2>{_label(layer, lang)}</h2><p>{_both(layer.definition, lang)}</p>')
        for comp in cat.children(layer.id):
            if comp.cls == "FrameworkPart":
                continue
            colour = class_style(comp.cls).border
            practices = "".join(f"<li>{_label(p, lang)}</li>" for p in cat.children(comp.id))
            out.append(f'<div class="component" style="--c:{colour}"><h3>{_both(comp.label, lang)}</h3>'
                       f"<p>{_both(comp.definition, lang)}</p>{_quotes(comp)}"
                       + (f'<p><b>{say("export.booklet.practices")}</b></p><ul class="practices">{practices}</ul>' if practices else "")
                       + "</div>")
        out.append("</section>")
    out.append(_chain_table(cat, lang, say))
    out.append(_disciplines(cat, lang, say))
    out.append("</body></html>")
    return "".join(out)


def _chain_table(cat: Catalog, lang: str, say) -> str:
    problems = sorted((c for c in cat.concepts.values() if c.cls == "Problem"), key=lambda c: (c.ordinal or 0, c.id))
    rows = []
    for problem in problems:
        remedies = [cat.concepts[e.source] for e in cat.in_edges(problem.id) if e.relation == "addresses"]
        cells = []
        for remedy in remedies:
            ids = [remedy.id, *_descendants(cat, remedy.id)]
            linked = []
            for cid in ids:
                for e in [*cat.in_edges(cid), *cat.out_edges(cid)]:
                    other = e.source if e.target == cid else e.target
                    c = cat.concepts.get(other)
                    if e.relation in ("realises", *ACROSS_ARTICLES) and c and c.article == "zhonglou" and c not in linked:
                        linked.append(c)
            practice = "、".join(_label(c, lang) for c in linked) or "—"
            cells.append(f"<td>{_label(remedy, lang)}</td><td>{practice}</td>")
        span = max(1, len(cells))
        first = f'<td rowspan="{span}">{_label(problem, lang)}</td>'
        rows.append(f"<tr>{first}{cells[0] if cells else '<td>—</td><td>—</td>'}</tr>")
        rows += [f"<tr>{cell}</tr>" for cell in cells[1:]]
    head = f'<tr><th>{say("export.booklet.problem")}</th><th>{say("export.booklet.remedy")}</th><th>{say("export.booklet.zhonglou")}</th></tr>'
    intro = _both(cat.concepts[YANBIAN_ID].definition, lang) if YANBIAN_ID in cat.concepts else ""
    return (f'<section id="chain"><h2>{say("export.booklet.chain")}</h2><p>{intro}</p>'
            f"<table>{head}{''.join(rows)}</table></section>")


def _disciplines(cat: Catalog, lang: str, say) -> str:
    disciplines = sorted((c for c in cat.concepts.values() if c.cls == "Discipline"), key=lambda c: (c.ordinal or 0, c.id))
    rows = []
    for d in disciplines:
        by_article = {"zhonglou": [], "yanbian": []}
        for e in cat.in_edges(d.id):
            c = cat.concepts[e.source]
            if e.relation == "embodies" and c.article in by_article:
                by_article[c.article].append(_label(c, lang))
        rows.append(f"<tr><td><b>{_label(d, lang)}</b><br>{escape(d.definition.get(lang) or '')}</td>"
                    f"<td>{'、'.join(by_article['zhonglou']) or '—'}</td><td>{'、'.join(by_article['yanbian']) or '—'}</td></tr>")
    head = f'<tr><th>{say("export.booklet.discipline")}</th><th>{say("export.booklet.zhonglou")}</th><th>{say("export.booklet.yanbian")}</th></tr>'
    return f'<section id="disciplines"><h2>{say("export.booklet.disciplines")}</h2><table>{head}{"".join(rows)}</table></section>'


@dataclass
class Overview:
    """The overview drawing for the booklet: the SVG, its size in points and the page it is drawn for."""

    svg: bytes
    width: float
    height: float
    orientation: str  # portrait or landscape
    size: float  # the labels' size in points, as laid out


def overview_drawing(cat: Catalog, concept_graph, lang: str = "zh") -> Overview:
    """The 45231 tree's overview drawn to fill the overview page's text box under its heading, at the
    largest label size that fits, on the A4 orientation where that size is larger (portrait on a tie)."""
    from kg.export.board import board_graph, fit_board
    from kg.export.files import ViewRequest, build_view
    from kg.export.image import pipe
    from kg.export.levels import build_board

    tree = build_view(concept_graph, ViewRequest("tree"))
    board = build_board(tree, "overview")
    options = ExportOptions("svg", preset="a4-portrait", labels="en" if lang == "en" else "zh",
                            title=False, source=False)
    best = None
    for orientation in ("portrait", "landscape"):
        w, h = TEXT_BOX[orientation]
        layout = fit_board(board, cat, options, f"a4-{orientation}", page=(w, h - HEADING_PT), margin=0,
                           largest=OVERVIEW_LARGEST)
        if layout is not None and (best is None or layout.size > best[1].size):
            best = (orientation, layout)
    if best is None:
        raise ExportError(Message("export.overview_too_big"))
    orientation, layout = best
    svg = pipe(board_graph(layout, options), "svg", neato_no_op=2)
    return Overview(svg, layout.page[0], layout.page[1], orientation, layout.size)


def booklet_pdf(cat: Catalog, concept_graph, lang: str = "zh") -> bytes:
    """The booklet as an A4 PDF, printed by WeasyPrint from :func:`booklet_html`."""
    try:
        from weasyprint import HTML
    except ImportError:  # the package is a dependency; its system libraries (pango) may be missing
        raise ExportError(Message("export.no_weasyprint")) from None
    html = booklet_html(cat, overview_drawing(cat, concept_graph, lang), lang)
    return HTML(string=html).write_pdf()


__all__ = ["Overview", "booklet_html", "booklet_pdf", "overview_drawing"]
