"""Bounded work for exports served to many people: at most :data:`RUNNING` drawn at once (the others wait
up to :data:`WAIT_S`, then are told to try again), and the recent ones kept (:class:`RecentExports`) so a
repeated identical request is answered from memory.  Each drawing is itself bounded in time (Graphviz's
timeout, :data:`kg.export.image.GRAPHVIZ_TIMEOUT_S`) and in pixels (:data:`kg.export.image.PNG_MAX_PIXELS`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from kg.export.options import ExportError
from kg.i18n import Message

RUNNING = 2  # the machine's cores
WAIT_S = 20.0
CACHE_BYTES = 64 * 1024 * 1024


class Busy(ExportError):
    """Too many exports are being drawn: try again in a moment (the API answers 503)."""


class RecentExports:
    """The most recent exports by request, up to ``limit`` bytes in all; drawing limited to ``running`` at once."""

    def __init__(self, limit: int = CACHE_BYTES, running: int = RUNNING):
        self.limit = limit
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(running)

    def get(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """The bytes for ``key``: from memory when made before, else made (waiting for a free slot)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        if not self._slots.acquire(timeout=WAIT_S):
            raise Busy(Message("busy"))
        try:
            body = make()
        finally:
            self._slots.release()
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


__all__ = ["CACHE_BYTES", "RUNNING", "WAIT_S", "Busy", "RecentExports"]
