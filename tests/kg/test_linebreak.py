"""Chinese labels broken into lines as a reader expects (the exports, the handouts, the graph views)."""

import pytest

from kg.linebreak import atoms, wrap_zh


@pytest.mark.parametrize("text,lines", [
    ("地区生产总值47.8亿元", ["地区生产总值", "47.8亿元"]),  # a number stays whole, with its unit
    ("规模工业销售167.04亿元", ["规模工业销售", "167.04亿元"]),
    ("学习型机关建设“45231”树状模型", ["学习型机关建设", "“45231”树状模型"]),  # a quote mark stays with its word
    ("富裕、开放、生态、和谐、幸福的新延边", ["富裕、开放、生态、", "和谐、幸福的新延边"]),  # no line starts with 、
    ("在学习中工作，在工作中学习", ["在学习中工作，", "在工作中学习"]),  # a break after the comma, not after 在
    ("团队学习机制", ["团队学习机制"]),
])
def test_lines_break_between_words_and_keep_numbers_and_marks(text, lines):
    assert wrap_zh(text, 9) == lines
    assert "".join(lines) == text


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(explorer):
    for concept in explorer.catalog.concepts.values():
        for width in (7, 9, 18):
            lines = wrap_zh(concept.label.zh, width)
            assert "".join(lines).replace(" ", "") == concept.label.zh.strip().replace(" ", "")
            for line in lines:
                assert line[:1] not in "，。、；：？！）》”’", (concept.id, lines)
                assert line[-1:] not in "（《“‘", (concept.id, lines)
                assert not any(a[-1:].isdigit() and b[:1].isdigit() for a, b in zip(lines, lines[1:])), lines


def test_a_word_wider_than_a_line_is_cut_but_a_latin_word_is_not():
    assert atoms("一二三四五六七八九十") == ("一二三四五六七八九十",)  # one jieba word
    assert wrap_zh("一二三四五六七八九十", 5) == ["一二三四五", "六七八九十"]
    assert wrap_zh("supercalifragilisticexpialidocious words", 9) == ["supercalifragilisticexpialidocious", "words"]
    with pytest.raises(ValueError):
        wrap_zh("学习", 0)


def test_the_graph_views_get_the_pieces_to_fill(client):
    data = client.get("/graph/neighbourhood.json?concept=layer-fruit").json()
    nodes = {n["id"]: n for n in data["vis"]["nodes"]}
    figure = next(n for n in nodes.values() if "47.8" in n["label_zh"])
    assert "47.8亿元" in figure["label_zh_atoms"]
    assert "".join(figure["label_zh_atoms"]) == figure["label_zh"]
    assert atoms("") == ()
