"""Every URL of the explorer is built here, never pasted together in templates; and the sets of links
several pages share (the graph pages' tabs, the export menu, the links the graph script follows)."""

from __future__ import annotations

from urllib.parse import urlencode

from kg.styles import STANDARD_VIEWS

RDF_SUFFIXES = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}


def _q(path: str, **params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", [])}
    return f"{path}?{urlencode(clean, doseq=True)}" if clean else path


def home() -> str:
    return "/"


def concept(cid: str, fmt: str | None = None) -> str:
    return f"/concepts/{cid}" + (f".{fmt}" if fmt else "")


def concepts(fmt: str | None = None, **params) -> str:
    return _q("/concepts" + (f".{fmt}" if fmt else ""), **params)


def class_(name: str, fmt: str | None = None) -> str:
    return f"/classes/{name}" + (f".{fmt}" if fmt else "")


def scheme(sid: str, fmt: str | None = None) -> str:
    return f"/schemes/{sid}" + (f".{fmt}" if fmt else "")


def article(key: str, fmt: str | None = None, paragraph: str | None = None, quote: str | None = None) -> str:
    path = f"/articles/{key}" + (f".{fmt}" if fmt else "")
    path = _q(path, quote=quote)
    return path + (f"#{paragraph}" if paragraph else "")


def search(q: str = "", fmt: str | None = None, **params) -> str:
    return _q("/search" + (f".{fmt}" if fmt else ""), q=q, **params)


def suggest(q: str = "") -> str:
    return _q("/suggest.json", q=q)


def graph(view: str, fmt: str | None = None, **params) -> str:
    return _q(f"/graph/{view}" + (f".{fmt}" if fmt else ""), **params)


def paths(fmt: str | None = None, **params) -> str:
    return _q("/paths" + (f".{fmt}" if fmt else ""), **params)


def index(fmt: str | None = None, **params) -> str:
    return _q("/index" + (f".{fmt}" if fmt else ""), **params)


def sparql() -> str:
    return "/sparql"


def static(path: str) -> str:
    return f"/static/{path}"


def export(view: str, fmt: str, **params) -> str:
    return _q(f"/export/{view}.{fmt}", **params)


def tours(fmt: str | None = None) -> str:
    return "/tours" + (f".{fmt}" if fmt else "")


def tour(name: str, fmt: str | None = None, **params) -> str:
    return _q(f"/tours/{name}" + (f".{fmt}" if fmt else ""), **params)


def tour_presenter(name: str) -> str:
    """The presenter's window of a tour: the page under the tour's own address."""
    return tour(name) + "/presenter"


# -- the links the graph pages share (the graph views and the paths page) ------------------------------------

#: the export menu of a graph page: format, options, and its label and hint (keys of the UI catalogue); the
#: slide and A4 entries give the tree's and the chain's overview (kg.export.levels), legible on the page
EXPORT_CHOICES = (
    ("png", {"preset": "slide", "dpi": 144}, "export.png_slide", "export.png_slide_hint"),
    ("svg", {"preset": "slide"}, "export.svg_slide", "export.svg_slide_hint"),
    ("pdf", {"preset": "slide"}, "export.pdf_slide", "export.pdf_slide_hint"),
    ("pdf", {"preset": "a4"}, "export.pdf", "export.pdf_hint"),
    ("pdf", {"preset": "a4", "theme": "print"}, "export.pdf_print", "export.pdf_print_hint"),
    ("pdf", {"preset": "a3", "level": "full"}, "export.pdf_poster", "export.pdf_poster_hint"),
    ("svg", {}, "export.svg", "export.svg_hint"),
    ("png", {"preset": "a4", "dpi": 300}, "export.png_print", "export.png_print_hint"),
    ("html", {}, "export.html", "export.html_hint"),
)
#: the export menu of the views no page holds legibly (the whole graph, the articles and disciplines): the
#: drawing at its own size, in each format (a filtered view or a neighbourhood fits a page: the form)
EXPORT_CHOICES_OWN_SIZE = (
    ("svg", {}, "export.svg", "export.svg_hint"),
    ("png", {}, "export.png_own", "export.png_own_hint"),
    ("pdf", {}, "export.pdf_own", "export.pdf_own_hint"),
    ("html", {}, "export.html", "export.html_hint"),
)
#: the export form's choices (every preset in every format, at any level): name → values
EXPORT_FORM = (
    ("format", ("png", "svg", "pdf", "pptx", "html")),
    ("preset", ("slide", "a4", "a4-portrait", "a4-landscape", "a3", "a2", "none")),
    ("level", ("auto", "overview", "detail", "full")),
    ("theme", ("light", "print")),
    ("labels", ("zh", "en", "both")),
    ("dpi", ("96", "144", "300")),
)


def export_links(view: str, params: dict, labels: str) -> list[dict]:
    """The export menu of a graph page: the same view, filters and label language, in each format."""
    keep = {k: v for k, v in params.items() if v not in (None, "", [])}
    choices = EXPORT_CHOICES_OWN_SIZE if view in ("whole", "cross") else EXPORT_CHOICES
    return [{"fmt": fmt, "label": label, "hint": hint,
             "url": export(view, fmt, **keep, labels=labels, **extra)}
            for fmt, extra, label, hint in choices]


def export_form(view: str, params: dict, labels: str) -> dict:
    """The export menu's form: where it goes, the fields that keep the view on screen (its parameters and
    label language; the page's script adds what is hidden and selected) and the choices."""
    hidden = [(k, str(v)) for k, value in params.items() if value not in (None, "", [])
              for v in (value if isinstance(value, (list, tuple)) else [value])]
    chosen = {"labels": labels}
    return {"action": f"/export/{view}", "hidden": [h for h in hidden if h[0] != "labels"],
            "choices": [{"name": name, "values": list(values), "chosen": chosen.get(name)}
                        for name, values in EXPORT_FORM]}


def graph_tabs(current: str, concept: str | None = None) -> list[dict]:
    """The tabs of the graph pages (their words: the catalogue's graph.tab.NAME); the neighbourhood tab
    only when a concept is chosen."""
    tabs = [{"name": name, "url": graph(name), "current": name == current} for name in STANDARD_VIEWS]
    if current == "neighbourhood":
        tabs.append({"name": "neighbourhood", "current": True, "url": graph("neighbourhood", concept=concept)})
    tabs.append({"name": "paths", "url": paths(), "current": current == "paths"})
    return tabs


def graph_script_links() -> dict:
    """The URLs graph-1.js follows (built here, never pasted together in the script)."""
    return {"neighbourhood_json": graph("neighbourhood", "json"), "whole_json": graph("whole", "json"),
            "neighbourhood": graph("neighbourhood"), "concept": concept("__ID__")}


def graph_page_links(view: str, query: dict, labels: str) -> dict:
    """The links of a graph page (a view, or the paths page's graph): its tabs, its export menu, and for a
    neighbourhood the embeddable version.  ``query``: the parameters that give the view again."""
    return {"tabs": graph_tabs(view, query.get("concept")),
            "exports": export_links(view, query, labels),
            "export_form": export_form(view, query, labels),
            "embed_url": graph(view, **query, embed=1) if view == "neighbourhood" else None}
