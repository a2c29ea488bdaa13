"""The bundled graph's size, counted from its files, so that a test comparing a store with it does not hold a
number that goes stale with every edit of the data."""

from functools import cache

from rdflib import Graph

from kg.store.factory import bundled_files


@cache
def bundled_triples() -> int:
    """Distinct triples in the bundled files (ontology and data), as a store loaded with them holds."""
    graph = Graph()
    for path in bundled_files():
        graph.parse(path)
    return len(graph)
