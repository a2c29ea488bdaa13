"""Admission of SPARQL queries: a few run at once, a bounded queue waits, each client has a share.

The server's own threads are never held by a query.  A request waits for a slot on the event loop
(an awaited future, no thread), then its query runs in :attr:`Gate.executor`, a small thread pool
of its own (one thread per slot: each only waits on the query's child process, see
:func:`kg.endpoint.run_isolated`).  So pages, search and ``/-/health`` keep the whole of the
server's thread pool however many queries arrive.  Refusals are immediate and carry
``Retry-After``:

- 429 when the client (its address, as uvicorn reports it: behind a proxy on 127.0.0.1 the
  ``X-Forwarded-For`` address) already has :attr:`AdmissionLimits.per_client` queries running
  or waiting;
- 503 when :attr:`AdmissionLimits.queue` queries are already waiting, or a query waited
  :attr:`AdmissionLimits.wait_s` seconds without getting a slot.

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from fastapi import HTTPException

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
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> AdmissionLimits:
        default = cls()
        limits = cls(
            slots=int(environ.get("KG_SPARQL_SLOTS", default.slots)),
            queue=int(environ.get("KG_SPARQL_QUEUE", default.queue)),
            per_client=int(environ.get("KG_SPARQL_PER_CLIENT", default.per_client)),
            wait_s=float(environ.get("KG_SPARQL_QUEUE_WAIT", default.wait_s)),
        )
        if not 1 <= limits.slots <= endpoint.MAX_RUNNING or limits.queue < 0 or limits.per_client < 1 or limits.wait_s <= 0:
            raise ValueError(f"KG_SPARQL_SLOTS must be 1 to {endpoint.MAX_RUNNING}, KG_SPARQL_PER_CLIENT at least 1, KG_SPARQL_QUEUE at "
                             f"least 0 and KG_SPARQL_QUEUE_WAIT positive: {limits}")
        return limits


class Gate:
    """The slots, the queue and the per-client counts of one app (``app.state.sparql_gate``)."""

    def __init__(self, limits: AdmissionLimits, retry_after_s: float = 10.0) -> None:
        self.limits = limits
        self.retry_after = str(max(1, math.ceil(retry_after_s)))
        self.executor = ThreadPoolExecutor(limits.slots, thread_name_prefix="kg-sparql")
        self.running = 0
        self._waiting: deque[asyncio.Future] = deque()
        self._clients: Counter[str] = Counter()

    @property
    def waiting(self) -> int:
        return sum(not f.done() for f in self._waiting)

    async def run(self, client: str, work: Callable[[], T]) -> T:
        """``work()`` in the gate's executor once a slot is free; 429 or 503 (with Retry-After) at once
        when the client has its share or the queue is full, 503 when no slot came in time."""
        if self._clients[client] >= self.limits.per_client:
            raise self._refuse(429, Message("sparql_client_share", n=self.limits.per_client))
        if self.running >= self.limits.slots and self.waiting >= self.limits.queue:
            raise self._refuse(503, Message("sparql_queue_full", slots=self.limits.slots, queue=self.limits.queue))
        self._clients[client] += 1
        try:
            await self._acquire()
            running = asyncio.get_running_loop().run_in_executor(self.executor, work)
            try:
                return await asyncio.shield(running)
            finally:
                if running.done():
                    self._release()
                else:  # the client went away: the slot is free when the query has ended, not before
                    running.add_done_callback(lambda _: self._release())
        finally:
            self._clients[client] -= 1
            if not self._clients[client]:
                del self._clients[client]

    async def _acquire(self) -> None:
        if self.running < self.limits.slots and not self.waiting:
            self.running += 1
            return
        ticket = asyncio.get_running_loop().create_future()
        self._waiting.append(ticket)
        try:
            await asyncio.wait_for(asyncio.shield(ticket), self.limits.wait_s)
        except BaseException as exc:  # the wait timed out or the request was cancelled (client gone)
            if ticket.done() and not ticket.cancelled():
                self._release()  # the slot was handed over as the wait ended: pass it on
            else:
                ticket.cancel()
                self._waiting.remove(ticket)
            if isinstance(exc, asyncio.TimeoutError):
                raise self._refuse(503, Message("sparql_no_slot", seconds=f"{self.limits.wait_s:g}")) from None
            raise

    def _release(self) -> None:
        """Hand the slot to the first live waiter, else free it."""
        while self._waiting:
            ticket = self._waiting.popleft()
            if not ticket.done():
                ticket.set_result(None)
                return
        self.running -= 1

    def _refuse(self, status: int, message: Message) -> HTTPException:
        return problem(status, message, headers={"Retry-After": self.retry_after})

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
