"""Presentation tours for trainers, generated from the ontology: nothing is written by hand per step.

A :class:`Tour` is a sequence of :class:`TourStep`\\ s.  Each step shows a graph (a
:class:`kg.graphs.GraphView`: everything shown so far), says which concepts are new in this step
(highlighted) and which were shown earlier (dimmed), and carries the step's source quotes (verbatim,
from :attr:`Concept.quotes`, with article and paragraph), speaker notes drawn from the definitions (zh
and en) and the links the step is about, stated and inferred kept apart.

The four tours:

``tree``
    the Zhonglou "45231" tree built up layer by layer (roots, trunk, branches, flowers, fruit: each step
    adds a layer node and its components), then each component with its practices, in the articles' order
    (ordinals);
``chain``
    the Yanbian article: significances, problems, remedies (a step per part, then a step per item with its
    points);
``problem-to-practice``
    each Yanbian problem, the remedies that address it (``lo:addresses``, read backwards) and the Zhonglou
    practices that realise those remedies (``lo:realises``) or address the problem directly;
``senge``
    Senge's five disciplines across both articles: a step per discipline with the concepts of each article
    that embody it and their alignments.

Positions: the tree keeps the tree view's levels (vis-network lays it out once, for the whole tour); the
chain keeps the chain view's coordinates; the other two tours get columns computed here.  So a concept
stays where it is from step to step.

No HTTP here.  :func:`tours_for` caches the tours of one :class:`ConceptGraph`; :func:`handout_pdf` draws
one PDF page per step with Graphviz (:func:`kg.export.to_dot`) and merges them with pypdf.
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape
from typing import Callable

from kg.catalog import Bilingual, Catalog, Concept, Edge, QuoteRef
from kg.graphs import MODEL_ID, YANBIAN_ID, ConceptGraph, GraphEdge, GraphNode, GraphView
from kg.i18n import pair
from kg.linebreak import wrap_zh
from kg.styles import FONT

TOURS = ("tree", "chain", "problem-to-practice", "senge")

TITLES = {
    "tree": Bilingual("“45231”树状模型:逐层搭建", 'The "45231" tree model, layer by layer'),
    "chain": Bilingual("延边:意义、问题与对策", "Yanbian: significance, problems, remedies"),
    "problem-to-practice": Bilingual("从问题到实践:延边的问题、对策与钟楼的做法",
                                     "From problem to practice: Yanbian's problems, remedies and Zhonglou's practices"),
    "senge": Bilingual("圣吉的五项修炼:两篇文章的对照", "Senge's five disciplines across the two articles"),
}
DESCRIPTIONS = {
    "tree": Bilingual("先自下而上搭起根、干、枝、花、果五层,再逐一讲解每个要素及其做法。",
                      "First the five layers from the roots up to the fruit, then each component with its practices."),
    "chain": Bilingual("依次讲解重要意义、存在的问题和对策:先看每部分的各项,再看每项的要点。",
                       "Significance, then problems, then remedies: each part with its items, then each item with its "
                       "points."),
    "problem-to-practice": Bilingual(
        "每个问题:哪些对策针对它,钟楼的哪些做法落实了这些对策。实线为原文陈述,虚线为编者推断。",
        "For each problem: the remedies that address it, and the Zhonglou practices that realise them. Solid lines "
        "are stated in the text, dashed lines inferred by the editors."),
    "senge": Bilingual("先看学习型组织理论和五项修炼,再逐项看两篇文章中体现它的概念及其对应关系。",
                       "Learning-organisation theory and its five disciplines, then for each discipline the concepts "
                       "of both articles that embody it, and how they align."),
}
ARTICLE_NAMES = {"yanbian": Bilingual(*pair("article.yanbian")), "zhonglou": Bilingual(*pair("article.zhonglou"))}

#: which links a tour draws: ``among`` every relation among the concepts shown (as the underlying view
#: does), ``steps`` only the links the steps so far are about (each appears in the step that discusses it)
EDGE_MODE = {"tree": "among", "chain": "among", "problem-to-practice": "steps", "senge": "steps"}

# columns of the tours laid out here (canvas units; vis-network draws them as given)
P2P_COLUMNS = {"problem": 0.0, "remedy": 400.0, "point": 760.0, "zhonglou": 1120.0}
P2P_ROW = 90.0
SENGE_BLOCK = 300.0  # between two disciplines (Senge's theory is the first block)
SENGE_ROW = 100.0
SENGE_FIRST_ROW = 1.4  # the first concept above / below the row of disciplines, in rows
SENGE_STAGGER = 30.0  # Zhonglou a little left, Yanbian a little right, so lines across do not overlap
CHAIN_SCALE = 1.45  # the chain view's coordinates are for 14 px labels; tours use bigger ones
CHAIN_HEADER_GAP = 150.0

#: most quotes listed for a concept that is new in a step but not its subject
OTHER_QUOTES = 1


class TourError(ValueError):
    """A bad request about a tour (a step out of range): the API answers 400."""


class UnknownTour(KeyError):
    """No tour of this name: the API answers 404."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"unknown tour {self.name!r}; tours: {', '.join(TOURS)}"


