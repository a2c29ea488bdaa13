"""kg/search/: the variants trainers type find the concept the text names (issue 14, section 7).

Measure words after a numeral fold (kg.search.folding.fold_measure_words), a query's word is also
looked for with its synonyms (kg.search.synonyms), and alternative labels give the names a model,
a framework and a theory go by.  None of it may bring noise: a query that names nothing still
finds nothing.
"""

from __future__ import annotations

import pytest

from kg.search.folding import compact, fold, fold_measure_words
from kg.search.hits import TIER_EXACT, SearchHit
from kg.search.index import SearchIndex
from kg.search.synonyms import MOST_VARIANTS, synonym_texts


@pytest.fixture(scope="module")
def index(explorer) -> SearchIndex:
    return explorer.search_index


def ids(hits: list[SearchHit]) -> list[str]:
    return [h.id for h in hits]


def marked(hit: SearchHit) -> list[str]:
    return [text for text, mark in hit.segments() if mark]


# -- measure words after a numeral ----------------------------------------------------------


@pytest.mark.parametrize("q, cid, text", [
    ("四种学习理念", "layer-roots", "四种学习理念"),
    ("四个学习理念", "layer-roots", "四种学习理念"),
    ("四项学习理念", "layer-roots", "四种学习理念"),
    ("四大学习理念", "layer-roots", "四种学习理念"),
    ("4个学习理念", "layer-roots", "四种学习理念"),
    ("五项学习机制", "layer-trunk", "五项学习机制"),
    ("五种学习机制", "layer-trunk", "五项学习机制"),
    ("5个学习机制", "layer-trunk", "五项学习机制"),
    ("三个重点项目", "layer-flowers", "三个重点项目"),
    ("三项重点项目", "layer-flowers", "三个重点项目"),
    ("二个枝节", "layer-branches", "两个枝节"),
    ("2种枝节", "layer-branches", "两个枝节"),
])
def test_a_count_with_another_measure_word_finds_the_set(index, q, cid, text):
    hit = index.search(q)[0]
    # found as a label (the whole alternative label), not forgiven as a typo; the text's own characters are marked
    assert (hit.id, hit.tier, hit.field, marked(hit)) == (cid, TIER_EXACT, "altLabel", [text])


def test_measure_words_fold_in_definitions_and_quotes_too(index):
    # 第五项学习机制 (a definition) is found as 第五个学习机制 and as 第5种学习机制
    typed = ids(index.search("第五项学习机制"))
    assert "mechanism-nourishment-supply" in typed
    assert ids(index.search("第五个学习机制")) == typed == ids(index.search("第5种学习机制"))


@pytest.mark.parametrize("key, folded", [
    ("四种学习理念", "四个学习理念"), ("第5项修炼", "第五个修炼"), ("两个枝节", "二个枝节"),
    ("一种追求", "一个追求"),
    ("党的十六大", "党的十六大"),  # the 16th Congress: 六 after 十 is part of a number
    ("12项", "12项"), ("45231", "45231"), ("2.5个", "2.5个"),  # larger numbers stay
    ("统一项目", "统一项目"), ("唯一条件", "唯一条件"),  # 一 that ends a word is no count: 项目 stays a word
    ("项目", "项目"), ("个人", "个人"),
])
def test_fold_measure_words(key, folded):
    assert fold_measure_words(key) == folded
    assert len(fold_measure_words(key)) == len(key)  # character for character: highlights keep their places


def test_the_text_and_the_query_fold_alike():
    assert compact("根：四种学习理念") == compact("根：四个学习理念") == "根四个学习理念"
    assert fold("根：四种学习理念").key == compact("根：四种学习理念")
    assert fold("根：4个学习理念").key == compact("根：4个学习理念")


# -- synonyms --------------------------------------------------------------------------------


@pytest.mark.parametrize("q, cid", [
    ("countermeasures", "part-remedies"), ("countermeasure", "part-remedies"),
    ("issues", "part-problems"), ("importance", "part-significance"),
    ("4 learning ideas", "layer-roots"), ("five learning mechanisms", "layer-trunk"),
])
def test_a_synonym_finds_what_the_graph_calls_it(index, q, cid):
    assert cid in ids(index.search(q)[:2])


