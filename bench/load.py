"""Load test on loopback, run on demand: N clients for T seconds against a real ``kg serve``; prints
throughput, p50/p99 per route, the statuses, errors, and the server's memory at start and end.

    python3 bench/load.py                              # 60 clients, 30 s, a third of them hostile
    python3 bench/load.py --clients 20 --seconds 10 --hostile 0.5
    python3 bench/load.py --workers 2                  # kg serve --workers 2 (each worker its own gates)
    python3 bench/load.py --url http://127.0.0.1:8000  # a server already running (memory not measured)

Ordinary clients loop over a mix of pages, search, graph views (HTML and JSON), light SPARQL and
small exports.  Hostile clients loop on what costs the most: SPARQL that runs until its time limit,
PNG exports over the pixel limit and PNG exports never drawn before (a new title each time, so none
is answered from memory: each needs a drawing slot).  Each client has its own address (``X-Forwarded-For``, which uvicorn trusts
from 127.0.0.1), so the per-client SPARQL limit counts each one apart.  Besides them, a probe asks
``/-/health`` and ``/search`` every 100 ms: its p99 are the figures the issue sets targets for
(health < 100 ms, search < 250 ms).  Refusals with ``Retry-After`` (429, 503) are counted apart from
errors (connection failures, timeouts, other 5xx).

The clients speak HTTP/1.1 themselves over asyncio streams (one keep-alive connection each, on uvloop
when it is installed), rather than through httpx: the load client shares the machine's cores with the
server, and every CPU-second it spends is one the server does not get (the report's CPU line says how much
each used: this client about 0.1 ms a request).  A response is read whole (Content-Length or chunked)
before its time is taken.  Refusals are tallied by their error code (queue full, client's share,
displaced by a lighter client, no slot in time).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx
import psutil
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent

ORDINARY = [
    ("page /", "/", {"accept": "text/html"}),
    ("page concept", "/concepts/mechanism-team-learning", {"accept": "text/html"}),
    ("search page", "/search?q=愿景", {"accept": "text/html"}),
    ("search.json", "/search.json?q=gtyj", {}),
    ("suggest.json", "/suggest.json?q=学习", {}),
    ("graph page", "/graph/tree", {"accept": "text/html"}),
    ("graph.json", "/graph/chain.json", {}),
    ("paths.json", "/paths.json?from=mechanism-team-learning&to=layer-roots", {}),
    ("sparql light", "/sparql?query=" + "ASK%20%7B%20%3Fs%20a%20lo%3ARemedy%20%7D", {}),
    ("export svg", "/export/tree.svg", {}),
]
HOSTILE = [
    ("sparql heavy", "/sparql?query=" + "SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fa%20%3Fb%20%3Fc%20.%20"
                                        "%3Fd%20%3Fe%20%3Ff%20.%20%3Fg%20%3Fh%20%3Fi%20%7D", {}),
    ("export png heavy", "/export/whole.png?dpi=450", {}),
    ("export png fresh", "/export/whole.png?title=load-{i}", {}),  # a new title each time: never in memory
]
PROBES = [("probe health", "/-/health", {}), ("probe search", "/search.json?q=愿景", {})]


class Connection:
    """One client's keep-alive HTTP/1.1 connection: ``get()`` sends a GET and reads the whole answer."""

    def __init__(self, host: str, port: int, headers: dict) -> None:
        self.host, self.port = host, port
        self.headers = "".join(f"{k}: {v}\r\n" for k, v in {"host": f"{host}:{port}", **headers}.items())
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, target: str, extra: dict) -> tuple[int, dict[str, str], bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        head = "".join(f"{k}: {v}\r\n" for k, v in extra.items())
        writer.write(f"GET {quote(target, safe='/?=&%:+,')} HTTP/1.1\r\n{self.headers}{head}\r\n".encode("latin-1"))
        try:
            lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            if "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                parts = []
                while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                    parts.append(await reader.readexactly(size))
                    await reader.readexactly(2)
                await reader.readuntil(b"\r\n")
                body = b"".join(parts)
            else:
                body = await reader.read()
                headers["connection"] = "close"
        except BaseException:
            self.close()
            raise
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


class Tally:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.errors: dict[str, list[str]] = defaultdict(list)

    async def fetch(self, client: Connection, name: str, url: str, headers: dict) -> None:
        start = time.perf_counter()
        try:
            async with asyncio.timeout(60):
                status, response_headers, body = await client.get(url, headers)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError,
                ValueError, IndexError) as exc:
            self.errors[name].append(type(exc).__name__)
            return
        self.times[name].append(time.perf_counter() - start)
        self.statuses[name][f"{status}{_code(status, body)}"] += 1
        if status >= 500 and "retry-after" not in response_headers:
            if not (name == "sparql heavy" and status == 503):  # its time limit, expected
                self.errors[name].append(f"{status}")


