"""Opening a store: the store a spec names (:func:`connect`), and one ready to serve (:func:`open_store`)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from kg import resources
from kg.store.interface import Store, StoreError


def bundled_files(ontology_dir: Path | None = None, data_dir: Path | None = None) -> list[Path]:
    """The RDF files of the knowledge graph: the ontology (not the shapes) and the data.

    :class:`kg.resources.MissingResource` when either part is missing: an install without its data must
    not read as an empty graph."""
    ontology_dir = ontology_dir or resources.ontology_dir()
    data_dir = data_dir or resources.data_dir()
    ontology = sorted(p for p in ontology_dir.glob("*.ttl") if p.name != "shapes.ttl")
    data = sorted(data_dir.glob("*.ttl"))
    for part, folder in ((ontology, ontology_dir), (data, data_dir)):
        if not part:
            raise resources.MissingResource(f"no Turtle files in {folder}: the bundled graph is missing")
    return ontology + data


def connect(spec: str | None = None) -> Store:
    """The store a spec names, opened but not loaded.  ``None`` reads ``KG_STORE`` (default ``memory``).

    ``memory`` · ``oxigraph:DIR`` (created if absent; read-only when ``KG_STORE_READ_ONLY=1``, as
    the workers of ``kg serve --workers N`` open it) · ``oxigraph:`` (in memory) ·
    ``http(s)://…`` (a SPARQL query endpoint; see :class:`kg.store.remote.RemoteStore`).
    Each backend is imported only when named: a remote store needs no pyoxigraph store."""
    spec = (spec if spec is not None else os.environ.get("KG_STORE", "")).strip() or "memory"
    if spec == "memory":
        from kg.store.memory import MemoryStore

        return MemoryStore()
    if spec.startswith("oxigraph:"):
        from kg.store.oxigraph import OxigraphStore

        return OxigraphStore(spec.removeprefix("oxigraph:") or None,
                             read_only=os.environ.get("KG_STORE_READ_ONLY") == "1")
    if spec.startswith(("http://", "https://")):
        from kg.store.remote import RemoteStore

        return RemoteStore(spec)
    raise StoreError(f"unknown store {spec!r}: use memory, oxigraph:DIR or the URL of a SPARQL endpoint")


def is_empty(store: Store) -> bool:
    return not store.graph_names() and len(store) == 0


def open_store(spec: str | None = None, paths: Iterable[Path] | None = None) -> Store:
    """A store ready to serve: the store ``spec`` names (default: in memory), holding ``paths``.

    Without ``paths``, an in-memory store gets the bundled ontology and data; a persistent or
    remote store is served as it is, and gets the bundled files only when it is empty."""
    store = connect(spec)
    if paths is not None:
        store.load(paths)
    elif store.kind == "memory" or is_empty(store):
        store.load(bundled_files())
    return store
