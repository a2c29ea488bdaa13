"""Static exports read back: SVG text, PNG size and dpi, PDF text layer, fonts, determinism, limits."""

import io
import re
import shutil
import subprocess

import pytest
from PIL import Image

from kg.export import fonts
from kg.export.files import ViewRequest, build_view
from kg.export.fonts import check_font
from kg.export.image import render
from kg.export.options import MARGIN_IN, PRESETS, ExportError, ExportOptions
from kg.export.page import a4_orientation
from kg.styles import class_style

from tests.support.drawn import edge_labels, nodes, reference_outlines

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is installed by `make test`")


@pytest.fixture(scope="module")
def tree(explorer):
    return build_view(explorer.concept_graph, ViewRequest("tree"))


def test_svg_has_the_labels_as_text_in_the_named_font(explorer, tree):
    svg = render(tree, explorer.catalog, ExportOptions("svg")).decode("utf-8")
    assert 'font-family="Noto Sans CJK SC"' in svg
    for label in ("团队学习机制", "学习创造幸福的理念", "钟楼区共同愿景"):
        assert label in re.sub(r"</text>\s*<text[^>]*>", "", svg), label
    assert "“45231”树状模型" in svg  # the title


@pytest.mark.parametrize("options", [ExportOptions("svg", preset="slide", date="2026-11-23"),
                                     ExportOptions("svg", labels="both", date="2026-11-23")])
def test_the_same_request_gives_the_same_svg(explorer, tree, options):
    assert render(tree, explorer.catalog, options) == render(tree, explorer.catalog, options)


def test_the_tree_has_roots_at_the_bottom_and_fruit_at_the_top(explorer, tree):
    svg = render(tree, explorer.catalog, ExportOptions("svg", legend=False, source=False)).decode("utf-8")

    def y_of(node_id):
        title = node_id.replace("-", "&#45;")
        block = re.search(rf"<title>{re.escape(title)}</title>.*?<text[^>]* y=\"(-?[\d.]+)\"", svg, re.S)
        return float(block.group(1))

    ys = [y_of(layer) for layer in ("layer-roots", "layer-trunk", "layer-branches", "layer-flowers", "layer-fruit")]
    assert ys == sorted(ys, reverse=True)  # SVG y grows downwards: roots lowest on the page


def test_png_at_300_dpi_records_its_resolution(explorer):
    view = build_view(explorer.concept_graph, ViewRequest("neighbourhood", concept="layer-roots"))
    png = render(view, explorer.catalog, ExportOptions("png", dpi=300))
    svg = render(view, explorer.catalog, ExportOptions("svg")).decode()
    width_pt = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))
    assert width_pt > 100
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert round(image.info["dpi"][0]) == 300
        assert abs(image.size[0] - width_pt / 72 * 300) <= 3


@pytest.mark.parametrize("preset", ["slide", "a4-portrait", "a4-landscape"])
def test_a_preset_gives_the_page_itself_with_the_drawing_centred_inside_the_margin(explorer, preset):
    tree = build_view(explorer.concept_graph, ViewRequest("neighbourhood", concept="mechanism-deepening"))
    page_w, page_h = (x * 72 for x in PRESETS[preset])  # points
    margin = MARGIN_IN[preset] * 72
    svg = render(tree, explorer.catalog, ExportOptions("svg", preset=preset)).decode()
    w, h, x, y, vw, vh = (float(v) for v in re.search(
        r'<svg width="([\d.]+)pt" height="([\d.]+)pt" viewBox="(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)"', svg).groups())
    assert (w, h) == pytest.approx((page_w, page_h), abs=0.02)
    assert vw / vh == pytest.approx(w / h, rel=2e-3)  # viewBox units are about points here
    left, top = -x, -y  # the drawing starts at (0, 0) of the viewBox: the page's edge is this far out
    assert left >= margin - 1 and top >= margin - 1
    assert min(left, top) == pytest.approx(margin, abs=1)  # it fills the width or the height
    assert '<rect x="%.2f" y="%.2f"' % (x, y) in svg  # white paper under the margin

    png = render(tree, explorer.catalog, ExportOptions("png", preset=preset, dpi=150))
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (round(page_w / 72 * 150), round(page_h / 72 * 150))
        assert round(image.info["dpi"][0]) == 150
        rgb = image.convert("RGB")
        assert rgb.getpixel((2, 2)) == (255, 255, 255)  # the margin is white
        assert rgb.getbbox() is not None


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is installed by `make test`")
@pytest.mark.parametrize("preset,size", [("a4-portrait", "595.44 x 841.68"), ("a4-landscape", "841.68 x 595.44"),
                                         ("slide", "959.976 x 540")])
