"""The graph pages: one view of the concept graph (``/graph/{view}`` and the embeddable neighbourhood).

:func:`graph_page` returns the view's vis-network payload (:func:`kg.graph.vis_network.payload`): the
view's title, description, parameters, layout, legend, nodes (with the side panel's details), edges,
relations, paging, label mode, the vis-network data and the links the page script follows.  The page, its
JSON island and its JSON twin are that one dict.  URLs are the caller's (``concept_url``, ``links``): the
core builds none.
"""

from __future__ import annotations

from typing import Callable

from kg.explorer import Explorer
from kg.graph.model import GraphError, GraphView, UnknownConcept, UnknownView
from kg.graph.vis_network import payload
from kg.i18n import LANGS, Message
from kg.pages.errors import NotFound
from kg.paging import BadPage, check_window
from kg.search.index import QueryError
from kg.styles import LABEL_MODES


def label_mode(labels: str | None, lang: str | None) -> str:
    """The labels asked for (zh, en or both); none asked: the page's language."""
    if labels is None:
        return "en" if lang == "en" else "zh"
    if labels not in LABEL_MODES:
        raise BadPage(Message("choice", name="labels", known=", ".join(LABEL_MODES), value=labels))
    return labels


def build_view(explorer: Explorer, name: str, concept: str | None = None, depth: int = 1, relations=(),
               classes=(), offset: int = 0, limit: int | None = None) -> GraphView:
    """The view, its errors as a page's: an unknown view or concept :class:`NotFound`, a bad parameter
    :class:`BadPage`."""
    check_window(offset, limit)
    try:
        return explorer.concept_graph.view(name, concept=concept, depth=depth, relations=relations,
                                           classes=classes, offset=offset, limit=limit)
    except UnknownView as exc:
        raise NotFound(exc.message) from None
    except UnknownConcept as exc:
        raise NotFound(Message("unknown_concept", name=exc.concept),
                       suggestions=nearest_concepts(explorer, exc.concept)) from None
    except GraphError as exc:
        raise BadPage(exc.message) from None


def nearest_concepts(explorer: Explorer, name: str, limit: int = 5) -> list[dict]:
    """The concepts whose labels are nearest to an unknown name (the 404's "did you mean"): id, labels,
    class and article, so that two concepts of one label are told apart."""
    try:
        hits = explorer.search_index.nearest(name.replace("-", " "), limit=limit)
    except QueryError:  # a name the index refuses (too long): no suggestions
        return []
    out = []
    for h in hits:
        offered = candidate(explorer, h.id)
        out.append({"id": offered.pop("id"), **offered.pop("label"), **offered})
    return out


def candidate(explorer: Explorer, cid: str) -> dict:
    """A concept offered for a name: id, labels, class (and its label) and article, which tell two concepts
    of one label apart (学习力 is a concept of each article)."""
    cat = explorer.catalog
    c = cat.concepts[cid]
    return {"id": cid, "label": c.label.as_dict(), "class": c.cls,
            "class_label": {lang: cat.term_label(c.cls, lang) for lang in LANGS}, "article": c.article}


def view_page(explorer: Explorer, view: GraphView, labels: str, concept_url: Callable[[str], str] | None = None,
              links: dict | None = None) -> dict:
    """The page of a view already built (the paths page draws the union of its paths with it)."""
    return payload(view, explorer.catalog, labels, concept_url=concept_url, links=links)


def graph_page(explorer: Explorer, name: str, concept: str | None = None, depth: int = 1, relations=(),
               classes=(), offset: int = 0, limit: int | None = None, labels: str | None = None,
               lang: str | None = None, concept_url: Callable[[str], str] | None = None,
               links: dict | None = None) -> dict:
    """The page of the view ``name`` (tree, chain, cross, whole, neighbourhood of ``concept``), filtered by
    relations and classes; the neighbourhood and the whole graph a page of ``limit`` concepts from
    ``offset``; labels in ``labels`` (zh, en, both; none: ``lang``)."""
    view = build_view(explorer, name, concept, depth, relations, classes, offset, limit)
    return view_page(explorer, view, label_mode(labels, lang), concept_url, links)


def view_query(params: dict) -> dict:
    """The query parameters that give a view again, from its ``params`` (for links to it and its exports)."""
    return {"concept": params.get("concept"), "depth": params.get("depth"),
            "relation": params.get("relation") or None, "class": params.get("class") or None}


__all__ = ["build_view", "graph_page", "label_mode", "nearest_concepts", "view_page", "view_query"]
