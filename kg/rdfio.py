"""Reading RDF files: their format (from the suffix), parsing into a graph and checking without
storing, with syntax errors reported as file and line.

Every file is screened before a parser sees it (:func:`screen`), so that reading a file never
reaches out and never explodes, whichever parser (rdflib or pyoxigraph) reads it next:

- RDF/XML with an entity declaration (the "billion laughs": a few hundred bytes of nested
  entities expanding to gigabytes) or an external DTD is refused, with the line of the declaration;
- JSON-LD that names a context by IRI (``"@context": "http://…"``, in a list, or ``"@import"``)
  is refused: rdflib would fetch it from the network.  Contexts must be written inline.
"""

from __future__ import annotations

import json
import xml.parsers.expat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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


class _Stop(Exception):
    """The prolog of an XML document has been read: nothing after it can declare an entity."""


def _screen_xml(path: Path, data: bytes | BinaryIO) -> None:
    """Refuse an XML document that declares an entity (internal or external) or names an external
    DTD; line and column of the declaration.  Python's expat reads only the prolog (it stops at the
    root element) and expands nothing: the handlers below fire on the declaration itself.  This is
    what defusedxml does (its ``EntitiesForbidden``), written out here for the one check we need
    rather than adding a dependency that wraps the same three expat handlers."""
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(message: str) -> None:
        raise RDFSyntaxError(path, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, message)

    def entity(name, is_parameter, value, base, system_id, public_id, notation):
        kind = "external" if system_id or public_id else "internal"
        refuse(f"XML entity declarations are not read ({kind} entity {name!r}): "
               "they can expand to gigabytes or read other files")

    def doctype(name, system_id, public_id, has_internal_subset):
        if system_id or public_id:
            refuse(f"an external DTD ({system_id or public_id}) is not read: nothing is fetched while reading a file")

    def stop(*_):
        raise _Stop

    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = lambda name, base, system_id, public_id, notation: entity(
        name, False, None, base, system_id, public_id, notation)
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = stop
    try:
        if isinstance(data, bytes):
            parser.Parse(data, True)
        else:
            parser.ParseFile(data)  # in chunks: a large file is read only up to its root element
    except _Stop:
        return
    except xml.parsers.expat.ExpatError as exc:
        raise RDFSyntaxError(path, exc.lineno, exc.offset + 1,
                             xml.parsers.expat.ErrorString(exc.code)) from None


#: JSON-LD keys whose string value is the IRI of a document to load
_REMOTE_KEYS = ("@context", "@import")


def _screen_jsonld(path: Path, data: bytes) -> None:
    """Refuse JSON-LD that refers to a context by IRI (``@context`` as a string or in a list, or
    ``@import``), anywhere in the document: rdflib would fetch it.  The document is read with
    :func:`json.loads`, each object checked as it is built and then dropped, so the check holds
    little more than the text in memory."""
    found: list[str] = []

    def check(pairs):
        for key, value in pairs:
            if key in _REMOTE_KEYS:
                values = value if isinstance(value, list) else [value]
                found.extend(v for v in values if isinstance(v, str))
        return None

    try:
        json.loads(data, object_pairs_hook=check)
    except UnicodeDecodeError as exc:
        raise RDFSyntaxError(path, 0, 0, f"not UTF-8: {exc.reason}") from None
    except json.JSONDecodeError as exc:
        raise RDFSyntaxError(path, exc.lineno, exc.colno, f"not JSON: {exc.msg}") from None
    if found:
        iri = found[0]
        text = data.decode("utf-8", "replace")
        at = text.find(json.dumps(iri)[1:-1])
        line = text.count("\n", 0, at) + 1 if at >= 0 else 0
        column = at - text.rfind("\n", 0, at) if at >= 0 else 0
        raise RDFSyntaxError(path, line, column, f"the JSON-LD context {iri!r} is not fetched: nothing is "
                                                 "read from the network or other files; write the context inline")


_SCREENS = {"xml": _screen_xml, "json-ld": _screen_jsonld}


def screen(path: Path, fmt: str, data: bytes | None = None) -> None:
    """Refuse a file that would make a parser fetch something or expand entities (module docstring);
    ``fmt`` is rdflib's name for the format.  :class:`RDFSyntaxError` with file and line."""
    check = _SCREENS.get(fmt)
    if check is None:
        return
    if data is not None:
        check(path, data)
        return
    try:
        with path.open("rb") as file:
            check(path, file if fmt == "xml" else file.read())
    except OSError as exc:
        raise RDFSyntaxError(path, 0, 0, f"cannot read: {exc.strerror}") from None


def parse_file(path: Path, into: Graph | None = None, fmt: str | None = None) -> Graph:
    """Parse ``path`` into ``into`` (or a new graph) as ``fmt`` (an rdflib name; default: from the
    suffix, else Turtle); raise :class:`RDFSyntaxError` on bad input, and on a file :func:`screen` refuses."""
    graph = Graph() if into is None else into
    known = BY_SUFFIX.get(path.suffix.lower())
    fmt = fmt or (known.rdflib if known else "turtle")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RDFSyntaxError(path, 0, 0, f"cannot read: {exc.strerror}") from None
    screen(path, fmt, data)
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

    known = format_of(path)
    screen(path, known.rdflib)
    fmt = getattr(pyoxigraph.RdfFormat, known.oxigraph)
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
