"""An export as a file: which graph a request names (:class:`ViewRequest`, :func:`build_view`), its bytes
in any format (:func:`export_bytes`) and its file name (:meth:`ViewRequest.file_stem`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kg.catalog import Catalog
from kg.export.image import render
from kg.export.levels import choose_level
from kg.export.options import ExportError, ExportOptions
from kg.export.standalone import standalone_html
from kg.graph.model import GraphView
from kg.i18n import Message
from kg.styles import EXPORT_VIEWS


@dataclass(frozen=True)
class ViewRequest:
    """Which graph to draw: a built-in view, a neighbourhood or the paths between two concepts."""

    name: str
    concept: str | None = None
    depth: int = 1
    source: str | None = None  # paths: from
    target: str | None = None  # paths: to
    k: int = 3
    max_length: int = 6
    relations: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    #: what the graph page hides (its hide_class= and hide_relation=): left out of the file too
    hidden_classes: tuple[str, ...] = ()
    hidden_relations: tuple[str, ...] = ()

    def file_stem(self, options: ExportOptions | None = None, level: str | None = None) -> str:
        """The file's name without its suffix: the view, and with ``options`` its level, the concept a
        detail shows, the preset, the theme and the labels when not the defaults, and whether some
        classes or relations were left out (``45231-tree-overview-slide``, ``yanbian-chain-full-a3-print``)."""
        if self.name == "neighbourhood":
            stem = f"neighbourhood-{self.concept}-d{self.depth}"
        elif self.name == "paths":
            stem = f"paths-{self.source}-{self.target}"
        else:
            stem = {"tree": "45231-tree", "chain": "yanbian-chain", "cross": "articles-and-disciplines"}.get(
                self.name, self.name)
        if options is None:
            return stem
        parts = [stem]
        if level:
            parts.append(level)
        if level == "detail" and options.concept:
            parts.append(options.concept)
        if options.preset != "none" and options.fmt not in ("pptx", "html"):
            parts.append(options.preset)
        if options.fmt == "png" and options.effective_dpi != 96:
            parts.append(f"{options.effective_dpi:g}dpi")
        if options.theme != "light":
            parts.append(options.theme)
        if options.labels != "zh":
            parts.append(options.labels)
        if self.classes or self.relations or self.hidden_classes or self.hidden_relations:
            parts.append("filtered")
        return "-".join(parts)


def build_view(concept_graph, request: ViewRequest) -> GraphView:
    """The :class:`GraphView` for ``request`` (errors as :mod:`kg.graph` raises them)."""
    relations = list(request.relations) or None
    classes = list(request.classes) or None
    if request.name == "paths":
        if not request.source or not request.target:
            raise ExportError(Message("both_ends"))
        # ids or names, as /paths takes them (a shared name is an AmbiguousConcept, 400; none an UnknownConcept)
        source, target = concept_graph.resolve(request.source), concept_graph.resolve(request.target)
        view = concept_graph.paths(source, target, request.k, request.max_length, relations, classes).view
    elif request.name not in EXPORT_VIEWS:
        raise ExportError(Message("unknown_view", name=request.name, known=", ".join(EXPORT_VIEWS)))
    else:
        concept = request.concept if request.name == "neighbourhood" else None
        view = concept_graph.view(request.name, concept, request.depth, relations, classes)
    return hide(view, request.hidden_classes, request.hidden_relations)


def hide(view: GraphView, classes=(), relations=()) -> GraphView:
    """The view as the graph page shows it with these classes and relations hidden: their nodes, the
    links that touch those nodes and the links of those relations left out, and the legend without them."""
    if not classes and not relations:
        return view
    classes, relations = set(classes), set(relations)
    nodes = [n for n in view.nodes if n.cls not in classes]
    kept = {n.id for n in nodes}
    edges = [e for e in view.edges if e.source in kept and e.target in kept and e.relation not in relations]
    legend = [i for i in view.legend if i.cls not in classes]
    return replace(view, nodes=nodes, edges=edges, legend=legend,
                   params={**view.params, "hide_class": sorted(classes), "hide_relation": sorted(relations)})


def file_name(request: ViewRequest, view: GraphView, options: ExportOptions) -> str:
    """The file's name: view, level, concept, preset and the options that differ from the defaults."""
    level = None if options.fmt in ("html", "pptx") else choose_level(view, options.level, options.preset, options.concept)
    return f"{request.file_stem(options, level)}.{options.fmt}"


def export_bytes(view: GraphView, catalog: Catalog, options: ExportOptions) -> bytes:
    """Any export format: the static ones from Graphviz, ``html`` as a standalone interactive page."""
    if options.fmt == "html":
        return standalone_html(view, catalog, options).encode("utf-8")
    if options.fmt == "pptx":
        from kg.export.deck import view_deck

        return view_deck(view, catalog, options)
    return render(view, catalog, options)


__all__ = ["ViewRequest", "build_view", "export_bytes", "file_name", "hide"]
