"""The read-only SPARQL endpoint's core, without HTTP: parse, check, choose the dataset, evaluate
under limits, serialize.

:func:`execute` is the one entry point.  It answers a query text with an :class:`Answer`
(bytes, format name, ``truncated``) or raises a :class:`SparqlError`, of a class that says what
went wrong (the web layer maps each class to an HTTP status).  The caller says which format each
query form is to be answered in (:data:`SERIALIZATIONS` lists what each form can be written as);
choosing one from a request is the web layer's.  What makes it safe to expose:

- only the query grammar is accepted: an update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is
  refused, and so is SERVICE anywhere in the query (walked in the parse tree, before evaluation);
- FROM / FROM NAMED and the protocol's ``default-graph-uri`` / ``named-graph-uri`` only select
  graphs already held in the store; an unknown graph IRI is refused with the list of held graphs.
  The dataset is built here from the held graphs and rdflib never sees a dataset clause, so its
  ``load`` (which would fetch FROM graphs from the network) cannot run;
- the parse, the evaluation and the serialization run in a forked child process (sharing the
  loaded store copy-on-write) that is killed at the deadline, with a memory ceiling and a lower
  CPU priority; at most :data:`MAX_RUNNING` children run at once, and one more for the express lane
  (more are refused, not queued); :func:`budget` gives the queries of one context a shorter deadline;
- results are capped (rows, or triples for CONSTRUCT/DESCRIBE), with an explicit ``truncated`` flag.

The project's prefixes (``lo:``, ``id:``, ``skos:``, ``rdfs:``, ``oa:``, ``dcterms:``, ...) are
predeclared (:data:`kg.namespaces.PREFIXES`), as in :mod:`kg.queries`.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import resource
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from itertools import islice

from pyparsing import ParseBaseException, ParseResults
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.plugins.sparql.sparql import SPARQLError as RdflibSparqlError
from rdflib.query import Result

from kg import lifetime
from kg.i18n import Explained, Message
from kg.namespaces import PREFIXES, bind_prefixes
from kg.rdfformats import BY_NAME, GRAPH_FORMATS, RESULT_FORMATS, Format
from kg.store.interface import QueryError, SparqlQuery, Store, StoreError, is_absolute_iri

log = logging.getLogger("kg.endpoint")

#: how many queries may be evaluated at once in this process (each in its own child process); a
#: query beyond it is refused at once: waiting for a slot is the caller's (the web app queues
#: without holding a thread, :mod:`api.admission`)
MAX_RUNNING = 4
#: the children's scheduling priority (added to the server's niceness): a looping query yields the
#: CPU to the pages, search and health checks the server answers meanwhile
CHILD_NICENESS = 10
#: one more child than the slots: the express lane's (:mod:`api.admission`)
_RUNNING = threading.BoundedSemaphore(MAX_RUNNING + 1)
#: a shorter time limit for the queries run in this context (:func:`budget`), None for the query's own
_BUDGET: ContextVar[float | None] = ContextVar("kg_sparql_budget", default=None)


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Queries run in this block (this thread's context) are stopped after ``seconds`` if that is shorter
    than their own time limit, raising :class:`OverBudget` rather than :class:`TimeLimit` (the express
    lane of :mod:`api.admission`).  Other threads' queries keep their own limits."""
    token = _BUDGET.set(seconds)
    try:
        yield
    finally:
        _BUDGET.reset(token)


class OverBudget(Exception):
    """A query stopped at a :func:`budget` shorter than its time limit.  Not a :class:`SparqlError`: it
    is the caller's to handle (the gate runs the query again in an ordinary slot), never an answer."""


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


class SparqlError(Explained):
    """A query that cannot be answered; ``message`` a :class:`~kg.i18n.Message` (``problem.sparql.*``) put
    into the user's language by :meth:`text`; ``extra`` goes into the error body beside the message."""

    def __init__(self, message: "Message | str", extra: dict | None = None) -> None:
        Exception.__init__(self, message, extra)  # both in args, so the error crosses the process boundary
        self.message = message
        self.extra = extra or {}


class Refused(SparqlError):
    """Valid SPARQL that this endpoint will not run: updates, SERVICE."""


class UnknownGraph(SparqlError):
    """A FROM / FROM NAMED / protocol graph IRI that is not held here."""


class NoFormat(SparqlError):
    """The caller named no format this query form can be written as; ``form`` says which form."""

    def __init__(self, form: str, message: "Message | str | None" = None) -> None:
        super().__init__(message or Message("sparql.no_format", form=form,
                                            known=", ".join(f.name for f in SERIALIZATIONS[form])))
        self.args = (form, self.message)
        self.form = form


