"""The four presentation tours for trainers, built from the ontology: nothing is written by hand per step.

``tree``
    the Zhonglou "45231" tree built up layer by layer (roots, trunk, branches, flowers, fruit: each step
    adds a layer node and its components), then each component with its practices, in the articles' order
    (ordinals);
``chain``
    the Yanbian article: significances, problems, remedies (a step per part, then a step per item with its
    points);
``problem-to-practice``
    each Yanbian problem, the remedies that address it (``lo:addresses``, read backwards) and the Zhonglou
    practices that are examples of those remedies (``lo:exemplifies``) or the same as one of their points
    (``lo:alignsWith``), or address the problem directly;
``senge``
    Senge's five disciplines across both articles: a step per discipline with the concepts of each article
    that embody it and the concepts of the other article they align with or resemble.

Positions: the tree's layout names its bands (``bands``: each layer from the roots up with its components,
``parts``: each component's practices), which the presentation script lays out for the screen it has; the
chain keeps the chain view's coordinates; the other two tours get columns computed here.  So a concept
stays where it is from step to step.  The titles and the steps' words are the UI catalogue's (``tours.*``).

:func:`tours_for` builds the tours of one :class:`ConceptGraph` once and keeps them; :func:`get_tour` finds
one by name.  What a tour is: :mod:`kg.tours.model`; its PDF handout: :mod:`kg.export.handout`.
"""

from __future__ import annotations

import threading
import weakref

from kg.catalog import Bilingual, Catalog, Concept, Edge, QuoteRef
from kg.graph.concept_graph import ConceptGraph
from kg.graph.layouts import MODEL_ID, YANBIAN_ID
from kg.graph.model import GraphEdge, GraphNode, GraphView
from kg.i18n import LANGS, pair, t
from kg.tours.model import Tour, TourLink, TourNote, TourQuote, TourStep, UnknownTour

TOURS = ("tree", "chain", "problem-to-practice", "senge")

TITLES = {
    "tree": Bilingual(*pair("tours.tree.title")),
    "chain": Bilingual(*pair("tours.chain.title")),
    "problem-to-practice": Bilingual(*pair("tours.problem_to_practice.title")),
    "senge": Bilingual(*pair("tours.senge.title")),
}
DESCRIPTIONS = {
    "tree": Bilingual(*pair("tours.tree.description")),
    "chain": Bilingual(*pair("tours.chain.description")),
    "problem-to-practice": Bilingual(*pair("tours.problem_to_practice.description")),
    "senge": Bilingual(*pair("tours.senge.description")),
}

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


# -- building ---------------------------------------------------------------------------------------


