"""The one table of serializations: the RDF formats the stores read and write, and the SPARQL
result formats the endpoint writes.

A row gives a format's name (the endpoint's ``?format=`` name), its label for people, its registered
media type, rdflib's parser/serializer name, and for an RDF format the file suffixes it is read
from (the first is the one written, and the URL suffix of a concept's data) and pyoxigraph's name
for it.  Choosing among them for an HTTP request (Accept, q-values, aliases) is the web layer's
(``api/formats.py``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    media: str
    rdflib: str
    suffixes: tuple[str, ...] = ()
    oxigraph: str = ""  # a member of pyoxigraph.RdfFormat

    @property
    def suffix(self) -> str:
        """The file suffix written, without its dot (``ttl``): a concept's data is at ``/concepts/{id}.ttl``."""
        return self.suffixes[0].lstrip(".")


#: RDF graphs, in order of preference: the first is the default
GRAPH_FORMATS = (
    Format("turtle", "Turtle", "text/turtle", "turtle", (".ttl",), "TURTLE"),
    Format("json-ld", "JSON-LD", "application/ld+json", "json-ld", (".jsonld", ".json"), "JSON_LD"),
    Format("rdfxml", "RDF/XML", "application/rdf+xml", "xml", (".rdf", ".owl", ".xml"), "RDF_XML"),
    Format("nt", "N-Triples", "application/n-triples", "nt", (".nt",), "N_TRIPLES"),
)

#: SPARQL results (SELECT and ASK), in order of preference
RESULT_FORMATS = (
    Format("json", "SPARQL JSON", "application/sparql-results+json", "json"),
    Format("xml", "SPARQL XML", "application/sparql-results+xml", "xml"),
    Format("csv", "CSV", "text/csv", "csv"),
    Format("tsv", "TSV", "text/tab-separated-values", "tsv"),
)

#: file suffix (``.ttl``) -> its RDF format: the files every store loads
BY_SUFFIX = {suffix: f for f in GRAPH_FORMATS for suffix in f.suffixes}

#: rdflib's name (``turtle``, ``nt``, ``json-ld``, ``xml``) -> the RDF format: what ``Store.serialize`` takes
BY_RDFLIB = {f.rdflib: f for f in GRAPH_FORMATS}

#: the endpoint's format name -> its format (graphs and results: the names are distinct)
BY_NAME = {f.name: f for f in GRAPH_FORMATS + RESULT_FORMATS}


__all__ = ["BY_NAME", "BY_RDFLIB", "BY_SUFFIX", "Format", "GRAPH_FORMATS", "RESULT_FORMATS"]