class QueryFailed(SparqlError):
    """Valid SPARQL that cannot be evaluated because of what it asks (a type error in an aggregate,
    a function the store does not know): the evaluator's message."""


class EvaluationFailed(SparqlError):
    """A query that parses but that the engine fails on unexpectedly (rdflib's own bugs, such as
    ``DESCRIBE *`` or SUM over IRIs): the message is generic, the details go to the server log."""


#: what the client is told when the details are in the log
_SEE_LOG = "sparql.see_log"


class StoreUnavailable(SparqlError):
    """The store could not answer (a remote server down, a storage error): details in the log."""


class TimeLimit(SparqlError):
    """The query ran past its time limit."""


class ResourceLimit(SparqlError):
    """Out of memory in the child, or too many queries running at once."""


# --- formats ---------------------------------------------------------------------------------

#: what each query form can be written as (:mod:`kg.rdfformats`), the default first
SERIALIZATIONS: dict[str, tuple[Format, ...]] = {
    "SELECT": RESULT_FORMATS,
    "ASK": tuple(f for f in RESULT_FORMATS if f.name in ("json", "xml")),
    "CONSTRUCT": GRAPH_FORMATS,
    "DESCRIBE": GRAPH_FORMATS,
}


def format_for(form: str, formats: Mapping[str, str] | None) -> Format:
    """The format to write a ``form`` query's answer in: ``formats[form]`` (a format name), or the
    form's default when ``formats`` is None.  :class:`NoFormat` when none is given or it does not fit."""
    if formats is None:
        return SERIALIZATIONS[form][0]
    fmt = BY_NAME.get(formats.get(form, ""))
    if fmt is None or fmt not in SERIALIZATIONS[form]:
        raise NoFormat(form)
    return fmt


# --- parsing and checks ----------------------------------------------------------------------

def checked_base(base: str | None) -> str | None:
    """``base`` when it is an absolute IRI that can be written as ``<base>``, else None."""
    return base if base and is_absolute_iri(base) else None


#: where pyparsing puts the place of a syntax error at the end of its message (given in our sentence instead)
_AT = re.compile(r"\s*\(at char \d+\),\s*\(line:\d+, col:\d+\)\s*$")


def syntax_error(exc: ParseBaseException) -> Message:
    """The parser's own (English) message, its place cut off, inside the catalogue's sentence with the line
    and column."""
    return Message("sparql.syntax", line=exc.lineno, column=exc.col, detail=_AT.sub("", str(exc)) or exc.msg)


def parse(text: str, base: str | None = None) -> Query:
    """The query, parsed and translated to algebra (relative IRIs resolved against ``base``, a
    :func:`checked_base`); refuses updates and SERVICE."""
    if not text.strip():
        raise SparqlError(Message("sparql.empty"))
    try:
        tree = parseQuery(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise Refused(Message("sparql_read_only")) from None
        raise SparqlError(syntax_error(exc)) from None
    except RecursionError:
        raise SparqlError(Message("sparql.too_deep")) from None
    if _contains(tree, "ServiceGraphPattern"):
        raise Refused(Message("sparql.no_service"))
    try:
        return translateQuery(tree, base=base, initNs=PREFIXES)
    except RecursionError:
        raise SparqlError(Message("sparql.too_deep")) from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises a bare Exception for e.g. an undeclared prefix
        if type(exc) is Exception:
            raise SparqlError(Message("sparql.malformed", detail=str(exc))) from None
        log.exception("rdflib could not translate a query: %r", text[:2000])  # a TypeError... of rdflib's
        raise EvaluationFailed(Message(_SEE_LOG)) from None


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
            Message("sparql.unknown_graph", graphs=", ".join(f"<{g}>" for g in unknown),
                    known=", ".join(f"<{g}>" for g in held)),
            {"available_graphs": [str(g) for g in held]},
        )
    return spec


# --- evaluation ------------------------------------------------------------------------------

def evaluate(store: Store, query: Query, spec: DatasetSpec | None, text: str, base: str | None = None) -> Result:
    """Run a checked query over every held graph (``spec`` None) or over the dataset ``spec``
    names.  The store gets both forms: the parse (with no dataset clause left: rdflib would fetch
    its graphs) and the text (for Oxigraph or a remote server, where the graphs named explicitly
    take precedence over the query's FROM)."""
    assert not _dataset_clause(query), "select_graphs() must take the dataset clause out"
    checked = SparqlQuery(text, query, base=base)
    if spec is None:
        return store.query(checked)
    return store.query(checked, default_graphs=list(spec.default), named_graphs=list(spec.named))


