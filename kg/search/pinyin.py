"""Pinyin: the toneless pinyin of Chinese labels (full and initials) and whether a query can be pinyin.

Readings come from pypinyin's own dictionaries, phrases first, so polyphones read as in the word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

from kg.search.folding import HAN, HAN_CLASS, Folded, compact

_TONE_NUMBERED = re.compile(r"(?:[a-z]+[1-5])+[a-z]*")

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

_PINYIN_RUN = re.compile(f"[{HAN_CLASS}]+|[^\\W_{HAN_CLASS}]+")


def _syllables(text: str) -> list[tuple[str, int, int]]:
    """(pinyin syllable, start, end) for each Chinese character of ``text``; letter and digit runs
    stay whole (folded).  Characters without a reading are left out."""
    out: list[tuple[str, int, int]] = []
    for m in _PINYIN_RUN.finditer(text):
        start = m.start()
        if HAN.match(m.group()):
            out.extend((syl, start + k, start + k + 1) for k, syl in enumerate(_han_syllables(m.group())) if syl)
        else:
            folded = compact(m.group())
            if folded:
                out.append((folded, start, m.end()))
    return out


def pinyin_keys(text: str) -> tuple[Folded, Folded]:
    """The full pinyin key (gongtongyuanjing) and the initials key (gtyj) of a Chinese text."""
    full, initials = ([], [], [], set(), set()), ([], [], [], set(), set())
    for syl, start, end in _syllables(text):
        part = syl[0] if HAN.match(text[start]) else syl
        for (key, pos, pos_end, starts, ends), piece in ((full, syl), (initials, part)):
            offset = sum(map(len, key))
            starts.add(offset)
            key.append(piece)
            pos.extend([start] * len(piece))
            pos_end.extend([end] * len(piece))
            ends.add(offset + len(piece))
    return tuple(Folded("".join(k), tuple(p), tuple(pe), frozenset(s), frozenset(e))
                 for k, p, pe, s, e in (full, initials))


_SYLLABLES = frozenset(_toneless(r) for readings in PINYIN_DICT.values() for r in readings.split(","))
_SYLLABLE_HEADS = frozenset(syl[:k] for syl in _SYLLABLES for k in range(1, len(syl) + 1))
_LONGEST_SYLLABLE = max(map(len, _SYLLABLES))
_SYLLABLE_ENDS = frozenset(syl[k:] for syl in _SYLLABLES for k in range(1, len(syl)))  # what a syllable may end with


@lru_cache(maxsize=1024)
def could_be_pinyin(letters: str) -> bool:
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


def could_be_mistyped_pinyin(letters: str) -> bool:
    """Whether one edit from pinyin could give ``letters``: one of the two pieces the typo search
    looks for (see :meth:`Haystack.typo_walk`) must then be pinyin, the second perhaps starting
    inside a syllable -- after letters that end one (``sphere`` is not: no syllable ends in ``spher``)."""
    h = len(letters) // 2
    tail = letters[h + 1:]
    return could_be_pinyin(letters[:h]) or any(
        could_be_pinyin(tail[k:]) for k in range(min(_LONGEST_SYLLABLE, len(tail)))
        if k == 0 or tail[:k] in _SYLLABLE_ENDS)


def pinyin_query(text: str) -> str | None:
    """The query as pinyin letters (ü → v, tones and spaces gone), or None if it cannot be pinyin."""
    text = text.replace("ü", "v").replace("Ü", "v").replace("u:", "v").replace("U:", "v")
    folded = compact(text)
    if not folded or not folded.isascii() or not folded.isalnum():
        return None
    if _TONE_NUMBERED.fullmatch(folded):  # gong4tong2 → gongtong
        folded = re.sub(r"[1-5]", "", folded)
    return folded


def pinyin_bits(text: str) -> tuple[tuple[str, int, int], tuple[str, int, int]]:
    """The full pinyin key and the initials key of a Chinese text, each with its syllable starts and
    ends as bit masks (what :func:`pinyin_keys` gives, without the character positions)."""
    full: list[str] = []
    initials: list[str] = []
    f_start = f_end = i_start = i_end = f_at = i_at = 0
    for syl, start, _end in _syllables(text):
        piece = syl[0] if HAN.match(text[start]) else syl
        f_start |= 1 << f_at
        i_start |= 1 << i_at
        full.append(syl)
        initials.append(piece)
        f_at += len(syl)
        i_at += len(piece)
        f_end |= 1 << f_at
        i_end |= 1 << i_at
    return ("".join(full), f_start, f_end), ("".join(initials), i_start, i_end)

