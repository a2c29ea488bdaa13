"""PowerPoint decks read back with python-pptx: 16:9, a title slide, one slide (or more) per step with the
step's title and speaker notes, native shapes with editable text of at least 15 pt (20 px on a 1280×720
slide), the CJK font as East Asian typeface; and rendered by LibreOffice."""

import io
import shutil
import subprocess
import sys

import pytest

from kg.i18n import t
from kg.styles import FONT
from tests.support.system import needs_graphviz

pptx = pytest.importorskip("pptx")
PPTX = b"PK\x03\x04"


def deck(content: bytes):
    return pptx.Presentation(io.BytesIO(content))


def runs(slide):
    for shape in slide.shapes:
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    if run.text.strip():
                        yield shape, run


def slide_text(slide) -> str:
    return "".join(run.text for _, run in runs(slide))


@pytest.fixture(scope="module")
def tree_deck(session_client):
    client = session_client
    response = client.get("/tours/tree.pptx")
    assert response.status_code == 200, response.text[:300]
    assert response.content.startswith(PPTX)
    assert 'filename="tour-tree-zh.pptx"' in response.headers["content-disposition"]
    return response.content


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["tree", "chain", "problem-to-practice", "senge"])
def test_every_tour_is_a_deck_with_a_slide_and_notes_per_step(client, name, lang):
    """In both languages: the English chain once failed on its step 9, whose long English section title
    was also the name beside its one band."""
    tour = client.get(f"/tours/{name}.json").json()
    response = client.get(f"/tours/{name}.pptx?lang={lang}")
    assert response.status_code == 200, response.text[:300]
    prs = deck(response.content)
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9, 13.333 × 7.5 in
    slides = list(prs.slides)
    assert tour["title"][lang].replace(" ", "") in slide_text(slides[0]).replace(" ", "")  # the title slide
    texts = [slide_text(s).replace("\n", " ").replace("\x0b", " ") for s in slides[1:]]
    assert len(slides) - 1 >= len(tour["steps"])
    for step in tour["steps"]:
        heading = f"{step['number']}. {step['title'][lang]}"
        assert any(heading.replace(" ", "") in text.replace(" ", "") for text in texts), heading
    for slide in slides:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()


def test_the_deck_is_native_editable_text_of_at_least_20_px_in_the_cjk_font(tree_deck):
    prs = deck(tree_deck)
    page_pt = prs.slide_width / 12700  # 960 pt = 1280 px
    sizes = []
    for slide in list(prs.slides)[1:]:
        cards = [shape for shape in slide.shapes if shape.shape_type == 1 and shape.has_text_frame
                 and shape.text_frame.text.strip()]  # auto shapes holding their own text
        assert cards
        for _shape, run in runs(slide):
            sizes.append(run.font.size.pt * 1280 / page_pt)
            ea = run.font._rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
            assert ea is not None and ea.get("typeface") == FONT
            assert run.font.name == FONT
    assert min(sizes) >= 20


def test_the_step_notes_carry_definitions_and_quotes(client, tree_deck):
    tour = client.get("/tours/tree.json").json()
    prs = deck(tree_deck)
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    step = next(s for s in tour["steps"] if s["notes"] and s["quotes"])
    assert step["notes"][0]["text"]["zh"] in notes
    assert step["quotes"][0]["exact"] in notes


def test_the_links_are_connectors_glued_to_their_cards(client):
    prs = deck(client.get("/export/chain.pptx").content)
    overview = list(prs.slides)[1]
    connectors = [s for s in overview.shapes if s.shape_type == 9 or s.__class__.__name__ == "Connector"]
    assert len(connectors) >= 10
    xml = overview.shapes._spTree.xml
    assert xml.count("<a:stCxn") >= 10 and xml.count("<a:endCxn") >= 10


def test_a_view_deck_is_its_overview_then_its_parts(client):
    response = client.get("/export/tree.pptx")
    assert response.status_code == 200 and 'filename="45231-tree.pptx"' in response.headers["content-disposition"]
    slides = list(deck(response.content).slides)
    overview = slide_text(slides[1])
    for label in ("团队学习机制", "钟楼区共同愿景", "社区、家庭、个人"):
        assert label in overview.replace("\n", "")
    # title, overview, each layer whose components have practices (the roots' four ideas have none of their own)
    assert len(slides) >= 2 + 4


