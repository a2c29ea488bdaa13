"""Search over the catalog: labels, pinyin, alternative labels, definitions and quotes.

One index serves the search page, the JSON API, the autocomplete box and the
"did you mean" list of the 404 page.  It is built once at load from the
catalog's data classes (no SPARQL, no HTTP); a query only walks precomputed,
normalised strings, never the triples.  The strings of each kind sit in one
haystack in rank order (see :class:`_Haystack`), so a search stops as soon as it
has the hits it will show: on a million-triple vocabulary a word found in tens of
thousands of labels costs about what a rare one does (``bench/scale.py``).

What a query can match, and the tier it lands in (lower is better):

0. exact label: the whole zh or en label, or the whole pinyin of the zh label
   (full, spaced or not, tone marks or numbers, or the initials)
1. label prefix: the label (or its pinyin) starts with the query
2. label substring: zh anywhere; en from a word start; pinyin from a syllable
3. alternative label (skos:altLabel), zh / en / pinyin: exact before prefix before substring
4. typo: a label, alt label or pinyin one edit away (rapidfuzz OSA: insertion, deletion,
   substitution or swap of neighbours); tried only when no label matches as typed;
   ranked by family (label, then pinyin), label before alt label, then label length
5. definition or quote: the query as a whole, or all its jieba / English words
   (Chinese words anywhere in the text, English words from a word start)

Within a tier hits are ordered by ``score`` (higher first), then shorter label,
then concept id, so the order is stable.  English is matched case-insensitively,
by word prefix and with plural folding ("mechanisms" finds "mechanism").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from array import array
import heapq
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import jieba
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
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
_FUZZY_MAX = 40  # longest window (typo tolerance on long phrases only adds noise)
_NEAR_CUTOFF = 75  # rapidfuzz WRatio (0..100) below which nearest() suggests nothing
_SNIPPET = {"zh": (20, 80), "en": (50, 180)}  # context before the first match, snippet length

_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{_HAN_CLASS}]")
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


_IZE = ("ization", "izations", "ize", "izes", "ized", "izing", "izer", "izers")


@lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    """An English word with a plural ending folded: mechanisms → mechanism, activities → activity.

    Hand-written: no declared dependency does English inflection, and a stemmer (snowball,
    Porter) would also cut "learning" to "learn" and "shared" to "share", which breaks
    prefix matching and highlighting.  American -ize spellings fold to British -ise (the labels'
    spelling), letter for letter, so highlights keep their places.  The same rule runs on the query
    and on the text, so it only needs to be consistent, not linguistically complete.
    """
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if len(word) >= 7 and word.endswith(_IZE):  # American spelling read as British: organization → organisation
        at = word.rfind("iz")
        word = word[:at] + "is" + word[at + 2:]
    if word.endswith(("ss", "us", "is")):
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


_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
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


_PUNCTUATION = re.compile(r"[\W_]+")
_CLASS_QUALIFIER = re.compile(r"\s*[（(][^）)]*[）)]")  # 学习机制(干) → 学习机制


def _compact(text: str, singular: bool = False) -> str:
    """The text's folded letters and digits (what :func:`_fold` keys), punctuation and spaces dropped.
    Chinese text with punctuation takes a regular-expression path: the same key, many times faster."""
    if not singular:
        stripped = _PUNCTUATION.sub("", text)
        if _HAN_RUN.fullmatch(stripped):
            return stripped
    return "".join(word for word, _, _ in _words(text, singular))


_MAX_PHRASE = 6  # longest dictionary phrase tried at a position (longer ones are rare idioms)


@lru_cache(maxsize=4096)
def _toneless(syllable: str) -> str:
    """A dictionary reading in pypinyin's ``Style.NORMAL`` spelling: zhòng → zhong, lǜ → lv."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", syllable):
        if ch == "\u0308":  # the diaeresis of ü
            if out and out[-1] == "u":
                out[-1] = "v"
        elif not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out).lower()


