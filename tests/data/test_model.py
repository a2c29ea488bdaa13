"""The content a trainer relies on: the two models' shape, in the articles' order."""

from rdflib import RDF
from rdflib.namespace import SKOS

from kg.namespaces import ID, LO

LAYERS = ["layer-roots", "layer-trunk", "layer-branches", "layer-flowers", "layer-fruit"]


def _label(g, node, lang):
    return next(str(o) for o in g.objects(node, SKOS.prefLabel) if o.language == lang)


def _parts(g, whole):
    """Parts of ``whole`` in the articles' order."""
    return sorted(g.subjects(LO.partOf, whole), key=lambda n: int(g.value(n, LO.ordinal) or 0))


def test_the_45231_counts(bundled_graph):
    g = bundled_graph
    counts = [len(set(g.subjects(RDF.type, c))) for c in
              (LO.LearningIdea, LO.LearningMechanism, LO.Branch, LO.KeyProject, LO.SharedVision)]
    assert counts == [4, 5, 2, 3, 1]
    counts = [len(set(g.subjects(RDF.type, c))) for c in (LO.Significance, LO.Problem, LO.Remedy)]
    assert counts == [3, 3, 6]


def test_the_tree_has_five_layers_in_order_each_feeding_the_next(bundled_graph):
    g = bundled_graph
    assert [str(n).rsplit("/", 1)[-1] for n in _parts(g, ID["model-45231"])
            if (n, RDF.type, LO.FrameworkPart) in g] == LAYERS
    for lower, upper in zip(LAYERS, LAYERS[1:]):
        assert (ID[lower], LO.feeds, ID[upper]) in g
    component = {"layer-roots": LO.LearningIdea, "layer-trunk": LO.LearningMechanism,
                 "layer-branches": LO.Branch, "layer-flowers": LO.KeyProject, "layer-fruit": LO.SharedVision}
    for layer, cls in component.items():
        members = {n for n in g.subjects(LO.partOf, ID[layer]) if (n, RDF.type, cls) in g}
        assert members == set(g.subjects(RDF.type, cls)), layer
        assert sorted(int(g.value(n, LO.ordinal)) for n in members) == list(range(1, len(members) + 1))


def test_the_mechanisms_in_the_articles_order(bundled_graph):
    g = bundled_graph
    mechanisms = [n for n in _parts(g, ID["layer-trunk"]) if (n, RDF.type, LO.LearningMechanism) in g]
    assert [_label(g, n, "zh") for n in mechanisms] == [
        "团队学习机制", "实践运用机制", "学习深化机制", "激励促进机制", "营养供给机制"]
    assert all(len(list(g.subjects(LO.partOf, m))) >= 1 for m in mechanisms if m != ID["mechanism-deepening"])


def test_the_yanbian_chain(bundled_graph):
    g = bundled_graph
    remedies = list(g.subjects(RDF.type, LO.Remedy))
    problems = set(g.subjects(RDF.type, LO.Problem))
    for remedy in remedies:
        assert any(o in problems for o in g.objects(remedy, LO.addresses)), remedy
    for problem in problems:
        assert set(g.objects(problem, LO.hinders)) & set(g.subjects(RDF.type, LO.Significance)), problem
        # its section places at least two concepts, one of them a part of it (a symptom or a cause); the
        # measures the section only names are mentioned in it (lo:mentionedIn), not parts of a problem
        parts = list(g.subjects(LO.partOf, problem))
        assert len(parts) + len(list(g.subjects(LO.mentionedIn, problem))) >= 2, problem
        assert any((p, RDF.type, LO.Symptom) in g or (p, RDF.type, LO.Cause) in g for p in parts), problem


def test_every_concept_is_bilingual_chinese_first(bundled_graph):
    g = bundled_graph
    rows = g.query("SELECT ?c WHERE { ?c a/rdfs:subClassOf* lo:Concept }", initNs={"lo": LO._NS})
    concepts = [r.c for r in rows]
    assert len(concepts) > 150
    for c in concepts:
        zh, en = _label(g, c, "zh"), _label(g, c, "en")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), c
        assert en.isascii() or "“" in en or "’" in en, (c, en)


def test_cross_article_concepts_meet_in_senges_disciplines(bundled_graph):
    g = bundled_graph
    article = {c: g.value(c, LO.fromArticle) for c in g.subjects(LO.fromArticle, None)}
    for discipline in g.subjects(RDF.type, LO.Discipline):
        sides = {article.get(c) for c in g.subjects(LO.embodies, discipline)}
        # the Yanbian article never speaks of 系统 (systems): only Zhonglou's project embodies systems thinking
        both = {ID["article-zhonglou"]} if discipline == ID["discipline-systems-thinking"] \
            else {ID["article-yanbian"], ID["article-zhonglou"]}
        assert both <= sides, discipline
    for assertion in g.subjects(RDF.predicate, LO.embodies):  # neither article names Senge: all inferred
        assert g.value(assertion, LO.status) == LO.inferred, assertion
    aligned = [(s, o) for s, o in g.subject_objects(LO.alignsWith)]
    assert len(aligned) >= 5
    for s, o in aligned:
        assert article[s] != article[o], (s, o)


def test_figures_are_typed_numbers_with_units(bundled_graph):
    g = bundled_graph
    figures = {str(g.value(r, SKOS.prefLabel)): (g.value(r, LO.value), g.value(r, LO.unit))
               for r in g.subjects(LO.value, None)}
    values = {float(v) for v, _ in figures.values()}
    assert {47.8, 25.8, 7.1, 30.0, 167.04, 38.8} <= values
    for value, unit in figures.values():
        assert value.datatype.endswith("#decimal") and (unit, RDF.type, LO.Unit) in g
