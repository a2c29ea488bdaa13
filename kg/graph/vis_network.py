"""Drawing a :class:`kg.graph.model.GraphView` for vis-network, through pyvis, without pyvis's template.

pyvis builds the node, edge and option data (``Network.add_node`` / ``add_edge``); its stock HTML
template is not used: it loads Bootstrap and vis-network from a CDN, writes some values unescaped and
switches every tooltip to ``innerHTML`` as soon as one title contains "href".  Instead the data is
taken out with ``Network.get_network_data()`` and rendered by the project's own templates
(``web/templates/graph.html``, ``graph_embed.html``) as a JSON island (its text: :func:`island_json`) that
``web/static/js/graph-1.js`` reads with ``JSON.parse``.

Safety: labels are drawn on a canvas (vis-network's ``font.multi`` stays off, so no markup is
interpreted); titles (tooltips) are plain strings, which vis-network 9 shows with ``innerText``;
the island escapes ``<``, ``>`` and ``&`` so no label can close the ``<script>`` element.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Callable

from pyvis.network import Network

from kg.catalog import Bilingual, Catalog
from kg.graph.model import GraphEdge, GraphNode, GraphView
from kg.i18n import pair
from kg.linebreak import atoms
from kg.styles import CLASS_STYLE, DEFAULT_EDGE_COLOUR, FONT_STACK, LABEL_MODES, class_style, relation_colour


def node_label(label: Bilingual, mode: str = "zh") -> str:
    if mode == "en":
        return label.en or label.zh
    if mode == "both":
        return f"{label.zh}\n{label.en}" if label.en and label.en != label.zh else label.zh
    return label.zh or label.en


def _status_label(status: str) -> str:
    """Whether the text states a link or the editors inferred it, in both languages (a tooltip's last words)."""
    return " ".join(pair("graph.tooltip.inferred" if status == "inferred" else "graph.tooltip.stated"))


def node_title(node: GraphNode, catalog: Catalog) -> str:
    """The tooltip: plain text, one fact a line."""
    lines = [node.label.zh, node.label.en,
             f"{catalog.term_label(node.cls, 'zh')} · {catalog.term_label(node.cls, 'en')}"]
    concept = catalog.concepts.get(node.id)
    if concept is not None and concept.article:  # 学习力 is a concept of each article: say which
        lines.append(" · ".join(pair(f"article.{concept.article}")))
    return "\n".join(line for line in lines if line)


def edge_title(edge: GraphEdge, catalog: Catalog) -> str:
    def name(cid: str) -> str:
        c = catalog.concepts.get(cid)
        return c.label.zh if c else cid

    zh = catalog.relation_label(edge.relation, "zh")
    en = catalog.relation_label(edge.relation, "en")
    return f"{name(edge.source)} —{zh}→ {name(edge.target)}\n{en} · {_status_label(edge.status)}"


def _group(cls: str) -> dict:
    style = class_style(cls)
    background, border, font_colour, shape = style.fill, style.border, style.font, style.shape
    return {"shape": shape, "font": {"color": font_colour},
            "color": {"background": background, "border": border,
                      "highlight": {"background": background, "border": "#0b5cad"},
                      "hover": {"background": background, "border": "#0b5cad"}}}


def vis_options(view: GraphView) -> dict:
    """vis-network options for the view's layout hints."""
    layout = view.layout or {}
    mode = layout.get("mode", "physics")
    options: dict = {
        "autoResize": True,
        "nodes": {
            "shape": "box",
            "font": {"face": FONT_STACK, "size": 14, "multi": False},
            "margin": {"top": 6, "bottom": 6, "left": 8, "right": 8},
            "widthConstraint": {"maximum": layout.get("nodeWidth", 150)},
            "borderWidth": 1,
            "shapeProperties": {"borderRadius": 4},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "color": {"color": DEFAULT_EDGE_COLOUR, "inherit": False},
            "font": {"face": FONT_STACK, "size": 11, "align": "middle", "strokeWidth": 3, "multi": False},
            "width": 1.2,
            "selectionWidth": 2,
        },
        "groups": {cls: _group(cls) for cls in sorted({*CLASS_STYLE, *(n.cls for n in view.nodes)})},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False,
                        "multiselect": False},
    }
    if mode == "hierarchical":
        options["layout"] = {"hierarchical": {
            "enabled": True,
            "direction": layout.get("direction", "DU"),
            "sortMethod": layout.get("sortMethod", "directed"),
            "levelSeparation": layout.get("levelSeparation", 100),
            "nodeSpacing": layout.get("nodeSpacing", 160),
            "treeSpacing": layout.get("treeSpacing", 200),
            "blockShifting": True,
            "edgeMinimization": True,
            "parentCentralization": True,
        }}
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "vertical",
                                      "roundness": 0.4}
    elif mode == "preset":
        options["layout"] = {"hierarchical": {"enabled": False}}
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.08}
    else:
        options["layout"] = {"hierarchical": {"enabled": False}, "improvedLayout": len(view.nodes) <= 150,
                             "randomSeed": 7}
        options["physics"] = {
            "enabled": True,
            "solver": layout.get("solver", "barnesHut"),
            "barnesHut": {"gravitationalConstant": -9000, "springLength": 170, "springConstant": 0.03,
                          "avoidOverlap": 0.6},
            "forceAtlas2Based": {"gravitationalConstant": -120, "springLength": 130, "avoidOverlap": 0.7},
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
        }
        options["edges"]["smooth"] = {"enabled": True, "type": "continuous"}
    return options


