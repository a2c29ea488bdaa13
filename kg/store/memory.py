"""The in-memory store: rdflib's Dataset; the default for the bundled data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.evalutils import _val
from rdflib.plugins.sparql.parserutils import CompValue, value
from rdflib.plugins.sparql.processor import SPARQLResult
from rdflib.plugins.sparql.sparql import Query, QueryContext
from rdflib.query import Result
from rdflib.term import Node

from kg.namespaces import bind_prefixes
from kg.rdfio import RDFSyntaxError, format_of, parse_file
from kg.store.interface import Plain, Progress, SparqlQuery, StoreError, Triple, graph_name, plain


class MemoryStore:
    """rdflib's in-memory store; the default for the bundled data."""

    kind = "memory"
    concurrent_reads = 1  # rdflib evaluates in Python: threads would only take turns
    location = None

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)
        bind_prefixes(self._ds)

    def describe(self) -> str:
        return "memory"

    def load(self, paths: Iterable[Path], progress: Progress | None = None, graph: URIRef | None = None) -> None:
        parsed = []
        for path in paths:  # all of them parsed before the store is touched
            fresh = Graph()
            parse_file(path, into=fresh, fmt=format_of(path).rdflib)
            parsed.append((path, fresh))
        if graph is not None:
            self._ds.remove_graph(graph)
        for path, fresh in parsed:
            name = graph if graph is not None else graph_name(path)
            if graph is None:
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

    def query(self, query: SparqlQuery, bindings: Mapping[str, Node] | None = None, *,
              default_graphs: Sequence[URIRef] | None = None,
              named_graphs: Sequence[URIRef] | None = None) -> Result:
        prepared = query.prepared
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
        ctx = QueryContext(dataset, initBindings={})  # no datasetClause given: rdflib loads nothing
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


def _order_by(ctx: QueryContext, part: CompValue):
    """ORDER BY as rdflib evaluates it, except that a key whose expression is an error
    (``ORDER BY (1/0)``) sorts first, like an unbound value, as SPARQL orders them; rdflib 7.6's own
    gives such a row the key None and fails comparing it (TypeError: a 500 for a valid query).
    Installed as an rdflib custom evaluation (its documented hook) for every other part it declines."""
    if part.name != "OrderBy":
        raise NotImplementedError
    rows = evalPart(ctx, part.p)
    for e in reversed(part.expr):
        rows = sorted(rows, key=lambda row: _val(value(row, e.expr, variables=True)) or (-1, ""),
                      reverse=bool(e.order and e.order == "DESC"))
    return rows


CUSTOM_EVALS["kg-order-by-errors"] = _order_by


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise RDFSyntaxError(path, 0, 0, f"cannot read: {exc.strerror}") from None
