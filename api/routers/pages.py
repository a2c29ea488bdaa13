"""Home, the article reader and the pinyin index."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request

from api import formats, urls
from api.deps import ExplorerDep, LangDep
from api.templating import render
from kg import views

router = APIRouter(tags=["pages"])


@router.get("/", summary="Home: the two models at a glance")
def home(request: Request, explorer: ExplorerDep, lang: LangDep):
    fmt = formats.choose(request, ("html", "json"))
    view = views.home_view(explorer)
    if fmt == "json":
        return formats.json(view)
    return formats.html(render("home.html", v=view, lang=lang, alternate="/?format=json"), alternate="/?format=json")


@router.get("/index", summary="Every concept in pinyin order")
@router.get("/index.json", include_in_schema=False)
def pinyin_index(request: Request, explorer: ExplorerDep, lang: LangDep):
    fmt = formats.choose(request, ("html", "json"), "json" if request.url.path.endswith(".json") else None)
    view = views.index_view(explorer)
    if fmt == "json":
        return formats.json(view)
    return formats.html(render("index.html", v=view, lang=lang, alternate=urls.index("json")),
                        alternate=urls.index("json"))


@router.get("/articles/{name}", summary="A cleaned source article with its quoted spans")
def article(name: str, request: Request, explorer: ExplorerDep, lang: LangDep,
            quote: str | None = Query(None, max_length=200)):
    key, suffix = formats.split_suffix(name, ("json", "html"))
    fmt = formats.choose(request, ("html", "json"), suffix)
    try:
        view = views.article_view(explorer, key, quote)
    except views.NotFound:
        raise HTTPException(404, f"unknown article: {key} (yanbian or zhonglou)") from None
    if fmt == "json":
        return formats.json(view)
    alternate = urls.article(key, "json")
    return formats.html(render("article.html", v=view, lang=lang, alternate=alternate), alternate=alternate)
