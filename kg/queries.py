"""All SPARQL of the project, prepared once, run with bound parameters.

For each question: the prepared query, and one public function that turns the
rows into plain Python values.  Nothing outside this module writes SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.store import SparqlQuery as Q
from kg.store import Store

_COUNT_BY_CLASS = Q(
    """
    SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
        ?s a ?class .
        FILTER (STRSTARTS(STR(?class), STR(lo:)) || ?class IN (skos:ConceptScheme, oa:TextQuoteSelector,
                oa:TextPositionSelector, dcterms:Location))
    } GROUP BY ?class ORDER BY DESC(?n) ?class
    """,
)

_COUNT_BY_RELATION = Q(
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
)

_TOTALS = Q(
    """
    SELECT
      (COUNT(DISTINCT ?concept) AS ?concepts)
      (COUNT(DISTINCT ?quote) AS ?quotes)
    WHERE {
      { ?concept a/rdfs:subClassOf* lo:Concept . }
      UNION { ?quote a lo:Quote . }
    }
    """,
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


# ---------------------------------------------------------------------------
# The catalog: every concept with its labels, definitions and quotes, and every
# relation between concepts with its status.  Read once at load (kg.catalog).
# ---------------------------------------------------------------------------

# Each bulk read is one simple pattern, joined in Python by the catalog: Oxigraph answers a pattern
# with one index scan, where the joined form (OPTIONALs over a UNION) took five times as long at a
# million triples; and separate queries can run side by side (``Store.concurrent_reads``).

_CONCEPT_TYPES = Q(
    """
    SELECT ?c ?class WHERE {
        ?c a ?class .
        FILTER (STRSTARTS(STR(?class), STR(lo:)) || ?class = skos:Concept)
    }
    """
)

_IN_SCHEME = Q("SELECT ?c ?scheme WHERE { ?c skos:inScheme ?scheme }")

_FROM_ARTICLE = Q("SELECT ?c ?article WHERE { ?c lo:fromArticle ?article }")

_ORDINALS = Q("SELECT ?c ?ordinal WHERE { ?c lo:ordinal ?ordinal }")

_LITERALS = {
    prop: Q(f"SELECT ?c ?o (LANG(?o) AS ?lang) WHERE {{ ?c skos:{prop} ?o }}")
    for prop in ("prefLabel", "altLabel", "definition")
}

_QUOTES = Q(
    """
    SELECT ?c ?q ?para ?exact ?start ?end ?index ?article WHERE {
        ?q a lo:Quote ;
           oa:hasSource ?para ;
           oa:hasSelector/oa:exact ?exact ;
           oa:hasSelector/oa:start ?start ;
           oa:hasSelector/oa:end ?end .
        ?para lo:paragraphIndex ?index ; dcterms:isPartOf ?article .
        OPTIONAL { ?c lo:hasQuote ?q }
    } ORDER BY ?q
    """
)

_ONTOLOGY_EDGES = Q(
    """
    SELECT ?s ?p ?o ?status ?evidence WHERE {
        ?p rdfs:subPropertyOf+ lo:conceptRelation .
        ?s ?p ?o .
        OPTIONAL {
            ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; lo:status ?status .
            OPTIONAL { ?a lo:evidence ?evidence }
        }
    }
    """
)

_SKOS_EDGES = Q("SELECT ?s ?p ?o WHERE { VALUES ?p { skos:broader skos:related } ?s ?p ?o }")

_NARROWER = Q("SELECT ?s ?o WHERE { ?o skos:narrower ?s }")

_RATIONALES = Q(
    """
    SELECT ?s ?p ?o ?rationale (LANG(?rationale) AS ?lang) WHERE {
        ?a a lo:RelationAssertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
           lo:rationale ?rationale .
    }
    """
)

_TERM_LABELS = Q(
    """
    SELECT ?t ?label (LANG(?label) AS ?lang) ?comment ?inverse ?kind WHERE {
        VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty skos:ConceptScheme lo:Article
                       lo:AssertionStatus lo:Unit }
        ?t a ?kind ; rdfs:label|skos:prefLabel ?label .
        OPTIONAL { ?t rdfs:comment|skos:definition ?comment . FILTER (LANG(?comment) = LANG(?label)) }
        OPTIONAL { ?t owl:inverseOf ?inverse }
    }
    """
)

_PARAGRAPHS = Q(
    """
    SELECT ?para ?article ?index ?kind ?text WHERE {
        ?para a lo:Paragraph ; dcterms:isPartOf ?article ; lo:paragraphIndex ?index ;
              lo:paragraphKind ?kind ; lo:text ?text .
    } ORDER BY ?article ?index
    """
)

_SUBCLASSES = Q("SELECT ?sub ?super WHERE { ?sub rdfs:subClassOf ?super . FILTER(isIRI(?super)) }")

_FIGURES = Q("SELECT ?c ?value ?unit WHERE { ?c lo:value ?value ; lo:unit ?unit }")

# The catalog's bulk reads: rows of plain values (str or None), in the order of the SELECT.


def concept_types(store: Store):
    """(resource, class) for every resource typed with a class of the ontology or ``skos:Concept``
    (the catalog keeps the subclasses of ``lo:Concept``)."""
    return store.rows(_CONCEPT_TYPES)


def concept_schemes(store: Store):
    """(resource, scheme) pairs of ``skos:inScheme``."""
    return store.rows(_IN_SCHEME)


def concept_articles(store: Store):
    """(resource, article) pairs of ``lo:fromArticle``."""
    return store.rows(_FROM_ARTICLE)


def concept_ordinals(store: Store):
    """(resource, ordinal) pairs of ``lo:ordinal``."""
    return store.rows(_ORDINALS)


def concept_literals(store: Store, prop: str):
    """(subject, text, language) of every ``skos:`` ``prop``: prefLabel, altLabel or definition."""
    return store.rows(_LITERALS[prop])


def concept_quotes(store: Store):
    """(concept or None for evidence quotes, quote, paragraph, exact, start, end, paragraph index, article)."""
    return store.rows(_QUOTES)


def ontology_edges(store: Store):
    """(subject, relation, object, status, evidence quote) for every relation of the ontology
    (a subproperty of ``lo:conceptRelation``)."""
    return store.rows(_ONTOLOGY_EDGES)


def skos_edges(store: Store):
    """(subject, relation, object) of plain SKOS ``broader`` and ``related`` links."""
    return store.rows(_SKOS_EDGES)


def narrower_edges(store: Store):
    """(narrower concept, broader concept) of each ``skos:narrower`` link, read as ``broader``."""
    return store.rows(_NARROWER)


def edge_rationales(store: Store):
    """(subject, relation, object, rationale, language) of inferred relations."""
    return store.rows(_RATIONALES)


def term_labels(store: Store):
    """(term, label, language, comment, inverse, kind) of classes, properties, schemes and articles."""
    return store.rows(_TERM_LABELS)


def paragraph_rows(store: Store):
    """(paragraph, article, index, kind, text) in reading order."""
    return store.rows(_PARAGRAPHS)


def subclass_rows(store: Store):
    """(subclass, superclass) pairs of the ontology."""
    return store.rows(_SUBCLASSES)


def figure_rows(store: Store):
    """(concept, value, unit) of figures."""
    return store.rows(_FIGURES)


_DESCRIPTION = Q(
    """
    CONSTRUCT { ?c ?p ?o . ?q ?qp ?qo . ?sel ?sp ?so . ?a ?ap ?ao . }
    WHERE {
        { ?c ?p ?o }
        UNION { ?c lo:hasQuote ?q . ?q ?qp ?qo }
        UNION { ?c lo:hasQuote ?q2 . ?q2 oa:hasSelector ?sel . ?sel ?sp ?so }
        UNION { ?a rdf:subject ?c . ?a ?ap ?ao }
    }
    """,
)


def concept_description(store: Store, iri):
    """Triples describing one concept: its own, its quotes with their selectors, and the
    relation assertions whose subject it is."""
    return store.query(_DESCRIPTION, {"c": iri}).graph
