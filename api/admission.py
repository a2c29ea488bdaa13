"""Admission of costly requests: a few run at once, a bounded queue waits, each client has a share.

One :class:`Gate` class, one instance per kind of work on each app: ``app.state.sparql_gate`` for
SPARQL queries (settings ``KG_SPARQL_SLOTS``, ``KG_SPARQL_QUEUE``, ``KG_SPARQL_PER_CLIENT``,
``KG_SPARQL_QUEUE_WAIT``) and ``app.state.export_gate`` for drawn exports (``KG_EXPORT_SLOTS``,
``KG_EXPORT_QUEUE``, ``KG_EXPORT_PER_CLIENT``, ``KG_EXPORT_QUEUE_WAIT``).

The server's own threads are never held by waiting work.  A request waits for a slot on the event
loop (an awaited future, no thread), then its work runs in :attr:`Gate.executor`, a small thread
pool of its own (one thread per slot: a SPARQL query's thread only waits on the query's child
process, see :func:`kg.endpoint.run_isolated`; an export's draws, mostly waiting on Graphviz).  So
pages, search and ``/-/health`` keep the whole of the server's thread pool however many queries
and exports arrive.  Refusals are immediate and carry ``Retry-After``:

- 429 when the client (its address, as uvicorn reports it: behind a proxy on 127.0.0.1 the
  ``X-Forwarded-For`` address) already has :attr:`AdmissionLimits.per_client` requests running
  or waiting;
- 503 when :attr:`AdmissionLimits.queue` requests are already waiting, or one waited
  :attr:`AdmissionLimits.wait_s` seconds without getting a slot.

A freed slot goes to the fairest waiter, not simply the first: the one whose client has the fewest
running, and among those the client served longest ago (then the first come).  So a client with
several queries waiting does not take every freed slot ahead of another client's one query.

Hand-written rather than an ``asyncio.Semaphore``: a semaphore binds to the first event loop that
waits on it, and an app may be served by several loops in turn (tests); a queue bound and a
per-client count are needed beside it anyway.  Everything here runs on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import math
import os
from collections import Counter, deque
from collections.abc import Callable, Mapping
from itertools import count
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from fastapi import HTTPException, Request

from api.errors import problem
from kg.i18n import Message

from kg import endpoint

T = TypeVar("T")


@dataclass(frozen=True)
class AdmissionLimits:
    """How many queries run at once (``KG_SPARQL_SLOTS``), how many may wait for a slot
    (``KG_SPARQL_QUEUE``), how many one client may have running or waiting
    (``KG_SPARQL_PER_CLIENT``), and how long one waits at most (``KG_SPARQL_QUEUE_WAIT``, seconds)."""

    slots: int = 2
    queue: int = 16
    per_client: int = 4
    wait_s: float = 10.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, prefix: str = "KG_SPARQL",
                 default: AdmissionLimits | None = None, max_slots: int = endpoint.MAX_RUNNING) -> AdmissionLimits:
        """The limits from ``{prefix}_SLOTS``, ``{prefix}_QUEUE``, ``{prefix}_PER_CLIENT`` and
        ``{prefix}_QUEUE_WAIT`` (``KG_SPARQL_*`` or ``KG_EXPORT_*``), ``default``'s where unset."""
        default = default or cls()
        try:
            limits = cls(
                slots=int(environ.get(f"{prefix}_SLOTS", default.slots)),
                queue=int(environ.get(f"{prefix}_QUEUE", default.queue)),
                per_client=int(environ.get(f"{prefix}_PER_CLIENT", default.per_client)),
                wait_s=float(environ.get(f"{prefix}_QUEUE_WAIT", default.wait_s)),
            )
        except ValueError as exc:
            raise ValueError(f"{prefix}_* settings must be numbers: {exc}") from None
        if not 1 <= limits.slots <= max_slots or limits.queue < 0 or limits.per_client < 1 or limits.wait_s <= 0:
            raise ValueError(f"{prefix}_SLOTS must be 1 to {max_slots}, {prefix}_PER_CLIENT at least 1, {prefix}_QUEUE at "
                             f"least 0 and {prefix}_QUEUE_WAIT positive: {limits}")
        return limits


#: exports: two drawn at once (the machine's cores), a short queue, two per client, 20 s of waiting at most
EXPORT_LIMITS = AdmissionLimits(slots=2, queue=8, per_client=2, wait_s=20.0)
#: the most exports drawn at once ``KG_EXPORT_SLOTS`` may ask for (each may run Graphviz and a browser)
MAX_EXPORT_SLOTS = 8
#: Retry-After of a refused export, seconds (a typical drawing's time)
EXPORT_RETRY_S = 5.0


