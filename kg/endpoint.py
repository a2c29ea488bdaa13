"""The read-only SPARQL 1.1 query service, without HTTP: parse, check, evaluate under limits, serialize.

:func:`execute` is the one entry point.  It answers a query text with an :class:`Answer`
(bytes, media type, ``truncated``) or raises a :class:`SparqlError` whose ``status`` says
which HTTP status fits.  What makes it safe to expose:

- only the query grammar is accepted: an update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is
  refused, and so is SERVICE anywhere in the query (walked in the parse tree, before evaluation);
- FROM / FROM NAMED and the protocol's ``default-graph-uri`` / ``named-graph-uri`` only select
  graphs already held in the store; an unknown graph IRI is refused with the list of held graphs.
  The dataset is built here from the held graphs and rdflib never sees a dataset clause, so its
  ``load`` (which would fetch FROM graphs from the network) cannot run;
- the parse, the evaluation and the serialization run in a forked child process (sharing the
  loaded store copy-on-write) that is killed at the deadline, with a memory ceiling; at most
  :data:`MAX_RUNNING` children run at once;
- results are capped (rows, or triples for CONSTRUCT/DESCRIBE), with an explicit ``truncated`` flag.

The project's prefixes (``lo:``, ``id:``, ``skos:``, ``rdfs:``, ``oa:``, ``dcterms:``, ...) are
predeclared, as in :mod:`kg.queries`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice

from pyparsing import ParseBaseException, ParseResults
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from kg.namespaces import PREFIXES, bind_prefixes
from kg.store import SparqlQuery, Store

NAMESPACES = dict(PREFIXES, rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#")

#: how many queries may be evaluated at once (each in its own child process)
MAX_RUNNING = 4
_RUNNING = threading.BoundedSemaphore(MAX_RUNNING)


# --- limits and errors -----------------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    """What one query may use.  ``from_env`` reads ``KG_SPARQL_TIMEOUT`` (seconds),
    ``KG_SPARQL_MAX_ROWS`` and ``KG_SPARQL_MEMORY_MB`` (0 for no memory ceiling)."""

    timeout_s: float = 10.0
    max_rows: int = 10_000
    memory_mb: int = 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        default = cls()
        return cls(
            timeout_s=float(environ.get("KG_SPARQL_TIMEOUT", default.timeout_s)),
            max_rows=int(environ.get("KG_SPARQL_MAX_ROWS", default.max_rows)),
            memory_mb=int(environ.get("KG_SPARQL_MEMORY_MB", default.memory_mb)),
        )


DEFAULT_LIMITS = Limits()


class SparqlError(Exception):
    """A query that cannot be answered; ``status`` is the HTTP status that fits, ``extra``
    goes into the error body beside the message."""

    status = 400

    def __init__(self, message: str, extra: dict | None = None) -> None:
        super().__init__(message, extra)  # both in args, so the error crosses the process boundary
        self.message = message
        self.extra = extra or {}

    def __str__(self) -> str:
        return self.message


class Refused(SparqlError):
    """Valid SPARQL that this endpoint will not run: updates, SERVICE."""

    status = 403


class UnknownGraph(SparqlError):
    """A FROM / FROM NAMED / protocol graph IRI that is not held here."""


class NotAcceptable(SparqlError):
    status = 406


class EvaluationFailed(SparqlError):
    """rdflib raised while evaluating or serializing (not a limit, not a refusal)."""

    status = 500


class TimeLimit(SparqlError):
    status = 503


class ResourceLimit(SparqlError):
    """Out of memory in the child, or too many queries running at once."""

    status = 503


# --- formats ---------------------------------------------------------------------------------

RESULT_FORMS = ("SELECT", "ASK")
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Format:
    """One serialisation: its ``?format=`` name, media type, the query forms it serves, the
    other names and media types that select it, and rdflib's serializer name."""

    name: str
    media: str
    forms: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    rdflib: str = ""

    def matches(self, token: str) -> bool:
        return token == self.name or token == self.media or token in self.aliases


#: in order of preference: the first that serves a query form is its default
FORMATS = (
    Format("json", "application/sparql-results+json", RESULT_FORMS,
           ("application/json", "text/javascript", "application/javascript"), "json"),
    Format("xml", "application/sparql-results+xml", RESULT_FORMS, ("application/xml", "text/xml"), "xml"),
    Format("csv", "text/csv", ("SELECT",), (), "csv"),
    Format("tsv", "text/tab-separated-values", ("SELECT",), (), "tsv"),
    Format("turtle", "text/turtle", GRAPH_FORMS,
           ("ttl", "n3", "application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"), "turtle"),
    Format("json-ld", "application/ld+json", GRAPH_FORMS, ("jsonld", "json", "application/json"), "json-ld"),
    Format("nt", "application/n-triples", GRAPH_FORMS, ("ntriples", "n-triples", "text/plain"), "nt"),
    Format("rdfxml", "application/rdf+xml", GRAPH_FORMS,
           ("rdf", "xml", "rdf+xml", "application/xml", "text/xml"), "xml"),
)
MEDIA_TYPES = tuple(dict.fromkeys(f.media for f in FORMATS))


