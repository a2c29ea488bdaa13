"""The interface's words: one catalogue (``web/i18n/ui.yaml``), every entry in zh-CN and en by a stable key.

``t("graph.fit", "en")`` gives one text; ``{name}`` values are filled in from keyword arguments, and a text
that counts (``{one: ..., other: ...}``) picks its form by ``n``.  An unknown key raises :class:`UnknownText`,
so a typo fails at once instead of showing a blank.  The templates reach the catalogue through
``api/templating.py`` (``ui('key')``), the page scripts through a JSON island of :func:`texts`.
"""

from __future__ import annotations

from functools import lru_cache
import yaml

from kg import resources

LANGS = ("zh", "en")
PLURAL = ("one", "other")
#: the catalogue sections each page script reads (web/static/js/<name>-1.js)
SCRIPT_TEXTS = {"graph": ("graph.status", "graph.panel", "article"), "tour": ("tour", "quote")}

Text = str | dict[str, str]  # a plain text, or a count's forms {"one": ..., "other": ...}


class UnknownText(KeyError):
    """A key that is not in the catalogue."""


def _flatten(tree: dict, prefix: str = "") -> dict[str, dict[str, Text]]:
    entries: dict[str, dict[str, Text]] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if not isinstance(value, dict):
            raise ValueError(f"ui.yaml: {key} is neither a section nor a zh / en entry")
        if set(value) == set(LANGS):
            for lang in LANGS:
                text = value[lang]
                if not (isinstance(text, str) or (isinstance(text, dict) and set(text) == set(PLURAL))):
                    raise ValueError(f"ui.yaml: {key}.{lang} must be a text or {{one, other}}")
            entries[key] = value
        else:
            entries.update(_flatten(value, key + "."))
    return entries


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, Text]]:
    """key → {"zh": text, "en": text}, read once."""
    with resources.ui_catalogue().open(encoding="utf-8") as f:
        return _flatten(yaml.safe_load(f))


def pattern(key: str, lang: str, n: int | None = None) -> str:
    """The text of ``key`` in ``lang`` (zh unless en), its ``{name}`` values not filled in; ``n`` picks the
    form of a text that counts (and is required for one)."""
    try:
        text = catalogue()[key]["en" if lang == "en" else "zh"]
    except KeyError:
        raise UnknownText(key) from None
    if isinstance(text, dict):
        if n is None:
            raise ValueError(f"{key} counts something: give n")
        return text["one" if n == 1 else "other"]
    return text


def t(key: str, lang: str, **values) -> str:
    """The text of ``key`` in ``lang`` with its values filled in."""
    return pattern(key, lang, values.get("n")).format(**values)


class Message:
    """A message a user meets (an error), not yet put into a language: its ``code`` names the catalogue entry
    ``problem.<code>`` and is the stable, machine-readable ``code`` of a JSON error; ``values`` fill it in.
    An unknown code raises :class:`UnknownText` at once."""

    __slots__ = ("code", "values")

    def __init__(self, code: str, **values) -> None:
        if f"problem.{code}" not in catalogue():  # fails now on a typo, not when the message is shown
            raise UnknownText(f"problem.{code}")
        self.code, self.values = code, values

    def text(self, lang: str) -> str:
        """The message in ``lang``: a value that is itself a :class:`Message` or :class:`Term` (a phrase of
        the advice) is put into ``lang`` too, as is a :class:`kg.catalog.Bilingual` (anything with
        ``zh`` and ``en``)."""
        return t(f"problem.{self.code}", lang, **{k: _in(v, lang) for k, v in self.values.items()})

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Message({self.code!r}, **{self.values!r})"


class Term:
    """A word of the catalogue by its full key (``export.choice.preset.a4``), a value of a :class:`Message`
    put into the message's language."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        if key not in catalogue():  # fails now on a typo
            raise UnknownText(key)
        self.key = key

    def text(self, lang: str) -> str:
        return t(self.key, lang)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Term({self.key!r})"


def _in(value, lang: str):
    if isinstance(value, (Message, Term)):
        return value.text(lang)
    if hasattr(value, "zh") and hasattr(value, "en") and not isinstance(value, str):
        return value.en if lang == "en" else value.zh
    return value


class Explained(Exception):
    """An error whose text a user meets: ``message`` (a :class:`Message`, or a plain developer text not yet in
    the catalogue), ``extra`` what the answer carries beside it (candidates, suggestions).  ``str()`` is the
    English text, for logs and the command line's English."""

    def __init__(self, message: "str | Message", **extra) -> None:
        super().__init__(str(message))
        self.message = message
        self.extra = extra

    def __str__(self) -> str:
        return str(self.message)

    def text(self, lang: str) -> str:
        """The message in ``lang`` (a plain text as it is)."""
        return self.message.text(lang) if isinstance(self.message, Message) else str(self.message)

    @property
    def code(self) -> str | None:
        return self.message.code if isinstance(self.message, Message) else None


def pair(key: str) -> tuple[str, str]:
    """``key`` in zh and en (for :class:`kg.catalog.Bilingual`)."""
    return t(key, "zh"), t(key, "en")


def texts(lang: str, *sections: str) -> dict[str, Text]:
    """Every text under these sections (``"tour"`` takes ``tour.*``), for a page script."""
    side = "en" if lang == "en" else "zh"
    prefixes = tuple(f"{s}." for s in sections)
    return {key: entry[side] for key, entry in catalogue().items() if key.startswith(prefixes)}


def script_texts(script: str, lang: str) -> dict[str, Text]:
    """The texts page script ``script`` writes (:data:`SCRIPT_TEXTS`), in ``lang``."""
    return texts(lang, *SCRIPT_TEXTS[script])


__all__ = ["SCRIPT_TEXTS", "Explained", "Message", "Term", "UnknownText", "catalogue", "pair", "pattern", "script_texts", "t", "texts"]
