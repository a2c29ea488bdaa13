"""kg/search/: the search index over the bundled catalog (no HTTP)."""

from __future__ import annotations

import pytest

from kg.search.hits import TIER_ALT, TIER_EXACT, TIER_PREFIX, TIER_SUBSTRING, TIER_TEXT, TIER_TYPO, SearchHit
from kg.search.index import MAX_QUERY, QueryError, SearchIndex


@pytest.fixture(scope="module")
def index(explorer) -> SearchIndex:
    return explorer.search_index


def ids(hits: list[SearchHit]) -> list[str]:
    return [h.id for h in hits]


def by_id(hits: list[SearchHit], cid: str) -> SearchHit:
    return next(h for h in hits if h.id == cid)


def marked(hit: SearchHit) -> list[str]:
    return [text for text, mark in hit.segments() if mark]


# -- building ------------------------------------------------------------------


def test_built_once_at_load(explorer, index):
    assert explorer.search_index is index
    # the index the explorer built at load answers a search, best first
    assert ids(index.search("共同愿景", limit=3)) == ["notion-shared-vision-yanbian", "discipline-shared-vision",
                                                   "vision-zhonglou"]
    stats = index.stats()
    assert stats["concepts"] == len(explorer.catalog.concepts)
    assert stats["label_keys"] > stats["concepts"] and stats["documents"] > stats["concepts"]


def test_build_needs_only_the_catalog(explorer):
    fresh = SearchIndex.build(explorer.catalog)
    assert ids(fresh.search("共同愿景")) == ids(explorer.search_index.search("共同愿景"))


# -- Chinese ---------------------------------------------------------------------


def test_zh_substring_finds_longer_labels(index):
    hits = index.search("愿景")
    found = ids(hits)
    for cid in ("notion-shared-vision-yanbian", "discipline-shared-vision", "vision-zhonglou"):
        assert cid in found
    hit = by_id(hits, "discipline-shared-vision")
    assert (hit.field, hit.tier, hit.matched) == ("label", TIER_SUBSTRING, "建立共同愿景")
    assert marked(hit) == ["愿景"]


def test_zh_exact_label_first(index):
    hits = index.search("共同愿景")
    assert hits[0].id == "notion-shared-vision-yanbian"
    assert hits[0].tier == TIER_EXACT and hits[0].field == "label"


def test_zh_label_with_quotation_marks(index):
    hit = index.search("每月一讲")[0]
    assert hit.id == "practice-monthly-lecture" and hit.tier == TIER_EXACT
    assert marked(hit) == ["每月一讲"]


def test_zh_same_label_two_concepts(index):
    hits = index.search("现场观摩")
    assert set(ids(hits)[:2]) == {"method-site-observation", "practice-on-site-observation"}
    assert all(h.tier == TIER_EXACT for h in hits[:2])


# -- English ---------------------------------------------------------------------


@pytest.mark.parametrize("q", ["shared vision", "SHARED VISION", "Shared Vision", "shared-vision"])
def test_en_case_insensitive(index, q):
    hits = index.search(q)
    assert {"discipline-shared-vision", "notion-shared-vision-yanbian"} <= set(ids(hits[:2]))
    assert hits[0].tier == TIER_EXACT and hits[0].lang == "en"


def test_en_plural_finds_singular(index):
    hits = index.search("mechanisms")
    assert "mechanism-team-learning" in ids(hits)
    hit = by_id(hits, "mechanism-team-learning")
    assert hit.matched == "Team learning mechanism" and marked(hit) == ["mechanism"]


def test_en_singular_finds_plural(index):
    hit = by_id(index.search("vision"), "goal-team-visions")
    assert hit.matched == "Team visions" and marked(hit) == ["visions"]


def test_en_word_prefix(index):
    hits = index.search("vision")
    hit = by_id(hits, "discipline-shared-vision")
    assert hit.matched == "Shared vision" and marked(hit) == ["vision"]
    assert "discipline-shared-vision" in ids(index.search("visi"))
    assert "mechanism-team-learning" in ids(index.search("mechan"))