def formats_for(form: str) -> list[Format]:
    return [f for f in FORMATS if form in f.forms]


def negotiate(form: str, accept: Sequence[str] = (), requested: Sequence[str] = ()) -> Format:
    """The format for a ``form`` query: the first ``requested`` name (``?format=``) that serves it,
    else the first media range of ``accept`` (already ordered by q-value) that it can produce."""
    offered = formats_for(form)
    tokens = [t.strip().lower() for t in requested if t and t.strip()]
    for token in tokens:
        for fmt in offered:
            if fmt.matches(token):
                return fmt
    if tokens:
        raise NotAcceptable(f"format {tokens[0]!r} is not available for a {form} query; available: "
                            + ", ".join(f"{f.name} ({f.media})" for f in offered))
    ranges = [m.strip().lower() for m in accept if m.strip()]
    if not ranges:
        return offered[0]
    for media in ranges:
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            found = next((f for f in offered if f.media.startswith(media[:-1])), None)
        else:
            found = next((f for f in offered if f.matches(media)), None)
        if found:
            return found
    raise NotAcceptable(f"cannot produce any of {', '.join(ranges)} for a {form} query; available: "
                        + ", ".join(f.media for f in offered))


# --- parsing and checks ----------------------------------------------------------------------

def parse(text: str) -> Query:
    """The query, parsed and translated to algebra; refuses updates and SERVICE."""
    if not text.strip():
        raise SparqlError("the query is empty")
    try:
        tree = parseQuery(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise Refused("updates are not allowed: this endpoint is read-only") from None
        raise SparqlError(f"malformed query: {exc}") from None
    except RecursionError:
        raise SparqlError("the query is nested too deeply") from None
    if _contains(tree, "ServiceGraphPattern"):
        raise Refused("SERVICE is not allowed: this endpoint queries only its own graphs")
    try:
        return translateQuery(tree, initNs=NAMESPACES)
    except RecursionError:
        raise SparqlError("the query is nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises a bare Exception for e.g. an undeclared prefix
        raise SparqlError(f"malformed query: {exc}") from None


def query_form(query: Query) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE."""
    return query.algebra.name.removesuffix("Query").upper()


def _is_update(text: str) -> bool:
    try:
        tree = parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return False
    return bool("request" in tree and tree["request"])  # a prologue alone is a valid, empty update


def _contains(tree, name: str) -> bool:
    """Whether the parse tree holds a ``name`` node anywhere (FILTER EXISTS, subqueries, ...)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == name:
                return True
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
    return False


def _dataset_clause(query: Query) -> list[CompValue]:
    # CompValue.get(key) returns the key itself when it is missing
    return ("datasetClause" in query.algebra and query.algebra["datasetClause"]) or []


@dataclass(frozen=True)
class DatasetSpec:
    """The graphs a query runs over when it (or the request) names them."""

    default: tuple[URIRef, ...] = ()
    named: tuple[URIRef, ...] = ()


def select_graphs(store: Store, query: Query, default_graphs: Sequence[str] = (),
                  named_graphs: Sequence[str] = ()) -> DatasetSpec | None:
    """The dataset named by the protocol's graph IRIs (which override the query's), else by
    FROM / FROM NAMED, else ``None`` (every held graph).  Every IRI must be a held graph.
    Takes the dataset clause out of ``query``: rdflib would fetch its graphs."""
    clause = _dataset_clause(query)
    query.algebra["datasetClause"] = None
    if default_graphs or named_graphs:
        spec = DatasetSpec(tuple(map(URIRef, default_graphs)), tuple(map(URIRef, named_graphs)))
    elif clause:
        spec = DatasetSpec(tuple(d["default"] for d in clause if "default" in d),
                           tuple(d["named"] for d in clause if "named" in d))
    else:
        return None
    held = store.graph_names()
    unknown = [g for g in dict.fromkeys(spec.default + spec.named) if g not in held]
    if unknown:
        raise UnknownGraph(
            f"not a graph held here: {', '.join(f'<{g}>' for g in unknown)}; nothing is fetched. "
            f"Available graphs: {', '.join(f'<{g}>' for g in held)}",
            {"available_graphs": [str(g) for g in held]},
        )
    return spec


# --- evaluation ------------------------------------------------------------------------------

def evaluate(store: Store, query: Query, spec: DatasetSpec | None, text: str) -> Result:
    """Run a checked query over every held graph (``spec`` None) or over the dataset ``spec``
    names.  The store gets both forms: the parse (with no dataset clause left: rdflib would fetch
    its graphs) and the text (for Oxigraph or a remote server, where the graphs named explicitly
    take precedence over the query's FROM)."""
    assert not _dataset_clause(query), "select_graphs() must take the dataset clause out"
    checked = SparqlQuery(text, query)
    if spec is None:
        return store.query(checked)
    return store.query(checked, default_graphs=list(spec.default), named_graphs=list(spec.named))


# --- serialization ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    truncated: bool = False


def serialize(result: Result, fmt: Format, max_rows: int) -> Answer:
    """``result`` in ``fmt``, at most ``max_rows`` rows or triples (SELECT rows are read lazily)."""
    form = result.type
    truncated = False
    if form == "SELECT":
        rows = [{v: t for v, t in zip(result.vars, row) if t is not None}
                for row in islice(result, max_rows + 1)]
        truncated = len(rows) > max_rows
        capped = Result("SELECT")
        capped.vars = result.vars
        capped.bindings = rows[:max_rows]
        body = _tsv(capped) if fmt.name == "tsv" else capped.serialize(format=fmt.rdflib, encoding="utf-8")
    elif form == "ASK":
        body = result.serialize(format=fmt.rdflib, encoding="utf-8")
    else:  # CONSTRUCT and DESCRIBE: rdflib builds the whole graph anyway
        truncated = len(result.graph) > max_rows
        graph = Graph()
        bind_prefixes(graph)
        for triple in islice(result.graph, max_rows):
            graph.add(triple)
        body = graph.serialize(format=fmt.rdflib, encoding="utf-8")
    if fmt.name == "json":  # the flag beside "head" and "results" (rdflib writes \u escapes: undone here)
        data = json.loads(body)
        data = {"head": data.pop("head"), **data, "truncated": truncated}
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Answer(body, fmt.media, truncated)


def _tsv(result: Result) -> bytes:
    """SPARQL 1.1 TSV results: ``?var`` headers, terms in Turtle syntax (rdflib writes no TSV)."""
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result.bindings:
        lines.append("\t".join(_tsv_term(row.get(v)) for v in result.vars))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


# --- the entry point -------------------------------------------------------------------------

def answer(store: Store, text: str, *, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
           accept: Sequence[str] = (), formats: Sequence[str] = (), max_rows: int = DEFAULT_LIMITS.max_rows) -> Answer:
    """Parse, check, negotiate, evaluate and serialize, in this process and without a time limit."""
    query = parse(text)
    spec = select_graphs(store, query, default_graphs, named_graphs)
    fmt = negotiate(query_form(query), accept, formats)
    try:
        return serialize(evaluate(store, query, spec, text), fmt, max_rows)
    except RecursionError:
        raise EvaluationFailed("the query is nested too deeply to evaluate") from None
    except MemoryError:
        raise ResourceLimit("the query exceeded the memory limit") from None
    except Exception as exc:  # noqa: BLE001 - rdflib's evaluation errors have no common type; report which
        raise EvaluationFailed(f"the query could not be evaluated: {type(exc).__name__}: {exc}") from None


def execute(store: Store, text: str, *, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
            accept: Sequence[str] = (), formats: Sequence[str] = (), limits: Limits = DEFAULT_LIMITS,
            isolate: bool = True) -> Answer:
    """Answer the query ``text``; with ``isolate`` (the default) in a child process stopped at
    ``limits.timeout_s``.  ``accept`` is the client's media ranges in order of preference,
    ``formats`` the names asked for explicitly (``?format=``).  Raises :class:`SparqlError`."""
    work = partial(answer, store, text, default_graphs=default_graphs, named_graphs=named_graphs,
                   accept=accept, formats=formats, max_rows=limits.max_rows)
    return run_isolated(work, limits) if isolate else work()


def run_isolated(work: Callable[[], Answer], limits: Limits) -> Answer:
    """``work()`` in a forked child (the store is shared copy-on-write), killed at the deadline."""
    if not _RUNNING.acquire(timeout=limits.timeout_s):
        raise ResourceLimit(f"{MAX_RUNNING} queries are already running; try again shortly")
    try:
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(work, sender, limits.memory_mb), daemon=True)
        child.start()
        sender.close()  # the child holds the only writing end: its death reads as EOF
        try:
            if not receiver.poll(limits.timeout_s):
                raise TimeLimit(f"query exceeded the time limit of {limits.timeout_s:g} s")
            try:
                outcome = receiver.recv()
            except EOFError:
                raise EvaluationFailed("the query worker died; the details are in the server log") from None
        finally:
            receiver.close()
            if child.is_alive():
                child.kill()  # SIGKILL: the child may have inherited the server's SIGTERM handler
            child.join()
    finally:
        _RUNNING.release()
    if isinstance(outcome, SparqlError):
        raise outcome
    return outcome


def _child(work: Callable[[], Answer], sender, memory_mb: int) -> None:
    """In the child: run, send the answer or the SparqlError, and leave without any cleanup
    (locks other threads of the server held at the fork are never released here)."""
    code = 0
    try:
        if memory_mb:
            _limit_memory(memory_mb)
        try:
            outcome = work()
        except SparqlError as exc:
            outcome = exc
        sender.send(outcome)
    except BaseException:  # noqa: BLE001 - last resort in the child: log it, the parent answers 500
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _limit_memory(memory_mb: int) -> None:
    """Cap the child's address space at what it inherited plus ``memory_mb``."""
    try:
        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: no ceiling
        return
    ceiling = current + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


# --- examples --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    zh: str
    en: str
    query: str


_PROLOGUE = """PREFIX lo: <https://w3id.org/lokg/ontology#>
PREFIX id: <https://w3id.org/lokg/id/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

EXAMPLES = (
    Example("“45231”模型的五层（按顺序）", "The layers of the 45231 model, in order", _PROLOGUE + """
SELECT ?n ?layer ?label WHERE {
  ?layer lo:partOf id:model-45231 ; lo:ordinal ?n ; skos:prefLabel ?label .
  FILTER (lang(?label) = "zh")
} ORDER BY ?n"""),
    Example("对策及其针对的问题", "Remedies and the problems they address", _PROLOGUE + """
SELECT ?remedy ?remedyLabel ?problem ?problemLabel WHERE {
  ?remedy a lo:Remedy ; lo:addresses ?problem ; skos:prefLabel ?remedyLabel .
  ?problem skos:prefLabel ?problemLabel .
  FILTER (lang(?remedyLabel) = "zh" && lang(?problemLabel) = "zh")
} ORDER BY ?remedy ?problem"""),
    Example("推断的关系及理由（与原文陈述的分开）", "Inferred links and the editors' reasons, apart from stated ones",
            _PROLOGUE + """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?subject ?relation ?object ?reason WHERE {
  ?assertion a lo:RelationAssertion ; lo:status lo:inferred ;
     rdf:subject ?subject ; rdf:predicate ?relation ; rdf:object ?object ;
     lo:rationale ?reason .
  FILTER (lang(?reason) = "zh")
} ORDER BY ?subject ?relation ?object"""),
    Example("一个概念的原文引语及字符位置", "The quotes of a concept, with paragraph and offsets",
            _PROLOGUE + """PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?quote ?exact ?paragraph ?start ?end WHERE {
  id:notion-team-learning-yanbian lo:hasQuote ?quote .
  ?quote oa:hasSource ?paragraph .
  ?quote oa:hasSelector ?text . ?text oa:exact ?exact .
  ?quote oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end .
} ORDER BY ?quote"""),
    Example("体现圣吉五项修炼的概念", "Concepts that embody each of Senge's disciplines", _PROLOGUE + """
SELECT ?n ?discipline ?disciplineLabel ?concept ?conceptLabel WHERE {
  ?discipline a lo:Discipline ; lo:ordinal ?n ; skos:prefLabel ?disciplineLabel .
  ?concept lo:embodies ?discipline ; skos:prefLabel ?conceptLabel .
  FILTER (lang(?disciplineLabel) = "zh" && lang(?conceptLabel) = "zh")
} ORDER BY ?n ?concept"""),
    Example("数据：数值与单位", "Figures with their values and units",
            _PROLOGUE + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?figure ?label ?value ?unit WHERE {
  ?figure lo:value ?value ; lo:unit ?u ; skos:prefLabel ?label .
  ?u rdfs:label ?unit .
  FILTER (lang(?label) = "zh" && lang(?unit) = "zh")
} ORDER BY ?figure"""),
    Example("一个概念的描述（CONSTRUCT，Turtle）", "One concept's description (CONSTRUCT, Turtle)", _PROLOGUE + """
CONSTRUCT { id:mechanism-team-learning ?p ?o } WHERE { id:mechanism-team-learning ?p ?o }"""),
)
