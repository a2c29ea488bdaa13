"""Graph views of the catalog: the 45231 tree, the Yanbian chain, the cross-article view,
neighbourhoods, the whole graph, and paths between two concepts.  No HTTP here.

``ConceptGraph(catalog)`` is built once at load (``Explorer.concept_graph``).  It keeps
``undirected``: a simple undirected networkx ``Graph`` of the concepts, an edge wherever some relation
links two of them (either way), for the graph algorithms (distances, shortest simple paths).  Its edges
carry no attributes: the relations between two concepts, their direction and status, are read from the
catalog's own links (:meth:`ConceptGraph.links`).  One attribute dict per edge and a directed copy of the
graph took three quarters of the index memory at a million triples (300 MB); the catalog holds the
same facts once.  It is built once: ``ego_graph(undirected=True)`` would copy the whole graph on every
call.

Every view is returned as a :class:`GraphView` (title, nodes, edges, legend of the classes present,
layout hints).  Drawing is :mod:`kg.network`'s job; the layout hints say how:

* ``hierarchical``: vis-network's hierarchical layout with an explicit ``level`` per node
  (the tree: direction ``DU``, level 0 at the bottom, so the roots are lowest and the fruit highest);
* ``preset``: fixed ``x``/``y`` per node computed here (the chain's three columns, the cross view, paths);
* ``physics``: a force layout (neighbourhood, whole graph).

Errors: an unknown concept raises :class:`UnknownConcept` (a ``KeyError``; the API answers 404),
a bad parameter (depth outside 1..3, k outside 1..10, an unknown relation or class) raises
:class:`GraphError` (a ``ValueError``; the API answers 400).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

import networkx as nx

from kg.catalog import Bilingual, Catalog, Concept, Edge
from kg.styles import GRAPH_VIEWS as VIEWS

MODEL_ID = "model-45231"
YANBIAN_ID = "framework-yanbian"
DEPTH_RANGE = (1, 3)
#: the most concepts one response of the whole graph or a neighbourhood holds; the rest come
#: page by page ("show more"), so a browser is never handed thousands of nodes at once
NODE_LIMIT = 300
LIMIT_RANGE = (1, 500)
K_RANGE = (1, 10)
MAX_LENGTH_RANGE = (1, 10)

#: which catalog edge to show for a path step when two concepts are linked more than once
_STATUS_RANK = {"stated": 0, "inferred": 1}
_RELATION_RANK = {"relatedTo": 9, "alignsWith": 5, "partOf": 3}

TITLES = {
    "tree": Bilingual("“45231”树状模型:根、干、枝、花、果",
                      'The "45231" tree model: roots, trunk, branches, flowers, fruit'),
    "chain": Bilingual("延边:重要意义 → 存在的问题 → 对策",
                       "Yanbian: significance → problems → remedies"),
    "cross": Bilingual("两篇文章与五项修炼", "The two articles and the five disciplines"),
    "whole": Bilingual("全部概念与关系", "Every concept and relation"),
    "neighbourhood": Bilingual("概念邻域", "Neighbourhood of a concept"),
    "paths": Bilingual("两个概念之间的路径", "Paths between two concepts"),
}
DESCRIPTIONS = {
    "tree": Bilingual("根(四种学习理念)在最下,果(共同愿景)在最上;每层列出其要素及要素的做法。",
                      "Roots (four learning ideas) at the bottom, fruit (shared vision) at the top; "
                      "each layer with its components and their practices."),
    "chain": Bilingual("从左到右:重要意义 | 存在的问题 | 对策。问题“阻碍”意义,对策“针对”问题;每项下列出其要点。",
                       "Left to right: significance | problems | remedies. Problems hinder the significance, "
                       "remedies address the problems; each with its points."),
    "cross": Bilingual("左为钟楼“45231”模型,右为延边文章,中间是圣吉的五项修炼;连线为“体现”“对应”“落实”。",
                       "Zhonglou's 45231 model on the left, the Yanbian article on the right, Senge's five "
                       "disciplines in the middle; linked by embodies, aligns with and realises."),
    "whole": Bilingual("所有概念和关系;虚线为编者推断的关系。",
                       "All concepts and relations; dashed lines are links the editors inferred."),
    "neighbourhood": Bilingual("该概念及其若干步之内(任一方向)的概念。",
                               "The concept and everything within a few hops of it, in either direction."),
    "paths": Bilingual("两个概念之间最短的几条路径(不计方向)。",
                       "The shortest paths between two concepts, in either direction."),
}


class GraphError(ValueError):
    """A bad parameter: the API answers 400."""


def _hold(names: dict[str, str | tuple[str, ...]], texts, cid: str) -> None:
    """Record that ``cid`` has these names: a name held by one concept maps to its id, one held by
    several to a tuple of theirs (a plain string each saves a list per name at a million triples)."""
    for text in {t.casefold() for t in texts if t}:
        held = names.get(text)
        names[text] = cid if held is None else (held if isinstance(held, tuple) else (held,)) + (cid,)


class AmbiguousConcept(GraphError):
    """A name shared by several concepts: the API answers 400 and lists them."""

    def __init__(self, name: str, candidates: list[str]):
        super().__init__(name)
        self.name, self.candidates = name, candidates

    def __str__(self) -> str:
        return f"{self.name!r} names {len(self.candidates)} concepts: {', '.join(self.candidates)}; give one id"


class UnknownConcept(KeyError):
    """No concept with this id (or label): the API answers 404."""

    def __init__(self, concept: str):
        super().__init__(concept)
        self.concept = concept

    def __str__(self) -> str:
        return f"unknown concept {self.concept!r}"


# -- data classes -----------------------------------------------------------


@dataclass(frozen=True)
class GraphNode:
    id: str
    cls: str
    label: Bilingual
    article: str | None = None
    level: int | None = None
    x: float | None = None
    y: float | None = None
    role: str | None = None  # centre (of a neighbourhood), end (of a path), band (a tree layer) ...

    def as_dict(self) -> dict:
        data = {"id": self.id, "class": self.cls, "label": self.label.as_dict(), "article": self.article}
        for key in ("level", "x", "y", "role"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


@dataclass(frozen=True)
class GraphEdge:
    source: str
    relation: str
    target: str
    status: str = "stated"

    @property
    def id(self) -> str:
        return f"{self.source}|{self.relation}|{self.target}"

    def as_dict(self) -> dict:
        return {"id": self.id, "from": self.source, "relation": self.relation, "to": self.target,
                "status": self.status}


@dataclass(frozen=True)
class LegendItem:
    cls: str
    label: Bilingual
    count: int

    def as_dict(self) -> dict:
        return {"class": self.cls, "label": self.label.as_dict(), "count": self.count}


@dataclass
class GraphView:
    name: str
    title: Bilingual
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    legend: list[LegendItem] = field(default_factory=list)
    layout: dict = field(default_factory=dict)
    description: Bilingual = Bilingual()
    params: dict = field(default_factory=dict)
    #: for paged views: offset, limit, total (concepts in the whole view), next (offset of the next page or None)
    page: dict | None = None

    @property
    def node_ids(self) -> set[str]:
        return {n.id for n in self.nodes}

    def node(self, cid: str) -> GraphNode:
        for n in self.nodes:
            if n.id == cid:
                return n
        raise KeyError(cid)

    @property
    def relations(self) -> list[str]:
        return sorted({e.relation for e in self.edges})

    def as_dict(self) -> dict:
        return {
            "view": self.name,
            "title": self.title.as_dict(),
            "description": self.description.as_dict(),
            "params": self.params,
            "layout": self.layout,
            "legend": [item.as_dict() for item in self.legend],
            "nodes": [n.as_dict() for n in self.nodes],
            "edges": [e.as_dict() for e in self.edges],
            "counts": {"nodes": len(self.nodes), "edges": len(self.edges)},
            "page": self.page,
        }


@dataclass(frozen=True)
class PathStep:
    """One hop of a path, in the path's reading order: ``source`` comes first.

    ``direction`` is ``forward`` when the relation points from ``source`` to ``target``
    ("A —relation→ B") and ``backward`` when it points the other way ("A ←relation— B").
    """

    source: str
    relation: str
    target: str
    direction: str
    status: str

    @property
    def edge(self) -> GraphEdge:
        if self.direction == "forward":
            return GraphEdge(self.source, self.relation, self.target, self.status)
        return GraphEdge(self.target, self.relation, self.source, self.status)

    def as_dict(self, catalog: Catalog) -> dict:
        return {
            "from": self.source, "relation": self.relation, "to": self.target,
            "direction": self.direction, "status": self.status,
            "label": {lang: catalog.relation_label(self.relation, lang) for lang in ("zh", "en")},
            "reading": {lang: catalog.relation_label(self.relation, lang, incoming=self.direction == "backward")
                        for lang in ("zh", "en")},
        }


@dataclass
class GraphPath:
    nodes: list[str]
    steps: list[PathStep]

    @property
    def length(self) -> int:
        return len(self.steps)

    def chain(self, catalog: Catalog, lang: str = "zh") -> str:
        """``A —relation→ B ←relation— C`` with labels in ``lang``."""
        parts = [_concept_label(catalog, self.nodes[0], lang)]
        for step in self.steps:
            rel = catalog.relation_label(step.relation, lang)
            parts.append(f"—{rel}→" if step.direction == "forward" else f"←{rel}—")
            parts.append(_concept_label(catalog, step.target, lang))
        return " ".join(parts)

    def as_dict(self, catalog: Catalog, lang: str = "zh") -> dict:
        return {
            "length": self.length,
            "nodes": list(self.nodes),
            "steps": [s.as_dict(catalog) for s in self.steps],
            "chain": self.chain(catalog, lang),
            "chains": {"zh": self.chain(catalog, "zh"), "en": self.chain(catalog, "en")},
        }


@dataclass
class PathResult:
    source: str
    target: str
    k: int
    max_length: int
    relations: list[str]
    paths: list[GraphPath]
    view: GraphView

    def as_dict(self, catalog: Catalog, lang: str = "zh") -> dict:
        return {
            "from": self.source, "to": self.target, "k": self.k, "max_length": self.max_length,
            "relations": self.relations, "lang": lang,
            "count": len(self.paths),
            "paths": [p.as_dict(catalog, lang) for p in self.paths],
        }


def _concept_label(catalog: Catalog, cid: str, lang: str) -> str:
    concept = catalog.concepts.get(cid)
    if concept is None:
        return cid
    return concept.label.get(lang) or concept.label.zh or cid


# -- the graph ----------------------------------------------------------------


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
        c = self.catalog.concepts[cid]
        return GraphNode(c.id, c.cls, c.label, c.article, **extra)

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
        return GraphView(name, TITLES.get(name, Bilingual(name, name)), nodes, unique, self._legend(nodes),
                         layout, DESCRIPTIONS.get(name, Bilingual()), params)

    # -- the built-in views ---------------------------------------------------

    def tree(self, relations=None, classes=None) -> GraphView:
        """The 45231 model as a tree: model, its five layers, their 15 components and the components' parts.

        Levels count from the bottom (vis-network direction ``DU``): the model sits at level 0 below the
        roots; each layer gets a band of levels (layer node, then its components, then their parts, split
        over several rows when a layer has many), with an empty level between bands, so the roots' band is
        lowest and the fruit's highest.
        """
        cat = self.catalog
        self.concept(MODEL_ID)
        layers = [c for c in cat.children(MODEL_ID) if c.cls == "FrameworkPart"]
        nodes: list[GraphNode] = [self._node(MODEL_ID, level=0, role="model")]
        bands = []
        level = 1
        for layer in layers:
            components = [c for c in cat.children(layer.id) if cat.is_subclass(c.cls, "ModelComponent")]
            parts = [(comp.id, p) for comp in components for p in cat.children(comp.id)]
            rows = max(1, math.ceil(len(parts) / TREE_ROW))
            band = {"id": layer.id, "label": layer.label.as_dict(), "levels": []}
            if layer.id == "layer-roots" or layer is layers[0]:
                # roots grow downwards: the ideas hang below their layer node
                part_levels = [level + r for r in range(rows)]
                comp_level = level + rows
                layer_level = comp_level + 1
            else:
                layer_level = level
                comp_level = level + 1
                part_levels = [comp_level + 1 + r for r in range(rows)]
            nodes.append(self._node(layer.id, level=layer_level, role="layer"))
            for comp in components:
                nodes.append(self._node(comp.id, level=comp_level, role="component"))
            for i, (_parent, part) in enumerate(parts):
                if part.id in {n.id for n in nodes}:
                    continue
                nodes.append(self._node(part.id, level=part_levels[i % rows], role="part"))
            used = [layer_level, comp_level, *part_levels[: len(parts)]] if parts else [layer_level, comp_level]
            band["levels"] = sorted(set(used))
            band["layer_level"] = layer_level
            band["component_level"] = comp_level
            bands.append(band)
            level = max(band["levels"]) + 2  # one empty level between bands
        ids = {n.id for n in nodes}
        edges = self._edges_reaching(ids, set())
        layout = {"mode": "hierarchical", "direction": "DU", "sortMethod": "directed", "physics": False,
                  "levelSeparation": 72, "nodeSpacing": 168, "treeSpacing": 190, "nodeWidth": 128,
                  "bands": bands, "edgeLabels": False}
        return self._finish("tree", nodes, edges, layout, relations, classes, anchors={MODEL_ID})

    def chain(self, relations=None, classes=None) -> GraphView:
        """Yanbian: significances | problems | remedies as three columns, each item with its points below it."""
        cat = self.catalog
        self.concept(YANBIAN_ID)
        columns = [
            ("Significance", [c for c in cat.concepts.values() if c.cls == "Significance"]),
            ("Problem", [c for c in cat.concepts.values() if c.cls == "Problem"]),
            ("Remedy", [c for c in cat.concepts.values() if c.cls == "Remedy"]),
        ]
        nodes: list[GraphNode] = []
        placed: set[str] = set()
        groups = []  # per column: [(item, points)], points per row
        for _cls, items in columns:
            items.sort(key=lambda c: (c.ordinal or 10_000, c.id))
            column = []
            for item in items:
                points = [p for p in cat.children(item.id) if p.id not in placed and p.id != item.id]
                placed.update([item.id, *(p.id for p in points)])
                column.append((item, points))
            total = sum(len(points) for _item, points in column)
            groups.append((column, min(CHAIN_MAX_PER_ROW, max(2, math.ceil(total / CHAIN_ROWS_TARGET)))))
        x0 = previous_width = 0.0
        column_x = []
        for col, (column, per_row) in enumerate(groups):
            width = per_row * CHAIN_POINT_DX
            if col:
                x0 += previous_width / 2 + CHAIN_COLUMN_GAP + width / 2
            previous_width = width
            column_x.append(x0)
            y = 0.0
            for item, points in column:
                nodes.append(self._node(item.id, level=col * 2, x=x0, y=y, role="main"))
                y += CHAIN_MAIN_GAP
                for i, point in enumerate(points):
                    in_row = min(per_row, len(points) - (i // per_row) * per_row)
                    px = x0 + ((i % per_row) - (in_row - 1) / 2) * CHAIN_POINT_DX
                    py = y + (i // per_row) * CHAIN_ROW
                    nodes.append(self._node(point.id, level=col * 2 + 1, x=px, y=py, role="point"))
                y += math.ceil(len(points) / per_row) * CHAIN_ROW + CHAIN_GROUP_GAP
        ids = {n.id for n in nodes}
        edges = self._edges_reaching(ids, set())
        layout = {"mode": "preset", "physics": False, "edgeLabels": False,
                  "columns": [{"class": cls, "label": {"zh": cat.term_label(cls, "zh"), "en": cat.term_label(cls, "en")},
                               "x": column_x[i]} for i, (cls, _) in enumerate(columns)]}
        mains = {n.id for n in nodes if n.role == "main"}
        return self._finish("chain", nodes, edges, layout, relations, classes, anchors=mains)

    def cross(self, relations=None, classes=None) -> GraphView:
        """Zhonglou (left) and Yanbian (right) linked through Senge's five disciplines (middle)."""
        cat = self.catalog
        disciplines = sorted((c for c in cat.concepts.values() if c.cls == "Discipline"),
                             key=lambda c: (c.ordinal or 10_000, c.id))
        if not disciplines:
            raise GraphError("the graph has no disciplines")
        dids = {d.id for d in disciplines}
        picked: list[Edge] = []
        for e in cat.edges:
            if e.relation == "embodies" and e.target in dids:
                picked.append(e)
            elif e.relation in ("alignsWith", "realises"):
                a, b = cat.concepts[e.source].article, cat.concepts[e.target].article
                if a and b and a != b:
                    picked.append(e)
        ids = dids | {e.source for e in picked} | {e.target for e in picked}
        # rows: concepts linked across the articles share rows (Zhonglou left, Yanbian right), so the
        # "aligns with" / "realises" lines run straight across; the groups that embody a discipline sit
        # next to it, the other groups are spread evenly between them
        across = nx.Graph()
        across.add_nodes_from(ids - dids)
        across.add_edges_from((e.source, e.target) for e in picked if e.source not in dids and e.target not in dids)
        order = {d.id: i for i, d in enumerate(disciplines)}
        embodied = defaultdict(set)
        for e in picked:
            if e.target in dids:
                embodied[e.source].add(order[e.target])
        linked: dict[int, list[list[str]]] = defaultdict(list)
        unlinked: list[list[str]] = []
        for members in nx.connected_components(across):
            group = sorted(members, key=lambda cid: _ordinal_key(cat, cid))
            marks = set().union(*(embodied[cid] for cid in group))
            (linked[min(marks)] if marks else unlinked).append(group)
        unlinked.sort(key=lambda g: min(_ordinal_key(cat, cid) for cid in g))
        chunks = len(disciplines) + 1
        size = math.ceil(len(unlinked) / chunks) if unlinked else 0
        sequence: list[list[str]] = []
        for i in range(chunks):
            sequence.extend(unlinked[i * size:(i + 1) * size])
            if i < len(disciplines):
                sequence.extend(sorted(linked.get(i, []), key=lambda g: g[0]))
        row = 0
        place: dict[str, tuple[str, int]] = {}
        for group in sequence:
            z = [cid for cid in group if cat.concepts[cid].article == "zhonglou"]
            y = [cid for cid in group if cat.concepts[cid].article != "zhonglou"]
            for side in (z, y):
                for i, cid in enumerate(side):
                    place[cid] = ("zhonglou" if side is z else "yanbian", row + i)
            row += max(len(z), len(y), 1)
        middle = (row - 1) / 2
        nodes = []
        for d in disciplines:
            rows = [place[cid][1] for cid in place if order[d.id] in embodied[cid]]
            nodes.append([d.id, (sum(rows) / len(rows)) if rows else middle])
        nodes.sort(key=lambda item: order[item[0]])
        for i in range(1, len(nodes)):  # keep the disciplines in order and apart
            nodes[i][1] = max(nodes[i][1], nodes[i - 1][1] + 2)
        disc_nodes = [self._node(cid, level=1, x=0.0, y=(r - middle) * CROSS_ROW, role="discipline")
                      for cid, r in nodes]
        nodes = disc_nodes
        for cid, (side, r) in sorted(place.items(), key=lambda kv: kv[1][1]):
            x = -CROSS_COLUMN if side == "zhonglou" else CROSS_COLUMN
            nodes.append(self._node(cid, level=0 if side == "zhonglou" else 2, x=x, y=(r - middle) * CROSS_ROW,
                                    role=side))
        edges = [GraphEdge(e.source, e.relation, e.target, e.status) for e in picked]
        layout = {"mode": "preset", "physics": False, "edgeLabels": False,
                  "nodeWidth": 210,
                  "columns": [{"article": "zhonglou", "label": {"zh": "钟楼“45231”模型", "en": "Zhonglou 45231 model"},
                               "x": -CROSS_COLUMN},
                              {"article": None, "label": {"zh": "五项修炼", "en": "The five disciplines"}, "x": 0},
                              {"article": "yanbian", "label": {"zh": "延边文章", "en": "Yanbian article"},
                               "x": CROSS_COLUMN}]}
        return self._finish("cross", nodes, edges, layout, relations, classes, anchors=dids)

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
        earlier = set(ranked[:page["offset"]])
        if page["offset"]:  # the centre was shown by the first page, with its links to it
            edges = self._edges_reaching(set(shown), earlier | {concept_id}, rels)
        else:
            edges = self._edges_reaching(set(shown) | {concept_id}, earlier, rels)
        layout = {"mode": "physics", "physics": True, "edgeLabels": len(edges) <= 40, "centre": concept_id}
        view = self._finish("neighbourhood", nodes, edges, layout, rels, classes, anchors={concept_id},
                            concept=concept_id, depth=depth)
        view.page = page
        c = self.catalog.concepts[concept_id]
        view.title = Bilingual(f"{c.label.zh} 的邻域({depth} 步)", f"Neighbourhood of {c.label.en} ({depth} hop"
                               + ("s)" if depth > 1 else ")"))
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
            earlier = set(ranked[:page["offset"]])
        edges = self._edges_reaching(set(shown), earlier)
        nodes = [self._node(cid) for cid in shown]
        layout = {"mode": "physics", "physics": True, "edgeLabels": False, "solver": "forceAtlas2Based"}
        view = self._finish("whole", nodes, edges, layout, relations, classes)
        view.page = page
        return view

    @staticmethod
    def _page(ranked: list[str], offset: int, limit: int) -> tuple[list[str], dict]:
        limit = _in_range("limit", limit, LIMIT_RANGE)
        offset = _in_range("offset", offset, (0, max(len(ranked), 0)))
        shown = ranked[offset:offset + limit]
        end = offset + len(shown)
        return shown, {"offset": offset, "limit": limit, "total": len(ranked),
                       "next": end if end < len(ranked) else None}

    def _edges_reaching(self, ids: set[str], earlier: set[str], relations: list[str] | None = None) -> list[GraphEdge]:
        """Links among ``ids``, and between ``ids`` and ``earlier`` (concepts already shown by
        earlier pages), read from each concept's own links rather than a scan of all of them."""
        reach = ids | earlier
        out = []
        for cid in ids:
            for e in self.catalog.out_edges(cid):
                if e.target in reach and (relations is None or e.relation in relations):
                    out.append(GraphEdge(e.source, e.relation, e.target, e.status))
            for e in self.catalog.in_edges(cid):
                if e.source in earlier and (relations is None or e.relation in relations):
                    out.append(GraphEdge(e.source, e.relation, e.target, e.status))
        return sorted(out, key=lambda e: (e.source, e.relation, e.target))

    def view(self, name: str, concept: str | None = None, depth: int = 1, relations=None,
             classes=None, offset: int = 0, limit: int | None = None) -> GraphView:
        """Any built-in view by name (``neighbourhood`` needs ``concept``); the neighbourhood and
        the whole graph come in pages of at most ``limit`` concepts."""
        if name == "neighbourhood":
            if not concept:
                raise GraphError("the neighbourhood view needs a concept "
                                 "(?concept=ID on the web, --concept ID on the command line)")
            return self.neighbourhood(concept, depth, relations, classes, offset,
                                      NODE_LIMIT if limit is None else limit)
        if name == "whole":
            return self.whole(relations, classes, offset, limit)
        if name not in VIEWS:
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
            raise GraphError("from and to are the same concept")
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
        """Source on the left, target on the right, each path on its own row (shared nodes keep their first place)."""
        pos: dict[str, tuple[float, float]] = {a: (0.0, 0.0)}
        width = PATH_STEP * max([p.length for p in found] or [1])
        pos[b] = (width, 0.0)
        for i, path in enumerate(found):
            row = (i + 1) // 2 * (1 if i % 2 else -1)  # 0, +1, -1, +2, -2 ...
            for j, cid in enumerate(path.nodes[1:-1], start=1):
                if cid not in pos:
                    pos[cid] = (j / path.length * width, row * PATH_ROW)
        nodes = [self._node(cid, x=xy[0], y=xy[1], role="end" if cid in (a, b) else None)
                 for cid, xy in pos.items()]
        edges = [s.edge for p in found for s in p.steps]
        layout = {"mode": "preset", "physics": False, "edgeLabels": True}
        view = self._finish("paths", nodes, edges, layout, None, classes, anchors={a, b},
                            **{"from": a, "to": b}, **params)
        view.params["relation"] = relations or []
        return view


