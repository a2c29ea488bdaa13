"""Every quote is a verbatim span of its cleaned source, checked without SHACL."""

from rdflib import RDF

from kg import sources
from kg.namespaces import ID, LO, OA


def _paragraph_texts():
    return {ID[p.id]: p.text for key in sources.ARTICLES for p in sources.paragraphs(key)}


def test_paragraph_text_in_the_graph_is_the_cleaned_source(bundled_graph):
    texts = _paragraph_texts()
    in_graph = {p: str(bundled_graph.value(p, LO.text)) for p in bundled_graph.subjects(RDF.type, LO.Paragraph)}
    assert in_graph == {p: t for p, t in texts.items()}


def test_every_quote_is_verbatim_at_its_offsets(bundled_graph):
    texts = _paragraph_texts()
    quotes = list(bundled_graph.subjects(RDF.type, LO.Quote))
    assert len(quotes) > 200
    for quote in quotes:
        para = bundled_graph.value(quote, OA.hasSource)
        selectors = list(bundled_graph.objects(quote, OA.hasSelector))
        exact = next(bundled_graph.value(s, OA.exact) for s in selectors if bundled_graph.value(s, OA.exact))
        start = next(int(bundled_graph.value(s, OA.start)) for s in selectors if bundled_graph.value(s, OA.start) is not None)
        end = next(int(bundled_graph.value(s, OA.end)) for s in selectors if bundled_graph.value(s, OA.end) is not None)
        assert texts[para][start:end] == str(exact), quote
        assert str(exact) in sources.cleaned_path(str(para).rsplit("/", 1)[-1].split("-p")[0]).read_text("utf-8")


def test_every_concept_has_a_quote_and_every_stated_link_its_evidence(bundled_graph):
    concepts = {r.c for r in bundled_graph.query(
        "SELECT ?c WHERE { ?c a/rdfs:subClassOf* lo:Concept }", initNs={"lo": LO._NS})}
    assert len(concepts) > 100
    for concept in concepts:
        assert bundled_graph.value(concept, LO.hasQuote) is not None, concept
    for assertion in bundled_graph.subjects(LO.status, LO.stated):
        assert bundled_graph.value(assertion, LO.evidence) is not None, assertion
