"""The jinja2 environment: autoescaped, with the URL builders, labels and the interface's words as globals.

Every template is rendered with ``lang`` (``"en"``, else Chinese); ``ui('key')`` gives the catalogue's text
(:mod:`kg.i18n`) in that language and ``ui_alt('key')`` in the other one, ``ui('key', n=3)`` fills in values
(escaped unless they are markup).  A page script gets the sections it reads as a JSON island
(``ui_island('graph')``).  An unknown key raises: a typo breaks the page instead of leaving a blank.

Page data reaches a page script as a JSON island: ``json_island(data)`` (``id="graph-data"``, or another id)
writes the ``<script type="application/json">`` element (:func:`kg.export.standalone.script_island`, the one
the offline export writes too) around :func:`kg.graph.vis_network.island_json`'s escaped text.  ``items|keyed('id')`` looks items up by a key (a graph's nodes by id).
"""

from __future__ import annotations

from contextvars import ContextVar
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from api import urls
from kg import resources
from kg.export.standalone import script_island
from kg.i18n import pattern, script_texts, t


env = Environment(
    loader=FileSystemLoader(resources.templates_dir()),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals["urls"] = urls


def json_island(data, element_id: str = "graph-data") -> Markup:
    """The whole ``<script type="application/json" id=...>`` element holding ``data`` (the same element as the
    offline export writes: :func:`kg.export.standalone.script_island`)."""
    return script_island(data, element_id)


def keyed(items, key: str) -> dict:
    """``items`` (dicts) by the value of ``key``."""
    return {item[key]: item for item in items}

#: the path and query of the request being rendered (set by the app's middleware)
current_url: ContextVar[tuple[str, list[tuple[str, str]]]] = ContextVar("current_url", default=("/", []))


def lang_url(lang: str) -> str:
    """The current page in another language: same path and parameters, ``lang`` replaced."""
    path, params = current_url.get()
    kept = [(k, v) for k, v in params if k != "lang"] + [("lang", lang)]
    return f"{path}?{urlencode(kept)}"


def page_lang(context: Context) -> str:
    if "lang" not in context:
        raise RuntimeError(f"{context.name} is rendered without lang (import macros 'with context')")
    return "en" if context["lang"] == "en" else "zh"


def _text(key: str, lang: str, values: dict) -> Markup:
    return escape(pattern(key, lang, values.get("n"))).format(**values)


@pass_context
def ui(context: Context, key: str, **values) -> Markup:
    """The text of ``key`` in the page's language."""
    return _text(key, page_lang(context), values)


@pass_context
def ui_alt(context: Context, key: str, **values) -> Markup:
    """The text of ``key`` in the page's other language (a hint beside the main text)."""
    return _text(key, "zh" if page_lang(context) == "en" else "en", values)


@pass_context
def ui_island(context: Context, script: str) -> Markup:
    """``<script type="application/json" id="ui-text">``: the texts a page script reads, in the page's language."""
    return json_island(script_texts(script, page_lang(context)), "ui-text")


env.globals.update(json_island=json_island, lang_url=lang_url, t=t, ui=ui, ui_alt=ui_alt, ui_island=ui_island)
env.filters["keyed"] = keyed


def render(name: str, **context) -> str:
    return env.get_template(name).render(**context)
