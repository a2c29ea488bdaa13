"""A standalone interactive HTML file of a graph view: opens by double-click, with no network at all.

The network is built with pyvis (:mod:`kg.network`) and drawn by the project's own page script; the
page inlines vis-network (vendored, 9.1.2), the styles and the script, and carries the data as an
escaped JSON island, so it fetches nothing and no label or tooltip can run script.  Concept links in
the side panel point at the concepts' IRIs and are only followed when the reader clicks them.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

from kg import resources
from kg.catalog import Catalog
from kg.graphs import GraphView

VIS = "vendor/vis-network-9.1.2"


@lru_cache(maxsize=8)
def _asset(name: str) -> str:
    text = (resources.static_dir() / name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"{name} cannot be inlined: it contains a closing tag")
    return text


def standalone_html(view: GraphView, catalog: Catalog, options) -> str:
    """The page, as text. ``options`` is a :class:`kg.export.ExportOptions` (labels, title, source, date)."""
    from api.templating import env  # the project's autoescaping jinja2 environment
    from kg.export import SOURCE_LINE
    from kg.network import json_island, payload

    iri_base = next(iter(catalog.concepts.values())).iri.rsplit("/", 1)[0] if catalog.concepts else ""
    data = payload(view, catalog, options.labels, links={"concept": f"{iri_base}/__ID__"})
    title = view.title if options.title is True else None
    template = env.get_template("export_standalone.html")
    return template.render(
        view=view, data=data, title=title, custom_title=options.title if isinstance(options.title, str) else "",
        show_title=options.title is not False, legend=options.legend, source=SOURCE_LINE if options.source else None,
        date=options.date, labels=options.labels, lang="en" if options.labels == "en" else "zh",
        island=json_island(data),
        inline_css=Markup(_asset(f"{VIS}/vis-network.css") + "\n" + _asset("css/site-1.css") + "\n"
                          + _asset("css/graph-1.css")),
        inline_js=Markup(_asset(f"{VIS}/vis-network.min.js") + "\n;\n" + _asset("js/linebreak-1.js")
                                 + "\n;\n" + _asset("js/graph-1.js")),
    )
