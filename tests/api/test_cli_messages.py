"""The kg command speaks the user's language (KG_LANG, else LANG): build, validate, load, serve and export,
errors and "wrote …" alike; a file and line stay as they are."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()


def run(lang: str, *args):
    return runner.invoke(app, list(args), env={"KG_LANG": lang, "LANG": "C.UTF-8"})


def test_build_check_in_both_languages():
    en, zh = run("en", "build", "--check"), run("zh", "build", "--check")
    assert en.exit_code == zh.exit_code == 0, en.output
    n = en.output.split()[1]
    assert en.output.strip() == f"OK: {n} triples would be written"
    assert zh.output.strip() == f"正常：将写入 {n} 个三元组"


def test_lang_is_read_when_kg_lang_is_not_set():
    result = runner.invoke(app, ["validate", "/no/such.ttl"], env={"KG_LANG": "", "LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 2 and "/no/such.ttl：没有这个文件或文件夹" in result.output


def test_a_syntax_error_keeps_file_and_line(tmp_path: Path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix lo: <https://w3id.org/lokg/ontology#> .\nlo:a lo:b lo:c .\nlo:a lo:b \n", encoding="utf-8")
    en, zh = run("en", "stats", str(bad)), run("zh", "stats", str(bad))
    assert en.exit_code == zh.exit_code == 1
    assert f"{bad}:3:" in en.output and ": syntax error: " in en.output
    assert f"{bad}:3:" in zh.output and "：语法错误：" in zh.output


def test_load_refuses_the_memory_store_in_both_languages(tmp_path: Path):
    data = tmp_path / "a.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> 1 .\n", encoding="utf-8")
    en, zh = run("en", "load", str(data), "--store", "memory"), run("zh", "load", str(data), "--store", "memory")
    assert en.exit_code == zh.exit_code == 2
    assert "kg load needs a store that keeps the data" in en.output
    assert "kg load 需要能保存数据的存储" in zh.output
    bad = run("zh", "load", str(data), "--graph", "not an iri", "--store", "memory")
    assert bad.exit_code == 2 and "不是绝对 IRI" in bad.output


def test_serve_with_workers_and_files_is_refused_in_both_languages(tmp_path: Path):
    en, zh = run("en", "serve", "--workers", "2", str(tmp_path)), run("zh", "serve", "--workers", "2", str(tmp_path))
    assert en.exit_code == zh.exit_code == 2
    assert "with --workers, load the files first" in en.output and "使用 --workers 时，请先载入文件" in zh.output


def test_export_errors_and_wrote_in_both_languages(tmp_path: Path):
    en, zh = run("en", "export", "--booklet"), run("zh", "export", "--booklet")
    assert en.exit_code == zh.exit_code == 2
    assert "--booklet makes a PDF: add -f pdf" in en.output and "--booklet 生成 PDF：请加上 -f pdf" in zh.output
    en = run("en", "export", "tree", "-f", "svg", "--preset", "slide", "--dpi", "5")
    zh = run("zh", "export", "tree", "-f", "svg", "--preset", "slide", "--dpi", "5")
    assert en.exit_code == zh.exit_code == 1
    assert "cannot export: dpi must be from 36 to 1200, not 5." in en.output
    assert "无法导出：dpi 须在 36 到 1200 之间，而不是 5。" in zh.output
    out = tmp_path / "tree.svg"
    zh = run("zh", "export", "tree", "-f", "svg", "-o", str(out))
    assert zh.exit_code == 0, zh.output
    assert f"已写入 {out}（{out.stat().st_size:,} 字节）" in zh.output
