"""The generated Turtle matches the authoring YAML, and authoring mistakes are caught."""

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Graph
from rdflib.compare import isomorphic, graph_diff

from kg import build
from kg import resources
from kg.namespaces import ID, LO
from kg.rdfio import parse_file


def test_committed_turtle_is_what_the_yaml_builds():
    sources_graph, concepts_graph = build.build()
    for name, built in (("sources.ttl", sources_graph), ("concepts.ttl", concepts_graph)):
        committed = parse_file(resources.data_dir() / name)
        if not isomorphic(built, committed):
            _, only_built, only_committed = graph_diff(built, committed)
            pytest.fail(f"{name} is stale (run `kg build`): {len(only_built)} triples only in the YAML, "
                        f"{len(only_committed)} only in the Turtle")


@pytest.fixture
def authoring(tmp_path: Path) -> Path:
    target = tmp_path / "authoring"
    shutil.copytree(resources.authoring_dir(), target)
    return target


def _append_concept(folder: Path, body: str) -> None:
    """Add a concept at the end of the concepts list of cross.yaml (before its top-level links)."""
    path = folder / "cross.yaml"
    head, sep, tail = path.read_text(encoding="utf-8").partition("\nlinks:")
    path.write_text(head.rstrip("\n") + "\n" + body + sep + tail, encoding="utf-8")


def _errors(folder: Path) -> list[str]:
    with pytest.raises(build.BuildFailed) as info:
        build.build(folder)
    return [str(e) for e in info.value.errors]


CONCEPT = """
  - id: notion-test
    type: Notion
    zh: 测试
    en: Test
    def: {{zh: 测试。, en: A test.}}
    part_of: theory-learning-organisation
    part_of_inferred: {{zh: 测试。, en: Test.}}
    quotes:
      - {quote}
"""


def test_a_quote_not_in_the_article_names_file_line_and_concept(authoring):
    _append_concept(authoring, CONCEPT.format(quote="钟楼区从未写过这句话"))
    errors = _errors(authoring)
    assert len(errors) == 1
    assert "cross.yaml:" in errors[0] and "notion-test" in errors[0] and "not found verbatim" in errors[0]


def test_an_ambiguous_quote_asks_for_the_occurrence(authoring):
    _append_concept(authoring, CONCEPT.format(quote="共同愿景"))
    assert "say which with occurrence" in _errors(authoring)[0]


def test_an_unquoted_comma_in_a_flow_mapping_is_explained(authoring):
    _append_concept(authoring, CONCEPT.format(quote="{text: 学习作为掌握和运用新知识的方式,学会学习比学习本身更重要。, article: yanbian}"))
    assert "put the text in quotes" in _errors(authoring)[0]


def test_unknown_relation_target_and_type_are_reported(authoring):
    _append_concept(authoring, CONCEPT.format(quote="着眼系统思考").replace("type: Notion", "type: Notiom"))
    assert "unknown type 'Notiom'" in _errors(authoring)[0]
    shutil.copy(resources.authoring_dir() / "cross.yaml", authoring / "cross.yaml")
    _append_concept(authoring, CONCEPT.format(quote="着眼系统思考")
                    + "    links:\n      - {rel: heals, to: nowhere, inferred: {zh: 测试。, en: Test.}}\n")
    assert "unknown relation 'heals'" in " ".join(_errors(authoring))


def test_a_loose_link_from_an_unknown_concept_is_reported(authoring):
    path = authoring / "cross.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + "  - {from: remedy-nowhere, rel: relatedTo, to: layer-roots, inferred: {zh: 测试。, en: Test.}}\n",
                    encoding="utf-8")
    errors = _errors(authoring)
    assert len(errors) == 1 and "remedy-nowhere" in errors[0] and "cross.yaml:" in errors[0]


def test_a_duplicate_id_points_to_the_first(authoring):
    _append_concept(authoring, CONCEPT.format(quote="着眼系统思考").replace("notion-test", "discipline-team-learning")
                    .replace("type: Notion", "type: Discipline"))
    errors = _errors(authoring)
    assert any("duplicate id" in e and "cross.yaml:" in e for e in errors)


def test_nothing_is_written_when_the_build_fails(authoring, tmp_path):
    _append_concept(authoring, CONCEPT.format(quote="不存在的引文"))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(build.BuildFailed):
        build.write(out, authoring)
    assert list(out.iterdir()) == []


