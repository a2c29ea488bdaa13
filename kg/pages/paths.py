"""The paths page: the k shortest paths between two concepts, named by id or exact label (``/paths``).

:func:`paths_page` returns one dict for the page and its JSON twin: the question (``form``), what the form
offers (``choices``: every concept, every relation), and once both ends are given the paths (``from``,
``to``, ``k``, ``max_length``, ``relations``, ``lang``, ``count``, ``paths`` as steps and readable chains),
the ``concepts`` they pass through, and ``graph``: the vis-network page of their union
(:func:`kg.pages.graph.view_page`).  A name several concepts share, or none, is answered with the
candidates: the concepts sharing it, or what search finds for it.
"""

from __future__ import annotations

from typing import Callable

from kg.explorer import Explorer
from kg.graph.model import AmbiguousConcept, GraphError, UnknownConcept
from kg.pages.graph import view_page
from kg.pages.errors import NotFound
from kg.paging import BadPage
from kg.search.index import QueryError

LANGS = ("zh", "en")


def _named(explorer: Explorer, ids) -> str:
    cat = explorer.catalog

    def name(cid: str) -> str:
        c = cat.concepts[cid]
        return f"{cid} ({c.label.zh} / {c.label.en}" + (f", {c.article})" if c.article else ")")

    return "; ".join(map(name, ids))


def resolve_concept(explorer: Explorer, text: str) -> str:
    """An id or an exact name; otherwise the error names the candidates: the concepts sharing the name
    (:class:`BadPage`), or what search finds for it (pinyin, a typo, part of a label: :class:`NotFound`)."""
    try:
        return explorer.concept_graph.resolve(text)
    except AmbiguousConcept as exc:
        raise BadPage(f"{text!r} names {len(exc.candidates)} concepts: "
                      f"{_named(explorer, exc.candidates)}. Give one id.") from None
    except UnknownConcept:
        try:
            hits = explorer.search_index.search(text, limit=5)
        except QueryError:
            hits = []
        hint = f"; did you mean {_named(explorer, [h.id for h in hits])}?" if hits else ""
        raise NotFound(f"no concept has the id or name {text[:100]!r}{hint}") from None


def _choices(explorer: Explorer) -> dict:
    """What the form offers: every concept (by id) and every relation some link has."""
    cat = explorer.catalog
    return {
        "concepts": [{"id": c.id, "label": c.label.as_dict()} for c in sorted(cat.concepts.values(),
                                                                              key=lambda c: c.id)],
        "relations": [{"relation": rel, "label": {"zh": cat.relation_label(rel, "zh"),
                                                  "en": cat.relation_label(rel, "en")}}
                      for rel in sorted({e.relation for e in cat.edges})],
    }


def paths_page(explorer: Explorer, source: str | None = None, target: str | None = None, k: int = 3,
               max_length: int = 6, relations=(), lang: str | None = "zh",
               concept_url: Callable[[str], str] | None = None, links: dict | None = None) -> dict:
    """The form, and once ``source`` and ``target`` are given the paths between them, chains in ``lang``."""
    lang = lang or "zh"
    if lang not in LANGS:
        raise BadPage(f"lang must be zh or en, not {lang!r}")
    relations = list(relations or [])
    page = {"form": {"from": source or "", "to": target or "", "k": k, "max_length": max_length,
                     "relation": relations, "lang": lang},
            "choices": _choices(explorer)}
    if not source and not target:
        return page
    if not source or not target:
        raise BadPage("give both ?from=ID and ?to=ID")
    a, b = resolve_concept(explorer, source), resolve_concept(explorer, target)
    try:
        result = explorer.concept_graph.paths(a, b, k=k, max_length=max_length, relations=relations)
    except UnknownConcept as exc:
        raise NotFound(str(exc)) from None
    except GraphError as exc:
        raise BadPage(str(exc)) from None
    cat = explorer.catalog
    page.update(result.as_dict(cat, lang))
    ids = sorted({c for p in result.paths for c in p.nodes} | {result.source, result.target})
    page["concepts"] = {
        cid: {"label": cat.concepts[cid].label.as_dict(), "class": cat.concepts[cid].cls,
              "class_label": {"zh": cat.term_label(cat.concepts[cid].cls, "zh"),
                              "en": cat.term_label(cat.concepts[cid].cls, "en")},
              **({"url": concept_url(cid)} if concept_url else {})}
        for cid in ids}
    page["graph"] = view_page(explorer, result.view, lang, concept_url, links)
    return page


__all__ = ["paths_page", "resolve_concept"]
