"""Search: the results page and its JSON twin (one handler over ``kg.pages.search``), and the autocomplete endpoint."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from api import formats, responses, urls
from api.deps import ExplorerDep, LangDep
from api.errors import problem
from kg.i18n import t
from kg.pages.search import DEFAULT_LIMIT, search_page
from kg.search.index import MAX_LIMIT, MAX_QUERY, QueryError

router = APIRouter(tags=["search"], responses=responses.COMMON)

Q = Query("", description=f"Chinese, English or pinyin (full, spaced, with tone marks, or initials); "
                          f"at most {MAX_QUERY} characters. A blank query finds nothing.",
          json_schema_extra={"maxLength": MAX_QUERY})
CLASS = Query(None, alias="class", description="Class local name, e.g. `LearningMechanism`; a superclass such "
                                               "as `ModelComponent` includes its subclasses.")
ARTICLE = Query(None, description="Article key: `yanbian` or `zhonglou`.")
LIMIT = Query(DEFAULT_LIMIT, description=f"Most results to return, 1–{MAX_LIMIT}.",
              json_schema_extra={"minimum": 1, "maximum": MAX_LIMIT})

ERRORS = {400: {"description": "Query too long, limit out of range, or unknown class or article",
                "content": {"application/json": {"example": {"error": {"status": 400, "message": "..."}}}}}}

SEARCH_DESCRIPTION = """
Concepts whose labels, alternative labels, pinyin, definitions or quotes match `q`, best first.

Ranking tiers (`tier`, lower is better): 0 exact label (zh, en or the pinyin of the zh label; a whole
alternative label after the preferred ones), 1 label prefix, 2 label substring, 3 alternative label (prefix or substring), 4 label one typo away (only when nothing
matches as typed), 5 definition or quote. Ties: higher `score`, then shorter label, then id.

Each result says which `field` matched and gives the `matched` text with `highlight`: a list of
`{"text", "mark"}` segments, in order, that rebuild `matched`; render the `mark: true` ones as
highlighted (no HTML is sent). `class_label` and `article` say what the page shows beside each hit;
`classes` lists the classes the query names, `facets` the filters' choices, `page` the page (as on every
paged resource) and `more` the parameters of the link to more results (None when there are no more).
"""


def _article_label(article: str | None) -> dict | None:
    """The article's short name in both languages (the UI catalogue's), for a suggestion."""
    return {lang: t(f"article.{article}", lang) for lang in ("zh", "en")} if article else None


def _with_urls(view: dict) -> dict:
    """The search page's data with the address of each hit and of each class the query names."""
    for result in view["results"]:
        result["url"] = urls.concept(result["id"])
    view["classes"] = [facet | {"url": urls.class_(facet["id"])} for facet in view["classes"]]
    view["schemes"] = [scheme | {"url": urls.scheme(scheme["id"])} for scheme in view["schemes"]]
    return view


@router.get("/search", summary="Search page (HTML; JSON with Accept: application/json)",
            description="The same search as `/search.json`, as a page; the page's `Link` header points to "
                        "its JSON twin.", responses=ERRORS | responses.PAGE_OR_JSON)
@router.get("/search.json", summary="Search concepts (JSON)", description=SEARCH_DESCRIPTION, responses=ERRORS)
async def search(request: Request, explorer: ExplorerDep, lang: LangDep, q: str = Q, cls: str | None = CLASS,
           article: str | None = ARTICLE, limit: int = LIMIT):
    params = {"class": cls or None, "article": article or None, "limit": limit if limit != DEFAULT_LIMIT else None}
    return formats.page_or_json(request, lambda: _with_urls(search_page(explorer, q, cls, article, limit)),
                                "search.html", urls.search(q, fmt="json", **params), lang)


@router.get("/suggest.json", summary="Autocomplete suggestions (JSON)",
            description="Labels (zh, en, pinyin, alternative labels) that start with or contain `q`, prefix "
                        "matches first; typos are forgiven only when nothing matches as typed. "
                        "Used by the search box.", responses=ERRORS)
async def suggest_json(explorer: ExplorerDep, q: str = Q, limit: int = Query(10, description=f"1–{MAX_LIMIT}",
                                                                     json_schema_extra={"minimum": 1, "maximum": MAX_LIMIT})):
    try:
        hits = explorer.search_index.suggest(q, limit=limit)
    except QueryError as exc:
        raise problem(400, exc.message) from None
    cat = explorer.catalog
    return formats.json({"query": q, "suggestions": [
        {"id": h.id, "zh": h.label.zh, "en": h.label.en, "class": h.cls,
         "class_label": {lang: cat.term_label(h.cls, lang) for lang in ("zh", "en")},
         "article": cat.concepts[h.id].article, "field": h.field, "matched": h.matched,
         "article_label": _article_label(cat.concepts[h.id].article),
         "url": urls.concept(h.id)} for h in hits]})
