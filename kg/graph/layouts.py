"""Where each node of the drawn views goes: the tree's levels, the chain's three columns, the cross view's
rows, the paths' rows, with the distances between them.

Each ``*_layout`` function picks the nodes of its view from the catalog and places them, and returns them
with the layout hints :mod:`kg.graph.vis_network` reads:

* ``hierarchical``: vis-network's hierarchical layout with an explicit ``level`` per node
  (the tree: direction ``DU``, level 0 at the bottom, so the roots are lowest and the fruit highest);
* ``preset``: fixed ``x``/``y`` per node computed here (the chain's three columns, the cross view, paths);
* ``physics``: a force layout (neighbourhood, whole graph: nothing to place here).
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from kg.catalog import ACROSS_ARTICLES, Catalog, Edge
from kg.graph.model import GraphError, GraphNode, GraphPath
from kg.i18n import pair

#: the concepts the tree and the chain grow from
MODEL_ID = "model-45231"
YANBIAN_ID = "framework-yanbian"

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


def _node(cat: Catalog, cid: str, **extra) -> GraphNode:
    return GraphNode.of(cat.concepts[cid], **extra)


def _label(key: str) -> dict:
    zh, en = pair(key)
    return {"zh": zh, "en": en}


def tree_layout(cat: Catalog) -> tuple[list[GraphNode], dict]:
    """The 45231 model as a tree: model, its five layers, their 15 components and the components' parts.

    Levels count from the bottom (vis-network direction ``DU``): the model sits at level 0 below the
    roots; each layer gets a band of levels (layer node, then its components, then their parts, split
    over several rows when a layer has many), with an empty level between bands, so the roots' band is
    lowest and the fruit's highest.
    """
    layers = [c for c in cat.children(MODEL_ID) if c.cls == "FrameworkPart"]
    nodes: list[GraphNode] = [_node(cat, MODEL_ID, level=0, role="model")]
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
        nodes.append(_node(cat, layer.id, level=layer_level, role="layer"))
        for comp in components:
            nodes.append(_node(cat, comp.id, level=comp_level, role="component"))
        for i, (_parent, part) in enumerate(parts):
            if part.id in {n.id for n in nodes}:
                continue
            nodes.append(_node(cat, part.id, level=part_levels[i % rows], role="part"))
        used = [layer_level, comp_level, *part_levels[: len(parts)]] if parts else [layer_level, comp_level]
        band["levels"] = sorted(set(used))
        band["layer_level"] = layer_level
        band["component_level"] = comp_level
        bands.append(band)
        level = max(band["levels"]) + 2  # one empty level between bands
    layout = {"mode": "hierarchical", "direction": "DU", "sortMethod": "directed", "physics": False,
              "levelSeparation": 72, "nodeSpacing": 168, "treeSpacing": 190, "nodeWidth": 128,
              "bands": bands, "edgeLabels": False}
    return nodes, layout


CHAIN_COLUMNS = ("Significance", "Problem", "Remedy")


def chain_layout(cat: Catalog) -> tuple[list[GraphNode], dict]:
    """Yanbian: significances | problems | remedies as three columns, each item with its points below it."""
    columns = [(cls, [c for c in cat.concepts.values() if c.cls == cls]) for cls in CHAIN_COLUMNS]
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
            nodes.append(_node(cat, item.id, level=col * 2, x=x0, y=y, role="main"))
            y += CHAIN_MAIN_GAP
            for i, point in enumerate(points):
                in_row = min(per_row, len(points) - (i // per_row) * per_row)
                px = x0 + ((i % per_row) - (in_row - 1) / 2) * CHAIN_POINT_DX
                py = y + (i // per_row) * CHAIN_ROW
                nodes.append(_node(cat, point.id, level=col * 2 + 1, x=px, y=py, role="point"))
            y += math.ceil(len(points) / per_row) * CHAIN_ROW + CHAIN_GROUP_GAP
    layout = {"mode": "preset", "physics": False, "edgeLabels": False,
              "columns": [{"class": cls, "label": {"zh": cat.term_label(cls, "zh"), "en": cat.term_label(cls, "en")},
                           "x": column_x[i]} for i, (cls, _) in enumerate(columns)]}
    return nodes, layout


def cross_layout(cat: Catalog) -> tuple[list[GraphNode], list[Edge], dict]:
    """Zhonglou (left) and Yanbian (right) linked through Senge's five disciplines (middle): the nodes, the
    links drawn (embodies a discipline; aligns with, resembles or exemplifies across the articles) and the layout."""
    disciplines = sorted((c for c in cat.concepts.values() if c.cls == "Discipline"),
                         key=lambda c: (c.ordinal or 10_000, c.id))
    if not disciplines:
        raise GraphError("the graph has no disciplines")
    dids = {d.id for d in disciplines}
    picked: list[Edge] = []
    for e in cat.edges:
        if e.relation == "embodies" and e.target in dids:
            picked.append(e)
        elif e.relation in ACROSS_ARTICLES:
            a, b = cat.concepts[e.source].article, cat.concepts[e.target].article
            if a and b and a != b:
                picked.append(e)
    ids = dids | {e.source for e in picked} | {e.target for e in picked}
    # rows: concepts linked across the articles share rows (Zhonglou left, Yanbian right), so the
    # lines across the articles run straight across; the groups that embody a discipline sit
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
    rows_of = []
    for d in disciplines:
        rows = [place[cid][1] for cid in place if order[d.id] in embodied[cid]]
        rows_of.append([d.id, (sum(rows) / len(rows)) if rows else middle])
    rows_of.sort(key=lambda item: order[item[0]])
    for i in range(1, len(rows_of)):  # keep the disciplines in order and apart
        rows_of[i][1] = max(rows_of[i][1], rows_of[i - 1][1] + 2)
    nodes = [_node(cat, cid, level=1, x=0.0, y=(r - middle) * CROSS_ROW, role="discipline") for cid, r in rows_of]
    for cid, (side, r) in sorted(place.items(), key=lambda kv: kv[1][1]):
        x = -CROSS_COLUMN if side == "zhonglou" else CROSS_COLUMN
        nodes.append(_node(cat, cid, level=0 if side == "zhonglou" else 2, x=x, y=(r - middle) * CROSS_ROW,
                           role=side))
    layout = {"mode": "preset", "physics": False, "edgeLabels": False,
              "nodeWidth": 210,
              "columns": [{"article": "zhonglou", "label": _label("graph.column.zhonglou"), "x": -CROSS_COLUMN},
                          {"article": None, "label": _label("graph.column.disciplines"), "x": 0},
                          {"article": "yanbian", "label": _label("graph.column.yanbian"), "x": CROSS_COLUMN}]}
    return nodes, picked, layout


def paths_layout(cat: Catalog, a: str, b: str, found: list[GraphPath]) -> tuple[list[GraphNode], dict]:
    """Source on the left, target on the right, each path on its own row (shared nodes keep their first place)."""
    pos: dict[str, tuple[float, float]] = {a: (0.0, 0.0)}
    width = PATH_STEP * max([p.length for p in found] or [1])
    pos[b] = (width, 0.0)
    for i, path in enumerate(found):
        row = (i + 1) // 2 * (1 if i % 2 else -1)  # 0, +1, -1, +2, -2 ...
        for j, cid in enumerate(path.nodes[1:-1], start=1):
            if cid not in pos:
                pos[cid] = (j / path.length * width, row * PATH_ROW)
    nodes = [_node(cat, cid, x=xy[0], y=xy[1], role="end" if cid in (a, b) else None) for cid, xy in pos.items()]
    return nodes, {"mode": "preset", "physics": False, "edgeLabels": True}


def _ordinal_key(cat: Catalog, cid: str):
    c = cat.concepts[cid]
    return (c.cls, c.ordinal or 10_000, cid)


__all__ = ["MODEL_ID", "YANBIAN_ID", "chain_layout", "cross_layout", "paths_layout", "tree_layout"]