def _code(status: int, body: bytes) -> str:
    """`` (code)`` of a refusal's JSON error (the queue full, the client's share, displaced...), else ''."""
    if status not in (429, 503) or not body.startswith(b'{"error"'):
        return ""
    start = body.find(b'"code":"') + 8
    if start < 8:
        return ""
    return " (" + body[start:body.index(b'"', start)].decode() + ")"


async def client_loop(tally: Tally, base: str, n: int, routes, until: float, pause: float) -> None:
    where = urlsplit(base)
    client = Connection(where.hostname, where.port or 80, {"x-forwarded-for": f"10.{n // 250}.{n % 250}.1"})
    try:
        i = 0
        while time.monotonic() < until:
            name, url, extra = random.choice(routes)
            i += 1
            await tally.fetch(client, name, url.replace("{i}", f"{n}-{i}"), extra)
            if pause:
                await asyncio.sleep(pause)
    finally:
        client.close()


async def run(base: str, clients: int, seconds: float, hostile: float, hostile_routes=HOSTILE) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    n_hostile = round(clients * hostile)
    tasks = [client_loop(tally, base, n, hostile_routes if n < n_hostile else ORDINARY, until, 0)
             for n in range(clients)]
    tasks += [client_loop(tally, base, 10_000 + i, [probe], until, 0.1) for i, probe in enumerate(PROBES)]
    await asyncio.gather(*tasks)
    return tally


def _tree_sum(pid: int, measure) -> float:
    """``measure(process)`` summed over the server and its live children (workers, query processes, dot);
    a process that ends meanwhile counts nothing."""
    try:
        proc = psutil.Process(pid)
        procs = [proc] + proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for p in procs:
        try:
            total += measure(p)
        except psutil.NoSuchProcess:
            pass
    return total


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of the server and its live children."""
    return _tree_sum(pid, lambda p: sum(p.cpu_times()[:2]))


def rss_mb(pid: int) -> float:
    """The server's resident memory with its children, in MB."""
    return _tree_sum(pid, lambda p: p.memory_info().rss) / 2**20


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/-/health", timeout=2).status_code == 200:
                httpx.get(f"{base}/search.json?q=愿景", timeout=30)  # warm: jieba's dictionary
                return server, base
        except httpx.HTTPError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start within 300 s")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(tally: Tally, seconds: float, memory: tuple[float, float] | None) -> None:
    total = sum(len(t) for t in tally.times.values())
    print(f"\n{total} responses in {seconds:g} s: {total / seconds:.1f}/s")
    print(f"{'route':<18}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  statuses; errors")
    for name in [r[0] for r in ORDINARY + HOSTILE + PROBES]:
        times = tally.times.get(name, [])
        if not times and not tally.errors.get(name):
            continue
        ms = [t * 1000 for t in times]
        statuses = ", ".join(f"{code}×{n}" for code, n in sorted(tally.statuses[name].items()))
        errors = len(tally.errors.get(name, []))
        print(f"{name:<18}{len(ms):>6}{pct(ms, 50):>9.0f}{pct(ms, 99):>9.0f}{max(ms, default=0):>9.0f}  "
              f"{statuses}; {errors} errors")
    light = tally.statuses.get("sparql light", {})
    if light:
        answered = sum(n for code, n in light.items() if code.startswith("2"))
        print(f"ordinary clients' light SPARQL answered: {answered} of {sum(light.values())} "
              f"({100 * answered / sum(light.values()):.0f} %)")
    if memory:
        print(f"server memory (RSS with its children): {memory[0]:.0f} MB at start, {memory[1]:.0f} MB at the end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--hostile", type=float, default=1 / 3, help="share of hostile clients (0–1)")
    parser.add_argument("--workers", type=int, default=1, help="workers of the server this starts")
    parser.add_argument("--url", help="a server already running (not started, memory not measured)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["sparql", "export"], help="hostile clients loop on this alone")
    args = parser.parse_args()
    random.seed(args.seed)
    server = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        server, base = start_server(args.workers)
    try:
        before = rss_mb(server.pid) if server else None
        routes = [r for r in HOSTILE if args.only is None or r[0].startswith(args.only)]
        load_before = os.getloadavg()[0]
        server_cpu, own_cpu = cpu_s(server.pid) if server else 0.0, time.process_time()
        tally = _run_loop(run(base, args.clients, args.seconds, args.hostile, routes))
        server_cpu, own_cpu = (cpu_s(server.pid) if server else 0.0) - server_cpu, time.process_time() - own_cpu
        after = rss_mb(server.pid) if server else None
        load_after = os.getloadavg()[0]
    finally:
        if server:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"{args.clients} clients ({round(args.clients * args.hostile)} hostile) for {args.seconds:g} s on {base}")
    report(tally, args.seconds, (before, after) if server else None)
    print(f"CPU during the run: server {server_cpu:.1f} s" + (" (its live processes)" if server else " (not measured)")
          + f", this client {own_cpu:.1f} s; load average (1 min) {load_before:.1f} before, {load_after:.1f} after")


def _run_loop(coroutine):
    """``asyncio.run`` on uvloop when it is installed (a cheaper client leaves more CPU to the server)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)


if __name__ == "__main__":
    main()
