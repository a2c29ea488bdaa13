"""The paths page: the k shortest paths between two concepts, named by id or exact label (``/paths``).

:func:`paths_page` returns one dict for the page and its JSON twin: the question (``form``), what the form
offers (``choices``: every relation; the concepts come from the suggest endpoint as one types), and once
both ends are given the paths (``from``,
``to``, ``k``, ``max_length``, ``relations``, ``lang``, ``count``, ``paths`` as steps and readable chains),
the ``concepts`` they pass through, and ``graph``: the vis-network page of their union
(:func:`kg.pages.graph.view_page`).  A name several concepts share, or none, is answered with the
candidates: the concepts sharing it, or what search finds for it.
"""

from __future__ import annotations

from typing import Callable

from kg.explorer import Explorer
from kg.graph.model import AmbiguousConcept, GraphError, UnknownConcept
from kg.i18n import LANGS
from kg.pages.graph import candidate, view_page
from kg.pages.errors import Message, NotFound
from kg.paging import BadPage
from kg.search.index import QueryError


def resolve_concept(explorer: Explorer, text: str) -> str:
    """An id or an exact name; otherwise the error names the candidates: the concepts sharing the name
    (:class:`BadPage`), or what search finds for it (pinyin, a typo, part of a label: :class:`NotFound`)."""
    try:
        return explorer.concept_graph.resolve(text)
    except AmbiguousConcept as exc:
        raise BadPage(Message("ambiguous_name", name=text, n=len(exc.candidates)),
                      asked=text, candidates=[candidate(explorer, c) for c in exc.candidates]) from None
    except UnknownConcept:
        try:
            hits = explorer.search_index.search(text, limit=5)
        except QueryError:
            hits = []
        raise NotFound(Message("unknown_name", name=text[:100]), asked=text[:100],
                       candidates=[candidate(explorer, h.id) for h in hits]) from None


def _choices(explorer: Explorer) -> dict:
    """What the form offers: every relation some link has (the concepts: the suggest endpoint)."""
    cat = explorer.catalog
    return {
        "relations": [{"relation": rel, "label": {"zh": cat.relation_label(rel, "zh"),
                                                  "en": cat.relation_label(rel, "en")}}
                      for rel in sorted({e.relation for e in cat.edges})],
    }


def shown_name(explorer: Explorer, cid: str, lang: str) -> str:
    """What the form shows for a concept: its label in ``lang`` when that label names it alone, else its id."""
    label = explorer.catalog.concepts[cid].label
    for text in (label.en if lang == "en" else label.zh, label.zh):
        try:
            if text and explorer.concept_graph.resolve(text) == cid:
                return text
        except (AmbiguousConcept, UnknownConcept):
            pass
    return cid


def form_page(explorer: Explorer, source: str | None = None, target: str | None = None, k: int = 3,
              max_length: int = 6, relations=(), lang: str = "zh") -> dict:
    """The form alone, filled in as asked (the page of a question that could not be answered)."""
    return {"form": {"from": source or "", "to": target or "", "k": k, "max_length": max_length,
                     "relation": list(relations or []), "lang": lang if lang in LANGS else "zh"},
            "choices": _choices(explorer)}


def paths_page(explorer: Explorer, source: str | None = None, target: str | None = None, k: int = 3,
               max_length: int = 6, relations=(), lang: str | None = "zh",
               concept_url: Callable[[str], str] | None = None, links: dict | None = None) -> dict:
    """The form, and once ``source`` and ``target`` are given the paths between them, chains in ``lang``."""
    lang = lang or "zh"
    if lang not in LANGS:
        raise BadPage(Message("choice", name="lang", known="zh, en", value=lang))
    relations = list(relations or [])
    page = form_page(explorer, source, target, k, max_length, relations, lang)
    if not source and not target:
        return page
    if not source or not target:
        raise BadPage(Message("both_ends"))
    a, b = resolve_concept(explorer, source), resolve_concept(explorer, target)
    try:
        result = explorer.concept_graph.paths(a, b, k=k, max_length=max_length, relations=relations)
    except UnknownConcept as exc:
        raise NotFound(Message("unknown_concept", name=exc.concept)) from None
    except GraphError as exc:
        raise BadPage(exc.message) from None
    cat = explorer.catalog
    page["form"].update({"from": shown_name(explorer, a, lang), "to": shown_name(explorer, b, lang)})
    page.update(result.as_dict(cat, lang))
    ids = sorted({c for p in result.paths for c in p.nodes} | {result.source, result.target})
    page["concepts"] = {
        cid: {"label": cat.concepts[cid].label.as_dict(), "class": cat.concepts[cid].cls,
              "class_label": {"zh": cat.term_label(cat.concepts[cid].cls, "zh"),
                              "en": cat.term_label(cat.concepts[cid].cls, "en")},
              "article": cat.concepts[cid].article,
              **({"url": concept_url(cid)} if concept_url else {})}
        for cid in ids}
    page["graph"] = view_page(explorer, result.view, lang, concept_url, links)
    return page


__all__ = ["candidate", "form_page", "paths_page", "resolve_concept", "shown_name"]
