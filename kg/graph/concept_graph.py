"""The concept graph: the concepts and their relations as a networkx graph, the views built on it (the 45231
tree, the Yanbian chain, the cross-article view, neighbourhoods, the whole graph) and the shortest paths
between two concepts.  No HTTP here.

``ConceptGraph(catalog)`` is built once at load (``Explorer.concept_graph``).  It keeps
``undirected``: a simple undirected networkx ``Graph`` of the concepts, an edge wherever some relation
links two of them (either way), for the graph algorithms (distances, shortest simple paths).  Its edges
carry no attributes: the relations between two concepts, their direction and status, are read from the
catalog's own links (:meth:`ConceptGraph.links`).  One attribute dict per edge and a directed copy of the
graph took three quarters of the index memory at a million triples (300 MB); the catalog holds the
same facts once.  It is built once: ``ego_graph(undirected=True)`` would copy the whole graph on every
call.

Every view is returned as a :class:`kg.graph.model.GraphView` (title, nodes, edges, legend of the classes
present, layout hints); where the nodes of the drawn views go is :mod:`kg.graph.layouts`' job, how
vis-network draws them :mod:`kg.graph.vis_network`'s.  The views' titles and descriptions are the UI
catalogue's (``graph.view.*``).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import islice

import networkx as nx

from kg.catalog import Bilingual, Catalog, Concept, Edge
from kg.graph.layouts import MODEL_ID, YANBIAN_ID, chain_layout, cross_layout, paths_layout, tree_layout
from kg.graph.model import (AmbiguousConcept, GraphEdge, GraphError, GraphNode, GraphPath, GraphView, LegendItem,
                            PathResult, PathStep, UnknownConcept, UnknownView)
from kg.i18n import Message, pair, t
from kg.paging import Page, page_by_offset
from kg.styles import GRAPH_VIEWS

DEPTH_RANGE = (1, 3)
#: the most concepts one response of the whole graph or a neighbourhood holds; the rest come
#: page by page ("show more"), so a browser is never handed thousands of nodes at once
NODE_LIMIT = 300
LIMIT_RANGE = (1, 500)
K_RANGE = (1, 10)
MAX_LENGTH_RANGE = (1, 10)

#: which catalog edge to show for a path step when two concepts are linked more than once
_STATUS_RANK = {"stated": 0, "inferred": 1}
_RELATION_RANK = {"relatedTo": 9, "mentionedIn": 7, "resembles": 6, "alignsWith": 5, "partOf": 3}

#: each view's title and description: keys of the UI catalogue
VIEW_TEXTS = {
    "tree": ("graph.view.tree.title", "graph.view.tree.description"),
    "chain": ("graph.view.chain.title", "graph.view.chain.description"),
    "cross": ("graph.view.cross.title", "graph.view.cross.description"),
    "whole": ("graph.view.whole.title", "graph.view.whole.description"),
    "neighbourhood": ("graph.view.neighbourhood.title", "graph.view.neighbourhood.description"),
    "paths": ("graph.view.paths.title", "graph.view.paths.description"),
}

#: classes in legend order: the model from root to fruit, then Yanbian's chain, then the rest
CLASS_ORDER = ("Framework", "FrameworkPart", "LearningIdea", "LearningMechanism", "Branch", "KeyProject",
               "SharedVision", "Significance", "Problem", "Remedy", "Theory", "Discipline", "Practice", "Method",
               "Mechanism", "Institution", "Plan", "Organisation", "Principle", "Role", "Goal", "Result", "Figure", "Slogan", "Symptom", "Cause",
               "Notion")


def _hold(names: dict[str, str | tuple[str, ...]], texts, cid: str) -> None:
    """Record that ``cid`` has these names: a name held by one concept maps to its id, one held by
    several to a tuple of theirs (a plain string each saves a list per name at a million triples)."""
    for text in {t.casefold() for t in texts if t}:
        held = names.get(text)
        names[text] = cid if held is None else (held if isinstance(held, tuple) else (held,)) + (cid,)


def _view_texts(name: str) -> tuple[Bilingual, Bilingual]:
    if name not in VIEW_TEXTS:
        return Bilingual(name, name), Bilingual()
    title, description = VIEW_TEXTS[name]
    return Bilingual(*pair(title)), Bilingual(*pair(description))


class ConceptGraph:
    """The concepts and their relations as networkx graphs, and the views built on them."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        undirected = nx.Graph()
        undirected.add_nodes_from(catalog.concepts)
        undirected.add_edges_from((e.source, e.target) for e in catalog.edges if e.source != e.target)
        self.undirected = undirected
        self.relation_names = sorted({e.relation for e in catalog.edges}
                                     | {t.id for t in catalog.terms.values() if t.kind == "ObjectProperty"})
        self.class_names = sorted({c.cls for c in catalog.concepts.values()} | set(catalog.superclass))
        # exact names → concept ids: preferred labels first, alternative labels only where no
        # preferred label has the name (共同愿景 is one concept's label and another's alternative)
        self._by_label: dict[str, str | tuple[str, ...]] = {}
        self._by_alt: dict[str, str | tuple[str, ...]] = {}
        for c in sorted(catalog.concepts.values(), key=lambda c: c.id):
            _hold(self._by_label, (c.label.zh, c.label.en), c.id)
            _hold(self._by_alt, (*c.alt.get("zh", []), *c.alt.get("en", [])), c.id)

    # -- helpers -------------------------------------------------------------

    def concept(self, cid: str) -> Concept:
        try:
            return self.catalog.concepts[cid]
        except KeyError:
            raise UnknownConcept(cid) from None

    def resolve(self, text: str) -> str:
        """A concept id from an id or an exact label (zh or en; an alternative label when no preferred
        label has the name). UnknownConcept when nothing has the name, AmbiguousConcept when several
        concepts do (学习力 is a concept of each article)."""
        text = (text or "").strip()
        if text in self.catalog.concepts:
            return text
        for names in (self._by_label, self._by_alt):
            found = names.get(text.casefold())
            if isinstance(found, str):
                return found
            if found:
                raise AmbiguousConcept(text, list(found))
        raise UnknownConcept(text)

    def check_relations(self, relations) -> list[str] | None:
        return _known("relation", relations, self.relation_names)

    def check_classes(self, classes) -> list[str] | None:
        return _known("class", classes, self.class_names)

    def _node(self, cid: str, **extra) -> GraphNode:
        return GraphNode.of(self.catalog.concepts[cid], **extra)

    def _legend(self, nodes: list[GraphNode]) -> list[LegendItem]:
        counts: dict[str, int] = defaultdict(int)
        for n in nodes:
            counts[n.cls] += 1
        order = {name: i for i, name in enumerate(CLASS_ORDER)}
        return [LegendItem(cls, Bilingual(self.catalog.term_label(cls, "zh"), self.catalog.term_label(cls, "en")),
                           count)
                for cls, count in sorted(counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))]

    def _finish(self, name: str, nodes: list[GraphNode], edges: list[GraphEdge], layout: dict,
                relations=None, classes=None, anchors: set[str] = frozenset(), **params) -> GraphView:
        """Apply the filters, then build the legend.

        A class filter keeps the concepts of those classes (or their subclasses) and the links among them;
        a relation filter keeps only links of those relations and, used alone, only the concepts they link.
        ``anchors`` (the model, a neighbourhood's centre, a path's ends ...) always stay.
        """
        relations = self.check_relations(relations)
        classes = self.check_classes(classes)
        if classes:
            nodes = [n for n in nodes if n.id in anchors
                     or any(self.catalog.is_subclass(n.cls, c) for c in classes)]
            kept = {n.id for n in nodes}
            edges = [e for e in edges if e.source in kept and e.target in kept]
        if relations:
            edges = [e for e in edges if e.relation in relations]
            if not classes:  # a relation filter alone keeps the concepts those relations link
                linked = {e.source for e in edges} | {e.target for e in edges}
                nodes = [n for n in nodes if n.id in linked or n.id in anchors]
        seen, unique = set(), []
        for e in edges:
            if e.id not in seen:
                seen.add(e.id)
                unique.append(e)
        params = {k: v for k, v in params.items() if v is not None}
        params.update({"relation": relations or [], "class": classes or []})
        title, description = _view_texts(name)
        return GraphView(name, title, nodes, unique, self._legend(nodes), layout, description, params)

    # -- the built-in views ---------------------------------------------------

    def tree(self, relations=None, classes=None) -> GraphView:
        """The 45231 model as a tree, roots at the bottom and fruit at the top (:func:`layouts.tree_layout`)."""
        self.concept(MODEL_ID)
        nodes, layout = tree_layout(self.catalog)
        edges = self._edges_reaching({n.id for n in nodes}, set())
        return self._finish("tree", nodes, edges, layout, relations, classes, anchors={MODEL_ID})

    def chain(self, relations=None, classes=None) -> GraphView:
        """Yanbian: significances | problems | remedies as three columns, each item with its points below it."""
        self.concept(YANBIAN_ID)
        nodes, layout = chain_layout(self.catalog)
        edges = self._edges_reaching({n.id for n in nodes}, set())
        mains = {n.id for n in nodes if n.role == "main"}
        return self._finish("chain", nodes, edges, layout, relations, classes, anchors=mains)

    def cross(self, relations=None, classes=None) -> GraphView:
        """Zhonglou (left) and Yanbian (right) linked through Senge's five disciplines (middle)."""
        nodes, links, layout = cross_layout(self.catalog)
        disciplines = {n.id for n in nodes if n.role == "discipline"}
        return self._finish("cross", nodes, [GraphEdge.of(e) for e in links], layout, relations, classes,
                            anchors=disciplines)

    def neighbourhood(self, concept_id: str, depth: int = 1, relations=None, classes=None,
                      offset: int = 0, limit: int = NODE_LIMIT) -> GraphView:
        """The concept and the concepts within ``depth`` hops of it, following links in either
        direction: nearest first, then the best-connected.  At most ``limit`` of them besides the
        centre, from ``offset``; a page's links also reach the concepts of the pages before it."""
        self.concept(concept_id)
        depth = _in_range("depth", depth, DEPTH_RANGE)
        rels = self.check_relations(relations)
        graph = self._filtered(rels)
        distance = nx.single_source_shortest_path_length(graph, concept_id, cutoff=depth)
        degree = self.undirected.degree
        ranked = sorted((cid for cid in distance if cid != concept_id),
                        key=lambda cid: (distance[cid], -degree[cid], cid))
        shown, page = self._page(ranked, offset, limit)
        nodes = [self._node(concept_id, level=0, role="centre")] + [self._node(cid, level=distance[cid])
                                                                    for cid in shown]
        earlier = set(ranked[:page.offset])
        if page.offset:  # the centre was shown by the first page, with its links to it
            edges = self._edges_reaching(set(shown), earlier | {concept_id}, rels)
        else:
            edges = self._edges_reaching(set(shown) | {concept_id}, earlier, rels)
        layout = {"mode": "physics", "physics": True, "edgeLabels": len(edges) <= 40, "centre": concept_id}
        view = self._finish("neighbourhood", nodes, edges, layout, rels, classes, anchors={concept_id},
                            concept=concept_id, depth=depth)
        view.page = page
        label = self.catalog.concepts[concept_id].label
        view.title = Bilingual(t("graph.view.neighbourhood_of", "zh", label=label.zh, n=depth),
                               t("graph.view.neighbourhood_of", "en", label=label.en, n=depth))
        return view

    def whole(self, relations=None, classes=None, offset: int = 0, limit: int | None = None) -> GraphView:
        """Every concept and link; on a graph larger than ``limit`` (default :data:`NODE_LIMIT`),
        a page of the best-connected concepts, the next page from ``offset``."""
        degree = self.undirected.degree
        ranked = sorted(self.catalog.concepts, key=lambda cid: (-degree[cid], cid))
        if limit is None and len(ranked) <= NODE_LIMIT:
            shown, page, earlier = sorted(ranked), None, set()
        else:
            shown, page = self._page(ranked, offset, NODE_LIMIT if limit is None else limit)
            earlier = set(ranked[:page.offset])
        edges = self._edges_reaching(set(shown), earlier)
        nodes = [self._node(cid) for cid in shown]
        layout = {"mode": "physics", "physics": True, "edgeLabels": False, "solver": "forceAtlas2Based"}
        view = self._finish("whole", nodes, edges, layout, relations, classes)
        view.page = page
        return view

    @staticmethod
    def _page(ranked: list[str], offset: int, limit: int) -> tuple[list[str], Page]:
        limit = _in_range("limit", limit, LIMIT_RANGE)
        offset = _in_range("offset", offset, (0, max(len(ranked), 0)))
        return page_by_offset(ranked, offset, limit)

    def _edges_reaching(self, ids: set[str], earlier: set[str], relations: list[str] | None = None) -> list[GraphEdge]:
        """Links among ``ids``, and between ``ids`` and ``earlier`` (concepts already shown by
        earlier pages), read from each concept's own links rather than a scan of all of them."""
        reach = ids | earlier
        out = []
        for cid in ids:
            for e in self.catalog.out_edges(cid):
                if e.target in reach and (relations is None or e.relation in relations):
                    out.append(GraphEdge.of(e))
            for e in self.catalog.in_edges(cid):
                if e.source in earlier and (relations is None or e.relation in relations):
                    out.append(GraphEdge.of(e))
        return sorted(out, key=lambda e: (e.source, e.relation, e.target))

    def view(self, name: str, concept: str | None = None, depth: int = 1, relations=None,
             classes=None, offset: int = 0, limit: int | None = None) -> GraphView:
        """Any built-in view by name (``neighbourhood`` needs ``concept``); the neighbourhood and
        the whole graph come in pages of at most ``limit`` concepts."""
        if name == "neighbourhood":
            if not concept:
                raise GraphError(Message("needs_concept"))
            return self.neighbourhood(concept, depth, relations, classes, offset,
                                      NODE_LIMIT if limit is None else limit)
        if name == "whole":
            return self.whole(relations, classes, offset, limit)
        if name not in GRAPH_VIEWS:
            raise UnknownView(name)
        return getattr(self, name)(relations=relations, classes=classes)

    # -- paths ------------------------------------------------------------------

    def _filtered(self, relations: list[str] | None):
        if not relations:
            return self.undirected
        wanted = set(relations)
        return nx.subgraph_view(self.undirected,
                                filter_edge=lambda u, v: any(e.relation in wanted for e in self.links(u, v)))

    def links(self, a: str, b: str) -> list[Edge]:
        """The catalog's links between two concepts, either way (self-links excluded)."""
        if a == b:
            return []
        return ([e for e in self.catalog.out_edges(a) if e.target == b]
                + [e for e in self.catalog.out_edges(b) if e.target == a])

    def _step(self, a: str, b: str, relations: list[str] | None) -> PathStep:
        links = [e for e in self.links(a, b) if relations is None or e.relation in relations]
        best = min(links, key=lambda e: (_STATUS_RANK.get(e.status, 2), _RELATION_RANK.get(e.relation, 0),
                                         e.relation, e.source != a))
        direction = "forward" if best.source == a else "backward"
        return PathStep(a, best.relation, b, direction, best.status)

    def paths(self, a: str, b: str, k: int = 3, max_length: int = 6, relations=None,
              classes=None) -> PathResult:
        """The ``k`` shortest simple paths between two concepts (ignoring direction), at most ``max_length``
        hops each, optionally only along the given relations; and a view of their union."""
        self.concept(a)
        self.concept(b)
        k = _in_range("k", k, K_RANGE)
        max_length = _in_range("max_length", max_length, MAX_LENGTH_RANGE)
        rels = self.check_relations(relations)
        if a == b:
            raise GraphError(Message("same_concept"))
        graph = self._filtered(rels)
        found: list[GraphPath] = []
        try:
            for nodes in islice(nx.shortest_simple_paths(graph, a, b), k):
                if len(nodes) - 1 > max_length:
                    break
                steps = [self._step(x, y, rels) for x, y in zip(nodes, nodes[1:])]
                found.append(GraphPath(list(nodes), steps))
        except nx.NetworkXNoPath:
            pass
        view = self._paths_view(a, b, found, rels, classes, k=k, max_length=max_length)
        return PathResult(a, b, k, max_length, rels or [], found, view)

    def _paths_view(self, a: str, b: str, found: list[GraphPath], relations, classes, **params) -> GraphView:
        nodes, layout = paths_layout(self.catalog, a, b, found)
        edges = [s.edge for p in found for s in p.steps]
        view = self._finish("paths", nodes, edges, layout, None, classes, anchors={a, b},
                            **{"from": a, "to": b}, **params)
        view.params["relation"] = relations or []
        return view


def _known(kind: str, values, known: list[str]) -> list[str] | None:
    """``values`` without blanks and repeats (None when that leaves nothing); an unknown one is a GraphError."""
    names = [v for v in dict.fromkeys(values or ()) if v]
    unknown = [v for v in names if v not in known]
    if unknown:
        raise GraphError(Message("unknown_relation" if kind == "relation" else "unknown_class_filter", name=unknown[0], known=", ".join(known)))
    return names or None


def _in_range(name: str, value, bounds: tuple[int, int]) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise GraphError(Message("not_a_number", name=name, low=bounds[0], high=bounds[1])) from None
    if not bounds[0] <= number <= bounds[1]:
        raise GraphError(Message("out_of_range", name=name, low=bounds[0], high=bounds[1], value=number))
    return number


__all__ = ["CLASS_ORDER", "DEPTH_RANGE", "K_RANGE", "LIMIT_RANGE", "MAX_LENGTH_RANGE", "NODE_LIMIT", "VIEW_TEXTS",
           "ConceptGraph"]
