"""Shared dependencies, declared once."""

from typing import Annotated

from fastapi import Depends, Request

from kg.explorer import Explorer


async def get_explorer(request: Request) -> Explorer:
    """Async: a plain function would cost a thread-pool hop on every request."""
    return request.app.state.explorer


ExplorerDep = Annotated[Explorer, Depends(get_explorer)]


def get_lang(request: Request) -> str:
    """Display language: ``?lang=`` (remembered in a cookie by the app), else the cookie, else zh."""
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    return "en" if lang == "en" else "zh"


async def lang_dependency(request: Request) -> str:
    """:func:`get_lang` as an async dependency (no thread-pool hop)."""
    return get_lang(request)


LangDep = Annotated[str, Depends(lang_dependency)]
