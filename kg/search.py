"""Search over the catalog: labels, pinyin, alternative labels, definitions and quotes.

One index serves the search page, the JSON API, the autocomplete box and the
"did you mean" list of the 404 page.  It is built once at load from the
catalog's data classes (no SPARQL, no HTTP); a query only walks precomputed,
normalised strings and an inverted index, never the triples.

What a query can match, and the tier it lands in (lower is better):

0. exact label: the whole zh or en label, or the whole pinyin of the zh label
   (full, spaced or not, tone marks or numbers, or the initials)
1. label prefix: the label (or its pinyin) starts with the query
2. label substring: zh anywhere; en from a word start; pinyin from a syllable
3. alternative label (skos:altLabel), zh / en / pinyin: exact before prefix before substring
4. typo: a label, alt label or pinyin one edit away (rapidfuzz OSA: insertion, deletion,
   substitution or swap of neighbours); tried only when no label matches as typed
5. definition or quote: the query as a whole, or all its jieba / English words

Within a tier hits are ordered by ``score`` (higher first), then shorter label,
then concept id, so the order is stable.  English is matched case-insensitively,
by word prefix and with plural folding ("mechanisms" finds "mechanism").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

import jieba
from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz, process
from rapidfuzz import utils as fuzz_utils
from rapidfuzz.distance import OSA, Levenshtein

from kg.catalog import Bilingual, Catalog, Concept

jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." chatter on stderr at load

MAX_QUERY = 200
MAX_LIMIT = 200
FIELDS = ("label", "altLabel", "pinyin", "definition", "quote")

TIER_EXACT, TIER_PREFIX, TIER_SUBSTRING, TIER_ALT, TIER_TYPO, TIER_TEXT = range(6)
TIER_NAMES = ("exact", "prefix", "substring", "altLabel", "typo", "text")

_KIND_SCORE = {TIER_EXACT: 1.0, TIER_PREFIX: 0.8, TIER_SUBSTRING: 0.6}
_WEIGHT = {"zh": 1.0, "en": 1.0, "py": 0.9, "ini": 0.8}  # a direct label match beats its pinyin
_FUZZY_MIN = 4  # shortest label window a typo may be forgiven in (zh: the query may then be 3 characters)
_WINDOW_END = 1023  # windows end within this many characters of a key (see _build_windows)
_FUZZY_MAX = 40  # longest window (typo tolerance on long phrases only adds noise)
_NEAR_CUTOFF = 75  # rapidfuzz WRatio (0..100) below which nearest() suggests nothing
_SNIPPET = {"zh": (20, 80), "en": (50, 180)}  # context before the first match, snippet length

_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{_HAN_CLASS}]")
_RUN = re.compile(f"[{_HAN_CLASS}]|[^\\W_{_HAN_CLASS}]+")
_TONE_NUMBERED = re.compile(r"(?:[a-z]+[1-5])+[a-z]*")

class QueryError(ValueError):
    """A query the index refuses: too long, a bad limit, an unknown class or article."""


# -- hits --------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    id: str
    iri: str
    cls: str  # local name of the concept's most specific class
    label: Bilingual
    tier: int  # 0 exact label … 5 definition or quote; lower is better
    field: str  # label | altLabel | pinyin | definition | quote (nearest() may also say id)
    matched: str  # the text that matched (a snippet for long definitions)
    spans: tuple[tuple[int, int], ...]  # (start, end) of each highlighted part of ``matched``
    score: float  # within the tier, 0..1, higher is better
    lang: str = "zh"  # language of ``matched``

    def segments(self) -> list[tuple[str, bool]]:
        """``matched`` cut into (text, is_match) pieces, in order; joined they give ``matched`` back."""
        out, at = [], 0
        for start, end in self.spans:
            if start > at:
                out.append((self.matched[at:start], False))
            out.append((self.matched[start:end], True))
            at = end
        if at < len(self.matched) or not out:
            out.append((self.matched[at:], False))
        return out

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "iri": self.iri,
            "class": self.cls,
            "label": self.label.as_dict(),
            "tier": self.tier,
            "field": self.field,
            "matched": self.matched,
            "lang": self.lang,
            "spans": [list(s) for s in self.spans],
            "highlight": [{"text": text, "mark": mark} for text, mark in self.segments()],
            "score": self.score,
        }


# -- normalisation -------------------------------------------------------------


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """Compatibility form (full-width → ASCII), accents and tone marks removed, case folded."""
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _singular(word: str) -> str:
    """An English word with a plural ending folded: mechanisms → mechanism, activities → activity.

    Hand-written: no declared dependency does English inflection, and a stemmer (snowball,
    Porter) would also cut "learning" to "learn" and "shared" to "share", which breaks
    prefix matching and highlighting.  The same rule runs on the query and on the text, so it
    only needs to be consistent, not linguistically complete.
    """
    if len(word) <= 3 or not word.isascii() or not word.isalpha() or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class _Folded:
    key: str  # the text's letters and digits, folded, punctuation and spaces dropped
    pos: tuple[int, ...]  # key[i] comes from text[pos[i]:pos_end[i]]
    pos_end: tuple[int, ...]
    starts: frozenset[int]  # where words (or syllables) start in key
    ends: frozenset[int]  # where they end (exclusive)

    def starts_at(self, i: int) -> bool:
        return i in self.starts

    def ends_at(self, i: int) -> bool:
        return i in self.ends


_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _words(text: str, singular: bool = False) -> list[tuple[str, list[int], int]]:
    """Runs of letters and digits: (folded word, text index of each of its characters, text end).
    ASCII text takes a regular-expression path (folding ASCII is lower-casing): the same result,
    several times faster, which counts when a large vocabulary's definitions are indexed."""
    if _HAN_RUN.fullmatch(text):  # Chinese characters fold to themselves and make one word
        return [(text, list(range(len(text))), len(text))]
    if text.isascii():
        out = []
        for m in _ASCII_WORD.finditer(text):
            word = m.group().lower()
            if singular:
                word = _singular(word)
            out.append((word, list(range(m.start(), m.start() + len(word))), m.end()))
        return out
    words: list[tuple[str, list[int], int]] = []
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text + " "):
        kept = [c for c in _fold_char(ch) if c.isalnum()] if i < len(text) else []
        if kept:
            chars.extend(kept)
            where.extend([i] * len(kept))
        elif chars:
            word = "".join(chars)
            if singular:
                word = _singular(word)
            words.append((word, where[: len(word)], i))
            chars, where = [], []
    return words


