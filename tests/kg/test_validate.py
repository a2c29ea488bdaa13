"""SHACL: the bundled data conforms, and broken copies fail on the expected shape."""

from pathlib import Path

import pytest

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SKOS

from kg.namespaces import ID, LO, OA
from kg.store.factory import bundled_files
from kg.validate import check_graph, validate_files


def _shapes_hit(problems):
    return {p.shape for p in problems}


def test_bundled_data_conforms(bundled_graph, shapes_graph):
    assert check_graph(bundled_graph, shapes_graph) == []


def test_a_fifth_learning_idea_breaks_the_count(graph_copy, shapes_graph):
    graph_copy.add((ID["mechanism-team-learning"], RDF.type, LO.LearningIdea))
    problems = check_graph(graph_copy, shapes_graph)
    assert "los:FourLearningIdeas" in _shapes_hit(problems)


def test_a_seventh_remedy_breaks_the_count(graph_copy, shapes_graph):
    graph_copy.add((ID["practice-extra"], RDF.type, LO.Remedy))
    assert "los:SixRemedies" in _shapes_hit(check_graph(graph_copy, shapes_graph))


def test_a_missing_english_label_is_reported_on_the_concept(graph_copy, shapes_graph):
    node = ID["mechanism-team-learning"]
    for label in list(graph_copy.objects(node, SKOS.prefLabel)):
        if label.language == "en":
            graph_copy.remove((node, SKOS.prefLabel, label))
    problems = check_graph(graph_copy, shapes_graph)
    assert any(p.shape == "los:ConceptShape" and "en skos:prefLabel" in p.message for p in problems)
    # traced back to the authoring YAML line that defines the concept
    assert any("zhonglou.yaml:" in p.where and "mechanism-team-learning" in p.where for p in problems)


def test_a_second_zh_label_is_reported(graph_copy, shapes_graph):
    node = ID["idea-learning-creates-happiness"]
    assert (node, RDF.type, LO.LearningIdea) in graph_copy
    graph_copy.add((node, SKOS.prefLabel, Literal("另一个标签", lang="zh")))
    assert "los:ConceptShape" in _shapes_hit(check_graph(graph_copy, shapes_graph))


def test_a_quote_with_wrong_offsets_is_reported(graph_copy, shapes_graph):
    quote = next(graph_copy.subjects(RDF.type, LO.Quote))
    selector = next(s for s in graph_copy.objects(quote, OA.hasSelector)
                    if (s, RDF.type, OA.TextPositionSelector) in graph_copy)
    start = graph_copy.value(selector, OA.start)
    graph_copy.set((selector, OA.start, Literal(int(start) + 1, datatype=start.datatype)))
    problems = check_graph(graph_copy, shapes_graph)
    assert any(p.shape == "los:GraphChecks" and "is not the text of its paragraph" in p.message
               for p in problems)


def test_a_quote_pointing_to_a_missing_paragraph_is_reported(graph_copy, shapes_graph):
    quote = next(graph_copy.subjects(RDF.type, LO.Quote))
    graph_copy.set((quote, OA.hasSource, ID["yanbian-p99"]))
    problems = check_graph(graph_copy, shapes_graph)
    assert any(p.shape == "los:QuoteShape" and "paragraph" in p.message for p in problems)


def test_a_relation_without_assertion_is_reported(graph_copy, shapes_graph):
    graph_copy.add((ID["remedy-mobilise"], LO.relatedTo, ID["project-self-transcendence"]))
    problems = check_graph(graph_copy, shapes_graph)
    assert any("has no lo:RelationAssertion" in p.message for p in problems)


def test_an_inferred_link_without_reason_is_reported(graph_copy, shapes_graph):
    assertion = next(graph_copy.subjects(LO.status, LO.inferred))
    graph_copy.remove((assertion, LO.rationale, None))
    assert "los:RelationAssertionShape" in _shapes_hit(check_graph(graph_copy, shapes_graph))


