"""Paths between two concepts: ``/paths`` (a form, the paths as readable chains, their graph) and its JSON
twin ``/paths.json``.

Thin over :mod:`kg.pages.paths` (names resolved there); this adds the links of the graph pages.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from api import formats, responses, urls
from api.templating import render
from api.errors import problem
from api.deps import ExplorerDep, get_lang
from kg.i18n import Message
from kg.pages import paths
from kg.pages.errors import NotFound
from kg.paging import BadPage

router = APIRouter(tags=["paths"], responses=responses.COMMON)


def _chosen(request: Request, asked: str | None, cid: str) -> str:
    """The address of the same question with the concept ``cid`` in place of the name ``asked``."""
    params = {key: request.query_params.getlist(key) for key in request.query_params}
    for end in ("from", "to"):
        if params.get(end) == [asked]:
            params[end] = [cid]
    return urls.paths(**{key: values if len(values) > 1 else values[0] for key, values in params.items()})


@router.get("/paths", summary="Paths between two concepts: form, chains and graph", responses=responses.PAGE_OR_JSON)
@router.get("/paths.json", summary="The k shortest paths between two concepts, as JSON", openapi_extra={
    "x-required": ["from", "to"]})  # the app's description marks them required (api.app._openapi_with_data)
def paths_view(
    request: Request, explorer: ExplorerDep,
    from_: str | None = Query(None, alias="from", description="concept id or exact name (zh or en label)"),
    to: str | None = Query(None, description="concept id or exact name (zh or en label)"),
    k: int = Query(3, description="how many paths, 1 to 10", json_schema_extra={"minimum": 1, "maximum": 10}),
    max_length: int = Query(6, description="most hops a path may have, 1 to 10",
                            json_schema_extra={"minimum": 1, "maximum": 10}),
    relation: list[str] = Query([], description="follow only these relations (repeatable)"),
    lang: str | None = Query(None, description="language of the chains: zh or en", json_schema_extra={"enum": ["zh", "en"]}),
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
    if formats.choose(request, ("html", "json"), suffix) == "html":
        page_lang = lang if lang in ("zh", "en") else "zh"
        try:
            view = build()
        except (BadPage, NotFound) as exc:  # the page keeps the form filled in and offers what it can
            page = paths.form_page(explorer, from_, to, k, max_length, relation, page_lang)
            page["problem"] = {"code": exc.code, "message": exc.text(page_lang),
                               "asked": exc.extra.get("asked"),
                               "candidates": [c | {"url": _chosen(request, exc.extra.get("asked"), c["id"])}
                                              for c in exc.extra.get("candidates", [])]}
            html = render("paths.html", v=page | {"tabs": urls.graph_tabs("paths")}, lang=page_lang,
                          alternate=alternate)
            return formats.html(html, status=404 if isinstance(exc, NotFound) else 400)
        return formats.html(render("paths.html", v=view, lang=page_lang, alternate=alternate), alternate=alternate)
    return formats.page_or_json(request, build, "paths.html", alternate, lang if lang in ("zh", "en") else "zh",
                                suffix)
