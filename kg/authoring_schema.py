"""The shape of the authoring YAML (``data/authoring/*.yaml``) and the check that holds each file to it.

The build turns YAML into RDF; before it does, every file is read as YAML *nodes* (``yaml.compose``), which
keep the line of every key and value, and compared with the schema below: unknown keys, missing keys,
duplicate keys, wrong types, and a mapping or a list where text is expected each give an error naming the
file and the line.  The bug this was written for: a flow mapping ``{zh: 甲,乙, en: ...}`` with unquoted text
reads the ASCII comma as the end of the value, so ``乙`` became a key of its own and the reason was cut short
without any error.

Why a hand-written checker and not JSON Schema: ``jsonschema`` is not among the project's dependencies, and
a JSON-Schema validator works on the loaded data, whose errors name a path (``concepts/12/links/0``) but not
the line of the file; checking the composed nodes gives the line directly.  The schema is a few nested
tables, small enough to read at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

FLOW_HINT = " (an unquoted ',' inside {...} ends the text there: put the text in quotes)"

# ---------------------------------------------------------------------------------------------------------
# The schema.  A type is one of:
#   "text"                 a non-empty string (a scalar that YAML does not read as a number, bool or null)
#   "int", "number", "bool"
#   "text?"                text or null
#   ("list", T)            a sequence of T
#   ("mapping", {key: T}, required)  a mapping with only these keys, the required ones present
#   ("either", T1, T2)     T1 or T2, chosen by the node's kind (scalar or mapping)
# ---------------------------------------------------------------------------------------------------------

TEXT = "text"
BILINGUAL = ("mapping", {"zh": TEXT, "en": TEXT}, {"zh", "en"})  # a definition or a reason, both languages
ZH_ONLY = ("mapping", {"zh": TEXT}, {"zh"})
ALT = ("mapping", {"zh": ("list", TEXT), "en": ("list", TEXT)}, set())
QUOTE = ("either", TEXT, ("mapping", {"text": TEXT, "article": TEXT, "occurrence": "int"}, {"text"}))
LINK_FIELDS = {"rel": TEXT, "to": TEXT, "quote": QUOTE, "inferred": BILINGUAL}
LINK = ("mapping", LINK_FIELDS, {"rel", "to"})
LOOSE_LINK = ("mapping", {"from": TEXT, **LINK_FIELDS}, {"from", "rel", "to"})

CONCEPT = ("mapping", {
    "id": TEXT, "type": TEXT, "zh": TEXT, "en": TEXT, "alt": ALT, "def": BILINGUAL,
    "ordinal": "int", "part_of": TEXT, "part_of_inferred": BILINGUAL,
    "mentioned_in": TEXT, "mentioned_in_inferred": BILINGUAL, "quotes": ("list", QUOTE),
    "links": ("list", LINK), "value": "number", "unit": TEXT, "scheme": TEXT, "article": TEXT,
}, {"id", "type", "zh", "en", "def", "quotes"})

CONCEPT_FILE = ("mapping", {
    "article": TEXT, "quotes_from": TEXT, "scheme": TEXT,
    "concepts": ("list", CONCEPT), "links": ("list", LOOSE_LINK),
}, {"scheme", "concepts"})

ARTICLE = ("mapping", {
    "id": TEXT, "key": TEXT, "title": ZH_ONLY, "title_en": TEXT, "title_supplied": "bool",
    "place": BILINGUAL, "place_short": TEXT, "issued": "text?", "date_note": BILINGUAL, "origin": BILINGUAL,
}, {"id", "key", "title", "title_en", "title_supplied", "place", "place_short", "date_note", "origin"})
SCHEME = ("mapping", {"id": TEXT, "zh": TEXT, "en": TEXT, "def": BILINGUAL, "article": "text?",
                      "top": ("list", TEXT)}, {"id", "zh", "en", "def", "top"})
UNIT = ("mapping", {"id": TEXT, "zh": TEXT, "en": TEXT, "factor": "number", "base": TEXT},
        {"id", "zh", "en", "factor", "base"})
ARTICLES_FILE = ("mapping", {"articles": ("list", ARTICLE), "schemes": ("list", SCHEME),
                             "units": ("list", UNIT)}, {"articles", "schemes"})

#: ``data/authoring/translations/*.yaml``: the editors' English rendering of each quote, keyed by its verbatim text
TRANSLATION = ("mapping", {"zh": TEXT, "en": TEXT}, {"zh", "en"})
TRANSLATION_FILE = ("mapping", {"article": TEXT, "quotes": ("list", TRANSLATION)}, {"article", "quotes"})
TRANSLATIONS_DIR = "translations"

#: the schema of each file of ``data/authoring/`` by name; any other name is a concept file (in the
#: ``translations/`` folder: a translation file).
FILE_SCHEMAS = {"articles.yaml": ARTICLES_FILE}

_RESOLVER_TAGS = {
    "tag:yaml.org,2002:int": "int", "tag:yaml.org,2002:float": "number", "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null", "tag:yaml.org,2002:str": "text",
}


@dataclass(frozen=True)
class SchemaError:
    """One place where a file does not have the authoring shape."""

    file: str
    line: int
    concept: str  # the id of the entry the error lies in, or ""
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.concept + ': ' if self.concept else ''}{self.message}"


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return {"int": "a number", "number": "a number", "bool": "true/false", "null": "nothing (null)"}.get(
        _RESOLVER_TAGS.get(node.tag, "text"), "text")


def _scalar_type(node: ScalarNode) -> str:
    return _RESOLVER_TAGS.get(node.tag, "text")


class _Checker:
    def __init__(self, path: Path):
        self.path = path
        self.errors: list[SchemaError] = []

    def error(self, node: Node, where: str, concept: str, message: str) -> None:
        self.errors.append(SchemaError(str(self.path), node.start_mark.line + 1, concept,
                                       f"{where}: {message}" if where else message))

    def check(self, node: Node, schema, where: str, concept: str) -> None:
        if isinstance(schema, str):
            self._scalar(node, schema, where, concept)
        elif schema[0] == "list":
            if not isinstance(node, SequenceNode):
                self.error(node, where, concept, f"expected a list, found {_kind(node)}")
                return
            for n, item in enumerate(node.value):
                self.check(item, schema[1], f"{where}[{n}]", concept)
        elif schema[0] == "either":
            first, second = schema[1], schema[2]
            self.check(node, second if isinstance(node, MappingNode) else first, where, concept)
        else:
            self._mapping(node, schema[1], schema[2], where, concept)

    def _scalar(self, node: Node, expected: str, where: str, concept: str) -> None:
        optional = expected.endswith("?")
        expected = expected.rstrip("?")
        if not isinstance(node, ScalarNode):
            hint = " (a ':' followed by a space inside unquoted text starts a mapping: quote the text)" \
                if isinstance(node, MappingNode) and expected == "text" else ""
            self.error(node, where, concept, f"expected {expected}, found {_kind(node)}{hint}")
            return
        found = _scalar_type(node)
        if optional and found == "null":
            return
        if expected == "text":
            if found != "text":
                self.error(node, where, concept, f"expected text, found {_kind(node)} {node.value!r}: quote it")
            elif not node.value.strip():
                self.error(node, where, concept, "empty text")
        elif expected == "number":
            if found not in ("int", "number"):
                self.error(node, where, concept, f"expected a number, found {_kind(node)} {node.value!r}")
        elif found != expected:
            self.error(node, where, concept, f"expected {expected}, found {_kind(node)} {node.value!r}")

    def _mapping(self, node: Node, fields: dict, required: set, where: str, concept: str) -> None:
        if not isinstance(node, MappingNode):
            self.error(node, where, concept, f"expected a mapping of {', '.join(fields)}, found {_kind(node)}")
            return
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key == "id" and isinstance(value_node, ScalarNode) and not concept:
                concept = value_node.value
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            at = f"{where}.{key}" if where else str(key)
            if key in seen:
                self.error(key_node, where, concept, f"key {key!r} given twice (the first at line "
                           f"{seen[key].start_mark.line + 1})")
                continue
            seen[key] = key_node
            if key not in fields:
                hint = FLOW_HINT if node.flow_style and value_node.tag.endswith(":null") else ""
                self.error(key_node, where, concept,
                           f"unknown key {key!r}; expected {', '.join(fields)}{hint}")
                continue
            self.check(value_node, fields[key], at, concept)
        for key in sorted(required - set(seen)):
            self.error(node, where, concept, f"missing key {key!r}")


def check_text(text: str, path: Path) -> list[SchemaError]:
    """Schema errors of the YAML ``text`` of the authoring file ``path`` (its name picks the schema).
    A file that is not YAML gives no schema errors: reading it reports the syntax error."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if root is None:
        return []
    checker = _Checker(path)
    schema = TRANSLATION_FILE if path.parent.name == TRANSLATIONS_DIR else FILE_SCHEMAS.get(path.name, CONCEPT_FILE)
    checker.check(root, schema, "", "")
    return checker.errors


def check_file(path: Path) -> list[SchemaError]:
    """Schema errors of the authoring file at ``path``."""
    return check_text(path.read_text(encoding="utf-8"), path)


__all__ = ["SchemaError", "check_file", "check_text", "FILE_SCHEMAS", "CONCEPT_FILE", "TRANSLATION_FILE",
           "TRANSLATIONS_DIR"]
