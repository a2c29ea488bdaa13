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
    def class_counts(self) -> dict[str, int]:
        """Concepts of each class, its subclasses' included."""
        counts: dict[str, int] = {}
        for concept in self.catalog.concepts.values():
            for name in set(self.catalog.class_chain(concept.cls)):
                counts[name] = counts.get(name, 0) + 1
        return counts

    @cached_property
    def search_index(self):
        from kg.search import SearchIndex

        return SearchIndex.build(self.catalog)

    @cached_property
    def concept_graph(self):
        from kg.graphs import ConceptGraph

        return ConceptGraph(self.catalog)


__all__ = ["Explorer"]
