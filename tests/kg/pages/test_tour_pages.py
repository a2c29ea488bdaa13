"""kg.pages.tours: the contractions the tree's overview draws where a whole label does not fit."""

from __future__ import annotations

from kg.pages.tours import contraction


def test_a_contraction_keeps_the_label_s_words_in_order():
    label = "The idea that learning builds human capital and adds momentum to development"
    assert contraction(label, ["learning builds human capital", "human capital builds"], "en") == \
        "learning builds human capital"


def test_a_synonym_is_not_a_contraction():
    assert contraction("Units, departments and sections", ["first branch"], "en") is None
    assert contraction("单位、部门、科室", ["第一枝节"], "zh") is None


def test_chinese_characters_in_order_and_the_shortest_wins():
    assert contraction("工作的核心是学习、学习是工作的新形式的理念", ["学习是工作的新形式", "工作的核心是学习"], "zh") == "工作的核心是学习"
    assert contraction("学习创造幸福的理念", ["学习创造幸福", "幸福学习"], "zh") == "学习创造幸福"


def test_nothing_longer_than_the_label():
    assert contraction("Team learning", ["team learning", "team learning mechanism"], "en") is None


def test_the_tree_tour_script_carries_the_contractions(explorer):
    from kg.pages.tours import tour_script_data

    class Urls:
        def tours(self, fmt=None): return "/tours"
        def tour(self, name, fmt=None, **params): return f"/tours/{name}"
        def article(self, key, fmt=None, paragraph=None, quote=None): return f"/articles/{key}"
        def concept(self, cid, fmt=None): return f"/concepts/{cid}"

    data = tour_script_data(explorer, "tree", 1, "en", Urls())
    short = data["concepts"]["idea-learning-creates-happiness"]["short"]
    assert short["en"].lower() == "learning creates happiness" and short["zh"] == "学习创造幸福"
    assert short["zh_atoms"] and "".join(short["zh_atoms"]) == short["zh"]
    assert data["concepts"]["branch-units-departments-offices"]["short"] == {}
