"""The search page: the hits for a query, filtered by class and article, as the page and its JSON twin show them.

:func:`search_page` returns a plain dict (JSON-ready) that ``search.html`` renders and ``/search.json`` returns
as is, so the two carry the same data: each hit with its class's label and its article, the classes the query
names, the filters' choices and the page.
"""

from __future__ import annotations

from kg.explorer import Explorer
from kg.paging import BadPage
from kg.paging import first_page
from kg.search.hits import TIER_TYPO
from kg.search.index import MAX_LIMIT, QueryError, check_limit

#: results a page shows unless ``limit`` says otherwise
DEFAULT_LIMIT = 50
#: how many more results the "more results" link asks for
MORE_STEP = 50


def search_page(explorer: Explorer, q: str, cls: str | None = None, article: str | None = None,
                limit: int = DEFAULT_LIMIT) -> dict:
    """The first ``limit`` hits for ``q`` in rank order; ``more`` holds the parameters of the link to more
    results (a larger ``limit``), None when the page holds them all.  A query, limit, class or article the
    index refuses raises :class:`BadPage`."""
    index = explorer.search_index
    cat = explorer.catalog
    cls, article = cls or None, article or None
    try:
        check_limit(limit)
        # one more than shown: is there more behind a full page?
        hits = index.search(q, cls=cls, article=article, limit=min(limit + 1, MAX_LIMIT))
    except QueryError as exc:
        raise BadPage(exc.message) from None
    further, hits = len(hits) > limit, hits[:limit]
    results = [hit.as_dict() | {"class_label": {lang: cat.term_label(hit.cls, lang) for lang in ("zh", "en")},
                                "article": cat.concepts[hit.id].article}  # 学习力 is a concept of each article
               for hit in hits]
    return {
        "query": q,
        "filters": {"class": cls, "article": article, "limit": limit},
        "count": len(results),
        "results": results,
        "page": first_page(len(results), limit, further).as_dict(),
        "more": {"limit": min(MAX_LIMIT, limit + MORE_STEP)} if further else None,
        "classes": index.classes_named(q),
        "schemes": index.schemes_named(q),
        # a typo forgiven (every hit one typo away): what was searched for instead
        "corrected": hits[0].matched if hits and all(h.tier == TIER_TYPO for h in hits) else None,
        "facets": index.facets(),
    }
