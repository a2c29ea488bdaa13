"""Exports served to many people: the recent ones kept (:class:`RecentExports`) so a repeated identical request
is answered from memory, without waiting for anything.  How many are drawn at once, how many wait and for how
long is the server's business (:mod:`api.admission`, ``KG_EXPORT_*``): it waits for a drawing slot on its event
loop, not in a thread here.  Each drawing is itself bounded in time (Graphviz's timeout,
:data:`kg.export.image.GRAPHVIZ_TIMEOUT_S`) and in pixels (:data:`kg.export.image.PNG_MAX_PIXELS`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

CACHE_BYTES = 64 * 1024 * 1024


class RecentExports:
    """The most recent exports by request, up to ``limit`` bytes in all (one export at most a quarter of it)."""

    def __init__(self, limit: int = CACHE_BYTES):
        self.limit = limit
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def cached(self, key: Hashable) -> bytes | None:
        """The bytes made before for ``key``, if still kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def make(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """``make()``, kept for ``key`` (answered from memory if another request made it meanwhile).  It does
        not bound how many are made at once: callers that serve many people go through a gate first, see
        :mod:`api.admission`."""
        found = self.cached(key)
        if found is not None:
            return found
        body = make()
        with self._lock:
            if len(body) <= self.limit // 4 and key not in self._items:
                self._items[key] = body
                self._size += len(body)
                while self._size > self.limit:
                    _, old = self._items.popitem(last=False)
                    self._size -= len(old)
        return body

    def __len__(self) -> int:
        return len(self._items)


__all__ = ["CACHE_BYTES", "RecentExports"]
