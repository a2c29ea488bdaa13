"""The catalog: concepts, relations, vocabulary terms and paragraphs, read once.

Pages, the JSON API, search and the graph views all work from these plain data
classes; none of them touches result rows.  ``Catalog.from_store`` runs the
catalog queries of :mod:`kg.queries` once at load.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from kg import queries
from kg.namespaces import ID
from kg.store import Store

LANGS = ("zh", "en")


def local_id(iri) -> str:
    """The readable local name of an instance or ontology term."""
    text = str(iri)
    if text.startswith(str(ID)):
        return text[len(str(ID)):]
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Bilingual:
    zh: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class QuoteRef:
    id: str
    article: str  # article key: yanbian | zhonglou
    paragraph: str  # paragraph id, e.g. yanbian-p21
    index: int
    start: int
    end: int
    exact: str


@dataclass
class Concept:
    id: str
    iri: str
    cls: str  # local name of the most specific lo: class
    label: Bilingual
    definition: Bilingual
    alt: dict[str, list[str]] = field(default_factory=lambda: {"zh": [], "en": []})
    article: str | None = None  # article key
    scheme: str | None = None  # scheme id
    ordinal: int | None = None
    quotes: list[QuoteRef] = field(default_factory=list)
    value: Decimal | None = None
    unit: str | None = None  # unit id


@dataclass(frozen=True)
class Edge:
    source: str
    relation: str  # local name of the lo: property, e.g. partOf
    target: str
    status: str  # stated | inferred
    evidence: QuoteRef | None = None
    rationale: Bilingual | None = None


@dataclass
class Term:
    """A class, property, scheme, article or unit with its labels."""

    id: str
    iri: str
    kind: str  # Class | ObjectProperty | DatatypeProperty | ConceptScheme | Article | ...
    label: Bilingual = Bilingual()
    comment: Bilingual = Bilingual()
    inverse: str | None = None


@dataclass(frozen=True)
class ParagraphText:
    id: str
    article: str
    index: int
    kind: str
    text: str


def _article_key(iri) -> str:
    return local_id(iri).removeprefix("article-")


class Catalog:
    def __init__(self) -> None:
        self.concepts: dict[str, Concept] = {}
        self.edges: list[Edge] = []
        self.terms: dict[str, Term] = {}
        self.paragraphs: dict[str, list[ParagraphText]] = defaultdict(list)
        self.superclass: dict[str, str] = {}

    # -- loading -----------------------------------------------------------

    @classmethod
    def from_store(cls, store: Store) -> "Catalog":
        cat = cls()
        for row in queries.subclass_rows(store):
            cat.superclass.setdefault(local_id(row.sub), local_id(row.super))
        for row in queries.concept_rows(store):
            cid = local_id(row.c)
            cls_name = local_id(row["class"])
            known = cat.concepts.get(cid)
            if known is None:
                cat.concepts[cid] = Concept(
                    id=cid, iri=str(row.c), cls=cls_name, label=Bilingual(), definition=Bilingual(),
                    article=_article_key(row.article) if row.article else None,
                    scheme=local_id(row.scheme) if row.scheme else None,
                    ordinal=int(row.ordinal) if row.ordinal is not None else None,
                )
            elif cat.is_subclass(cls_name, known.cls):
                known.cls = cls_name  # keep the most specific class
        labels: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        for row in queries.concept_literals(store):
            cid, prop, lit = local_id(row.c), local_id(row.p), row.o
            if cid not in cat.concepts:
                continue
            lang = lit.language or "zh"
            if prop == "altLabel":
                cat.concepts[cid].alt.setdefault(lang, []).append(str(lit))
            else:
                labels[(cid, prop)][lang] = str(lit)
        for (cid, prop), by_lang in labels.items():
            value = Bilingual(by_lang.get("zh", ""), by_lang.get("en", ""))
            setattr(cat.concepts[cid], "label" if prop == "prefLabel" else "definition", value)
        for concept in cat.concepts.values():
            for values in concept.alt.values():
                values.sort()
        quotes: dict[str, QuoteRef] = {}
        for row in queries.concept_quotes(store):
            ref = QuoteRef(local_id(row.q), _article_key(row.article), local_id(row.para), int(row["index"]),
                           int(row.start), int(row.end), str(row.exact))
            quotes[ref.id] = ref
            if row.c is not None and local_id(row.c) in cat.concepts:
                cat.concepts[local_id(row.c)].quotes.append(ref)
        for concept in cat.concepts.values():
            concept.quotes.sort(key=lambda q: int(q.id.rsplit("/", 1)[-1]))
        for row in queries.figure_rows(store):
            concept = cat.concepts.get(local_id(row.c))
            if concept:
                concept.value, concept.unit = Decimal(str(row.value)), local_id(row.unit)
        by_edge: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
        for row in queries.edge_rationales(store):
            by_edge[(local_id(row.s), local_id(row.p), local_id(row.o))][row.rationale.language] = str(row.rationale)
        for row in queries.concept_edges(store):
            key = (local_id(row.s), local_id(row.p), local_id(row.o))
            if key[0] not in cat.concepts or key[2] not in cat.concepts:
                continue
            status = local_id(row.status) if row.status is not None else "stated"
            evidence = quotes.get(local_id(row.evidence)) if row.evidence is not None else None
            reason = by_edge.get(key)
            cat.edges.append(Edge(*key, status, evidence,
                                  Bilingual(reason.get("zh", ""), reason.get("en", "")) if reason else None))
        cat.edges.sort(key=lambda e: (e.source, e.relation, e.target))
        for row in queries.term_labels(store):
            tid = local_id(row.t)
            term = cat.terms.setdefault(tid, Term(tid, str(row.t), local_id(row.kind)))
            lang = row.label.language or "en"
            term.label = _with(term.label, lang, str(row.label))
            if row.comment is not None:
                term.comment = _with(term.comment, lang, str(row.comment))
            if row.inverse is not None:
                term.inverse = local_id(row.inverse)
        for row in queries.paragraph_rows(store):
            key = _article_key(row.article)
            cat.paragraphs[key].append(ParagraphText(local_id(row.para), key, int(row["index"]), str(row.kind),
                                                     str(row.text)))
        return cat

    # -- questions ---------------------------------------------------------

    def is_subclass(self, sub: str, sup: str) -> bool:
        seen = set()
        while sub and sub not in seen:
            if sub == sup:
                return True
            seen.add(sub)
            sub = self.superclass.get(sub, "")
        return False

    def class_chain(self, cls: str) -> list[str]:
        """``cls`` and its superclasses up to lo:Concept, most specific first."""
        chain = [cls]
        while chain[-1] in self.superclass and chain[-1] != "Concept" and len(chain) < 10:
            chain.append(self.superclass[chain[-1]])
        return chain

    @cached_property
    def _out(self) -> dict[str, list[Edge]]:
        out = defaultdict(list)
        for edge in self.edges:
            out[edge.source].append(edge)
        return out

    @cached_property
    def _in(self) -> dict[str, list[Edge]]:
        inc = defaultdict(list)
        for edge in self.edges:
            inc[edge.target].append(edge)
        return inc

    def out_edges(self, cid: str) -> list[Edge]:
        return self._out.get(cid, [])

    def in_edges(self, cid: str) -> list[Edge]:
        return self._in.get(cid, [])

    def parent(self, cid: str) -> str | None:
        for edge in self.out_edges(cid):
            if edge.relation == "partOf":
                return edge.target
        return None

    def children(self, cid: str) -> list[Concept]:
        kids = [self.concepts[e.source] for e in self.in_edges(cid) if e.relation == "partOf"]
        return sorted(kids, key=lambda c: (c.ordinal or 10_000, c.cls, c.id))

    def breadcrumbs(self, cid: str) -> list[Concept]:
        """The concept's place in its model, from the top: 45231 模型 › 树干 › 团队学习机制."""
        chain, seen = [], set()
        current: str | None = cid
        while current and current not in seen and current in self.concepts:
            seen.add(current)
            chain.append(self.concepts[current])
            current = self.parent(current)
        return list(reversed(chain))

    def term_label(self, tid: str, lang: str = "zh") -> str:
        term = self.terms.get(tid)
        return (term.label.get(lang) if term else "") or tid

    def relation_label(self, relation: str, lang: str = "zh", incoming: bool = False) -> str:
        """How a relation reads from the concept's side (incoming edges read as the inverse)."""
        if incoming:
            inverse = self.terms[relation].inverse if relation in self.terms else None
            if inverse:
                return self.term_label(inverse, lang)
        return self.term_label(relation, lang)


def _with(value: Bilingual, lang: str, text: str) -> Bilingual:
    return Bilingual(text, value.en) if lang == "zh" else Bilingual(value.zh, text)


__all__ = ["Bilingual", "Catalog", "Concept", "Edge", "ParagraphText", "QuoteRef", "Term", "local_id"]
