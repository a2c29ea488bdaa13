"""The jinja2 environment: autoescaped, with the URL builders and labels as globals."""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from api import urls

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"

env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals["urls"] = urls

#: the path and query of the request being rendered (set by the app's middleware)
current_url: ContextVar[tuple[str, list[tuple[str, str]]]] = ContextVar("current_url", default=("/", []))


def lang_url(lang: str) -> str:
    """The current page in another language: same path and parameters, ``lang`` replaced."""
    path, params = current_url.get()
    kept = [(k, v) for k, v in params if k != "lang"] + [("lang", lang)]
    return f"{path}?{urlencode(kept)}"


env.globals["lang_url"] = lang_url


def render(name: str, **context) -> str:
    return env.get_template(name).render(**context)