def test_a_pdf_preset_is_one_page_of_that_size(explorer, tree, preset, size, tmp_path):
    path = tmp_path / "tree.pdf"
    path.write_bytes(render(tree, explorer.catalog, ExportOptions("pdf", preset=preset)))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\n", info)
    assert re.search(r"Page size:\s+" + re.escape(size) + r" pts", info), info
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "团队学习机制" in text.replace("\n", "")  # still text, still on the page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by `make test`")
def test_pdf_is_vector_with_selectable_chinese_and_the_font_embedded(explorer, tree, tmp_path):
    pdf = render(tree, explorer.catalog, ExportOptions("pdf", preset="a4-landscape"))
    path = tmp_path / "tree.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "团队学习机制" in text.replace("\n", "") and "营养供给机制" in text.replace("\n", "")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts and " yes " in fonts  # embedded


def letters(text: str) -> str:
    """Text without its spaces: a label broken into lines (at a space or after a hyphen) reads the same."""
    return "".join(text.split())


@pytest.mark.parametrize("name", ["tree", "cross"])
@pytest.mark.parametrize("labels", ["zh", "en"])
def test_every_node_is_drawn_with_its_label(explorer, name, labels):
    view = build_view(explorer.concept_graph, ViewRequest(name))
    drawn = nodes(render(view, explorer.catalog, ExportOptions("svg", labels=labels)))
    for node in view.nodes:
        assert letters(drawn[node.id].text) == letters(node.label.get(labels)), node.id


@pytest.mark.parametrize("name", ["tree", "cross"])
def test_each_class_is_drawn_in_its_shape_and_colours(explorer, name):
    view = build_view(explorer.concept_graph, ViewRequest(name))
    svg = render(view, explorer.catalog, ExportOptions("svg"))
    drawn = nodes(svg)
    reference = reference_outlines({class_style(n.cls).print_shape for n in view.nodes})
    for node in view.nodes:
        look = class_style(node.cls)
        assert drawn[node.id].outline == reference[look.print_shape], (node.id, node.cls, look.print_shape)
        assert drawn[node.id].fill == look.fill, node.id
    legend = drawn["legend"]
    for item in view.legend:  # the legend names each class with its count, next to a swatch of its colour
        assert f"{item.label.zh} ({item.count})" in legend.lines
    assert {look.fill for look in map(class_style, (i.cls for i in view.legend))} <= set(
        re.findall(r'fill="(#[0-9a-f]{6})"', svg.decode()))
    shapes = {drawn[n.id].outline for n in view.nodes}
    assert len(shapes) >= 8  # the classes are told apart by shape, not only by colour


def test_print_theme_keeps_the_shapes_and_drops_the_colours(explorer, tree):
    light = nodes(render(tree, explorer.catalog, ExportOptions("svg")))
    printed = nodes(render(tree, explorer.catalog, ExportOptions("svg", theme="print")))
    assert {d.fill for d in printed.values()} - {None} == {"white"}
    assert {nid: d.outline for nid, d in printed.items()} == {nid: d.outline for nid, d in light.items()}
    assert len({light[n.id].fill for n in tree.nodes}) >= 8


def test_the_chain_is_drawn_as_cards_holding_their_points(explorer):
    view = build_view(explorer.concept_graph, ViewRequest("chain"))
    svg = render(view, explorer.catalog, ExportOptions("svg"))
    drawn = nodes(svg)
    cards = [n for n in view.nodes if n.cls in ("Significance", "Problem", "Remedy")]
    points = [n for n in view.nodes if n not in cards]
    assert len(cards) == 12 and points
    assert not any(p.id in drawn for p in points)  # a point is a line in its card, not a node
    text = "".join("".join(drawn[c.id].lines) for c in cards)
    for node in view.nodes:
        assert node.label.zh.replace(" ", "") in text.replace("\u3000", "").replace(" ", ""), node.id
    assert {"阻碍", "针对"} <= set(edge_labels(svg))  # problems hinder, remedies address: labelled links


