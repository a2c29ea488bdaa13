"""A snapshot of what the explorer builds from an on-disk store, kept inside the store's folder.

Building the catalog, the search index and the concept graph from Oxigraph takes about 40 s on a
million-triple store (``bench/scale.py``); reading them back from a snapshot takes a few seconds.
``kg load`` writes the snapshot after loading, ``kg serve`` writes one when there is none, and any
later start (or another worker) reads it instead of rebuilding.

A snapshot is used only when it matches both the code and the store:

- the code: a digest of the ``kg`` package's sources (a changed class would not unpickle safely);
- the store: its graph names and triple count, checked at every start; and every write through the
  ``kg`` command (``kg load``, ``kg serve FILES``) deletes the snapshot first (:func:`discard`):
  the store itself knows nothing of the explorer's snapshot.

A store changed by other tools with the same graphs and the same number of triples would not be
noticed: run ``kg load`` again, or delete ``kg-explorer.snapshot`` from the store's folder.

The file is a pickle.  Pickle runs code when read, so the snapshot is trusted exactly as far as the
store's folder is; nothing reads a snapshot from anywhere else.  The standard library's pickle
rather than a hand-made format: the index is plain strings, arrays and lists, which pickle writes
and reads at memory speed.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

FILE = "kg-explorer.snapshot"
_MAGIC = "kg-explorer-snapshot/1"
#: what a snapshot holds: the explorer's attributes of these names
PARTS = ("catalog", "search_index", "concept_graph", "pinyin_index")

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the kg package's Python sources, subpackages included."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(store) -> dict[str, Any]:
    """What a snapshot is checked against: the store's graph names and triple count (a scan of the
    store: computed once a start)."""
    return {"triples": len(store), "graphs": sorted(str(g) for g in store.graph_names())}


def read(path: Path, store_print: dict[str, Any]) -> dict[str, Any] | None:
    """The parts saved in ``path``, or None when there is none or it does not match the code and the
    store (``store_print``: its :func:`fingerprint`)."""
    try:
        with open(path, "rb") as f:
            header = pickle.load(f)
            if not (isinstance(header, dict) and header.get("magic") == _MAGIC
                    and header.get("code") == code_version() and header.get("store") == store_print):
                log.info("snapshot %s is stale; rebuilding", path)
                return None
            gc.disable()  # a hundred thousand objects: the collector would otherwise run many times over
            try:
                parts = pickle.load(f)
            finally:
                gc.enable()
    except FileNotFoundError:
        return None
    except Exception as exc:  # a truncated or foreign file is rebuilt, never trusted
        log.warning("snapshot %s unreadable (%s); rebuilding", path, exc)
        return None
    return parts if isinstance(parts, dict) and set(parts) == set(PARTS) else None


def write(parts: dict[str, Any], path: Path, store_print: dict[str, Any]) -> None:
    """Write the parts atomically (a temporary file, then a rename), for the store whose
    :func:`fingerprint` is ``store_print``; an unwritable folder is logged, not fatal."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            pickle.dump({"magic": _MAGIC, "code": code_version(), "store": store_print}, f, protocol=5)
            pickle.dump({name: parts[name] for name in PARTS}, f, protocol=5)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot write the snapshot %s: %s", path, exc)
        tmp.unlink(missing_ok=True)


def path_for(store) -> Path | None:
    """Where the explorer keeps its snapshot of ``store``: inside the folder of a store kept on this
    machine; None for a store in memory or on a server (no snapshot)."""
    location = store.location
    return location / FILE if location is not None else None


def discard(store) -> None:
    """Delete the snapshot of ``store``, before a write makes it stale (a write that stops half-way
    then leaves none behind)."""
    path = path_for(store)
    if path is not None:
        path.unlink(missing_ok=True)


__all__ = ["FILE", "PARTS", "code_version", "discard", "fingerprint", "path_for", "read", "write"]
