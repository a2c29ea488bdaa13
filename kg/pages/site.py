"""The catalog's pages: home, browse, class, scheme, article, pinyin index and the concept card.

Each ``*_page`` function returns a plain dict (JSON-ready: strings, numbers, lists)
that the HTML template and the JSON response share, so the two never drift.
"""

from __future__ import annotations

from collections import defaultdict

from pypinyin import Style, lazy_pinyin
from rdflib import Graph, URIRef

from kg import queries, rdfformats
from kg.catalog import Catalog, Concept, Edge, QuoteRef
from kg.explorer import Explorer
from kg.namespaces import bind_prefixes
from kg.pages.errors import Message, NotFound
from kg.paging import page_by_number

ARTICLES = ("yanbian", "zhonglou")
CONTEXT_CHARS = 40
#: the most links of one relation a concept page lists (the rest: "N more", and the graph view)
GROUP_LIMIT = 50
#: concepts per page when browsing, and in the pinyin index once a graph is larger than that
PAGE_SIZE = 200
#: concepts drawn in a scheme's tree before the rest are summed up as "N more"
TREE_BUDGET = 300
#: the pinyin index lists every concept on one page up to this many (a list of links reads well that long)
INDEX_WHOLE = 1000


def concept_ref(cat: Catalog, cid: str) -> dict:
    c = cat.concepts[cid]
    return {"id": c.id, "iri": c.iri, "class": c.cls, "label": c.label.as_dict(),
            "class_label": cat.terms[c.cls].label.as_dict() if c.cls in cat.terms else {"zh": c.cls, "en": c.cls}}


def quote_dict(cat: Catalog, q: QuoteRef) -> dict:
    text = next((p.text for p in cat.paragraphs.get(q.article, []) if p.id == q.paragraph), "")
    return {
        "id": q.id, "article": q.article, "paragraph": q.paragraph, "paragraph_index": q.index,
        "start": q.start, "end": q.end, "exact": q.exact, "en": q.en,
        "before": text[max(0, q.start - CONTEXT_CHARS):q.start], "after": text[q.end:q.end + CONTEXT_CHARS],
        "article_title": cat.terms.get(f"article-{q.article}").label.as_dict()
        if f"article-{q.article}" in cat.terms else {"zh": q.article, "en": q.article},
    }


def _edge_item(cat: Catalog, edge: Edge, other: str) -> dict:
    item = {"concept": concept_ref(cat, other), "status": edge.status}
    if edge.evidence is not None:
        item["evidence"] = quote_dict(cat, edge.evidence)
    if edge.rationale is not None:
        item["rationale"] = edge.rationale.as_dict()
    return item


def _group(cat: Catalog, edges: list[Edge], incoming: bool) -> list[dict]:
    """Links grouped by relation, each group's first :data:`GROUP_LIMIT` (``total`` counts them all)."""
    groups: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        groups[edge.relation].append(edge)
    out = []
    for relation in sorted(groups):
        first = sorted(groups[relation], key=lambda e: (cat.concepts[e.source if incoming else e.target].ordinal
                                                       or 10_000, e.source if incoming else e.target))
        out.append({
            "relation": relation,
            "direction": "in" if incoming else "out",
            "label": {"zh": cat.relation_label(relation, "zh", incoming), "en": cat.relation_label(relation, "en", incoming)},
            "items": [_edge_item(cat, e, e.source if incoming else e.target) for e in first[:GROUP_LIMIT]],
            "total": len(first),
        })
    return out


