"""The catalog: concepts, relations, vocabulary terms and paragraphs, read once.

Pages, the JSON API, search and the graph views all work from these plain data
classes; none of them touches result rows.  ``Catalog.from_store`` runs the
catalog queries of :mod:`kg.queries` once at load.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import chain

from rdflib.namespace import SKOS

from kg import queries
from kg.i18n import pair
from kg.namespaces import ID, LO
from kg.store.interface import Store

LANGS = ("zh", "en")


_ID = str(ID)


def local_id(iri) -> str:
    """The readable local name of an instance or ontology term."""
    text = iri if type(iri) is str else str(iri)
    if text.startswith(_ID):
        return text[len(_ID):]
    return text[max(text.rfind("#"), text.rfind("/")) + 1:]  # after the last '#' or '/'


@dataclass(frozen=True, slots=True)
class Bilingual:
    zh: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True, slots=True)
class QuoteRef:
    id: str
    article: str  # article key: yanbian | zhonglou
    paragraph: str  # paragraph id, e.g. yanbian-p21
    index: int
    start: int
    end: int
    exact: str
    en: str | None = None  # the editors' English rendering (lo:editorsTranslation)


@dataclass(slots=True)
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


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    relation: str  # local name of the lo: property, e.g. partOf
    target: str
    status: str  # stated | inferred
    evidence: QuoteRef | None = None
    rationale: Bilingual | None = None


@dataclass(slots=True)
class Term:
    """A class, property, scheme, article or unit with its labels."""

    id: str
    iri: str
    kind: str  # Class | ObjectProperty | DatatypeProperty | ConceptScheme | Article | ...
    label: Bilingual = Bilingual()
    comment: Bilingual = Bilingual()
    inverse: str | None = None


@dataclass(frozen=True, slots=True)
class ParagraphText:
    id: str
    article: str
    index: int
    kind: str
    text: str


#: relations that place a concept under another (breadcrumbs, children)
HIERARCHY = ("partOf", "broader")

#: relations that link a concept of one article to one of the other (lo:mentionedIn is not in HIERARCHY: a
#: concept a section only mentions is not one of its children)
ACROSS_ARTICLES = ("alignsWith", "resembles", "exemplifies")

#: plain SKOS vocabularies' terms, which the ontology does not describe: labels and comments from the UI catalogue
_SKOS_TERMS = (("Concept", "Class", None, "skos.Concept.label", "skos.Concept.comment"),
               ("broader", "ObjectProperty", "narrower", "skos.broader.label", "skos.broader.comment"),
               ("narrower", "ObjectProperty", "broader", "skos.narrower.label", "skos.narrower.comment"),
               ("related", "ObjectProperty", "related", "skos.related.label", "skos.related.comment"))


def skos_terms() -> dict[str, Term]:
    """Those terms with their labels: read when a catalog is built, not when the module is imported (the UI
    catalogue is a file; a broken install then fails where it is used, with its message)."""
    return {name: Term(name, str(SKOS[name]), kind, Bilingual(*pair(label)), Bilingual(*pair(comment)),
                       inverse=inverse)
            for name, kind, inverse, label, comment in _SKOS_TERMS}


def _article_key(iri) -> str:
    return local_id(iri).removeprefix("article-")


class Catalog:
    def __init__(self) -> None:
        self.concepts: dict[str, Concept] = {}
        self.edges: list[Edge] = []
        self.terms: dict[str, Term] = {}
        self.paragraphs: dict[str, list[ParagraphText]] = defaultdict(list)
        self.superclass: dict[str, str] = {}  # a class's first superclass (by name)
        self.superclasses: dict[str, list[str]] = defaultdict(list)  # all of them: a class may have two
        self.supplied_titles: set[str] = set()  # article keys whose title the editors supplied

    # -- loading -----------------------------------------------------------

    @classmethod
    def from_store(cls, store: Store) -> "Catalog":
        cat = cls()
        reads = _Reads(store)
        try:
            cat._read(reads)
        finally:
            reads.close()
        return cat

    def _read(self, reads: "_Reads") -> None:
        below: dict[str, list[str]] = defaultdict(list)
        for sub, sup in reads.get("subclasses"):
            self.superclasses[local_id(sub)].append(local_id(sup))
            below[sup].append(sub)
        for sub, sups in self.superclasses.items():
            sups.sort()  # rows come in no fixed order: the same chain on every load
            self.superclass[sub] = sups[0]
        # the concept classes: the ontology's subclasses of lo:Concept, and skos:Concept
        kinds = {SKOS_CONCEPT: "Concept"}
        todo, seen_classes = [str(LO.Concept)], {str(LO.Concept)}
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen_classes:
                    seen_classes.add(sub)
                    todo.append(sub)
                    if sub.startswith(str(LO)):
                        kinds[sub] = local_id(sub)
        concepts = self.concepts
        for c, cls_iri in reads.get("types"):
            cls_name = kinds.get(cls_iri)
            if cls_name is None:
                continue
            cid = local_id(c)
            known = concepts.get(cid)
            if known is None:
                concepts[cid] = Concept(id=cid, iri=c, cls=cls_name, label=Bilingual(), definition=Bilingual())
            elif self.is_subclass(cls_name, known.cls):
                known.cls = cls_name  # keep the most specific class
        for c, scheme in reads.get("schemes"):
            concept = concepts.get(local_id(c))
            if concept is not None and concept.scheme is None:
                concept.scheme = local_id(scheme)
        for c, article in reads.get("articles"):
            concept = concepts.get(local_id(c))
            if concept is not None and concept.article is None:
                concept.article = _article_key(article)
        for c, ordinal in reads.get("ordinals"):
            concept = concepts.get(local_id(c))
            if concept is not None and concept.ordinal is None:
                concept.ordinal = int(ordinal)
        for prop in ("prefLabel", "definition"):
            texts: dict[str, dict[str, str]] = defaultdict(dict)
            for c, text, lang in reads.get(prop):
                texts[local_id(c)][_lang(lang, "zh")] = text
            slot = "label" if prop == "prefLabel" else "definition"
            for cid, by_lang in texts.items():
                concept = concepts.get(cid)
                if concept is not None:
                    setattr(concept, slot, Bilingual(by_lang.get("zh", ""), by_lang.get("en", "")))
        for c, text, lang in reads.get("altLabel"):
            concept = concepts.get(local_id(c))
            if concept is not None:
                concept.alt.setdefault(_lang(lang, "zh"), []).append(text)
        for concept in concepts.values():
            for values in concept.alt.values():
                values.sort()
        quotes: dict[str, QuoteRef] = {}
        for c, q, para, exact, start, end, index, article, en in reads.get("quotes"):
            ref = QuoteRef(local_id(q), _article_key(article), local_id(para), int(index), int(start), int(end),
                           exact, None if en is None else str(en))
            quotes[ref.id] = ref
            if c is not None and local_id(c) in concepts:
                concepts[local_id(c)].quotes.append(ref)
        for concept in concepts.values():
            if len(concept.quotes) > 1:
                concept.quotes.sort(key=lambda q: int(q.id.rsplit("/", 1)[-1]))
        for c, value, unit in reads.get("figures"):
            concept = concepts.get(local_id(c))
            if concept:
                concept.value, concept.unit = Decimal(value), local_id(unit)
        by_edge: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
        for s, p, o, rationale, lang in reads.get("rationales"):
            by_edge[(local_id(s), local_id(p), local_id(o))][_lang(lang, "zh")] = rationale
        seen: set[tuple[str, str, str]] = set()
        rows = chain(reads.get("ontology_edges"),
                     ((s, p, o, None, None) for s, p, o in reads.get("skos_edges")),
                     ((s, SKOS_BROADER, o, None, None) for s, o in reads.get("narrower")))
        for s, p, o, status, evidence in rows:
            key = (local_id(s), local_id(p), local_id(o))
            if key[0] not in concepts or key[2] not in concepts or key in seen:
                continue
            seen.add(key)
            reason = by_edge.get(key)
            self.edges.append(Edge(*key, local_id(status) if status is not None else "stated",
                                  quotes.get(local_id(evidence)) if evidence is not None else None,
                                  Bilingual(reason.get("zh", ""), reason.get("en", "")) if reason else None))
        self.edges.sort(key=lambda e: (e.source, e.relation, e.target))
        for t, label, lang, comment, inverse, kind in reads.get("terms"):
            tid = local_id(t)
            term = self.terms.setdefault(tid, Term(tid, t, local_id(kind)))
            lang = _lang(lang, "en")
            term.label = _with(term.label, lang, label)
            if comment is not None:
                term.comment = _with(term.comment, lang, comment)
            if inverse is not None:
                term.inverse = local_id(inverse)
        for tid, term in skos_terms().items():
            self.terms.setdefault(tid, term)
        for para, article, index, kind, text in reads.get("paragraphs"):
            key = _article_key(article)
            self.paragraphs[key].append(ParagraphText(local_id(para), key, int(index), kind, text))
        for (article,) in reads.get("supplied_titles"):
            self.supplied_titles.add(_article_key(article))

    # -- questions ---------------------------------------------------------

    def is_subclass(self, sub: str, sup: str) -> bool:
        return sup in self.class_chain(sub)

    @cached_property
    def class_counts(self) -> dict[str, int]:
        """Concepts of each class, its subclasses' included."""
        counts: dict[str, int] = defaultdict(int)
        for concept in self.concepts.values():
            for name in set(self.class_chain(concept.cls)):
                counts[name] += 1
        return dict(counts)

    @cached_property
    def totals(self) -> dict[str, int]:
        """Concepts, relations (stated, inferred) and quotes: a concept's own quotes and the evidence
        quotes of stated links, as ``kg stats`` counts them (counted once, not on every home page)."""
        return {"concepts": len(self.concepts), "relations": len(self.edges),
                "stated": sum(e.status == "stated" for e in self.edges),
                "inferred": sum(e.status == "inferred" for e in self.edges),
                "quotes": len({q.id for c in self.concepts.values() for q in c.quotes}
                              | {e.evidence.id for e in self.edges if e.evidence is not None})}

    def class_chain(self, cls: str) -> list[str]:
        """``cls`` and all its superclasses up to lo:Concept, most specific first (breadth first: a class
        with two superclasses, lo:LearningMechanism under lo:ModelComponent and lo:Mechanism, has both)."""
        chain, i = [cls], 0
        while i < len(chain) and len(chain) < 20:
            if chain[i] != "Concept":
                chain += [sup for sup in self.superclasses.get(chain[i], ()) if sup not in chain]
            i += 1
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
            if edge.relation in HIERARCHY:
                return edge.target
        return None

    def children(self, cid: str) -> list[Concept]:
        kids = [self.concepts[e.source] for e in self.in_edges(cid) if e.relation in HIERARCHY]
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


