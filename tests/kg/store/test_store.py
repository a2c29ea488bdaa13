"""The store interface, against each of the three stores: rdflib in memory, Oxigraph on disk,
and a real Oxigraph server over the SPARQL protocols (started on 127.0.0.1 by the fixtures)."""

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS, XSD

from kg import queries
from kg.catalog import Catalog
from kg.namespaces import ID, LO
from kg.rdfio import RDFSyntaxError
from kg.store.factory import bundled_files, connect
from kg.store.interface import SparqlQuery, StoreError, graph_name
from kg.store.remote import endpoints
from tests.support.bundled import bundled_concepts, bundled_totals, bundled_triples

ZH_LABEL = SparqlQuery("SELECT ?label WHERE { ?c skos:prefLabel ?label . FILTER(LANG(?label) = 'zh') }")
TRIPLES = bundled_triples()


def test_query_with_bound_parameters(backend):
    _, store = backend
    rows = list(store.query(ZH_LABEL, {"c": ID["mechanism-team-learning"]}))
    assert [str(r.label) for r in rows] == ["团队学习机制"]
    assert rows[0].label.language == "zh"
    assert list(store.rows(ZH_LABEL, {"c": ID["mechanism-team-learning"]})) == [("团队学习机制",)]


def test_a_bound_value_is_data_not_query_text(backend):
    _, store = backend
    hostile = Literal('x" } } ; DROP ALL ; SELECT * { ?a ?b ?c')
    assert list(store.rows(ZH_LABEL, {"c": hostile})) == []
    assert len(store) == TRIPLES


def test_triples_of_a_resource(backend):
    _, store = backend
    triples = store.triples_of(ID["layer-roots"])
    assert (ID["layer-roots"], SKOS.prefLabel, Literal("根：四种学习理念", lang="zh")) in triples
    assert all(s == ID["layer-roots"] for s, _, _ in triples)
    assert any(p == LO.feeds for _, p, _ in triples)
    assert triples == sorted(set(triples))


def test_each_file_is_a_named_graph(backend):
    _, store = backend
    names = [str(n).rsplit("/graph/", 1)[-1] for n in store.graph_names()]
    assert names == ["data/concepts", "data/sources", "ontology/lo"]


