"""Text folding: the keys search compares, made alike from labels, definitions and queries.

A text folds to its letters and digits (full-width to ASCII, accents and tone marks removed, case folded,
punctuation and spaces dropped), with where each word starts and ends; English plurals and American -ize
spellings fold too, on the text and on the query alike ("mechanisms" finds "mechanism").  A Chinese
measure word after a numeral folds to 个 and the numeral to its Chinese character (四种, 四项, 四大, 4个 → 四个),
so the forms a trainer types for a counted set find the set as the text names it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{HAN_CLASS}]")


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """Compatibility form (full-width → ASCII), accents and tone marks removed, case folded."""
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_IZE = ("ization", "izations", "ize", "izes", "ized", "izing", "izer", "izers")


@lru_cache(maxsize=65536)
def singular_word(word: str) -> str:
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


#: numerals that count a set, and the character each folds to (a digit only when it stands alone)
NUMERALS = {**dict(zip("0123456789", "零一二三四五六七八九")), "两": "二",
            **{c: c for c in "零一二三四五六七八九十"}}
#: measure words that may follow a numeral without changing what is counted: they fold to 个
MEASURE_WORDS = frozenset("个种项条类点大")
#: words that end in 一 and so are no numeral before a measure word (统一项目 keeps 项目)
_NOT_A_NUMERAL = frozenset("统唯同万单专划均逐")
_COUNTED = re.compile(f"[{''.join(NUMERALS)}][{''.join(MEASURE_WORDS)}]")


def fold_measure_words(key: str) -> str:
    """四种学习理念, 四项学习理念, 4个学习理念 → 四个学习理念: a lone numeral followed by a measure word
    becomes the Chinese numeral and 个.  Length is kept, character for character, so a key's
    positions still map to its text.  A numeral after another numeral is part of a larger number
    or a name (十六大 is the 16th Congress, 12项 twelve items) and is left alone, and so is the 一
    that ends a word (统一, 唯一)."""
    if not _COUNTED.search(key):
        return key
    chars = list(key)
    for m in _COUNTED.finditer(key):
        at = m.start()
        before = key[at - 1] if at else ""
        if before in NUMERALS or before == "." or (chars[at] == "一" and before in _NOT_A_NUMERAL):
            continue
        chars[at], chars[at + 1] = NUMERALS[chars[at]], "个"
    return "".join(chars)


@dataclass(frozen=True)
class Folded:
    key: str  # the text's letters and digits, folded, punctuation and spaces dropped
    pos: tuple[int, ...]  # key[i] comes from text[pos[i]:pos_end[i]]
    pos_end: tuple[int, ...]
    starts: frozenset[int]  # where words (or syllables) start in key
    ends: frozenset[int]  # where they end (exclusive)


_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def split_words(text: str, singular: bool = False) -> list[tuple[str, list[int], int]]:
    """Runs of letters and digits: (folded word, text index of each of its characters, text end).
    ASCII text takes a regular-expression path (folding ASCII is lower-casing): the same result,
    several times faster, which counts when a large vocabulary's definitions are indexed."""
    if HAN_RUN.fullmatch(text):  # Chinese characters fold to themselves and make one word
        return [(fold_measure_words(text), list(range(len(text))), len(text))]
    if text.isascii():
        out = []
        for m in _ASCII_WORD.finditer(text):
            word = m.group().lower()
            if singular:
                word = singular_word(word)
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
            word = fold_measure_words("".join(chars))
            if singular:
                word = singular_word(word)
            words.append((word, where[: len(word)], i))
            chars, where = [], []
    return words


def fold(text: str, singular: bool = False) -> Folded:
    key: list[str] = []
    pos: list[int] = []
    pos_end: list[int] = []
    starts, ends = set(), set()
    offset = 0
    for word, where, end in split_words(text, singular):
        starts.add(offset)
        key.append(word)
        pos.extend(where)
        pos_end.extend([p + 1 for p in where[:-1]] + [end])  # a folded plural still marks the whole word
        offset += len(word)
        ends.add(offset)
    return Folded("".join(key), tuple(pos), tuple(pos_end), frozenset(starts), frozenset(ends))


_PUNCTUATION = re.compile(r"[\W_]+")


def compact(text: str, singular: bool = False) -> str:
    """The text's folded letters and digits (what :func:`fold` keys), punctuation and spaces dropped.
    Chinese text with punctuation takes a regular-expression path: the same key, many times faster."""
    if not singular:
        stripped = _PUNCTUATION.sub("", text)
        if HAN_RUN.fullmatch(stripped):
            return fold_measure_words(stripped)
    return "".join(word for word, _, _ in split_words(text, singular))


def key_bits(text: str, singular: bool, vocabulary: set[str] | None = None) -> tuple[str, int, int]:
    """The folded key of a text and where its words start and end, as bit masks (an ASCII text,
    most English labels and definitions, takes a regular-expression path: same result, faster).
    ``vocabulary``, when given, collects the text's folded words."""
    if text.isascii():
        words = _ASCII_WORD.findall(text.lower())
        if singular:
            words = [singular_word(w) for w in words]
    else:
        words = [word for word, _where, _end in split_words(text, singular)]
    starts = ends = offset = 0
    for word in words:
        starts |= 1 << offset
        offset += len(word)
        ends |= 1 << offset
    if vocabulary is not None:
        vocabulary.update(words)
    return "".join(words), starts, ends
