"""Paths between two concepts: ``/paths`` (a form, the paths as readable chains, their graph) and its JSON
twin ``/paths.json``.

Thin over :mod:`kg.pages.paths` (names resolved there); this adds the links of the graph pages.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from api import formats, urls
from api.errors import problem
from api.deps import ExplorerDep, get_lang
from kg.i18n import Message
from kg.pages import paths

router = APIRouter(tags=["paths"])


@router.get("/paths", summary="Paths between two concepts: form, chains and graph")
@router.get("/paths.json", summary="The k shortest paths between two concepts, as JSON")
def paths_view(
    request: Request, explorer: ExplorerDep,
    from_: str | None = Query(None, alias="from", description="concept id or exact name (zh or en label)"),
    to: str | None = Query(None, description="concept id or exact name (zh or en label)"),
    k: int = Query(3, description="how many paths, 1 to 10"),
    max_length: int = Query(6, description="most hops a path may have, 1 to 10"),
    relation: list[str] = Query([], description="follow only these relations (repeatable)"),
    lang: str | None = Query(None, description="language of the chains: zh or en"),
):
    suffix = formats.json_suffix(request)
    asked = bool(from_ and to)
    if formats.choose(request, ("html", "json"), suffix) == "json":
        if not asked:
            raise problem(400, Message("both_ends"))
    elif lang is None:
        lang = get_lang(request)  # a page: the remembered language

    def build() -> dict:
        page = paths.paths_page(explorer, from_, to, k, max_length, relation, lang,
                                concept_url=urls.concept, links=urls.graph_script_links())
        if "graph" not in page:
            return page | {"tabs": urls.graph_tabs("paths")}
        query = {"from": page["from"], "to": page["to"], "k": k, "max_length": max_length,
                 "relation": relation or None}
        return page | urls.graph_page_links("paths", query, page["lang"])

    alternate = urls.paths("json", **{"from": from_}, to=to, k=k, max_length=max_length, relation=relation or None,
                           lang=lang) if asked else None
    return formats.page_or_json(request, build, "paths.html", alternate, lang if lang in ("zh", "en") else "zh",
                                suffix)