class UnknownView(GraphError):
    """No such built-in view: the API answers 404."""

    def __init__(self, name: str):
        super().__init__(f"unknown view {name!r}; views: {', '.join(VIEWS)}")
        self.view = name


def _known(kind: str, values, known: list[str]) -> list[str] | None:
    """``values`` without blanks and repeats (None when that leaves nothing); an unknown one is a GraphError."""
    names = [v for v in dict.fromkeys(values or ()) if v]
    unknown = [v for v in names if v not in known]
    if unknown:
        raise GraphError(f"unknown {kind} {unknown[0]!r}; known: {', '.join(known)}")
    return names or None


def _in_range(name: str, value, bounds: tuple[int, int]) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise GraphError(f"{name} must be a whole number from {bounds[0]} to {bounds[1]}") from None
    if not bounds[0] <= number <= bounds[1]:
        raise GraphError(f"{name} must be from {bounds[0]} to {bounds[1]}, not {number}")
    return number


def _ordinal_key(cat: Catalog, cid: str):
    c = cat.concepts[cid]
    return (c.cls, c.ordinal or 10_000, cid)


#: classes in legend order: the model from root to fruit, then Yanbian's chain, then the rest
CLASS_ORDER = ("Framework", "FrameworkPart", "LearningIdea", "LearningMechanism", "Branch", "KeyProject",
               "SharedVision", "Significance", "Problem", "Remedy", "Theory", "Discipline", "Practice", "Method",
               "Institution", "Organisation", "Principle", "Role", "Goal", "Result", "Slogan", "Symptom", "Cause",
               "Notion")

#: most parts of one tree layer on one row; more are spread over several rows
TREE_ROW = 15
CHAIN_POINT_DX = 200.0  # horizontal distance between points on one row
CHAIN_MAX_PER_ROW = 4
CHAIN_ROWS_TARGET = 8  # points per column / this = points per row (2..4)
CHAIN_COLUMN_GAP = 260.0
CHAIN_ROW = 70.0
CHAIN_MAIN_GAP = 90.0
CHAIN_GROUP_GAP = 50.0
CROSS_COLUMN = 480.0
CROSS_ROW = 58.0
PATH_STEP = 260.0
PATH_ROW = 110.0

__all__ = ["ConceptGraph", "GraphEdge", "GraphError", "GraphNode", "GraphPath", "GraphView", "LegendItem",
           "PathResult", "PathStep", "UnknownConcept", "UnknownView"]
