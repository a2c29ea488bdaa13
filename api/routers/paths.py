"""Paths between two concepts: ``/paths`` (a form, the paths as readable chains, their graph) and ``/paths.json``.

Thin over :meth:`kg.graphs.ConceptGraph.paths`.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request

from api import formats, urls
from api.routers.export import export_links
from api.deps import ExplorerDep, get_lang
from api.routers.graph import graph_tabs, page_context
from api.templating import render
from kg.graphs import AmbiguousConcept, GraphError, UnknownConcept
from kg.search.index import QueryError

router = APIRouter(tags=["paths"])

LANGS = ("zh", "en")


def _lang(lang: str | None) -> str:
    if lang is None:
        return "zh"
    if lang not in LANGS:
        raise HTTPException(400, f"lang must be zh or en, not {lang!r}")
    return lang


def _named(explorer, ids) -> str:
    cat = explorer.catalog

    def name(cid: str) -> str:
        c = cat.concepts[cid]
        return f"{cid} ({c.label.zh} / {c.label.en}" + (f", {c.article})" if c.article else ")")

    return "; ".join(map(name, ids))


def _resolve(explorer, text: str) -> str:
    """An id or an exact name; otherwise the error names the candidates: the concepts sharing the name,
    or what search finds for it (pinyin, a typo, part of a label)."""
    try:
        return explorer.concept_graph.resolve(text)
    except AmbiguousConcept as exc:
        raise HTTPException(400, f"{text!r} names {len(exc.candidates)} concepts: "
                                 f"{_named(explorer, exc.candidates)}. Give one id.") from None
    except UnknownConcept:
        try:
            hits = explorer.search_index.search(text, limit=5)
        except QueryError:
            hits = []
        hint = f"; did you mean {_named(explorer, [h.id for h in hits])}?" if hits else ""
        raise HTTPException(404, f"no concept has the id or name {text[:100]!r}{hint}") from None


def _find(explorer, a: str | None, b: str | None, k: int, max_length: int, relation: list[str]):
    source, target = _resolve(explorer, a or ""), _resolve(explorer, b or "")
    try:
        return explorer.concept_graph.paths(source, target, k=k, max_length=max_length, relations=relation)
    except UnknownConcept as exc:
        raise HTTPException(404, str(exc)) from None
    except GraphError as exc:
        raise HTTPException(400, str(exc)) from None


def _json(explorer, result, lang: str) -> dict:
    data = result.as_dict(explorer.catalog, lang)
    cat = explorer.catalog
    data["concepts"] = {cid: {"label": cat.concepts[cid].label.as_dict(), "class": cat.concepts[cid].cls,
                              "url": urls.concept(cid)}
                        for cid in sorted({c for p in result.paths for c in p.nodes} | {result.source, result.target})}
    return data


@router.get("/paths", summary="Paths between two concepts: form, chains and graph")
@router.get("/paths.json", summary="The k shortest paths between two concepts, as JSON")
def paths_page(
    request: Request, explorer: ExplorerDep,
    from_: str | None = Query(None, alias="from", description="concept id or exact name (zh or en label)"),
    to: str | None = Query(None, description="concept id or exact name (zh or en label)"),
    k: int = Query(3, description="how many paths, 1 to 10"),
    max_length: int = Query(6, description="most hops a path may have, 1 to 10"),
    relation: list[str] = Query([], description="follow only these relations (repeatable)"),
    lang: str | None = Query(None, description="language of the chains: zh or en"),
):
    fmt = formats.choose(request, ("html", "json"), "json" if request.url.path.endswith(".json") else None)
    lang = _lang(get_lang(request) if lang is None and fmt == "html" else lang)  # a page: the remembered language
    cat = explorer.catalog
    form = {"from": from_ or "", "to": to or "", "k": k, "max_length": max_length, "relation": relation,
            "lang": lang}
    options = sorted(cat.concepts.values(), key=lambda c: c.id)
    relation_names = sorted({e.relation for e in cat.edges})
    common = {"form": form, "options": options, "path_relations": relation_names,
              "relation_label": cat.relation_label, "lang": lang, "catalog": cat, "tabs": graph_tabs("paths")}
    if fmt == "json" and (not from_ or not to):
        raise HTTPException(400, "give both ?from=ID and ?to=ID")
    if not from_ and not to:
        return formats.html(render("paths.html", result=None, data=None, view=None, **common))
    result = _find(explorer, from_, to, k, max_length, relation)
    params = {"from": result.source, "to": result.target, "k": k, "max_length": max_length,
              "relation": relation or None, "lang": lang}
    if fmt == "json":
        return formats.json(_json(explorer, result, lang))
    context = page_context(explorer, result.view, lang, lang)
    context.update(common)
    context["alternate"] = urls.paths("json", **params)
    context["exports"] = export_links("paths", {k_: v for k_, v in params.items() if k_ != "lang"}, lang)
    context["result"] = result
    context["chains"] = [
        {"path": p, "chain": p.chain(cat, lang), "steps": p.steps,
         "first": cat.concepts[p.nodes[0]]} for p in result.paths]
    return formats.html(render("paths.html", **context), alternate=context["alternate"])