def test_en_does_not_match_inside_words(index):
    # "ision" is not a word prefix: only forgiven as a missing first letter, in the typo tier
    hits = [h for h in index.search("ision") if h.field in ("label", "altLabel")]
    assert hits and all(h.tier == TIER_TYPO for h in hits)


# -- pinyin ------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["gongtongyuanjing", "gong tong yuan jing", "gòngtóng yuànjǐng", "GongTong YuanJing",
                               "gong4tong2 yuan4jing3", "gtyj"])
def test_pinyin_full_spaced_tones_initials(index, q):
    hits = index.search(q)
    assert hits[0].id == "notion-shared-vision-yanbian"
    assert hits[0].tier == TIER_EXACT and hits[0].field == "pinyin"
    assert hits[0].matched == "共同愿景" and marked(hits[0]) == ["共同愿景"]
    assert {"discipline-shared-vision", "vision-zhonglou"} <= set(ids(hits))


def test_pinyin_prefix_highlights_characters(index):
    hit = by_id(index.search("tuandui xuexi"), "mechanism-team-learning")
    assert hit.tier == TIER_EXACT and hit.field == "altLabel"  # the pinyin of its whole alternative label 团队学习
    assert marked(hit) == ["团队学习"]
    hit = by_id(index.search("tuandui xuexi"), "notion-interlocking-stages")
    assert hit.tier == TIER_SUBSTRING and hit.field == "pinyin"
    assert marked(hit) == ["团队学习"]


def test_pinyin_polyphone_read_as_a_word(index):
    # 着 alone reads zhe; in 着眼 it is zhuo (jieba word → pypinyin phrase)
    assert "institution-long-term-mechanisms" in ids(index.search("zhuoyan changyuan"))
    assert "layer-flowers" in ids(index.search("zhongdianxiangmu"))  # 重点 zhong, not chong
    assert not [h for h in index.search("zheyan") if h.tier <= TIER_ALT and h.id == "project-systems-thinking"]


def test_pinyin_initials_of_quoted_label(index):
    assert index.search("myyj")[0].id == "practice-monthly-lecture"


# -- alternative labels, definitions, quotes ---------------------------------------------


def test_alt_label_en(index):
    hit = index.search("site visits")[0]
    # a whole alternative label ranks with the exact labels
    assert (hit.id, hit.field, hit.tier) == ("practice-on-site-observation", "altLabel", TIER_EXACT)
    hit = by_id(index.search("site vis"), "practice-on-site-observation")
    assert (hit.field, hit.tier) == ("altLabel", TIER_ALT)


def test_alt_label_zh(index):
    hit = index.search("45231模型")[0]
    assert (hit.id, hit.field, hit.tier) == ("model-45231", "altLabel", TIER_EXACT)


def test_a_whole_alternative_label_beats_a_label_that_starts_with_it(index):
    """"learning organ" is what the text's 学习型机关 is often called in English: the concept that bears
    that name comes first, not the learning-organisation theory whose label starts with the words."""
    hits = index.search("learning organ")
    assert (hits[0].id, hits[0].field, hits[0].tier) == ("notion-learning-organ-yanbian", "altLabel", TIER_EXACT)
    assert by_id(hits, "theory-learning-organisation").tier == TIER_PREFIX
    # a whole preferred label still ranks above a whole alternative one
    hits = index.search("Team learning")
    assert [h.field for h in hits[:3]] == ["label", "label", "altLabel"]


def test_definition_zh(index):
    hit = by_id(index.search("灯塔"), "notion-shared-vision-yanbian")
    assert (hit.field, hit.tier, hit.lang) == ("definition", TIER_TEXT, "zh")
    assert marked(hit) == ["灯塔"]


def test_definition_en_snippet(index):
    hit = by_id(index.search("lighthouse"), "notion-shared-vision-yanbian")
    assert hit.field == "definition" and hit.lang == "en"
    assert marked(hit) == ["lighthouse"]
    assert "lighthouse" in hit.matched