@lru_cache(maxsize=65536)
def _han_syllables(run: str) -> tuple[str, ...]:
    """Toneless pinyin of a run of Chinese characters, one syllable per character.

    The run is cut by forward maximum matching against pypinyin's own phrase dictionary
    (``PHRASES_DICT``, the one ``lazy_pinyin`` uses) and each phrase takes its dictionary reading,
    so polyphones read as in the word (重点 zhong, 长远 chang, 着眼 zhuo); other characters take their
    first reading.  Hand-written rather than calling ``lazy_pinyin`` (after jieba) for every label:
    the same dictionaries, about twenty times faster, which decides how long a large vocabulary
    takes to index (100k concepts: ~20 s → ~1 s).
    """
    out: list[str] = []
    i, n = 0, len(run)
    while i < n:
        longest = _PHRASE_HEADS.get(run[i:i + 2], 0)
        for j in range(min(n, i + longest), i + 1, -1):
            readings = PHRASES_DICT.get(run[i:j])
            if readings is not None and len(readings) == j - i:
                out.extend(_toneless(r[0]) for r in readings)
                i = j
                break
        else:
            reading = PINYIN_DICT.get(ord(run[i]))
            out.append(_toneless(reading.split(",", 1)[0]) if reading else "")
            i += 1
    return tuple(out)


_PHRASE_HEADS: dict[str, int] = {}  # first two characters of a dictionary phrase → its longest length
for _phrase in PHRASES_DICT:
    if len(_phrase) <= _MAX_PHRASE:
        _PHRASE_HEADS[_phrase[:2]] = max(_PHRASE_HEADS.get(_phrase[:2], 0), len(_phrase))
del _phrase

_PINYIN_RUN = re.compile(f"[{_HAN_CLASS}]+|[^\\W_{_HAN_CLASS}]+")


def _syllables(text: str) -> list[tuple[str, int, int]]:
    """(pinyin syllable, start, end) for each Chinese character of ``text``; letter and digit runs
    stay whole (folded).  Characters without a reading are left out."""
    out: list[tuple[str, int, int]] = []
    for m in _PINYIN_RUN.finditer(text):
        start = m.start()
        if _HAN.match(m.group()):
            out.extend((syl, start + k, start + k + 1) for k, syl in enumerate(_han_syllables(m.group())) if syl)
        else:
            folded = _compact(m.group())
            if folded:
                out.append((folded, start, m.end()))
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


_SYLLABLES = frozenset(_toneless(r) for readings in PINYIN_DICT.values() for r in readings.split(","))
_SYLLABLE_HEADS = frozenset(syl[:k] for syl in _SYLLABLES for k in range(1, len(syl) + 1))
_LONGEST_SYLLABLE = max(map(len, _SYLLABLES))
_SYLLABLE_ENDS = frozenset(syl[k:] for syl in _SYLLABLES for k in range(1, len(syl)))  # what a syllable may end with


@lru_cache(maxsize=1024)
def _could_be_pinyin(letters: str) -> bool:
    """Whether ``letters`` split into pinyin syllables, the last one perhaps unfinished (``zhongd``):
    a query that cannot (``mechanism``) is not looked for in the pinyin of labels."""
    n = len(letters)
    reach = [False] * (n + 1)
    reach[0] = True
    for i in range(n):
        if not reach[i]:
            continue
        if letters[i:] in _SYLLABLE_HEADS:
            return True
        for k in range(1, min(_LONGEST_SYLLABLE, n - i) + 1):
            if letters[i:i + k] in _SYLLABLES:
                reach[i + k] = True
    return reach[n]


