"""api/admission.py and api/routers/export.py under contention: a full queue shared by client (a lighter
client takes a heavier one's newest place), refusals answered before routing, identical exports drawn once,
a PNG over the pixel limit refused (400) before it could be queued.

The gate is driven directly on an event loop where only its decisions are tested (work blocked on a
threading.Event, bounded waits); the app in-process (httpx over ASGI) or on 127.0.0.1 where the routes are."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid

import httpx
import pytest
from fastapi import HTTPException

from api import admission
from api.admission import AdmissionLimits, Gate
from api.app import create_app
from api.routers import export as export_router
from api.routers.sparql import get_limits
from kg.endpoint import Limits
from tests.support.system import needs_graphviz


def code_of(exc: HTTPException) -> str:
    return exc.detail["message"].code


async def started(gate: Gate, client: str, work, settle: float = 0.05) -> asyncio.Future:
    """``gate.run(client, work)`` as a task, given a moment to take its slot or its place."""
    task = asyncio.ensure_future(gate.run(client, work))
    await asyncio.sleep(settle)
    return task


def on_gate(scenario, limits: AdmissionLimits, **options) -> None:
    """``scenario(gate, release)`` run on an event loop with a new :class:`Gate` and an event the blocked work
    waits on; afterwards the work is released and the gate's threads closed, whatever the scenario did."""
    gate, release = Gate(limits, **options), threading.Event()
    try:
        asyncio.run(scenario(gate, release))
    finally:
        release.set()
        gate.close()


def test_a_client_with_fewer_waiting_takes_the_newest_place_of_the_one_with_most():
    async def scenario(gate, release):
        slow = [await started(gate, "10.0.0.1", lambda: release.wait(5) and "slow") for _ in range(3)]
        assert gate.running == 1 and gate.waiting == 2  # one client: one running, the queue full
        assert gate.verdict("10.0.0.1") == 503  # that client gets no more places
        assert gate.verdict("10.0.0.2") is None  # another client, with none waiting, does
        light = await started(gate, "10.0.0.2", lambda: "light")
        with pytest.raises(HTTPException) as displaced:
            await slow[2]  # the newest place of the client holding the most
        assert displaced.value.status_code == 503 and displaced.value.headers == {"Retry-After": "3"}
        assert code_of(displaced.value) == "sparql_displaced"
        assert not slow[1].done() and gate.waiting == 2
        release.set()
        assert await light == "light"  # and the freed slot goes to the lighter client first
        assert [await slow[0], await slow[1]] == ["slow", "slow"]

    on_gate(scenario, AdmissionLimits(slots=1, queue=2, per_client=4, wait_s=5), retry_after_s=3)


def test_at_equal_places_the_lighter_client_displaces_the_heavier_and_equals_do_not():
    async def scenario(gate, release):
        running = await started(gate, "10.0.1.1", lambda: release.wait(5))
        first = await started(gate, "10.0.1.2", lambda: "first")
        second = await started(gate, "10.0.1.3", lambda: "second")
        assert gate.verdict("10.0.1.4") == 503  # one place each, about as light: refused at the door
        with pytest.raises(HTTPException) as refused:
            await gate.run("10.0.1.4", lambda: "never")
        assert refused.value.status_code == 503 and code_of(refused.value) == "sparql_queue_full"
        for _ in range(15):  # 10.0.1.3 keeps coming back: its load grows
            gate.charge("10.0.1.3")
        assert gate.usage("10.0.1.3") > 2 * gate.usage("10.0.1.5") + admission.USAGE_MARGIN_S
        light = await started(gate, "10.0.1.5", lambda: "light")
        with pytest.raises(HTTPException) as displaced:
            await second
        assert code_of(displaced.value) == "sparql_displaced"
        release.set()
        assert await running is True
        assert {await first, await light} == {"first", "light"}

    on_gate(scenario, AdmissionLimits(slots=1, queue=2, per_client=4, wait_s=5), retry_after_s=1)


