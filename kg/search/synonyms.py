"""Synonyms: the words a trainer may type for the words the graph uses, in one table.

Each group holds words that name the same thing in this graph's field, the graph's own word first.
A query holding one of them is also looked for with each other word of its group (see
:func:`synonym_texts`); the index keeps every text's own words, so a word typed half-way still
finds the words it begins and a hit highlights the word the text uses.  English words are compared
folded as the index folds them (lower case, plural folded: "countermeasures" is "countermeasure"),
Chinese ones as written.

Left out on purpose: "measure" (the text's "measure" is mostly the verb, "hard to measure and
assess", and "incentive measures" is a concept of its own, not a remedy), "practice" and "method"
(two classes of the ontology), 措施 (激励措施 is a concept of its own, not a 对策).
"""

from __future__ import annotations

import re
from itertools import product

from kg.search.folding import singular_word

#: English groups: remedies are also called countermeasures, problems issues, significance importance;
#: and a count written as a word or as a figure ("four learning ideas", "4 learning ideas")
GROUPS_EN: tuple[tuple[str, ...], ...] = (
    ("remedy", "countermeasure"),
    ("problem", "issue"),
    ("significance", "importance"),
    *((word, str(n)) for n, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), start=1)),
)
#: Chinese groups, matched as written anywhere in the query: 模型 is also called 模式 (钟楼模式), 重要意义 重要性
GROUPS_ZH: tuple[tuple[str, ...], ...] = (
    ("模型", "模式"),
    ("重要意义", "重要性"),
)
#: at most this many rewritten queries for one query (each is one more walk over the labels)
MOST_VARIANTS = 8

_EN = {word: group for group in GROUPS_EN for word in group}
_ZH = re.compile("|".join(sorted((re.escape(w) for g in GROUPS_ZH for w in g), key=len, reverse=True)))
_ZH_GROUP = {word: group for group in GROUPS_ZH for word in group}
_WORD = re.compile(r"[A-Za-z0-9]+")
_COUNTS = frozenset(group for group in GROUPS_EN if group[1].isdigit())


def synonym_texts(text: str) -> list[str]:
    """The query rewritten with the other words of each synonym group it holds, at most
    :data:`MOST_VARIANTS` of them, the query itself left out: ``"countermeasures"`` →
    ``["remedy"]``, ``"钟楼模式"`` → ``["钟楼模型"]``.  English words are looked up in an English
    query, Chinese ones in a query with Chinese characters."""
    if _ZH.search(text):
        pieces, choices = _split(text, _ZH, lambda m: _ZH_GROUP[m.group()])
    elif text.isascii():
        pieces, choices = _split(text, _WORD, lambda m: _en_group(m, text))
    else:
        return []
    if not choices:
        return []
    out: list[str] = []
    for picked in product(*choices):
        rewritten = "".join(piece if i % 2 == 0 else picked[i // 2] for i, piece in enumerate(pieces))
        if rewritten != text and rewritten not in out:
            out.append(rewritten)
            if len(out) >= MOST_VARIANTS:
                break
    return out


def _en_group(m: re.Match, text: str) -> tuple[str, ...] | None:
    """The group of an English word; a count ("4", "four") only before a word that is no count
    ("4 learning ideas", not "1=1" or "alert(1)"): a figure alone says nothing of what it counts."""
    word = singular_word(m.group().lower())
    group = _EN.get(word)
    if group is not None and group in _COUNTS:
        after = _WORD.search(text, m.end())
        if after is None or not after.group().isalpha() or after.group().lower() in _EN:
            return None
    return group


def _split(text: str, pattern: re.Pattern, group_of) -> tuple[list[str], list[tuple[str, ...]]]:
    """The text cut at each word ``group_of`` knows (even pieces: text between; odd: the word), and for
    each such word its choices (the word as typed first)."""
    pieces: list[str] = []
    choices: list[tuple[str, ...]] = []
    at = 0
    for m in pattern.finditer(text):
        group = group_of(m)
        if not group:
            continue
        pieces += [text[at:m.start()], m.group()]
        choices.append((m.group(), *(w for w in group if w != _fold(m.group()))))
        at = m.end()
    pieces.append(text[at:])
    return pieces, choices


def _fold(word: str) -> str:
    return singular_word(word.lower()) if word.isascii() else word
