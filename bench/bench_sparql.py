"""SPARQL endpoint core (kg.endpoint), run on demand: print the figures, assert nothing.

For a few queries, the median time of
  store      store.query() alone (rdflib, no checks; the first 10,000 rows listed)
  direct     kg.endpoint.execute(isolate=False): parse, checks, evaluation, JSON/Turtle serialisation
  isolated   kg.endpoint.execute(): the same in a forked child with the time limit (what /sparql runs)
and how long the time limit takes to stop an explosive query.
"""

from __future__ import annotations

import statistics
import sys
import time
from functools import partial
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg import endpoint, queries  # noqa: E402
from kg.store.factory import open_store  # noqa: E402
from kg.namespaces import GRAPH  # noqa: E402
from kg.store.interface import SparqlQuery  # noqa: E402

QUERIES = {
    "ask": "ASK { id:mechanism-team-learning a lo:LearningMechanism }",
    "count ideas": "SELECT (COUNT(?x) AS ?n) WHERE { ?x a lo:LearningIdea }",
    "45231 layers": queries.EXAMPLES[0].query,
    "inferred links": queries.EXAMPLES[2].query,
    "quotes+offsets": queries.EXAMPLES[3].query,
    "construct": queries.EXAMPLES[-1].query,
    "10k-row cap": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
    "FROM concepts": f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH['data/concepts']}> WHERE {{ ?s a lo:Remedy }}",
}


def median_ms(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def main(repeat: int = 7) -> None:
    store = open_store()
    print(f"{len(store)} triples; median of {repeat} runs, ms")
    print(f"{'query':<16}{'store':>10}{'direct':>10}{'isolated':>10}   answer")

    def first_rows(prepared):
        return list(islice(store.query(prepared), 10_000))

    for name, query in QUERIES.items():
        plain = name != "FROM concepts"  # store.query() would fetch FROM graphs: not run there
        store_ms = median_ms(partial(first_rows, SparqlQuery(query, endpoint.parse(query))), repeat) if plain else float("nan")
        direct_ms = median_ms(partial(endpoint.execute, store, query, isolate=False), repeat)
        isolated_ms = median_ms(partial(endpoint.execute, store, query), repeat)
        answer = endpoint.execute(store, query)
        print(f"{name:<16}{store_ms:>10.1f}{direct_ms:>10.1f}{isolated_ms:>10.1f}   "
              f"{len(answer.body):,} bytes{' (truncated)' if answer.truncated else ''}")
    explosive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    start = time.perf_counter()
    try:
        endpoint.execute(store, explosive, limits=endpoint.Limits(timeout_s=1))
    except endpoint.TimeLimit:
        stopped = time.perf_counter() - start
        after = median_ms(lambda: endpoint.execute(store, QUERIES["ask"]), 3)
        print(f"time limit 1 s: explosive query stopped after {stopped * 1000:.0f} ms; next query {after:.1f} ms")


if __name__ == "__main__":
    main()
