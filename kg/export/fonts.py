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
from kg.styles import FONT


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
        raise ExportError(f"the font {family!r} is not installed, so Chinese labels would be drawn as boxes; "
                          "install it (Debian: apt-get install fonts-noto-cjk) and try again")
    cmap = _font_cmap(family)
    missing = sorted({ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in cmap})
    if missing:
        shown = "".join(missing[:20])
        raise ExportError(f"the font {family!r} has no glyph for {len(missing)} character(s): {shown}")


__all__ = ["check_font", "font_file", "has_font"]