SKOS_CONCEPT = str(SKOS.Concept)
SKOS_BROADER = str(SKOS.broader)


class _Reads:
    """The catalog's bulk reads (:mod:`kg.queries`), started at once on ``store.concurrent_reads``
    threads and taken in the order the catalog needs them.  Oxigraph evaluates a query without
    holding the GIL, so on two cores the reads of a million triples take half as long, and building
    the catalog from one read overlaps the next ones."""

    def __init__(self, store: Store) -> None:
        self.store = store
        workers = getattr(store, "concurrent_reads", 1)
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="catalog") if workers > 1 else None
        self._pending = ({name: self._pool.submit(lambda query=query: list(store.rows(query)))
                          for name, query in queries.CATALOG_READS.items()} if self._pool else {})

    def get(self, name: str) -> Iterable[tuple]:
        if self._pool is None:
            return self.store.rows(queries.CATALOG_READS[name])
        return self._pending.pop(name).result()

    def close(self) -> None:
        """Stop the reads not taken (after an error) and the threads."""
        if self._pool is not None:
            for future in self._pending.values():
                future.cancel()
            self._pool.shutdown()


def _lang(tag: str | None, default: str) -> str:
    """The language of a literal, ``zh-CN`` and ``zh-Hans`` read as ``zh``; untagged text as ``default``."""
    if not tag:
        return default
    return tag.split("-", 1)[0].lower()


def _with(value: Bilingual, lang: str, text: str) -> Bilingual:
    return Bilingual(text, value.en) if lang == "zh" else Bilingual(value.zh, text)


__all__ = ["Bilingual", "Catalog", "Concept", "Edge", "ParagraphText", "QuoteRef", "Term", "local_id"]