def concept_page(explorer: Explorer, cid: str) -> dict:
    cat = explorer.catalog
    if cid not in cat.concepts:
        raise NotFound(Message("unknown_concept", name=cid))
    c: Concept = cat.concepts[cid]
    children = cat.children(cid)
    view = concept_ref(cat, cid)
    view.update({
        "definition": c.definition.as_dict(),
        "alt": c.alt,
        "ordinal": c.ordinal,
        "classes": [{"id": k, "label": cat.terms[k].label.as_dict() if k in cat.terms else {"zh": k, "en": k}}
                    for k in cat.class_chain(c.cls)],
        "scheme": {"id": c.scheme, "label": cat.terms[c.scheme].label.as_dict()} if c.scheme in cat.terms else None,
        "article": c.article,
        "breadcrumbs": [concept_ref(cat, b.id) for b in cat.breadcrumbs(cid)],
        "quotes": [quote_dict(cat, q) for q in c.quotes],
        "relations_out": _group(cat, cat.out_edges(cid), incoming=False),
        "relations_in": _group(cat, cat.in_edges(cid), incoming=True),
        "children": [concept_ref(cat, k.id) for k in children[:GROUP_LIMIT]],
        "children_total": len(children),
        "downloads": [{"suffix": f.suffix, "label": f.label} for f in rdfformats.GRAPH_FORMATS],
    })
    if c.value is not None:
        unit = cat.terms.get(c.unit)
        view["figure"] = {"value": float(c.value), "unit": c.unit,
                          "unit_label": unit.label.as_dict() if unit else {"zh": c.unit, "en": c.unit}}
    return view


def concept_graph(explorer: Explorer, cid: str) -> Graph:
    """The concept's RDF: its own triples, its quotes and selectors, and the assertions about its links."""
    cat = explorer.catalog
    if cid not in cat.concepts:
        raise NotFound(Message("unknown_concept", name=cid))
    g = Graph()
    bind_prefixes(g)
    iri = URIRef(cat.concepts[cid].iri)
    for triple in queries.concept_description(explorer.store, iri):
        g.add(triple)
    return g


def _summaries(cat: Catalog, ids) -> list[dict]:
    return [concept_ref(cat, i) for i in ids]


def _sort_key(explorer: Explorer, cid: str) -> str:
    """Sort key: the pinyin of the Chinese label, as the search index computed it once."""
    return explorer.search_index.sort_keys.get(cid, cid)


def browse_page(explorer: Explorer, cls: str | None = None, scheme: str | None = None,
                article: str | None = None, page: int = 1) -> dict:
    """Concepts filtered by class, scheme or article, grouped by class, :data:`PAGE_SIZE` a page."""
    cat = explorer.catalog
    if cls and cls not in cat.terms:
        raise NotFound(Message("unknown_class", name=cls))
    if scheme and scheme not in cat.terms:
        raise NotFound(Message("unknown_scheme", name=scheme))
    if article and article not in ARTICLES:
        raise NotFound(Message("unknown_article", name=article))
    chosen = [c for c in cat.concepts.values()
              if (not cls or cat.is_subclass(c.cls, cls))
              and (not scheme or c.scheme == scheme)
              and (not article or c.article == article)]
    sizes: dict[str, int] = defaultdict(int)
    for c in chosen:
        sizes[c.cls] += 1
    rank = {k: i for i, k in enumerate(sorted(sizes, key=lambda k: (-sizes[k], k)))}
    ordered = sorted(chosen, key=lambda c: (rank[c.cls], c.ordinal or 10_000, _sort_key(explorer, c.id)))
    shown, paging = page_by_number(ordered, page, PAGE_SIZE)
    by_class: dict[str, list[str]] = defaultdict(list)
    for c in shown:
        by_class[c.cls].append(c.id)
    counts = cat.class_counts
    return {
        "filters": {"class": cls, "scheme": scheme, "article": article},
        "count": len(chosen),
        "page": paging.as_dict(),
        "groups": [{"class": k, "label": cat.terms[k].label.as_dict() if k in cat.terms else {"zh": k, "en": k},
                    "comment": cat.terms[k].comment.as_dict() if k in cat.terms else {"zh": "", "en": ""},
                    "total": sizes[k], "concepts": _summaries(cat, by_class[k])} for k in by_class],
        "classes": [{"id": k, "label": cat.terms[k].label.as_dict(), "count": counts.get(k, 0)}
                    for k in sorted(t for t, term in cat.terms.items() if term.kind == "Class" and
                                    cat.is_subclass(t, "Concept") and t != "Concept")],
        "schemes": [{"id": t, "label": term.label.as_dict()} for t, term in sorted(cat.terms.items())
                    if term.kind == "ConceptScheme"],
    }


