"""The cleaned articles: clutter gone, every sentence kept, stable paragraph ids."""

import pytest

from kg import sources

CLUTTER = ["电话:0731-83595998", "导航", "编辑推荐", "下载Word文档", "温馨提示", "网友评论", "最新评论",
           "精品课程", "拼团课程", "App Store", "长理培训客户端", "新人注册送三重礼", "来源:"]


@pytest.mark.parametrize("key", sorted(sources.ARTICLES))
def test_cleaning_the_raw_seed_gives_the_committed_text(key):
    spec = sources.ARTICLES[key]
    cleaned = sources.clean(sources.raw_path(key).read_text(encoding="utf-8"), spec)
    assert "\n\n".join(cleaned) + "\n" == sources.cleaned_path(key).read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(sources.ARTICLES))
def test_every_paragraph_is_a_line_of_the_seed(key):
    raw_lines = sources.raw_path(key).read_text(encoding="utf-8").split("\n")
    for para in sources.paragraphs(key):
        assert any(line.startswith(para.text) for line in raw_lines), para.id


@pytest.mark.parametrize("key", sorted(sources.ARTICLES))
def test_no_clutter_is_left(key):
    text = sources.cleaned_path(key).read_text(encoding="utf-8")
    for junk in CLUTTER:
        assert junk not in text
    assert not text.rstrip().endswith("|")


def test_no_sentence_of_the_article_is_lost():
    """Every full stop of the article body in the seed is still in the cleaned text."""
    for key in sources.ARTICLES:
        raw = sources.raw_path(key).read_text(encoding="utf-8")
        cleaned = sources.cleaned_path(key).read_text(encoding="utf-8")
        body = raw.split("编辑推荐:")[0]
        for sentence in body.replace("\n", "。").split("。"):
            sentence = sentence.strip().rstrip("|").strip()
            if len(sentence) > 8 and not sentence.startswith(("电话", "来源")):
                assert sentence in cleaned, sentence


def test_paragraph_ids_are_stable_and_readable():
    yb = sources.paragraphs("yanbian")
    zl = sources.paragraphs("zhonglou")
    assert [p.id for p in yb[:3]] == ["yanbian-p01", "yanbian-p02", "yanbian-p03"]
    assert len(yb) == 30 and len(zl) == 7
    assert yb[0].kind == "title" and yb[0].text == "试论积极推进学习型机关建设"
    assert yb[1].kind == "heading" and yb[1].text.startswith("一、")
    assert zl[2].text.startswith("1、培育“四种学习理念”")
    assert yb[-1].text.startswith("总之")