def test_malformed_turtle_gives_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix lo: <https://w3id.org/lokg/ontology#> .\n\nlo:a lo:b "unterminated .\n',
                   encoding="utf-8")
    report = validate_files([*bundled_files(), bad])
    assert not report.ok
    assert [p.kind for p in report.problems] == ["syntax"]
    assert report.problems[0].where.startswith(f"{bad}:3:")


def test_unknown_concept_class_is_not_silently_accepted(graph_copy, shapes_graph):
    node = URIRef(ID["notion-orphan"])
    graph_copy.add((node, RDF.type, LO.Notion))
    problems = [p for p in check_graph(graph_copy, shapes_graph) if "notion-orphan" in p.where]
    messages = " ".join(p.message for p in problems)
    assert "zh skos:prefLabel" in messages and "source quote" in messages


def test_a_file_of_ones_own_is_checked_with_the_ontology_but_not_held_to_the_articles_counts(tmp_path: Path):
    own = tmp_path / "own.ttl"
    own.write_text("""@prefix lo: <https://w3id.org/lokg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/p> a lo:Practice ; skos:prefLabel "做法"@zh .
""", encoding="utf-8")
    report = validate_files([own])
    assert report.triples == 2  # the file's own; the ontology is read beside it
    shapes = {p.shape for p in report.problems}
    assert "los:ConceptShape" in shapes  # lo:Practice is a concept: the ontology says so
    assert not any("45231" in p.message or "Yanbian" in p.message for p in report.problems)
    assert all(p.where.startswith("https://example.org/p") for p in report.problems)


def test_the_counts_still_hold_for_the_framework_present(graph_copy, shapes_graph):
    graph_copy.remove((ID["framework-yanbian"], None, None))  # only the Zhonglou model's counts apply now
    graph_copy.add((ID["practice-extra"], RDF.type, LO.Branch))
    graph_copy.add((ID["practice-extra-2"], RDF.type, LO.Remedy))  # a 7th remedy: Yanbian's count is off
    hit = _shapes_hit(check_graph(graph_copy, shapes_graph))
    assert "los:TwoBranches" in hit and "los:SixRemedies" not in hit


def _rationale_of(g, subject, rel, obj):
    node = ID[f"assertion/{subject}/{rel}/{obj}"]
    assert (node, RDF.type, LO.RelationAssertion) in g
    return node


def test_a_reason_cut_short_is_not_a_whole_sentence(graph_copy, shapes_graph):
    node = _rationale_of(graph_copy, "cause-inertia", "causes", "problem-no-inner-drive")
    for text in list(graph_copy.objects(node, LO.rationale)):
        graph_copy.remove((node, LO.rationale, text))
        graph_copy.add((node, LO.rationale, Literal(str(text).split("，")[0].split(",")[0], lang=text.language)))
    problems = [p for p in check_graph(graph_copy, shapes_graph) if p.shape == "los:WholeSentenceShape"]
    assert problems and all("cause-inertia" in p.where and "whole sentence" in p.message for p in problems)
    assert any("yanbian.yaml:" in p.where for p in problems)


@pytest.mark.parametrize("lang, cut", [("zh", "学习型机关的本质特征"), ("en", "The essential feature")])
def test_a_definition_cut_short_is_not_a_whole_sentence(graph_copy, shapes_graph, lang, cut):
    node = ID["notion-cohesion-yanbian"]
    old = next(o for o in graph_copy.objects(node, SKOS.definition) if o.language == lang)
    graph_copy.remove((node, SKOS.definition, old))
    graph_copy.add((node, SKOS.definition, Literal(cut, lang=lang)))
    problems = [p for p in check_graph(graph_copy, shapes_graph) if p.shape == "los:WholeSentenceShape"]
    assert len(problems) == 1 and "notion-cohesion-yanbian" in problems[0].where
    assert "skos:definition" in problems[0].message
