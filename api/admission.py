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

A full queue is shared by client: a newcomer whose client holds clearly fewer places than the client
holding the most takes that client's newest place (the one displaced gets the 503 with Retry-After).
"Fewer" is the count of waiting places, and at equal counts (the usual case: most clients send one
request at a time) each client's recent load: the slot time its work used plus :data:`REQUEST_COST_S`
for each request it sent, refused ones included (seconds, halved every :data:`USAGE_HALF_LIFE_S`).  So
a client whose queries run to their time limit, or that comes straight back after each refusal, gives
its place to one whose queries are light and few.  A newcomer no lighter than anyone waiting is refused
at the door, so equals do not push each other out in turn.  A client whose work lately took
:attr:`Gate.heavy_s` or more on average (a SPARQL query run to near its time limit) is heavy: heavy
clients' work runs in every slot but one, the last kept for the others (a heavy client waits for a slot
rather than take it).  A freed slot goes to the fairest waiter, not simply the first: the one whose
client has the fewest running, then the least recent load, then the client served longest ago, then
the first come.  So neither several waiting queries of one client nor many clients' heavy queries take
every slot ahead of another client's light one.

The express lane (``express_s`` > 0: SPARQL's, ``KG_SPARQL_EXPRESS_S``, default :data:`EXPRESS_S`): one more
slot, beside the others, whose work runs with a short time budget (:func:`kg.endpoint.budget`, set in the
executor thread that runs it, so the ordinary slots keep the query's own limit).  When every ordinary slot is
busy (or kept from a heavy client), a query of a client not known to be heavy takes the lane.  One that outruns
the budget is stopped (:class:`kg.endpoint.OverBudget`), its client is counted heavy at once
(:meth:`Gate._mark_heavy`), and the request waits again, for an ordinary slot only, with the query's full time
limit (rather than a 503: a legitimate query of a few seconds is still answered; the queue may then hold one
place more than ``KG_SPARQL_QUEUE``).  So each new client looping on slow queries costs the lane one budget,
once, while a light query runs in it in milliseconds even when slow queries of new clients hold every slot: a
new client's first query cannot be told from a light one until it has run, and the lane is where it runs
first.  With the queue full, a client not known to be heavy also takes a heavy client's newest place (heavy
clients cannot use the lane and get at most every ordinary slot but one), and a client whose runs were light
(:meth:`Gate._rank`) the place of one not yet known: the lane goes to light clients' waiting queries before new
clients'.

:meth:`Gate.verdict` tells, without changing anything, whether a client would be refused now: the app
answers those refusals before routing (:class:`RefuseEarly`), with a body made once per language.

Hand-written rather than an ``asyncio.Semaphore``: a semaphore binds to the first event loop that
waits on it, and an app may be served by several loops in turn (tests); a queue bound and a
per-client count are needed beside it anyway.  Everything here runs on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from itertools import count
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from fastapi import HTTPException, Request

from api.errors import error_lang, problem
from api.formats import SPARQL_DIRECT, SPARQL_FORM
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
    #: longer than a query's time limit (10 s): the first in line gets a slot even when every slot holds
    #: a query that runs to its limit
    wait_s: float = 15.0

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
#: a client whose drawings lately took this long on average (seconds: near Graphviz's 20 s limit) is heavy
EXPORT_HEAVY_S = 16.0


def export_limits(environ: Mapping[str, str] = os.environ) -> AdmissionLimits:
    """:data:`EXPORT_LIMITS` with the ``KG_EXPORT_*`` settings applied."""
    return AdmissionLimits.from_env(environ, "KG_EXPORT", EXPORT_LIMITS, MAX_EXPORT_SLOTS)


#: each kind's refusals (catalogue codes, ``problem:`` in web/i18n/ui.yaml): client share, queue full, no slot in
#: time, place given to a lighter client
MESSAGES = {
    "sparql": ("sparql_client_share", "sparql_queue_full", "sparql_no_slot", "sparql_displaced"),
    "export": ("export_client_share", "export_queue_full", "export_no_slot", "export_displaced"),
}
#: a client's load counts half as much after this many seconds (fair shares of a full queue)
USAGE_HALF_LIFE_S = 60.0
#: what each request adds to its client's load (seconds of slot time, about what a light query takes with
#: its process start on a busy machine), refused or not: a client that comes back at once after each
#: refusal weighs more than one that asks now and then
REQUEST_COST_S = 0.5
#: a waiting client counts as heavier than a newcomer when its recent load is over twice the
#: newcomer's and this much more (seconds): near-equals do not displace each other
USAGE_MARGIN_S = 0.5
#: how long a client's runs count for telling whether it is heavy (halved every this many seconds): a client
#: whose query ran to its time limit is heavy for a minute or two, not only until its next request
HEAVY_HALF_LIFE_S = 300.0
#: the lanes a slot is in (:meth:`Gate.run`)
ORDINARY, EXPRESS = "ordinary", "express"
#: the express lane's time budget, seconds (``KG_SPARQL_EXPRESS_S``; 0 for no express lane)
EXPRESS_S = 1.0


def express_budget(environ: Mapping[str, str] = os.environ) -> float:
    """``KG_SPARQL_EXPRESS_S`` (:data:`EXPRESS_S` when unset): the SPARQL express lane's time budget."""
    try:
        seconds = float(environ.get("KG_SPARQL_EXPRESS_S", EXPRESS_S))
    except ValueError:
        raise ValueError(f"KG_SPARQL_EXPRESS_S must be a number: {environ['KG_SPARQL_EXPRESS_S']!r}") from None
    if not 0 <= seconds < math.inf:
        raise ValueError(f"KG_SPARQL_EXPRESS_S must be 0 (no express lane) or more: {seconds:g}")
    return seconds


#: the most clients whose slot time is remembered (the lightest forgotten first beyond that)
USAGE_CLIENTS = 4096


class Gate:
    """The slots, the queue and the per-client counts of one kind of work on one app
    (``app.state.sparql_gate``, ``app.state.export_gate``); ``kind`` names its refusals (:data:`MESSAGES`)."""

    def __init__(self, limits: AdmissionLimits, retry_after_s: float = 10.0, kind: str = "sparql",
                 heavy_s: float = 8.0, express_s: float = 0.0) -> None:
        self.limits = limits
        #: a client whose runs lately took this long on average (seconds) is heavy (:meth:`heavy`)
        self.heavy_s = heavy_s
        #: the express lane's time budget (seconds; 0: no express lane), see :meth:`run`
        self.express_s = express_s
        self.kind = kind
        self.retry_after = str(max(1, math.ceil(retry_after_s)))
        self.executor = ThreadPoolExecutor(limits.slots + (express_s > 0), thread_name_prefix=f"kg-{kind}")
        self.running = 0  # ordinary slots taken
        self.express: str | None = None  # the client whose work runs in the express lane
        self._ordinary_only: set[asyncio.Future] = set()  # waiters sent back from the express lane
        self._waiting: deque[tuple[asyncio.Future, str]] = deque()
        self._clients: Counter[str] = Counter()  # running or waiting, per client
        self._running_by: Counter[str] = Counter()  # running, per client
        self._served: dict[str, int] = {}  # when each client present was last given a slot
        self._usage: dict[str, tuple[float, float]] = {}  # client → (load, when), decaying
        self._runs: dict[str, tuple[float, float, float]] = {}  # client → (slot seconds, runs, when), decaying
        self._tick = count()
        self._bodies: dict[tuple[int, str], bytes] = {}

    @property
    def waiting(self) -> int:
        return sum(not f.done() for f in (ticket for ticket, _ in self._waiting))

    def usage(self, client: str, now: float | None = None) -> float:
        """``client``'s recent load: the slot seconds its work used and :data:`REQUEST_COST_S` for each
        of its requests (halved every :data:`USAGE_HALF_LIFE_S`)."""
        seconds, when = self._usage.get(client, (0.0, 0.0))
        if not seconds:
            return 0.0
        now = time.monotonic() if now is None else now
        return seconds * 0.5 ** ((now - when) / USAGE_HALF_LIFE_S)

    def charge(self, client: str) -> None:
        """Count a request of ``client`` in its load (:data:`REQUEST_COST_S`), whatever its outcome."""
        self._use(client, REQUEST_COST_S)

    def _use(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        self._usage[client] = (self.usage(client, now) + seconds, now)
        if len(self._usage) > USAGE_CLIENTS:  # forget the lightest half
            lightest = sorted(self._usage, key=lambda c: self.usage(c, now))[: USAGE_CLIENTS // 2]
            for gone in lightest:
                del self._usage[gone]

    def verdict(self, client: str) -> int | None:
        """429 or 503 if a request of ``client`` would be refused now, else None (admitted, perhaps
        displacing a heavier client's waiter).  Changes nothing."""
        return self._place(client)[0]

    def _place(self, client: str) -> tuple[int | None, tuple[asyncio.Future, str] | None]:
        """(refusal status or None, the waiter to displace or None) for a newcomer of ``client``."""
        if self._clients[client] >= self.limits.per_client:
            return 429, None
        live = [entry for entry in self._waiting if not entry[0].done()]
        now = time.monotonic()
        if (self.running < self.limits.slots and self._may_run(client) or len(live) < self.limits.queue
                or self._express_free() and not self.heavy(client)):
            return None, None
        if not live:
            return 503, None
        waiting = Counter(c for _, c in live)
        usage = {c: self.usage(c, now) for c in waiting}
        heaviest = max((c for c in waiting if c != client), key=lambda c: (waiting[c], usage[c]), default=None)
        if heaviest is None:
            return 503, None
        mine, theirs = waiting[client], waiting[heaviest]
        lighter = (mine + 1 < theirs or mine + 1 == theirs
                   and usage[heaviest] > 2 * self.usage(client, now) + USAGE_MARGIN_S)
        if not lighter and self.express_s > 0:
            # with an express lane, a client of a better rank takes the place of one of a worse (_rank)
            mine = self._rank(client)
            worse = [c for c in waiting if c != client and self._rank(c) > mine]
            if worse:
                heaviest, lighter = max(worse, key=lambda c: (self._rank(c), waiting[c], usage[c])), True
        if not lighter:
            return 503, None
        return None, next(entry for entry in reversed(live) if entry[1] == heaviest)

    async def run(self, client: str, work: Callable[[], T]) -> T:
        """``work()`` in the gate's executor once a slot is free; 429 or 503 (with Retry-After) at once
        when the client has its share or the queue is full (and no heavier client's place can be
        taken), 503 when no slot came in time or a lighter client took this one's place."""
        displaced = MESSAGES[self.kind][3]
        refused, victim = self._place(client)
        self.charge(client)
        if refused is not None:
            raise self._refuse(refused, self._message(refused))
        if victim is not None:
            self._waiting.remove(victim)
            victim[0].set_result(False)  # its request answers 503 (displaced)
        self._clients[client] += 1
        try:
            lane = await self._acquire(client)
            while True:
                if not lane:
                    raise self._refuse(503, Message(displaced))
                started = time.monotonic()
                job = partial(self._express_run, work) if lane == EXPRESS else work
                running = asyncio.get_running_loop().run_in_executor(self.executor, job)
                finish = partial(self._finish, client, lane, started)
                try:
                    return await asyncio.shield(running)
                except endpoint.OverBudget:
                    pass  # stopped at the express budget: its client is heavy now, it waits for an ordinary slot
                finally:
                    if running.done():
                        finish(running)
                    else:  # the client went away: the slot is free when the work has ended, not before
                        running.add_done_callback(finish)
                lane = await self._acquire(client, express=False)
        finally:
            self._clients[client] -= 1
            if not self._clients[client]:
                del self._clients[client]
                if not self._running_by[client]:
                    self._served.pop(client, None)

    async def _acquire(self, client: str, express: bool = True) -> str | bool:
        """:data:`ORDINARY` or :data:`EXPRESS` (the express lane, unless ``express`` is False) once a slot is
        ``client``'s; False if its place was given to a lighter client."""
        lane = None
        if (self.running < self.limits.slots and self._may_run(client)
                and not any(not t.done() and self._may_run(c) for t, c in self._waiting)):
            lane = ORDINARY
        elif (express and self._express_free() and not self.heavy(client)
              and not any(not t.done() and self._may_express(t, c) for t, c in self._waiting)):
            lane = EXPRESS
        if lane:
            self._grant(client, lane)
            return lane
        ticket = asyncio.get_running_loop().create_future()
        entry = (ticket, client)
        if not express:
            self._ordinary_only.add(ticket)
        self._waiting.append(entry)
        self._pump()  # a free slot that no earlier waiter may take may be this one's
        try:
            return await asyncio.wait_for(asyncio.shield(ticket), self.limits.wait_s)
        except BaseException as exc:  # the wait timed out or the request was cancelled (client gone)
            if ticket.done() and not ticket.cancelled():
                if ticket.result():  # the slot was handed over as the wait ended: pass it on
                    self._release(client, 0.0, ticket.result())
            else:
                ticket.cancel()
                if entry in self._waiting:
                    self._waiting.remove(entry)
            if isinstance(exc, asyncio.TimeoutError):
                no_slot = MESSAGES[self.kind][2]
                raise self._refuse(503, Message(no_slot, seconds=f"{self.limits.wait_s:g}")) from None
            raise

    def heavy(self, client: str) -> bool:
        """Whether ``client``'s runs lately (halved every :data:`HEAVY_HALF_LIFE_S`) took
        :attr:`heavy_s` or more on average.  An average, not a sum: a client asking many light
        queries is not heavy, one whose queries run to their time limit is."""
        seconds, runs, _ = self._runs.get(client, (0.0, 0.0, 0.0))
        return runs > 0 and seconds / runs >= self.heavy_s

    def _ran(self, client: str, seconds: float, at_least: float = 0.0) -> None:
        """One more run of ``client``, of ``seconds``, in its record (the runs before halved every
        :data:`HEAVY_HALF_LIFE_S`); ``at_least`` raises the record's average to at least that (not a rounding below it)."""
        now = time.monotonic()
        before, runs, when = self._runs.get(client, (0.0, 0.0, now))
        decay = 0.5 ** ((now - when) / HEAVY_HALF_LIFE_S)
        runs = runs * decay + 1
        self._runs[client] = (max(before * decay + seconds, at_least * runs * (1 + 1e-9)), runs, now)
        if len(self._runs) > USAGE_CLIENTS:  # forget the half not heard of for longest
            for gone in sorted(self._runs, key=lambda c: self._runs[c][2])[: USAGE_CLIENTS // 2]:
                del self._runs[gone]

    def _may_run(self, client: str) -> bool:
        """Whether a slot may go to ``client``: always, unless it is heavy and every slot but one already
        runs a heavy client's work (the last is kept for the others; with one slot, nothing is kept)."""
        if self.limits.slots < 2 or not self.heavy(client):
            return True
        heavy = sum(n for c, n in self._running_by.items() if self.heavy(c))
        if self.express is not None and self.heavy(self.express):
            heavy -= 1  # the express lane's is not in an ordinary slot
        return heavy < self.limits.slots - 1

    def _express_free(self) -> bool:
        return self.express_s > 0 and self.express is None

    def _rank(self, client: str) -> int:
        """0 for a client whose runs lately took less than the express budget on average (light), 2 for a heavy
        one, 1 for the others (new ones among them): the express lane goes to the best rank first."""
        if self.heavy(client):
            return 2
        seconds, runs, _ = self._runs.get(client, (0.0, 0.0, 0.0))
        return 0 if runs > 0 and seconds / runs < self.express_s else 1

    def _may_express(self, ticket: asyncio.Future, client: str) -> bool:
        """Whether the waiter ``ticket`` of ``client`` may take the express lane: its client is not heavy
        and it was not sent back from the lane."""
        return ticket not in self._ordinary_only and not self.heavy(client)

    def _express_run(self, work: Callable[[], T]) -> T:
        """``work()`` with its queries stopped at :attr:`express_s` (:class:`kg.endpoint.OverBudget`)."""
        with endpoint.budget(self.express_s):
            return work()

    def _mark_heavy(self, client: str) -> None:
        """Count ``client`` heavy now, as if its runs had all taken :attr:`heavy_s`: its work was stopped at
        the express budget.  Its later runs make the average what they are."""
        self._ran(client, self.heavy_s, at_least=self.heavy_s)

    def _finish(self, client: str, lane: str, started: float, done: asyncio.Future) -> None:
        """The work run in ``lane`` since ``started`` has ended (``done``): its slot freed; its client marked
        heavy if it was stopped at the express budget."""
        overran = not done.cancelled() and isinstance(done.exception(), endpoint.OverBudget)
        if overran:
            self._mark_heavy(client)
        self._release(client, time.monotonic() - started, lane, count_run=not overran)

    def _grant(self, client: str, lane: str) -> None:
        if lane == EXPRESS:
            self.express = client
        else:
            self.running += 1
        self._running_by[client] += 1
        self._served[client] = next(self._tick)

    def _release(self, client: str, seconds: float, lane: str = ORDINARY, count_run: bool = True) -> None:
        """``client``'s slot in ``lane`` (used ``seconds``) freed, and handed on (:meth:`_pump`)."""
        self._use(client, seconds)
        if seconds and count_run:
            self._ran(client, seconds)
        self._running_by[client] -= 1
        if not self._running_by[client]:
            del self._running_by[client]
            if client not in self._clients:
                self._served.pop(client, None)
        if lane == EXPRESS:
            self.express = None
        else:
            self.running -= 1
        self._pump()

    def _pump(self) -> None:
        """Each free slot to the fairest live waiter that may run (:meth:`_may_run`): its client has the
        fewest running, then the least recent load, then was served longest ago, then came first.  A
        slot no waiter may take stays free (only heavy clients wait, and the other slots run heavy work)."""
        self._waiting = deque(entry for entry in self._waiting if not entry[0].done())
        self._ordinary_only &= {ticket for ticket, _ in self._waiting}
        while self._waiting:
            now = time.monotonic()
            allowed = [i for i, (_, c) in enumerate(self._waiting) if self._may_run(c)]
            lane = ORDINARY
            if self.running >= self.limits.slots or not allowed:
                lane = EXPRESS
                allowed = [i for i, (t, c) in enumerate(self._waiting) if self._may_express(t, c)]
                if not self._express_free() or not allowed:
                    return
            # at most KG_*_QUEUE waiters: a scan is cheap, and the order is kept for the ties; the express lane
            # goes to a light client (_rank) before a new one
            i = min(allowed,
                    key=lambda i: (self._rank(self._waiting[i][1]) if lane == EXPRESS else 0,
                                   self._running_by[self._waiting[i][1]], self.usage(self._waiting[i][1], now),
                                   self._served.get(self._waiting[i][1], -1), i))
            ticket, chosen = self._waiting[i]
            del self._waiting[i]
            self._ordinary_only.discard(ticket)
            self._grant(chosen, lane)
            ticket.set_result(lane)

    def _message(self, status: int) -> Message:
        share, full = MESSAGES[self.kind][:2]
        if status == 429:
            return Message(share, n=self.limits.per_client)
        return Message(full, slots=self.limits.slots, queue=self.limits.queue)

    def refusal_body(self, status: int, lang: str) -> bytes:
        """The JSON error of :meth:`verdict`'s refusal ``status`` in ``lang``, as
        :func:`api.errors.error_response` writes it (made once per status and language)."""
        key = (status, lang)
        if key not in self._bodies:
            message = self._message(status)
            self._bodies[key] = json.dumps({"error": {"status": status, "code": message.code,
                                                      "message": message.text(lang)}},
                                           ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self._bodies[key]

    def _refuse(self, status: int, message: Message) -> HTTPException:
        return problem(status, message, headers={"Retry-After": self.retry_after})

    async def admit(self, request: Request, work: Callable[[], T]) -> T:
        """:meth:`run` for the client that sent ``request``."""
        return await self.run(request.client.host if request.client else "unknown", work)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


#: the POST bodies /sparql takes (others get 403 or 415 from the route, never a queue's refusal)
_SPARQL_BODIES = (SPARQL_FORM.encode(), SPARQL_DIRECT.encode())


class RefuseEarly:
    """Answers the SPARQL queries the gate would refuse (429, 503) before routing: no parameter
    checked, no dependency run, the body made once per language (:meth:`Gate.refusal_body`).  A
    refused query is answered the same either way (status, ``Retry-After``, the JSON error in the
    user's language, the security headers of the middleware around it); only the cost differs (a
    client refused at once comes straight back).  Exports are not refused here: a request for a
    drawing must first be checked (a 400 naming a limit comes before any 503) and may be answered
    from memory.  Plain ASGI, as :class:`api.app.RememberLanguage`."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/sparql" and _is_query(scope):
            gate: Gate = scope["app"].state.sparql_gate
            client = scope["client"][0] if scope.get("client") else "unknown"
            status = gate.verdict(client)
            if status is not None:
                gate.charge(client)
                body = gate.refusal_body(status, _lang(scope))
                await send({"type": "http.response.start", "status": status, "headers": [
                    (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    (b"retry-after", gate.retry_after.encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _is_query(scope) -> bool:
    """A request /sparql would run through its gate: a GET with ``query=``, a POST of a query body."""
    if scope["method"] == "GET":
        qs = scope.get("query_string", b"")
        return qs.startswith(b"query=") or b"&query=" in qs
    if scope["method"] == "POST":
        media = next((v for k, v in scope["headers"] if k == b"content-type"), b"")
        return media.split(b";")[0].strip().lower() in _SPARQL_BODIES
    return False


def _lang(scope) -> str:
    """:func:`api.errors.error_lang` of the raw request (its query and cookies are parsed only if asked)."""
    return error_lang(Request(scope))
