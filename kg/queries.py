"""All SPARQL of the project, prepared once, run with bound parameters.

For each question: the prepared query, and one public function that turns the
rows into plain Python values.  Nothing outside this module writes SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib.plugins.sparql import prepareQuery

from kg.namespaces import PREFIXES
from kg.store import Store

_NS = dict(PREFIXES, rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#")

_COUNT_BY_CLASS = prepareQuery(
    """
    SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
        ?s a ?class .
        FILTER (STRSTARTS(STR(?class), STR(lo:)) || ?class IN (skos:ConceptScheme, oa:TextQuoteSelector,
                oa:TextPositionSelector, dcterms:Location))
    } GROUP BY ?class ORDER BY DESC(?n) ?class
    """,
    initNs=_NS,
)

_COUNT_BY_RELATION = prepareQuery(
    """
    SELECT ?p (COUNT(*) AS ?n)
           (SUM(IF(?status = lo:stated, 1, 0)) AS ?stated)
           (SUM(IF(?status = lo:inferred, 1, 0)) AS ?inferred) WHERE {
        ?p rdfs:subPropertyOf+ lo:conceptRelation .
        ?s ?p ?o .
        OPTIONAL { ?a a lo:RelationAssertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                      lo:status ?status . }
    } GROUP BY ?p ORDER BY DESC(?n) ?p
    """,
    initNs=_NS,
)

_TOTALS = prepareQuery(
    """
    SELECT
      (COUNT(DISTINCT ?concept) AS ?concepts)
      (COUNT(DISTINCT ?quote) AS ?quotes)
    WHERE {
      { ?concept a/rdfs:subClassOf* lo:Concept . }
      UNION { ?quote a lo:Quote . }
    }
    """,
    initNs=_NS,
)


@dataclass(frozen=True)
class Count:
    iri: str
    n: int
    stated: int = 0
    inferred: int = 0


def count_by_class(store: Store) -> list[Count]:
    """Instances of each class of the ontology (direct types)."""
    return [Count(str(r["class"]), int(r["n"])) for r in store.query(_COUNT_BY_CLASS)]


def count_by_relation(store: Store) -> list[Count]:
    """Triples of each relation between concepts, split into stated and inferred."""
    return [
        Count(str(r["p"]), int(r["n"]), int(r["stated"] or 0), int(r["inferred"] or 0))
        for r in store.query(_COUNT_BY_RELATION)
    ]


def totals(store: Store) -> dict[str, int]:
    """Number of concepts (any subclass of lo:Concept) and of quotes."""
    row = next(iter(store.query(_TOTALS)))
    return {"concepts": int(row["concepts"]), "quotes": int(row["quotes"])}
