"""The ontology declares everything the data uses, bilingually, with inverses."""

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from kg.namespaces import LO, OA
from kg import resources
from kg.rdfio import parse_file

ALLOWED_EXTERNAL = (str(RDF), str(RDFS), str(OWL), str(SKOS), str(DCTERMS), str(PROV), str(OA), str(XSD))


def _ontology() -> Graph:
    return parse_file(resources.ontology_dir() / "lo.ttl")


def _data() -> Graph:
    g = Graph()
    for path in sorted(resources.data_dir().glob("*.ttl")):
        parse_file(path, into=g)
    return g


def test_every_class_and_property_used_in_data_is_declared():
    onto, data = _ontology(), _data()
    declared = set(onto.subjects(RDF.type, OWL.Class)) | set(onto.subjects(RDF.type, OWL.ObjectProperty)) \
        | set(onto.subjects(RDF.type, OWL.DatatypeProperty)) | set(onto.subjects(RDF.type, LO.AssertionStatus))
    used = {p for _, p, _ in data} | set(data.objects(None, RDF.type))
    for term in used:
        if str(term).startswith(str(LO._NS)):
            assert term in declared, f"{term} used in data/ but not declared in ontology/"
        else:
            assert str(term).startswith(ALLOWED_EXTERNAL), f"{term} is from an unexpected vocabulary"


def test_every_class_and_property_has_zh_and_en_label_and_comment():
    onto = _ontology()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = {s for k in kinds for s in onto.subjects(RDF.type, k)}
    assert len(terms) > 60
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in onto.objects(term, prop)}
            assert {"zh", "en"} <= langs, f"{term} lacks {prop} in zh or en"


def test_inverses_are_declared_both_ways():
    onto = _ontology()
    relations = set(onto.subjects(RDFS.subPropertyOf, LO.conceptRelation))
    assert len(relations) >= 20
    for prop in relations:
        inverse = onto.value(prop, OWL.inverseOf)
        assert inverse is not None, f"{prop} has no inverse"
        assert onto.value(inverse, OWL.inverseOf) == prop


def test_defined_namespace_matches_the_ontology():
    onto = _ontology()
    in_file = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(str(LO._NS))}
    in_code = {LO[name] for name in LO.__annotations__}
    assert in_file == in_code
