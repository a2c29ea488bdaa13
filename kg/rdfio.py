"""Reading RDF files: their format (from the suffix), parsing into a graph and checking without
storing, with syntax errors reported as file and line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.rdfformats import BY_SUFFIX, Format


@dataclass
class RDFSyntaxError(Exception):
    """A file that could not be parsed; ``line`` is 1-based (0 when unknown).  Not frozen: Python
    sets ``__traceback__`` on an exception as it passes through a ``with`` block."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: syntax error: {self.message}"


def _position(exc: BadSyntax) -> tuple[int, int]:
    text = exc._str.decode("utf-8", "replace") if isinstance(exc._str, bytes) else str(exc._str)
    offset = min(exc._i, len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def parse_file(path: Path, into: Graph | None = None, fmt: str | None = None) -> Graph:
    """Parse ``path`` into ``into`` (or a new graph) as ``fmt`` (an rdflib name; default: from the
    suffix, else Turtle); raise :class:`RDFSyntaxError` on bad input."""
    graph = Graph() if into is None else into
    known = BY_SUFFIX.get(path.suffix.lower())
    fmt = fmt or (known.rdflib if known else "turtle")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RDFSyntaxError(path, 0, 0, f"cannot read: {exc.strerror}") from None
    try:
        graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        line, column = _position(exc)
        raise RDFSyntaxError(path, line, column, exc._why) from None
    except UnicodeDecodeError as exc:
        raise RDFSyntaxError(path, 0, 0, f"not UTF-8: {exc.reason}") from None
    except Exception as exc:  # noqa: BLE001 - other parsers (xml, json-ld) raise their own types
        line = getattr(exc, "lineno", 0) or getattr(exc, "getLineNumber", lambda: 0)()
        raise RDFSyntaxError(path, line, 0, f"{type(exc).__name__}: {exc}") from None
    return graph


def format_of(path: Path) -> Format:
    """The RDF format of ``path``, from its suffix; unknown suffixes are refused."""
    fmt = BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise RDFSyntaxError(path, 0, 0, f"unknown RDF file type {path.suffix or '(none)'!r}; "
                                         f"expected one of {', '.join(sorted(BY_SUFFIX))}")
    return fmt


class _CountingReader:
    """A binary file that reports how many bytes have been read (for the progress bar)."""

    def __init__(self, path: Path, progress: Callable[[Path, int, int], None] | None) -> None:
        self._file = path.open("rb")
        self._path = path
        self._total = path.stat().st_size
        self._done = 0
        self._progress = progress

    def read(self, n: int = -1) -> bytes:
        chunk = self._file.read(n)
        self._done += len(chunk)
        if self._progress:
            self._progress(self._path, self._done, self._total)
        return chunk

    def close(self) -> None:
        self._file.close()


def syntax_error(path: Path, exc: SyntaxError) -> RDFSyntaxError:
    """pyoxigraph's syntax error as an :class:`RDFSyntaxError`."""
    message = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    return RDFSyntaxError(path, exc.lineno or 0, exc.offset or 0, message)


def check_file(path: Path, progress: Callable[[Path, int, int], None] | None = None) -> None:
    """Parse ``path`` without keeping what it holds; a syntax error raises :class:`RDFSyntaxError`
    with file, line and column.  ``progress(path, done_bytes, total_bytes)`` is called as it is read.

    pyoxigraph's streaming parser (its parser only, not a store): a million-triple file is checked in
    constant memory, where rdflib would build the whole graph.  Where pyoxigraph is not installed (a
    remote store needs no Oxigraph of its own), rdflib reads the file and the graph is dropped."""
    try:
        import pyoxigraph
    except ImportError:
        parse_file(path)
        return

    fmt = getattr(pyoxigraph.RdfFormat, format_of(path).oxigraph)
    try:
        reader = _CountingReader(path, progress)
    except OSError as exc:
        raise RDFSyntaxError(path, 0, 0, f"cannot read: {exc.strerror}") from None
    try:
        for _ in pyoxigraph.parse(input=reader, format=fmt, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        raise syntax_error(path, exc) from None
    finally:
        reader.close()
