"""The store interface, and the embedded in-memory store that is the default.

Callers use only :class:`Store`: ``load``, ``query``, ``triples_of`` and
``serialize``.  An on-disk store or a remote SPARQL endpoint can be added later
as another implementation without touching them.  Each loaded file goes into a
named graph of its own (``https://w3id.org/lokg/graph/{dir}/{stem}``); queries
see the union of all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.query import Result
from rdflib.term import Node

from kg.namespaces import bind_prefixes
from kg.paths import DATA_DIR, ONTOLOGY_DIR
from kg.rdfio import parse_file

GRAPH = Namespace("https://w3id.org/lokg/graph/")
Triple = tuple[Node, Node, Node]


class Store(Protocol):
    """What the rest of ``kg`` needs from a triple store."""

    def load(self, paths: Iterable[Path]) -> None:
        """Add the triples of each RDF file, one named graph per file."""

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        """Run a SPARQL query over the union of all graphs, with bound variables."""

    def triples_of(self, subject: URIRef) -> list[Triple]:
        """Every triple whose subject is ``subject``."""

    def serialize(self, fmt: str) -> str:
        """The whole union graph in an rdflib format (turtle, nt, json-ld, xml)."""

    def graph_names(self) -> list[URIRef]:
        """The named graphs held."""

    def graph_triples(self, name: URIRef) -> Iterator[Triple]:
        """The triples of one named graph."""

    def __len__(self) -> int: ...


class MemoryStore:
    """rdflib's in-memory store; the default for the bundled data."""

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)
        bind_prefixes(self._ds)

    def load(self, paths: Iterable[Path]) -> None:
        for path in paths:
            name = GRAPH[f"{path.parent.name}/{path.stem}"]
            graph = self._ds.graph(name)
            parse_file(path, into=graph)

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        """Add an in-memory graph as the named graph ``name`` (used by tests and the build)."""
        target = self._ds.graph(name)
        for triple in graph:
            target.add(triple)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        return self._ds.query(sparql, initBindings=dict(bindings or {}))

    def triples_of(self, subject: URIRef) -> list[Triple]:
        return sorted(set(self._ds.triples((subject, None, None))))

    def union(self) -> Graph:
        """A plain graph holding every triple (for validation and serialization)."""
        g = Graph()
        bind_prefixes(g)
        for triple in self._ds.triples((None, None, None)):
            g.add(triple)
        return g

    def serialize(self, fmt: str) -> str:
        return self.union().serialize(format=fmt)

    def graph_names(self) -> list[URIRef]:
        return sorted(g.identifier for g in self._ds.graphs() if isinstance(g.identifier, URIRef)
                      and len(g) and g.identifier != self._ds.default_graph.identifier)

    def graph_triples(self, name: URIRef) -> Iterator[Triple]:
        if name not in self.graph_names():
            raise KeyError(name)
        return iter(self._ds.graph(name))

    def __len__(self) -> int:
        return sum(1 for _ in self._ds.triples((None, None, None)))

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._ds.triples((None, None, None)))


def bundled_files(ontology_dir: Path = ONTOLOGY_DIR, data_dir: Path = DATA_DIR) -> list[Path]:
    """The RDF files of the knowledge graph: the ontology (not the shapes) and the data."""
    files = sorted(p for p in ontology_dir.glob("*.ttl") if p.name != "shapes.ttl")
    return files + sorted(data_dir.glob("*.ttl"))


def open_store(paths: Iterable[Path] | None = None) -> MemoryStore:
    """A store loaded with ``paths`` (default: the bundled ontology and data)."""
    store = MemoryStore()
    store.load(bundled_files() if paths is None else paths)
    return store