def _could_be_mistyped_pinyin(letters: str) -> bool:
    """Whether one edit from pinyin could give ``letters``: one of the two pieces the typo search
    looks for (see :meth:`_Haystack.typo_walk`) must then be pinyin, the second perhaps starting
    inside a syllable -- after letters that end one (``sphere`` is not: no syllable ends in ``spher``)."""
    h = len(letters) // 2
    tail = letters[h + 1:]
    return _could_be_pinyin(letters[:h]) or any(
        _could_be_pinyin(tail[k:]) for k in range(min(_LONGEST_SYLLABLE, len(tail)))
        if k == 0 or tail[:k] in _SYLLABLE_ENDS)


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
    """One searchable string of one concept, made for the hits a search returns (the index itself
    keeps its strings in the flat tables of :class:`_Haystack`)."""

    concept: str
    field: str  # what a hit on it reports
    family: str  # zh (any position) | en (word starts) | py (syllable starts) | ini (initials)
    lang: str  # language of ``text``
    text: str

    def span(self, a: int, b: int) -> tuple[int, int]:
        """The text span of key[a:b], worked out from the text again (the index keeps no positions)."""
        folded = _full_fold(self.text, self.family, self.lang)
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


def _key_bits(text: str, singular: bool, vocabulary: set[str] | None = None) -> tuple[str, int, int]:
    """The folded key of a text and where its words start and end, as bit masks (an ASCII text,
    most English labels and definitions, takes a regular-expression path: same result, faster).
    ``vocabulary``, when given, collects the text's folded words."""
    if text.isascii():
        words = _ASCII_WORD.findall(text.lower())
        if singular:
            words = [_singular(w) for w in words]
    else:
        words = [word for word, _where, _end in _words(text, singular)]
    starts = ends = offset = 0
    for word in words:
        starts |= 1 << offset
        offset += len(word)
        ends |= 1 << offset
    if vocabulary is not None:
        vocabulary.update(words)
    return "".join(words), starts, ends


def _pinyin_bits(text: str) -> tuple[tuple[str, int, int], tuple[str, int, int]]:
    """The full pinyin key and the initials key of a Chinese text, each with its syllable starts and
    ends as bit masks (what :func:`_pinyin_keys` gives, without the character positions)."""
    full: list[str] = []
    initials: list[str] = []
    f_start = f_end = i_start = i_end = f_at = i_at = 0
    for syl, start, _end in _syllables(text):
        piece = syl[0] if _HAN.match(text[start]) else syl
        f_start |= 1 << f_at
        i_start |= 1 << i_at
        full.append(syl)
        initials.append(piece)
        f_at += len(syl)
        i_at += len(piece)
        f_end |= 1 << f_at
        i_end |= 1 << i_at
    return ("".join(full), f_start, f_end), ("".join(initials), i_start, i_end)


_EXACT, _PREFIX, _INNER, _ANY = range(4)  # what a walk looks for: the whole key, its start, later, anywhere