def test_quote(index):
    hit = index.search("一是团队学习机制")[0]
    assert (hit.id, hit.field, hit.tier) == ("mechanism-team-learning", "quote", TIER_TEXT)


def test_definition_all_words(index):
    # not contiguous in the text: every jieba word of the query must be there
    hit = by_id(index.search("共同 远景"), "remedy-shared-goal")
    assert hit.field == "definition" and {"共同", "远景"} <= set(marked(hit))


# -- typos -----------------------------------------------------------------------------


@pytest.mark.parametrize("q, cid", [
    ("mechanizm", "mechanism-team-learning"),
    ("shred vision", "discipline-shared-vision"),
    ("shared visoin", "discipline-shared-vision"),  # two letters swapped
    ("tuandiu xuexi", "mechanism-team-learning"),  # pinyin, one letter wrong
    ("tuandui xuex", "mechanism-team-learning"),  # prefix (not a typo at all)
    ("tuandui xuexu", "mechanism-team-learning"),
    ("tuamdui xuexi", "mechanism-team-learning"),  # the intact half starts inside a syllable (du|i)
    ("tiandui xuexi", "mechanism-team-learning"),  # the first syllable mistyped
    ("共同远景", "notion-shared-vision-yanbian"),  # a wrong character
    ("团队习机制", "mechanism-team-learning"),  # a missing character
])
def test_one_typo_forgiven(index, q, cid):
    assert cid in ids(index.search(q))


def test_typo_tier_and_highlight(index):
    hit = by_id(index.search("shred vision"), "discipline-shared-vision")
    assert hit.tier == TIER_TYPO and marked(hit) == ["Shared vision"]
    assert index.search("共同远景")[0].id == "notion-shared-vision-yanbian"


def test_two_typos_not_forgiven(index):
    assert "mechanism-team-learning" not in ids(index.search("mekanizm"))


def test_no_typo_matches_when_a_label_matches(index):
    # "team" matches labels as typed, so "Long-term ..." (one letter away) is not offered
    assert all(h.tier != TIER_TYPO for h in index.search("team"))


# -- ranking -----------------------------------------------------------------------------


def test_ranking_exact_prefix_substring_definition(index):
    hits = index.search("Team learning")
    assert set(ids(hits[:2])) == {"discipline-team-learning", "notion-team-learning-yanbian"}
    assert [h.tier for h in hits[:2]] == [TIER_EXACT, TIER_EXACT]
    assert (hits[2].id, hits[2].tier) == ("mechanism-team-learning", TIER_EXACT)  # its alternative label
    assert (hits[3].id, hits[3].tier) == ("notion-interlocking-stages", TIER_SUBSTRING)
    assert {h.tier for h in hits[4:]} == {TIER_TEXT}


def test_ranking_prefix_substring_alt_definition(index):
    hits = index.search("innovation", limit=200)
    tiers = [h.tier for h in hits]
    assert tiers[0] == TIER_PREFIX and hits[0].id == "notion-innovation-power"
    assert {TIER_PREFIX, TIER_SUBSTRING, TIER_ALT, TIER_TEXT} <= set(tiers)
    first = {t: tiers.index(t) for t in set(tiers)}
    assert first[TIER_PREFIX] < first[TIER_SUBSTRING] < first[TIER_ALT] < first[TIER_TEXT]
    assert by_id(hits, "notion-innovation-capacity-yanbian").field == "altLabel"


@pytest.mark.parametrize("q", ["愿景", "学习", "vision", "team", "xuexi", "机制", "mechanism"])
def test_rank_order_is_sorted_and_stable(index, q):
    hits = index.search(q, limit=200)
    keys = [(h.tier, -h.score, len(h.label.get(h.lang)), h.id) for h in hits]
    assert keys == sorted(keys)
    assert len(set(ids(hits))) == len(hits)  # one hit per concept
    assert ids(index.search(q, limit=200)) == ids(hits)