# --- serialization ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    body: bytes
    format: str  #: the format's name (:mod:`kg.rdfformats`)
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
    return Answer(body, fmt.name, truncated)


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
           formats: Mapping[str, str] | None = None, max_rows: int = DEFAULT_LIMITS.max_rows,
           base: str | None = None) -> Answer:
    """Parse, check, pick the format, evaluate and serialize, in this process and without a time limit.
    ``base``: the IRI relative IRIs resolve against (the protocol's: the endpoint's URL); one that
    is not a plain absolute IRI is ignored.  What the query itself causes is a :class:`SparqlError`
    with the parser's or evaluator's message; anything else is logged and reported without detail."""
    base = checked_base(base)
    query = parse(text, base)
    spec = select_graphs(store, query, default_graphs, named_graphs)
    fmt = format_for(query_form(query), formats)
    try:
        return serialize(evaluate(store, query, spec, text, base), fmt, max_rows)
    except QueryError as exc:
        raise QueryFailed(Message("sparql.cannot_answer", detail=str(exc))) from None
    except RdflibSparqlError as exc:
        raise QueryFailed(Message("sparql.cannot_evaluate", detail=str(exc))) from None
    except re.error as exc:  # rdflib compiles a REGEX pattern as it evaluates it
        raise QueryFailed(Message("sparql.bad_regex", detail=str(exc))) from None
    except RecursionError:
        raise QueryFailed(Message("sparql.too_deep")) from None
    except MemoryError:
        raise ResourceLimit(Message("sparql.memory")) from None
    except StoreError as exc:
        log.error("the store could not answer a query: %s", exc)
        raise StoreUnavailable(Message("store_down")) from None
    except Exception:  # noqa: BLE001 - a failure of ours or rdflib's: logged, the client gets no internals
        log.exception("a query failed in evaluation: %r", text[:2000])
        raise EvaluationFailed(Message(_SEE_LOG)) from None


def execute(store: Store, text: str, *, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
            formats: Mapping[str, str] | None = None, limits: Limits = DEFAULT_LIMITS,
            isolate: bool = True, base: str | None = None) -> Answer:
    """Answer the query ``text``; with ``isolate`` (the default) in a child process stopped at
    ``limits.timeout_s``.  ``formats`` maps a query form (SELECT, ASK, CONSTRUCT, DESCRIBE) to the
    name of the format to answer it in; a form it leaves out raises :class:`NoFormat`; ``None``
    answers each form in its default; ``base`` as in :func:`answer`.  Raises :class:`SparqlError`."""
    work = partial(answer, store, text, default_graphs=default_graphs, named_graphs=named_graphs,
                   formats=formats, max_rows=limits.max_rows, base=base)
    return run_isolated(work, limits) if isolate else work()


def run_isolated(work: Callable[[], Answer], limits: Limits) -> Answer:
    """``work()`` in a forked child (the store is shared copy-on-write), killed at the deadline:
    ``limits.timeout_s``, or the shorter :func:`budget` of this context (then :class:`OverBudget`)."""
    if not _RUNNING.acquire(blocking=False):
        raise ResourceLimit(Message("sparql.too_many", n=MAX_RUNNING))
    try:
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(work, sender, limits.memory_mb, os.getpid()), daemon=True)
        child.start()
        sender.close()  # the child holds the only writing end: its death reads as EOF
        short = _BUDGET.get()
        short = short if short is not None and short < limits.timeout_s else None
        try:
            if not receiver.poll(limits.timeout_s if short is None else short):
                if short is not None:
                    raise OverBudget(short)
                raise TimeLimit(Message("sparql.time_limit", seconds=f"{limits.timeout_s:g}"))
            try:
                outcome = receiver.recv()
            except EOFError:
                raise EvaluationFailed(Message("sparql.worker_died")) from None
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


def _child(work: Callable[[], Answer], sender, memory_mb: int, parent: int) -> None:
    """In the child: run, send the answer or the SparqlError, and leave without any cleanup
    (locks other threads of the server held at the fork are never released here).  It dies with
    the server process (which may be killed before the deadline, and whose listening socket it holds)."""
    code = 0
    try:
        lifetime.die_with_parent(parent, signal.SIGKILL)
        os.nice(CHILD_NICENESS)
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
