"""All SPARQL of the project, prepared once, run with bound parameters.

For each question: the prepared query, and one public function that turns the
rows into plain Python values.  Nothing outside this module writes SPARQL: here
too are the plumbing of the remote store (list graphs, count, drop a graph, bind
values as a VALUES clause) and the SPARQL endpoint's example queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from kg.namespaces import PREFIXES
from kg.store.interface import SparqlQuery as Q
from kg.store.interface import Store

_COUNT_BY_CLASS = Q(
    """
    SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
        ?s a ?class .
        FILTER (STRSTARTS(STR(?class), STR(lo:)) || ?class IN (skos:Concept, skos:ConceptScheme,
                oa:TextQuoteSelector, oa:TextPositionSelector, dcterms:Location))
    } GROUP BY ?class ORDER BY DESC(?n) ?class
    """,
)

_COUNT_BY_RELATION = Q(
    """
    SELECT ?p (COUNT(*) AS ?n)
           (SUM(IF(!BOUND(?status), 1, IF(?status = lo:stated, 1, 0))) AS ?stated)  # as the catalog reads it
           (SUM(IF(!BOUND(?status), 0, IF(?status = lo:inferred, 1, 0))) AS ?inferred) WHERE {
        { ?p rdfs:subPropertyOf+ lo:conceptRelation . }
        UNION { VALUES ?p { skos:broader skos:narrower skos:related } }  # a plain SKOS vocabulary's links
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
      UNION { ?concept a skos:Concept . }  # a plain SKOS vocabulary's concepts, as the explorer reads them
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
    SELECT ?c ?q ?para ?exact ?start ?end ?index ?article ?en WHERE {
        ?q a lo:Quote ;
           oa:hasSource ?para ;
           oa:hasSelector/oa:exact ?exact ;
           oa:hasSelector/oa:start ?start ;
           oa:hasSelector/oa:end ?end .
        ?para lo:paragraphIndex ?index ; dcterms:isPartOf ?article .
        OPTIONAL { ?c lo:hasQuote ?q }
        OPTIONAL { ?q lo:editorsTranslation ?en }
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

_SUPPLIED_TITLES = Q("SELECT ?article WHERE { ?article lo:titleSupplied true }")

#: The catalog's bulk reads, in the order it takes them (``store.rows(query)``: rows of plain values,
#: str or None, in the order of the SELECT).  Row shapes:
CATALOG_READS = {
    "subclasses": _SUBCLASSES,  # (subclass, superclass)
    "types": _CONCEPT_TYPES,  # (resource, ontology class or skos:Concept)
    "schemes": _IN_SCHEME,  # (resource, scheme)
    "articles": _FROM_ARTICLE,  # (resource, article)
    "ordinals": _ORDINALS,  # (resource, ordinal)
    "prefLabel": _LITERALS["prefLabel"],  # (subject, text, language)
    "definition": _LITERALS["definition"],  # (subject, text, language)
    "altLabel": _LITERALS["altLabel"],  # (subject, text, language)
    "quotes": _QUOTES,  # (concept or None for evidence quotes, quote, paragraph, exact, start, end, index, article,
    #                     the editors' English or None)
    "figures": _FIGURES,  # (concept, value, unit)
    "rationales": _RATIONALES,  # (subject, relation, object, rationale, language) of inferred relations
    "ontology_edges": _ONTOLOGY_EDGES,  # (subject, relation, object, status, evidence quote)
    "skos_edges": _SKOS_EDGES,  # (subject, skos:broader or skos:related, object)
    "narrower": _NARROWER,  # (narrower concept, broader concept) of skos:narrower, read as broader
    "terms": _TERM_LABELS,  # (term, label, language, comment, inverse, kind)
    "paragraphs": _PARAGRAPHS,  # (paragraph, article, index, kind, text), in reading order
    "supplied_titles": _SUPPLIED_TITLES,  # (article,) whose title the editors supplied
}


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


# ---------------------------------------------------------------------------
# A store's plumbing: what a store that takes query text (a SPARQL server) is sent.
# ---------------------------------------------------------------------------

GRAPH_NAMES = Q("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
COUNT_TRIPLES = Q("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
ALL_TRIPLES = Q("CONSTRUCT WHERE { ?s ?p ?o }")
TRIPLES_OF = Q("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")  # ?s bound


def with_values(text: str, bindings: Mapping[str, Node] | None) -> str:
    """``text`` with its bindings appended as a trailing VALUES clause (SPARQL 1.1 §10.2.2): the
    standard way to bind variables in a query sent as text, as rdflib's SPARQLStore does.
    The terms are written by rdflib's ``n3()``, which escapes them."""
    if not bindings:
        return text
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(v.n3() for v in bindings.values())
    return f"{text}\nVALUES ({names}) {{ ({values}) }}"


def drop_graph(name: URIRef) -> str:
    """The SPARQL update that drops one graph (nothing when it is not held); the IRI written by ``n3()``."""
    return f"DROP SILENT GRAPH {URIRef(name).n3()}"


# ---------------------------------------------------------------------------
# The SPARQL endpoint's examples: shown on its page, for people to run and change.
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    """An example query; ``key`` is its title in the UI catalogue (``sparql.example.*``)."""

    key: str
    query: str


def _prologue(*prefixes: str) -> str:
    """The PREFIX lines of an example (each example names what it uses, so it runs when copied)."""
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in prefixes)


_BASE = ("lo", "id", "skos")

EXAMPLES = (
    Example("sparql.example.layers", _prologue(*_BASE) + """
SELECT ?n ?layer ?label WHERE {
  ?layer lo:partOf id:model-45231 ; lo:ordinal ?n ; skos:prefLabel ?label .
  FILTER (lang(?label) = "zh")
} ORDER BY ?n"""),
    Example("sparql.example.remedies", _prologue(*_BASE) + """
SELECT ?remedy ?remedyLabel ?problem ?problemLabel WHERE {
  ?remedy a lo:Remedy ; lo:addresses ?problem ; skos:prefLabel ?remedyLabel .
  ?problem skos:prefLabel ?problemLabel .
  FILTER (lang(?remedyLabel) = "zh" && lang(?problemLabel) = "zh")
} ORDER BY ?remedy ?problem"""),
    Example("sparql.example.inferred", _prologue(*_BASE, "rdf") + """SELECT ?subject ?relation ?object ?reason WHERE {
  ?assertion a lo:RelationAssertion ; lo:status lo:inferred ;
     rdf:subject ?subject ; rdf:predicate ?relation ; rdf:object ?object ;
     lo:rationale ?reason .
  FILTER (lang(?reason) = "zh")
} ORDER BY ?subject ?relation ?object"""),
    Example("sparql.example.quotes", _prologue(*_BASE, "oa") + """SELECT ?quote ?exact ?paragraph ?start ?end WHERE {
  id:notion-team-learning-yanbian lo:hasQuote ?quote .
  ?quote oa:hasSource ?paragraph .
  ?quote oa:hasSelector ?text . ?text oa:exact ?exact .
  ?quote oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end .
} ORDER BY ?quote"""),
    Example("sparql.example.disciplines", _prologue(*_BASE) + """
SELECT ?n ?discipline ?disciplineLabel ?concept ?conceptLabel WHERE {
  ?discipline a lo:Discipline ; lo:ordinal ?n ; skos:prefLabel ?disciplineLabel .
  ?concept lo:embodies ?discipline ; skos:prefLabel ?conceptLabel .
  FILTER (lang(?disciplineLabel) = "zh" && lang(?conceptLabel) = "zh")
} ORDER BY ?n ?concept"""),
    Example("sparql.example.figures", _prologue(*_BASE, "rdfs") + """SELECT ?figure ?label ?value ?unit WHERE {
  ?figure lo:value ?value ; lo:unit ?u ; skos:prefLabel ?label .
  ?u rdfs:label ?unit .
  FILTER (lang(?label) = "zh" && lang(?unit) = "zh")
} ORDER BY ?figure"""),
    Example("sparql.example.construct", _prologue(*_BASE) + """
CONSTRUCT { id:mechanism-team-learning ?p ?o } WHERE { id:mechanism-team-learning ?p ?o }"""),
)
