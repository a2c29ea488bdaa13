"""The levels of detail a view is exported at: what a page of each level holds, as a :class:`Board` of
groups of cards (a tree layer and its components, a chain column and its items) and the links between them.

* ``overview``: the 45231 tree's five layers and fifteen components (one band a layer, fruit on top, roots
  at the bottom); Yanbian's three significances, three problems and six remedies with their links (three
  columns);
* ``detail``: one layer (its components as bands, each with its practices) or one component of the tree,
  one significance, problem or remedy of the chain with its points (``concept=`` names which);
* ``full``: every node of the view: on a page, the tree's fifteen components each with its practices and
  the chain's twelve items each with its points, as bands (legible on a poster); at the drawing's own size
  and for the other views, drawn by Graphviz (:mod:`kg.export.dot`).

The boards are built from the :class:`~kg.graph.model.GraphView` as filtered on screen: a hidden class
or relation is missing from the board too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.catalog import Bilingual
from kg.export.options import ExportError
from kg.graph.model import GraphEdge, GraphNode, GraphView
from kg.i18n import Message, Term

#: the levels of detail, coarse to fine (``auto``: the level that fits the page, see :func:`choose_level`)
LEVELS = ("auto", "overview", "detail", "full")
#: the views drawn as boards at the overview and detail levels
BOARD_VIEWS = ("tree", "chain")
CHAIN_COLUMNS = ("Significance", "Problem", "Remedy")


@dataclass
class Card:
    id: str
    cls: str
    label: Bilingual


@dataclass
class Group:
    """A band of the tree (a layer, or a component at the detail level) or a column of the chain."""

    id: str
    cls: str  # the class whose colours the group takes
    label: Bilingual
    cards: list[Card] = field(default_factory=list)


@dataclass
class Board:
    view: str
    level: str
    title: Bilingual
    groups: list[Group]  # bands top to bottom, or columns left to right
    links: list[GraphEdge] = field(default_factory=list)
    arrangement: str = "bands"  # bands (rows) or columns
    fallback: "Board | None" = None  # drawn instead when this one does not fit its page (a tour step's bands)


def drawn_as_board(view: GraphView, level: str, preset: str) -> bool:
    """Whether this level is drawn as a board (:mod:`kg.export.board`) rather than by Graphviz's layout."""
    return view.name in BOARD_VIEWS and (level in ("overview", "detail") or preset != "none")


def choose_level(view: GraphView, level: str, preset: str, concept: str | None) -> str:
    """The level a request is drawn at: ``auto`` is the overview of the tree and the chain on a page
    (the detail when a concept is named), the full drawing otherwise."""
    if level not in LEVELS:
        raise ExportError(Message("choice", name="level", value=level, known=", ".join(LEVELS)))
    if level != "auto":
        if level in ("overview", "detail") and view.name not in BOARD_VIEWS:
            raise ExportError(Message("export.one_level", view=Term(f"problem.export.view.{view.name}"),
                                      boards=", ".join(BOARD_VIEWS)))
        if level == "detail" and not concept:
            raise ExportError(Message("export.detail_needs_concept"))
        return level
    if view.name in BOARD_VIEWS and preset != "none":
        return "detail" if concept and _has_detail(view, concept) else "overview"
    return "full"


def _has_detail(view: GraphView, concept: str) -> bool:
    """Whether ``concept`` has a detail page: a layer or component of the tree, an item of the chain."""
    node = next((n for n in view.nodes if n.id == concept), None)
    return node is not None and (node.role in ("layer", "component") or node.cls in CHAIN_COLUMNS)


def _children(view: GraphView) -> dict[str, list[GraphNode]]:
    by_id = {n.id: n for n in view.nodes}
    out: dict[str, list[GraphNode]] = {}
    order = {n.id: i for i, n in enumerate(view.nodes)}
    for e in sorted(view.edges, key=lambda e: order.get(e.source, 0)):
        if e.relation == "partOf" and e.source in by_id and e.target in by_id:
            out.setdefault(e.target, []).append(by_id[e.source])
    return out


