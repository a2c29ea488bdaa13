"""The bundled graph's size, counted from its files, so that a test comparing a store with it does not hold a
number that goes stale with every edit of the data."""

from functools import cache

from rdflib import Graph

from kg.store.factory import bundled_files


@cache
def _bundled_graph() -> Graph:
    graph = Graph()
    for path in bundled_files():
        graph.parse(path)
    return graph


def bundled_triples() -> int:
    """Distinct triples in the bundled files (ontology and data), as a store loaded with them holds."""
    return len(_bundled_graph())


@cache
def bundled_totals() -> dict[str, int]:
    """Concepts (things typed with a subclass of lo:Concept) and quotes (lo:Quote) in the bundled files,
    counted with rdflib, not with the code under test."""
    rows = _bundled_graph().query("""
        PREFIX lo: <https://w3id.org/lokg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT (COUNT(DISTINCT ?c) AS ?concepts) (COUNT(DISTINCT ?q) AS ?quotes) WHERE {
            { ?c a ?class . ?class rdfs:subClassOf+ lo:Concept . } UNION { ?q a lo:Quote . } }""")
    concepts, quotes = next(iter(rows))
    return {"concepts": int(concepts), "quotes": int(quotes)}


def bundled_concepts() -> int:
    """Concepts in the bundled files."""
    return bundled_totals()["concepts"]
