"""Shared by the benchmarks: time a function, print a line.  Also puts the project on sys.path."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(fn, repeat: int = 20) -> tuple[float, float]:
    """(median, best) seconds of ``repeat`` calls of ``fn``."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), min(runs)


def line(name: str, fn, repeat: int = 20, extra: str = "") -> None:
    median, best = timed(fn, repeat)
    print(f"{name:<34} median {median * 1000:8.2f} ms   best {best * 1000:8.2f} ms   ({repeat} runs){extra}")