def _fold(text: str, singular: bool = False) -> _Folded:
    key: list[str] = []
    pos: list[int] = []
    pos_end: list[int] = []
    starts, ends = set(), set()
    offset = 0
    for word, where, end in _words(text, singular):
        starts.add(offset)
        key.append(word)
        pos.extend(where)
        pos_end.extend([p + 1 for p in where[:-1]] + [end])  # a folded plural still marks the whole word
        offset += len(word)
        ends.add(offset)
    return _Folded("".join(key), tuple(pos), tuple(pos_end), frozenset(starts), frozenset(ends))


def _compact(text: str, singular: bool = False) -> str:
    return "".join(word for word, _, _ in _words(text, singular))


@lru_cache(maxsize=65536)
def _word_pinyin(word: str) -> list[str]:
    """pypinyin for one jieba word, remembered: a vocabulary repeats its words many times over."""
    return lazy_pinyin(word, style=Style.NORMAL, errors="ignore")


def _syllables(text: str) -> list[tuple[str, int, int]]:
    """(pinyin syllable, start, end) for each character of ``text``; letter and digit runs stay whole.

    The text is cut into words by jieba and each word converted by pypinyin as a phrase, so
    polyphones take the reading of the word (重点 zhong, 长远 chang).
    """
    out: list[tuple[str, int, int]] = []
    if not text:
        return out
    for word, start, _end in jieba.tokenize(text):
        if all(_HAN.match(c) for c in word):
            sylls = _word_pinyin(word)
            if len(sylls) == len(word):
                out.extend((s.lower(), start + i, start + i + 1) for i, s in enumerate(sylls))
                continue
        for m in _RUN.finditer(word):
            s, e = start + m.start(), start + m.end()
            if _HAN.match(m.group()):
                syl = lazy_pinyin(m.group(), style=Style.NORMAL, errors="ignore")
                if syl:
                    out.append((syl[0].lower(), s, e))
            else:
                folded = _compact(m.group())
                if folded:
                    out.append((folded, s, e))
    return out


