"""Levels of detail and legibility, measured in the output: the tree's and the chain's overview on a slide
and on A4, one layer or component at the detail level, the full drawing only where it can be read, and a
clear refusal with advice otherwise."""

import io
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from kg.export.files import ViewRequest, build_view
from kg.export.image import render
from kg.export.options import ExportError, ExportOptions
from pathlib import Path

from tests.support.drawn import nodes, pdf_text_pt, svg_text_px

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is installed by `make test`")

LAYERS = ["layer-fruit", "layer-flowers", "layer-branches", "layer-trunk", "layer-roots"]


@pytest.fixture(scope="module")
def tree(explorer):
    return build_view(explorer.concept_graph, ViewRequest("tree"))


@pytest.fixture(scope="module")
def chain(explorer):
    return build_view(explorer.concept_graph, ViewRequest("chain"))


def components(view):
    return [n for n in view.nodes if n.role == "component"]


def test_the_tree_slide_is_the_overview_with_labels_of_20_px_at_1280(explorer, tree):
    svg = render(tree, explorer.catalog, ExportOptions("svg", preset="slide"))
    sizes = svg_text_px(svg, 1280)
    assert min(s for s, _ in sizes) >= 20, sorted(sizes)[:3]
    assert max(s for s, _ in sizes) >= 30  # the title is larger
    drawn = nodes(svg)
    comps = components(tree)
    assert len(comps) == 15 and all(c.id in drawn for c in comps)
    assert not any(n.id in drawn for n in tree.nodes if n.role == "part")  # practices: the detail level
    for c in comps:
        assert "".join(drawn[c.id].lines) == c.label.zh.replace(" ", "")

    ys = [_text_y(svg, f"head_{layer}") for layer in LAYERS]
    assert ys == sorted(ys)  # fruit at the top, roots at the bottom (SVG y grows downwards)


def _text_y(svg: bytes, nid: str) -> float:
    import re
    title = re.escape(nid.replace("-", "&#45;"))
    return float(re.search(rf"<title>{title}</title>.*?<text[^>]* y=\"(-?[\d.]+)\"", svg.decode(), re.S).group(1))


def test_a_1920_slide_png_has_labels_of_30_px(explorer, tree):
    png = render(tree, explorer.catalog, ExportOptions("png", preset="slide", dpi=144))
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1920, 1080)
    svg = render(tree, explorer.catalog, ExportOptions("svg", preset="slide"))
    assert min(s for s, _ in svg_text_px(svg, 1920)) >= 30


def test_the_chain_slide_is_its_twelve_items_and_their_links(explorer, chain):
    svg = render(chain, explorer.catalog, ExportOptions("svg", preset="slide"))
    assert min(s for s, _ in svg_text_px(svg, 1280)) >= 20
    drawn = nodes(svg)
    items = [n for n in chain.nodes if n.cls in ("Significance", "Problem", "Remedy")]
    assert len(items) == 12 and all(n.id in drawn for n in items)
    ids = {n.id for n in items}
    links = [e for e in chain.edges if e.source in ids and e.target in ids]
    assert svg.decode().count('class="edge"') == len(links) >= 10


@pytest.mark.parametrize("view", ["tree", "chain"])
@pytest.mark.parametrize("preset", ["a4-portrait", "a4-landscape", "a4"])
def test_a4_has_labels_of_8_pt_and_a_title_of_14_pt(explorer, view, preset):
    graph = build_view(explorer.concept_graph, ViewRequest(view))
    pdf = render(graph, explorer.catalog, ExportOptions("pdf", preset=preset))
    sizes = pdf_text_pt(pdf)
    assert min(s for s, _ in sizes) >= 8, sorted(sizes)[:3]
    title = graph.title.zh
    assert max(s for s, t in sizes if t and t in title) >= 14


def test_one_component_with_its_practices_fits_a_slide(explorer, tree):
    svg = render(tree, explorer.catalog, ExportOptions("svg", preset="slide", concept="mechanism-incentive"))
    assert min(s for s, _ in svg_text_px(svg, 1280)) >= 20
    drawn = nodes(svg)
    parts = [e.source for e in tree.edges if e.relation == "partOf" and e.target == "mechanism-incentive"]
    assert len(parts) >= 8 and all(p in drawn for p in parts)


def test_a_layer_too_big_for_a_slide_is_refused_with_advice_and_fits_a_poster(explorer, tree):
    # the trunk's 21 practices fit a slide in Chinese; their longer English labels do not
    with pytest.raises(ExportError, match=r"20 px.*one component.*a page on which it fits \(preset=a4"):
        render(tree, explorer.catalog, ExportOptions("svg", preset="slide", level="detail", concept="layer-trunk",
                                                     labels="en"))
    svg = render(tree, explorer.catalog, ExportOptions("svg", preset="a3", level="detail", concept="layer-trunk",
                                                       labels="en"))
    page_px = 16.54 * 72  # points: measured in points on the page
    assert min(s for s, _ in svg_text_px(svg, page_px)) >= 8


@pytest.mark.parametrize("view,preset,labels", [("whole", "slide", "zh"), ("whole", "a4", "zh"), ("whole", "a3", "zh"),
                                                ("cross", "a4", "zh"), ("tree", "a4-landscape", "en")])
