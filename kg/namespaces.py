"""Namespaces of the project, and the one table of its prefixes (:data:`PREFIXES`, :data:`PROLOGUE`).

``LO`` is the ontology (``ontology/lo.ttl``); a mistyped term raises at once
(``_fail = True``) instead of minting a wrong IRI.  ``ID`` is the base of every
instance: concepts, articles, paragraphs, quotes, assertions.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = URIRef("https://w3id.org/lokg/ontology")
ID = Namespace("https://w3id.org/lokg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
LOS = Namespace("https://w3id.org/lokg/shapes#")  # the shapes (ontology/shapes.ttl)
GRAPH = Namespace("https://w3id.org/lokg/graph/")  # the named graphs: one per loaded file


class LO(DefinedNamespace):
    """The learning-organ ontology, ``lo:``."""

    _NS = Namespace("https://w3id.org/lokg/ontology#")
    _fail = True

    # concept classes
    Concept: URIRef
    Framework: URIRef
    FrameworkPart: URIRef
    ModelComponent: URIRef
    LearningIdea: URIRef
    LearningMechanism: URIRef
    Branch: URIRef
    KeyProject: URIRef
    SharedVision: URIRef
    Significance: URIRef
    Problem: URIRef
    Remedy: URIRef
    Practice: URIRef
    Method: URIRef
    Mechanism: URIRef
    Institution: URIRef
    Plan: URIRef
    Organisation: URIRef
    Slogan: URIRef
    Goal: URIRef
    Result: URIRef
    Figure: URIRef
    Principle: URIRef
    Role: URIRef
    Symptom: URIRef
    Cause: URIRef
    Notion: URIRef
    Theory: URIRef
    Discipline: URIRef
    # sources, quotes, assertions
    Article: URIRef
    Paragraph: URIRef
    Quote: URIRef
    RelationAssertion: URIRef
    AssertionStatus: URIRef
    Unit: URIRef
    stated: URIRef
    inferred: URIRef
    # relations between concepts
    conceptRelation: URIRef
    partOf: URIRef
    hasPart: URIRef
    mentionedIn: URIRef
    mentions: URIRef
    feeds: URIRef
    isFedBy: URIRef
    supports: URIRef
    isSupportedBy: URIRef
    addresses: URIRef
    isAddressedBy: URIRef
    hinders: URIRef
    isHinderedBy: URIRef
    causes: URIRef
    isCausedBy: URIRef
    realises: URIRef
    isRealisedBy: URIRef
    aimsAt: URIRef
    isAimOf: URIRef
    yields: URIRef
    isYieldOf: URIRef
    basedOn: URIRef
    isBasisOf: URIRef
    embodies: URIRef
    isEmbodiedIn: URIRef
    alignsWith: URIRef
    resembles: URIRef
    exemplifies: URIRef
    isExemplifiedBy: URIRef
    relatedTo: URIRef
    # attributes
    ordinal: URIRef
    value: URIRef
    unit: URIRef
    conversionFactor: URIRef
    baseUnit: URIRef
    hasQuote: URIRef
    isQuoteOf: URIRef
    fromArticle: URIRef
    paragraphIndex: URIRef
    paragraphKind: URIRef
    text: URIRef
    editorsTranslation: URIRef
    cleanedText: URIRef
    titleSupplied: URIRef
    dateNote: URIRef
    status: URIRef
    evidence: URIRef
    rationale: URIRef


#: prefix -> namespace IRI: bound on every graph written, predeclared in every query
PREFIXES = {
    "lo": str(LO._NS),
    "id": str(ID),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "sh": str(SH),
    "owl": str(OWL),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "rdf": str(RDF),
}
#: the prefixes as SPARQL declarations: predeclared in every query of the project and of the endpoint
PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on ``graph`` (for readable serializations)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