def test_a_detail_slide_of_a_few_cards_fills_the_slide_with_larger_labels(client):
    """The vision's concepts fill their slide: cards spread over most of its width and height, labels
    well above the 20 px minimum (1280×720), the title still larger than the labels."""
    prs = deck(client.get("/export/tree.pptx").content)
    page_w, page_h = prs.slide_width, prs.slide_height
    slide = next(s for s in prs.slides if "个人愿景" in slide_text(s) and "团队学习机制" not in slide_text(s))
    cards = [shape for shape in slide.shapes if shape.shape_type == 1 and shape.has_text_frame
             and shape.text_frame.text.strip()]  # the cards (the band is an empty shape, names are text boxes)
    assert len(cards) >= 4
    left, right = min(c.left for c in cards), max(c.left + c.width for c in cards)
    top, bottom = min(c.top for c in cards), max(c.top + c.height for c in cards)
    assert (right - left) / page_w > 0.55 and (bottom - top) / page_h > 0.55
    px = [run.font.size.pt * 1280 / (page_w / 12700) for card in cards for p in card.text_frame.paragraphs
          for run in p.runs]
    assert min(px) >= 28
    title = max(run.font.size.pt for _, run in runs(slide))
    assert title > max(run.font.size.pt for card in cards for p in card.text_frame.paragraphs for run in p.runs)


def test_an_unknown_tour_is_404(client):
    assert client.get("/tours/nowhere.pptx").status_code == 404


def test_the_command_line_writes_a_tour_deck(tmp_path):
    out = tmp_path / "senge.pptx"
    done = subprocess.run([sys.executable, "-m", "api.cli", "export", "--tour", "senge", "-f", "pptx", "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(list(deck(out.read_bytes()).slides)) >= 2


@needs_graphviz
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice Impress renders the deck")
def test_libreoffice_renders_the_deck_with_its_chinese_text(tree_deck, tmp_path):
    path = tmp_path / "tree.pptx"
    path.write_bytes(tree_deck)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=240, check=True)
    pdf = tmp_path / "tree.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert f"Pages:           {len(list(deck(tree_deck).slides))}" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.replace("\n", "")
    assert "团队学习机制" in text and "钟楼区共同愿景" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts.replace(" ", "")


# -- the handout booklet -------------------------------------------------------------------------------------


def _weasyprint() -> bool:
    import importlib

    try:
        importlib.import_module("weasyprint")
    except (ImportError, OSError):
        return False
    return True


@pytest.mark.skipif(not _weasyprint(), reason="the booklet is printed by WeasyPrint (pip install -e .)")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by `make test`")
def test_the_booklet_carries_every_component_and_remedy_with_page_numbers_and_fonts(client, explorer, tmp_path):
    import re

    from pypdf import PdfReader

    from tests.support.drawn import pdf_text_pt

    response = client.get("/handout.pdf")
    assert response.status_code == 200, response.text[:300]
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 8 and round(float(reader.pages[0].mediabox.width)) == 595  # A4
    path = tmp_path / "booklet.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True).stdout
    flat = text.replace("\n", "").replace(" ", "")
    cat = explorer.catalog
    for c in cat.concepts.values():
        if cat.is_subclass(c.cls, "ModelComponent") or c.cls == "Remedy":
            assert c.label.zh.replace(" ", "") in flat, c.id
    assert "目录" in flat and "团队学习机制" in flat
    for page in (2, 5):  # numbered pages (the cover is not)
        assert str(page + 1) in reader.pages[page].extract_text().split()
    # the contents give each section's page: the page named starts with that section's heading
    def page_text(n: int) -> str:
        return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(path), "-"],
                              capture_output=True, text=True).stdout
    entries = re.findall(r"^\s*\d+\.\s+(\S.*?)\s*\.{3,}\s*(\d+)\s*$", page_text(2), re.M)
    assert len(entries) >= 8, page_text(2)
    for name, number in entries:
        assert page_text(int(number)).strip().startswith(name), (name, number)
    body = [s for i in range(2, len(reader.pages)) for s, _ in pdf_text_pt(pdf, i)]
    assert body and min(body) >= 8.5  # body text 10 pt, citations and page numbers 9 pt
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)  # every font embedded
    assert not any("Type 3" in line for line in fonts), fonts  # real fonts, not Type 3 glyph procedures
    # the overview: its labels well above the 8 pt minimum, the drawing filling its page's height
    overview = int(dict(entries)[t("export.booklet.overview", "zh")]) - 1
    labels = [s for s, words in pdf_text_pt(pdf, overview) if any(c.label.zh in words for c in cat.concepts.values())]
    assert labels and min(labels) >= 12, labels
    words = subprocess.run(["pdftotext", "-f", str(overview + 1), "-l", str(overview + 1), "-bbox", str(path), "-"],
                           capture_output=True, text=True).stdout
    ys = [float(y) for y in re.findall(r'yMax="([\d.]+)"', words)]
    height = float(reader.pages[overview].mediabox.height)
    assert (sorted(ys)[-2] - min(ys)) / height > 0.7  # the last but one: the page number is the last
    english = client.get("/handout.pdf?lang=en")
    assert english.status_code == 200 and b"%PDF" in english.content[:8]


