"""The two source articles: cleaning the saved web pages, and their paragraphs.

The seeds under ``data/sources/raw/`` are the pages as saved; :func:`clean`
removes the web-page clutter (phone number, navigation, the "来源" line,
"编辑推荐", download links, comments, course adverts, app prompts, a stray
table border) and keeps every sentence of the article unchanged.  Each non-empty
line of the cleaned text is one paragraph (title, heading or body) with a stable
id ``{article}-p{NN}`` given by its position in the fixed source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg import resources


@dataclass(frozen=True)
class ArticleSpec:
    """What the cleaning rules need to know about one seed file."""

    key: str
    seed: str
    drop_lines: tuple[str, ...]  # whole lines that are page furniture
    cut_from: str | None  # everything from this line on is page furniture
    strip_suffix: str | None  # a stray trailing mark on the last line


ARTICLES: dict[str, ArticleSpec] = {
    "yanbian": ArticleSpec(
        key="yanbian",
        seed="000_299f7abd1ac32bbf.txt",
        drop_lines=("电话:0731-83595998", "导航", "来源: 2020-05-11 01:27"),
        cut_from="编辑推荐:",
        strip_suffix=None,
    ),
    "zhonglou": ArticleSpec(
        key="zhonglou",
        seed="002_9dfe2fbda27cca38.txt",
        drop_lines=(),
        cut_from=None,
        strip_suffix=" |",
    ),
}

HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")


@dataclass(frozen=True)
class Paragraph:
    id: str
    article: str
    index: int  # 1-based position in the cleaned article
    kind: str  # "title", "heading" or "body"
    text: str


def clean(raw: str, spec: ArticleSpec) -> list[str]:
    """Return the article's paragraphs, with the page furniture removed.

    Only whole lines are dropped, plus trailing whitespace and the spec's
    stray suffix; the text of every kept line is otherwise untouched.
    """
    out: list[str] = []
    for line in raw.split("\n"):
        if spec.cut_from is not None and line.strip() == spec.cut_from:
            break
        line = line.rstrip()
        if not line or line in spec.drop_lines:
            continue
        out.append(line)
    if spec.strip_suffix and out and out[-1].endswith(spec.strip_suffix):
        out[-1] = out[-1][: -len(spec.strip_suffix)].rstrip()
    return out


def cleaned_path(key: str, sources_dir: Path | None = None) -> Path:
    return (sources_dir or resources.sources_dir()) / f"{key}.txt"


def raw_path(key: str, sources_dir: Path | None = None) -> Path:
    return (sources_dir or resources.sources_dir()) / "raw" / ARTICLES[key].seed


def write_cleaned(sources_dir: Path | None = None) -> list[Path]:
    """Regenerate ``data/sources/{key}.txt`` from the raw seeds."""
    written = []
    for key, spec in ARTICLES.items():
        paras = clean(raw_path(key, sources_dir).read_text(encoding="utf-8"), spec)
        path = cleaned_path(key, sources_dir)
        path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        written.append(path)
    return written


@lru_cache(maxsize=None)
def paragraphs(key: str, sources_dir: Path | None = None) -> tuple[Paragraph, ...]:
    """The paragraphs of the cleaned article ``key`` (blank-line separated)."""
    text = cleaned_path(key, sources_dir).read_text(encoding="utf-8")
    blocks = [b for b in text.split("\n\n") if b.strip()]
    result = []
    for i, block in enumerate(blocks, start=1):
        block = block.strip("\n")
        if key == "yanbian" and i == 1:
            kind = "title"
        elif HEADING_RE.match(block):
            kind = "heading"
        else:
            kind = "body"
        result.append(Paragraph(f"{key}-p{i:02d}", key, i, kind, block))
    return tuple(result)
