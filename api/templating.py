"""The jinja2 environment: autoescaped, with the URL builders and labels as globals."""

from __future__ import annotations

from pathlib import Path

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


def render(name: str, **context) -> str:
    return env.get_template(name).render(**context)