def _pinyin_keys(text: str) -> tuple[_Folded, _Folded]:
    """The full pinyin key (gongtongyuanjing) and the initials key (gtyj) of a Chinese text."""
    full, initials = ([], [], [], set(), set()), ([], [], [], set(), set())
    for syl, start, end in _syllables(text):
        part = syl[0] if _HAN.match(text[start]) else syl
        for (key, pos, pos_end, starts, ends), piece in ((full, syl), (initials, part)):
            offset = sum(map(len, key))
            starts.add(offset)
            key.append(piece)
            pos.extend([start] * len(piece))
            pos_end.extend([end] * len(piece))
            ends.add(offset + len(piece))
    return tuple(_Folded("".join(k), tuple(p), tuple(pe), frozenset(s), frozenset(e))
                 for k, p, pe, s, e in (full, initials))


def _pinyin_query(text: str) -> str | None:
    """The query as pinyin letters (ü → v, tones and spaces gone), or None if it cannot be pinyin."""
    text = text.replace("ü", "v").replace("Ü", "v").replace("u:", "v").replace("U:", "v")
    folded = _compact(text)
    if not folded or not folded.isascii() or not folded.isalnum():
        return None
    if _TONE_NUMBERED.fullmatch(folded):  # gong4tong2 → gongtong
        folded = re.sub(r"[1-5]", "", folded)
    return folded


# -- the index -----------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One searchable string of one concept, folded once at build time."""

    concept: str
    field: str  # what a hit on it reports
    family: str  # zh (any position) | en (word starts) | py (syllable starts) | ini (initials)
    lang: str  # language of ``text``
    text: str
    folded: _Folded
    alt: bool = False
    tokens: dict | None = None  # definitions and quotes: folded token → [(start, end) in text]

    @property
    def anywhere(self) -> bool:
        return self.family == "zh"

    def span(self, a: int, b: int) -> tuple[int, int]:
        """The text span of key[a:b].  Labels keep no character positions (on a large vocabulary
        they were much of the index's memory): they are recomputed for the hits a search returns."""
        folded = self.folded if self.folded.pos else _full_fold(self.text, self.family, self.lang)
        return folded.pos[a], folded.pos_end[b - 1]

    def later_span(self, a: int, b: int) -> "_LaterSpan":
        return _LaterSpan(self, a, b)


@dataclass(frozen=True)
class _LaterSpan:
    """A label span worked out only if its hit is among those returned (see :func:`_ranked`)."""

    entry: "_Entry"
    a: int
    b: int

    def resolve(self) -> tuple[int, int]:
        return self.entry.span(self.a, self.b)


@lru_cache(maxsize=4096)
def _full_fold(text: str, family: str, lang: str) -> _Folded:
    if family == "py":
        return _pinyin_keys(text)[0]
    if family == "ini":
        return _pinyin_keys(text)[1]
    return _fold(text, singular=lang == "en")


@dataclass(frozen=True)
class _SlimKey:
    """What matching needs of a label's folded key: the key, and its word starts and ends as bit
    masks (a label index of a large vocabulary holds hundreds of thousands of them)."""

    key: str
    start_bits: int
    end_bits: int
    pos: tuple = ()

    @property
    def starts(self) -> list[int]:
        return [i for i in range(len(self.key) + 1) if self.start_bits >> i & 1]

    def starts_at(self, i: int) -> bool:
        return bool(self.start_bits >> i & 1)

    def ends_at(self, i: int) -> bool:
        return bool(self.end_bits >> i & 1)


def _bits(positions) -> int:
    mask = 0
    for i in positions:
        mask |= 1 << i
    return mask


