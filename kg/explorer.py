"""The explorer's core object: one store, its catalog, and the indexes built on it.

Everything the HTTP layer serves is computed here or in the modules it calls;
``api/`` only picks a format.  Indexes are built once at load.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property

from kg.catalog import Catalog
from kg.store import Store, open_store


@dataclass
class Explorer:
    store: Store
    catalog: Catalog
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store | None = None) -> "Explorer":
        start = time.perf_counter()
        store = store if store is not None else open_store()
        loaded = time.perf_counter()
        catalog = Catalog.from_store(store)
        done = time.perf_counter()
        explorer = cls(store, catalog, {"load_s": loaded - start, "catalog_s": done - loaded})
        explorer.search_index  # build the indexes now, not on the first request
        explorer.concept_graph
        explorer.timings["indexes_s"] = time.perf_counter() - done
        return explorer

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
        from kg.search import SearchIndex

        return SearchIndex.build(self.catalog)

    @cached_property
    def concept_graph(self):
        from kg.graphs import ConceptGraph

        return ConceptGraph(self.catalog)


__all__ = ["Explorer"]
