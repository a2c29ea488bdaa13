"""api/admission.py: SPARQL queries and exports queue without holding the server's threads, a full queue
and a greedy client are refused at once with Retry-After, pages answer fast while slow queries or slow
drawings loop, a drawing already made is answered without waiting, and a freed slot goes to the client
with the fewest running (then the one served longest ago), not to whoever queued most.

A real uvicorn on 127.0.0.1 (in a thread).  The server's thread pool is cut to a few threads so
that a handful of looping clients would starve it if queries held threads while they wait; clients
are told apart by X-Forwarded-For (uvicorn trusts it from 127.0.0.1)."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import anyio.to_thread
import httpx
import pytest

from api import admission
from api.app import create_app
from api.routers.sparql import get_limits
from kg.endpoint import Limits
from tests.support.browser import LiveServer
from tests.support.system import needs_graphviz

#: runs until the 1 s time limit stops it
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FAST = "ASK { ?s a lo:Remedy }"
POOL_THREADS = 4


class SmallThreadPool:
    """Cuts the server's thread pool (anyio's default limiter, 40 threads) to ``POOL_THREADS``."""

    def __init__(self, app) -> None:
        self.app = app
        self.loop: asyncio.AbstractEventLoop | None = None  # the server's, once it has answered

    async def __call__(self, scope, receive, send) -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = POOL_THREADS
        self.loop = asyncio.get_running_loop()
        await self.app(scope, receive, send)


@pytest.fixture
def serve(explorer):
    """``serve(slots=, queue=, per_client=, wait_s=, export=AdmissionLimits(...))``: the base URL of a fresh
    app with those SPARQL limits (and export limits)."""
    servers = []

    def start(export: admission.AdmissionLimits = admission.EXPORT_LIMITS, **limits) -> str:
        app = create_app(explorer=explorer)
        app.state.sparql_gate = admission.Gate(admission.AdmissionLimits(**limits), retry_after_s=1)
        app.state.export_gate = admission.Gate(export, retry_after_s=1, kind="export")
        app.dependency_overrides[get_limits] = lambda: Limits(timeout_s=1)
        wrapped = SmallThreadPool(app)
        server = LiveServer(wrapped).__enter__()
        servers.append(server)
        assert httpx.get(f"{server.url}/-/health").status_code == 200
        start.loop = wrapped.loop
        start.gate = app.state.sparql_gate
        start.export_gate = app.state.export_gate
        return server.url

    yield start
    for server in servers:
        server.__exit__(None, None, None)


def wait_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the gate never got there"
        time.sleep(0.02)


def sparql(base: str, query: str, client: str | None = None) -> httpx.Response:
    headers = {"accept-language": "en", **({"x-forwarded-for": client} if client else {})}
    return httpx.get(f"{base}/sparql", params={"query": query}, headers=headers, timeout=30)



def probe_while(base: str, stop) -> dict[str, float]:
    """The worst of 8 answers each of /-/health and /search, half a second after the hostile clients started;
    then ``stop`` is set (also when a probe fails)."""
    time.sleep(0.5)
    worst: dict[str, float] = {}
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for path, params in [("/-/health", {}), ("/search", {"q": "愿景"})] * 8:
                start = time.perf_counter()
                assert client.get(path, params=params).status_code == 200
                worst[path] = max(worst.get(path, 0), time.perf_counter() - start)
    finally:
        stop.set()
    return worst

def test_pages_answer_fast_while_slow_queries_loop(serve):
    base = serve(slots=2, queue=4, per_client=2, wait_s=5)
    assert httpx.get(f"{base}/search", params={"q": "愿景"}).status_code == 200  # jieba's dictionary read
    stop = threading.Event()
    statuses: list[tuple[int, str | None]] = []

    def hostile(n: int) -> None:
        while not stop.is_set():
            r = sparql(base, SLOW, client=f"10.0.0.{n}")
            statuses.append((r.status_code, r.headers.get("retry-after")))

    with ThreadPoolExecutor(12) as pool:
        for n in range(12):  # three times the server's threads
            pool.submit(hostile, n)
        worst = probe_while(base, stop)
    print(f"worst of 8 while 12 clients loop: {worst}")
    assert worst["/-/health"] < 1 and worst["/search"] < 1, worst
    codes = {code for code, _ in statuses}
    assert codes <= {503}, codes  # each slow query hits its time limit, or finds the queue full
    assert any(retry == "1" for _, retry in statuses)  # the queue was full: refused at once, with Retry-After
    assert sparql(base, FAST).json()["boolean"] is True  # and the endpoint still answers


def test_full_queue_refused_at_once_with_retry_after(serve):
    base = serve(slots=1, queue=1, per_client=4, wait_s=5)
    with ThreadPoolExecutor(2) as pool:
        running = [pool.submit(sparql, base, SLOW, f"10.0.1.{n}") for n in range(2)]  # one runs, one waits
        wait_until(lambda: serve.gate.running == 1 and serve.gate.waiting == 1)
        start = time.perf_counter()
        refused = sparql(base, FAST, client="10.0.1.9")
        took = time.perf_counter() - start
        assert [f.result().status_code for f in running] == [503, 503]  # their time limit
    assert refused.status_code == 503 and took < 0.5
    assert refused.headers["retry-after"] == "1"
    assert "waiting" in refused.json()["error"]["message"] and refused.json()["error"]["code"] == "sparql_queue_full"


def test_one_client_limited_with_429(serve):
    base = serve(slots=2, queue=8, per_client=2, wait_s=5)
    with ThreadPoolExecutor(2) as pool:
        mine = [pool.submit(sparql, base, SLOW, "10.0.2.1") for _ in range(2)]
        wait_until(lambda: serve.gate.running == 2)
        third = sparql(base, FAST, client="10.0.2.1")
        other = sparql(base, FAST, client="10.0.2.2")  # another client waits its turn and is answered
        assert [f.result().status_code for f in mine] == [503, 503]
    assert third.status_code == 429 and third.headers["retry-after"] == "1"
    assert "per client" in third.json()["error"]["message"] and third.json()["error"]["code"] == "sparql_client_share"
    assert other.status_code == 200


def test_a_query_that_waits_too_long_gets_503(serve):
    base = serve(slots=1, queue=4, per_client=4, wait_s=0.3)
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(sparql, base, SLOW, "10.0.3.1")
        wait_until(lambda: serve.gate.running == 1)
        waited = sparql(base, FAST, client="10.0.3.2")
        running.result()
    assert waited.status_code == 503 and waited.headers["retry-after"] == "1"
    assert "within 0.3 s" in waited.json()["error"]["message"] and waited.json()["error"]["code"] == "sparql_no_slot"
    assert sparql(base, FAST).status_code == 200  # the slot was given back


def test_a_client_gone_keeps_its_slot_until_its_query_ends(serve):
    """The query of a client that hung up still runs (to its time limit): its slot is not given to
    another query before, or more queries would run than there are slots."""
    base = serve(slots=1, queue=4, per_client=4, wait_s=5)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{base}/sparql", params={"query": SLOW}, timeout=0.3)
    time.sleep(0.2)
    assert serve.gate.running == 1  # the abandoned query still holds the only slot
    start = time.perf_counter()
    assert sparql(base, FAST).status_code == 200  # waits for it, then runs
    assert time.perf_counter() - start > 0.3
    assert serve.gate.running == 0


@pytest.mark.parametrize("env, word", [({"KG_SPARQL_SLOTS": "0"}, "KG_SPARQL_SLOTS"),
                                       ({"KG_SPARQL_SLOTS": "99"}, "KG_SPARQL_SLOTS"),
                                       ({"KG_SPARQL_QUEUE_WAIT": "0"}, "KG_SPARQL_QUEUE_WAIT"),
                                       ({"KG_SPARQL_QUEUE": "many"}, "KG_SPARQL")])
def test_settings_checked(env, word):
    with pytest.raises(ValueError, match=word):
        admission.AdmissionLimits.from_env(env)
    assert admission.AdmissionLimits.from_env({"KG_SPARQL_QUEUE": "3"}).queue == 3


@pytest.mark.parametrize("env, word", [({"KG_EXPORT_SLOTS": "0"}, "KG_EXPORT_SLOTS"),
                                       ({"KG_EXPORT_SLOTS": "99"}, "KG_EXPORT_SLOTS"),
                                       ({"KG_EXPORT_PER_CLIENT": "0"}, "KG_EXPORT_PER_CLIENT")])
def test_export_settings_checked(env, word):
    with pytest.raises(ValueError, match=word):
        admission.export_limits(env)
    limits = admission.export_limits({"KG_EXPORT_QUEUE_WAIT": "2.5", "KG_SPARQL_QUEUE_WAIT": "9"})
    assert limits.wait_s == 2.5 and limits.slots == admission.EXPORT_LIMITS.slots


def test_every_setting_is_in_the_readme():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = set(re.findall(r"KG_(?:SPARQL|EXPORT)_[A-Z_]+", (root / "api" / "admission.py").read_text(encoding="utf-8")
                           + (root / "kg" / "endpoint.py").read_text(encoding="utf-8")))
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert len(names) >= 11 and not [n for n in sorted(names) if f"`{n}`" not in readme]


# -- exports ---------------------------------------------------------------------------------------------------


def occupy(serve, client: str) -> threading.Event:
    """Take one export slot for ``client`` on the server's loop until the event returned is set."""
    hold = threading.Event()
    asyncio.run_coroutine_threadsafe(serve.export_gate.run(client, lambda: hold.wait(30)), serve.loop)
    return hold


