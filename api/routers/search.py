"""Search: the results page, its JSON twin and the autocomplete endpoint, all over ``kg.search``."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request

from api import formats, urls
from api.deps import ExplorerDep, LangDep
from api.templating import render
from kg.explorer import Explorer
from kg.search.hits import SearchHit
from kg.search.index import MAX_LIMIT, MAX_QUERY

router = APIRouter(tags=["search"])

Q = Query("", description=f"Chinese, English or pinyin (full, spaced, with tone marks, or initials); "
                          f"at most {MAX_QUERY} characters. A blank query finds nothing.")
CLASS = Query(None, alias="class", description="Class local name, e.g. `LearningMechanism`; a superclass such "
                                               "as `ModelComponent` includes its subclasses.")
ARTICLE = Query(None, description="Article key: `yanbian` or `zhonglou`.")
LIMIT = Query(50, description=f"Most results to return, 1–{MAX_LIMIT}.")

ERRORS = {400: {"description": "Query too long, limit out of range, or unknown class or article",
                "content": {"application/json": {"example": {"error": {"status": 400, "message": "..."}}}}}}

SEARCH_DESCRIPTION = """
Concepts whose labels, alternative labels, pinyin, definitions or quotes match `q`, best first.

Ranking tiers (`tier`, lower is better): 0 exact label (zh, en or the pinyin of the zh label),
1 label prefix, 2 label substring, 3 alternative label, 4 label one typo away (only when nothing
matches as typed), 5 definition or quote. Ties: higher `score`, then shorter label, then id.

Each result says which `field` matched and gives the `matched` text with `highlight`: a list of
`{"text", "mark"}` segments, in order, that rebuild `matched`; render the `mark: true` ones as
highlighted (no HTML is sent).
"""


def _hits(explorer: Explorer, q: str, cls: str | None, article: str | None, limit: int,
          extra: int = 0) -> list[SearchHit]:
    """Up to ``limit`` hits (and ``extra`` more, to tell whether there are more)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise HTTPException(400, f"limit must be from 1 to {MAX_LIMIT}")
    try:
        return explorer.search_index.search(q, cls=cls or None, article=article or None,
                                            limit=min(limit + extra, MAX_LIMIT))
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


def _result(hit: SearchHit) -> dict:
    return hit.as_dict() | {"url": urls.concept(hit.id)}


def _payload(q: str, cls: str | None, article: str | None, limit: int, hits: list[SearchHit]) -> dict:
    return {"query": q, "filters": {"class": cls or None, "article": article or None, "limit": limit},
            "count": len(hits), "results": [_result(h) for h in hits]}


@router.get("/search.json", summary="Search concepts (JSON)", description=SEARCH_DESCRIPTION, responses=ERRORS)
def search_json(explorer: ExplorerDep, q: str = Q, cls: str | None = CLASS, article: str | None = ARTICLE,
                limit: int = LIMIT):
    return formats.json(_payload(q, cls, article, limit, _hits(explorer, q, cls, article, limit)))


@router.get("/search", summary="Search page (HTML; JSON with Accept: application/json)",
            description="The same search as `/search.json`, as a page; the page's `Link` header points to "
                        "its JSON twin.", responses=ERRORS)
def search_page(request: Request, explorer: ExplorerDep, lang: LangDep, q: str = Q, cls: str | None = CLASS,
                article: str | None = ARTICLE, limit: int = LIMIT):
    fmt = formats.choose(request, ("html", "json"))
    if fmt == "json":
        return formats.json(_payload(q, cls, article, limit, _hits(explorer, q, cls, article, limit)))
    hits = _hits(explorer, q, cls, article, limit, extra=1)  # one more than shown: is there a next page?
    further, hits = len(hits) > limit, hits[:limit]
    params = {"class": cls or None, "article": article or None, "limit": limit if limit != 50 else None}
    alternate = urls.search(q, fmt="json", **params)
    catalog = explorer.catalog
    results = []
    for hit in hits:
        item = _result(hit)
        item["class_label"] = {"zh": catalog.term_label(hit.cls, "zh"), "en": catalog.term_label(hit.cls, "en")}
        item["article"] = catalog.concepts[hit.id].article  # 学习力 is a concept of each article
        results.append(item)
    # the search stops at ``limit`` concepts: a full page may have more behind it
    more = urls.search(q, **(params | {"limit": min(MAX_LIMIT, limit + 50)})) if further else None
    classes = [facet | {"url": urls.class_(facet["id"])} for facet in explorer.search_index.classes_named(q)]
    body = render("search.html", q=q, lang=lang, alternate=alternate, results=results, more=more, classes=classes,
                  filters={"class": cls or "", "article": article or "", "limit": limit},
                  facets=explorer.search_index.facets())
    return formats.html(body, alternate=alternate)


@router.get("/suggest.json", summary="Autocomplete suggestions (JSON)",
            description="Labels (zh, en, pinyin, alternative labels) that start with or contain `q`, prefix "
                        "matches first; typos are forgiven only when nothing matches as typed. "
                        "Used by the search box.", responses=ERRORS)
def suggest_json(explorer: ExplorerDep, q: str = Q, limit: int = Query(10, description=f"1–{MAX_LIMIT}")):
    if not 1 <= limit <= MAX_LIMIT:
        raise HTTPException(400, f"limit must be from 1 to {MAX_LIMIT}")
    try:
        hits = explorer.search_index.suggest(q, limit=limit)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    return formats.json({"query": q, "suggestions": [
        {"id": h.id, "zh": h.label.zh, "en": h.label.en, "class": h.cls, "url": urls.concept(h.id)} for h in hits]})
