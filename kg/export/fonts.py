"""The fonts the pictures are drawn in: where fontconfig finds a family, and whether it covers every character.

Chinese is drawn with a named font (:data:`kg.styles.FONT`; Graphviz falls back to the Japanese variant of
Noto when left to itself): before drawing, :func:`check_font` makes sure that font is installed and covers
every character of every label, and stops with a clear message otherwise.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from kg.export.options import ExportError
from kg.i18n import Message
from kg.styles import FONT

#: text without any Chinese is drawn in a Latin font where the picture allows it (the tour handout): cairo
#: embeds a near-complete copy of Noto Sans CJK (about 0.9 MB a page) when some capital Latin letters are
#: drawn in it next to Chinese ones
LATIN_FONT = "DejaVu Sans"


@lru_cache(maxsize=4)
def font_file(family: str) -> str | None:
    """The file (and index in a collection, after a tab) fontconfig uses for ``family``, or None when that
    family is not installed."""
    if shutil.which("fc-match") is None:
        return None
    out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", family],
                         capture_output=True, text=True, timeout=10).stdout
    families, _, rest = out.partition("\t")
    path, _, index = rest.partition("\t")
    if family.lower() not in [f.strip().lower() for f in families.split(",")]:
        return None
    return f"{path}\t{index or 0}"


def has_font(family: str) -> bool:
    return font_file(family) is not None


def latin_font() -> str | None:
    """:data:`LATIN_FONT` when it is installed, else None (everything is then drawn in the CJK font)."""
    return LATIN_FONT if has_font(LATIN_FONT) else None


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a character that needs the CJK font (ideographs, CJK and full-width punctuation)."""
    return any("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"
               or "\u3000" <= ch <= "\u303f" for ch in text)


@lru_cache(maxsize=4)
def _font_cmap(family: str) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    found = font_file(family)
    if found is None:
        return frozenset()
    path, index = found.split("\t")
    if path.lower().endswith((".ttc", ".otc")):
        font = TTCollection(path, lazy=True).fonts[int(index or 0)]
    else:
        font = TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


def check_font(texts, family: str | None = None) -> None:
    """Stop with a clear message unless ``family`` is installed and covers every character of ``texts``."""
    family = family or FONT
    if font_file(family) is None:
        raise ExportError(Message("export.no_font", family=family))
    cmap = _font_cmap(family)
    missing = sorted({ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in cmap})
    if missing:
        shown = "".join(missing[:20])
        raise ExportError(Message("export.no_glyph", family=family, n=len(missing), shown=shown))


__all__ = ["LATIN_FONT", "check_font", "font_file", "has_cjk", "has_font", "latin_font"]