def test_countermeasures_find_the_remedies_and_their_class(index):
    assert ids(index.search("countermeasures")) == ids(index.search("remedies"))
    assert "Remedy" in [facet["id"] for facet in index.classes_named("countermeasures")]
    assert "Problem" in [facet["id"] for facet in index.classes_named("issues")]
    hit = next(h for h in index.search("countermeasures") if h.id == "part-remedies")
    assert (hit.field, hit.tier, marked(hit)) == ("altLabel", TIER_EXACT, ["remedies"])  # the graph's word is marked


def test_the_word_as_typed_ranks_above_its_synonym(index):
    typed = index.search("problems")[0]
    synonym = index.search("issues")[0]
    assert typed.id == synonym.id == "part-problems" and typed.tier == synonym.tier
    assert synonym.score < typed.score


def test_suggest_knows_the_synonyms(index):
    assert "part-remedies" in ids(index.suggest("countermeasure"))


def test_measure_is_no_remedy(index):
    # "measure" is left out of the remedies' group: the text's "measure" is a verb
    hits = index.search("measures")
    assert hits[0].id == "institution-incentive-measures"
    assert "part-remedies" not in ids(hits)


@pytest.mark.parametrize("q, rewritten", [
    ("countermeasures", ["remedy"]), ("remedies", ["countermeasure"]), ("Issues in building", ["problem in building"]),
    ("钟楼模式", ["钟楼模型"]), ("学习型机关的重要性", ["学习型机关的重要意义"]), ("4 ideas", ["four ideas"]),
    ("shared vision", []), ("共同愿景", []), ("", []),
    ("' OR 1=1 --", []), ("alert(1)", []), ("45231 model", []), ("4 5", []),  # a figure that counts nothing
])
def test_synonym_texts(q, rewritten):
    assert synonym_texts(q) == rewritten


def test_synonym_texts_are_few():
    assert len(synonym_texts("issue " * 4)) == MOST_VARIANTS  # 15 rewritings cut to 8
    assert len(synonym_texts("issue " * 60)) == MOST_VARIANTS  # and at once: 2 ** 60 are never made


# -- alternative labels: the names a model, a framework and a theory go by --------------------------


@pytest.mark.parametrize("q, cid", [
    ("钟楼模式", "model-45231"), ("钟楼区模式", "model-45231"), ("钟楼模型", "model-45231"),
    ("Zhonglou model", "model-45231"), ("zhonglou district model", "model-45231"), ("45231模式", "model-45231"),
    ("延边框架", "framework-yanbian"), ("Yanbian framework", "framework-yanbian"),
    ("圣吉", "theory-learning-organisation"), ("Senge", "theory-learning-organisation"),
    ("Peter Senge", "theory-learning-organisation"), ("彼得·圣吉", "theory-learning-organisation"),
    # the Yanbian article's 3/3/6 sets by their count, as its headings number them (一)…(六)
    ("三点重要意义", "part-significance"), ("三个问题", "part-problems"), ("三大问题", "part-problems"),
    ("六条对策", "part-remedies"), ("六项对策", "part-remedies"), ("six countermeasures", "part-remedies"),
    ("three issues", "part-problems"),
])
def test_a_name_the_field_uses_finds_the_concept_first(index, q, cid):
    assert index.search(q)[0].id == cid


@pytest.mark.parametrize("q", ["第五项修炼", "《第五项修炼》", "The Fifth Discipline", "fifth discipline"])
def test_the_books_title_finds_the_theory_then_the_fifth_discipline(index, q):
    # the book's title names the book and its theory; systems thinking is the fifth of its disciplines
    assert ids(index.search(q))[:2] == ["theory-learning-organisation", "discipline-systems-thinking"]


# -- no noise --------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["四个苹果", "十六个", "三项规定", "issue tracker", "importance sampling",
                               "remedy kit", "模式识别"])
def test_a_query_that_names_nothing_still_finds_nothing(index, q):
    assert index.search(q) == [] and index.suggest(q) == []


def test_a_number_is_not_a_count(index):
    assert index.search("十六大")[0].id == "org-sixteenth-party-congress"
    assert index.search("45231")[0].id == "model-45231"
