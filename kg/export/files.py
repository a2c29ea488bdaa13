"""An export as a file: which graph a request names (:class:`ViewRequest`, :func:`build_view`), its bytes
in any format (:func:`export_bytes`) and its file name (:meth:`ViewRequest.file_stem`)."""

from __future__ import annotations

from dataclasses import dataclass

from kg.catalog import Catalog
from kg.export.image import render
from kg.export.options import ExportError, ExportOptions
from kg.export.standalone import standalone_html
from kg.graph.model import GraphView
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

    def file_stem(self) -> str:
        if self.name == "neighbourhood":
            return f"neighbourhood-{self.concept}-d{self.depth}"
        if self.name == "paths":
            return f"paths-{self.source}-{self.target}"
        return {"tree": "45231-tree", "chain": "yanbian-chain", "cross": "articles-and-disciplines"}.get(
            self.name, self.name)


def build_view(concept_graph, request: ViewRequest) -> GraphView:
    """The :class:`GraphView` for ``request`` (errors as :mod:`kg.graph` raises them)."""
    relations = list(request.relations) or None
    classes = list(request.classes) or None
    if request.name == "paths":
        if not request.source or not request.target:
            raise ExportError("the paths view needs from= and to=")
        return concept_graph.paths(request.source, request.target, request.k, request.max_length,
                                   relations, classes).view
    if request.name not in EXPORT_VIEWS:
        raise ExportError(f"unknown view {request.name!r}; one of {', '.join(EXPORT_VIEWS)}")
    return concept_graph.view(request.name, request.concept, request.depth, relations, classes)


def export_bytes(view: GraphView, catalog: Catalog, options: ExportOptions) -> bytes:
    """Any export format: the static ones from Graphviz, ``html`` as a standalone interactive page."""
    if options.fmt == "html":
        return standalone_html(view, catalog, options).encode("utf-8")
    return render(view, catalog, options)


__all__ = ["ViewRequest", "build_view", "export_bytes"]
