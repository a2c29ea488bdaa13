"""Hits and their ranking: what a search returns, the order it returns them in, and snippets.

A hit reports the tier it landed in (lower is better, see :mod:`kg.search.index`), the field that matched, the
matched text and the spans to highlight in it.  Within a tier hits are ordered by ``score`` (higher
first), then shorter label, then concept id, so the order is stable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from kg.catalog import Bilingual
from kg.search.folding import HAN, Folded, fold
from kg.search.pinyin import pinyin_keys

FIELDS = ("label", "altLabel", "pinyin", "definition", "quote")

TIER_EXACT, TIER_PREFIX, TIER_SUBSTRING, TIER_ALT, TIER_TYPO, TIER_TEXT = range(6)
TIER_NAMES = ("exact", "prefix", "substring", "altLabel", "typo", "text")

_SNIPPET = {"zh": (20, 80), "en": (50, 180)}  # context before the first match, snippet length


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


@dataclass(frozen=True)
class Entry:
    """One searchable string of one concept, made for the hits a search returns (the index itself
    keeps its strings in the flat tables of :class:`Haystack`)."""

    concept: str
    field: str  # what a hit on it reports
    family: str  # zh (any position) | en (word starts) | py (syllable starts) | ini (initials)
    lang: str  # language of ``text``
    text: str

    def span(self, a: int, b: int) -> tuple[int, int]:
        """The text span of key[a:b], worked out from the text again (the index keeps no positions)."""
        folded = _full_fold(self.text, self.family, self.lang)
        return folded.pos[a], folded.pos_end[b - 1]

    def later_span(self, a: int, b: int) -> "LaterSpan":
        return LaterSpan(self, a, b)


@dataclass(frozen=True)
class LaterSpan:
    """A label span worked out only if its hit is among those returned (see :func:`ranked`)."""

    entry: "Entry"
    a: int
    b: int

    def resolve(self) -> tuple[int, int]:
        return self.entry.span(self.a, self.b)


@lru_cache(maxsize=4096)
def _full_fold(text: str, family: str, lang: str) -> Folded:
    if family == "py":
        return pinyin_keys(text)[0]
    if family == "ini":
        return pinyin_keys(text)[1]
    return fold(text, singular=lang == "en")


def sort_key(hit: SearchHit) -> tuple:
    label = hit.label.get(hit.lang) or hit.label.zh or hit.label.en
    return (hit.tier, -hit.score, len(label), hit.id)


def offer(best: dict, hit: SearchHit) -> None:
    """Keep the best hit per concept."""
    key = sort_key(hit)
    known = best.get(hit.id)
    if known is None or key < known[0]:
        best[hit.id] = (key, hit)


def ranked(best: dict, limit: int) -> list[SearchHit]:
    """The best ``limit`` hits, their label spans worked out now."""
    hits = [hit for _, hit in sorted(best.values(), key=lambda kv: kv[0])[:limit]]
    return [replace(hit, spans=merge(s.resolve() if isinstance(s, LaterSpan) else s for s in hit.spans))
            for hit in hits]


def merge(spans) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((s, e) for s, e in out)


def snippet(text: str, spans: tuple[tuple[int, int], ...], lang: str) -> tuple[str, tuple[tuple[int, int], ...]]:
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


def common_spans(query: str, text: str) -> list[tuple[int, int]]:
    """The parts of ``text`` that ``query`` shares with it (runs of 2+ characters, 1 for Chinese)."""
    low_q, low_t = query.lower(), text.lower()
    if len(low_t) != len(text):
        return []
    spans = []
    for op in Levenshtein.opcodes(low_q, low_t):
        if op.tag == "equal":
            chunk = text[op.dest_start:op.dest_end]
            if len(chunk.strip(" -_")) >= 2 or HAN.search(chunk):
                spans.append((op.dest_start, op.dest_end))
    return spans