class _Haystack:
    """One kind of searchable string (say, the pinyin of preferred labels) of every concept, in rank order.

    The folded keys are joined by NUL into one string, sorted by the concept's label length and
    then id, which is the order :func:`_sort_key` gives hits of the same tier and score.  So one
    ``str.find`` walk meets the hits of a tier best first and can stop as soon as it has ``limit``
    concepts: a word shared by half of a million-triple vocabulary costs no more than a rare one.
    The whole key is found as ``NUL key NUL`` and a prefix as ``NUL q``.  Where a match must begin
    at a word or syllable start, the keys' word-start suffixes are joined the same way, so a match
    inside a label is again a ``NUL q`` find.  Keys hold letters and digits only, so no match runs
    across two entries; a bisect on the offsets maps a position back to its entry.

    Hand-written rather than a suffix-array, FM-index or full-text package: none is a declared
    dependency, and ``str.find`` over a few megabytes, stopped early, is well inside the search
    budget at a million triples (``bench/scale.py``).
    """

    def __init__(self, family: str, field: str, lang: str) -> None:
        self.family, self.field, self.lang = family, field, lang
        self.anywhere = family == "zh"
        self._rows: list[tuple] = []
        self.concepts: list[str] = []
        self.texts: list[str] = []
        self.start_bits: list[int] = []
        self.end_bits: list[int] = []
        self.offsets = array("I")  # key n is text[offsets[n]:offsets[n + 1] - 1]
        self.order = array("I")  # entry numbers by key, for the whole-key and prefix ranges
        self.text = "\x00"
        self.suffix_text = "\x00"  # later word-start suffixes of every key (not for ``anywhere`` families)
        self.suffix_offsets = array("I")
        self.suffix_entry = array("I")
        self.suffix_at = array("I")
        self.words: set[str] | list[str] = set()  # English documents: their words, sorted once frozen
        self.longest = 0  # the longest key: a longer query cannot match, and is not looked for
        self.ascii = True  # every key is ASCII: a query with other characters cannot match
        self.has_ascii = False  # some key holds ASCII letters or digits

    def can_hold(self, q: str, slack: int = 0) -> bool:
        """Whether a key could hold ``q`` (give or take ``slack`` characters): a cheap test that
        spares a walk over the whole haystack for a query of the wrong script or length."""
        if len(q) - slack > self.longest:
            return False
        if q.isascii():
            return self.has_ascii
        return not self.ascii

    def add(self, rank: tuple, concept: str, text: str, key: str, start_bits: int = 0, end_bits: int = 0) -> None:
        if key:
            self._rows.append((rank, concept, text, key, start_bits, end_bits))

    def freeze(self, suffixes: bool = True) -> None:
        self._rows.sort(key=lambda row: row[0])
        keys: list[str] = []
        at = 1
        for _rank, concept, text, key, start_bits, end_bits in self._rows:
            self.concepts.append(concept)
            self.texts.append(text)
            self.start_bits.append(start_bits)
            self.end_bits.append(end_bits)
            self.offsets.append(at)
            at += len(key) + 1
            keys.append(key)
        self.offsets.append(at)
        self._rows = []
        self.text = "\x00" + "\x00".join(keys) + "\x00"
        if suffixes:  # labels: whole-key and prefix matches (definitions and quotes are only walked)
            self.order = array("I", sorted(range(len(keys)), key=keys.__getitem__))
        self.longest = max(map(len, keys), default=0)
        self.words = sorted(self.words)
        self.ascii = self.text.isascii()
        self.has_ascii = self.ascii or bool(_ASCII_ALNUM.search(self.text))
        if suffixes and not self.anywhere:
            parts: list[str] = []
            at = 1
            for n, key in enumerate(keys):
                bits = self.start_bits[n] & ~1  # a match at the key's start is a prefix match (see _ranged)
                while bits:
                    low = bits & -bits
                    bits ^= low
                    i = low.bit_length() - 1
                    if i >= len(key):
                        break
                    self.suffix_offsets.append(at)
                    self.suffix_entry.append(n)
                    self.suffix_at.append(i)
                    parts.append(key[i:])
                    at += len(key) - i + 1
            self.suffix_offsets.append(at)
            self.suffix_text = "\x00" + "\x00".join(parts) + "\x00"
        if self.family == "ini" or not suffixes:
            self.end_bits = []  # only typo windows (zh, en, py labels) read word ends

    def __len__(self) -> int:
        return len(self.concepts)

    def key(self, n: int) -> str:
        return self.text[self.offsets[n]:self.offsets[n + 1] - 1]

    def key_length(self, n: int) -> int:
        return self.offsets[n + 1] - self.offsets[n] - 1

    def starts_at(self, n: int, i: int) -> bool:
        return self.anywhere or bool(self.start_bits[n] >> i & 1)

    def entry(self, n: int) -> _Entry:
        return _Entry(self.concepts[n], self.field, self.family, self.lang, self.texts[n])

    def walk(self, q: str, kind: int, allowed: frozenset[str] | None, limit: int):
        """(entry, index in its key) of the first match of each entry, in rank order, until ``limit``
        concepts are found (a generator: a caller may stop sooner).  ``_EXACT``: the whole key; ``_PREFIX``: its start (not the whole);
        ``_INNER``: later in the key (from a word start unless ``anywhere``); ``_ANY``: anywhere a
        match may begin."""
        if not self.can_hold(q):
            return
        if kind in (_EXACT, _PREFIX):
            yield from self._ranged(q, kind, allowed, limit)
            return
        suffix = kind == _INNER and not self.anywhere
        text = self.suffix_text if suffix else self.text
        needle = "\x00" + q if suffix else q
        skip = 1 if needle[0] == "\x00" else 0  # the match begins after the NUL
        offsets = self.suffix_offsets if suffix else self.offsets
        seen: set[int] = set()
        found: set[str] = set()
        p = text.find(needle)
        while p != -1:
            at = p + skip
            number = bisect_right(offsets, at) - 1
            if suffix:
                n, i = self.suffix_entry[number], self.suffix_at[number]
            else:
                n, i = number, at - offsets[number]
            p = text.find(needle, p + 1)
            if n in seen:
                continue
            if kind == _INNER and i == 0:
                continue
            if kind == _ANY and not self.starts_at(n, i):
                continue
            concept = self.concepts[n]
            if allowed is not None and concept not in allowed:
                continue
            seen.add(n)
            found.add(concept)
            yield n, i
            if len(found) >= limit:
                return

    def _ranged(self, q: str, kind: int, allowed, limit: int):
        """Whole-key or prefix matches: a bisect on the keys in sorted order gives the range, and
        the range's best ``4 × limit`` entries by rank usually suffice (all of it if not)."""
        lo = bisect_left(self.order, q, key=self.key)
        hi = (bisect_right(self.order, q, key=self.key) if kind == _EXACT
              else bisect_left(self.order, q + "\U0010ffff", key=self.key))
        if lo >= hi:
            return
        matches = self.order[lo:hi]
        first = 4 * limit + 16
        candidates = sorted(matches) if len(matches) <= first else heapq.nsmallest(first, matches)
        found: set[str] = set()
        for rounds in (0, 1):
            for n in candidates:
                if kind == _PREFIX and self.key_length(n) == len(q):
                    continue
                concept = self.concepts[n]
                if concept in found or (allowed is not None and concept not in allowed):
                    continue
                found.add(concept)
                yield n, 0
                if len(found) >= limit:
                    return
            if rounds or len(candidates) == len(matches):
                return
            candidates = sorted(matches)[len(candidates):]

    def typo_walk(self, q: str, allowed, limit: int):
        """(entry, start, end) of a key window one edit (OSA) from ``q``, in rank order, until ``limit``
        concepts; windows begin and end at word boundaries unless ``anywhere``.

        With ``h`` the middle of ``q``, one edit leaves ``q[:h]`` or ``q[h + 1:]`` intact (an edit
        before ``h``, or a swap across it, spares the second; one from ``h`` on spares the first),
        at most one character from where it stands in ``q``: so the windows to try are those
        around an occurrence of either piece.  Hand-written pigeonhole filtering rather
        than precomputing every window (the old way took a third of the index's build time and
        most of its memory on a large vocabulary); rapidfuzz's OSA checks each window.
        """
        if not self.can_hold(q, slack=1):
            return
        h = len(q) // 2
        streams = [self._piece_stream(q[:h], 0), self._piece_stream(q[h + 1:], h + 1)]
        found: set[str] = set()
        for entry, p, off in heapq.merge(*streams):
            concept = self.concepts[entry]
            if concept in found or (allowed is not None and concept not in allowed):
                continue
            window = self._typo_window(entry, q, p - off)
            if window is None:
                continue
            found.add(concept)
            yield entry, window[0], window[1]
            if len(found) >= limit:
                return

    def _piece_stream(self, piece: str, off: int):
        """(entry, position in key, offset in query) of every occurrence of ``piece``, in rank order."""
        text, offsets = self.text, self.offsets
        p = text.find(piece)
        while p != -1:
            number = bisect_right(offsets, p) - 1
            yield number, p - offsets[number], off
            p = text.find(piece, p + 1)

    def _typo_window(self, n: int, q: str, start: int) -> tuple[int, int] | None:
        key = self.key(n)
        size, length = len(key), len(q)
        starts = None if self.anywhere else self.start_bits[n]
        ends = None if self.anywhere else self.end_bits[n]
        for a in (start, start - 1, start + 1):
            if a < 0 or a >= size or (starts is not None and not starts >> a & 1):
                continue
            for b in (a + length, a + length + 1, a + length - 1):
                if b > size or b - a < _FUZZY_MIN or b - a > _FUZZY_MAX or (ends is not None and not ends >> b & 1):
                    continue
                if OSA.distance(q, key[a:b], score_cutoff=1) <= 1:
                    return a, b
        return None

    def occurrences(self, n: int, q: str, most: int) -> list[int]:
        """Where ``q`` may match in key ``n`` (from a word start unless ``anywhere``), at most ``most``."""
        key, out = self.key(n), []
        i = key.find(q)
        while i != -1 and len(out) < most:
            if self.starts_at(n, i):
                out.append(i)
            i = key.find(q, i + 1)
        return out

    def may_hold_words(self, words) -> bool:
        """False when some word begins none of the documents' words (English documents, which keep
        their vocabulary): then neither the phrase nor all its words can be found, and the walks
        over megabytes of definitions are spared.  True when there is no vocabulary to ask."""
        if not self.words:
            return True
        for word in words:
            i = bisect_left(self.words, word)
            if i == len(self.words) or not self.words[i].startswith(word):
                return False
        return True

    def with_all(self, words: list[str]):
        """Entries holding every one of ``words`` (where a match may begin), in rank order.

        A leapfrog join: each word's next entry at or after the current one is one ``str.find``
        from that entry's offset, so a word found nowhere ends the walk at once and rare words
        skip the entries that only hold common ones."""
        if not all(self.can_hold(word) for word in words):
            return
        total, n = len(self.concepts), 0
        while n < total:
            for word in words:
                m = self._next_with(word, n)
                if m is None:
                    return
                if m > n:
                    n = m
                    break
            else:
                yield n
                n += 1

    def _next_with(self, word: str, n: int) -> int | None:
        text, offsets = self.text, self.offsets
        p = text.find(word, offsets[n])
        while p != -1:
            e = bisect_right(offsets, p) - 1
            if self.starts_at(e, p - offsets[e]):
                return e
            p = text.find(word, p + 1)
        return None


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
            if _could_be_pinyin(self.py):
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
        if self.py and len(self.py) >= _FUZZY_MIN and _could_be_mistyped_pinyin(self.py):
            out.append(("py", self.py))
        return out


