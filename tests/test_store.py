"""The store interface: load, query with bound values, triples of a resource, serialize."""

from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from kg.namespaces import ID, LO


def test_query_with_bound_parameters(store):
    rows = list(store.query("SELECT ?label WHERE { ?c skos:prefLabel ?label . FILTER(LANG(?label) = 'zh') }",
                            {"c": ID["mechanism-team-learning"]}))
    assert [str(r.label) for r in rows] == ["团队学习机制"]


def test_triples_of_a_resource(store):
    triples = store.triples_of(ID["layer-roots"])
    assert (ID["layer-roots"], SKOS.prefLabel, Literal("根", lang="zh")) in triples or \
        any(p == SKOS.prefLabel and o.language == "zh" for _, p, o in triples)
    assert all(s == ID["layer-roots"] for s, _, _ in triples)
    assert any(p == LO.feeds for _, p, _ in triples)


def test_each_file_is_a_named_graph(store):
    names = [str(n).rsplit("/graph/", 1)[-1] for n in store.graph_names()]
    assert names == ["data/concepts", "data/sources", "ontology/lo"]


def test_turtle_json_ld_turtle_round_trip_is_isomorphic(store):
    original = Graph().parse(data=store.serialize("turtle"), format="turtle")
    via_jsonld = Graph().parse(data=original.serialize(format="json-ld"), format="json-ld")
    back = Graph().parse(data=via_jsonld.serialize(format="turtle"), format="turtle")
    assert len(back) == len(store)
    assert isomorphic(original, back)


def test_triples_of_one_named_graph(store):
    names = store.graph_names()
    sizes = {str(n).rsplit("/graph/", 1)[-1]: sum(1 for _ in store.graph_triples(n)) for n in names}
    assert sum(sizes.values()) == len(store)
    assert sizes["data/sources"] < sizes["data/concepts"]
