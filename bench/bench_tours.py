"""Presentation tours, run on demand (`make bench`): print the figures, assert nothing.

build        every tour from the concept graph (kg.tours.builders.build_tour; cached once built)
as_dict      a tour with every step's graph (what /tours/{tour}.json returns)
island       the page's JSON island (kg.pages.tours.tour_script_data): steps without their graphs, plus the
             whole tour's vis-network data
handout      the PDF handout: one Graphviz page per step (in parallel), merged onto A4 pages with pypdf
"""

from __future__ import annotations

import shutil
import time

from timing import line  # shared helpers (bench/timing.py)


def main() -> None:
    from api import urls
    from kg.explorer import Explorer
    from kg.export.handout import handout_pdf
    from kg.graph.vis_network import island_json
    from kg.pages.tours import tour_script_data
    from kg.tours.builders import TOURS, build_tour, tours_for

    explorer = Explorer.load()
    cg, catalog = explorer.concept_graph, explorer.catalog
    tours = tours_for(cg)
    for name in TOURS:
        tour = tours[name]
        kinds = ", ".join(f"{k} {n}" for k, n in tour.summary()["kinds"].items())
        quotes = sum(len(s.quotes) for s in tour.steps)
        line(f"build {name}", lambda name=name: build_tour(cg, name),
             extra=f"   {len(tour)} steps ({kinds}), {len(tour.final.nodes)} nodes, {quotes} quotes")
    for name in TOURS:
        tour = tours[name]
        size = len(island_json(tour.as_dict()).encode())
        line(f"as_dict {name}", lambda tour=tour: tour.as_dict(), 10, extra=f"   JSON {size / 1024:.0f} KiB")
    for name in TOURS:
        tour = tours[name]
        size = len(island_json(tour_script_data(explorer, name, 1, "zh", urls)).encode())
        line(f"island {name}", lambda name=name: tour_script_data(explorer, name, 1, "zh", urls), 10,
             extra=f"   {size / 1024:.0f} KiB")
    if shutil.which("dot") is None:
        print("handout: Graphviz is not installed, skipped")
        return
    for name in TOURS:
        tour = tours[name]
        for labels in ("zh", "en"):
            start = time.perf_counter()
            pdf = handout_pdf(tour, catalog, labels)
            took = time.perf_counter() - start
            print(f"{'handout ' + name + ' ' + labels:<34} {took * 1000:8.0f} ms   {len(tour)} pages, "
                  f"{len(pdf) / 1024:.0f} KiB ({len(pdf) / 1024 / len(tour):.0f} KiB a page)")


if __name__ == "__main__":
    main()
