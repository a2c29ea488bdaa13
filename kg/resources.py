"""Where the bundled files live: the ontology, the data, the UI catalogue, templates and static assets.

The one module that knows file locations. In a checkout the resources are the top-level folders beside
``kg/`` (``ontology/``, ``data/``, ``web/``); in an installed distribution (wheel, ``pip install .``) the
same folders travel as package data inside ``kg`` (``pyproject.toml`` maps them there), found through
:mod:`importlib.resources`. Either way callers ask for a folder or file here and get a real path, or a
:class:`MissingResource` that says what is missing and where it was looked for: never an empty list that
reads as "0 concepts".
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

#: the resource folders, by the name they have in the checkout and in the distribution
FOLDERS = ("ontology", "data", "web")


class MissingResource(FileNotFoundError):
    """A bundled file or folder is not where the distribution puts it (a broken install)."""


def _candidates(name: str) -> list[Path]:
    package = Path(str(resources.files(__package__)))  # site-packages/kg/ once installed, kg/ in a checkout
    roots = [package]
    if (package.parent / "pyproject.toml").is_file():  # beside kg/ only in a checkout, never in site-packages
        roots.append(package.parent)
    return [root / name for root in roots]


@lru_cache(maxsize=None)
def folder(name: str) -> Path:
    """The bundled folder ``name`` (one of :data:`FOLDERS`): inside the installed package, else beside it."""
    if name not in FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}; folders: {', '.join(FOLDERS)}")
    tried = _candidates(name)
    for path in tried:
        if path.is_dir():
            return path
    raise MissingResource(f"the bundled folder {name}/ is missing (looked in {', '.join(map(str, tried))}); "
                          "reinstall the package or run from a checkout")


def path(*parts: str) -> Path:
    """A bundled file or folder, e.g. ``path("web", "i18n", "ui.yaml")``; :class:`MissingResource` if absent."""
    found = folder(parts[0]).joinpath(*parts[1:])
    if not found.exists():
        raise MissingResource(f"the bundled file {'/'.join(parts)} is missing (looked for {found})")
    return found


def ontology_dir() -> Path:
    return folder("ontology")


def data_dir() -> Path:
    return folder("data")


def sources_dir() -> Path:
    return path("data", "sources")


def authoring_dir() -> Path:
    return path("data", "authoring")


def templates_dir() -> Path:
    return path("web", "templates")


def static_dir() -> Path:
    return path("web", "static")


def ui_catalogue() -> Path:
    return path("web", "i18n", "ui.yaml")


__all__ = ["FOLDERS", "MissingResource", "authoring_dir", "data_dir", "folder", "ontology_dir", "path",
           "sources_dir", "static_dir", "templates_dir", "ui_catalogue"]
