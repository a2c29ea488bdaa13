"""What an export can be asked for: the formats, the page presets, the themes and the options of one export,
and the error that says why an export cannot be made."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.catalog import Bilingual
from kg.i18n import Explained, Message, pair
from kg.styles import LABEL_MODES

FORMATS = ("svg", "png", "pdf", "pptx", "html")
#: page sizes in inches: the picture is exactly this size, the drawing scaled to fit inside the margin
#: and centred on a white page (``none``: the drawing's own size)
PRESETS: dict[str, tuple[float, float] | None] = {
    "none": None,
    "slide": (13.333, 7.5),  # a 16:9 slide (PowerPoint's 13.333 × 7.5 in; 1280 × 720 px at 96 dpi)
    "a4": None,  # A4, portrait or landscape, whichever holds the drawing larger (kg.export.page.a4_orientation)
    "a4-portrait": (8.27, 11.69),
    "a4-landscape": (11.69, 8.27),
    "a3": None,  # posters, turned to the drawing like A4: where a whole view can be legible
    "a3-portrait": (11.69, 16.54),
    "a3-landscape": (16.54, 11.69),
    "a2": None,
    "a2-portrait": (16.54, 23.39),
    "a2-landscape": (23.39, 16.54),
}
#: the presets turned to the drawing: portrait or landscape, whichever holds it larger (kg.export.page.orientation)
TURNED = ("a4", "a3", "a2")
MARGIN_IN = {"slide": 0.3, "a4-portrait": 0.4, "a4-landscape": 0.4, "a3-portrait": 0.5, "a3-landscape": 0.5,
             "a2-portrait": 0.6, "a2-landscape": 0.6}  # A4: about 10 mm
#: the smallest a label may be on each page, in points on that page: 20 px on a 1280 × 720 slide (the
#: slide is 960 pt wide, so 15 pt; 30 px at 1920 × 1080 is the same size), 8 pt on paper; titles at
#: least TITLE_MIN_PT (slide: 24 pt = 32 px)
LABEL_MIN_PT = {"slide": 15.0, **{f"{p}-{o}": 8.0 for p in TURNED for o in ("portrait", "landscape")}}
TITLE_MIN_PT = {"slide": 24.0, **{f"{p}-{o}": 14.0 for p in TURNED for o in ("portrait", "landscape")}}
#: the pages from small to large, for the advice when a drawing does not fit
PAGE_ORDER = ("slide", "a4-portrait", "a4-landscape", "a3-portrait", "a3-landscape", "a2-portrait", "a2-landscape")
THEMES = ("light", "print")
#: the levels of detail one may ask for (kg.export.levels)
LEVEL_CHOICES = ("auto", "overview", "detail", "full")
#: the line under a picture or an offline page that names the two source articles
SOURCE_LINE = Bilingual(*pair("source.line"))


class ExportError(Explained, ValueError):
    """The export cannot be made as asked; the message (a :class:`~kg.i18n.Message`, ``problem.export.*``
    mostly) says why and what to do instead, in the user's language."""


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
    level: str = "auto"  # auto, overview, detail, full (kg.export.levels)
    concept: str | None = None  # the detail level: the layer, component or chain item shown

    def check(self) -> "ExportOptions":
        if self.fmt not in FORMATS:
            raise ExportError(_choice("format", self.fmt, FORMATS))
        if self.preset not in PRESETS:
            raise ExportError(_choice("preset", self.preset, PRESETS))
        if self.theme not in THEMES:
            raise ExportError(_choice("theme", self.theme, THEMES))
        check_labels(self.labels)
        if self.level not in LEVEL_CHOICES:
            raise ExportError(_choice("level", self.level, LEVEL_CHOICES))
        if not 36 <= self.dpi <= 1200:
            raise ExportError(Message("out_of_range", name="dpi", low=36, high=1200, value=self.dpi))
        if not 0.1 <= self.scale <= 10:
            raise ExportError(Message("out_of_range", name="scale", low=0.1, high=10, value=self.scale))
        if self.date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.date):
            raise ExportError(Message("export.date_form", value=self.date))
        if isinstance(self.title, str) and len(self.title) > 200:
            raise ExportError(Message("too_long_value", name="title", most=200))
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
        raise ExportError(_choice("labels", labels, LABEL_MODES))
    return labels


def _choice(name: str, value, known) -> Message:
    return Message("choice", name=name, value=value, known=", ".join(known))


__all__ = ["FORMATS", "LABEL_MIN_PT", "MARGIN_IN", "PAGE_ORDER", "PRESETS", "SOURCE_LINE", "THEMES",
           "TITLE_MIN_PT", "TURNED", "ExportError", "ExportOptions", "check_labels"]
