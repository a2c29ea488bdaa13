"""A standalone interactive HTML file of a graph view: opens by double-click, with no network at all.

The network is built with pyvis (:mod:`kg.graph.vis_network`) and drawn by the project's own page script; the
page inlines vis-network (vendored, 9.1.2), the styles and the script, and carries the data as an
escaped JSON island, so it fetches nothing and no label or tooltip can run script.  Concept links in
the side panel point at the concepts' IRIs and are only followed when the reader clicks them.

The page is rendered by its own jinja2 environment (autoescaped, over the project's templates) that knows
only what ``export_standalone.html`` uses: the catalogue's words (``ui``, ``t``) and the script's texts
(``ui_island``).  The web app's environment lives in ``api/``, which the core does not import.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from kg import resources
from kg.catalog import Catalog
from kg.export.options import SOURCE_LINE, ExportOptions
from kg.graph.model import GraphView
from kg.i18n import pattern, script_texts, t
from kg.graph.vis_network import island_json, payload

VIS = "vendor/vis-network-9.1.2"
TEMPLATE = "export_standalone.html"


@lru_cache(maxsize=8)
def _asset(name: str) -> str:
    text = (resources.static_dir() / name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"{name} cannot be inlined: it contains a closing tag")
    return text


def script_island(data, element_id: str) -> Markup:
    """``<script type="application/json" id=...>`` holding ``data`` (escaped so it cannot close the element)."""
    if not element_id.replace("-", "").replace("_", "").isalnum():
        raise ValueError("bad element id")
    return Markup(f'<script type="application/json" id="{element_id}">{island_json(data)}</script>')


@pass_context
def _ui(context: Context, key: str, **values) -> Markup:
    """The catalogue's text of ``key`` in the page's language, its values escaped."""
    return escape(pattern(key, context["lang"], values.get("n"))).format(**values)


@pass_context
def _ui_island(context: Context, script: str) -> Markup:
    """The texts a page script writes, in the page's language, as the island ``#ui-text``."""
    return script_island(script_texts(script, context["lang"]), "ui-text")


@lru_cache(maxsize=1)
def template_env() -> Environment:
    """The environment of the offline page: autoescaped, over the project's templates."""
    env = Environment(loader=FileSystemLoader(resources.templates_dir()),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(t=t, ui=_ui, ui_island=_ui_island)
    return env


def standalone_html(view: GraphView, catalog: Catalog, options: ExportOptions) -> str:
    """The page, as text (options used: labels, title, legend, source, date)."""
    iri_base = next(iter(catalog.concepts.values())).iri.rsplit("/", 1)[0] if catalog.concepts else ""
    data = payload(view, catalog, options.labels, links={"concept": f"{iri_base}/__ID__"})
    title = view.title if options.title is True else None
    return template_env().get_template(TEMPLATE).render(
        view=view, data=data, title=title, custom_title=options.title if isinstance(options.title, str) else "",
        show_title=options.title is not False, legend=options.legend, source=SOURCE_LINE if options.source else None,
        date=options.date, labels=options.labels, lang=options.lang,
        island=script_island(data, "graph-data"),
        inline_css=Markup(_asset(f"{VIS}/vis-network.css") + "\n" + _asset("css/site-1.css") + "\n"
                          + _asset("css/graph-1.css")),
        inline_js=Markup(_asset(f"{VIS}/vis-network.min.js") + "\n;\n" + _asset("js/linebreak-1.js")
                                 + "\n;\n" + _asset("js/graphcommon-1.js") + "\n;\n" + _asset("js/graph-1.js")),
    )


__all__ = ["script_island", "standalone_html", "template_env"]
