"""Validation: RDF syntax of every file, then SHACL (``ontology/shapes.ttl``).

Each problem is reported with the file and line where one is known: syntax
errors carry their own; a SHACL violation on a concept is traced back to the
line of the authoring YAML that defines it, and otherwise names the focus node
and the shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Literal, URIRef

from kg.namespaces import ID, LOS, SH, bind_prefixes
from kg import resources
from kg.rdfio import RDFSyntaxError, parse_file



@dataclass(frozen=True)
class Problem:
    """One thing wrong with the graph."""

    kind: str  # "syntax" or "shacl"
    where: str  # "file:line" or the focus node
    shape: str  # the shape (SHACL) or "" (syntax)
    message: str

    def __str__(self) -> str:
        shape = f" [{self.shape}]" if self.shape else ""
        return f"{self.where}:{shape} {self.message}"


@dataclass
class Report:
    files: list[Path]
    problems: list[Problem]
    triples: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@lru_cache(maxsize=8)
def _yaml_lines(authoring_dir: Path) -> dict[str, str]:
    """Map concept id -> "file:line" of its definition in the authoring YAML."""
    where = {}
    for path in sorted(authoring_dir.glob("*.yaml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = re.match(r"^\s*-?\s*id:\s*['\"]?([a-z0-9-]+)['\"]?\s*$", line)
            if m:
                where.setdefault(m.group(1), f"{path}:{n}")
    return where


def _locate(node, authoring_dir: Path) -> str:
    if isinstance(node, URIRef) and str(node).startswith(str(ID)):
        local = str(node)[len(str(ID)):]
        # quotes and assertions live under their concept: quote/{id}/n, assertion/{id}/...
        parts = local.split("/")
        concept = parts[1] if parts[0] in ("quote", "assertion") and len(parts) > 1 else parts[0]
        line = _yaml_lines(authoring_dir).get(concept)
        if line:
            return f"{line}: {local}"
        return local
    return str(node)


def _shacl_problems(data: Graph, shapes: Graph, authoring_dir: Path) -> list[Problem]:
    conforms, results, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        if isinstance(value, URIRef) and str(value).startswith(str(ID)):
            focus = value  # whole-graph checks report the offending resource as the value
        shape = results.value(result, SH.sourceShape)
        # a property shape is a blank node: name the node shape that holds it
        owner = shapes.value(None, SH.property, shape) if shape is not None else None
        named = owner if owner is not None else shape
        label = named.n3(shapes.namespace_manager) if named is not None else ""
        if label.startswith("_:"):
            label = ""
        path = results.value(result, SH.resultPath)
        message = ", ".join(sorted(str(m) for m in results.objects(result, SH.resultMessage)))
        if isinstance(path, URIRef):
            message = f"{path.n3(data.namespace_manager)}: {message}"
        problems.append(Problem("shacl", _locate(focus, authoring_dir), label, message))
    return sorted(problems, key=lambda p: (p.where, p.message))


def _counts_that_apply(data: Graph, shapes: Graph) -> Graph:
    """``shapes`` with the articles' counts (4 roots, 6 remedies ...) switched off (``sh:deactivated``)
    for a framework the data does not hold: a vocabulary of one's own is not held to them."""
    off = [shape for shape, framework in shapes.subject_objects(LOS.forFramework)
           if (framework, None, None) not in data]
    if not off:
        return shapes
    shapes = copy_graph(shapes)
    for shape in off:
        shapes.add((shape, SH.deactivated, Literal(True)))
    return shapes


def check_graph(data: Graph, shapes: Graph | None = None,
                authoring_dir: Path | None = None) -> list[Problem]:
    """SHACL problems of ``data`` against ``shapes`` (default: ``ontology/shapes.ttl``)."""
    if shapes is None:
        shapes = parse_file(resources.path("ontology", "shapes.ttl"))
    bind_prefixes(shapes)
    return _shacl_problems(data, _counts_that_apply(data, shapes), authoring_dir or resources.authoring_dir())


def copy_graph(graph: Graph) -> Graph:
    """A copy of ``graph`` with its prefixes, to change without touching the original."""
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    out += graph
    return out


def validate_files(files: list[Path], shapes_path: Path | None = None,
                   authoring_dir: Path | None = None) -> Report:
    """Parse ``files`` and check their union against ``shapes_path``. The ontology
    (``ontology/lo.ttl``) is added when the files do not include it: the shapes' classes come from it,
    so without it a concept of a subclass would not be checked."""
    problems: list[Problem] = []

    def parsed(path: Path) -> Graph:
        try:
            return parse_file(path)
        except RDFSyntaxError as exc:
            problems.append(Problem("syntax", f"{exc.path}:{exc.line}:{exc.column}", "",
                                    f"syntax error: {exc.message}"))
            return Graph()

    data = Graph()
    bind_prefixes(data)
    for path in files:
        data += parsed(path)
    report = Report(files=list(files), problems=problems, triples=len(data))  # the files' own triples
    ontology = resources.path("ontology", "lo.ttl")
    if ontology.resolve() not in {path.resolve() for path in files}:
        data += parsed(ontology)
    shapes = parsed(shapes_path or resources.path("ontology", "shapes.ttl"))
    if not problems:  # SHACL on a partial graph would only add noise
        report.problems = check_graph(data, shapes, authoring_dir)
    return report
