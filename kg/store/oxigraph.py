"""The embedded on-disk store: Oxigraph through pyoxigraph.

pyoxigraph rather than oxrdflib: oxrdflib's ``len()`` runs a COUNT DISTINCT over the whole
store and its ``initBindings`` fail unless the bound variable is selected (see FIELD-NOTES);
pyoxigraph's own ``query(substitutions=…)`` binds values natively and its solutions are read
here without building rdflib terms for the bulk reads.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

from kg.namespaces import PREFIXES, PROLOGUE, bind_prefixes
from kg.queries import with_values
from kg.rdfformats import BY_RDFLIB
from kg.rdfio import check_file, format_of, syntax_error
from kg.store.interface import Plain, Progress, QueryError, SparqlQuery, StoreError, Triple, graph_name

_XSD_STRING = str(XSD.string)
#: the lines the project's prefixes add before a query's own text
_PROLOGUE_LINES = PROLOGUE.count("\n")
_POSITION = re.compile(r"error at (\d+):(\d+)")


def query_error(exc: Exception) -> QueryError:
    """Oxigraph's refusal of a query (a SyntaxError: its parser; a RuntimeError: its evaluator) as a
    :class:`QueryError`, with the line counted in the query's own text, not after the prologue."""
    def own_line(match: re.Match) -> str:
        return f"error at line {max(1, int(match[1]) - _PROLOGUE_LINES)}, column {match[2]}"

    return QueryError(_POSITION.sub(own_line, str(exc)))


def _guarded(items):
    """Iterate Oxigraph's lazy answer, its refusals as :class:`QueryError`."""
    try:
        yield from items
    except (SyntaxError, RuntimeError) as exc:
        raise query_error(exc) from None


def _format(rdflib_name: str) -> ox.RdfFormat:
    """pyoxigraph's format for an rdflib format name (:mod:`kg.rdfformats`)."""
    return getattr(ox.RdfFormat, BY_RDFLIB[rdflib_name].oxigraph)