def _integers_as_oxigraph_stores_them(graph: Graph) -> Graph:
    """Oxigraph keeps xsd:nonNegativeInteger values (the quote offsets) as xsd:integer, and writes
    decimals in their shortest form (30, where rdflib writes 30.0): same numbers, other spelling.
    The one difference between the stores, made explicit here for both sides of a comparison."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.nonNegativeInteger:
            o = Literal(str(o), datatype=XSD.integer)
        elif isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(o.toPython().normalize(), "f"), datatype=XSD.decimal, normalize=False)
        out.add((s, p, o))
    return out


def test_every_store_holds_the_same_graph(backend, store):
    name, other = backend
    assert len(other) == len(store) == TRIPLES
    original = Graph().parse(data=store.serialize("nt"), format="nt")
    held = Graph().parse(data=other.serialize("turtle"), format="turtle")
    if name == "memory":
        assert isomorphic(original, held)
    else:
        assert isomorphic(_integers_as_oxigraph_stores_them(original), _integers_as_oxigraph_stores_them(held))


def test_turtle_json_ld_turtle_round_trip_is_isomorphic(store):
    original = Graph().parse(data=store.serialize("turtle"), format="turtle")
    via_jsonld = Graph().parse(data=original.serialize(format="json-ld"), format="json-ld")
    back = Graph().parse(data=via_jsonld.serialize(format="turtle"), format="turtle")
    assert len(back) == len(store)
    assert isomorphic(original, back)


def test_triples_of_one_named_graph(backend):
    _, store = backend
    names = store.graph_names()
    sizes = {str(n).rsplit("/graph/", 1)[-1]: sum(1 for _ in store.graph_triples(n)) for n in names}
    assert sum(sizes.values()) == len(store)
    assert sizes["data/sources"] < sizes["data/concepts"]
    with pytest.raises(KeyError):
        store.graph_triples(URIRef("https://example.org/not-held"))


def test_the_catalog_is_the_same_from_every_store(backend, explorer):
    name, store = backend
    catalog = Catalog.from_store(store)
    expected = explorer.catalog
    assert catalog.concepts == expected.concepts, name
    assert catalog.edges == expected.edges
    assert catalog.terms == expected.terms
    assert catalog.paragraphs == expected.paragraphs
    assert queries.totals(store) == bundled_totals()
    assert [(c.iri, c.n, c.stated, c.inferred) for c in queries.count_by_relation(store)] == \
        [(c.iri, c.n, c.stated, c.inferred) for c in queries.count_by_relation(explorer.store)]


def test_a_concepts_description_is_the_same_from_every_store(backend, store):
    _, other = backend
    iri = ID["mechanism-team-learning"]
    expected = _integers_as_oxigraph_stores_them(queries.concept_description(store, iri))
    assert isomorphic(_integers_as_oxigraph_stores_them(queries.concept_description(other, iri)), expected)


# --- writing ------------------------------------------------------------------------------------

def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


EX = "@prefix ex: <https://example.org/> .\n"


def test_loading_a_file_again_replaces_its_graph(fresh_backend_factory, tmp_path):
    _, make = fresh_backend_factory
    store = make()
    path = _write(tmp_path / "d", "a.ttl", EX + "ex:a ex:p ex:old .\nex:a ex:p ex:kept .\n")
    other = _write(tmp_path / "d", "b.nt", "<https://example.org/b> <https://example.org/p> \"b\" .\n")
    store.load([path, other])
    assert len(store) == 3
    _write(tmp_path / "d", "a.ttl", EX + "ex:a ex:p ex:new .\nex:a ex:p ex:kept .\n")
    store.load([path])
    objects = {str(o) for _, _, o in store.triples_of(URIRef("https://example.org/a"))}
    assert objects == {"https://example.org/new", "https://example.org/kept"}
    assert len(store) == 3
    assert store.graph_names() == [graph_name(path), graph_name(other)]


def test_json_ld_and_rdf_xml_load_too(fresh_backend_factory, tmp_path):
    _, make = fresh_backend_factory
    store = make()
    jsonld = _write(tmp_path, "c.jsonld", '{"@id": "https://example.org/c", "https://example.org/p": "中文"}')
    rdfxml = _write(tmp_path, "d.rdf", '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
                    '22-rdf-syntax-ns#" xmlns:ex="https://example.org/"><rdf:Description rdf:about='
                    '"https://example.org/d"><ex:p xml:lang="en">d</ex:p></rdf:Description></rdf:RDF>')
    store.load([jsonld, rdfxml])
    assert store.triples_of(URIRef("https://example.org/c"))[0][2] == Literal("中文")
    assert store.triples_of(URIRef("https://example.org/d"))[0][2] == Literal("d", lang="en")


def test_a_syntax_error_names_file_and_line_and_changes_nothing(fresh_backend_factory, tmp_path):
    name, make = fresh_backend_factory
    store = make()
    good = _write(tmp_path, "good.ttl", EX + "ex:a ex:p ex:b .\n")
    store.load([good])
    _write(tmp_path, "good.ttl", EX + "ex:a ex:p ex:c .\n\nex:a ex:p \"unterminated .\n")
    with pytest.raises(RDFSyntaxError) as caught:
        store.load([good])
    assert caught.value.path == good
    assert caught.value.line == 4, (name, str(caught.value))
    assert str(caught.value).startswith(f"{good}:4:")
    assert [str(o) for _, _, o in store.triples_of(URIRef("https://example.org/a"))] == ["https://example.org/b"]


def test_a_bad_file_among_several_stops_the_whole_load(fresh_backend_factory, tmp_path):
    # kg load a.ttl b.ttl: b's error must not leave a half-done load with a.ttl stored
    name, make = fresh_backend_factory
    store = make()
    before = len(store)
    first = _write(tmp_path, "first.ttl", EX + "ex:first ex:p ex:b .\n")
    bad = _write(tmp_path, "bad.ttl", EX + "ex:bad ex:p ex:c .\nex:bad ex:p \"unterminated .\n")
    with pytest.raises(RDFSyntaxError) as caught:
        store.load([first, bad])
    assert caught.value.path == bad and caught.value.line == 3, (name, str(caught.value))
    assert store.triples_of(URIRef("https://example.org/first")) == []
    assert len(store) == before


SKOS_VOCABULARY = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix v: <https://example.org/v/> .
v:top a skos:Concept ; skos:prefLabel "顶层"@zh, "Top"@en ; skos:inScheme v:scheme ; skos:narrower v:a .
v:a a skos:Concept ; skos:prefLabel "甲"@zh-CN, "Alpha"@en ; skos:altLabel "阿"@zh, "A"@en, "Aa"@en ;
    skos:definition "第一个"@zh, "The first"@en .
v:b a skos:Concept ; skos:prefLabel "乙"@zh ; skos:broader v:top ; skos:related v:a .
v:stray skos:prefLabel "not typed, not a concept"@en ; skos:broader v:top .
"""


