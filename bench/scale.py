"""Scale benchmarks: the explorer on synthetic SKOS graphs of 10k, 100k and 1M triples, side by side with
Oxigraph doing the same job.  Run on demand (not part of `make test`):

    python3 bench/scale.py [--sizes 10k,100k,1m] [--json out.json] [--workdir DIR] [--seed 1]
                           [--duration 10] [--clients 8] [--skip http,export,dump,phases] [--profile]

For each size it generates the graph with bench/synth.py (cached in the work dir), then runs every
measurement in a fresh subprocess, one after the other (never two at once), so that the peak memory
(the child's VmHWM, its high-water resident set) belongs to that measurement alone:

  raw load       baseline: pyoxigraph ``Store(dir).bulk_load(path=FILE)``, and the ``oxigraph load`` CLI;
                 also (shown, not the baseline) the same bulk load into a named graph, as ``kg load`` keeps
                 each file
  ready fresh    ours: ``open_store("oxigraph:DIR", paths=[FILE])`` (open + load) + ``Explorer.load(store)``
                 (a full build); then the snapshot is written, as ``kg load`` does, timed apart
  ready reopen   ours: ``open_store("oxigraph:DIR")`` on the store written above + ``Explorer.load(store)``,
                 which reads the snapshot (``phases`` times a rebuild);
                 then, in the same process, search, shortest paths, neighbourhoods and image exports
  search         ours: ``explorer.search_index.search(q)``; baseline: a SPARQL ``FILTER(CONTAINS(...))``
                 scan over the labels in pyoxigraph, for the same queries (zh substring, pinyin, en word,
                 en label with one typo; CONTAINS finds nothing for the last two but costs the same scan)
  concept JSON   ours: ``GET /concepts/{id}.json`` from ``api.cli serve --store oxigraph:DIR``; baseline:
                 ``oxigraph serve-read-only`` answering the equivalent SPARQL (the concept's triples, its
                 incoming links and its neighbours' labels) and the concept's own triples only; the same
                 client (threads over keep-alive http.client connections) for a fixed time each
  phases         ours: reopen, then ``Catalog.from_store``, ``SearchIndex.build`` and ``ConceptGraph`` one by
                 one, timed, with the peak memory after each (``--profile``: also under cProfile)
  dump           ours: ``store.serialize("nt")``; baseline: pyoxigraph ``Store.dump`` (N-Quads)

It prints a table (our figure, the baseline, the target and whether it is met) and writes JSON.
Targets (issue 6): ready within 1.5x the raw load and peak memory under 1 GB at 1M triples; search p95
<= 20 ms; shortest path p95 <= 5 ms; concept JSON throughput >= Oxigraph server's for the equivalent query.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import synth  # noqa: E402  (bench/synth.py)

SKOS = "http://www.w3.org/2004/02/skos/core#"
MB = 1024 * 1024
TARGETS = {"ready_ratio": 1.5, "peak_mb": 1024, "search_p95_ms": 20.0, "path_p95_ms": 5.0}
KINDS = ("zh", "pinyin", "en", "typo")


# -- small helpers --------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float | None:
    """The p-th percentile (nearest rank, p in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def dist_ms(seconds: list[float]) -> dict:
    """p50/p95/max/mean in milliseconds of a list of durations in seconds."""
    if not seconds:
        return {"n": 0}
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50": pct(ms, 50), "p95": pct(ms, 95), "max": max(ms), "mean": statistics.fmean(ms)}


def hwm_mb(pid: int | str = "self") -> float | None:
    """Peak resident memory (VmHWM) of a live process, in MB.

    Not ru_maxrss: Linux carries the parent's RSS at fork time into the child's ru_maxrss across
    exec, so every child of a large orchestrator would report at least the orchestrator's size."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def self_peak_mb() -> float:
    return hwm_mb() or 0.0


def cpu_busy_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores; /proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:9]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


class Noise:
    """How much CPU other processes took while a measurement ran: the machine's busy time minus what
    the measured processes used, as a share of all cores over the wall time."""

    def __init__(self) -> None:
        self.t0, self.busy0, self.load0 = time.perf_counter(), cpu_busy_s(), os.getloadavg()[0]

    def result(self, own_cpu_s: float) -> dict:
        wall = time.perf_counter() - self.t0
        others = max(0.0, cpu_busy_s() - self.busy0 - own_cpu_s)
        return {"others_cpu_share": others / (wall * (os.cpu_count() or 1)) if wall > 0 else 0.0,
                "loadavg_before": self.load0}


WAIT_IDLE = {"max_s": 0.0, "share": 0.25}


def wait_idle() -> float:
    """Wait (at most WAIT_IDLE["max_s"]) until the machine is quiet: other processes using less than
    WAIT_IDLE["share"] of all cores over 2 s.  Returns the seconds waited."""
    start = time.perf_counter()
    while time.perf_counter() - start < WAIT_IDLE["max_s"]:
        b0 = cpu_busy_s()
        time.sleep(2.0)
        if (cpu_busy_s() - b0) / (2.0 * (os.cpu_count() or 1)) < WAIT_IDLE["share"]:
            break
    return time.perf_counter() - start


def tree_pids(pid: int) -> list[int]:
    """``pid`` and its descendants (a server's worker processes), from /proc."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def proc_cpu_s(pid: int) -> float:
    """utime + stime of a live process, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def oxigraph_cli() -> str | None:
    """The Oxigraph server CLI (pip package ``oxigraph``): next to this Python first, then on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


# -- the query sets, picked deterministically from the generated file ---------------------------------

_LABEL = re.compile(r'^<https://example\.org/kos/(c\d+)> <' + re.escape(SKOS) + r'prefLabel> "(.*)"@(zh|en) \.$')


def read_labels(path: Path) -> dict[str, dict[str, str]]:
    """{concept id: {"zh": label, "en": label}} from the N-Triples file."""
    labels: dict[str, dict[str, str]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "prefLabel" not in line:
                continue
            m = _LABEL.match(line.rstrip("\n"))
            if m:
                labels.setdefault(m.group(1), {})[m.group(3)] = m.group(2)
    return labels


def _typo(rng: random.Random, text: str) -> str:
    """``text`` with one edit (substitution, deletion, insertion or swap) inside a word of 5+ letters."""
    words = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{5,}", text)]
    start, end = rng.choice(words)
    i = rng.randrange(start + 1, end - 1)
    kind = rng.randrange(4)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if kind == 0:
        return text[:i] + rng.choice([c for c in letters if c != text[i].lower()]) + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i + 1:]
    if kind == 2:
        return text[:i] + rng.choice(letters) + text[i:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def make_queries(labels: dict[str, dict[str, str]], seed: int, per_kind: int) -> dict:
    """Search queries by kind, each with the concept it was taken from; plus concept ids and path pairs."""
    from pypinyin import lazy_pinyin

    rng = random.Random(f"queries-{seed}")
    ids = sorted(labels)
    out: dict[str, list] = {k: [] for k in KINDS}
    seen: set[tuple[str, str]] = set()
    while min(len(v) for v in out.values()) < per_kind:
        cid = ids[rng.randrange(len(ids))]
        zh, en = labels[cid].get("zh", ""), labels[cid].get("en", "")
        candidates = {}
        if len(zh) >= 3:
            n = rng.choice((2, 3))
            i = rng.randrange(len(zh) - n + 1)
            candidates["zh"] = zh[i:i + n]
        if zh:
            candidates["pinyin"] = "".join(lazy_pinyin(zh))
        words = re.findall(r"[A-Za-z]{4,}", en)
        if words:
            candidates["en"] = rng.choice(words).lower()
        if re.search(r"[A-Za-z]{5,}", en):
            candidates["typo"] = _typo(rng, en)
        for kind, q in candidates.items():
            if len(out[kind]) < per_kind and (kind, q) not in seen:
                seen.add((kind, q))
                out[kind].append({"q": q, "from": cid})
    concepts = [ids[rng.randrange(len(ids))] for _ in range(200)]
    pairs = [(ids[rng.randrange(len(ids))], ids[rng.randrange(len(ids))]) for _ in range(100)]
    warm = [{"q": labels[c]["zh"][:2], "from": c} for c in (ids[rng.randrange(len(ids))] for _ in range(5))]
    warm += [{"q": labels[c]["en"].split()[0].lower(), "from": c} for c in (ids[rng.randrange(len(ids))]
                                                                             for _ in range(5))]
    return {"search": out, "warmup": warm, "concepts": concepts, "pairs": pairs}


# -- workers: each runs in its own process; prints one JSON line "RESULT {...}" --------------------------


def w_raw_load(file: str, location: str) -> dict:
    import pyoxigraph as ox

    start = time.perf_counter()
    store = ox.Store(location)
    store.bulk_load(path=file, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    took = time.perf_counter() - start
    quads = len(store)
    del store
    start = time.perf_counter()
    again = ox.Store(location)
    reopen = time.perf_counter() - start
    next(iter(again.quads_for_pattern(None, None, None)), None)
    del again
    peak = self_peak_mb()  # the baseline's memory: the default-graph load's
    # the same file into a named graph, as kg load keeps each file (Oxigraph then writes six
    # orderings of each quad instead of the default graph's three); a store of its own, removed after
    named = location + "-named"
    start = time.perf_counter()
    store = ox.Store(named)
    store.bulk_load(path=file, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(Path(file).resolve().as_uri()))
    store.flush()
    named_s = time.perf_counter() - start
    del store
    shutil.rmtree(named, ignore_errors=True)
    return {"seconds": took, "quads": quads, "reopen_s": reopen, "named_graph_s": named_s, "peak_mb_self": peak}


def w_ready_fresh(file: str, location: str) -> dict:
    from kg.explorer import Explorer
    from kg.store.factory import open_store

    start = time.perf_counter()
    store = open_store(f"oxigraph:{location}", paths=[Path(file)])  # open + load: one named graph for the file
    loaded = time.perf_counter()
    explorer = Explorer.load(store)
    ready = time.perf_counter()
    peak_ready = self_peak_mb()
    explorer.save_snapshot()  # what kg load does next, so that the reopen below starts from it
    return {"seconds": ready - start, "store_load_s": loaded - start, "explorer_s": ready - loaded,
            "timings": dict(explorer.timings), "concepts": len(explorer.catalog.concepts),
            "peak_mb_ready": peak_ready, "peak_mb_self": self_peak_mb()}


def _search_hits(result):
    hits = getattr(result, "hits", result)
    return list(hits) if hits is not None else []


def w_ready_reopen(location: str, queries: dict, skip: list[str]) -> dict:
    from kg.explorer import Explorer
    from kg.store.factory import open_store

    start = time.perf_counter()
    store = open_store(f"oxigraph:{location}")
    opened = time.perf_counter()
    explorer = Explorer.load(store)
    ready = time.perf_counter()
    out: dict = {"seconds": ready - start, "open_s": opened - start, "timings": dict(explorer.timings),
                 "concepts": len(explorer.catalog.concepts), "peak_mb_ready": self_peak_mb()}
    out["edges"] = len(getattr(explorer.catalog, "edges", []))

    # search: one warm-up pass with other queries, then every query once
    index = explorer.search_index
    for item in queries["warmup"]:
        index.search(item["q"])
    search: dict = {}
    every: list[float] = []
    for kind, items in queries["search"].items():
        times, found, nonempty = [], 0, 0
        for item in items:
            t = time.perf_counter()
            result = index.search(item["q"])
            times.append(time.perf_counter() - t)
            hits = _search_hits(result)
            nonempty += bool(hits)
            found += any(getattr(h, "id", None) == item["from"] for h in hits[:10])
        search[kind] = dict(dist_ms(times), nonempty=nonempty, found_top10=found)
        every += times
    search["all"] = dist_ms(every)
    out["search"] = search

    graph = explorer.concept_graph
    spare = queries["concepts"][-2:]  # warm-up calls on concepts outside the measured samples
    graph.paths(*spare, k=1)
    graph.neighbourhood(spare[0], depth=1)
    for key, max_length in (("paths", None), ("paths_max10", 10)):  # the API's default max_length (6), and 10
        options = {} if max_length is None else {"max_length": max_length}
        times, lengths = [], []
        for a, b in queries["pairs"]:
            t = time.perf_counter()
            try:
                result = graph.paths(a, b, k=1, **options)
                paths = getattr(result, "paths", result) or []
            except Exception as exc:  # an error: note the first and go on
                paths = []
                out.setdefault("path_errors", repr(exc)[:200])
            times.append(time.perf_counter() - t)
            if paths:
                lengths.append(getattr(paths[0], "length", 0))
        out[key] = dict(dist_ms(times), found=len(lengths),
                        mean_length=statistics.fmean(lengths) if lengths else None)

    for depth in (1, 2):
        times, sizes = [], []
        for cid in queries["concepts"][:100]:
            t = time.perf_counter()
            view = graph.neighbourhood(cid, depth=depth)
            times.append(time.perf_counter() - t)
            sizes.append(len(view.nodes))
        out[f"neighbourhood_d{depth}"] = dict(dist_ms(times), mean_nodes=statistics.fmean(sizes))

    if "export" not in skip:
        from kg.export.files import ViewRequest, build_view, export_bytes
        from kg.export.options import ExportOptions

        exports: dict = {}
        for fmt in ("svg", "png", "pdf"):
            times, sizes = [], []
            for cid in queries["concepts"][:5]:
                t = time.perf_counter()
                view = build_view(graph, ViewRequest("neighbourhood", concept=cid, depth=1))
                data = export_bytes(view, explorer.catalog, ExportOptions(fmt=fmt))
                times.append(time.perf_counter() - t)
                sizes.append(len(data))
            exports[fmt] = dict(dist_ms(times), mean_bytes=statistics.fmean(sizes))
        out["export_neighbourhood"] = exports
    out["peak_mb_self"] = self_peak_mb()
    return out


def w_phases(location: str, profile: str | None = None) -> dict:
    """Reopen, then each phase of Explorer.load on its own (catalog, search index, concept graph), timed;
    with ``profile``, the same again under cProfile, the top functions written to that file."""
    from kg.catalog import Catalog
    from kg.graph.concept_graph import ConceptGraph
    from kg.search.index import SearchIndex
    from kg.store.factory import open_store

    out: dict = {}
    t = time.perf_counter()
    store = open_store(f"oxigraph:{location}")
    out["open_s"] = time.perf_counter() - t
    t = time.perf_counter()
    catalog = Catalog.from_store(store)
    out["catalog_s"] = time.perf_counter() - t
    out["mb_after_catalog"] = hwm_mb()
    t = time.perf_counter()
    SearchIndex.build(catalog)
    out["search_index_s"] = time.perf_counter() - t
    out["mb_after_search_index"] = hwm_mb()
    t = time.perf_counter()
    ConceptGraph(catalog)
    out["concept_graph_s"] = time.perf_counter() - t
    out["mb_after_concept_graph"] = hwm_mb()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        catalog = Catalog.from_store(store)
        SearchIndex.build(catalog)
        ConceptGraph(catalog)
        profiler.disable()
        with open(profile, "w") as f:
            f.write("cProfile of Catalog.from_store + SearchIndex.build + ConceptGraph (second run, warm)\n")
            pstats.Stats(profiler, stream=f).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler, stream=f).sort_stats("tottime").print_stats(30)
    return out


def w_sparql(location: str, queries: dict, per_kind: int) -> dict:
    """The baselines over pyoxigraph: CONTAINS label scans, and a one-hop neighbourhood query."""
    import pyoxigraph as ox

    store = ox.Store.read_only(location)
    template = (f"PREFIX skos: <{SKOS}> SELECT ?c ?l WHERE {{ ?c skos:prefLabel|skos:altLabel ?l . "
                "FILTER(CONTAINS(LCASE(STR(?l)), QUERY)) }")
    list(store.query(template.replace("QUERY", json.dumps("warm"))))  # open the files
    out: dict = {"search": {}}
    for kind, items in queries["search"].items():
        times, nonempty = [], 0
        for item in items[:per_kind]:
            q = template.replace("QUERY", json.dumps(item["q"].lower(), ensure_ascii=False))
            t = time.perf_counter()
            rows = list(store.query(q))
            times.append(time.perf_counter() - t)
            nonempty += bool(rows)
        out["search"][kind] = dict(dist_ms(times), nonempty=nonempty)
    nb = ("SELECT ?n ?l WHERE { { <CONCEPT> ?p ?n } UNION { ?n ?p <CONCEPT> } FILTER(isIRI(?n)) "
          f"OPTIONAL {{ ?n <{SKOS}prefLabel> ?l }} }}")
    times = []
    for cid in queries["concepts"][:100]:
        t = time.perf_counter()
        list(store.query(nb.replace("CONCEPT", synth.BASE + cid)))
        times.append(time.perf_counter() - t)
    out["neighbourhood_d1"] = dist_ms(times)
    return out


def w_dump_ours(location: str) -> dict:
    from kg.store.factory import open_store

    store = open_store(f"oxigraph:{location}")
    t = time.perf_counter()
    text = store.serialize("nt")
    return {"seconds": time.perf_counter() - t, "chars": len(text), "peak_mb_self": self_peak_mb()}


def w_dump_raw(location: str) -> dict:
    import pyoxigraph as ox

    store = ox.Store.read_only(location)
    t = time.perf_counter()
    data = store.dump(format=ox.RdfFormat.N_QUADS)
    return {"seconds": time.perf_counter() - t, "bytes": len(data)}


def w_http_client(host: str, port: int, paths: list[str], accept: str, duration: float, clients: int,
                  warmup: float = 1.0) -> dict:
    """``clients`` threads, each on its own keep-alive connection, GET random paths for ``duration`` s."""
    import http.client
    import threading

    begin = time.perf_counter() + 0.2
    measure_from = begin + warmup
    stop_at = measure_from + duration
    results = [None] * clients

    def run(k: int) -> None:
        rng = random.Random(k)
        conn = http.client.HTTPConnection(host, port, timeout=60)
        lat, errors, nbytes, statuses = [], 0, 0, {}
        while time.perf_counter() < begin:
            time.sleep(0.01)
        while True:
            t = time.perf_counter()
            if t >= stop_at:
                break
            try:
                conn.request("GET", paths[rng.randrange(len(paths))], headers={"Accept": accept})
                resp = conn.getresponse()
                body = resp.read()
                ok = resp.status == 200
                statuses[resp.status] = statuses.get(resp.status, 0) + 1
            except Exception:
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                ok, body = False, b""
            done = time.perf_counter()
            if t >= measure_from and done <= stop_at:
                if ok:
                    lat.append(done - t)
                    nbytes += len(body)
                else:
                    errors += 1
        conn.close()
        results[k] = (lat, errors, nbytes, statuses)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    cpu0 = time.process_time()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    latencies = [x for r in results for x in r[0]]
    statuses: dict = {}
    for r in results:
        for code, n in r[3].items():
            statuses[str(code)] = statuses.get(str(code), 0) + n
    return dict(dist_ms(latencies), rps=len(latencies) / duration, errors=sum(r[1] for r in results),
                mean_bytes=(sum(r[2] for r in results) / len(latencies)) if latencies else 0,
                statuses=statuses, client_cpu_s=time.process_time() - cpu0, duration_s=duration, clients=clients)


WORKERS = {"raw_load": w_raw_load, "ready_fresh": w_ready_fresh, "ready_reopen": w_ready_reopen, "phases": w_phases,
           "sparql": w_sparql, "dump_ours": w_dump_ours, "dump_raw": w_dump_raw, "http_client": w_http_client}


def worker_main(name: str, args_file: str) -> None:
    kwargs = json.loads(Path(args_file).read_text())
    try:
        result = WORKERS[name](**kwargs)
    except BaseException as exc:  # report, do not crash the run
        result = {"error": f"{type(exc).__name__}: {exc}"[:500], "traceback": traceback.format_exc()[-3000:]}
    result.setdefault("peak_mb_self", self_peak_mb())
    sys.stdout.write("RESULT " + json.dumps(result, ensure_ascii=False) + "\n")
    sys.stdout.flush()


# -- running children ------------------------------------------------------------------------------------


def _wait(proc: subprocess.Popen, timeout: float | None) -> tuple[int, float | None, bool, float]:
    """Wait for ``proc`` (polling os.wait4 on its pid only), sampling its VmHWM as it runs;
    return (exit code, peak RSS MB, timed out, CPU seconds it used)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    timed_out, peak = False, None
    try:
        while True:
            sample = hwm_mb(proc.pid)  # read before reaping: /proc/PID goes away with it
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            if sample is not None:
                peak = max(peak or 0.0, sample)
            if deadline is not None and time.monotonic() > deadline and not timed_out:
                timed_out = True
                os.kill(proc.pid, signal.SIGKILL)
            time.sleep(0.02)
    except BaseException:  # Ctrl-C: do not leave the child running
        proc.kill()
        proc.wait()
        raise
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, peak, timed_out, usage.ru_utime + usage.ru_stime


def run_worker(name: str, workdir: Path, timeout: float, extra_cpu=None, **kwargs) -> dict:
    """Run a worker in a fresh process; ``extra_cpu()``, if given, is the CPU time of other processes
    that belong to the measurement (a server under load), left out of the noise figure."""
    args_file = workdir / f"args-{name}.json"
    args_file.write_text(json.dumps(kwargs, ensure_ascii=False))
    out_path, err_path = workdir / f"out-{name}.txt", workdir / f"err-{name}.txt"
    waited = wait_idle()
    extra0 = extra_cpu() if extra_cpu else 0.0
    own0 = time.process_time()
    noise = Noise()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", name, str(args_file)],
                                stdout=out, stderr=err, cwd=ROOT)
        code, peak, timed_out, cpu = _wait(proc, timeout)
        wall = time.perf_counter() - start
    extra = (extra_cpu() - extra0) if extra_cpu else 0.0
    mine = cpu + extra + (time.process_time() - own0)  # the orchestrator polls meanwhile
    result = {}
    for line in out_path.read_text(errors="replace").splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
    if timed_out:
        result = {"error": f"timed out after {timeout:.0f} s"}
    elif not result:
        tail = err_path.read_text(errors="replace")[-1500:]
        result = {"error": f"exit {code}, no result", "stderr": tail}
    # the worker's own VmHWM read at its end is exact; the sampled one may miss a last spike
    result["peak_mb"] = result.get("peak_mb_self") or peak
    result["wall_s"] = wall
    result["cpu_s"] = cpu
    if extra_cpu:
        result["server_cpu_s"] = extra  # CPU the server used while this client ran
    result["waited_idle_s"] = waited
    result.update(noise.result(mine))
    return result


def run_cli(cmd: list[str], timeout: float, log: Path) -> dict:
    waited = wait_idle()
    noise = Noise()
    with open(log, "wb") as f:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT)
        code, peak, timed_out, cpu = _wait(proc, timeout)
    result = {"seconds": time.perf_counter() - start, "peak_mb": peak, "exit": code, "cpu_s": cpu,
              "waited_idle_s": waited}
    result.update(noise.result(cpu))
    if code or timed_out:
        result["error"] = ("timed out" if timed_out else f"exit {code}") + ": " + log.read_text(errors="replace")[-800:]
    return result


class Server:
    """A server process started by the bench; ``ready_s`` is the time until one of ``probes`` answers 200."""

    def __init__(self, cmd: list[str], probes: list[str], log: Path, timeout: float):
        self.log = open(log, "wb")
        self.logpath = log
        wait_idle()
        start = self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.ready_s = None
        self.probe = None
        deadline = time.monotonic() + timeout
        try:
            while self.ready_s is None and time.monotonic() < deadline and self.proc.poll() is None:
                for probe in probes:
                    try:
                        with urllib.request.urlopen(probe, timeout=5) as r:
                            if r.status == 200:
                                self.ready_s = time.perf_counter() - start
                                self.probe = probe
                                break
                    except Exception:
                        pass
                else:
                    time.sleep(0.05)
        except BaseException:  # Ctrl-C while it starts: do not leave it running
            self.proc.kill()
            self.proc.wait()
            raise

    def wait_workers(self, url: str, workers: int, timeout: float) -> float | None:
        """Seconds from the start until ``workers`` different processes have answered ``url`` (its
        JSON names the ``pid``), or None at the timeout; a worker still loading accepts nothing."""
        seen: set = set()
        deadline = time.monotonic() + timeout
        while len(seen) < workers and time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    seen.add(json.load(r).get("pid"))
            except Exception:
                time.sleep(0.05)
        return time.perf_counter() - self.started if len(seen) >= workers else None

    def cpu_s(self) -> float:
        """CPU seconds of the server and its worker processes."""
        return sum(proc_cpu_s(pid) for pid in tree_pids(self.proc.pid))

    def stop(self) -> float | None:
        """Stop the server (SIGTERM, then SIGKILL); return its peak RSS (VmHWM) in MB: with worker
        processes, the sum of each one's peak (``self.peaks`` keeps them one by one)."""
        if self.proc.poll() is not None:  # exited already
            self.log.close()
            return None
        pids = tree_pids(self.proc.pid)
        self.peaks = [hwm_mb(pid) or 0.0 for pid in pids]
        peak = sum(self.peaks) if len(pids) > 1 else hwm_mb(self.proc.pid)
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        return peak


# -- one size ----------------------------------------------------------------------------------------------


def bench_size(n: int, args, workdir: Path) -> dict:
    label = size_label(n)
    file = workdir / f"synth-v{synth.VERSION}-{label}-seed{args.seed}.nt"
    res: dict = {"size": label, "file": str(file)}
    if not file.exists():
        t = time.perf_counter()
        synth.write(file, n, args.seed)
        res["generate_s"] = time.perf_counter() - t
    res["triples"] = sum(1 for _ in open(file, "rb"))
    res["file_mb"] = file.stat().st_size / 1e6
    labels = read_labels(file)
    res["concepts"] = len(labels)
    queries = make_queries(labels, args.seed, args.queries)
    del labels
    scratch = workdir / f"run-{label}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    timeout = args.timeout
    say = lambda msg: print(f"[{label}] {msg}", file=sys.stderr, flush=True)  # noqa: E731

    say("raw pyoxigraph bulk load")
    res["raw_load"] = run_worker("raw_load", scratch, timeout, file=str(file), location=str(scratch / "raw"))
    cli = oxigraph_cli()
    if cli:
        say("oxigraph CLI load")
        res["cli_load"] = run_cli([cli, "load", "--location", str(scratch / "oxcli"), "--file", str(file)],
                                  timeout, scratch / "oxigraph-load.log")
    else:
        res["cli_load"] = {"error": "the oxigraph CLI is not installed (pip install oxigraph)"}
    say("ours: fresh load + Explorer.load")
    res["ready_fresh"] = run_worker("ready_fresh", scratch, timeout, file=str(file), location=str(scratch / "kg"))
    say("ours: reopen + Explorer.load (from the snapshot), then search / paths / neighbourhood / export")
    if "error" in res["ready_fresh"]:  # nothing on disk to reopen: load it the way the CLI does
        say("  (fresh failed; loading with api.cli load for the reopen case)")
        res["cli_kg_load"] = run_cli([sys.executable, "-m", "api.cli", "load", str(file), "--store",
                                      f"oxigraph:{scratch / 'kg'}"], timeout, scratch / "kg-load.log")
    res["ready_reopen"] = run_worker("ready_reopen", scratch, timeout, location=str(scratch / "kg"),
                                     queries=queries, skip=args.skip)
    if "phases" not in args.skip:
        say("ours: the phases of Explorer.load one by one" + (" (and under cProfile)" if args.profile else ""))
        profile = str(workdir / f"profile-{label}.txt") if args.profile else None
        res["phases"] = run_worker("phases", scratch, timeout, location=str(scratch / "kg"), profile=profile)
    say("baseline: SPARQL CONTAINS scans and one-hop neighbourhood over pyoxigraph")
    res["sparql"] = run_worker("sparql", scratch, timeout, location=str(scratch / "raw"), queries=queries,
                               per_kind=args.sparql_queries)
    if "dump" not in args.skip:
        say("dumps")
        res["dump_raw"] = run_worker("dump_raw", scratch, timeout, location=str(scratch / "raw"))
        res["dump_ours"] = run_worker("dump_ours", scratch, timeout, location=str(scratch / "kg"))
    if "http" not in args.skip:
        res["http"] = bench_http(queries, args, scratch, timeout, say)
    return res


def bench_http(queries: dict, args, scratch: Path, timeout: float, say) -> dict:
    out: dict = {}
    ids = queries["concepts"]
    # the concept's own triples; and what its JSON holds: those, the incoming links, the neighbours' labels
    simple = "SELECT ?p ?o WHERE { <CONCEPT> ?p ?o }"
    full = (f"PREFIX skos: <{SKOS}> SELECT ?dir ?p ?o ?label WHERE {{ "
            "{ <CONCEPT> ?p ?o . BIND(\"out\" AS ?dir) OPTIONAL { ?o skos:prefLabel ?label } } UNION "
            "{ ?o ?p <CONCEPT> . BIND(\"in\" AS ?dir) OPTIONAL { ?o skos:prefLabel ?label } } }")
    sparql_json = "application/sparql-results+json"
    port = free_port()
    cli = oxigraph_cli()
    server = None
    if not cli or not (scratch / "oxcli").exists():
        out["oxigraph_error"] = "the oxigraph CLI is not installed (pip install oxigraph)"
    else:
        say(f"oxigraph serve-read-only on 127.0.0.1:{port}")
        ask = urllib.parse.quote("ASK { ?s ?p ?o }")
        server = Server([cli, "serve-read-only", "--location", str(scratch / "oxcli"), "--bind", f"127.0.0.1:{port}"],
                        [f"http://127.0.0.1:{port}/query?query={ask}"], scratch / "oxigraph-serve.log", 120)
    if server is None:
        pass
    elif server.ready_s is None:
        out["oxigraph_error"] = server.logpath.read_text(errors="replace")[-800:]
        server.stop()
    else:
        try:
            out["oxigraph_ready_s"] = server.ready_s
            for name, template in (("oxigraph_full", full), ("oxigraph_simple", simple)):
                paths = ["/query?query=" + urllib.parse.quote(template.replace("CONCEPT", synth.BASE + c)) for c in ids]
                say(f"  client → {name}")
                out[name] = run_worker("http_client", scratch, timeout, extra_cpu=server.cpu_s, host="127.0.0.1",
                                       port=port, paths=paths, accept=sparql_json, duration=args.duration,
                                       clients=args.clients)
        finally:
            out["oxigraph_server_peak_mb"] = server.stop()
    for workers in args.server_workers:
        key = "ours" if workers == 1 else f"ours_w{workers}"
        port = free_port()
        say(f"ours: api.cli serve --store oxigraph:DIR --workers {workers} on 127.0.0.1:{port}")
        server = Server([sys.executable, "-m", "api.cli", "serve", "--store", f"oxigraph:{scratch / 'kg'}", "--host",
                         "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                        [f"http://127.0.0.1:{port}/-/health", f"http://127.0.0.1:{port}/health",
                         f"http://127.0.0.1:{port}/concepts/{ids[0]}.json"],
                        scratch / f"kg-serve-w{workers}.log", timeout)
        if server.ready_s is None:
            out[f"{key}_error"] = server.logpath.read_text(errors="replace")[-1500:]
            server.stop()
            continue
        try:
            if workers > 1:  # the first worker to answer may not be the last one ready: wait for them all
                out[f"{key}_all_ready_s"] = server.wait_workers(f"http://127.0.0.1:{port}/-/health", workers, timeout)
            out[f"{key}_ready_s"] = server.ready_s
            paths = [f"/concepts/{c}.json" for c in ids]
            say(f"  client → {key}")
            out[key] = run_worker("http_client", scratch, timeout, extra_cpu=server.cpu_s, host="127.0.0.1",
                                  port=port, paths=paths, accept="application/json", duration=args.duration,
                                  clients=args.clients)
        finally:
            out[f"{key}_server_peak_mb"] = server.stop()
            out[f"{key}_process_peaks_mb"] = getattr(server, "peaks", None)
    return out


# -- the table -------------------------------------------------------------------------------------------


def args_server_workers(http: dict) -> list[int]:
    """The worker counts above one that the HTTP run measured."""
    return sorted(int(k[len("ours_w"):]) for k in http
                  if k.startswith("ours_w") and k[len("ours_w"):].isdigit())


def _f(x, unit: str = "", digits: int = 1) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and x != x:
        return "—"
    if isinstance(x, (int, float)):
        return f"{x:,.{digits}f}{unit}"
    return str(x)


def _cores(d: dict, key: str) -> str:
    """CPU seconds per wall second of a load test (how many cores it kept busy)."""
    if not d or key not in d or not d.get("wall_s"):
        return "—"
    return f"{d[key] / d['wall_s']:.2f}"


def rows_for(res: dict) -> list[dict]:
    """One row per measure: ours, baseline, target, met."""
    rows: list[dict] = []
    size = res["size"]

    def add(measure, ours, base, target="", met=None, note="", unit="", digits=1):
        rows.append({"size": size, "measure": measure, "ours": ours, "baseline": base, "target": target,
                     "met": met, "note": note, "unit": unit, "digits": digits})

    def err(d):
        return d.get("error") if isinstance(d, dict) else "missing"

    raw = res.get("raw_load", {})
    fresh, reopen = res.get("ready_fresh", {}), res.get("ready_reopen", {})
    raw_s = raw.get("seconds") if not err(raw) else None
    if err(fresh):
        add("ready, fresh load (s)", None, raw_s, "≤ 1.5× raw", None, "error: " + err(fresh)[:120])
    else:
        ratio = fresh["seconds"] / raw_s if raw_s else None
        add("ready, fresh load (s)", fresh["seconds"], raw_s, "≤ 1.5× raw",
            ratio is not None and ratio <= TARGETS["ready_ratio"], f"{ratio:.1f}× raw pyoxigraph bulk_load"
            if ratio else "", digits=2)
        t = {k: v for k, v in fresh.get("timings", {}).items() if k != "snapshot_write_s"}
        split = ", ".join(f"{k} {v:.2f}" for k, v in t.items() if isinstance(v, (int, float)))
        add("  where: store.load / Explorer.load (s)", fresh.get("store_load_s"), None, "", None,
            f"Explorer.load {fresh.get('explorer_s', 0):.2f} s = {split}", digits=2)
    if raw.get("named_graph_s") and not err(raw):
        add("  raw: bulk_load into a named graph (s)", None, raw["named_graph_s"], "", None,
            "what kg load does with each file (one named graph per file)", digits=2)
    cli = res.get("cli_load", {})
    if cli and not err(cli):
        add("  raw: oxigraph load CLI (s)", None, cli["seconds"], "", None, f"peak {cli['peak_mb']:.0f} MB", digits=2)
    if not err(fresh):
        peak = fresh.get("peak_mb_ready") or fresh.get("peak_mb")
        add("peak memory, fresh load (MB)", peak, raw.get("peak_mb"), "< 1024 MB",
            (peak or 1e9) < TARGETS["peak_mb"], "at ready" + (
                f"; then writing the snapshot {fresh['timings']['snapshot_write_s']:.2f} s, whole run "
                f"{fresh.get('peak_mb', 0):.0f} MB" if "snapshot_write_s" in fresh.get("timings", {}) else ""),
            digits=0)
    if err(reopen):
        add("ready, reopen (s)", None, raw.get("reopen_s"), "", None, "error: " + err(reopen)[:120])
    else:
        t = reopen.get("timings", {})
        split = ", ".join(f"{k} {v:.2f}" for k, v in t.items() if isinstance(v, (int, float)))
        add("ready, reopen (s)", reopen["seconds"], raw.get("reopen_s"), "", None,
            f"open {reopen.get('open_s', 0):.2f} s; {split}", digits=2)
        add("peak memory, reopen (MB)", reopen.get("peak_mb_ready"), None, "< 1024 MB",
            reopen.get("peak_mb_ready", 1e9) < TARGETS["peak_mb"], "at ready; whole run "
            f"{reopen.get('peak_mb', 0):.0f} MB", digits=0)
    ph = res.get("phases")
    if ph:
        if err(ph):
            add("  phases of Explorer.load", None, None, "", None, "error: " + err(ph)[:120])
        else:
            add("  where: catalog / search index / graph (s)", ph.get("catalog_s"), None, "", None,
                f"search index {ph.get('search_index_s', 0):.2f} s, concept graph {ph.get('concept_graph_s', 0):.2f} s;"
                f" peak MB after each {_f(ph.get('mb_after_catalog'), digits=0)} / "
                f"{_f(ph.get('mb_after_search_index'), digits=0)} / {_f(ph.get('mb_after_concept_graph'), digits=0)}",
                digits=2)
    sp = res.get("sparql", {})
    for kind in KINDS:
        ours = reopen.get("search", {}).get(kind, {}) if not err(reopen) else {}
        base = sp.get("search", {}).get(kind, {}) if not err(sp) else {}
        note = ""
        if ours.get("n"):
            note = f"found source concept in top 10: {ours['found_top10']}/{ours['n']}"
        if base.get("n"):
            note += f"; CONTAINS non-empty {base['nonempty']}/{base['n']}"
        add(f"search {kind} p50 (ms)", ours.get("p50"), base.get("p50"), "", None, "", digits=2)
        add(f"search {kind} p95 (ms)", ours.get("p95"), base.get("p95"), "≤ 20 ms",
            ours["p95"] <= TARGETS["search_p95_ms"] if ours.get("p95") is not None else None, note, digits=2)
    if not err(reopen):
        p, p10 = reopen.get("paths", {}), reopen.get("paths_max10", {})
        add("shortest path p50 (ms)", p.get("p50"), None, "", None, "", digits=2)
        add("shortest path p95 (ms)", p.get("p95"), None, "≤ 5 ms",
            p["p95"] <= TARGETS["path_p95_ms"] if p.get("p95") is not None else None,
            f"paths(a, b, k=1), 100 random pairs: {p.get('found', 0)} found within the default max_length, "
            f"{p10.get('found', 0)} within 10 hops (p95 {_f(p10.get('p95'), digits=2)} ms, mean length "
            f"{_f(p10.get('mean_length'))})" + (f"; {reopen['path_errors']}" if reopen.get("path_errors") else ""),
            digits=2)
        for d in (1, 2):
            nb = reopen.get(f"neighbourhood_d{d}", {})
            base = sp.get("neighbourhood_d1", {}) if d == 1 and not err(sp) else {}
            add(f"neighbourhood depth {d} p50 (ms)", nb.get("p50"), base.get("p50"), "", None, "", digits=2)
            add(f"neighbourhood depth {d} p95 (ms)", nb.get("p95"), base.get("p95"), "", None,
                f"mean {_f(nb.get('mean_nodes'))} nodes" + ("; baseline: SPARQL one-hop query" if d == 1 else ""),
                digits=2)
        for fmt, e in reopen.get("export_neighbourhood", {}).items():
            add(f"export neighbourhood {fmt} p50 (ms)", e.get("p50"), None, "", None,
                f"max {_f(e.get('max'), digits=0)} ms, {_f(e.get('mean_bytes'), digits=0)} bytes", digits=0)
    dr, do = res.get("dump_raw"), res.get("dump_ours")
    if dr or do:
        add("dump N-Triples (s)", do.get("seconds") if do and not err(do) else None,
            dr.get("seconds") if dr and not err(dr) else None, "", None,
            ("error: " + err(do)[:100]) if do and err(do) else
            f"peak {do.get('peak_mb', 0):.0f} MB vs {dr.get('peak_mb', 0):.0f} MB" if do and dr else "", digits=2)
    http = res.get("http")
    if http:
        ours = http.get("ours", {})
        for name, what in (("oxigraph_full", "equivalent query"), ("oxigraph_simple", "own triples only")):
            base = http.get(name, {})
            o_rps = ours.get("rps") if ours and not err(ours) else None
            b_rps = base.get("rps") if base and not err(base) else None
            add(f"concept JSON req/s vs {what}", o_rps, b_rps, "≥ Oxigraph",
                (o_rps >= b_rps) if (o_rps is not None and b_rps) else None,
                f"{http.get('ours_error', '')[:100] or err(ours) or ''}".strip() if (ours and err(ours)) or
                http.get("ours_error") else
                f"CPU cores busy: server {_cores(ours, 'server_cpu_s')} vs {_cores(base, 'server_cpu_s')}, "
                f"client {_cores(ours, 'cpu_s')} vs {_cores(base, 'cpu_s')}; errors {ours.get('errors')} vs "
                f"{base.get('errors')}", digits=0)
        for workers in args_server_workers(http):
            key = f"ours_w{workers}"
            mine, base = http.get(key, {}), http.get("oxigraph_full", {})
            o_rps = mine.get("rps") if mine and not err(mine) else None
            b_rps = base.get("rps") if base and not err(base) else None
            peaks = [round(p) for p in (http.get(f"{key}_process_peaks_mb") or [])]
            add(f"concept JSON req/s, {workers} workers", o_rps, b_rps, "≥ Oxigraph",
                (o_rps >= b_rps) if (o_rps is not None and b_rps) else None,
                (http.get(f"{key}_error", "")[:100] or err(mine) or "") if (mine and err(mine)) or
                http.get(f"{key}_error") else
                f"vs equivalent query; CPU cores busy: server {_cores(mine, 'server_cpu_s')}, client "
                f"{_cores(mine, 'cpu_s')}; p95 {_f(mine.get('p95'), digits=2)} ms; ready "
                f"{_f(http.get(f'{key}_ready_s'), digits=1)} s, all {workers} workers "
                f"{_f(http.get(f'{key}_all_ready_s'), digits=1)} s; peak MB by process {peaks}", digits=0)
        for name in ("oxigraph_full",):
            base = http.get(name, {})
            add("concept JSON p50 / p95 (ms)", ours.get("p50"), base.get("p50"), "", None,
                f"p95 {_f(ours.get('p95'), digits=2)} vs {_f(base.get('p95'), digits=2)}; "
                f"{_f(ours.get('mean_bytes'), digits=0)} vs {_f(base.get('mean_bytes'), digits=0)} bytes a response",
                digits=2)
        add("server ready (s) / peak (MB)", http.get("ours_ready_s"), http.get("oxigraph_ready_s"), "", None,
            f"server peak {_f(http.get('ours_server_peak_mb'), digits=0)} MB vs "
            f"{_f(http.get('oxigraph_server_peak_mb'), digits=0)} MB", digits=2)
    shares = noise_of(res)
    if shares:
        add("other processes' CPU during runs (%)", None, None, "", None,
            f"median {statistics.median(shares) * 100:.0f}%, max {max(shares) * 100:.0f}% of all cores "
            "(figures above are less reliable when high)")
    return rows


def noise_of(res) -> list[float]:
    """Every others_cpu_share recorded in a size's results."""
    found = []
    if isinstance(res, dict):
        if "others_cpu_share" in res:
            found.append(res["others_cpu_share"])
        for v in res.values():
            found += noise_of(v)
    return found


def print_table(rows: list[dict]) -> None:
    head = f"{'size':<5} {'measure':<40} {'ours':>10} {'baseline':>10} {'target':<11} {'met':<4} note"
    print(head)
    print("-" * len(head))
    last = None
    for r in rows:
        if last and r["size"] != last:
            print()
        last = r["size"]
        met = "" if r["met"] is None else ("yes" if r["met"] else "NO")
        note = " ".join(str(r["note"]).split())  # one line
        print(f"{r['size']:<5} {r['measure']:<40} {_f(r['ours'], digits=r['digits']):>10} "
              f"{_f(r['baseline'], digits=r['digits']):>10} {r['target']:<11} {met:<4} {note[:150]}")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        worker_main(argv[1], argv[2])
        return
    ap = argparse.ArgumentParser(description="Scale benchmarks on synthetic SKOS graphs (see the module docstring).")
    ap.add_argument("--sizes", default="10k,100k,1m", help="comma-separated triple counts (10k,100k,1m)")
    ap.add_argument("--json", type=Path, default=None, help="write the results here (default WORKDIR/scale.json)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kg-scale-bench",
                    help="generated files, stores and logs (kept between runs: the graphs are cached)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=50, help="search queries of each kind (default 50)")
    ap.add_argument("--sparql-queries", type=int, default=10, help="of those, how many the CONTAINS scan runs")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds of HTTP load per server (default 10)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (default 8)")
    ap.add_argument("--server-workers", default="1,2", type=lambda v: [int(x) for x in v.split(",") if x.strip()],
                    help="worker processes of our server, one run each (default 1,2)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds before a measurement is killed")
    ap.add_argument("--skip", default="", help="comma-separated: http, export, dump, phases")
    ap.add_argument("--wait-idle", type=float, default=0.0, metavar="SECONDS",
                    help="before each measurement, wait up to this long for other processes to go quiet")
    ap.add_argument("--profile", action="store_true",
                    help="also cProfile the phases of Explorer.load (WORKDIR/profile-SIZE.txt)")
    args = ap.parse_args(argv)
    args.skip = [s for s in args.skip.split(",") if s]
    WAIT_IDLE["max_s"] = args.wait_idle
    sizes = [synth.parse_size(s) for s in args.sizes.split(",") if s]
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    import pyoxigraph

    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "pyoxigraph": pyoxigraph.__version__,
                    "oxigraph_cli": subprocess.run([oxigraph_cli(), "--version"], capture_output=True,
                                                   text=True).stdout.strip() if oxigraph_cli() else None,
                    "loadavg_at_start": os.getloadavg()},
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "targets": TARGETS,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "sizes": {},
    }
    json_path = args.json or workdir / "scale.json"
    all_rows = []
    for n in sizes:
        res = bench_size(n, args, workdir)
        report["sizes"][res["size"]] = res
        all_rows += rows_for(res)
        report["rows"] = all_rows
        json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print()
    print(f"Scale benchmarks — {report['machine']['cpus']} CPUs, Python {report['machine']['python']}, "
          f"pyoxigraph {report['machine']['pyoxigraph']}; {args.clients} HTTP clients × {args.duration:.0f} s")
    for label, res in report["sizes"].items():
        print(f"  {label}: {res['triples']:,} triples, {res['concepts']:,} concepts, {res['file_mb']:.1f} MB")
    print()
    print_table(all_rows)
    print(f"\nJSON: {json_path}")


if __name__ == "__main__":
    main()