def export(base: str, path: str, client: str | None = None) -> httpx.Response:
    headers = {"accept-language": "en", **({"x-forwarded-for": client} if client else {})}
    return httpx.get(f"{base}{path}", headers=headers, timeout=60)


@needs_graphviz
def test_pages_answer_fast_while_slow_exports_loop(serve):
    """Eight clients loop on drawings never made before (each title new, so none is in memory): with
    four server threads, drawings that waited for their slot in a server thread would starve pages
    (15 s for /-/health when tried so; the hostile clients share this process's GIL with the server)."""
    base = serve(export=admission.AdmissionLimits(slots=1, queue=2, per_client=1, wait_s=5))
    assert httpx.get(f"{base}/search", params={"q": "愿景"}).status_code == 200  # jieba's dictionary read
    assert export(base, "/export/whole.png?title=warm").status_code == 200  # the fonts' first read (GIL-bound)
    stop = threading.Event()
    statuses: list[tuple[int, str | None]] = []

    def hostile(n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            r = export(base, f"/export/whole.png?title=load-{n}-{i}", client=f"10.0.5.{n}")
            statuses.append((r.status_code, r.headers.get("retry-after")))
            if r.status_code == 503:  # refused at once: a short breath, or these threads would spin on
                time.sleep(0.05)      # this process's GIL, which the server in it shares

    with ThreadPoolExecutor(8) as pool:
        for n in range(8):
            pool.submit(hostile, n)
        worst = probe_while(base, stop)
    print(f"worst of 8 while 8 clients loop on exports: {worst}")
    assert worst["/-/health"] < 1 and worst["/search"] < 1, worst
    codes = {code for code, _ in statuses}
    assert codes <= {200, 503} and 200 in codes, codes  # drawn, or refused: the queue was full
    assert any(code == 503 and retry == "1" for code, retry in statuses)


@needs_graphviz
def test_exports_refused_at_once_when_busy_and_a_drawing_made_before_answered_without_waiting(serve):
    base = serve(export=admission.AdmissionLimits(slots=1, queue=1, per_client=1, wait_s=1.5))
    made = "/export/tree.svg?title=made-before"
    first = export(base, made)
    assert first.status_code == 200
    gate = serve.export_gate
    hold = occupy(serve, "10.0.6.1")  # a drawing that lasts until the end of the checks
    with ThreadPoolExecutor(1) as pool:
        wait_until(lambda: gate.running == 1)
        waiting = pool.submit(export, base, "/export/whole.png?title=slow-b", "10.0.6.2")  # waits
        wait_until(lambda: gate.waiting == 1)
        timed = {}
        for name, path, client in [("full", "/tours/tree.pdf", "10.0.6.3"),
                                   ("share", "/export/chain.svg?title=mine-too", "10.0.6.1"),
                                   ("cached", made, "10.0.6.4")]:
            start = time.perf_counter()
            timed[name] = export(base, path, client)
            timed[name].took = time.perf_counter() - start
        assert gate.running == 1  # all that while the first drawing held the only slot
        gave_up = waiting.result()
        hold.set()
        wait_until(lambda: gate.running == 0)
    assert export(base, "/export/tree.svg?title=after", "10.0.6.1").status_code == 200  # the slot was given back
    full, share, cached = timed["full"], timed["share"], timed["cached"]
    assert full.status_code == 503 and full.headers["retry-after"] == "1" and full.took < 0.5
    assert full.json()["error"]["code"] == "export_queue_full" and "being drawn" in full.json()["error"]["message"]
    assert share.status_code == 429 and share.headers["retry-after"] == "1" and share.took < 0.5
    assert share.json()["error"]["code"] == "export_client_share"
    assert cached.status_code == 200 and cached.content == first.content and cached.took < 0.5
    assert gave_up.status_code == 503 and gave_up.json()["error"]["code"] == "export_no_slot"
    assert "1.5 s" in gave_up.json()["error"]["message"]
    assert gate.running == 0 and gate.waiting == 0


def test_every_render_route_goes_through_the_export_gate(serve):
    """With no queue and the only slot taken, each drawing route is refused at once (its body never runs)."""
    base = serve(export=admission.AdmissionLimits(slots=1, queue=0, per_client=1, wait_s=5))
    gate = serve.export_gate
    hold = occupy(serve, "10.0.7.1")
    try:
        wait_until(lambda: gate.running == 1)
        for path in ["/export/tree.svg?title=gate", "/export/chain?format=png&title=gate",
                     "/tours/tree.pdf?labels=both", "/tours/tree.pptx?theme=print", "/handout.pdf?lang=en"]:
            r = export(base, path, "10.0.7.2")
            assert r.status_code == 503 and r.json()["error"]["code"] == "export_queue_full", (path, r.text[:200])
    finally:
        hold.set()
    wait_until(lambda: gate.running == 0)


# -- fairness --------------------------------------------------------------------------------------------------


def started_order(slots: int, arrivals: list[str]) -> list[str]:
    """The order in which the gate starts work that arrives in ``arrivals`` order (client names), the
    first ``slots`` holding their slots until all have queued."""
    gate = admission.Gate(admission.AdmissionLimits(slots=slots, queue=16, per_client=8, wait_s=10))
    order: list[str] = []
    queued = threading.Event()

    async def main() -> None:
        async def one(client: str, i: int) -> None:
            def work() -> None:
                order.append(client)
                queued.wait(5) if i < slots else time.sleep(0.02)
            await gate.run(client, work)

        tasks = []
        for i, client in enumerate(arrivals):
            tasks.append(asyncio.create_task(one(client, i)))
            await asyncio.sleep(0.01)
        queued.set()
        await asyncio.gather(*tasks)

    try:
        asyncio.run(main())
    finally:
        gate.close()
    assert gate.running == 0 and not gate._running_by and not gate._clients and not gate._served
    return order


def test_a_freed_slot_goes_to_the_client_served_longest_ago():
    # one slot: a waits with three queries queued ahead of b's one; b is served next, not last
    assert started_order(1, ["a", "a", "a", "a", "b"]) == ["a", "b", "a", "a", "a"]


def test_a_freed_slot_goes_to_the_client_with_the_fewest_running():
    # two slots, both a's: when one frees, b (none running) goes ahead of a's waiting queries, then c
    assert started_order(2, ["a", "a", "a", "a", "b", "c"])[:4] == ["a", "a", "b", "c"]