def build_network(view: GraphView, catalog: Catalog, labels: str = "zh") -> Network:
    """A pyvis Network holding the view's nodes, edges and options (pyvis's template is never used)."""
    if labels not in LABEL_MODES:
        raise ValueError(f"labels must be one of {', '.join(LABEL_MODES)}")
    net = Network(directed=True, height="100%", width="100%")
    net.options = vis_options(view)  # a dict: pyvis's set_options() strips the spaces out of strings
    for node in view.nodes:
        shape = class_style(node.cls).shape
        extra: dict = {}
        for key in ("level", "x", "y"):
            value = getattr(node, key)
            if value is not None:
                extra[key] = value
        if node.role in ("model", "layer", "main", "discipline", "centre", "end"):
            extra["font"] = {"size": 17 if node.role in ("model", "layer", "centre") else 15}
        elif node.role == "part":
            extra["font"] = {"size": 13}
        if node.role == "model":
            extra["widthConstraint"] = {"maximum": 240}
        net.add_node(
            node.id,
            label=node_label(node.label, labels),
            shape=shape,
            group=node.cls,  # colours come from the class's group in options.groups
            title=node_title(node, catalog),
            borderWidth=3 if node.role in ("centre", "end") else 1,
            label_zh=node.label.zh,
            label_zh_atoms=list(atoms(node.label.zh)),  # where the browser may break it into lines
            label_en=node.label.en,
            cls=node.cls,
            role=node.role or "",
            **extra,
        )
    shown = view.node_ids
    for edge in view.edges:
        colour = relation_colour(edge.relation)
        zh, en = catalog.relation_label(edge.relation, "zh"), catalog.relation_label(edge.relation, "en")
        # a later page of a paged view links to concepts shown by the pages before it, which pyvis
        # (checking both ends are in this network) would refuse: those edges go in as its own dicts
        add = net.add_edge if edge.source in shown and edge.target in shown else _add_edge_to_earlier(net)
        add(
            edge.source, edge.target,
            id=edge.id,
            title=edge_title(edge, catalog),
            dashes=edge.status == "inferred",
            color={"color": colour, "highlight": "#0b5cad", "hover": "#0b5cad", "inherit": False},
            width=2.5 if edge.relation in ("feeds", "hinders", "addresses") else 1.2,
            relation=edge.relation,
            status=edge.status,
            label_zh=zh,
            label_en=en,
            arrows="to",
        )
    return net


def _add_edge_to_earlier(net: Network):
    def add(source: str, target: str, **options) -> None:
        net.edges.append({"from": source, "to": target, **options})
    return add


def vis_data(view: GraphView, catalog: Catalog, labels: str = "zh") -> dict:
    """``{"nodes", "edges", "options"}`` for vis-network, JSON-safe, taken from the pyvis Network."""
    net = build_network(view, catalog, labels)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {"nodes": [dict(n) for n in nodes], "edges": [dict(e) for e in edges], "options": json.loads(options)}


def concept_details(catalog: Catalog, cid: str) -> dict:
    """What the side panel shows: definition, first quote, class labels."""
    c = catalog.concepts.get(cid)
    if c is None:
        return {}
    quote = c.quotes[0] if c.quotes else None
    return {
        "class_label": {"zh": catalog.term_label(c.cls, "zh"), "en": catalog.term_label(c.cls, "en")},
        "definition": c.definition.as_dict(),
        "quote": {"text": quote.exact, "article": quote.article, "paragraph": quote.paragraph} if quote else None,
    }


def payload(view: GraphView, catalog: Catalog, labels: str = "zh",
            concept_url: Callable[[str], str] | None = None, links: dict | None = None) -> dict:
    """The view as JSON: its data, the side-panel details of every node, legends with colours,
    the vis-network data, and the links the page's script needs (``links``)."""
    data = view.as_dict()
    for node in data["nodes"]:
        node.update(concept_details(catalog, node["id"]))
        if concept_url is not None:
            node["url"] = concept_url(node["id"])
    for item in data["legend"]:
        style = class_style(item["class"])
        item.update({"color": style.fill, "border": style.border, "font_color": style.font, "shape": style.shape})
    counts = Counter(e.relation for e in view.edges)
    data["relations"] = [
        {"relation": rel, "count": counts[rel], "color": relation_colour(rel),
         "label": {"zh": catalog.relation_label(rel, "zh"), "en": catalog.relation_label(rel, "en")}}
        for rel in sorted(counts, key=lambda r: (-counts[r], r))
    ]
    data["labels"] = labels
    data["vis"] = vis_data(view, catalog, labels)
    if links:
        data["links"] = links
    return data


_ISLAND_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                   0x2028: "\\u2028", 0x2029: "\\u2029"}


def island_json(data) -> str:
    """JSON text safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` escaped.  Plain text:
    the template environments mark it safe (``api/templating.py`` ``json_island``)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ISLAND_ESCAPES)


__all__ = ["build_network", "concept_details",
           "island_json", "node_label", "payload", "vis_data", "vis_options"]
