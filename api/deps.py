"""Shared dependencies, declared once."""

from typing import Annotated

from fastapi import Depends, Request

from kg.explorer import Explorer


def get_explorer(request: Request) -> Explorer:
    return request.app.state.explorer


ExplorerDep = Annotated[Explorer, Depends(get_explorer)]


def get_lang(request: Request) -> str:
    """Display language: ``?lang=`` (remembered in a cookie by the app), else the cookie, else zh."""
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    return "en" if lang == "en" else "zh"


LangDep = Annotated[str, Depends(get_lang)]