def _say(key: str, **values) -> Bilingual:
    """The catalogue's text of ``key`` in zh and en; a :class:`Bilingual` value goes in in each language."""
    def side(lang: str) -> str:
        return t(key, lang, **{k: getattr(v, lang) if isinstance(v, Bilingual) else v for k, v in values.items()})

    return Bilingual(*(side(lang) for lang in LANGS))


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
              _say("tours.tree.layer", model=model.label, i=i, total=total),
              [layer.id], adds,
              links=[e for e in cat.edges if e.relation == "feeds" and e.target == layer.id],
              quote_all=[layer.id])
    for layer in layers:
        for comp in components[layer.id]:
            parts = [p.id for p in _children(cat, comp.id) if p.id in base]
            b.add("component", comp.id, comp.label, layer.label, [comp.id], parts)
    # bands: the overview the first steps grow, one band a layer from the roots up (the script draws it)
    layout = {"mode": "hierarchical", "direction": "DU", "sortMethod": "directed", "physics": False,
              "levelSeparation": 120, "nodeSpacing": 240, "treeSpacing": 260, "nodeWidth": 200,
              "edgeLabels": False, "model": MODEL_ID,
              "bands": [{"layer": layer.id, "components": [c.id for c in components[layer.id]]}
                        for layer in layers],
              "parts": {comp.id: [p.id for p in _children(cat, comp.id) if p.id in base]
                        for layer in layers for comp in components[layer.id]}}
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
              _say("tours.chain.part", framework=framework.label, i=i, total=total),
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
        # Zhonglou concepts that exemplify a remedy (or one of its points), or address the problem directly
        realised: list[tuple[Edge, str, str]] = []  # (link, the Zhonglou concept, the remedy or point)
        bridges: list[str] = []
        for link in remedy_links:
            rid = link.source
            # a remedy's points are followed only where the text says the remedy is aimed at this problem: where
            # that is the editors' reading, its reason speaks of the remedy, not of each of its points
            inside = sorted(_descendants(cat, rid), key=lambda cid: _order_key(cat.concepts[cid])) \
                if link.status == "stated" else []
            for target in [rid, *inside]:
                # an example of the remedy or point, or the same thing in Zhonglou (alignsWith is symmetric and
                # given once: read from the Zhonglou side)
                found = [(e, e.source) for e in cat.in_edges(target) if e.relation in ("exemplifies", "alignsWith")]
                found += [(e, e.target) for e in cat.out_edges(target) if e.relation == "alignsWith"]
                for e, other in found:
                    if cat.concepts[other].article == "zhonglou":
                        realised.append((e, other, target))
                        if target != rid and target not in bridges:
                            bridges.append(target)
        for _, other, point in realised:
            row = place(point, "point", row_of.get(_remedy_of(cat, point, remedies), start)) \
                if point in bridges else row_of[point]
            place(other, "zhonglou", row)
        for e in direct:
            place(e.source, "zhonglou", start)
        # each point hangs from its remedy: a point inside another point brings the one between (and its link)
        for bridge in list(bridges):
            current = cat.parent(bridge)
            while current and current not in remedies and current not in bridges:
                bridges.append(current)
                place(current, "point", row_of.get(_remedy_of(cat, current, remedies), start))
                current = cat.parent(current)
        bridge_links = [e for bridge in bridges for e in cat.out_edges(bridge)
                        if e.relation == "partOf" and (e.target in remedies or e.target in bridges)]
        plan.append((p, remedy_links, remedies, realised, bridges, bridge_links, direct))

    b.add("overview", "problems", Bilingual(*pair("tours.problem_to_practice.problems")),
          Bilingual(*pair("tours.problem_to_practice.problems_sub")),
          [p.id for p in problems], [p.id for p in problems])
    for p, remedy_links, remedies, realised, bridges, bridge_links, direct in plan:
        b.add("remedies", f"remedies-{p.id}", p.label,
              Bilingual(*pair("tours.problem_to_practice.remedies_sub")),
              [p.id, *remedies], [p.id, *remedies], links=remedy_links, quote_all=[p.id])
        practices = list(dict.fromkeys([*(other for _, other, _ in realised), *(e.source for e in direct)]))
        b.add("practices", f"practices-{p.id}", p.label,
              Bilingual(*pair("tours.problem_to_practice.practices_sub")),
              [p.id, *remedies, *bridges, *practices], [*bridges, *practices],
              links=[*(e for e, _, _ in realised), *bridge_links, *direct],
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

    for theory in theories:
        b.place(theory, level=1, x=0.0, y=0.0, role="theory")
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
                if e.relation in ("alignsWith", "resembles") and e not in aligns and e.source not in dids and e.target not in dids:
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
    b.add("overview", "disciplines", Bilingual(*pair("tours.senge.overview")),
          Bilingual(*pair("tours.senge.overview_sub")),
          [*theories, *(d.id for d in disciplines)],
          [*theories, *(d.id for d in disciplines), *(e.source for e in based)],
          links=[*(e for d in disciplines for e in cat.out_edges(d.id) if e.relation == "partOf"), *based],
          quote_all=[*theories, *(d.id for d in disciplines)])
    for i, (d, embodies, aligns, members, partners) in enumerate(plan, start=1):
        sides = {side(m) for m in members}
        sub = ("tours.senge.discipline_sub" if len(sides) == 2 else "tours.senge.discipline_sub_none" if not sides
               else {"zhonglou": "tours.senge.discipline_sub_zhonglou",
                     "yanbian": "tours.senge.discipline_sub_yanbian"}[sides.pop()])
        b.add("discipline", d.id, d.label,
              _say(sub, i=i, total=len(plan)),
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
        raise UnknownTour(name, TOURS)
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
        raise UnknownTour(name, TOURS)
    return tours[name]


__all__ = ["BUILDERS", "DESCRIPTIONS", "TITLES", "TOURS", "build_tour", "chain_tour", "get_tour",
           "problem_to_practice_tour", "senge_tour", "tours_for", "tree_tour"]
