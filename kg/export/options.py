"""What an export can be asked for: the formats, the page presets, the themes and the options of one export,
and the error that says why an export cannot be made."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.catalog import Bilingual
from kg.i18n import pair
from kg.styles import LABEL_MODES

FORMATS = ("svg", "png", "pdf", "html")
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf", "html": "text/html"}
#: page sizes in inches: the picture is exactly this size, the drawing scaled to fit inside the margin
#: and centred on a white page (``none``: the drawing's own size)
PRESETS: dict[str, tuple[float, float] | None] = {
    "none": None,
    "slide": (13.333, 7.5),  # a 16:9 slide (PowerPoint's 13.333 × 7.5 in; 1280 × 720 px at 96 dpi)
    "a4": None,  # A4, portrait or landscape, whichever holds the drawing larger (kg.export.page.a4_orientation)
    "a4-portrait": (8.27, 11.69),
    "a4-landscape": (11.69, 8.27),
}
MARGIN_IN = {"slide": 0.3, "a4-portrait": 0.4, "a4-landscape": 0.4}  # A4: about 10 mm, inside printers' reach
THEMES = ("light", "print")
#: the line under a picture or an offline page that names the two source articles
SOURCE_LINE = Bilingual(*pair("source.line"))


class ExportError(ValueError):
    """The export cannot be made as asked; the message says why and what to do instead."""


@dataclass(frozen=True)
class ExportOptions:
    fmt: str = "svg"
    preset: str = "none"
    theme: str = "light"
    labels: str = "zh"
    title: bool | str = True  # True: the view's title; a string: that title; False: none
    legend: bool = True
    source: bool = True
    date: str | None = None  # printed as given (YYYY-MM-DD); None: no date
    dpi: int = 96  # PNG only; 300 for print
    scale: float = 1.0  # PNG only: multiplies dpi

    def check(self) -> "ExportOptions":
        if self.fmt not in FORMATS:
            raise ExportError(f"format must be one of {', '.join(FORMATS)}")
        if self.preset not in PRESETS:
            raise ExportError(f"preset must be one of {', '.join(PRESETS)}")
        if self.theme not in THEMES:
            raise ExportError(f"theme must be one of {', '.join(THEMES)}")
        check_labels(self.labels)
        if not 36 <= self.dpi <= 1200:
            raise ExportError("dpi must be between 36 and 1200")
        if not 0.1 <= self.scale <= 10:
            raise ExportError("scale must be between 0.1 and 10")
        if self.date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.date):
            raise ExportError("date must look like 2026-11-23")
        if isinstance(self.title, str) and len(self.title) > 200:
            raise ExportError("title is limited to 200 characters")
        return self

    @property
    def effective_dpi(self) -> float:
        return self.dpi * self.scale

    @property
    def lang(self) -> str:
        """The language of the texts around the graph (title, legend): en for English labels, else zh."""
        return "en" if self.labels == "en" else "zh"


def check_labels(labels: str) -> str:
    """``labels`` if it is a label mode (zh, en, both); :class:`ExportError` otherwise."""
    if labels not in LABEL_MODES:
        raise ExportError(f"labels must be one of {', '.join(LABEL_MODES)}")
    return labels


__all__ = ["FORMATS", "MARGIN_IN", "MEDIA_TYPES", "PRESETS", "SOURCE_LINE", "THEMES", "ExportError",
           "ExportOptions", "check_labels"]
