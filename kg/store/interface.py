"""The store interface, and the three stores behind it.

Callers use only :class:`Store`.  Three implementations, chosen by a *store spec*
(:func:`open_store`, ``kg serve --store``, ``kg load --store``, ``KG_STORE``):

``memory``
    rdflib's in-memory Dataset (this module); the default for the bundled data.
``oxigraph:DIR`` (or ``oxigraph:`` for an in-memory Oxigraph)
    pyoxigraph, persistent on disk (:mod:`kg.store_oxigraph`); reopens in a fraction of a second.
``http://host:port/query`` (any SPARQL 1.1 query endpoint)
    a remote server, over the SPARQL 1.1 query, update and graph store protocols
    (:mod:`kg.store_remote`), e.g. Oxigraph server, Fuseki or GraphDB.

Each loaded file goes into a named graph of its own (``https://w3id.org/lokg/graph/{dir}/{stem}``);
loading a file again replaces that graph.  Queries see the union of all graphs.

Queries are :class:`SparqlQuery` objects (all of them live in :mod:`kg.queries`) run with
bound values.  Two ways to read answers:

- :meth:`Store.rows`: tuples of *plain* Python values (an IRI or a literal's lexical form as
  ``str``, ``None`` when unbound) -- what the catalog reads in bulk; no rdflib term is built,
  which is what keeps a million-triple load fast;
- :meth:`Store.query`: an rdflib ``Result`` (SELECT, ASK, CONSTRUCT), for the few callers that
  need typed terms or a graph.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import BNode, Dataset, Graph, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.processor import SPARQLResult
from rdflib.plugins.sparql.sparql import Query, QueryContext
from rdflib.query import Result
from rdflib.term import Node

from kg.namespaces import PREFIXES, bind_prefixes
from kg import resources
from kg.rdfio import RDFSyntaxError, parse_file

GRAPH = Namespace("https://w3id.org/lokg/graph/")
Triple = tuple[Node, Node, Node]
Plain = str | None
#: ``progress(path, done_bytes, total_bytes)``, called as a file is read
Progress = Callable[[Path, int, int], None]

NAMESPACES = dict(PREFIXES, rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#")
PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in NAMESPACES.items())

#: file suffix -> rdflib format name; every store accepts these
FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml",
           ".owl": "xml", ".xml": "xml"}


@dataclass
class SparqlQuery:
    """One query of the project: its text (the project's prefixes declared) and, made on first
    use, rdflib's prepared form."""

    body: str
    _prepared: Query | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return PROLOGUE + self.body

    @property
    def prepared(self) -> Query:
        if self._prepared is None:
            self._prepared = prepareQuery(self.body, initNs=NAMESPACES)
        return self._prepared


class StoreError(Exception):
    """A store could not be opened, read or written; the message says which and why."""


class Store(Protocol):
    """What the rest of ``kg`` needs from a triple store."""

    #: "memory", "oxigraph" or "remote"
    kind: str

    #: how many queries may usefully run at once from threads (1: one after the other)
    concurrent_reads: int

    def describe(self) -> str:
        """Where the data lives, for people (``memory``, ``oxigraph:/srv/kg``, a URL)."""

    def load(self, paths: Iterable[Path], progress: Progress | None = None) -> None:
        """Add each RDF file as its own named graph, replacing a graph loaded from the same file.
        Every file is checked before any is stored: a syntax error in any of them raises
        :class:`~kg.rdfio.RDFSyntaxError` (file and line) and leaves the store as it was."""

    def rows(self, query: SparqlQuery, bindings: Mapping[str, Node] | None = None) -> Iterator[tuple[Plain, ...]]:
        """A SELECT query's rows as tuples of plain values, in the order of its variables."""

    def query(self, query: SparqlQuery | str, bindings: Mapping[str, Node] | None = None, *,
              default_graphs: Sequence[URIRef] | None = None,
              named_graphs: Sequence[URIRef] | None = None) -> Result:
        """Run a query over the union of all graphs (or over the dataset the graph lists name)."""

    def triples_of(self, subject: URIRef) -> list[Triple]:
        """Every triple whose subject is ``subject``, sorted."""

    def serialize(self, fmt: str) -> str:
        """The whole union graph in an rdflib format (turtle, nt, json-ld, xml)."""

    def graph_names(self) -> list[URIRef]:
        """The named graphs held, sorted."""

    def graph_triples(self, name: URIRef) -> Iterator[Triple]:
        """The triples of one named graph (``KeyError`` when not held)."""

    def remove_graph(self, name: URIRef) -> None:
        """Drop one named graph (nothing happens when it is not held)."""

    def __len__(self) -> int: ...


def graph_name(path: Path) -> URIRef:
    """The named graph a file is loaded into: its folder and stem (``ontology/lo``)."""
    return GRAPH[f"{path.parent.name}/{path.stem}"]


def rdf_format(path: Path) -> str:
    """The rdflib format name for ``path``, from its suffix; unknown suffixes are refused."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RDFSyntaxError(path, 0, 0, f"unknown RDF file type {path.suffix or '(none)'!r}; "
                                         f"expected one of {', '.join(sorted(FORMATS))}")
    return fmt


def plain(term) -> Plain:
    """A term as a plain value: an IRI or a literal's lexical form; ``_:id`` for a blank node."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def with_values(text: str, bindings: Mapping[str, Node] | None) -> str:
    """``text`` with its bindings appended as a trailing VALUES clause (SPARQL 1.1 §10.2.2): the
    standard way to bind variables in a query sent as text, as rdflib's SPARQLStore does.
    The terms are written by rdflib's ``n3()``, which escapes them."""
    if not bindings:
        return text
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(v.n3() for v in bindings.values())
    return f"{text}\nVALUES ({names}) {{ ({values}) }}"


class MemoryStore:
    """rdflib's in-memory store; the default for the bundled data."""

    kind = "memory"
    concurrent_reads = 1  # rdflib evaluates in Python: threads would only take turns

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)
        bind_prefixes(self._ds)

    def describe(self) -> str:
        return "memory"

    def load(self, paths: Iterable[Path], progress: Progress | None = None) -> None:
        parsed = []
        for path in paths:  # all of them parsed before the store is touched
            fresh = Graph()
            parse_file(path, into=fresh, fmt=rdf_format(path))
            parsed.append((path, fresh))
        for path, fresh in parsed:
            name = graph_name(path)
            self._ds.remove_graph(name)
            self.add_graph(name, fresh)
            if progress:
                size = _size(path)
                progress(path, size, size)

    def remove_graph(self, name: URIRef) -> None:
        self._ds.remove_graph(name)

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        """Add an in-memory graph as the named graph ``name`` (used by tests and the build)."""
        target = self._ds.graph(name)
        for triple in graph:
            target.add(triple)

    def rows(self, query: SparqlQuery, bindings: Mapping[str, Node] | None = None) -> Iterator[tuple[Plain, ...]]:
        for row in self._ds.query(query.prepared, initBindings=dict(bindings or {})):
            yield tuple(plain(t) for t in row)

    def query(self, query: SparqlQuery | str | Query, bindings: Mapping[str, Node] | None = None, *,
              default_graphs: Sequence[URIRef] | None = None,
              named_graphs: Sequence[URIRef] | None = None) -> Result:
        prepared = query.prepared if isinstance(query, SparqlQuery) else query
        if isinstance(prepared, str):
            prepared = prepareQuery(prepared, initNs=NAMESPACES)
        if default_graphs is None and named_graphs is None:
            return self._ds.query(prepared, initBindings=dict(bindings or {}))
        if bindings:
            raise StoreError("bound values and a dataset of chosen graphs do not go together")
        return self._over_graphs(prepared, default_graphs or [], named_graphs or [])

    def _over_graphs(self, query: Query, default_graphs: Sequence[URIRef], named_graphs: Sequence[URIRef]) -> Result:
        """``query`` (carrying no dataset clause) over a dataset built from copies of held graphs:
        their merge as the default graph, and the named ones."""
        dataset = Dataset()
        for name in default_graphs:
            for triple in self.graph_triples(name):
                dataset.default_graph.add(triple)
        for name in named_graphs:
            target = dataset.graph(name)
            for triple in self.graph_triples(name):
                target.add(triple)
        ctx = QueryContext(dataset)  # no datasetClause given: rdflib loads nothing
        ctx.graph = dataset.default_graph  # the merge of the chosen graphs, not the union of the dataset
        ctx.prologue = query.prologue
        return SPARQLResult(evalPart(ctx, query.algebra))

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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise RDFSyntaxError(path, 0, 0, f"cannot read: {exc.strerror}") from None


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
    ``http(s)://…`` (a SPARQL query endpoint; see :class:`kg.store_remote.RemoteStore`)."""
    spec = (spec if spec is not None else os.environ.get("KG_STORE", "")).strip() or "memory"
    if spec == "memory":
        return MemoryStore()
    if spec.startswith("oxigraph:"):
        from kg.store_oxigraph import OxigraphStore

        return OxigraphStore(spec.removeprefix("oxigraph:") or None,
                             read_only=os.environ.get("KG_STORE_READ_ONLY") == "1")
    if spec.startswith(("http://", "https://")):
        from kg.store_remote import RemoteStore

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
