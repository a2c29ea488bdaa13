"""The store interface: what the rest of ``kg`` needs from a triple store, and the types it speaks.

Callers use only :class:`Store`.  Three implementations, each in its own module, chosen by a
*store spec* (:mod:`kg.store.factory`):

``memory``
    rdflib's in-memory Dataset (:mod:`kg.store.memory`); the default for the bundled data.
``oxigraph:DIR`` (or ``oxigraph:`` for an in-memory Oxigraph)
    pyoxigraph, persistent on disk (:mod:`kg.store.oxigraph`); reopens in a fraction of a second.
``http://host:port/query`` (any SPARQL 1.1 query endpoint)
    a remote server, over the SPARQL 1.1 query, update and graph store protocols
    (:mod:`kg.store.remote`), e.g. Oxigraph server, Fuseki or GraphDB.

Each loaded file goes into a named graph of its own (``https://w3id.org/lokg/graph/{dir}/{stem}``);
loading a file again replaces that graph.  Queries see the union of all graphs.

Queries are :class:`SparqlQuery` objects (all of the explorer's live in :mod:`kg.queries`), run
with bound values, never text.  Two ways to read answers:

- :meth:`Store.rows`: tuples of *plain* Python values (an IRI or a literal's lexical form as
  ``str``, ``None`` when unbound) -- what the catalog reads in bulk; no rdflib term is built,
  which is what keeps a million-triple load fast;
- :meth:`Store.query`: an rdflib ``Result`` (SELECT, ASK, CONSTRUCT), for the few callers that
  need typed terms or a graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import BNode, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kg.namespaces import GRAPH, PREFIXES, PROLOGUE

Triple = tuple[Node, Node, Node]
Plain = str | None
#: ``progress(path, done_bytes, total_bytes)``, called as a file is read
Progress = Callable[[Path, int, int], None]


@dataclass
class SparqlQuery:
    """A prepared query: its text (with the project's prefixes declared, for a store that takes
    text) and rdflib's parsed form (made on first use, or given when already parsed and checked,
    as the SPARQL endpoint does).  Values are bound when it runs, never pasted into the text."""

    body: str
    _prepared: Query | None = field(default=None, repr=False, compare=False)
    #: the IRI relative IRIs in the query resolve against (the endpoint's URL); None: no base
    base: str | None = None

    @property
    def text(self) -> str:
        return PROLOGUE + self.body

    @property
    def prepared(self) -> Query:
        if self._prepared is None:
            self._prepared = prepareQuery(self.body, initNs=PREFIXES, base=self.base)
        return self._prepared


class StoreError(Exception):
    """A store could not be opened, read or written; the message says which and why."""


class QueryError(Exception):
    """The store will not answer a query because of the query itself (a relative IRI with no base,
    a function it does not know): the message is the store's, with the line in the query's own text."""


class Store(Protocol):
    """What the rest of ``kg`` needs from a triple store."""

    #: "memory", "oxigraph" or "remote"
    kind: str

    #: how many queries may usefully run at once from threads (1: one after the other)
    concurrent_reads: int

    #: the folder the data is kept in on this machine (None: in memory, or on a server)
    location: Path | None

    def describe(self) -> str:
        """Where the data lives, for people (``memory``, ``oxigraph:/srv/kg``, a URL)."""

    def load(self, paths: Iterable[Path], progress: Progress | None = None, graph: URIRef | None = None) -> None:
        """Add each RDF file as its own named graph, replacing a graph loaded from the same file;
        with ``graph``, the files together replace the graph of that name instead.
        Every file is checked before any is stored: a syntax error in any of them raises
        :class:`~kg.rdfio.RDFSyntaxError` (file and line) and leaves the store as it was."""

    def rows(self, query: SparqlQuery, bindings: Mapping[str, Node] | None = None) -> Iterator[tuple[Plain, ...]]:
        """A SELECT query's rows as tuples of plain values, in the order of its variables."""

    def query(self, query: SparqlQuery, bindings: Mapping[str, Node] | None = None, *,
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


#: an absolute IRI (scheme, colon, then no character that would end ``<…>`` or need escaping)
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")


def is_absolute_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI that can be written between ``<`` and ``>`` as it is."""
    return bool(_ABSOLUTE_IRI.fullmatch(text))


def graph_name(path: Path) -> URIRef:
    """The named graph a file is loaded into: its folder and stem (``ontology/lo``)."""
    return GRAPH[f"{path.parent.name}/{path.stem}"]


def plain(term) -> Plain:
    """A term as a plain value: an IRI or a literal's lexical form; ``_:id`` for a blank node."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)

