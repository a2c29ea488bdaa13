"""Shared dependencies, declared once."""

from typing import Annotated

from fastapi import Depends, Request

from kg.explorer import Explorer


def get_explorer(request: Request) -> Explorer:
    return request.app.state.explorer


ExplorerDep = Annotated[Explorer, Depends(get_explorer)]
