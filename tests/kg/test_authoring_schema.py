"""The authoring files are held to their schema (kg/authoring_schema.py): each broken file names file and line."""

import shutil
from pathlib import Path

import pytest

from kg import authoring_schema, build, resources

CONCEPT = """\
scheme: scheme-senge
concepts:
  - id: notion-test
    type: Notion
    zh: 测试
    en: Test
    def: {zh: 测试。, en: A test.}
    quotes:
      - 着眼系统思考
    links:
      - {rel: relatedTo, to: layer-roots, inferred: {zh: 甲。, en: A.}}
"""


def _errors(text: str, name: str = "cross.yaml") -> list[str]:
    return [str(e) for e in authoring_schema.check_text(text, Path(name))]


def test_the_bundled_files_fit_the_schema():
    files = sorted(resources.authoring_dir().glob("*.yaml"))
    assert [p.name for p in files] == ["articles.yaml", "cross.yaml", "yanbian.yaml", "zhonglou.yaml"]
    for path in files:
        assert authoring_schema.check_file(path) == [], path


def test_a_good_file_has_no_errors():
    assert _errors(CONCEPT) == []


def test_an_unquoted_comma_that_cuts_a_reason_short_names_file_and_line():
    broken = CONCEPT.replace("inferred: {zh: 甲。, en: A.}", "inferred: {zh: 甲,乙。, en: A, then B.}")
    errors = _errors(broken)
    assert errors and all(e.startswith("cross.yaml:11: notion-test: ") for e in errors)
    assert any("unknown key '乙。'" in e and "put the text in quotes" in e for e in errors)
    assert any("unknown key 'then B.'" in e for e in errors)


def test_an_unknown_key_names_file_and_line():
    errors = _errors(CONCEPT.replace("    en: Test\n", "    en: Test\n    defn: oops\n"))
    assert errors == ["cross.yaml:7: notion-test: concepts[0]: unknown key 'defn'; expected id, type, zh, en, alt, def, "
                      "ordinal, part_of, part_of_inferred, mentioned_in, mentioned_in_inferred, quotes, links, value, unit, scheme, article"]


def test_a_wrong_type_names_file_and_line():
    errors = _errors(CONCEPT.replace("    quotes:\n", "    ordinal: first\n    quotes:\n"))
    assert errors == ["cross.yaml:8: notion-test: concepts[0].ordinal: expected int, found text 'first'"]


def test_a_mapping_where_text_is_expected_names_file_and_line():
    errors = _errors(CONCEPT.replace("    en: Test\n", "    en:\n      Test: a colon\n"))
    assert len(errors) == 1
    assert errors[0].startswith("cross.yaml:7: notion-test: concepts[0].en: expected text, found a mapping")
    assert "quote the text" in errors[0]


def test_a_number_where_text_is_expected_asks_for_quotes():
    errors = _errors(CONCEPT.replace("    zh: 测试\n", "    zh: 2002\n"))
    assert errors == ["cross.yaml:5: notion-test: concepts[0].zh: expected text, found a number '2002': quote it"]


def test_a_definition_without_english_and_a_repeated_key_are_reported():
    errors = _errors(CONCEPT.replace("def: {zh: 测试。, en: A test.}", "def: {zh: 测试。, zh: 再测试。}"))
    assert any("key 'zh' given twice" in e for e in errors)
    assert any("cross.yaml:7:" in e and "missing key 'en'" in e for e in errors)


def test_a_missing_required_key_is_reported_on_its_entry():
    errors = _errors(CONCEPT.replace("    def: {zh: 测试。, en: A test.}\n", ""))
    assert errors == ["cross.yaml:3: notion-test: concepts[0]: missing key 'def'"]


def test_articles_yaml_has_its_own_schema():
    text = (resources.authoring_dir() / "articles.yaml").read_text(encoding="utf-8")
    broken = text.replace('en: "Yanbian Korean Autonomous Prefecture, Jilin"',
                          "en: Yanbian Korean Autonomous Prefecture, Jilin")
    assert broken != text
    errors = _errors(broken, "articles.yaml")
    assert len(errors) == 1 and errors[0].startswith("articles.yaml:8: article-yanbian: articles[0].place: "
                                                     "unknown key 'Jilin'")


def test_the_build_refuses_a_file_that_does_not_fit(tmp_path: Path):
    folder = tmp_path / "authoring"
    shutil.copytree(resources.authoring_dir(), folder)
    path = folder / "yanbian.yaml"
    text = path.read_text(encoding="utf-8")
    good = 'inferred: {zh: "惰性取代主动性，正是主动学习的内在动力不足的一个原因。"'
    assert good in text
    path.write_text(text.replace(good, good.replace('"', "").replace("，", ",")), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "惰性取代主动性," in row)
    with pytest.raises(build.BuildFailed) as info:
        build.build(folder)
    errors = [str(e) for e in info.value.errors]
    assert errors and all(e.startswith(f"{path}:{line}: cause-inertia: ") for e in errors)
    assert "put the text in quotes" in errors[0]