def test_tie_break_shorter_label_then_id(index):
    same_tier = [h for h in index.search("愿景") if h.tier == TIER_SUBSTRING and h.score == 1.0]
    assert [h.id for h in same_tier[:3]] == ["goal-personal-visions", "goal-team-visions",
                                             "notion-shared-vision-yanbian"]  # all four characters long
    assert len(same_tier[3].label.zh) > 4


# -- filters -------------------------------------------------------------------------------


def test_filter_by_class(index):
    hits = index.search("机制", cls="LearningMechanism")
    assert len(hits) == 5 and {h.cls for h in hits} == {"LearningMechanism"}


def test_filter_by_superclass_includes_subclasses(index, explorer):
    assert ids(index.search("vision", cls="ModelComponent")) == ["vision-zhonglou"]
    hits = index.search("学习", cls="ModelComponent", limit=200)
    assert hits and all(explorer.catalog.is_subclass(h.cls, "ModelComponent") for h in hits)
    assert {"LearningIdea", "LearningMechanism"} <= {h.cls for h in hits}


def test_filter_by_article(index, explorer):
    hits = index.search("共同愿景", article="yanbian")
    assert hits[0].id == "notion-shared-vision-yanbian"
    assert all(explorer.catalog.concepts[h.id].article == "yanbian" for h in hits)
    assert "vision-zhonglou" in ids(index.search("共同愿景", article="zhonglou"))


def test_filters_combined(index):
    assert ids(index.search("愿景", cls="SharedVision", article="yanbian")) == []


@pytest.mark.parametrize("kwargs", [{"cls": "NoSuchClass"}, {"article": "beijing"}, {"limit": 0},
                                    {"limit": 201}])
def test_bad_filters_and_limits(index, kwargs):
    with pytest.raises(QueryError):
        index.search("愿景", **kwargs)


def test_limit(index):
    assert len(index.search("学习", limit=3)) == 3
    assert ids(index.search("学习", limit=3)) == ids(index.search("学习", limit=200))[:3]


# -- odd and hostile input ------------------------------------------------------------


@pytest.mark.parametrize("q", ["", "   ", "\t\n", "，。！", "...", "--"])
def test_blank_queries_find_nothing(index, q):
    assert index.search(q) == []
    assert index.suggest(q) == []
    assert index.nearest(q) == []


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                               "'; DROP TABLE concepts; --", "[", "(((", "\\", "$^", "%_%", "\x00",
                               "😀", "SELECT * WHERE { ?s ?p ?o }", "\u202e反转", "ｆｕｌｌｗｉｄｔｈ", "a" * 200])
def test_hostile_queries_that_name_nothing_find_nothing(index, q):
    assert index.search(q) == [] and index.suggest(q) == []
    assert {h.id for h in index.nearest(q)} <= set(index.concepts)  # "did you mean" offers concepts, never fails


@pytest.mark.parametrize("q", ["共同愿景\x00", "\u202e共同愿景", "'; 共同愿景 --", "{{ 共同愿景 }}", "<共同愿景>"])
def test_markup_and_control_characters_around_a_label_are_ignored(index, q):
    hits = index.search(q)
    assert ids(hits) == ids(index.search("共同愿景"))
    assert (hits[0].id, hits[0].tier, marked(hits[0])) == ("notion-shared-vision-yanbian", TIER_EXACT, ["共同愿景"])


def test_full_width_letters_and_spaces_are_read_as_ascii(index):
    hits = index.search("ｓｈａｒｅｄ　ｖｉｓｉｏｎ")
    assert ids(hits) == ids(index.search("shared vision"))
    assert set(ids(hits[:2])) == {"discipline-shared-vision", "notion-shared-vision-yanbian"}


def test_pattern_characters_are_text_not_patterns(index):
    assert ids(index.search("a.*(b")) == ids(index.search("a b"))
    assert index.search("' OR 1=1 --") == index.search("or 1 1")