def export_limits(environ: Mapping[str, str] = os.environ) -> AdmissionLimits:
    """:data:`EXPORT_LIMITS` with the ``KG_EXPORT_*`` settings applied."""
    return AdmissionLimits.from_env(environ, "KG_EXPORT", EXPORT_LIMITS, MAX_EXPORT_SLOTS)


#: each kind's refusals (catalogue codes, ``problem:`` in web/i18n/ui.yaml): client share, queue full, no slot in time
MESSAGES = {
    "sparql": ("sparql_client_share", "sparql_queue_full", "sparql_no_slot"),
    "export": ("export_client_share", "export_queue_full", "export_no_slot"),
}


class Gate:
    """The slots, the queue and the per-client counts of one kind of work on one app
    (``app.state.sparql_gate``, ``app.state.export_gate``); ``kind`` names its refusals (:data:`MESSAGES`)."""

    def __init__(self, limits: AdmissionLimits, retry_after_s: float = 10.0, kind: str = "sparql") -> None:
        self.limits = limits
        self.kind = kind
        self.retry_after = str(max(1, math.ceil(retry_after_s)))
        self.executor = ThreadPoolExecutor(limits.slots, thread_name_prefix=f"kg-{kind}")
        self.running = 0
        self._waiting: deque[tuple[asyncio.Future, str]] = deque()
        self._clients: Counter[str] = Counter()  # running or waiting, per client
        self._running_by: Counter[str] = Counter()  # running, per client
        self._served: dict[str, int] = {}  # when each client present was last given a slot
        self._tick = count()

    @property
    def waiting(self) -> int:
        return sum(not f.done() for f in (ticket for ticket, _ in self._waiting))

    async def run(self, client: str, work: Callable[[], T]) -> T:
        """``work()`` in the gate's executor once a slot is free; 429 or 503 (with Retry-After) at once
        when the client has its share or the queue is full, 503 when no slot came in time."""
        share, full, no_slot = MESSAGES[self.kind]
        if self._clients[client] >= self.limits.per_client:
            raise self._refuse(429, Message(share, n=self.limits.per_client))
        if self.running >= self.limits.slots and self.waiting >= self.limits.queue:
            raise self._refuse(503, Message(full, slots=self.limits.slots, queue=self.limits.queue))
        self._clients[client] += 1
        try:
            await self._acquire(client)
            running = asyncio.get_running_loop().run_in_executor(self.executor, work)
            try:
                return await asyncio.shield(running)
            finally:
                if running.done():
                    self._release(client)
                else:  # the client went away: the slot is free when the work has ended, not before
                    running.add_done_callback(lambda _: self._release(client))
        finally:
            self._clients[client] -= 1
            if not self._clients[client]:
                del self._clients[client]
                if not self._running_by[client]:
                    self._served.pop(client, None)

    async def _acquire(self, client: str) -> None:
        if self.running < self.limits.slots and not self.waiting:
            self.running += 1
            self._grant(client)
            return
        ticket = asyncio.get_running_loop().create_future()
        entry = (ticket, client)
        self._waiting.append(entry)
        try:
            await asyncio.wait_for(asyncio.shield(ticket), self.limits.wait_s)
        except BaseException as exc:  # the wait timed out or the request was cancelled (client gone)
            if ticket.done() and not ticket.cancelled():
                self._release(client)  # the slot was handed over as the wait ended: pass it on
            else:
                ticket.cancel()
                self._waiting.remove(entry)
            if isinstance(exc, asyncio.TimeoutError):
                no_slot = MESSAGES[self.kind][2]
                raise self._refuse(503, Message(no_slot, seconds=f"{self.limits.wait_s:g}")) from None
            raise

    def _grant(self, client: str) -> None:
        self._running_by[client] += 1
        self._served[client] = next(self._tick)

    def _release(self, client: str) -> None:
        """``client``'s slot to the fairest live waiter (its client has the fewest running, then was
        served longest ago, then came first), else free."""
        self._running_by[client] -= 1
        if not self._running_by[client]:
            del self._running_by[client]
            if client not in self._clients:
                self._served.pop(client, None)
        self._waiting = deque(entry for entry in self._waiting if not entry[0].done())
        if not self._waiting:
            self.running -= 1
            return
        # at most KG_*_QUEUE waiters: a scan is cheap, and the order is kept for the ties
        i = min(range(len(self._waiting)),
                key=lambda i: (self._running_by[self._waiting[i][1]], self._served.get(self._waiting[i][1], -1), i))
        ticket, chosen = self._waiting[i]
        del self._waiting[i]
        self._grant(chosen)
        ticket.set_result(None)

    def _refuse(self, status: int, message: Message) -> HTTPException:
        return problem(status, message, headers={"Retry-After": self.retry_after})

    async def admit(self, request: Request, work: Callable[[], T]) -> T:
        """:meth:`run` for the client that sent ``request``."""
        return await self.run(request.client.host if request.client else "unknown", work)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