def _slim(folded: _Folded, anywhere: bool = False) -> _SlimKey:
    """The folded key without character positions (recomputed for returned hits) and, when a
    match may begin anywhere, without word boundaries."""
    if anywhere:
        return _SlimKey(folded.key, 0, 0)
    return _SlimKey(folded.key, _bits(folded.starts), _bits(folded.ends))


class _Haystack:
    """The folded keys of many entries joined by NUL, so one ``str.find`` walks them all.

    Keys hold letters and digits only, so a match never runs across two entries; a bisect on
    the offsets maps a position back to its entry.  Hand-written rather than a suffix-array or
    Aho-Corasick package: none is a declared dependency, and on a few thousand short keys one
    C-level ``find`` per occurrence is already well under a millisecond (``bench/bench_search.py``).
    """

    def __init__(self) -> None:
        self.entries: list[_Entry] = []
        self.offsets: list[int] = []
        self._parts: list[str] = []
        self._size = 0
        self.text = ""

    def add(self, entry: _Entry) -> int:
        self.entries.append(entry)
        self.offsets.append(self._size)
        self._parts.append(entry.folded.key)
        self._size += len(entry.folded.key) + 1
        return len(self.entries) - 1

    def freeze(self) -> None:
        self.text = "\x00".join(self._parts)
        self._parts = []

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def matches(self, q: str, allowed: frozenset[str] | None = None):
        """(entry number, index in its key) of every occurrence of ``q`` where a match may begin."""
        text, offsets, entries = self.text, self.offsets, self.entries
        p = text.find(q)
        while p != -1:
            number = bisect_right(offsets, p) - 1
            entry = entries[number]
            i = p - offsets[number]
            if (entry.anywhere or entry.folded.starts_at(i)) and (allowed is None or entry.concept in allowed):
                yield number, i
            p = text.find(q, p + 1)

    def first_matches(self, q: str, allowed: frozenset[str] | None = None):
        """(entry, index) of the first allowed occurrence of ``q`` in each entry."""
        seen = set()
        for number, i in self.matches(q, allowed):
            if number not in seen:
                seen.add(number)
                yield self.entries[number], i


_EMPTY = _Haystack()


@dataclass(frozen=True)
class _Query:
    text: str
    zh: str  # folded, compact
    en: str  # folded, compact, plurals folded
    py: str | None  # pinyin letters, or None
    has_cjk: bool
    zh_tokens: tuple[str, ...]  # jieba words of a Chinese query
    en_tokens: tuple[str, ...]  # English words (plurals folded)

    def label_variants(self) -> list[tuple[str, str]]:
        out = []
        if self.zh:
            out.append(("zh", self.zh))
        if self.en and not self.has_cjk:
            out.append(("en", self.en))
        if self.py:
            out.append(("py", self.py))
            if len(self.py) >= 2:
                out.append(("ini", self.py))
        return out

    def fuzzy_variants(self) -> list[tuple[str, str]]:
        out = []
        if self.has_cjk and len(self.zh) >= _FUZZY_MIN - 1:
            out.append(("zh", self.zh))
        if not self.has_cjk and len(self.en) >= _FUZZY_MIN:
            out.append(("en", self.en))
        if self.py and len(self.py) >= _FUZZY_MIN:
            out.append(("py", self.py))
        return out


