"""kg/graph/: the views' content, layout, filters, neighbourhoods and paths, and their vis-network payload (no HTTP)."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from kg.catalog import ACROSS_ARTICLES
from kg.graph.model import GraphError, UnknownConcept
from kg.styles import LABEL_MODES
from kg.graph.vis_network import build_network, island_json, payload, vis_data, vis_options

LAYERS = ["layer-roots", "layer-trunk", "layer-branches", "layer-flowers", "layer-fruit"]
COMPONENT_COUNTS = {"LearningIdea": 4, "LearningMechanism": 5, "Branch": 2, "KeyProject": 3, "SharedVision": 1}


# -- the graph itself ------------------------------------------------------------------------------

def test_graph_holds_every_concept_and_relation(cg, catalog):
    # one node per concept, one undirected edge per pair of concepts some relation links
    assert cg.undirected is cg.undirected  # built once
    assert not cg.undirected.is_directed()
    assert set(cg.undirected.nodes) == set(catalog.concepts)
    pairs = {frozenset((e.source, e.target)) for e in catalog.edges if e.source != e.target}
    assert {frozenset(edge) for edge in cg.undirected.edges} == pairs
    # the links between two concepts, either way, with their relation and status
    links = sum(len(cg.links(a, b)) for a, b in cg.undirected.edges)
    assert links == sum(1 for e in catalog.edges if e.source != e.target)
    assert {e.status for a, b in cg.undirected.edges for e in cg.links(a, b)} == {"stated", "inferred"}
    some = next(e for e in catalog.edges if e.source != e.target)
    assert some in cg.links(some.source, some.target) and some in cg.links(some.target, some.source)


def test_resolve_by_id_or_label(cg):
    assert cg.resolve("layer-trunk") == "layer-trunk"
    assert cg.resolve("团队学习机制") == "mechanism-team-learning"
    assert cg.resolve("team learning mechanism") == "mechanism-team-learning"
    with pytest.raises(UnknownConcept):
        cg.resolve("no-such-concept")


# -- tree -------------------------------------------------------------------------------------------

def test_tree_has_model_layers_and_all_fifteen_components(cg):
    view = cg.tree()
    ids = view.node_ids
    assert "model-45231" in ids and set(LAYERS) <= ids
    counts = defaultdict(int)
    for n in view.nodes:
        counts[n.cls] += 1
    for cls, count in COMPONENT_COUNTS.items():
        assert counts[cls] == count, cls
    assert sum(1 for n in view.nodes if n.role == "component") == 15
    # practices of the components are there too
    assert {"practice-weekend-class", "practice-monthly-lecture", "method-recharging"} <= ids
    legend = {item.cls: item.count for item in view.legend}
    assert legend["LearningMechanism"] == 5 and legend["Practice"] >= 10


def test_tree_roots_at_the_bottom_fruit_at_the_top(cg):
    view = cg.tree()
    assert view.layout["mode"] == "hierarchical"
    assert view.layout["direction"] == "DU"  # level 0 is drawn at the bottom
    assert view.layout["physics"] is False
    level = {n.id: n.level for n in view.nodes}
    assert all(isinstance(v, int) for v in level.values())
    layer_levels = [level[layer] for layer in LAYERS]
    assert layer_levels == sorted(layer_levels) and len(set(layer_levels)) == 5
    bands = view.layout["bands"]
    assert [b["id"] for b in bands] == LAYERS
    # every band has its own levels, in order, with an empty level between two bands
    for lower, upper in zip(bands, bands[1:]):
        assert max(lower["levels"]) + 1 < min(upper["levels"])
    # every node of the roots' band is below every node of the fruit's band
    band_of = {lvl: b["id"] for b in bands for lvl in b["levels"]}
    roots = [n for n in view.nodes if band_of.get(n.level) == "layer-roots"]
    fruit = [n for n in view.nodes if band_of.get(n.level) == "layer-fruit"]
    assert {n.cls for n in roots} >= {"LearningIdea", "FrameworkPart"}
    assert "SharedVision" in {n.cls for n in fruit}
    assert max(n.level for n in roots) < min(n.level for n in fruit)
    # the model is the ground under the roots; the ideas hang below their layer, other parts grow upwards
    assert level["model-45231"] < min(n.level for n in roots)
    assert level["idea-learning-creates-happiness"] < level["layer-roots"]
    assert level["layer-trunk"] < level["mechanism-team-learning"] < level["practice-weekend-class"]
    assert level["vision-zhonglou"] < level["goal-team-visions"]
    # every node sits in exactly one level, each level belongs to one band
    assert len(level) == len(view.nodes)


def test_tree_levels_keep_nodes_apart(cg, catalog):
    """vis-network places nodes of one level nodeSpacing apart (centre to centre): wider boxes would overlap."""
    view = cg.tree()
    options = vis_options(view)
    hier = options["layout"]["hierarchical"]
    assert hier["enabled"] and hier["direction"] == "DU" and options["physics"]["enabled"] is False
    box = options["nodes"]["widthConstraint"]["maximum"] + options["nodes"]["margin"]["left"] \
        + options["nodes"]["margin"]["right"] + 2 * options["nodes"]["borderWidth"]
    assert hier["nodeSpacing"] > box
    # no level is too crowded to fit: the widest level is at most 15 nodes
    per_level = defaultdict(list)
    for n in view.nodes:
        per_level[n.level].append(n.id)
    assert max(len(v) for v in per_level.values()) <= 15
    for ids in per_level.values():
        assert len(ids) == len(set(ids))
    data = vis_data(view, catalog)
    assert all("level" in n for n in data["nodes"])


# -- chain ------------------------------------------------------------------------------------------

def test_chain_columns_significance_problem_remedy(cg):
    view = cg.chain()
    mains = [n for n in view.nodes if n.role == "main"]
    by_cls = defaultdict(list)
    for n in mains:
        by_cls[n.cls].append(n)
    assert (len(by_cls["Significance"]), len(by_cls["Problem"]), len(by_cls["Remedy"])) == (3, 3, 6)
    xs = {cls: {n.x for n in nodes} for cls, nodes in by_cls.items()}
    assert max(xs["Significance"]) < min(xs["Problem"]) and max(xs["Problem"]) < min(xs["Remedy"])
    assert view.layout["mode"] == "preset" and [c["class"] for c in view.layout["columns"]] == \
        ["Significance", "Problem", "Remedy"]
    rels = {(e.relation, view.node(e.source).cls, view.node(e.target).cls) for e in view.edges}
    assert ("hinders", "Problem", "Significance") in rels
    assert ("addresses", "Remedy", "Problem") in rels
    # with their points, and no two nodes in one place
    assert any(n.role == "point" for n in view.nodes)
    assert {"symptom-absent-minded", "role-learner", "practice-lead-by-example"} <= view.node_ids
    places = [(round(n.x), round(n.y)) for n in view.nodes]
    assert len(places) == len(set(places))
    rows = defaultdict(list)
    for n in view.nodes:
        rows[round(n.y)].append(n.x)
    for row in rows.values():
        row.sort()
        assert all(b - a >= 180 for a, b in zip(row, row[1:]))


# -- cross ------------------------------------------------------------------------------------------

def test_cross_links_the_articles_through_the_disciplines(cg, catalog):
    view = cg.cross()
    ids = view.node_ids
    disciplines = {c.id for c in catalog.concepts.values() if c.cls == "Discipline"}
    assert len(disciplines) == 5 and disciplines <= ids
    articles = {n.article for n in view.nodes}
    assert {"zhonglou", "yanbian"} <= articles
    rels = {e.relation for e in view.edges}
    assert {"embodies", "alignsWith", "resembles", "exemplifies"} <= rels
    for e in view.edges:
        if e.relation in ACROSS_ARTICLES:
            assert view.node(e.source).article != view.node(e.target).article
        else:
            assert e.relation == "embodies" and e.target in disciplines
    # Zhonglou left, disciplines in the middle, Yanbian right; no two nodes in one place
    for n in view.nodes:
        if n.cls == "Discipline":
            assert n.x == 0
        elif n.article == "zhonglou":
            assert n.x < 0
        else:
            assert n.x > 0
    places = [(n.x, n.y) for n in view.nodes]
    assert len(places) == len(set(places))
    assert ("mechanism-team-learning", "discipline-team-learning") in {(e.source, e.target) for e in view.edges}


# -- neighbourhood, whole ---------------------------------------------------------------------------

def test_neighbourhood_depth(cg):
    one = cg.neighbourhood("mechanism-team-learning", 1)
    two = cg.neighbourhood("mechanism-team-learning", 2)
    assert one.node_ids < two.node_ids
    assert one.node_ids == {"mechanism-team-learning"} | set(cg.undirected["mechanism-team-learning"])
    # either direction: a part (points in) and what it belongs to (points out)
    assert {"practice-weekend-class", "layer-trunk"} <= one.node_ids
    centre = [n for n in one.nodes if n.role == "centre"]
    assert [n.id for n in centre] == ["mechanism-team-learning"]
    assert one.params["depth"] == 1 and one.params["concept"] == "mechanism-team-learning"
    assert all(n.level <= 2 for n in two.nodes)


def test_neighbourhood_errors(cg):
    with pytest.raises(UnknownConcept):
        cg.neighbourhood("no-such-concept", 1)
    with pytest.raises(KeyError):  # UnknownConcept is a KeyError
        cg.neighbourhood("no-such-concept", 1)
    for depth in (0, 4, -1):
        with pytest.raises(GraphError):
            cg.neighbourhood("layer-trunk", depth)
    with pytest.raises(GraphError):
        cg.view("neighbourhood")  # no concept


def test_whole(cg, catalog):
    view = cg.whole()
    assert len(view.nodes) == len(catalog.concepts)
    assert len(view.edges) == len(catalog.edges)
    assert view.layout["mode"] == "physics"


# -- filters ----------------------------------------------------------------------------------------

def test_relation_filter(cg):
    view = cg.tree(relations=["feeds"])
    assert view.edges and {e.relation for e in view.edges} == {"feeds"}
    assert set(LAYERS) <= view.node_ids
    assert "practice-weekend-class" not in view.node_ids  # no feeds link: dropped
    assert view.params["relation"] == ["feeds"]
    with pytest.raises(GraphError):
        cg.tree(relations=["noSuchRelation"])


def test_class_filter_includes_subclasses(cg, catalog):
    view = cg.tree(classes=["ModelComponent"])
    classes = {n.cls for n in view.nodes if n.id != "model-45231"}
    assert classes == set(COMPONENT_COUNTS)
    assert all(catalog.is_subclass(c, "ModelComponent") for c in classes)
    assert len([n for n in view.nodes if n.cls in COMPONENT_COUNTS]) == 15
    for e in view.edges:
        assert e.source in view.node_ids and e.target in view.node_ids
    only = cg.whole(classes=["Discipline"])
    assert {n.cls for n in only.nodes} == {"Discipline"}
    with pytest.raises(GraphError):
        cg.whole(classes=["NoSuchClass"])


def test_neighbourhood_follows_only_the_given_relations(cg):
    view = cg.neighbourhood("mechanism-team-learning", 1, relations=["embodies"])
    assert view.node_ids == {"mechanism-team-learning", "discipline-team-learning"}


# -- paths ------------------------------------------------------------------------------------------

def _check_path(catalog, path, a, b):
    assert path.nodes[0] == a and path.nodes[-1] == b
    assert len(set(path.nodes)) == len(path.nodes)  # simple
    stated = {(e.source, e.relation, e.target) for e in catalog.edges}
    for step, x, y in zip(path.steps, path.nodes, path.nodes[1:]):
        assert (step.source, step.target) == (x, y)
        if step.direction == "forward":
            assert (x, step.relation, y) in stated
        else:
            assert step.direction == "backward" and (y, step.relation, x) in stated


def test_paths_between_a_mechanism_and_a_remedy(cg, catalog):
    result = cg.paths("mechanism-team-learning", "remedy-step-by-step", k=3, max_length=6)
    assert 1 <= len(result.paths) <= 3
    lengths = [p.length for p in result.paths]
    assert lengths == sorted(lengths) and max(lengths) <= 6
    for path in result.paths:
        _check_path(catalog, path, "mechanism-team-learning", "remedy-step-by-step")
    # the union of the paths as a view, source left, target right
    ids = {c for p in result.paths for c in p.nodes}
    assert result.view.node_ids == ids
    assert result.view.node("mechanism-team-learning").x < result.view.node("remedy-step-by-step").x
    assert all(e.id for e in result.view.edges)


def test_paths_read_as_chains(cg, catalog):
    result = cg.paths("mechanism-team-learning", "remedy-step-by-step", k=5)
    zh = [p.chain(catalog, "zh") for p in result.paths]
    en = [p.chain(catalog, "en") for p in result.paths]
    assert all(c.startswith("团队学习机制 ") and c.endswith("循序渐进，推动机关学习不断向纵深发展") for c in zh)
    assert all(c.startswith("Team learning mechanism ") for c in en)
    assert any("—属于→" in c or "←属于—" in c for c in zh)
    assert any("part of" in c for c in en)
    data = result.paths[0].as_dict(catalog, "en")
    assert data["chain"] == en[0] and data["chains"]["zh"] == zh[0]
    step = data["steps"][0]
    assert step["direction"] in ("forward", "backward") and step["label"]["zh"] and step["reading"]["en"]
    backward = [s for p in result.paths for s in p.steps if s.direction == "backward" and s.relation == "partOf"]
    if backward:
        assert backward[0].as_dict(catalog)["reading"]["en"] == "has part"


def test_paths_respect_relation_filter_and_max_length(cg, catalog):
    rels = ["partOf", "exemplifies"]
    result = cg.paths("mechanism-team-learning", "remedy-step-by-step", k=5, max_length=8, relations=rels)
    assert result.paths
    for path in result.paths:
        assert {s.relation for s in path.steps} <= set(rels)
        assert path.length <= 8
        _check_path(catalog, path, "mechanism-team-learning", "remedy-step-by-step")
    assert cg.paths("mechanism-team-learning", "remedy-step-by-step", max_length=1).paths == []
    assert cg.paths("mechanism-team-learning", "discipline-systems-thinking", relations=["hinders"]).paths == []


def test_paths_errors(cg):
    with pytest.raises(UnknownConcept):
        cg.paths("mechanism-team-learning", "nope")
    for k in (0, 11):
        with pytest.raises(GraphError):
            cg.paths("mechanism-team-learning", "remedy-step-by-step", k=k)
    with pytest.raises(GraphError):
        cg.paths("mechanism-team-learning", "remedy-step-by-step", max_length=0)
    with pytest.raises(GraphError):
        cg.paths("layer-trunk", "layer-trunk")


# -- network (pyvis data, no pyvis template) -----------------------------------------------------------

def test_network_is_built_with_pyvis_and_styled_by_class(cg, catalog):
    from pyvis.network import Network

    view = cg.tree()
    net = build_network(view, catalog, "both")
    assert isinstance(net, Network)
    assert len(net.nodes) == len(view.nodes) and len(net.edges) == len(view.edges)
    node = next(n for n in net.nodes if n["id"] == "mechanism-team-learning")
    assert node["label"] == "团队学习机制\nTeam learning mechanism"
    assert node["group"] == "LearningMechanism" and node["level"] == view.node("mechanism-team-learning").level
    assert isinstance(node["title"], str) and "团队学习机制" in node["title"]
    options = vis_data(view, catalog)["options"]
    assert options["groups"]["LearningMechanism"]["color"]["background"]
    assert options["nodes"]["font"]["multi"] is False  # labels are never parsed as markup
    inferred = [e for e in net.edges if e["status"] == "inferred"]
    assert inferred and all(e["dashes"] for e in inferred)
    assert not any(e["dashes"] for e in net.edges if e["status"] == "stated")
    with pytest.raises(ValueError):
        build_network(view, catalog, "fr")
    for mode in LABEL_MODES:  # every mode the pages offer draws a label on every node
        assert all(node["label"] for node in build_network(view, catalog, mode).nodes)


def test_payload_and_island(cg, catalog):
    data = payload(cg.tree(), catalog, "zh", concept_url=lambda cid: f"/concepts/{cid}")
    node = next(n for n in data["nodes"] if n["id"] == "mechanism-team-learning")
    assert node["url"] == "/concepts/mechanism-team-learning"
    assert node["definition"]["zh"] and node["quote"]["text"] and node["class_label"]["en"]
    assert all(item["color"].startswith("#") for item in data["legend"])
    text = island_json({"label": "</script><script>alert(1)</script> & <img src=x>"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["label"] == "</script><script>alert(1)</script> & <img src=x>"
    json.dumps(data)  # JSON-safe throughout


# -- words from the UI catalogue ----------------------------------------------------------------------------

def test_view_titles_and_tooltips_come_from_the_catalogue(cg, catalog):
    from kg.catalog import Bilingual
    from kg.graph.concept_graph import VIEW_TEXTS
    from kg.graph.vis_network import edge_title
    from kg.i18n import pair

    for name in ("tree", "chain", "cross", "whole"):
        view = cg.view(name)
        assert view.title == Bilingual(*pair(VIEW_TEXTS[name][0])) and view.title.zh and view.title.en
        assert view.description == Bilingual(*pair(VIEW_TEXTS[name][1]))
    one = cg.neighbourhood("mechanism-team-learning", 1).title
    assert one == Bilingual("团队学习机制 的邻域（1 步）", "Neighbourhood of Team learning mechanism (1 hop)")
    assert cg.neighbourhood("mechanism-team-learning", 2).title.en.endswith("(2 hops)")
    middle = cg.cross().layout["columns"][1]["label"]
    assert (middle["zh"], middle["en"]) == pair("graph.column.disciplines")
    inferred = next(e for e in cg.whole().edges if e.status == "inferred")
    assert edge_title(inferred, catalog).endswith(" · 推断 inferred")
    stated = next(e for e in cg.whole().edges if e.status == "stated")
    assert edge_title(stated, catalog).endswith(" · 原文 stated")