# -- data classes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TourQuote:
    """A verbatim quote shown in a step: the concept it belongs to, or the link it is the evidence of."""

    id: str
    concept: str
    article: str
    paragraph: str
    exact: str
    start: int
    end: int
    role: str = "concept"  # concept | evidence (of a stated link)

    @classmethod
    def of(cls, ref: QuoteRef, concept: str, role: str = "concept") -> "TourQuote":
        return cls(ref.id, concept, ref.article, ref.paragraph, ref.exact, ref.start, ref.end, role)

    def as_dict(self, quote_url: Callable[["TourQuote"], str] | None = None) -> dict:
        data = {"id": self.id, "concept": self.concept, "article": self.article,
                "article_label": ARTICLE_NAMES.get(self.article, Bilingual(self.article, self.article)).as_dict(),
                "paragraph": self.paragraph, "exact": self.exact, "start": self.start, "end": self.end,
                "role": self.role}
        if quote_url is not None:
            data["url"] = quote_url(self)
        return data


@dataclass(frozen=True)
class TourNote:
    """A speaker note: a concept's definition, in zh and en."""

    concept: str
    label: Bilingual
    text: Bilingual

    def as_dict(self) -> dict:
        return {"concept": self.concept, "label": self.label.as_dict(), "text": self.text.as_dict()}


@dataclass(frozen=True)
class TourLink:
    """A relation a step is about, readable as a sentence; stated ones carry their evidence quote,
    inferred ones the editors' reason."""

    source: str
    relation: str
    target: str
    status: str
    relation_label: Bilingual
    evidence: TourQuote | None = None
    rationale: Bilingual | None = None

    @property
    def id(self) -> str:
        return f"{self.source}|{self.relation}|{self.target}"

    def as_dict(self, quote_url=None) -> dict:
        return {"id": self.id, "from": self.source, "relation": self.relation, "to": self.target,
                "status": self.status, "label": self.relation_label.as_dict(),
                "evidence": self.evidence.as_dict(quote_url) if self.evidence else None,
                "rationale": self.rationale.as_dict() if self.rationale else None}


@dataclass
class TourStep:
    number: int  # 1-based
    id: str
    kind: str  # layer | component | part | item | overview | remedies | practices | discipline
    title: Bilingual
    subtitle: Bilingual
    subject: list[str]  # the concepts the step is about
    graph: GraphView  # everything shown so far
    new: list[str]  # node ids first shown in this step (highlighted)
    earlier: list[str]  # node ids shown in earlier steps (dimmed unless in focus)
    focus: list[str]  # the subject and the new nodes: drawn highlighted
    new_edges: list[str]
    quotes: list[TourQuote] = field(default_factory=list)
    notes: list[TourNote] = field(default_factory=list)
    links: list[TourLink] = field(default_factory=list)

    @property
    def shown(self) -> list[str]:
        return [n.id for n in self.graph.nodes]

    @property
    def stated_links(self) -> list[TourLink]:
        return [link for link in self.links if link.status != "inferred"]

    @property
    def inferred_links(self) -> list[TourLink]:
        return [link for link in self.links if link.status == "inferred"]

    def as_dict(self, quote_url=None, graph: bool = True) -> dict:
        data = {
            "number": self.number, "id": self.id, "kind": self.kind,
            "title": self.title.as_dict(), "subtitle": self.subtitle.as_dict(),
            "subject": list(self.subject), "new": list(self.new), "earlier": list(self.earlier),
            "focus": list(self.focus), "new_edges": list(self.new_edges),
            "shown": self.shown, "edges": [e.id for e in self.graph.edges],
            "quotes": [q.as_dict(quote_url) for q in self.quotes],
            "notes": [n.as_dict() for n in self.notes],
            "links": {"stated": [link.as_dict(quote_url) for link in self.stated_links],
                      "inferred": [link.as_dict(quote_url) for link in self.inferred_links]},
            "counts": {"nodes": len(self.graph.nodes), "edges": len(self.graph.edges), "new": len(self.new)},
        }
        if graph:
            view = self.graph.as_dict()
            data["graph"] = {key: view[key] for key in ("nodes", "edges", "legend", "counts")}
        return data


@dataclass(eq=False)
class Tour:
    name: str
    title: Bilingual
    description: Bilingual
    steps: list[TourStep]
    layout: dict  # how the whole tour is drawn (kg.graphs layout hints)

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def final(self) -> GraphView:
        """The last step's graph: every concept and link of the tour, with the tour's layout."""
        last = self.steps[-1].graph
        return GraphView(self.name, self.title, list(last.nodes), list(last.edges), list(last.legend),
                         dict(self.layout), self.description)

    def step(self, number: int) -> TourStep:
        """The step by its 1-based number; :class:`TourError` outside 1..len."""
        if not isinstance(number, int) or not 1 <= number <= len(self.steps):
            raise TourError(f"step must be from 1 to {len(self.steps)}, not {number}")
        return self.steps[number - 1]

    def summary(self) -> dict:
        return {"name": self.name, "title": self.title.as_dict(), "description": self.description.as_dict(),
                "steps": len(self.steps), "kinds": _count_kinds(self.steps)}

    def as_dict(self, quote_url=None, graph: bool = True) -> dict:
        return {**self.summary(), "layout": self.layout,
                "steps": [s.as_dict(quote_url, graph) for s in self.steps]}