def test_quote_offsets_are_computed_from_the_text():
    _, concepts = build.build()
    g = Graph()
    g += concepts
    rows = list(g.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?start ?end WHERE {
          <https://w3id.org/lokg/id/quote/discipline-systems-thinking/1>
              oa:hasSelector/oa:start ?start ; oa:hasSelector/oa:end ?end . }"""))
    para = "4、瞄准“三个重点项目”,把握组织学习的真谛。不断自我超越、改善心智模式、着眼系统思考是创建活动的三个重点项目。"
    start = para.index("着眼系统思考")
    assert [(int(r.start), int(r.end)) for r in rows] == [(start, start + 6)]


# -- the editors' English rendering of each quote (data/authoring/translations/) ----------------------------

def _translations(folder: Path, name: str = "zhonglou.yaml") -> Path:
    return folder / "translations" / name


def test_every_quote_carries_the_editors_english_rendering():
    _, concepts_graph = build.build()
    from kg.namespaces import LO
    from rdflib import RDF
    quotes = set(concepts_graph.subjects(RDF.type, LO.Quote))
    rendered = {q for q in quotes if concepts_graph.value(q, LO.editorsTranslation) is not None}
    assert quotes and rendered == quotes
    sample = next(iter(rendered))
    assert concepts_graph.value(sample, LO.editorsTranslation).language == "en"


def test_a_quote_without_an_english_rendering_is_an_error(authoring):
    path = _translations(authoring)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(n for n, row in enumerate(lines) if row.lstrip().startswith("- zh:"))
    dropped = lines[first].split("zh:", 1)[1].strip().strip('"')
    del lines[first:first + 2]  # its zh and en lines
    path.write_text("".join(lines), encoding="utf-8")
    errors = _errors(authoring)
    assert any("no English rendering" in e and dropped in e for e in errors), errors


def test_a_rendering_of_a_text_nobody_quotes_is_stale(authoring):
    path = _translations(authoring)
    path.write_text(path.read_text(encoding="utf-8") + '  - zh: "钟楼区从未写过这句话"\n    en: "Never written."\n',
                    encoding="utf-8")
    errors = _errors(authoring)
    assert any("stale" in e and "钟楼区从未写过这句话" in e and "translations" in e for e in errors), errors


def test_one_quote_rendered_two_ways_is_an_error(authoring):
    text = _translations(authoring).read_text(encoding="utf-8")
    first = text.index("- zh:")
    entry = text[first:text.index("\n", text.index("en:", first)) + 1]
    other = _translations(authoring, "zz-other.yaml")
    other.write_text("article: zhonglou\nquotes:\n  " + entry.replace('en: "', 'en: "Otherwise: '), encoding="utf-8")
    errors = _errors(authoring)
    assert any("rendered differently" in e for e in errors), errors


def test_a_translation_file_is_held_to_its_shape(authoring):
    _translations(authoring, "zz-bad.yaml").write_text("article: zhonglou\nquotes:\n  - zh: 甲\n    english: A\n",
                                                        encoding="utf-8")
    errors = _errors(authoring)
    assert any("zz-bad.yaml:4" in e and "english" in e for e in errors), errors


def test_a_mechanism_takes_the_mechanism_prefix_and_a_kept_id_keeps_its_class(authoring):
    """Ids kept from before a reclassification (``build.KEPT_IDS``) are the only ones whose prefix is not their
    class's: a new mechanism named ``institution-…`` is refused, and a kept id cannot slip back to its old class."""
    _append_concept(authoring, CONCEPT.format(quote="着眼系统思考").replace("notion-test", "institution-test")
                    .replace("type: Notion", "type: Mechanism"))
    errors = _errors(authoring)
    assert len(errors) == 1 and "institution-test: a Mechanism id starts with mechanism-" in errors[0]
    path = authoring / "yanbian.yaml"
    shutil.copy(resources.authoring_dir() / "cross.yaml", authoring / "cross.yaml")
    text = path.read_text(encoding="utf-8")
    entry = text.index("- id: institution-incentive-mechanism-yanbian")
    at = text.index("type: Mechanism", entry)
    path.write_text(text[:at] + "type: Institution" + text[at + len("type: Mechanism"):], encoding="utf-8")
    errors = _errors(authoring)
    assert len(errors) == 1 and "yanbian.yaml:" in errors[0]
    assert "institution-incentive-mechanism-yanbian is a kept id of a Mechanism" in errors[0]


def test_every_kept_id_is_in_the_data_with_its_class():
    _, concepts = build.build()
    for cid, cls in build.KEPT_IDS.items():
        assert (ID[cid], RDF.type, LO[cls]) in concepts, cid
        assert not cid.startswith(build.ID_PREFIXES[cls]), f"{cid} has its class's prefix: it need not be kept"
