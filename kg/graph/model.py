"""What a graph view holds, as data: its nodes, edges and legend, the paths between two concepts, and the
errors of the graph's questions.  Shared by the HTML page, its JSON twin, the tours and the exports.

Errors: an unknown concept raises :class:`UnknownConcept` (a ``KeyError``), an unknown view
:class:`UnknownView`, a bad parameter (depth outside 1..3, k outside 1..10, an unknown relation or class)
:class:`GraphError` (a ``ValueError``), a name several concepts share :class:`AmbiguousConcept`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.catalog import Bilingual, Catalog, Concept, Edge
from kg.paging import Page
from kg.i18n import Explained, Message
from kg.styles import GRAPH_VIEWS


class GraphError(Explained, ValueError):
    """A bad parameter: the API answers 400 (its message a :class:`kg.i18n.Message` in the UI catalogue)."""


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


class UnknownView(GraphError):
    """No such built-in view: the API answers 404."""

    def __init__(self, name: str):
        super().__init__(Message("unknown_view", name=name, known=", ".join(GRAPH_VIEWS)))
        self.view = name


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

    @classmethod
    def of(cls, concept: Concept, **extra) -> GraphNode:
        """The node of a concept; ``extra``: its level, place or role in the view."""
        return cls(concept.id, concept.cls, concept.label, concept.article, **extra)

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

    @classmethod
    def of(cls, edge: Edge) -> GraphEdge:
        """The edge of one of the catalog's links."""
        return cls(edge.source, edge.relation, edge.target, edge.status)

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
    #: for paged views (the whole graph, a neighbourhood): which page of the view's concepts is shown
    page: Page | None = None

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
            "page": self.page.as_dict() if self.page else None,
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


__all__ = ["AmbiguousConcept", "GraphEdge", "GraphError", "GraphNode", "GraphPath", "GraphView", "LegendItem",
           "PathResult", "PathStep", "UnknownConcept", "UnknownView"]