def test_every_label_is_covered_by_the_font(explorer):
    texts = [c.label.zh for c in explorer.catalog.concepts.values()]
    texts += [c.label.en for c in explorer.catalog.concepts.values()]
    check_font(texts)  # raises ExportError naming any character without a glyph


def test_a_missing_font_stops_with_a_clear_message(explorer, tree, monkeypatch):
    monkeypatch.setattr(fonts, "FONT", "No Such Font CJK")
    with pytest.raises(ExportError, match="not installed.*fonts-noto-cjk"):
        render(tree, explorer.catalog, ExportOptions("svg"))


def test_an_uncovered_character_is_named(explorer):
    with pytest.raises(ExportError, match="no glyph"):
        check_font(["共同愿景 \U0001F9EC"])


def test_png_over_the_pixel_ceiling_is_refused_with_advice(explorer):
    view = build_view(explorer.concept_graph, ViewRequest("whole"))
    with pytest.raises(ExportError, match="SVG or PDF"):
        render(view, explorer.catalog, ExportOptions("png", dpi=1200))


def test_a_hostile_label_cannot_inject_dot_or_markup(explorer, tree):
    import copy

    from kg.catalog import Bilingual

    node = tree.nodes[0]
    hostile = copy.copy(tree)
    bad = Bilingual('<b>"];\n evil [label="x', 'x\\N \\G <img src=x onerror=alert(1)>')
    hostile.nodes = [type(node)(**{**node.__dict__, "label": bad})] + tree.nodes[1:]
    svg = render(hostile, explorer.catalog, ExportOptions("svg", labels="both")).decode()
    assert "<img" not in svg and "<b>" not in svg and "&lt;img" in svg and "&lt;b&gt;" in svg
    assert "evil" not in re.findall(r"<title>(.*?)</title>", svg)  # no node was injected


def test_the_a4_preset_turns_the_page_to_the_drawing(explorer, tree):
    assert a4_orientation(40.9, 20.0) == "a4-landscape"  # the tree's own size, in inches
    assert a4_orientation(6.0, 14.0) == "a4-portrait"
    assert a4_orientation(3.0, 3.1) == "a4-portrait"  # a small drawing fits either way: the taller page
    auto = render(tree, explorer.catalog, ExportOptions("svg", preset="a4"))
    assert auto == render(tree, explorer.catalog, ExportOptions("svg", preset="a4-landscape"))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by `make test`")
@pytest.mark.parametrize("view,query", [("tree", "preset=a4-portrait"), ("tree", "preset=a4-landscape"),
                                        ("tree", "preset=a4-portrait&labels=both"),
                                        ("tree", "preset=a4-landscape&labels=both"), ("chain", "preset=a4-portrait")])
def test_no_title_line_of_a_pdf_is_an_orphan(explorer, client, view, query, tmp_path):
    """The title as pdftotext reads it off the page: the leading lines that make up the view's title, none
    of them under 3 characters (no lone "景")."""
    title = build_view(explorer.concept_graph, ViewRequest(view)).title
    expected = f"{title.zh} · {title.en}" if "labels=both" in query else title.zh
    response = client.get(f"/export/{view}.pdf?{query}")
    assert response.status_code == 200, response.text[:300]
    (tmp_path / "x.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "x.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    squeeze = lambda s: "".join(s.split())  # noqa: E731
    lines, got = [], ""
    for line in (ln.strip() for ln in text.splitlines() if ln.strip()):
        if squeeze(expected).startswith(got + squeeze(line)):
            lines.append(line)
            got += squeeze(line)
        if got == squeeze(expected):
            break
    assert got == squeeze(expected), (expected, text[:300])
    assert all(len(line) >= 3 for line in lines), lines
