"""Home, the article reader and the pinyin index."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from api import formats, responses, urls
from api.deps import ExplorerDep, LangDep
from kg.pages import site

router = APIRouter(tags=["pages"], responses=responses.COMMON)


@router.get("/", summary="Home: the two models at a glance", responses=responses.PAGE_OR_JSON)
def home(request: Request, explorer: ExplorerDep, lang: LangDep):
    return formats.page_or_json(request, lambda: site.home_page(explorer), "home.html", "/?format=json", lang)


@router.get("/index", summary="Every concept in pinyin order", responses=responses.PAGE_OR_JSON)
@router.get("/index.json", include_in_schema=False)
def pinyin_index(request: Request, explorer: ExplorerDep, lang: LangDep,
                 letter: str | None = Query(None, max_length=1, description="one initial letter (large graphs)"),
                 page: int = Query(1, ge=1, description="page within the letter")):
    return formats.page_or_json(request, lambda: site.index_page(explorer, letter.upper() if letter else None, page),
                                "index.html", urls.index("json", letter=letter, page=page if page > 1 else None), lang,
                                not_found=f"no concepts under {letter}")


@router.get("/articles/{name}", summary="A cleaned source article with its quoted spans", responses=responses.PAGE_OR_JSON)
def article(name: str, request: Request, explorer: ExplorerDep, lang: LangDep,
            quote: str | None = Query(None, max_length=200)):
    key, suffix = formats.split_suffix(name, ("json", "html"))
    return formats.page_or_json(request, lambda: site.article_page(explorer, key, quote), "article.html",
                                urls.article(key, "json", quote=quote), lang, suffix,
                                f"unknown article: {key} (yanbian or zhonglou)")