def _card(node: GraphNode) -> Card:
    return Card(node.id, node.cls, node.label)


def _group(node: GraphNode, cards: list[GraphNode], cls: str | None = None) -> Group:
    return Group(node.id, cls or (cards[0].cls if cards else node.cls), node.label, [_card(c) for c in cards])


def build_board(view: GraphView, level: str, concept: str | None = None) -> Board:
    """The board of the tree or the chain at the overview or the detail level."""
    if view.name == "tree":
        return _tree_board(view, level, concept)
    if view.name == "chain":
        return _chain_board(view, level, concept)
    raise ExportError(Message("export.full_only", view=Term(f"problem.export.view.{view.name}")))


def _tree_board(view: GraphView, level: str, concept: str | None) -> Board:
    children = _children(view)
    layers = [n for n in view.nodes if n.role == "layer"]
    layers.sort(key=lambda n: -(n.level or 0))  # fruit on top, roots at the bottom
    if level == "full":
        groups = [_group(c, children.get(c.id, []), c.cls) for layer in layers for c in children.get(layer.id, [])]
        return Board("tree", "full", view.title, groups)  # the roots' ideas have no parts: a band each
    if level == "overview":
        groups = [_group(layer, children.get(layer.id, [])) for layer in layers]
        groups = [g for g in groups if g.cards]
        if not groups:
            raise ExportError(Message("export.overview_needs_classes"))
        return Board("tree", "overview", view.title, groups)
    by_id = {n.id: n for n in view.nodes}
    node = by_id.get(concept or "")
    if node is None or node.role not in ("layer", "component"):
        names = ", ".join(n.id for n in layers)
        raise ExportError(Message("export.tree_detail_concept", names=names))
    components = children.get(node.id, []) if node.role == "layer" else [node]
    groups = [_group(c, children.get(c.id, []), c.cls) for c in components]
    groups = [g for g in groups if g.cards] or groups
    title = Bilingual(f"{view.title.zh} · {node.label.zh}", f"{view.title.en} · {node.label.en}")
    return Board("tree", "detail", title, groups)


def _chain_board(view: GraphView, level: str, concept: str | None) -> Board:
    from kg.export.dot import fold_points

    items = {cls: [n for n in view.nodes if n.cls == cls] for cls in CHAIN_COLUMNS}
    legend = {i.cls: i.label for i in view.legend}
    if level == "full":
        folded = fold_points(view)
        by_id = {n.id: n for n in view.nodes}
        groups = [Group(n.id, n.cls, n.label, [_card(by_id[p]) for p in folded.get(n.id, [])])
                  for cls in CHAIN_COLUMNS for n in items[cls]]
        return Board("chain", "full", view.title, groups)
    if level == "overview":
        groups = [Group(cls, cls, legend.get(cls, Bilingual(cls, cls)), [_card(n) for n in items[cls]])
                  for cls in CHAIN_COLUMNS if items[cls]]
        ids = {c.id for g in groups for c in g.cards}
        links = sorted((e for e in view.edges if e.source in ids and e.target in ids),
                       key=lambda e: (e.source, e.relation, e.target))
        return Board("chain", "overview", view.title, groups, links, "columns")
    by_id = {n.id: n for n in view.nodes}
    node = by_id.get(concept or "")
    if node is None or node.cls not in CHAIN_COLUMNS:
        names = ", ".join(n.id for cls in CHAIN_COLUMNS for n in items[cls])
        raise ExportError(Message("export.chain_detail_concept", names=names))
    points = [by_id[p] for p in fold_points(view).get(node.id, [])]
    title = Bilingual(f"{view.title.zh} · {node.label.zh}", f"{view.title.en} · {node.label.en}")
    return Board("chain", "detail", title, [Group(node.id, node.cls, node.label, [_card(p) for p in points])])


__all__ = ["BOARD_VIEWS", "LEVELS", "Board", "Card", "Group", "build_board", "choose_level", "drawn_as_board"]