# -- fewer crossing links ----------------------------------------------------------------------------------


def _segment_crosses(s1, s2) -> bool:
    (a, b), (c, d) = s1, s2
    if len({a, b, c, d}) < 4:  # links sharing a card do not cross
        return False

    def turn(p, q, r):
        return (r[1] - p[1]) * (q[0] - p[0]) - (q[1] - p[1]) * (r[0] - p[0])
    return (turn(a, c, d) > 0) != (turn(b, c, d) > 0) and (turn(a, b, c) > 0) != (turn(a, b, d) > 0)


def _through(segment, box) -> bool:
    """Whether a straight link passes over the inside of a card (the ends, on the cards it joins, aside)."""
    (x1, y1), (x2, y2) = segment
    left, top, right, bottom = box
    return any(left + 2 < x1 + (x2 - x1) * k / 40 < right - 2 and top + 2 < y1 + (y2 - y1) * k / 40 < bottom - 2
               for k in range(1, 40))


def test_links_between_many_classes_cross_few_cards_and_each_other(client):
    """problem-to-practice joins problems, remedies and Zhonglou's mechanisms, principles and ideas: drawn
    as columns along the links, ordered to cross less (it was 26 links over cards and 15 crossings)."""
    prs = deck(client.get("/tours/problem-to-practice.pptx").content)
    over = crossings = links = 0
    for slide in prs.slides:
        cards = [(s.left, s.top, s.left + s.width, s.top + s.height) for s in slide.shapes
                 if s.shape_type == 1 and s.has_text_frame and s.text_frame.text.strip()]
        segments = [((c.begin_x, c.begin_y), (c.end_x, c.end_y)) for c in slide.shapes
                    if c.__class__.__name__ == "Connector"]
        links += len(segments)
        over += sum(_through(s, box) for s in segments for box in cards)
        crossings += sum(_segment_crosses(a, b) for i, a in enumerate(segments) for b in segments[i + 1:])
    assert links >= 20
    assert over <= 10 and crossings <= 6, (over, crossings)


def test_the_columns_are_ordered_to_uncross_their_links():
    from kg.catalog import Bilingual
    from kg.export.deck import _uncross
    from kg.export.levels import Card, Group
    from kg.graph.model import GraphEdge

    def column(name, ids):
        return Group(name, "Concept", Bilingual(name, name), [Card(i, "Concept", Bilingual(i, i)) for i in ids])

    links = [GraphEdge(a, "addresses", b) for a, b in (("a1", "b3"), ("a2", "b2"), ("a3", "b1"))]
    left, right = _uncross([column("a", ["a1", "a2", "a3"]), column("b", ["b1", "b2", "b3"])], links)
    order = {c.id: i for g in (left, right) for i, c in enumerate(g.cards)}
    assert all(order[e.source] == order[e.target] for e in links)  # three parallel links, no crossing


def title_lines(slide) -> list[str]:
    """The lines of a slide's title as written in the file: the top-most text box's paragraphs."""
    boxes = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]
    top = min(boxes, key=lambda s: s.top)
    return [p.text for p in top.text_frame.paragraphs if p.text.strip()]


@pytest.mark.parametrize("url", ["/export/tree.pptx", "/export/tree.pptx?lang=en", "/tours/tree.pptx",
                                 "/tours/tree.pptx?lang=en", "/tours/chain.pptx",
                                 "/tours/problem-to-practice.pptx", "/tours/senge.pptx", "/tours/senge.pptx?lang=en"])
def test_no_title_line_is_an_orphan(client, url):
    """A title that takes more than one line has no line of fewer than 3 characters (a lone "景")."""
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    prs = deck(response.content)
    short = []
    for number, slide in enumerate(prs.slides, 1):
        lines = title_lines(slide)
        if len(lines) > 1:
            short += [(number, lines) for line in lines if len(line.strip()) < 3]
    assert not short, short


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils")
def test_no_title_line_is_an_orphan_as_libreoffice_sets_it(client, tmp_path):
    """The tree's deck as LibreOffice Impress sets it (headless, to PDF, read back with pdftotext): no title
    line, nor any line, of a single character beside others (the renderer breaks lines on its own)."""
    (tmp_path / "tree.pptx").write_bytes(client.get("/export/tree.pptx").content)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "tree.pptx")],
                   capture_output=True, timeout=180, check=True)
    text = subprocess.run(["pdftotext", str(tmp_path / "tree.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    after = [(line, lines[i + 1]) for i, line in enumerate(lines[:-1]) if "树状模型" in line]
    assert after
    lone = [pair for pair in after if len(pair[1]) < 3]
    assert not lone, lone
