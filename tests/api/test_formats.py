"""api/formats.py: the one chooser of a response's format (Accept by q-value, ?format=, a URL
suffix), for the SPARQL endpoint's query forms and for pages; and api/errors.py's table of the
HTTP status of each error of the core."""

from __future__ import annotations

import pytest

from api import errors, formats
from api.routers.sparql import OFFERS
from kg import endpoint
from kg.store.interface import StoreError


# --- the SPARQL endpoint: what each query form offers ---------------------------------------

@pytest.mark.parametrize("form, accept, requested, name", [
    ("SELECT", "", [], "json"),
    ("SELECT", "*/*", [], "json"),
    ("CONSTRUCT", "", [], "turtle"),
    ("DESCRIBE", "*/*", [], "turtle"),
    ("SELECT", "application/sparql-results+xml, application/sparql-results+json", [], "xml"),
    ("SELECT", "application/sparql-results+json;q=0.5, application/sparql-results+xml", [], "xml"),  # q-values
    ("SELECT", "text/*", [], "csv"),
    ("CONSTRUCT", "text/*", [], "turtle"),
    ("SELECT", "image/png, text/tab-separated-values", [], "tsv"),
    ("ASK", "application/json", [], "json"),
    ("CONSTRUCT", "application/json", [], "json-ld"),
    ("CONSTRUCT", "application/rdf+xml", [], "rdfxml"),
    ("CONSTRUCT", "application/xml", [], "rdfxml"),
    ("SELECT", "application/xml", [], "xml"),
    ("CONSTRUCT", "application/n-triples", [], "nt"),
    ("SELECT", "text/csv", ["json"], "json"),          # ?format= wins over Accept
    ("CONSTRUCT", "", ["xml"], "rdfxml"),              # "xml" means RDF/XML for a graph
    ("CONSTRUCT", "", ["TTL"], "turtle"),
    ("SELECT", "", ["tsv", "text/tab-separated-values"], "tsv"),
    ("CONSTRUCT", "", ["json-ld", "application/ld+json"], "json-ld"),
])
def test_negotiate_a_query_forms_format(form, accept, requested, name):
    assert formats.negotiate(OFFERS[form], accept, requested).name == name


@pytest.mark.parametrize("form, accept, requested", [
    ("SELECT", "text/turtle", []),
    ("ASK", "text/csv", []),
    ("CONSTRUCT", "application/sparql-results+json", []),
    ("CONSTRUCT", "", ["csv"]),
    ("SELECT", "", ["png"]),
    ("SELECT", "application/sparql-results+json;q=0", []),  # q=0: not acceptable
])
def test_negotiate_refuses(form, accept, requested):
    with pytest.raises(formats.NotAcceptable) as caught:
        formats.negotiate(OFFERS[form], accept, requested, form)
    assert caught.value.status_code == 406
    message = caught.value.detail
    assert message.code == ("format.unavailable_for" if requested else "format.not_acceptable_for")
    assert "available" in message.text("en") and f"for a {form} query" in message.text("en")
    assert "可用" in message.text("zh") and f"{form} 查询" in message.text("zh")


def test_the_endpoint_offers_what_the_core_can_write():
    for form, offered in OFFERS.items():
        assert [f.name for f in offered] == [f.name for f in endpoint.SERIALIZATIONS[form]]
        assert [f.media for f in offered] == [f.media for f in endpoint.SERIALIZATIONS[form]]


# --- pages: HTML, JSON and a concept's RDF -----------------------------------------------------

CONCEPT = [formats.PAGE_FORMATS[n] for n in ("html", "json", "turtle", "json-ld", "rdfxml", "nt")]


@pytest.mark.parametrize("accept, requested, name", [
    ("", [], "html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", [], "html"),  # a browser
    ("application/json", [], "json"),  # a page's JSON, not JSON-LD
    ("application/ld+json", [], "json-ld"),
    ("text/plain", [], "nt"),
    ("application/xml", [], "rdfxml"),
    ("application/*", [], "json"),
    ("", ["ttl"], "turtle"),  # a URL suffix
    ("", ["rdf"], "rdfxml"),
    ("text/html", ["jsonld"], "json-ld"),
])
def test_negotiate_a_concepts_format(accept, requested, name):
    assert formats.negotiate(CONCEPT, accept, requested).name == name


def test_a_page_without_rdf_refuses_it():
    with pytest.raises(formats.NotAcceptable):
        formats.negotiate(CONCEPT[:2], "application/ld+json")
    with pytest.raises(formats.NotAcceptable):
        formats.negotiate(CONCEPT[:2], "", ["ttl"])


# --- errors of the core: their HTTP status ------------------------------------------------------

@pytest.mark.parametrize("error, status", [
    (endpoint.SparqlError("malformed query"), 400),
    (endpoint.UnknownGraph("not held"), 400),
    (endpoint.Refused("updates are not allowed"), 403),
    (endpoint.NoFormat("SELECT"), 406),
    (endpoint.EvaluationFailed("failed"), 422),
    (endpoint.TimeLimit("too long"), 503),
    (endpoint.ResourceLimit("too much"), 503),
    (StoreError("down"), 503),
    (ValueError("anything else"), 500),
])
def test_each_error_of_the_core_has_its_status(error, status):
    assert errors.status_of(error) == status
