"""SPARQL errors (kg.endpoint) carry a catalogue Message: the parser's own English text and its line kept,
inside a sentence in the user's language; a stable code beside it."""

from __future__ import annotations

import pytest

from kg import endpoint


def failure(store, query, **kw) -> endpoint.SparqlError:
    with pytest.raises(endpoint.SparqlError) as caught:
        endpoint.answer(store, query, **kw)
    return caught.value


def test_a_syntax_error_keeps_the_parsers_text_and_line(store):
    error = failure(store, "SELECT ?s\nWHERE {\n ?s ?p }")
    assert error.code == "sparql.syntax"
    assert error.text("zh").startswith("查询有语法错误（第 3 行，第 2 列）：Expected SelectQuery")
    assert error.text("en").startswith("The query has a syntax error (line 3, column 2): Expected SelectQuery")
    assert "(at char" not in error.text("en")  # the place is said once, in our sentence


def test_other_refusals_in_both_languages(store):
    error = failure(store, "   ")
    assert (error.code, error.text("zh"), error.text("en")) == ("sparql.empty", "查询是空的。", "The query is empty.")
    error = failure(store, "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
    assert isinstance(error, endpoint.Refused) and error.code == "sparql.no_service"
    assert "SERVICE" in error.text("zh") and "不允许" in error.text("zh")
    error = failure(store, "SELECT * WHERE { ?s ?p ?o }", default_graphs=["http://example.org/none"])
    assert error.code == "sparql.unknown_graph" and "<http://example.org/none>" in error.text("zh")
    error = failure(store, "ASK {}", formats={"ASK": "turtle"})
    assert isinstance(error, endpoint.NoFormat) and error.code == "sparql.no_format"
    assert error.text("en").startswith("No format asked for can hold the answer to a ASK query; available: json")
    assert error.text("zh").startswith("所要求的格式都不能容纳 ASK 查询的结果")


def test_a_message_crosses_the_process_boundary(store):
    """The child process pickles the error; the Message (code and values) arrives whole."""
    with pytest.raises(endpoint.SparqlError) as caught:
        endpoint.execute(store, "SELECT ?s WHERE { ?s ?p }")
    assert caught.value.code == "sparql.syntax" and "第 1 行" in caught.value.text("zh")