def class_page(explorer: Explorer, name: str) -> dict:
    cat = explorer.catalog
    term = cat.terms.get(name)
    if term is None or term.kind != "Class":
        raise NotFound(Message("unknown_class", name=name))
    view = browse_page(explorer, cls=name)
    view.update({"id": name, "iri": term.iri, "label": term.label.as_dict(), "comment": term.comment.as_dict(),
                 "superclasses": [{"id": k, "label": cat.terms[k].label.as_dict()}
                                  for k in cat.class_chain(name)[1:] if k in cat.terms]})
    return view


def scheme_page(explorer: Explorer, sid: str) -> dict:
    cat = explorer.catalog
    term = cat.terms.get(sid)
    if term is None or term.kind != "ConceptScheme":
        raise NotFound(Message("unknown_scheme", name=sid))
    view = browse_page(explorer, scheme=sid)
    # the scheme's concepts that nothing holds: not a part of another (skos:broader) and not only mentioned in
    # one (lo:mentionedIn: found on that concept's page); its frameworks first
    tops = [c.id for c in sorted((c for c in cat.concepts.values() if c.scheme == sid and cat.parent(c.id) is None
                                  and not any(e.relation == "mentionedIn" for e in cat.out_edges(c.id))),
                                 key=lambda c: (not cat.is_subclass(c.cls, "Framework"), c.id))]
    budget = [TREE_BUDGET]
    view.update({"id": sid, "iri": term.iri, "label": term.label.as_dict(), "comment": term.comment.as_dict(),
                 "top_concepts": _summaries(cat, tops[:GROUP_LIMIT]), "top_total": len(tops),
                 "tree": [_tree(cat, t, budget) for t in tops[:GROUP_LIMIT]]})
    return view


def _tree(cat: Catalog, cid: str, budget: list[int], depth: int = 0) -> dict:
    """The concept and its narrower concepts, six levels down, at most ``budget[0]`` concepts in all;
    ``more`` counts the children left out."""
    budget[0] -= 1
    node = concept_ref(cat, cid)
    kids = cat.children(cid) if depth < 6 else []
    node["children"] = [_tree(cat, k.id, budget, depth + 1) for k in kids[:max(0, min(budget[0], GROUP_LIMIT))]]
    node["more"] = len(kids) - len(node["children"])
    return node


def article_page(explorer: Explorer, key: str, quote: str | None = None) -> dict:
    """The cleaned article, paragraph by paragraph, with quoted spans linked to their concepts; each
    paragraph lists the editors' English rendering of its quotes (``renderings``) in the text's order."""
    cat = explorer.catalog
    if key not in ARTICLES:
        raise NotFound(Message("unknown_article", name=key))
    term = cat.terms.get(f"article-{key}")
    spans: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    renderings: dict[str, dict[tuple[int, int], dict]] = defaultdict(dict)
    for c in cat.concepts.values():
        for q in c.quotes:
            if q.article == key:
                spans[q.paragraph].append((q.start, q.end, c.id, q.id))
                if q.en:
                    renderings[q.paragraph].setdefault((q.start, q.end), {"quote": q.id, "exact": q.exact, "en": q.en})
    paragraphs = []
    for p in cat.paragraphs.get(key, []):
        paragraphs.append({"id": p.id, "index": p.index, "kind": p.kind, "text": p.text,
                           "segments": _segments(cat, p.text, spans.get(p.id, []), quote),
                           "renderings": [r for _, r in sorted(renderings[p.id].items())]})
    return {"key": key, "iri": term.iri if term else "", "title": term.label.as_dict() if term else {},
            "title_supplied": key in cat.supplied_titles, "paragraphs": paragraphs, "quote": quote,
            "concept_count": len({c for s in spans.values() for _, _, c, _ in s})}


