"""The explorer's core object: one store, its catalog, and the indexes built on it.

Everything the HTTP layer serves is computed here or in the modules it calls;
``api/`` only picks a format.  Indexes are built once at load.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from functools import cached_property

from kg import snapshot
from kg.catalog import Catalog
from kg.store.factory import open_store
from kg.store.interface import Store


@dataclass
class Explorer:
    store: Store
    catalog: Catalog
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store | None = None, *, keep_snapshot: bool = False) -> "Explorer":
        """The explorer over ``store`` (default: the bundled data in memory), ready to serve.

        An on-disk store may hold a snapshot of the catalog and indexes (:mod:`kg.snapshot`): a
        current one is read instead of rebuilding them.  With ``keep_snapshot``, a rebuild is
        saved for the next start (``kg load`` and ``kg serve`` ask for it)."""
        start = time.perf_counter()
        store = store if store is not None else open_store()
        loaded = time.perf_counter()
        path = snapshot.path_for(store)
        store_print = snapshot.fingerprint(store) if path is not None else None
        parts = snapshot.read(path, store_print) if path is not None else None
        if parts is not None:
            explorer = cls(store, parts.pop("catalog"), {"load_s": loaded - start})
            explorer.__dict__.update(parts)  # the cached properties, as built before
            explorer.__dict__["triples"] = store_print["triples"]
            explorer.timings["snapshot_read_s"] = time.perf_counter() - loaded
            return explorer
        collecting = gc.isenabled()
        gc.disable()  # millions of objects, none garbage yet: the collector would walk them over and over
        try:
            catalog = Catalog.from_store(store)
            done = time.perf_counter()
            explorer = cls(store, catalog, {"load_s": loaded - start, "catalog_s": done - loaded})
            explorer.search_index  # build the indexes now, not on the first request
            explorer.concept_graph
        finally:
            if collecting:
                gc.enable()
        explorer.timings["indexes_s"] = time.perf_counter() - done
        if store_print is not None:
            explorer.__dict__["triples"] = store_print["triples"]
            if keep_snapshot:
                explorer.save_snapshot(store_print)
        return explorer

    def save_snapshot(self, store_print: dict | None = None) -> None:
        """Keep the catalog and indexes beside an on-disk store, for the next start (``store_print``:
        the store's :func:`kg.snapshot.fingerprint`, when already known)."""
        path = snapshot.path_for(self.store)
        if path is None:
            return
        start = time.perf_counter()
        snapshot.write({name: getattr(self, name) for name in snapshot.PARTS}, path,
                       store_print or snapshot.fingerprint(self.store))
        self.timings["snapshot_write_s"] = time.perf_counter() - start

    @cached_property
    def triples(self) -> int:
        """Triples in the store (counted once: a remote store answers with a COUNT query)."""
        return len(self.store)

    @cached_property
    def pinyin_index(self) -> dict[str, list[str]]:
        """Concept ids in the pinyin order of their Chinese labels, by initial letter (``#`` for the
        rest): the index page's grouping, made once rather than on every request."""
        keys = self.search_index.sort_keys
        by_letter: dict[str, list[str]] = {}
        for cid in sorted(self.catalog.concepts, key=lambda cid: (keys.get(cid, cid), cid)):
            key = keys.get(cid, cid)
            by_letter.setdefault(key[:1].upper() if key[:1].isalpha() else "#", []).append(cid)
        return dict(sorted(by_letter.items()))

    @cached_property
    def search_index(self):
        from kg.search.index import SearchIndex

        return SearchIndex.build(self.catalog)

    @cached_property
    def concept_graph(self):
        from kg.graph.concept_graph import ConceptGraph

        return ConceptGraph(self.catalog)


__all__ = ["Explorer"]