def _count_kinds(steps: list[TourStep]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in steps:
        counts[s.kind] = counts.get(s.kind, 0) + 1
    return counts


# -- building ---------------------------------------------------------------------------------------


def _text_key(c: Concept) -> tuple:
    """The concept's place in its article: first quote's paragraph and offset (concepts without quotes last)."""
    if c.quotes:
        q = min(c.quotes, key=lambda q: (q.index, q.start))
        return (q.article, q.index, q.start, c.id)
    return ("~", 10_000, 0, c.id)


def _order_key(c: Concept) -> tuple:
    """The articles' order: ordinal first, then the place of the first quote."""
    return (c.ordinal if c.ordinal is not None else 10_000, _text_key(c))


class _Builder:
    """Accumulates the steps of one tour: what is shown so far, the layout attributes of each node."""

    def __init__(self, cg: ConceptGraph, name: str, base_nodes: dict[str, GraphNode] | None = None):
        self.cg = cg
        self.cat: Catalog = cg.catalog
        self.name = name
        self.edge_mode = EDGE_MODE[name]
        self.link_edges: list[GraphEdge] = []  # "steps" mode: the links of the steps so far
        self.base = base_nodes or {}  # node attributes (level, x, y, role) by id
        self.shown: list[str] = []
        self.shown_edges: set[str] = set()
        self.steps: list[TourStep] = []
        self.view_name = {"tree": "tree", "chain": "chain", "senge": "cross"}.get(name, name)

    def node(self, cid: str) -> GraphNode:
        if cid in self.base:
            return self.base[cid]
        c = self.cat.concepts[cid]
        return GraphNode(c.id, c.cls, c.label, c.article)

    def place(self, cid: str, **attrs) -> None:
        c = self.cat.concepts[cid]
        self.base[cid] = GraphNode(c.id, c.cls, c.label, c.article, **attrs)

    def edges(self, ids: set[str], links) -> list[GraphEdge]:
        if self.edge_mode == "steps":
            known = {e.id for e in self.link_edges}
            for e in links:
                edge = GraphEdge(e.source, e.relation, e.target, e.status)
                if edge.id not in known and e.source in ids and e.target in ids:
                    known.add(edge.id)
                    self.link_edges.append(edge)
            return list(self.link_edges)
        seen: set[str] = set()
        out = []
        for e in self.cat.edges:
            if e.source in ids and e.target in ids and e.source != e.target:
                edge = GraphEdge(e.source, e.relation, e.target, e.status)
                if edge.id not in seen:
                    seen.add(edge.id)
                    out.append(edge)
        return out

    def add(self, kind: str, sid: str, title: Bilingual, subtitle: Bilingual, subject: list[str],
            adds: list[str], links: list[Edge] = (), quote_all: list[str] | None = None) -> TourStep:
        """One step: ``adds`` become shown (those not shown yet are new); the subject is in focus."""
        adds = [cid for cid in dict.fromkeys(adds) if cid in self.cat.concepts]
        earlier = list(self.shown)
        new = [cid for cid in adds if cid not in set(earlier)]
        self.shown.extend(new)
        ids = set(self.shown)
        nodes = [self.node(cid) for cid in self.shown]
        edges = self.edges(ids, links)
        new_edges = [e.id for e in edges if e.id not in self.shown_edges]
        self.shown_edges.update(e.id for e in edges)
        focus = list(dict.fromkeys([*subject, *new]))
        view = GraphView(self.view_name, title, nodes, edges, self.cg._legend(nodes), {},
                         TITLES[self.name], {"tour": self.name, "step": len(self.steps) + 1})
        quotes = _step_quotes(self.cat, quote_all if quote_all is not None else subject,
                              [c for c in new if c not in subject], links)
        notes = [_note(self.cat.concepts[cid]) for cid in dict.fromkeys([*subject, *new])
                 if self.cat.concepts[cid].definition.zh or self.cat.concepts[cid].definition.en]
        step = TourStep(len(self.steps) + 1, sid, kind, title, subtitle, list(subject), view, new, earlier,
                        focus, new_edges, quotes, notes, [_link(self.cat, e) for e in links])
        self.steps.append(step)
        return step

    def tour(self, layout: dict) -> Tour:
        return Tour(self.name, TITLES[self.name], DESCRIPTIONS[self.name], self.steps, layout)


def _note(c: Concept) -> TourNote:
    return TourNote(c.id, c.label, c.definition)


def _link(cat: Catalog, e: Edge) -> TourLink:
    label = Bilingual(cat.relation_label(e.relation, "zh"), cat.relation_label(e.relation, "en"))
    evidence = TourQuote.of(e.evidence, e.source, "evidence") if e.evidence else None
    return TourLink(e.source, e.relation, e.target, e.status, label, evidence,
                    e.rationale if e.status == "inferred" else None)


def _step_quotes(cat: Catalog, subject: list[str], others: list[str], links) -> list[TourQuote]:
    """Every quote of the step's subject, the first quote of each other new concept, the evidence of the
    stated links; each group in the articles' order, a span quoted twice listed once."""
    out: list[TourQuote] = []
    seen: set[tuple[str, int, int]] = set()

    def push(ref: QuoteRef, cid: str, role: str = "concept") -> None:
        key = (ref.paragraph, ref.start, ref.end)
        if key not in seen:
            seen.add(key)
            out.append(TourQuote.of(ref, cid, role))

    def by_text(items):
        return sorted(items, key=lambda pair: (pair[0].article, pair[0].index, pair[0].start))

    for ref, cid in by_text([(q, cid) for cid in subject for q in cat.concepts[cid].quotes]):
        push(ref, cid)
    for ref, cid in by_text([(q, cid) for cid in others for q in cat.concepts[cid].quotes[:OTHER_QUOTES]]):
        push(ref, cid)
    for ref, cid in by_text([(e.evidence, e.source) for e in links if e.evidence is not None]):
        push(ref, cid, "evidence")
    return out


def _children(cat: Catalog, cid: str) -> list[Concept]:
    return sorted(cat.children(cid), key=_order_key)


# -- the tree -------------------------------------------------------------------------------------------


def tree_tour(cg: ConceptGraph) -> Tour:
    cat = cg.catalog
    view = cg.tree()
    base = {n.id: n for n in view.nodes}
    b = _Builder(cg, "tree", base)
    model = cat.concepts[MODEL_ID]
    layers = sorted((c for c in cat.children(MODEL_ID) if c.cls == "FrameworkPart"), key=_order_key)
    components: dict[str, list[Concept]] = {
        layer.id: sorted((c for c in cat.children(layer.id) if cat.is_subclass(c.cls, "ModelComponent")),
                         key=_order_key)
        for layer in layers}
    total = len(layers)
    for i, layer in enumerate(layers, start=1):
        comps = components[layer.id]
        adds = ([MODEL_ID] if i == 1 else []) + [layer.id] + [c.id for c in comps]
        b.add("layer", layer.id, layer.label,
              Bilingual(f"{model.label.zh} · 第 {i} / {total} 层", f"{model.label.en} · layer {i} of {total}"),
              [layer.id], adds,
              links=[e for e in cat.edges if e.relation == "feeds" and e.target == layer.id],
              quote_all=[layer.id])
    for layer in layers:
        for comp in components[layer.id]:
            parts = [p.id for p in _children(cat, comp.id) if p.id in base]
            b.add("component", comp.id, comp.label, layer.label, [comp.id], parts)
    layout = {"mode": "hierarchical", "direction": "DU", "sortMethod": "directed", "physics": False,
              "levelSeparation": 120, "nodeSpacing": 240, "treeSpacing": 260, "nodeWidth": 200,
              "edgeLabels": False}
    return b.tour(layout)


# -- the chain ------------------------------------------------------------------------------------------


def chain_tour(cg: ConceptGraph) -> Tour:
    cat = cg.catalog
    view = cg.chain()
    base = {n.id: GraphNode(n.id, n.cls, n.label, n.article, n.level,
                            (n.x or 0.0) * CHAIN_SCALE, (n.y or 0.0) * CHAIN_SCALE, n.role)
            for n in view.nodes}
    b = _Builder(cg, "chain", base)
    framework = cat.concepts[YANBIAN_ID]
    parts = sorted((c for c in cat.children(YANBIAN_ID) if c.cls == "FrameworkPart"), key=_order_key)
    columns = {col["class"]: col["x"] * CHAIN_SCALE for col in view.layout.get("columns", [])}
    item_class = {}
    for part in parts:
        items = sorted((c for c in cat.children(part.id) if c.id in base and base[c.id].role == "main"),
                       key=_order_key)
        item_class[part.id] = items
        if items:  # the part heads its column
            x = columns.get(items[0].cls, base[items[0].id].x or 0.0)
            b.place(part.id, level=base[items[0].id].level, x=x, y=-CHAIN_HEADER_GAP, role="header")
    total = len(parts)
    for i, part in enumerate(parts, start=1):
        items = item_class[part.id]
        links = [e for e in cat.edges if e.relation in ("hinders", "addresses")
                 and (e.source in {c.id for c in items}) and e.target in set(b.shown)]
        b.add("part", part.id, part.label,
              Bilingual(f"{framework.label.zh} · 第 {i} / {total} 部分", f"{framework.label.en} · part {i} of {total}"),
              [part.id], [part.id, *(c.id for c in items)], links=links, quote_all=[part.id])
        for item in items:
            points = [p.id for p in _children(cat, item.id) if p.id in base]
            b.add("item", item.id, item.label, part.label, [item.id], points)
    return b.tour({"mode": "preset", "physics": False, "edgeLabels": False, "nodeWidth": 200})


# -- problem to practice --------------------------------------------------------------------------------


def _descendants(cat: Catalog, cid: str) -> set[str]:
    out: set[str] = set()
    todo = [cid]
    while todo:
        for kid in cat.children(todo.pop()):
            if kid.id not in out and kid.id != cid:
                out.add(kid.id)
                todo.append(kid.id)
    return out


def problem_to_practice_tour(cg: ConceptGraph) -> Tour:
    cat = cg.catalog
    b = _Builder(cg, "problem-to-practice")
    problems = sorted((c for c in cat.concepts.values() if c.cls == "Problem"), key=_order_key)
    rows = {col: 0 for col in P2P_COLUMNS}
    row_of: dict[str, int] = {}

    def place(cid: str, column: str, at_least: int = 0) -> int:
        if cid in row_of:
            return row_of[cid]
        row = max(rows[column], at_least)
        rows[column] = row + 1
        row_of[cid] = row
        b.place(cid, level=list(P2P_COLUMNS).index(column), x=P2P_COLUMNS[column], y=row * P2P_ROW,
                role=column)
        return row

    # plan first (where everything goes, one block of rows per problem), then the steps
    plan = []
    for p in problems:
        start = max(rows.values())
        place(p.id, "problem", start)
        addressed_by = sorted((e for e in cat.in_edges(p.id) if e.relation == "addresses"),
                              key=lambda e: _order_key(cat.concepts[e.source]))
        remedy_links = [e for e in addressed_by if cat.concepts[e.source].cls == "Remedy"]
        direct = [e for e in addressed_by if cat.concepts[e.source].cls != "Remedy"
                  and cat.concepts[e.source].article == "zhonglou"]
        remedies = [e.source for e in remedy_links]
        for rid in remedies:
            place(rid, "remedy", start)
        # Zhonglou concepts that realise a remedy (or one of its points), or address the problem directly
        realised: list[Edge] = []
        bridges: list[str] = []
        for rid in remedies:
            inside = sorted(_descendants(cat, rid), key=lambda t: _order_key(cat.concepts[t]))
            for target in [rid, *inside]:
                for e in cat.in_edges(target):
                    if e.relation == "realises" and cat.concepts[e.source].article == "zhonglou":
                        realised.append(e)
                        if target != rid and target not in bridges:
                            bridges.append(target)
        for e in realised:
            row = place(e.target, "point", row_of.get(_remedy_of(cat, e.target, remedies), start)) \
                if e.target in bridges else row_of[e.target]
            place(e.source, "zhonglou", row)
        for e in direct:
            place(e.source, "zhonglou", start)
        bridge_links = [e for t in bridges for e in cat.out_edges(t) if e.relation == "partOf" and e.target in remedies]
        plan.append((p, remedy_links, remedies, realised, bridges, bridge_links, direct))

    b.add("overview", "problems", Bilingual("存在的问题", "The problems"),
          Bilingual("延边文章指出的问题", "As the Yanbian article names them"),
          [p.id for p in problems], [p.id for p in problems])
    for p, remedy_links, remedies, realised, bridges, bridge_links, direct in plan:
        b.add("remedies", f"remedies-{p.id}", p.label,
              Bilingual("针对这个问题的对策", "The remedies that address it"),
              [p.id, *remedies], [p.id, *remedies], links=remedy_links, quote_all=[p.id])
        practices = list(dict.fromkeys(e.source for e in [*realised, *direct]))
        b.add("practices", f"practices-{p.id}", p.label,
              Bilingual("钟楼的做法:落实这些对策,或直接针对问题",
                        "Zhonglou's practices that realise these remedies or address the problem"),
              [p.id, *remedies, *bridges, *practices], [*bridges, *practices],
              links=[*realised, *bridge_links, *direct],
              quote_all=practices)
    layout = {"mode": "preset", "physics": False, "edgeLabels": True, "nodeWidth": 220,
              "columns": [{"key": k, "x": x} for k, x in P2P_COLUMNS.items()]}
    return b.tour(layout)


def _remedy_of(cat: Catalog, cid: str, remedies: list[str]) -> str:
    """The remedy a point belongs to (directly or through another point)."""
    seen = set()
    current = cat.parent(cid)
    while current and current not in seen:
        if current in remedies:
            return current
        seen.add(current)
        current = cat.parent(current)
    return cid


# -- Senge --------------------------------------------------------------------------------------------


def senge_tour(cg: ConceptGraph) -> Tour:
    """The disciplines in a row (Senge's theory at the left end), each with the Zhonglou concepts that
    embody it above and the Yanbian ones below, and the concepts they align with on the same side."""
    cat = cg.catalog
    b = _Builder(cg, "senge")
    disciplines = sorted((c for c in cat.concepts.values() if c.cls == "Discipline"), key=_order_key)
    dids = {d.id for d in disciplines}
    theories = sorted({e.target for d in disciplines for e in cat.out_edges(d.id)
                       if e.relation == "partOf" and cat.concepts[e.target].cls == "Theory"})
    based = [e for e in cat.edges if e.relation == "basedOn" and e.target in theories
             and cat.concepts[e.source].cls == "Framework"]

    def side(cid: str) -> str:
        return "zhonglou" if cat.concepts[cid].article == "zhonglou" else "yanbian"

    def put(cid: str, x: float, k: int, role: str | None = None) -> None:
        up = side(cid) == "zhonglou"
        b.place(cid, level=0 if up else 2, x=x + (-SENGE_STAGGER if up else SENGE_STAGGER),
                y=(-1 if up else 1) * (k + SENGE_FIRST_ROW) * SENGE_ROW, role=role or side(cid))

    for t in theories:
        b.place(t, level=1, x=0.0, y=0.0, role="theory")
    stacked = {"zhonglou": 0, "yanbian": 0}
    for e in sorted(based, key=lambda e: e.source):
        put(e.source, 0.0, stacked[side(e.source)])
        stacked[side(e.source)] += 1
    plan = []
    for i, d in enumerate(disciplines, start=1):
        x = i * SENGE_BLOCK
        b.place(d.id, level=1, x=x, y=0.0, role="discipline")
        embodies = sorted((e for e in cat.in_edges(d.id) if e.relation == "embodies"),
                          key=lambda e: (side(e.source) != "zhonglou", _text_key(cat.concepts[e.source])))
        members = [e.source for e in embodies]
        aligns: list[Edge] = []
        for m in members:
            for e in [*cat.out_edges(m), *cat.in_edges(m)]:
                if e.relation == "alignsWith" and e not in aligns and e.source not in dids and e.target not in dids:
                    aligns.append(e)
        partners = list(dict.fromkeys(e.target if e.source in members else e.source for e in aligns))
        partners = [p for p in partners if p not in members]
        stacked = {"zhonglou": 0, "yanbian": 0}
        for cid in [*members, *partners]:
            if cid in b.base:  # shown with an earlier discipline: stays there
                continue
            put(cid, x, stacked[side(cid)])
            stacked[side(cid)] += 1
        plan.append((d, embodies, aligns, members, partners))
    b.add("overview", "disciplines", Bilingual("学习型组织理论与五项修炼",
                                               "Learning-organisation theory and the five disciplines"),
          Bilingual("两篇文章都以彼得·圣吉的理论为依据", "Both articles rest on Peter Senge's theory"),
          [*theories, *(d.id for d in disciplines)],
          [*theories, *(d.id for d in disciplines), *(e.source for e in based)],
          links=[*(e for d in disciplines for e in cat.out_edges(d.id) if e.relation == "partOf"), *based],
          quote_all=[*theories, *(d.id for d in disciplines)])
    for i, (d, embodies, aligns, members, partners) in enumerate(plan, start=1):
        b.add("discipline", d.id, d.label,
              Bilingual(f"第 {i} / {len(plan)} 项修炼:两篇文章中的体现",
                        f"Discipline {i} of {len(plan)}: where each article embodies it"),
              [d.id, *members], [d.id, *members, *partners], links=[*embodies, *aligns],
              quote_all=[d.id, *members])
    layout = {"mode": "preset", "physics": False, "edgeLabels": True, "nodeWidth": 200,
              "rows": [{"key": "zhonglou", "y": -SENGE_ROW}, {"key": "discipline", "y": 0.0},
                       {"key": "yanbian", "y": SENGE_ROW}]}
    return b.tour(layout)


BUILDERS = {"tree": tree_tour, "chain": chain_tour, "problem-to-practice": problem_to_practice_tour,
            "senge": senge_tour}


def build_tour(cg: ConceptGraph, name: str) -> Tour:
    if name not in BUILDERS:
        raise UnknownTour(name)
    return BUILDERS[name](cg)


_CACHE: "weakref.WeakKeyDictionary[ConceptGraph, dict[str, Tour]]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def tours_for(cg: ConceptGraph) -> dict[str, Tour]:
    """Every tour of this concept graph, built once (the data does not change under a running explorer)."""
    with _LOCK:
        found = _CACHE.get(cg)
        if found is None:
            found = {name: build_tour(cg, name) for name in TOURS}
            _CACHE[cg] = found
        return found


def get_tour(cg: ConceptGraph, name: str) -> Tour:
    tours = tours_for(cg)
    if name not in tours:
        raise UnknownTour(name)
    return tours[name]


# -- the handout --------------------------------------------------------------------------------------

A4_LANDSCAPE_PT = (841.89, 595.28)
HANDOUT_MARGIN_PT = 28.0
QUOTE_WRAP = 40  # characters a line in the quote table
QUOTES_ONE_COLUMN = 4  # more quotes than this go in two columns
DIM_EDGE = '#c4c4c4'
#: text without any Chinese is drawn in a Latin font: cairo embeds a near-complete copy of Noto Sans CJK
#: (about 0.9 MB a page) when some capital Latin letters are drawn in it next to Chinese ones
LATIN_FONT = "DejaVu Sans"


def _has_cjk(text: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"
               or "\u3000" <= ch <= "\u303f" for ch in text)


def _latin_font() -> str | None:
    from kg import export

    return LATIN_FONT if export._font_file(LATIN_FONT) else None


def _wrap(text: str, width: int) -> list[str]:
    """Chinese (and mixed) text in lines of about ``width`` characters, broken between words
    (:func:`kg.linebreak.wrap_zh`); Latin text in lines of ``2 × width`` letters."""
    if not any("\u3400" <= ch <= "\u9fff" for ch in text):
        return textwrap.wrap(text, width * 2) or [""]
    return wrap_zh(text, width)


def _handout_label(tour: Tour, step: TourStep, catalog: Catalog, labels: str) -> str:
    """The page heading as an HTML-like label: tour and step number, the step's title, then its quotes."""
    lang = "en" if labels == "en" else "zh"

    def both(value: Bilingual) -> list[str]:
        if labels == "both" and value.en and value.en != value.zh:
            return [value.zh, value.en]
        return [value.get(lang) or value.zh]

    latin = _latin_font()

    def font(text: str, size: int, colour: str | None = None, bold: bool = False) -> str:
        """One run of text: Chinese in the named CJK font (the graph's), Latin-only text in ``latin``."""
        attrs = f' POINT-SIZE="{size}"' + (f' COLOR="{colour}"' if colour else "")
        if latin and not _has_cjk(text):
            attrs += f' FACE="{latin}"'
        body = escape(text)
        return f"<FONT{attrs}>{'<B>' + body + '</B>' if bold else body}</FONT>"

    head = " · ".join(font(part, 11, "#555555") for part in both(tour.title))
    rows = [f'<TR><TD ALIGN="LEFT">{head}{font(f" — {step.number} / {len(tour.steps)}", 11, "#555555")}</TD></TR>']
    for line in both(step.title):
        rows.append(f'<TR><TD ALIGN="LEFT">{font(line, 20, bold=True)}</TD></TR>')
    for line in both(step.subtitle):
        rows.append(f'<TR><TD ALIGN="LEFT">{font(line, 12, "#444444")}</TD></TR>')
    cells = []
    columns = 2 if len(step.quotes) > QUOTES_ONE_COLUMN else 1
    for q in step.quotes:
        concept = catalog.concepts.get(q.concept)
        name = concept.label.get(lang) if concept else q.concept
        where = f"{ARTICLE_NAMES.get(q.article, Bilingual(q.article, q.article)).get(lang)} · {q.paragraph} · {name}"
        text = '<BR ALIGN="LEFT"/>'.join(font(line, 12) for line in _wrap(q.exact, QUOTE_WRAP))
        cells.append(f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{text}'
                     f'<BR ALIGN="LEFT"/>{font(where, 9, "#555555")}</TD>')
    span = f' COLSPAN="{columns}"' if columns > 1 else ""
    rows = [row.replace("<TD ", f"<TD{span} ", 1) for row in rows]
    for i in range(0, len(cells), columns):
        rows.append("<TR>" + "".join(cells[i:i + columns]) + "</TR>")
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">{"".join(rows)}</TABLE>>'


def _handout_texts(tour: Tour, step: TourStep, catalog: Catalog) -> list[str]:
    texts = [tour.title.zh, tour.title.en, step.title.zh, step.title.en, step.subtitle.zh, step.subtitle.en]
    texts += [n.label.zh for n in step.graph.nodes] + [n.label.en for n in step.graph.nodes]
    texts += [catalog.relation_label(e.relation, "zh") for e in step.graph.edges]
    texts += [q.exact for q in step.quotes] + [q.paragraph for q in step.quotes]
    texts += [a.zh for a in ARTICLE_NAMES.values()]
    return texts


def _runs(lines: list[str], latin: str, bold: bool = False) -> list[str]:
    out = []
    for line in lines:
        body = f"<B>{escape(line)}</B>" if bold else escape(line)
        out.append(body if _has_cjk(line) else f'<FONT FACE="{latin}">{body}</FONT>')
    return out


def _mixed_label(label: Bilingual, points: list[Bilingual], latin: str) -> str:
    """A zh + en node label (or chain card) as an HTML-like label: Chinese lines in the graph's CJK font,
    English lines in the Latin one."""
    from kg import export

    if not points:
        return "<" + "<BR/>".join(_runs(export.node_lines(label, "both"), latin)) + ">"
    rows = "".join(f'<TR><TD ALIGN="CENTER">{run}</TD></TR>'
                   for run in _runs(export.node_lines(label, "both"), latin, bold=True))
    for point in points:
        zh = wrap_zh(point.zh, 18) if point.zh else []
        en = textwrap.wrap(point.en, 40) if point.en else []
        rows += '<TR><TD ALIGN="LEFT" BALIGN="LEFT">· ' + '<BR ALIGN="LEFT"/>　'.join(_runs(zh + en, latin)) + "</TD></TR>"
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{rows}</TABLE>>'


def step_dot(tour: Tour, step: TourStep, catalog: Catalog, labels: str = "zh"):
    """One handout page as a Graphviz graph: the step's graph drawn by :func:`kg.export.to_dot`, new concepts
    bold, earlier ones grey, the title and quotes in the graph's label (plain, selectable text)."""
    from kg import export

    options = export.ExportOptions(fmt="pdf", labels=labels, title=False, legend=False, source=False)
    g = export.to_dot(step.graph, catalog, options)
    focus = set(step.focus)
    folded = export._fold(step.graph)  # chain cards: points drawn inside their item, not as nodes
    drawn = {n.id for n in step.graph.nodes} - {p for points in folded.values() for p in points}
    latin = _latin_font()
    labels_by_id = {n.id: n.label for n in step.graph.nodes}
    for cid in step.shown:
        if cid not in drawn:
            continue
        attrs = ({"penwidth": "3", "color": "#000000", "fontcolor": "#000000"} if cid in focus else
                 {"fillcolor": "#f2f2f2", "color": "#b0b0b0", "fontcolor": "#8a8a8a", "penwidth": "1"})
        lines = export.node_lines(labels_by_id[cid], labels)
        for point in folded.get(cid, []):
            lines += export.node_lines(labels_by_id[point], labels)
        if latin and not any(_has_cjk(line) for line in lines):
            attrs["fontname"] = latin
        elif latin and labels == "both":
            attrs["label"] = _mixed_label(labels_by_id[cid], [labels_by_id[p] for p in folded.get(cid, [])], latin)
        g.node(cid, **attrs)
    _dim_earlier_edges(g, step)
    attrs = {"label": _handout_label(tour, step, catalog, labels), "labelloc": "t", "labeljust": "l",
             "fontname": FONT, "ranksep": "0.3", "nodesep": "0.18"}
    if tour.name == "problem-to-practice":
        attrs["rankdir"] = "RL"  # problems on the left, practices on the right
    g.attr("graph", **attrs)
    return g


_EDGE_LINE = re.compile(r'^\t("(?:[^"\\]|\\.)*"|[^\s"]+) -> ("(?:[^"\\]|\\.)*"|[^\s"]+) \[(.*)\]$')


def _dim_earlier_edges(g, step: TourStep) -> None:
    """Grey the links drawn in earlier steps (those the step is not about); Graphviz has no way to restyle an
    edge once declared, so the attribute list of its line is extended (a later attribute wins)."""
    hot = set(step.new_edges) | {link.id for link in step.links}
    hot_pairs = {tuple(eid.split("|")[::2]) for eid in hot}

    def unquote(text: str) -> str:
        return text[1:-1].replace('\\"', '"') if text.startswith('"') else text

    for i, line in enumerate(g.body):
        m = _EDGE_LINE.match(line.rstrip("\n"))
        if not m or "style=invis" in m.group(3):
            continue
        if (unquote(m.group(1)), unquote(m.group(2))) in hot_pairs:
            g.body[i] = line.rstrip("\n")[:-1] + ' penwidth=1.8]' + ("\n" if line.endswith("\n") else "")
        else:
            g.body[i] = line.rstrip("\n")[:-1] + f' color="{DIM_EDGE}" fontcolor="{DIM_EDGE}"]' + (
                "\n" if line.endswith("\n") else "")


def handout_pdf(tour: Tour, catalog: Catalog, labels: str = "zh", workers: int = 6) -> bytes:
    """The tour as a PDF handout: one A4 page per step (landscape or portrait, as the drawing is wider or
    taller), its graph and its quotes.

    Each page is drawn by Graphviz with cairo (the text stays text, in the named CJK font, checked by
    :func:`kg.export.check_font` first), then scaled onto an A4 page and merged with pypdf."""
    import shutil

    from pypdf import PageObject, PdfReader, PdfWriter, Transformation

    from kg import export

    if labels not in export.LABELS:
        raise export.ExportError(f"labels must be one of {', '.join(export.LABELS)}")
    if shutil.which("dot") is None:
        raise export.ExportError("Graphviz is not installed (Debian: apt-get install graphviz)")
    export.check_font([t for s in tour.steps for t in _handout_texts(tour, s, catalog)])

    def draw(step: TourStep) -> bytes:
        return step_dot(tour, step, catalog, labels).pipe(format="pdf", renderer="cairo")

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pages = list(pool.map(draw, tour.steps))
    writer = PdfWriter()
    for data in pages:
        src = PdfReader(io.BytesIO(data)).pages[0]
        w, h = float(src.mediabox.width), float(src.mediabox.height)
        # a tall drawing (the tree grows upwards) goes on a portrait page, a wide one on a landscape page
        width, height = A4_LANDSCAPE_PT if w >= h else A4_LANDSCAPE_PT[::-1]
        scale = min((width - 2 * HANDOUT_MARGIN_PT) / w, (height - 2 * HANDOUT_MARGIN_PT) / h, 1.0)
        page = PageObject.create_blank_page(width=width, height=height)
        dx = (width - w * scale) / 2 - float(src.mediabox.left) * scale
        dy = height - HANDOUT_MARGIN_PT - h * scale - float(src.mediabox.bottom) * scale  # top-aligned
        page.merge_transformed_page(src, Transformation().scale(scale, scale).translate(dx, dy))
        writer.add_page(page)
    writer.add_metadata({"/Title": f"{tour.title.zh} · {tour.title.en}", "/Creator": "learning-organ-kg tours"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_PDF_CACHE: "weakref.WeakKeyDictionary[Tour, dict[str, bytes]]" = weakref.WeakKeyDictionary()


def cached_handout(tour: Tour, catalog: Catalog, labels: str = "zh") -> bytes:
    """:func:`handout_pdf`, kept per tour and label mode (a tour never changes once built)."""
    with _LOCK:
        found = _PDF_CACHE.get(tour, {}).get(labels)
    if found is not None:
        return found
    data = handout_pdf(tour, catalog, labels)
    with _LOCK:
        _PDF_CACHE.setdefault(tour, {})[labels] = data
    return data


__all__ = ["BUILDERS", "TOURS", "Tour", "TourError", "TourLink", "TourNote", "TourQuote", "TourStep",
           "UnknownTour", "build_tour", "cached_handout", "get_tour", "handout_pdf", "step_dot", "tours_for"]