def to_rdflib(term) -> Node | None:
    """A pyoxigraph term as an rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise StoreError(f"unsupported term {term!r}")


def to_oxigraph(term: Node):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise StoreError(f"unsupported term {term!r}")


class OxigraphStore:
    """Oxigraph, on disk at ``location`` (created if absent) or in memory when ``location`` is None."""

    kind = "oxigraph"

    #: Oxigraph evaluates queries without holding the GIL
    concurrent_reads = min(4, os.cpu_count() or 1)

    def __init__(self, location: str | Path | None = None, read_only: bool = False) -> None:
        """``read_only`` opens an existing store for reading only; several processes may do so at
        once, alongside one writer (the workers of ``kg serve --workers N``)."""
        self.location = Path(location) if location else None
        self.read_only = bool(read_only and self.location)
        try:
            if self.read_only:
                if not self.location.is_dir():
                    raise StoreError(f"no Oxigraph store at {self.location}: load one first "
                                     f"(kg load FILES --store oxigraph:{self.location})")
                self._store = ox.Store.read_only(str(self.location))
            else:
                self._store = ox.Store(str(self.location)) if self.location else ox.Store()
        except OSError as exc:
            raise StoreError(f"cannot open the Oxigraph store at {self.location}: {exc}") from None

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the Oxigraph store at {self.location} is open read-only")

    def describe(self) -> str:
        return f"oxigraph:{self.location}" if self.location else "oxigraph: (in memory)"

    # -- writing -------------------------------------------------------------------------------

    def load(self, paths: Iterable[Path], progress: Progress | None = None, graph: URIRef | None = None) -> None:
        """Each file is read twice: every file is checked first (progress is reported then) and,
        only when all are well-formed, each is bulk-loaded into its graph -- so a bad file among
        them leaves the store untouched."""
        self._writable()
        paths = list(paths)
        for path in paths:
            check_file(path, progress)
        if graph is not None:
            self.remove_graph(graph)
        for path in paths:
            fmt = _format(format_of(path).rdflib)
            base = path.resolve().as_uri()
            name = ox.NamedNode(str(graph if graph is not None else graph_name(path)))
            try:
                if graph is None and self._store.contains_named_graph(name):
                    self._store.remove_graph(name)
                self._store.bulk_load(path=str(path), format=fmt, base_iri=base, to_graph=name)
            except SyntaxError as exc:  # checked above; kept for a file changed meanwhile
                raise syntax_error(path, exc) from None
            except OSError as exc:
                raise StoreError(f"{path}: cannot load: {exc}") from None
        self._store.flush()

    def remove_graph(self, name: URIRef) -> None:
        self._writable()
        graph = ox.NamedNode(str(name))
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)

    # -- reading -------------------------------------------------------------------------------

    def _run(self, text: str, bindings: Mapping[str, Node] | None, default_graphs=None, named_graphs=None,
             base: str | None = None):
        """Bindings are Oxigraph substitutions (SEP-0007: bound before evaluation); Oxigraph refuses
        those for a SELECT that does not project the variable, which then gets a trailing VALUES.
        A query Oxigraph refuses raises :class:`QueryError`; a storage failure, :class:`StoreError`."""
        options = {}
        if base:
            options["base_iri"] = base
        if bindings:
            options["substitutions"] = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
        self._dataset(options, default_graphs, named_graphs)
        try:
            try:
                return self._store.query(text, **options)
            except RuntimeError as exc:
                if not bindings or "SELECT projection" not in str(exc):
                    raise
            del options["substitutions"]
            return self._store.query(with_values(text, bindings), **options)
        except (SyntaxError, RuntimeError) as exc:
            raise query_error(exc) from None
        except OSError as exc:
            raise StoreError(f"cannot read the Oxigraph store: {exc}") from None

    @staticmethod
    def _dataset(options: dict, default_graphs, named_graphs) -> None:
        if default_graphs is not None:
            options["default_graph"] = [ox.NamedNode(str(g)) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(str(g)) for g in named_graphs]

    def rows(self, query: SparqlQuery, bindings: Mapping[str, Node] | None = None) -> Iterator[tuple[Plain, ...]]:
        """Oxigraph writes the solutions as SPARQL CSV (plain values, in Rust) and the csv module
        reads them back: three times faster than reading each term through Python, which is most
        of a million-triple catalog load.  CSV cannot tell an unbound value from an empty literal:
        both come back as ``None``."""
        data = self._run(query.text, bindings).serialize(format=ox.QueryResultsFormat.CSV)
        reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        next(reader, None)  # the variable names
        for row in reader:
            yield tuple([value or None for value in row] if "" in row else row)

    def query(self, query: SparqlQuery, bindings: Mapping[str, Node] | None = None, *,
              default_graphs: Sequence[URIRef] | None = None,
              named_graphs: Sequence[URIRef] | None = None) -> Result:
        answer = self._run(query.text, bindings, default_graphs, named_graphs, query.base)
        if isinstance(answer, ox.QueryBoolean):
            result = Result("ASK")
            result.askAnswer = bool(answer)
            return result
        if isinstance(answer, ox.QuerySolutions):
            result = Result("SELECT")
            result.vars = [Variable(v.value) for v in answer.variables]
            names = result.vars
            result.bindings = ({name: to_rdflib(s[i]) for i, name in enumerate(names) if s[i] is not None}
                               for s in _guarded(answer))
            return result
        result = Result("CONSTRUCT")
        result.graph = Graph()
        bind_prefixes(result.graph)
        for t in _guarded(answer):
            result.graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return result

    def triples_of(self, subject: URIRef) -> list[Triple]:
        found = {(subject, to_rdflib(q.predicate), to_rdflib(q.object))
                 for q in self._store.quads_for_pattern(to_oxigraph(subject), None, None, None)}
        return sorted(found)

    def serialize(self, fmt: str) -> str:
        """Oxigraph's own writer (an rdflib graph of a million triples took 56 s and 1.9 GB, this
        7 s and 350 MB): the union of the named graphs, a triple held in two graphs written once."""
        if fmt not in BY_RDFLIB:
            raise StoreError(f"cannot write {fmt!r}; formats: {', '.join(BY_RDFLIB)}")
        seen: set = set()
        triples = (t for t in (q.triple for q in self._store.quads_for_pattern(None, None, None, None))
                   if not (t in seen or seen.add(t)))
        return ox.serialize(triples, format=_format(fmt), prefixes=dict(PREFIXES)).decode("utf-8")

    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_triples(self, name: URIRef) -> Iterator[Triple]:
        graph = ox.NamedNode(str(name))
        if not self._store.contains_named_graph(graph):
            raise KeyError(name)
        return ((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                for q in self._store.quads_for_pattern(None, None, None, graph))

    def __len__(self) -> int:
        """Quads held; a triple loaded from two files counts twice."""
        return len(self._store)
