"""Where Chinese (and mixed) labels may break into lines: between words, never inside a number or a
Latin word, never before a closing mark or a pause, never after an opening mark (禁则).

:func:`wrap_zh` makes the lines of the static exports and the handouts; :func:`atoms` gives the pieces
to the browser, whose graph views fill lines to the width of each node (``wrapAtoms`` in the scripts).
Jieba finds the words.
"""

from __future__ import annotations

import re
from functools import lru_cache


#: a line never starts with these (closing marks, pauses, stops) ...
_NO_LINE_START = set("，。、；：？！）》」』】〕”’,.;:?!)]}%％…·・～—")
#: ... and never ends with these (opening marks)
_NO_LINE_END = set("（《「『【〔“‘([{")
_MARKS = "".join(sorted(_NO_LINE_START | _NO_LINE_END))
_UNBREAKABLE = re.compile(r"[0-9A-Za-z]+(?:[.,:/·-][0-9A-Za-z]+)*%?")  # 47.8, 2026-11-23, 45231, PDCA


@lru_cache(maxsize=65536)
def atoms(text: str) -> tuple[str, ...]:
    """The pieces a line may break between: jieba's words (without its HMM guesses), with numbers and
    Latin runs kept whole (jieba cuts 47.8 into 47 . 8), closing marks held to the piece before them and
    opening marks to the piece after (the Chinese line-breaking rules, 禁则), and a number to a short
    unit after it. Cached: a graph page asks for the same labels again and again (jieba takes about
    30 µs a label)."""
    import jieba

    pieces: list[str] = []
    at = 0
    for m in _UNBREAKABLE.finditer(text):
        pieces += jieba.lcut(text[at:m.start()], HMM=False) if m.start() > at else []
        pieces.append(m.group())
        at = m.end()
    pieces += jieba.lcut(text[at:], HMM=False) if at < len(text) else []
    out: list[str] = []
    pending = ""  # opening marks waiting for the next piece
    for piece in pieces:
        if piece.isspace():
            if out and not pending:
                out[-1] += piece
            continue
        if out and not pending and (piece[0] in _NO_LINE_START or (
                len(piece) <= 2 and not piece.isascii() and out[-1][-1:].isdigit())):  # 47.8 亿元, 219 万
            out[-1] += piece
        elif piece[-1] in _NO_LINE_END:
            pending += piece
        else:
            out.append(pending + piece)
            pending = ""
    if pending:
        if out:
            out[-1] += pending
        else:
            out.append(pending)
    return tuple(out)


def _width(text: str) -> float:
    """Display width in Chinese characters: Latin letters, digits and spaces count half."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


_PAUSES = tuple("，。、；：？！,;:?!")


def wrap_zh(text: str, width: int = 9) -> list[str]:
    """Chinese (or mixed) text in lines of about ``width`` characters, broken only between words: never
    inside a number (47.8亿元) or a Latin word, never before a closing mark or a pause (、，。”) and
    never after an opening one (“《); where a line holds a pause in its second half, it breaks after
    the pause. A piece wider than a line gets a line of its own; a Chinese piece wider than that is cut.

    Hand-written: no declared dependency breaks Chinese lines (``textwrap`` knows spaces only)."""
    if width < 1:
        raise ValueError(f"a line must hold at least one character, not {width}")
    lines: list[str] = []
    line: list[str] = []  # the atoms of the line being filled

    def flush(upto: int) -> None:
        lines.append("".join(line[:upto]).strip())
        del line[:upto]

    for atom in atoms(text.strip()):
        while _width(atom) > width + 2 and not _UNBREAKABLE.fullmatch(atom.strip().strip(_MARKS)):
            if line:
                flush(len(line))
            cut = width
            while cut < len(atom) and atom[cut] in _NO_LINE_START:
                cut += 1
            lines.append(atom[:cut])
            atom = atom[cut:]
        if line and _width("".join(line) + atom.rstrip()) > width:
            at = len(line)
            for i in range(len(line), 0, -1):  # a pause in the second half of the line: break after it
                if line[i - 1].rstrip().endswith(_PAUSES) and _width("".join(line[:i])) >= width / 2:
                    at = i
                    break
            flush(at)
        line.append(atom)
    if "".join(line).strip():
        flush(len(line))
    return lines or [""]


__all__ = ["atoms", "wrap_zh"]
