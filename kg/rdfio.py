"""Reading RDF files, with syntax errors reported as file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.util import guess_format


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
    """Parse ``path`` into ``into`` (or a new graph); raise :class:`RDFSyntaxError` on bad input."""
    graph = Graph() if into is None else into
    fmt = fmt or guess_format(str(path)) or "turtle"
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