def _rank(c: Concept, lang: str) -> tuple[int, str]:
    """Where a concept's strings in ``lang`` sit in a haystack: :func:`_sort_key`'s label length, then id."""
    label = c.label.get(lang) or c.label.zh or c.label.en
    return (len(label), c.id)


class SearchIndex:
    """Built once by :meth:`build`; :meth:`search`, :meth:`suggest` and :meth:`nearest` only read it."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.concepts: dict[str, Concept] = catalog.concepts
        # (family, alt) → labels (alt=False) or alternative labels (alt=True)
        self._labels: dict[tuple[str, bool], _Haystack] = {
            ("zh", False): _Haystack("zh", "label", "zh"), ("en", False): _Haystack("en", "label", "en"),
            ("py", False): _Haystack("py", "pinyin", "zh"), ("ini", False): _Haystack("ini", "pinyin", "zh"),
            ("zh", True): _Haystack("zh", "altLabel", "zh"), ("en", True): _Haystack("en", "altLabel", "en"),
            ("py", True): _Haystack("py", "altLabel", "zh"), ("ini", True): _Haystack("ini", "altLabel", "zh"),
        }
        # (lang, field) → definitions and quotes
        self._docs: dict[tuple[str, str], _Haystack] = {
            ("zh", "definition"): _Haystack("zh", "definition", "zh"),
            ("en", "definition"): _Haystack("en", "definition", "en"),
            ("zh", "quote"): _Haystack("zh", "quote", "zh"),
        }
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
        for concept in catalog.concepts.values():
            index._add_concept(concept)
        for haystack in index._labels.values():
            haystack.freeze()
        for haystack in index._docs.values():
            haystack.freeze(suffixes=False)
        return index

    def _add_concept(self, c: Concept) -> None:
        self._classes.update(self.catalog.class_chain(c.cls))
        if c.article:
            self._articles.add(c.article)
        rank_zh, rank_en = _rank(c, "zh"), _rank(c, "en")
        labels = [("label", "zh", c.label.zh, False), ("label", "en", c.label.en, False)]
        labels += [("altLabel", lang, text, True) for lang in ("zh", "en") for text in c.alt.get(lang, [])]
        for field, lang, text, alt in labels:
            if not text:
                continue
            if lang == "zh":
                self._labels[("zh", alt)].add(rank_zh, c.id, text, _compact(text))
                full, initials = _pinyin_bits(text)
                if not alt:
                    self.sort_keys[c.id] = full[0]
                self._labels[("py", alt)].add(rank_zh, c.id, text, *full)
                self._labels[("ini", alt)].add(rank_zh, c.id, text, *initials)
            else:
                self._labels[("en", alt)].add(rank_en, c.id, text, *_key_bits(text, True))
            self._near_choices.append(text)
            self._near_refs.append((c.id, field, text, lang))
        self.sort_keys.setdefault(c.id, _compact(c.label.en or c.id))
        self._near_choices.append(c.id)
        self._near_refs.append((c.id, "id", c.id, "en"))
        if c.definition.zh:
            self._docs[("zh", "definition")].add(rank_zh, c.id, c.definition.zh, _compact(c.definition.zh))
        if c.definition.en:
            docs = self._docs[("en", "definition")]
            docs.add(rank_en, c.id, c.definition.en, *_key_bits(c.definition.en, True, docs.words))
        for quote in c.quotes:
            if quote.exact:
                self._docs[("zh", "quote")].add(rank_zh, c.id, quote.exact, _compact(quote.exact))

    def stats(self) -> dict[str, int]:
        return {
            "concepts": len(self.concepts),
            "label_keys": sum(len(v) for v in self._labels.values()),
            "documents": sum(len(v) for v in self._docs.values()),
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

    def classes_named(self, q: str) -> list[dict]:
        """The classes (facet entries) whose name the query is: 对策, remedies, learning mechanism, or
        the last word of a Chinese name (问题 → 存在的问题, 机制 → 学习机制), never a common first word
        (学习, 存在). A search for a class's name finds the concepts that mention it; the page also
        offers the class itself."""
        text = (q or "").strip()
        if not text or len(text) > 60:
            return []
        key = _compact(text, singular=True) if not _HAN.search(text) else text
        return [facet for facet, names in self._class_names if key in names]

    @cached_property
    def _class_names(self) -> list[tuple[dict, frozenset[str]]]:
        """Each class's facet entry and the names a query may give it (folded as a query is): its id,
        its English label, its Chinese label and that label's last word (of two characters or more),
        the label's qualifier dropped (学习机制(干) → 学习机制)."""
        out = []
        for facet in self.facets()["classes"]:
            if facet["id"] == "Concept":
                continue
            zh, en = (_CLASS_QUALIFIER.sub("", facet["label"][lang]) for lang in ("zh", "en"))
            last = (jieba.lcut(zh, HMM=False) or [""])[-1]
            names = {_compact(en, singular=True), _compact(facet["id"], singular=True), zh}
            out.append((facet, frozenset(names | ({last} if len(last) >= 2 else set())) - {""}))
        return out

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
        self._label_stage(query, allowed, best, limit)
        if not best:  # typos are forgiven only when no label matches as typed
            self._fuzzy_stage(query, allowed, best, limit)
        if len(best) < limit:  # a definition or quote hit ranks below every label hit: none would be shown
            self._text_stage(query, allowed, best, limit)
        return _ranked(best, limit)

    def suggest(self, q: str, limit: int = 10) -> list[SearchHit]:
        """Autocomplete: labels, alt labels and pinyin only, exact and prefix first; typos only if nothing else."""
        _check_limit(limit)
        query = self._parse(q)
        if query is None:
            return []
        best: dict[str, tuple[tuple, SearchHit]] = {}
        self._label_stage(query, None, best, limit)
        if not best:
            self._fuzzy_stage(query, None, best, limit)
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
        self._label_stage(query, None, best, limit)
        self._fuzzy_stage(query, None, best, limit)
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

    def _label_stage(self, query: _Query, allowed, best, limit: int) -> None:
        """Exact, then prefix, then substring label matches, then alternative labels.  Each walk stops
        at ``limit`` concepts, and once ``limit`` concepts have matched in a tier, no worse tier can
        change the answer, so none is walked."""
        variants = query.label_variants()
        for alt in (False, True):
            for kind, walk in ((TIER_EXACT, _EXACT), (TIER_PREFIX, _PREFIX), (TIER_SUBSTRING, _INNER)):
                for family, q in variants:
                    hay = self._labels[(family, alt)]
                    tier, score = (TIER_ALT, _KIND_SCORE[kind] * _WEIGHT[family]) if alt else (kind, _WEIGHT[family])
                    for n, i in hay.walk(q, walk, allowed, limit):
                        _offer(best, self._hit(hay.concepts[n], tier, hay.field, hay.texts[n],
                                               [hay.entry(n).later_span(i, i + len(q))], score, hay.lang))
                if not alt and len(best) >= limit:
                    return  # a tier of labels is full: no worse tier can change the answer

    def _fuzzy_stage(self, query: _Query, allowed, best, limit: int) -> None:
        """Label windows one edit from the query (see :meth:`_Haystack.typo_walk`).  Every such
        window is one edit away, so hits rank by family, label before alternative label, then the
        label's length; each walk stops at ``limit`` concepts."""
        for family, q in query.fuzzy_variants():
            if len(q) > _FUZZY_MAX + 1:
                continue
            for alt in (False, True):
                hay = self._labels[(family, alt)]
                score = (1 - 1 / len(q)) * _WEIGHT[family] * (0.9 if alt else 1.0)
                for n, a, b in hay.typo_walk(q, allowed, limit):
                    _offer(best, self._hit(hay.concepts[n], TIER_TYPO, hay.field, hay.texts[n],
                                           [hay.entry(n).later_span(a, b)], score, hay.lang))

    def _text_stage(self, query: _Query, allowed, best, limit: int) -> None:
        """Definitions and quotes holding the query as typed, then those holding all its words.

        A text hit ranks below every label hit, so only concepts not yet found can still make the
        answer: each walk stops once it has met as many new concepts as places are left, and the
        all-words pass runs only if the whole-query pass left places."""
        need = limit - len(best)
        phrase_found: set[str] = set()
        for (lang, _field), docs in self._docs.items():
            q = query.zh if lang == "zh" else query.en if not query.has_cjk else ""
            if not q or (len(q) < 2 and not query.has_cjk):
                continue  # one Latin letter or digit says nothing about a definition
            if lang == "en" and not docs.may_hold_words(query.en_tokens):
                continue
            found: set[str] = set()
            for n, i in docs.walk(q, _ANY, allowed, len(docs) + 1):
                concept = docs.concepts[n]
                if concept in best and concept not in phrase_found:
                    continue
                entry = docs.entry(n)
                spans = [entry.span(j, j + len(q)) for j in docs.occurrences(n, q, 8)]  # the first is i
                self._offer_text(best, entry, spans, 1.0)
                found.add(concept)
                if len(found) >= need:
                    break
            phrase_found |= found
        if len(phrase_found) >= need:
            return
        for lang, tokens in (("zh", query.zh_tokens), ("en", query.en_tokens)):
            if len(tokens) < 2:
                continue
            for (doc_lang, _field), docs in self._docs.items():
                if doc_lang != lang:
                    continue
                if not docs.may_hold_words(tokens):
                    continue
                found = set()
                for n in docs.with_all(sorted(tokens, key=len, reverse=True)):  # the longest is likeliest rare
                    concept = docs.concepts[n]
                    if (concept in best and concept not in phrase_found) or concept in found:
                        continue
                    if allowed is not None and concept not in allowed:
                        continue
                    entry = docs.entry(n)
                    spans = [entry.span(j, j + len(t)) for t in tokens for j in docs.occurrences(n, t, 4)]
                    self._offer_text(best, entry, spans, 0.5)
                    found.add(concept)
                    if len(found) >= need:
                        break

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