def test_a_full_drawing_too_small_to_read_is_refused_naming_a_level_or_a_bigger_page(explorer, view, preset, labels):
    graph = build_view(explorer.concept_graph, ViewRequest(view))
    with pytest.raises(ExportError, match=r"(under the .* that can be read|does not fit .* at least 8 pt); "
                                          r"choose .*(level=|preset=)"):
        render(graph, explorer.catalog, ExportOptions("pdf", preset=preset, level="full", labels=labels))


@pytest.mark.parametrize("view,preset,least", [("tree", "a2", 12), ("tree", "a3", 8), ("chain", "a3", 8)])
def test_the_whole_tree_and_chain_are_legible_on_a_poster(explorer, view, preset, least):
    graph = build_view(explorer.concept_graph, ViewRequest(view))
    pdf = render(graph, explorer.catalog, ExportOptions("pdf", preset=preset, level="full"))
    sizes = pdf_text_pt(pdf)
    assert min(s for s, _ in sizes) >= least
    text = "".join(t for _, t in sizes)
    for node in graph.nodes:
        if node.role in ("component", "part") or node.cls in ("Problem", "Remedy"):
            assert node.label.zh.replace(" ", "")[:4] in text, node.id


def test_the_whole_graph_is_drawn_compact_and_legible_on_a2_and_refused_smaller_naming_a2(client, explorer):
    """The whole graph on a poster: every node, labels of at least 8 pt measured in the PDF, the relations
    told by colour in the legend; A3 and smaller are refused with a 400 that names the A2 page."""
    import time

    start = time.monotonic()
    response = client.get("/export/whole.pdf?preset=a2")
    assert response.status_code == 200, response.text[:300]
    assert time.monotonic() - start < 20
    pdf = response.content
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert round(float(page.mediabox.width)) == 1684  # A2 landscape, in points
    sizes = pdf_text_pt(pdf)
    assert min(s for s, _ in sizes) >= 8
    text = "".join(t for _, t in sizes).replace(" ", "")
    view = build_view(explorer.concept_graph, ViewRequest("whole"))
    missing = [n.id for n in view.nodes if n.label.zh.replace(" ", "")[:3] not in text]
    assert not missing, missing
    assert explorer.catalog.relation_label("addresses", "zh") in text  # the legend names the edges' colours
    for preset in ("a3", "a4", "slide"):
        refused = client.get(f"/export/whole.pdf?preset={preset}")
        assert refused.status_code == 400 and "preset=a2" in refused.json()["error"]["message"], refused.text


def test_a_small_full_drawing_on_a_slide_is_legible(explorer):
    view = build_view(explorer.concept_graph, ViewRequest("neighbourhood", concept="mechanism-deepening"))
    svg = render(view, explorer.catalog, ExportOptions("svg", preset="slide"))
    assert min(s for s, _ in svg_text_px(svg, 1280)) >= 20


def test_a_png_too_big_is_refused_fast_with_the_largest_dpi_that_works(explorer, tree):
    import time
    start = time.monotonic()
    with pytest.raises(ExportError, match=r"largest that works is dpi=\d+"):
        render(tree, explorer.catalog, ExportOptions("png", preset="a2", dpi=1200))
    assert time.monotonic() - start < 5


#: the shared OCR check (a person's reading of a picture), next to the checkout or the worktrees
CHECKOUT = Path(__file__).resolve().parents[3]
LEGIBLE = next((p for p in (CHECKOUT.parent / "shared/tools/legible.py",
                            CHECKOUT.parent.parent / "shared/tools/legible.py") if p.exists()),
               Path("/nonexistent"))


@pytest.mark.skipif(shutil.which("tesseract") is None or not LEGIBLE.exists(), reason="OCR check: tesseract")
def test_a_person_reads_every_component_off_the_slide_png(explorer, tree, tmp_path):
    png = tmp_path / "tree.png"
    png.write_bytes(render(tree, explorer.catalog, ExportOptions("png", preset="slide")))
    # each label whole, or its first clause when OCR splits a label drawn on two lines
    expect = ",".join(f"{c.label.zh.removesuffix('的理念')}|{c.label.zh.split('、')[0]}" for c in components(tree))
    done = subprocess.run([sys.executable, str(LEGIBLE), str(png), "--expect", expect],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("name", ["tree", "problem-to-practice"])
def test_every_page_of_a_tour_handout_is_legible_on_a4_with_its_notes(client, name):
    from pypdf import PdfReader

    tour = client.get(f"/tours/{name}.json").json()
    pdf = client.get(f"/tours/{name}.pdf").content
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages == len(tour["steps"])
    for i in range(pages):
        sizes = pdf_text_pt(pdf, i)
        assert min(s for s, _ in sizes) >= 8, (i, sorted(sizes)[:3])
        assert max(s for s, _ in sizes) >= 14  # the title
    step = next(s for s in tour["steps"] if s["notes"])
    text = "".join(t for _, t in pdf_text_pt(pdf, step["number"] - 1)).replace(" ", "")
    assert step["notes"][0]["text"]["zh"][:8] in text  # the definition, on the page


def test_a_tall_view_turns_its_poster_and_is_legible_on_a2(explorer):
    view = build_view(explorer.concept_graph, ViewRequest("cross"))
    pdf = render(view, explorer.catalog, ExportOptions("pdf", preset="a2"))
    from pypdf import PdfReader
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (1191, 1684)  # portrait
    assert min(s for s, _ in pdf_text_pt(pdf)) >= 8