def test_query_too_long(index):
    with pytest.raises(ValueError, match="too long"):
        index.search("学" * (MAX_QUERY + 1))
    with pytest.raises(ValueError, match="too long"):
        index.suggest("x" * (MAX_QUERY + 1))
    assert ids(index.search("学" * MAX_QUERY)) == []  # the limit itself is fine
    # nearest never raises (the 404 page calls it): it reads the first MAX_QUERY characters
    assert ids(index.nearest("mechanism-team-lerning" + "-" * 500))[:1] == ["mechanism-team-learning"]


# -- suggest and nearest ----------------------------------------------------------------


def test_suggest_prefix_first_labels_only(index):
    hits = index.suggest("共同")
    assert hits[0].tier == TIER_PREFIX and hits[0].matched.startswith("共同")
    tiers = [h.tier for h in hits]
    assert tiers == sorted(tiers)
    assert all(h.field in ("label", "altLabel", "pinyin") for h in hits)
    assert len(index.suggest("学", limit=4)) == 4


def test_suggest_pinyin_and_english(index):
    assert "notion-shared-vision-yanbian" in ids(index.suggest("gongtong"))
    assert index.suggest("Team learning m")[0].id == "mechanism-team-learning"


def test_suggest_forgives_a_typo_only_when_needed(index):
    assert "discipline-shared-vision" in ids(index.suggest("shred vision"))


@pytest.mark.parametrize("q, cid", [
    ("mechanism-team-lerning", "mechanism-team-learning"),
    ("mechanism team lerning", "mechanism-team-learning"),
    ("discipline-shared-vison", "discipline-shared-vision"),
    ("Team lerning mechanism", "mechanism-team-learning"),
    ("共同愿景", "notion-shared-vision-yanbian"),
    ("团队学习机置", "mechanism-team-learning"),
])
def test_nearest(index, q, cid):
    hits = index.nearest(q)
    assert hits and hits[0].id == cid
    assert len(hits) <= 5


def test_nearest_nothing_close(index):
    assert index.nearest("qqqqzzzzkkkk") == []


# -- the hit -------------------------------------------------------------------------------


def test_hit_as_dict(index):
    hit = by_id(index.search("愿景"), "discipline-shared-vision")
    data = hit.as_dict()
    assert data["id"] == "discipline-shared-vision"
    assert data["iri"] == "https://w3id.org/lokg/id/discipline-shared-vision"
    assert data["class"] == "Discipline"
    assert data["label"] == {"zh": "建立共同愿景", "en": "Shared vision"}
    assert (data["tier"], data["field"], data["matched"]) == (TIER_SUBSTRING, "label", "建立共同愿景")
    assert data["highlight"] == [{"text": "建立共同", "mark": False}, {"text": "愿景", "mark": True}]
    assert data["spans"] == [[4, 6]]
    assert isinstance(data["score"], float)


def test_segments_rebuild_matched_text(index):
    for q in ("学习", "learning", "xuexi", "共同 远景", "shred vision"):
        hits = index.search(q, limit=200)
        assert len(hits) >= 2, q
        for hit in hits:
            assert "".join(t for t, _ in hit.segments()) == hit.matched
            assert any(mark for _, mark in hit.segments()), (q, hit)
            assert all(0 <= s < e <= len(hit.matched) for s, e in hit.spans)


def test_american_spelling_finds_the_british_labels(index):
    british = [h.id for h in index.search("learning organisation")]
    assert british and [h.id for h in index.search("learning organization")] == british
    assert [h.id for h in index.search("organizations")] == [h.id for h in index.search("organisations")]


@pytest.mark.parametrize("q,cls", [("problems", "Problem"), ("问题", "Problem"), ("remedies", "Remedy"),
                                   ("对策", "Remedy"), ("learning mechanism", "LearningMechanism")])
def test_a_class_name_is_recognised(index, q, cls):
    assert cls in [facet["id"] for facet in index.classes_named(q)]


def test_a_word_that_names_no_class_offers_none(index):
    assert index.classes_named("shared vison") == [] and index.classes_named("") == []


@pytest.mark.parametrize("q", ["学习", "存在", "共同", "重点"])
def test_a_common_first_word_of_a_class_name_offers_no_class(index, q):
    assert index.classes_named(q) == []
