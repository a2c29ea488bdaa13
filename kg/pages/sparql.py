"""The SPARQL query page: the form, the examples, the limits, the graphs and prefixes, and an answer or error.

:func:`sparql_page` returns plain data; the router runs the query (in the endpoint's core, under its limits)
and adds what only HTTP knows (the result formats' media types, the error's status).
"""

from __future__ import annotations

import json

from kg import endpoint, queries
from kg.explorer import Explorer
from kg.i18n import t
from kg.namespaces import PREFIXES


def sparql_page(explorer: Explorer, limits: endpoint.Limits, lang: str, query: str | None = None,
                answer: endpoint.Answer | None = None, error: str | None = None) -> dict:
    """The page; with ``answer``, SPARQL JSON as rows (``results``) or Turtle as text (``turtle``); with
    ``error``, its message."""
    page = {
        "query": query,
        "examples": [{"key": ex.key, "title": t(ex.key, lang), "query": ex.query}
                     for ex in queries.EXAMPLES],
        "limits": {"timeout_s": limits.timeout_s, "max_rows": limits.max_rows},
        "graphs": [str(g) for g in explorer.store.graph_names()],
        "prefixes": dict(PREFIXES),
    }
    if error is not None:
        page["error"] = {"message": error}
    elif answer is not None:
        page["truncated"] = answer.truncated
        if answer.format == "turtle":
            page["turtle"] = answer.body.decode("utf-8")
        else:
            page["results"] = json.loads(answer.body)
    return page


__all__ = ["sparql_page"]
