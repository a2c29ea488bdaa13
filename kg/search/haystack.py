"""The haystack: one kind of searchable string of every concept, in rank order, and the walks over it."""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left, bisect_right

from rapidfuzz.distance import OSA

from kg.search.folding import ASCII_ALNUM
from kg.search.hits import Entry

FUZZY_MIN = 4  # shortest label window a typo may be forgiven in (zh: the query may then be 3 characters)
FUZZY_MAX = 40  # longest window (typo tolerance on long phrases only adds noise)
EXACT, PREFIX, INNER, ANY = range(4)  # what a walk looks for: the whole key, its start, later, anywhere


class Haystack:
    """One kind of searchable string (say, the pinyin of preferred labels) of every concept, in rank order.

    The folded keys are joined by NUL into one string, sorted by the concept's label length and
    then id, which is the order :func:`sort_key` gives hits of the same tier and score.  So one
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
        self.has_ascii = self.ascii or bool(ASCII_ALNUM.search(self.text))
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

    def entry(self, n: int) -> Entry:
        return Entry(self.concepts[n], self.field, self.family, self.lang, self.texts[n])

    def walk(self, q: str, kind: int, allowed: frozenset[str] | None, limit: int):
        """(entry, index in its key) of the first match of each entry, in rank order, until ``limit``
        concepts are found (a generator: a caller may stop sooner).  ``EXACT``: the whole key; ``PREFIX``: its start (not the whole);
        ``INNER``: later in the key (from a word start unless ``anywhere``); ``ANY``: anywhere a
        match may begin."""
        if not self.can_hold(q):
            return
        if kind in (EXACT, PREFIX):
            yield from self._ranged(q, kind, allowed, limit)
            return
        suffix = kind == INNER and not self.anywhere
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
            if kind == INNER and i == 0:
                continue
            if kind == ANY and not self.starts_at(n, i):
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
        hi = (bisect_right(self.order, q, key=self.key) if kind == EXACT
              else bisect_left(self.order, q + "\U0010ffff", key=self.key))
        if lo >= hi:
            return
        matches = self.order[lo:hi]
        first = 4 * limit + 16
        candidates = sorted(matches) if len(matches) <= first else heapq.nsmallest(first, matches)
        found: set[str] = set()
        for rounds in (0, 1):
            for n in candidates:
                if kind == PREFIX and self.key_length(n) == len(q):
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
                if b > size or b - a < FUZZY_MIN or b - a > FUZZY_MAX or (ends is not None and not ends >> b & 1):
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
