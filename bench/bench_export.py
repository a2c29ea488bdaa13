"""Export timings: every standard view (and a neighbourhood and a path) in every format.

Run on demand: `make bench` or `python bench/bench_export.py`. Prints one line per view and format
(median of 3 runs) and the size of the file; asserts nothing.
"""

from __future__ import annotations

import statistics
import time

from kg.explorer import Explorer
from kg.export.files import ViewRequest, build_view, export_bytes
from kg.export.options import ExportError, ExportOptions

REQUESTS = [ViewRequest("tree"), ViewRequest("chain"), ViewRequest("cross"), ViewRequest("whole"),
            ViewRequest("neighbourhood", concept="remedy-mechanisms", depth=2),
            ViewRequest("paths", source="mechanism-team-learning", target="remedy-step-by-step")]
FORMATS = [("svg", {}), ("pdf", {}), ("png", {"dpi": 96}), ("png", {"dpi": 300}), ("html", {}),
           ("png", {"preset": "slide", "dpi": 144}), ("pdf", {"preset": "a4"}),
           ("pdf", {"preset": "a3", "level": "full"}), ("pptx", {})]


def main() -> None:
    explorer = Explorer.load()
    print(f"{'view':<52} {'format':<24} {'median ms':>10} {'bytes':>12}")
    for request in REQUESTS:
        view = build_view(explorer.concept_graph, request)
        for fmt, extra in FORMATS:
            options = ExportOptions(fmt=fmt, **extra)
            runs, size = [], 0
            label = " ".join([fmt, *(str(v) for v in extra.values())])
            try:
                for _ in range(3):
                    start = time.perf_counter()
                    size = len(export_bytes(view, explorer.catalog, options))
                    runs.append(time.perf_counter() - start)
            except ExportError as exc:  # too small to read, or too many pixels: refused, as it should be
                print(f"{request.file_stem():<52} {label:<24} refused: {str(exc)[:60]}")
                continue
            print(f"{request.file_stem():<52} {label:<24} {statistics.median(runs) * 1000:10.0f} {size:12,d}")


if __name__ == "__main__":
    main()