def test_slot_time_counts_in_the_load():
    async def scenario(gate, _release):
        await gate.run("10.0.2.1", lambda: threading.Event().wait(0.3))
        await gate.run("10.0.2.2", lambda: None)
        assert gate.usage("10.0.2.1") > 0.3 + admission.REQUEST_COST_S * 0.9 > gate.usage("10.0.2.2")

    on_gate(scenario, AdmissionLimits(slots=1, queue=1, per_client=4, wait_s=5))


@pytest.fixture
def app(explorer):
    app = create_app(explorer=explorer)
    app.dependency_overrides[get_limits] = lambda: Limits(timeout_s=2)
    yield app
    app.state.sparql_gate.close()
    app.state.export_gate.close()


def asgi(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kg.test", timeout=30)


def test_a_refused_query_is_answered_before_routing_with_the_same_answer(app):
    """With the queue full, a query is refused by admission.RefuseEarly: no route or dependency runs (the
    limits dependency is never asked), and the answer is the gate's own: 503, Retry-After, the JSON error
    in the user's language, the security and CORS headers."""
    asked = []

    async def counted_limits() -> Limits:
        asked.append(1)
        return Limits(timeout_s=2)

    app.dependency_overrides[get_limits] = counted_limits
    gate = Gate(AdmissionLimits(slots=1, queue=0, per_client=4, wait_s=5), retry_after_s=2)
    app.state.sparql_gate = gate

    async def scenario():
        release = threading.Event()
        try:
            holding = await started(gate, "somebody", lambda: release.wait(5))
            async with asgi(app) as client:
                r = await client.get("/sparql", params={"query": "ASK {}"}, headers={"accept-language": "en"})
                posted = await client.post("/sparql", content="ASK {}",
                                           headers={"content-type": "application/sparql-query", "cookie": "lang=zh"})
                malformed = await client.post("/sparql", content="x", headers={"content-type": "text/plain"})
            release.set()
            await holding
            return r, posted, malformed
        finally:
            release.set()

    r, posted, malformed = asyncio.run(scenario())
    assert asked == [1]  # only the malformed POST reached the route (415: not a query the gate would run)
    assert malformed.status_code == 415
    assert r.status_code == 503 and r.headers["retry-after"] == "2"
    assert r.json() == {"error": {"status": 503, "code": "sparql_queue_full",
                                  "message": "1 SPARQL queries are running and 0 are waiting (the most allowed); "
                                             "try again shortly."}}
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["access-control-allow-origin"] == "*"
    assert posted.status_code == 503 and "已达上限" in posted.json()["error"]["message"]


@needs_graphviz
def test_identical_exports_at_once_are_drawn_once(app, monkeypatch):
    app.state.export_gate = Gate(AdmissionLimits(slots=2, queue=8, per_client=8, wait_s=20), kind="export")
    draws = []
    go = threading.Event()
    real = export_router.export_bytes

    def counted(*args, **kwargs):
        draws.append(1)
        go.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(export_router, "export_bytes", counted)
    url = f"/export/tree.svg?title=coalesced-{uuid.uuid4().hex}"  # never drawn before

    async def scenario():
        async with asgi(app) as client:
            requests = [asyncio.ensure_future(client.get(url)) for _ in range(4)]
            await asyncio.sleep(0.5)  # all four have arrived: the first is drawing, held
            go.set()
            return await asyncio.gather(*requests)

    answers = asyncio.run(scenario())
    assert [r.status_code for r in answers] == [200] * 4
    assert len({r.content for r in answers}) == 1 and b"<svg" in answers[0].content
    assert len(draws) == 1
    assert app.state.drawing == {}  # nothing left behind


@needs_graphviz
def test_a_png_over_the_pixel_limit_gets_its_400_even_when_the_queue_is_full(app, monkeypatch):
    gate = Gate(AdmissionLimits(slots=1, queue=0, per_client=4, wait_s=5), retry_after_s=1, kind="export")
    app.state.export_gate = gate
    big = {"dpi": "450", "title": f"big-{uuid.uuid4().hex}"}

    async def scenario():
        release = threading.Event()
        async with asgi(app) as client:
            first = await client.get("/export/whole.png", params=big)  # drawn far enough to know its size
            holding = await started(gate, "somebody", lambda: release.wait(10))  # the one slot taken, no queue
            try:
                again = await client.get("/export/whole.png", params=big | {"dpi": "600"})
                page = await client.get("/export/tree.png", params={"preset": "a4-portrait", "dpi": "1200",
                                                                     "title": uuid.uuid4().hex})
                fresh = await client.get("/export/tree.png", params={"title": uuid.uuid4().hex})
            finally:
                release.set()
            await holding
        return first, again, page, fresh

    first, again, page, fresh = asyncio.run(scenario())
    assert first.status_code == 400 and first.json()["error"]["code"] == "export.png_too_big"
    assert again.status_code == 400 and again.json()["error"]["code"] == "export.png_too_big"
    assert "600" in again.json()["error"]["message"]
    assert page.status_code == 400 and page.json()["error"]["code"] == "export.png_too_big"
    assert fresh.status_code == 503 and fresh.headers["retry-after"] == "1"  # the queue was full indeed


def test_health_is_answered_before_routing_with_the_routes_answer(explorer):
    """api.app.EarlyHealth: no route or dependency runs for /-/health (the explorer dependency, broken here,
    is never asked), and the answer is the route function's, with the security headers."""
    from fastapi.testclient import TestClient

    from api.deps import get_explorer
    from api.routers import health

    app = create_app(explorer=explorer)

    async def broken():
        raise RuntimeError("the route was used")

    app.dependency_overrides[get_explorer] = broken
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/-/health")
        assert client.get("/concepts.json").status_code == 500  # the override does break the routes
    assert r.status_code == 200 and r.json() == asyncio.run(health.health(explorer))
    assert r.json()["status"] == "ok" and r.json()["concepts"] == len(explorer.catalog.concepts)
    assert r.headers["x-content-type-options"] == "nosniff"


def test_heavy_clients_leave_one_slot_to_the_others():
    async def scenario(gate, release):
        for heavy in ("10.0.3.1", "10.0.3.2"):  # each ran a query that took its time
            await gate.run(heavy, lambda: threading.Event().wait(0.25))
            assert gate.heavy(heavy)
        for _ in range(30):  # many light queries (more slot time than heavy_s in all): light on average
            await gate.run("10.0.3.9", lambda: threading.Event().wait(0.02))
        assert not gate.heavy("10.0.3.9")
        first = await started(gate, "10.0.3.1", lambda: release.wait(5) and "first")
        second = await started(gate, "10.0.3.2", lambda: release.wait(5) and "second")
        assert gate.running == 1 and gate.waiting == 1  # a slot is free, but kept for the others
        light = await started(gate, "10.0.3.9", lambda: "light")
        assert await light == "light" and gate.running == 1  # it took the kept slot at once
        release.set()
        assert [await first, await second] == ["first", "second"]

    on_gate(scenario, AdmissionLimits(slots=2, queue=4, per_client=4, wait_s=5), heavy_s=0.2)


def test_with_one_slot_a_heavy_client_is_not_kept_out():
    async def scenario(gate, _release):
        await gate.run("10.0.4.1", lambda: threading.Event().wait(0.15))
        assert gate.heavy("10.0.4.1") and await gate.run("10.0.4.1", lambda: "ran") == "ran"

    on_gate(scenario, AdmissionLimits(slots=1, queue=1, per_client=4, wait_s=5), heavy_s=0.1)


@pytest.mark.parametrize("env, word", [({"KG_THREADS": "0"}, "KG_THREADS"), ({"KG_THREADS": "many"}, "KG_THREADS"),
                                       ({"KG_SPARQL_SLOTS": "9"}, "KG_SPARQL_SLOTS"),
                                       ({"KG_EXPORT_QUEUE_WAIT": "0"}, "KG_EXPORT_QUEUE_WAIT")])
def test_kg_serve_refuses_a_bad_setting_in_one_line(env, word):
    from typer.testing import CliRunner

    from api.cli import app as cli

    result = CliRunner().invoke(cli, ["serve", "--port", "1"], env={"KG_LANG": "en", **env})
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith("bad setting: ") and word in result.output and result.output.count("\n") == 1


# -- the express lane ------------------------------------------------------------------------------------------

#: runs until a time limit stops it (as in tests/api/test_admission.py)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = "ASK { ?s a lo:Remedy }"


def test_a_budget_stops_a_query_early_in_its_own_context_only(explorer):
    """kg.endpoint.budget: a query run under it stops at the budget (OverBudget, not the time limit's 503);
    a query run meanwhile in another thread keeps its own limit, and a budget longer than the limit changes
    nothing."""
    from concurrent.futures import ThreadPoolExecutor

    from kg import endpoint

    def timed(limits: Limits) -> tuple[str, float]:
        start = time.monotonic()
        try:
            endpoint.execute(explorer.store, SLOW, limits=limits)
        except (endpoint.OverBudget, endpoint.TimeLimit) as exc:
            return type(exc).__name__, time.monotonic() - start
        return "answered", time.monotonic() - start

    with ThreadPoolExecutor(1) as other:
        with endpoint.budget(0.3):
            elsewhere = other.submit(timed, Limits(timeout_s=1.5))
            stopped, took = timed(Limits(timeout_s=5))
            with endpoint.budget(9):
                limited, _ = timed(Limits(timeout_s=0.5))
        assert stopped == "OverBudget" and 0.3 <= took < 1.5
        assert limited == "TimeLimit"
        kind, other_took = elsewhere.result()
        assert kind == "TimeLimit" and other_took >= 1.5


def test_a_light_query_passes_in_the_express_lane_while_new_clients_slow_queries_hold_the_slots(app):
    """Two new clients' slow queries hold both slots (4 s limit); a third new client's slow query takes the express
    lane, is stopped at its 0.5 s budget, its client counted heavy, and it waits for an ordinary slot (none comes
    within the 1.5 s queue wait: 503); a fourth client's light query then runs in the express lane and is answered
    while the two slow queries still run."""
    gate = Gate(AdmissionLimits(slots=2, queue=4, per_client=2, wait_s=1.5), retry_after_s=1, heavy_s=3.2,
                express_s=0.5)
    app.state.sparql_gate = gate
    app.dependency_overrides[get_limits] = lambda: Limits(timeout_s=4)

    async def ask(address: str, query: str) -> tuple[httpx.Response, float]:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://kg.test", timeout=30) as client:
            start = time.monotonic()
            r = await client.get("/sparql", params={"query": query}, headers={"accept-language": "en"})
            return r, time.monotonic() - start

    async def until(condition, timeout: float = 5) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "the gate never got there"
            await asyncio.sleep(0.01)

    async def scenario():
        holders = [asyncio.ensure_future(ask(a, SLOW)) for a in ("10.0.6.1", "10.0.6.2")]
        await until(lambda: gate.running == 2)
        third = asyncio.ensure_future(ask("10.0.6.3", SLOW))
        await until(lambda: gate.express == "10.0.6.3")
        assert not gate.heavy("10.0.6.3")
        express_start = time.monotonic()
        light = asyncio.ensure_future(ask("10.0.6.4", LIGHT))
        await until(lambda: gate.express != "10.0.6.3")  # the third's query stopped at the budget
        bounced_after = time.monotonic() - express_start
        assert gate.heavy("10.0.6.3") and gate.running == 2
        light_r, light_s = await light
        still_running = gate.running
        return await asyncio.gather(*holders), await third, (light_r, light_s), bounced_after, still_running

    holders, (third, _), (light, light_s), bounced_after, still_running = asyncio.run(scenario())
    assert bounced_after < 1.5
    assert light.status_code == 200 and light.json()["boolean"] is True
    assert light_s < 2.0 and still_running == 2  # answered while the slow queries held both slots
    assert third.status_code == 503 and third.headers["retry-after"] == "1"
    assert third.json()["error"]["code"] == "sparql_no_slot"  # sent back to wait for an ordinary slot
    assert [r.status_code for r, _ in holders] == [503, 503]  # their own 4 s limit (no budget in the ordinary slots)
    assert all(took >= 4 for _, took in holders)
    assert not gate.heavy("10.0.6.4") and gate.express is None and gate.running == 0


def test_a_heavy_client_is_kept_out_of_the_express_lane():
    async def scenario(gate, release):
        await gate.run("10.0.7.1", lambda: threading.Event().wait(0.25))
        assert gate.heavy("10.0.7.1")
        holding = await started(gate, "10.0.7.2", lambda: release.wait(5) and "held")
        heavy = await started(gate, "10.0.7.1", lambda: "heavy")
        assert gate.running == 1 and gate.express is None and gate.waiting == 1  # it waits, the lane stays free
        light = await started(gate, "10.0.7.3", lambda: "light")
        assert await light == "light" and not heavy.done()  # a light one took the lane at once
        gate.express = "someone"  # the lane busy; the queue (4) filled by heavy clients, one place each
        others = ["10.0.7.5", "10.0.7.6", "10.0.7.7"]
        for other in others:
            gate._mark_heavy(other)  # as a query stopped at the express budget does
        more = [await started(gate, other, lambda: "other") for other in others]
        for _ in range(20):  # a busy client: not lighter than the heavy ones by its load
            gate.charge("10.0.7.4")
        assert gate.waiting == 4 and gate.usage("10.0.7.4") > 2 * gate.usage("10.0.7.1")
        assert gate.verdict("10.0.7.4") is None  # not known heavy: a heavy client's place is its
        newcomer = await started(gate, "10.0.7.4", lambda: "newcomer")
        with pytest.raises(HTTPException) as displaced:
            await heavy  # the heavy client with the most load lost its place
        assert code_of(displaced.value) == "sparql_displaced" and not newcomer.done()
        assert gate.verdict("10.0.7.8") is None
        gate.express = None
        gate._pump()
        assert await newcomer == "newcomer"  # the lane, freed, goes to it
        release.set()
        assert [await holding] + [await task for task in more] == ["held", "other", "other", "other"]

    on_gate(scenario, AdmissionLimits(slots=1, queue=4, per_client=4, wait_s=5), heavy_s=0.2, express_s=0.5)


@pytest.mark.parametrize("value", ["-1", "soon", "inf"])
def test_the_express_budget_setting_is_checked(value):
    with pytest.raises(ValueError, match="KG_SPARQL_EXPRESS_S"):
        admission.express_budget({"KG_SPARQL_EXPRESS_S": value})
    assert admission.express_budget({}) == admission.EXPRESS_S and admission.express_budget({"KG_SPARQL_EXPRESS_S": "0"}) == 0


def test_the_express_lane_goes_to_a_light_client_before_new_ones():
    async def scenario(gate, release):
        await gate.run("10.0.8.9", lambda: "a light run")  # a client known light
        for _ in range(20):  # and busy: heavier by its load than the new clients
            gate.charge("10.0.8.9")
        holding = await started(gate, "10.0.8.0", lambda: release.wait(5) and "held")
        gate.express = "someone"  # the lane busy
        order = []
        new = [await started(gate, c, lambda: order.append("new") or "new") for c in ("10.0.8.1", "10.0.8.2")]
        assert gate.waiting == 2 and gate.verdict("10.0.8.3") == 503  # a new client among new ones: refused
        light = await started(gate, "10.0.8.9", lambda: order.append("light") or "light")  # a new one's place
        displaced = [task for task in new if task.done()]
        assert len(displaced) == 1 and code_of(displaced[0].exception()) == "sparql_displaced"
        gate.express = None
        gate._pump()
        assert await light == "light" and [await t for t in new if t not in displaced] == ["new"]
        assert order == ["light", "new"]  # the lane went to the light client first, though it came last
        release.set()
        assert await holding == "held"

    on_gate(scenario, AdmissionLimits(slots=1, queue=2, per_client=4, wait_s=5), heavy_s=5, express_s=0.5)
