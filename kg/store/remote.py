"""A remote store: any SPARQL 1.1 server, through the standard protocols.

- queries: the SPARQL 1.1 Protocol (POST, form-encoded), results read as SPARQL JSON or N-Triples;
- loading a file: the Graph Store HTTP Protocol, ``PUT ?graph=NAME`` (replaces that graph);
- removing a graph: the SPARQL 1.1 Update protocol, ``DROP SILENT GRAPH``.

So the data can live in Oxigraph server, Fuseki or GraphDB, and several stateless API workers
can share it.  The explorer's queries expect the union of the named graphs as the default graph;
instead of a server setting (Oxigraph's ``--union-default-graph``, Fuseki's ``unionDefaultGraph``)
each query names the held graphs with ``default-graph-uri``, which every SPARQL 1.1 server honours.

The endpoints: the spec is the query endpoint's URL; the update and graph-store endpoints are
derived from it (``…/query`` → ``…/update`` and ``…/store``, Oxigraph's layout; ``…/sparql`` →
``…/update`` and ``…/data``, Fuseki's) or given with ``KG_STORE_UPDATE`` and ``KG_STORE_GSP``.

Its plumbing (list graphs, count, read one subject, drop a graph) is in :mod:`kg.queries` with
every other query.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import httpx
from rdflib import Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from kg import queries
from kg.namespaces import bind_prefixes
from kg.rdfformats import BY_NAME
from kg.rdfio import check_file, format_of
from kg.store.interface import Plain, Progress, QueryError, SparqlQuery, StoreError, Triple, graph_name

_JSON = BY_NAME["json"].media
_NT = BY_NAME["nt"].media
#: what a query's answer is asked for in: SPARQL JSON results, or N-Triples for a graph
_RESULTS = f"{_JSON}, {_NT};q=0.9"


def endpoints(query_url: str, environ: Mapping[str, str] = os.environ) -> tuple[str, str, str]:
    """(query, update, graph store) URLs for a query endpoint URL."""
    base, _, last = query_url.rstrip("/").rpartition("/")
    if last == "query":
        update, gsp = f"{base}/update", f"{base}/store"
    elif last == "sparql":
        update, gsp = f"{base}/update", f"{base}/data"
    else:
        update, gsp = query_url, query_url
    return query_url, environ.get("KG_STORE_UPDATE", update), environ.get("KG_STORE_GSP", gsp)


class RemoteStore:
    """A SPARQL 1.1 endpoint at ``query_url`` (see the module docstring for the other two)."""

    kind = "remote"
    location = None
    concurrent_reads = 2  # the server works on two queries at once; more would crowd a shared one

    def __init__(self, query_url: str, timeout_s: float = 60.0) -> None:
        self.query_url, self.update_url, self.gsp_url = endpoints(query_url)
        self.timeout_s = timeout_s
        self._pid = -1
        self._http: httpx.Client | None = None
        self._graphs: list[URIRef] | None = None

    def describe(self) -> str:
        return self.query_url

    @property
    def _client(self) -> httpx.Client:
        """One connection pool per process: a forked child (the SPARQL service's) opens its own.
        Plain-HTTP endpoints skip building a TLS context (≈0.2 s, which every child would pay)."""
        if self._http is None or self._pid != os.getpid():
            tls = any(url.startswith("https:") for url in (self.query_url, self.update_url, self.gsp_url))
            self._http = httpx.Client(timeout=self.timeout_s, verify=True if tls else False)
            self._pid = os.getpid()
        return self._http

    def _send(self, method: str, url: str, query: bool = False, **kwargs) -> httpx.Response:
        """``query``: the request carries a query, and the server's 400 is a :class:`QueryError`
        (its parser's message) rather than a :class:`StoreError`."""
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise StoreError(f"the SPARQL server at {url} did not answer within {self.timeout_s:g} s") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {exc}") from None
        if query and response.status_code == 400:
            raise QueryError(f"the SPARQL server refused the query: {response.text.strip()[:500]}")
        if response.status_code >= 400:
            raise StoreError(f"the SPARQL server at {url} answered {response.status_code}: "
                             f"{response.text.strip()[:500]}")
        return response

    # -- querying ------------------------------------------------------------------------------

    def _post(self, text: str, bindings: Mapping[str, Node] | None = None, accept: str = _RESULTS,
              default_graphs: Sequence[URIRef] | None = None,
              named_graphs: Sequence[URIRef] | None = None, base: str | None = None) -> httpx.Response:
        """The protocol has no base parameter: a base is declared at the head of the text (same line,
        so the server's line numbers stay those of the text)."""
        held = None if default_graphs is not None and named_graphs is not None else self.graph_names()
        text = f"BASE <{base}> {text}" if base else text
        form = {"query": queries.with_values(text, bindings),
                "default-graph-uri": [str(g) for g in (held if default_graphs is None else default_graphs)],
                "named-graph-uri": [str(g) for g in (held if named_graphs is None else named_graphs)]}
        return self._send("POST", self.query_url, query=True, data=form, headers={"Accept": accept})

    def rows(self, query: SparqlQuery, bindings: Mapping[str, Node] | None = None) -> Iterator[tuple[Plain, ...]]:
        data = self._post(query.text, bindings, _JSON).json()
        names = data["head"]["vars"]
        for row in data["results"]["bindings"]:
            yield tuple(_plain(row.get(v)) for v in names)

    def query(self, query: SparqlQuery, bindings: Mapping[str, Node] | None = None, *,
              default_graphs: Sequence[URIRef] | None = None,
              named_graphs: Sequence[URIRef] | None = None) -> Result:
        if default_graphs is not None or named_graphs is not None:
            default_graphs, named_graphs = default_graphs or [], named_graphs or []
        response = self._post(query.text, bindings, _RESULTS, default_graphs, named_graphs, query.base)
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media == _JSON:
            return Result.parse(io.BytesIO(response.content), format="json")
        result = Result("CONSTRUCT")
        result.graph = Graph()
        bind_prefixes(result.graph)
        result.graph.parse(data=response.content, format="nt")
        return result

    def triples_of(self, subject: URIRef) -> list[Triple]:
        return sorted(set(self.query(queries.TRIPLES_OF, {"s": subject}).graph))

    def serialize(self, fmt: str) -> str:
        graph = self.query(queries.ALL_TRIPLES).graph
        return graph.serialize(format=fmt)

    def graph_names(self) -> list[URIRef]:
        if self._graphs is None:
            data = self._send("POST", self.query_url, data={"query": queries.GRAPH_NAMES.text},
                              headers={"Accept": _JSON}).json()
            self._graphs = sorted(URIRef(r["g"]["value"]) for r in data["results"]["bindings"]
                                  if r["g"]["type"] == "uri")
        return list(self._graphs)

    def graph_triples(self, name: URIRef) -> Iterator[Triple]:
        if name not in self.graph_names():
            raise KeyError(name)
        response = self._send("GET", self.gsp_url, params={"graph": str(name)},
                              headers={"Accept": _NT})
        return iter(Graph().parse(data=response.content, format="nt"))

    def __len__(self) -> int:
        data = self._post(queries.COUNT_TRIPLES.text, accept=_JSON).json()
        return int(data["results"]["bindings"][0]["n"]["value"])

    # -- writing -------------------------------------------------------------------------------

    def load(self, paths: Iterable[Path], progress: Progress | None = None, graph: URIRef | None = None) -> None:
        """Every file is checked here first (file and line for a syntax error; then nothing is sent),
        then each is PUT to its graph, which replaces a graph loaded from the same file; with
        ``graph``, the first file is PUT to it and the others POSTed (added) after it."""
        paths = list(paths)
        for path in paths:
            check_file(path, progress)
        for n, path in enumerate(paths):
            name = graph if graph is not None else graph_name(path)
            method = "POST" if graph is not None and n else "PUT"
            with path.open("rb") as body:
                self._send(method, self.gsp_url, params={"graph": str(name)}, content=body,
                           headers={"Content-Type": format_of(path).media})
            self._graphs = None

    def remove_graph(self, name: URIRef) -> None:
        self._send("POST", self.update_url, data={"update": queries.drop_graph(name)})
        self._graphs = None


def _plain(cell: dict | None) -> Plain:
    if cell is None:
        return None
    if cell["type"] == "bnode":
        return f"_:{cell['value']}"
    return cell["value"]


__all__ = ["RemoteStore", "endpoints"]