def test_a_plain_skos_vocabulary_reads_the_same_from_every_store(fresh_backend_factory, tmp_path):
    # the catalog joins its separate reads (types, schemes, each kind of literal, each kind of link)
    # in Python, side by side on threads for Oxigraph and a server: the same answer from each store
    name, make = fresh_backend_factory
    store = make()
    store.load([_write(tmp_path, "vocabulary.ttl", SKOS_VOCABULARY)])
    catalog = Catalog.from_store(store)
    assert set(catalog.concepts) == {"top", "a", "b"}, name
    a, top = catalog.concepts["a"], catalog.concepts["top"]
    assert (a.cls, a.label.zh, a.label.en) == ("Concept", "甲", "Alpha")
    assert a.alt == {"zh": ["阿"], "en": ["A", "Aa"]}
    assert (a.definition.zh, a.definition.en) == ("第一个", "The first")
    assert (top.scheme, a.scheme) == ("scheme", None)
    # narrower is read as broader the other way; the untyped resource's link is left out
    assert [(e.source, e.relation, e.target, e.status) for e in catalog.edges] == [
        ("a", "broader", "top", "stated"), ("b", "broader", "top", "stated"), ("b", "related", "a", "stated")]
    assert catalog.children("top") == [catalog.concepts["a"], catalog.concepts["b"]]


def test_an_unknown_file_type_is_refused(fresh_backend_factory, tmp_path):
    _, make = fresh_backend_factory
    with pytest.raises(RDFSyntaxError, match="unknown RDF file type"):
        make().load([_write(tmp_path, "notes.txt", "hello")])


def test_removing_a_graph(fresh_backend_factory):
    _, make = fresh_backend_factory
    store = make()
    store.load(bundled_files())
    store.remove_graph(graph_name(bundled_files()[-1]))
    assert [str(n).rsplit("/", 1)[-1] for n in store.graph_names()] == ["concepts", "lo"]


# --- opening ------------------------------------------------------------------------------------

def test_an_oxigraph_store_keeps_its_data(tmp_path):
    location = tmp_path / "db"
    first = connect(f"oxigraph:{location}")
    first.load(bundled_files())
    del first
    again = connect(f"oxigraph:{location}")
    assert len(again) == TRIPLES
    assert len(Catalog.from_store(again).concepts) == bundled_concepts()


def test_unknown_store_specs_are_refused():
    with pytest.raises(StoreError, match="unknown store 'mysql:x'"):
        connect("mysql:x")


def test_an_unreachable_server_gives_a_clear_error():
    store = connect("http://127.0.0.1:9/query")
    with pytest.raises(StoreError, match="cannot reach the SPARQL server at http://127.0.0.1:9/query"):
        store.graph_names()


def test_endpoint_layouts():
    assert endpoints("http://h:7878/query", {}) == ("http://h:7878/query", "http://h:7878/update",
                                                    "http://h:7878/store")
    assert endpoints("http://h:3030/ds/sparql", {}) == ("http://h:3030/ds/sparql", "http://h:3030/ds/update",
                                                        "http://h:3030/ds/data")
    assert endpoints("http://h/q", {"KG_STORE_GSP": "http://h/gsp"})[2] == "http://h/gsp"


def test_the_interface_and_the_remote_store_import_no_other_backend():
    # a remote store checks files before upload without the Oxigraph store; the interface knows no backend
    import subprocess
    import sys

    code = ("import sys, kg.store.interface; assert not [m for m in sys.modules if m.startswith('kg.store.')"
            " and m != 'kg.store.interface'], sorted(sys.modules)\n"
            "import kg.store.remote; assert 'kg.store.oxigraph' not in sys.modules and 'kg.snapshot' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_file_is_checked_without_pyoxigraph(tmp_path, monkeypatch):
    """The remote store checks a file before upload; without pyoxigraph, rdflib reads it (line and column kept)."""
    import builtins

    from kg.rdfio import check_file

    real_import = builtins.__import__

    def no_oxigraph(name, *args, **kwargs):
        if name == "pyoxigraph":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_oxigraph)
    good = tmp_path / "good.ttl"
    good.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    check_file(good)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(RDFSyntaxError) as caught:
        check_file(bad)
    assert caught.value.line == 2
