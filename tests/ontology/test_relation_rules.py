"""How the relations may be used (issue 14, section 6): each rule fed a broken authoring file.

Each test copies the authoring folder, breaks one file the way the first reading of the articles did
(a mention made a part, a cross-article "realises", an analogy made an "alignsWith" ...), builds it with
the loader and checks the result against ``ontology/shapes.ttl``: the rule must name the concept and the
line of the YAML that holds it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph

from kg import build, resources
from kg.namespaces import ID, LO
from kg.rdfio import parse_file
from kg.validate import check_graph

CHECKS = "los:GraphChecks"


def _broken(tmp_path: Path, name: str, block_of: str, old: str, new: str) -> tuple[Path, Graph]:
    """The authoring folder with ``old`` replaced by ``new`` once, in the entry of ``block_of`` (a concept id,
    or ``from: id`` of a loose link) of file ``name``; built, with the ontology added."""
    folder = tmp_path / "authoring"
    shutil.copytree(resources.authoring_dir(), folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    start = text.index(block_of)
    at = text.index(old, start)
    assert at - start < 3000, f"{old!r} is not in the entry of {block_of}"
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    sources, concepts = build.build(folder)
    graph = sources + concepts
    parse_file(resources.path("ontology", "lo.ttl"), into=graph)
    return folder, graph


def _problems(folder: Path, graph: Graph, shapes_graph: Graph) -> list:
    return [p for p in check_graph(graph, shapes_graph, authoring_dir=folder) if p.shape == CHECKS]


def _yaml_line(folder: Path, name: str, cid: str) -> str:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    n = next(i for i, row in enumerate(lines, 1) if re.match(rf"^\s*- id: {re.escape(cid)}\s*$", row))
    return f"{folder / name}:{n}"


@pytest.mark.parametrize("name, cid, old, new, classes", [
    # an organisation named in a mechanism's paragraph made one of its parts
    ("zhonglou.yaml", "- id: org-city-library", "mentioned_in: mechanism-nourishment-supply",
     "part_of: mechanism-nourishment-supply", ("Organisation", "LearningMechanism")),
    # a term the model's introduction uses made a part of the 45231 model (partOf is transitive)
    ("zhonglou.yaml", "- id: notion-systems-engineering", "mentioned_in: model-45231", "part_of: model-45231",
     ("Notion", "Framework")),
    # a figure made a part of the shared vision, so of the model (the §2, 9-12 mistake)
    ("zhonglou.yaml", "- id: result-driving-force", "mentioned_in: vision-zhonglou", "part_of: vision-zhonglou",
     ("Result", "SharedVision")),
])
def test_part_of_only_between_the_classes_allowed(tmp_path, shapes_graph, name, cid, old, new, classes):
    folder, graph = _broken(tmp_path, name, cid, old, new)
    problems = _problems(folder, graph, shapes_graph)
    concept = cid.removeprefix("- id: ")
    assert len(problems) == 1, problems
    assert problems[0].where.startswith(_yaml_line(folder, name, concept))
    assert f"a {classes[0]} cannot be lo:partOf a {classes[1]} ({new.split()[-1]};" in problems[0].message


def test_a_concept_is_part_of_a_section_or_mentioned_in_it_not_both(tmp_path, shapes_graph):
    folder, graph = _broken(tmp_path, "yanbian.yaml", "- id: practice-lead-by-example", "part_of: remedy-leader-role",
                            "part_of: remedy-leader-role\n    mentioned_in: remedy-leader-role")
    problems = _problems(folder, graph, shapes_graph)
    assert len(problems) == 1 and "practice-lead-by-example" in problems[0].where
    assert "both part of and only mentioned in" in problems[0].message


@pytest.mark.parametrize("declare", [
    lambda g: g.add((LO.mentionedIn, RDFS.subPropertyOf, LO.partOf)),
    lambda g: g.add((LO.mentionedIn, RDF.type, OWL.TransitiveProperty)),
])
def test_mentioned_in_never_leads_into_the_model(graph_copy, shapes_graph, declare):
    """A mention made a kind of partOf (or transitive) would make what a section names a part of the model."""
    declare(graph_copy)
    problems = [p for p in check_graph(graph_copy, shapes_graph) if p.shape == CHECKS]
    assert problems and all("lo:mentionedIn must stay a plain, non-transitive relation" in p.message for p in problems)


def test_realises_stays_within_one_article(tmp_path, shapes_graph):
    # Zhonglou did not carry out the Yanbian article's advice: across the articles it is exemplifies
    folder, graph = _broken(tmp_path, "cross.yaml", "- from: layer-roots", "rel: exemplifies", "rel: realises")
    problems = _problems(folder, graph, shapes_graph)
    assert len(problems) == 1 and "layer-roots" in problems[0].where
    assert "lo:realises" in problems[0].message and "crosses the articles" in problems[0].message


@pytest.mark.parametrize("name, entry, old, new, subject, rel", [
    ("zhonglou.yaml", "- id: mechanism-practice-application", "rel: realises\n    to: idea-learning-is-core-of-work",
     "rel: exemplifies\n    to: idea-learning-is-core-of-work", "mechanism-practice-application", "exemplifies"),
    ("cross.yaml", "- from: notion-learning-power-yanbian", "to: notion-learning-power", "to: notion-learning-society-yanbian",
     "notion-learning-power-yanbian", "alignsWith"),
])
def test_exemplifies_and_aligns_with_cross_the_articles(tmp_path, shapes_graph, name, entry, old, new, subject, rel):
    folder, graph = _broken(tmp_path, name, entry, old, new)
    problems = _problems(folder, graph, shapes_graph)
    assert len(problems) == 1 and subject in problems[0].where
    assert f"lo:{rel}" in problems[0].message and "two concepts of one article" in problems[0].message


def test_aligns_with_only_between_concepts_of_one_class(tmp_path, shapes_graph):
    # 思维模式转变 (a notion) and 改善心智模式 (a key project of the model) are alike, not the same thing
    folder, graph = _broken(tmp_path, "cross.yaml", "- from: notion-thinking-patterns-yanbian", "rel: resembles",
                            "rel: alignsWith")
    problems = _problems(folder, graph, shapes_graph)
    assert len(problems) == 1 and "notion-thinking-patterns-yanbian" in problems[0].where
    assert "different classes" in problems[0].message and "project-mental-models" in problems[0].message


def test_a_yanbian_mechanism_and_a_learning_mechanism_may_align(bundled_graph):
    """The two incentive mechanisms the issue found in different classes are now both mechanisms."""
    yanbian, zhonglou = ID["institution-incentive-mechanism-yanbian"], ID["mechanism-incentive"]
    assert (yanbian, LO.alignsWith, zhonglou) in bundled_graph
    assert (yanbian, RDF.type, LO.Mechanism) in bundled_graph
    assert (LO.LearningMechanism, RDFS.subClassOf, LO.Mechanism) in bundled_graph



def test_what_addresses_a_problem_is_something_that_acts_not_a_goal(tmp_path, shapes_graph):
    """The third reading: Zhonglou's aim 激活组织学习的动力 was made what answers Yanbian's problem; the roots
    (the ideas cultivated for that aim) are."""
    folder, graph = _broken(tmp_path, "cross.yaml", "  - from: layer-roots\n    rel: addresses", "from: layer-roots",
                            "from: goal-activate-learning-drive")
    problems = _problems(folder, graph, shapes_graph)
    assert len(problems) == 1, problems
    assert "goal-activate-learning-drive" in problems[0].where
    assert "a Goal cannot be what lo:addresses problem-no-inner-drive" in problems[0].message


def test_every_concept_is_placed_in_the_section_that_lists_or_names_it(tmp_path, shapes_graph):
    """The fourth reading: figures and bodies a section names were left without a place (or tied to it by a
    link drawn as one); a concept says where the text lists it (part_of) or names it (mentioned_in)."""
    folder, graph = _broken(tmp_path, "zhonglou.yaml", "- id: org-district-committee", "  mentioned_in: mechanism-incentive\n", "")
    problems = _problems(folder, graph, shapes_graph)
    assert len(problems) == 1, problems
    assert problems[0].where.startswith(_yaml_line(folder, "zhonglou.yaml", "org-district-committee"))
    assert "is not placed" in problems[0].message