def _segments(cat: Catalog, text: str, spans, current: str | None) -> list[dict]:
    """Split ``text`` into plain and quoted segments; overlapping quotes: the longest outer span wins,
    the concepts of the spans inside it are listed on it."""
    spans = sorted(spans, key=lambda s: (s[0], -(s[1] - s[0])))
    out, pos = [], 0
    i = 0
    while i < len(spans):
        start, end, cid, qid = spans[i]
        if start < pos:  # inside an earlier span: list its concept there
            known = {c["id"] for c in out[-1].get("concepts", [])}
            if "concepts" in out[-1] and cid not in known:
                out[-1]["concepts"].append(concept_ref(cat, cid))
            if current == qid:
                out[-1]["current"] = True
            i += 1
            continue
        if start > pos:
            out.append({"text": text[pos:start]})
        out.append({"text": text[start:end], "quote": qid, "concepts": [concept_ref(cat, cid)],
                    "current": current == qid})
        pos = end
        i += 1
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


def index_page(explorer: Explorer, letter: str | None = None, page: int = 1) -> dict:
    """Every concept by the pinyin of its Chinese label, grouped by initial letter.  On a graph
    larger than :data:`INDEX_WHOLE`, one letter at a time (the first by default), a page at a time."""
    cat = explorer.catalog
    by_letter = explorer.pinyin_index
    letters = list(by_letter)
    if letter is not None and letter not in by_letter:
        raise NotFound(Message("unknown_letter", name=letter))
    whole = len(cat.concepts) <= INDEX_WHOLE and letter is None
    chosen = letters if whole else [letter or letters[0]]
    paging = None
    groups = []
    for k in chosen:
        ids = by_letter[k]
        if not whole:
            ids, paging = page_by_number(ids, page, PAGE_SIZE)
        groups.append({"letter": k, "concepts": [dict(concept_ref(cat, cid), pinyin=" ".join(
            lazy_pinyin(cat.concepts[cid].label.zh, style=Style.TONE))) for cid in ids]})
    return {"count": len(cat.concepts), "letters": letters, "letter_counts": {k: len(v) for k, v in by_letter.items()},
            "letter": None if whole else chosen[0], "page": paging.as_dict() if paging else None,
            "groups": groups}


def home_page(explorer: Explorer) -> dict:
    cat = explorer.catalog
    layers = [c for c in cat.children("model-45231") if c.cls == "FrameworkPart"] if "model-45231" in cat.concepts else []
    tree = []
    for layer in layers:
        components = [k for k in cat.children(layer.id) if cat.is_subclass(k.cls, "ModelComponent")]
        tree.append({"layer": concept_ref(cat, layer.id), "components": _summaries(cat, [k.id for k in components])})
    chain = []
    if "framework-yanbian" in cat.concepts:
        for part in cat.children("framework-yanbian"):
            if part.cls != "FrameworkPart":
                continue
            items = [k for k in cat.children(part.id) if k.cls in ("Significance", "Problem", "Remedy")]
            chain.append({"part": concept_ref(cat, part.id), "items": _summaries(cat, [k.id for k in items])})
    senge = [c.id for c in sorted(cat.concepts.values(), key=lambda c: c.ordinal or 0) if c.cls == "Discipline"]
    return {
        "tree": tree, "chain": chain, "disciplines": _summaries(cat, senge),
        "counts": cat.totals,
        "articles": [{"key": k, "title": cat.terms[f"article-{k}"].label.as_dict()} for k in ARTICLES
                     if f"article-{k}" in cat.terms],
        "schemes": [{"id": t, "label": term.label.as_dict()} for t, term in sorted(cat.terms.items())
                    if term.kind == "ConceptScheme"],
    }