class SearchIndex:
    """Built once by :meth:`build`; :meth:`search`, :meth:`suggest` and :meth:`nearest` only read it."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.concepts: dict[str, Concept] = catalog.concepts
        self._labels: dict[str, _Haystack] = defaultdict(_Haystack)  # family → label and alt entries
        self._docs: dict[str, _Haystack] = defaultdict(_Haystack)  # family → definitions and quotes
        self._postings: dict[tuple[str, str], set[int]] = defaultdict(set)  # (family, token) → doc numbers
        self._windows: dict[tuple[str, int], tuple[list[str], array, array]] = {}
        self._fuzzy_entries: list[_Entry] = []
        self._near_choices: list[str] = []
        self._near_refs: list[tuple[str, str, str, str]] = []  # (concept, field, text, lang)
        #: concept → the full pinyin of its Chinese label (or its English label), for sorting lists
        self.sort_keys: dict[str, str] = {}
        self._classes: set[str] = set()
        self._articles: set[str] = set()
        self._allowed_cache: dict[tuple[str | None, str | None], frozenset[str]] = {}
        self._facets: dict[str, list[dict]] | None = None

    # -- building ----------------------------------------------------------

    @classmethod
    def build(cls, catalog: Catalog) -> "SearchIndex":
        index = cls(catalog)
        for concept in sorted(catalog.concepts.values(), key=lambda c: c.id):
            index._add_concept(concept)
        for haystack in (*index._labels.values(), *index._docs.values()):
            haystack.freeze()
        index._build_windows()
        index._labels, index._docs = dict(index._labels), dict(index._docs)  # read-only from here on
        return index

    def _add_concept(self, c: Concept) -> None:
        self._classes.update(self.catalog.class_chain(c.cls))
        if c.article:
            self._articles.add(c.article)
        labels = [("label", "zh", c.label.zh, False), ("label", "en", c.label.en, False)]
        labels += [("altLabel", lang, text, True) for lang in ("zh", "en") for text in c.alt.get(lang, [])]
        for field, lang, text, alt in labels:
            if not text:
                continue
            if lang == "zh":
                self._labels["zh"].add(_Entry(c.id, field, "zh", "zh", text, _slim(_fold(text), True), alt))
                full, initials = _pinyin_keys(text)
                if not alt:
                    self.sort_keys[c.id] = full.key
                py_field = "altLabel" if alt else "pinyin"
                if full.key:
                    self._labels["py"].add(_Entry(c.id, py_field, "py", "zh", text, _slim(full), alt))
                if initials.key:
                    self._labels["ini"].add(_Entry(c.id, py_field, "ini", "zh", text, _slim(initials), alt))
            else:
                self._labels["en"].add(_Entry(c.id, field, "en", "en", text, _slim(_fold(text, singular=True)), alt))
            self._near_choices.append(text)
            self._near_refs.append((c.id, field, text, lang))
        self.sort_keys.setdefault(c.id, _compact(c.label.en or c.id))
        self._near_choices.append(c.id)
        self._near_refs.append((c.id, "id", c.id, "en"))
        docs = [("definition", "zh", c.definition.zh), ("definition", "en", c.definition.en)]
        docs += [("quote", "zh", q.exact) for q in c.quotes]
        for field, lang, text in docs:
            if not text:
                continue
            entry = _Entry(c.id, field, lang, lang, text, _fold(text, singular=lang == "en"),
                           tokens=self._tokens(text, lang))
            number = self._docs[lang].add(entry)
            for token in entry.tokens:
                self._postings[(lang, token)].add(number)

    @staticmethod
    def _tokens(text: str, lang: str) -> dict[str, list[tuple[int, int]]]:
        """Words of a definition or quote with their spans: jieba (search mode) for zh, words for en."""
        tokens: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if lang == "zh":
            for word, start, end in jieba.tokenize(text, mode="search"):
                folded = _compact(word)
                if folded:
                    tokens[folded].append((start, end))
        else:
            for word, where, end in _words(text, singular=True):
                tokens[word].append((where[0], end))
        return dict(tokens)

    def _build_windows(self) -> None:
        """Every label window a typo may be forgiven in, bucketed by (family, length), duplicates merged.
        Each window is one int, entry number << 20 | start << 10 | end, and a bucket's windows sit in
        one flat array (a tuple each took ten times the memory); windows end within a key's first
        1,023 characters."""
        buckets: dict[tuple[str, int], dict[str, list[tuple[int, int, int]]]] = defaultdict(dict)
        for family in ("zh", "en", "py"):
            for entry in self._labels.get(family, _EMPTY):
                number = len(self._fuzzy_entries)
                self._fuzzy_entries.append(entry)
                key = entry.folded.key
                starts = range(len(key)) if entry.anywhere else sorted(entry.folded.starts)
                for a in starts:
                    for b in range(a + _FUZZY_MIN, min(len(key), a + _FUZZY_MAX, _WINDOW_END) + 1):
                        if entry.anywhere or entry.folded.ends_at(b):
                            buckets[(family, b - a)].setdefault(key[a:b], []).append(number << 20 | a << 10 | b)
        self._windows = {}
        for k, by_key in buckets.items():
            offsets, flat = array("L", [0]), array("Q")
            for refs in by_key.values():
                flat.extend(refs)
                offsets.append(len(flat))
            self._windows[k] = (list(by_key), offsets, flat)

    def stats(self) -> dict[str, int]:
        return {
            "concepts": len(self.concepts),
            "label_keys": sum(len(v) for v in self._labels.values()),
            "documents": sum(len(v) for v in self._docs.values()),
            "tokens": len(self._postings),
            "typo_windows": sum(len(v[0]) for v in self._windows.values()),
        }

    def facets(self) -> dict[str, list[dict]]:
        """Classes (with superclasses, and how many concepts each covers) and articles, for filters."""
        if self._facets is None:
            self._facets = self._make_facets()
        return self._facets

    def _make_facets(self) -> dict[str, list[dict]]:
        counts = self.catalog.class_counts
        terms = self.catalog.terms

        def label(tid: str) -> dict[str, str]:
            term = terms.get(tid)
            return term.label.as_dict() if term else {"zh": tid, "en": tid}

        classes = [{"id": name, "label": label(name), "count": counts.get(name, 0)}
                   for name in sorted(self._classes, key=lambda n: (n != "Concept", label(n)["en"].lower(), n))]
        articles = [{"id": key, "label": label(f"article-{key}")} for key in sorted(self._articles)]
        return {"classes": classes, "articles": articles}

    # -- querying ----------------------------------------------------------

    def search(self, q: str, cls: str | None = None, article: str | None = None,
               limit: int = 50) -> list[SearchHit]:
        """Concepts matching ``q`` in rank order; empty for a blank query.

        Raises :class:`QueryError` (a ValueError) for a query over 200 characters, a limit
        outside 1..200, or an unknown class or article.
        """
        _check_limit(limit)
        allowed = self._allowed(cls, article)
        query = self._parse(q)
        if query is None:
            return []
        best: dict[str, tuple[tuple, SearchHit]] = {}
        self._label_stage(query, allowed, best)
        if not best:  # typos are forgiven only when no label matches as typed
            self._fuzzy_stage(query, allowed, best)
        if len(best) < limit:  # a definition or quote hit ranks below every label hit: none would be shown
            self._text_stage(query, allowed, best)
        return _ranked(best, limit)

    def suggest(self, q: str, limit: int = 10) -> list[SearchHit]:
        """Autocomplete: labels, alt labels and pinyin only, exact and prefix first; typos only if nothing else."""
        _check_limit(limit)
        query = self._parse(q)
        if query is None:
            return []
        best: dict[str, tuple[tuple, SearchHit]] = {}
        self._label_stage(query, None, best)
        if not best:
            self._fuzzy_stage(query, None, best)
        return _ranked(best, limit)

    def nearest(self, q: str, limit: int = 5) -> list[SearchHit]:
        """The labels nearest to ``q`` (a mistyped concept id or label), for "did you mean".

        Label matches and one-typo matches come first, then the closest ids and labels by
        rapidfuzz's WRatio (which also forgives reordered words).  Never raises on odd input.
        """
        text = (q or "").strip()[:MAX_QUERY]
        limit = max(1, min(int(limit), MAX_LIMIT))
        query = self._parse(text)
        if query is None:
            return []
        best: dict[str, tuple[tuple, SearchHit]] = {}
        self._label_stage(query, None, best)
        self._fuzzy_stage(query, None, best)
        hits = _ranked(best, limit)
        seen = {h.id for h in hits}
        if len(hits) < limit and len(fuzz_utils.default_process(text)) >= 3:
            found = process.extract(text, self._near_choices, scorer=fuzz.WRatio, processor=fuzz_utils.default_process,
                                    score_cutoff=_NEAR_CUTOFF, limit=limit * 8)
            for _choice, score, number in found:
                cid, field, matched, lang = self._near_refs[number]
                if cid in seen:
                    continue
                seen.add(cid)
                hits.append(self._hit(cid, TIER_TYPO, field, matched, _common_spans(text, matched),
                                      score / 100, lang))
                if len(hits) >= limit:
                    break
        return hits

    # -- stages --------------------------------------------------------------

    def _parse(self, q: str | None) -> _Query | None:
        text = (q or "").strip()
        if len(text) > MAX_QUERY:
            raise QueryError(f"query too long: {len(text)} characters (at most {MAX_QUERY})")
        zh = _compact(text)
        if not zh:
            return None  # blank, or punctuation only
        has_cjk = bool(_HAN.search(text))
        en_words = [w for w, _, _ in _words(text, singular=True)]
        zh_tokens = ()
        if has_cjk:
            zh_tokens = tuple(dict.fromkeys(t for t in (_compact(w) for w in jieba.lcut(text)) if t))
        return _Query(text, zh, "".join(en_words), _pinyin_query(text), has_cjk, zh_tokens,
                      tuple(dict.fromkeys(en_words)) if not has_cjk else ())

    def _allowed(self, cls: str | None, article: str | None) -> frozenset[str] | None:
        cls, article = cls or None, article or None
        if cls is not None and cls not in self._classes:
            raise QueryError(f"unknown class {cls[:60]!r}; try one of: {', '.join(sorted(self._classes))}")
        if article is not None and article not in self._articles:
            raise QueryError(f"unknown article {article[:60]!r}; try one of: {', '.join(sorted(self._articles))}")
        if cls is None and article is None:
            return None
        allowed = self._allowed_cache.get((cls, article))
        if allowed is None:
            allowed = frozenset(c.id for c in self.concepts.values()
                                if (cls is None or self.catalog.is_subclass(c.cls, cls))
                                and (article is None or c.article == article))
            self._allowed_cache[(cls, article)] = allowed
        return allowed

    def _hit(self, cid: str, tier: int, field: str, text: str, spans, score: float, lang: str) -> SearchHit:
        c = self.concepts[cid]
        later = any(isinstance(s, _LaterSpan) for s in spans)
        return SearchHit(c.id, c.iri, c.cls, c.label, tier, field, text, tuple(spans) if later else _merge(spans),
                         round(score, 4), lang)

    def _label_stage(self, query: _Query, allowed, best) -> None:
        for family, q in query.label_variants():
            for entry, i in self._labels.get(family, _EMPTY).first_matches(q, allowed):
                key = entry.folded.key
                kind = TIER_EXACT if len(q) == len(key) else TIER_PREFIX if i == 0 else TIER_SUBSTRING
                weight = _WEIGHT[family]
                tier, score = (TIER_ALT, _KIND_SCORE[kind] * weight) if entry.alt else (kind, weight)
                _offer(best, self._hit(entry.concept, tier, entry.field, entry.text,
                                       [entry.later_span(i, i + len(q))], score, entry.lang))

    def _fuzzy_stage(self, query: _Query, allowed, best) -> None:
        for family, q in query.fuzzy_variants():
            n = len(q)
            for length in range(max(_FUZZY_MIN, n - 1), min(n + 1, _FUZZY_MAX) + 1):
                bucket = self._windows.get((family, length))
                if bucket is None:
                    continue
                choices, offsets, flat = bucket
                for _window, distance, number in process.extract(q, choices, scorer=OSA.distance, score_cutoff=1,
                                                                  limit=None):
                    for packed in flat[offsets[number]:offsets[number + 1]]:
                        a, b = packed >> 10 & 1023, packed & 1023
                        entry = self._fuzzy_entries[packed >> 20]
                        if allowed is not None and entry.concept not in allowed:
                            continue
                        score = (1 - distance / max(n, length)) * _WEIGHT[family] * (0.9 if entry.alt else 1.0)
                        _offer(best, self._hit(entry.concept, TIER_TYPO, entry.field, entry.text,
                                               [entry.later_span(a, b)], score, entry.lang))

    def _text_stage(self, query: _Query, allowed, best) -> None:
        phrases = [("zh", query.zh)] + ([("en", query.en)] if query.en and not query.has_cjk else [])
        for family, q in phrases:
            if len(q) < 2 and not query.has_cjk:
                continue  # one Latin letter or digit says nothing about a definition
            found: dict[int, list[tuple[int, int]]] = {}
            docs = self._docs.get(family, _EMPTY)
            for number, i in docs.matches(q, allowed):
                spans = found.setdefault(number, [])
                if len(spans) < 8:
                    spans.append(docs.entries[number].span(i, i + len(q)))
            for number, spans in found.items():
                self._offer_text(best, docs.entries[number], spans, 1.0)
        for family, tokens in (("zh", query.zh_tokens), ("en", query.en_tokens)):
            if len(tokens) < 2:
                continue
            postings = sorted((self._postings.get((family, t), set()) for t in tokens), key=len)
            for number in sorted(set.intersection(*postings)):
                entry = self._docs.get(family, _EMPTY).entries[number]
                if allowed is not None and entry.concept not in allowed:
                    continue
                spans = [span for t in tokens for span in entry.tokens[t][:4]]
                self._offer_text(best, entry, spans, 0.5)

    def _offer_text(self, best, entry: _Entry, spans, score: float) -> None:
        text, spans = _snippet(entry.text, _merge(spans), entry.lang)
        _offer(best, self._hit(entry.concept, TIER_TEXT, entry.field, text, spans, score, entry.lang))


# -- helpers ---------------------------------------------------------------------


def _check_limit(limit: int) -> None:
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be an integer from 1 to {MAX_LIMIT}")


def _sort_key(hit: SearchHit) -> tuple:
    label = hit.label.get(hit.lang) or hit.label.zh or hit.label.en
    return (hit.tier, -hit.score, len(label), hit.id)


def _offer(best: dict, hit: SearchHit) -> None:
    """Keep the best hit per concept."""
    key = _sort_key(hit)
    known = best.get(hit.id)
    if known is None or key < known[0]:
        best[hit.id] = (key, hit)


def _ranked(best: dict, limit: int) -> list[SearchHit]:
    """The best ``limit`` hits, their label spans worked out now."""
    hits = [hit for _, hit in sorted(best.values(), key=lambda kv: kv[0])[:limit]]
    return [replace(hit, spans=_merge(s.resolve() if isinstance(s, _LaterSpan) else s for s in hit.spans))
            for hit in hits]


def _merge(spans) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((s, e) for s, e in out)


def _snippet(text: str, spans: tuple[tuple[int, int], ...], lang: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of a long definition around its first match, with the spans moved into it."""
    before, width = _SNIPPET.get(lang, _SNIPPET["zh"])
    if len(text) <= width or not spans:
        return text, spans
    start = max(0, spans[0][0] - before)
    if lang == "en" and start > 0:
        start = text.rfind(" ", 0, start) + 1
    end = min(len(text), start + width)
    if lang == "en" and end < len(text):
        space = text.find(" ", end)
        end = space if 0 <= space - end < 20 else end
    head = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    shift = len(head) - start
    kept = tuple((s + shift, e + shift) for s, e in spans if s >= start and e <= end)
    return head + text[start:end] + tail, kept


def _common_spans(query: str, text: str) -> list[tuple[int, int]]:
    """The parts of ``text`` that ``query`` shares with it (runs of 2+ characters, 1 for Chinese)."""
    low_q, low_t = query.lower(), text.lower()
    if len(low_t) != len(text):
        return []
    spans = []
    for op in Levenshtein.opcodes(low_q, low_t):
        if op.tag == "equal":
            chunk = text[op.dest_start:op.dest_end]
            if len(chunk.strip(" -_")) >= 2 or _HAN.search(chunk):
                spans.append((op.dest_start, op.dest_end))
    return spans


__all__ = ["MAX_LIMIT", "MAX_QUERY", "QueryError", "SearchHit", "SearchIndex", "TIER_ALT", "TIER_EXACT",
           "TIER_PREFIX", "TIER_SUBSTRING", "TIER_TEXT", "TIER_TYPO"]
