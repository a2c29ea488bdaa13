"""Export errors a user meets come from the catalogue (problem.export.*): the same refusal in Chinese and in
English, with its stable code; the legibility advice is put together in the user's language too."""

from __future__ import annotations

import re

import pytest

from kg.export.files import ViewRequest, build_view
from kg.export.image import render
from kg.export.levels import choose_level
from kg.export.options import ExportError, ExportOptions

def has_chinese(text: str) -> bool:
    """Chinese outside quotation marks (a label quoted from the drawing is content, not interface)."""
    return bool(re.search(r"[\u4e00-\u9fff]", re.sub(r"“[^”]*”", "", text)))


def refused(make) -> ExportError:
    with pytest.raises(ExportError) as caught:
        make()
    error = caught.value
    assert has_chinese(error.text("zh")) and not has_chinese(error.text("en"))
    assert str(error) == error.text("en")  # logs and the English command line read the English
    return error


def test_an_option_out_of_range_is_refused_in_both_languages():
    error = refused(lambda: ExportOptions(dpi=5).check())
    assert error.code == "out_of_range"
    assert error.text("en") == "dpi must be from 36 to 1200, not 5."
    assert error.text("zh") == "dpi 须在 36 到 1200 之间，而不是 5。"
    error = refused(lambda: ExportOptions(date="23/11/2026").check())
    assert error.code == "export.date_form" and "“23/11/2026”" in error.text("zh")


def test_a_layer_too_big_for_a_slide_is_advised_in_the_users_language(explorer):
    tree = build_view(explorer.concept_graph, ViewRequest("tree"))
    error = refused(lambda: render(tree, explorer.catalog, ExportOptions(
        "svg", preset="slide", level="detail", concept="layer-trunk", labels="en")))
    assert error.code == "export.no_fit"
    en, zh = error.text("en"), error.text("zh")
    assert en.startswith("The tree view at the detail level does not fit on slide with labels of at least 20 px")
    assert "concept= one component instead of a layer" in en and "preset=a4" in en
    # the nested advice is Chinese too, the parameters (concept=, preset=) kept as one types them
    assert zh.startswith("树状模型图的细节放不进 slide 页面（标签至少 1280×720 幻灯片上的 20 px）")
    assert "concept= 指定一个要素而不是一层" in zh and "放得下的页面（preset=a4" in zh


def test_a_full_drawing_too_small_to_read_names_a_level_in_both_languages(explorer):
    whole = build_view(explorer.concept_graph, ViewRequest("whole"))
    error = refused(lambda: render(whole, explorer.catalog, ExportOptions("pdf", preset="slide", level="full")))
    assert error.code == "export.illegible"
    assert "under the 20.0 px on a 1280×720 slide that can be read" in error.text("en")
    assert "请选 更少的类或关系（隐藏一些），或一个概念的邻域" in error.text("zh") and "小于可读的 1280×720 幻灯片上的 20.0 px" in error.text("zh")
    # the advice reads as a sentence, and a long label quoted in it is cut with an ellipsis, not mid-word
    assert "choose fewer classes or relations (hide some), or the neighbourhood of one concept" in error.text("en")
    quoted = error.text("en").split("(“", 1)[1].split("”)", 1)[0]
    assert len(quoted) <= 20 and (quoted.endswith("…") or len(quoted) < 20)


def test_a_png_too_big_and_a_level_without_its_concept(explorer):
    tree = build_view(explorer.concept_graph, ViewRequest("tree"))
    error = refused(lambda: render(tree, explorer.catalog, ExportOptions("png", preset="a2", dpi=1200)))
    assert error.code == "export.png_too_big"
    best = error.message.values["best"]
    assert f"the largest that works is dpi={best}" in error.text("en") and f"dpi={best}" in error.text("zh")
    error = refused(lambda: choose_level(tree, "detail", "slide", None))
    assert error.code == "export.detail_needs_concept"
    whole = build_view(explorer.concept_graph, ViewRequest("whole"))
    error = refused(lambda: choose_level(whole, "overview", "slide", None))
    assert error.code == "export.one_level"
    assert error.text("en").startswith("The whole-graph view has one level") and error.text("zh").startswith("全图只有")


def test_a_missing_font_is_named_in_both_languages():
    from kg.export.fonts import check_font

    error = refused(lambda: check_font(["共同愿景 \U0001F9EC"]))
    assert error.code == "export.no_glyph"
    assert "has no glyph for 1 character: \U0001F9EC" in error.text("en") and "缺少 1 个字符的字形" in error.text("zh")
