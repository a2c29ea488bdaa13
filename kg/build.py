"""Build the data graph from the authoring YAML (``data/authoring/``).

Editors write concepts in YAML (see ``data/authoring/README.md``); this module
turns them into ``data/sources.ttl`` (articles, paragraphs, schemes, units) and
``data/concepts.ttl`` (concepts, quotes, relation assertions).  It finds every
quote in the cleaned article and computes its paragraph and character offsets,
so offsets are never typed by hand, attaches the editors' English rendering of each quote
(``translations/*.yaml``), and it refuses to write anything when an
id, type, relation or quote is wrong: each error names the file, the line and
the concept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg import authoring_schema, sources
from kg.namespaces import ID, LO, OA, bind_prefixes
from kg import resources

CONCEPT_FILES = ("yanbian.yaml", "zhonglou.yaml", "cross.yaml")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CONTEXT = 12
QUOTE_KEYS = {"text", "article", "occurrence"}
LINK_KEYS = {"rel", "to", "quote", "inferred"}
FILE_KEYS = {"article", "quotes_from", "scheme", "concepts", "links"}
CONCEPT_KEYS = {"id", "type", "zh", "en", "alt", "def", "ordinal", "part_of", "part_of_inferred",
                "mentioned_in", "mentioned_in_inferred",
                "quotes", "links", "value", "unit", "scheme", "article"}
FLOW_HINT = " (an unquoted ',' inside {...} splits the text: put the text in quotes)"  # characters of prefix and suffix kept in a TextQuoteSelector

#: id prefixes allowed for each concept type, so an id tells its kind.
ID_PREFIXES: dict[str, tuple[str, ...]] = {
    "Framework": ("model-", "framework-"),
    "FrameworkPart": ("layer-", "part-"),
    "LearningIdea": ("idea-",),
    "LearningMechanism": ("mechanism-",),
    "Branch": ("branch-",),
    "KeyProject": ("project-",),
    "SharedVision": ("vision-",),
    "Significance": ("significance-",),
    "Problem": ("problem-",),
    "Remedy": ("remedy-",),
    "Practice": ("practice-",),
    "Method": ("method-",),
    "Mechanism": ("mechanism-",),
    "Institution": ("institution-",),
    "Plan": ("plan-",),
    "Organisation": ("org-",),
    "Slogan": ("slogan-",),
    "Goal": ("goal-",),
    "Result": ("result-",),
    "Figure": ("figure-",),
    "Principle": ("principle-",),
    "Role": ("role-",),
    "Symptom": ("symptom-",),
    "Cause": ("cause-",),
    "Notion": ("notion-",),
    "Theory": ("theory-",),
    "Discipline": ("discipline-",),
}

#: ids minted before their concept was reclassified (issue 14, section 6 and the third reading), kept so that the IRIs others cite
#: keep resolving: id -> the class it now has. Every other id starts with its class's prefix; a new concept
#: of these classes takes the class's own prefix.
KEPT_IDS: dict[str, str] = {
    "institution-assessment-mechanism": "Mechanism",
    "institution-lasting-learning-mechanism": "Mechanism",
    "institution-equal-exchange-mechanism": "Mechanism",
    "institution-long-term-mechanisms": "Mechanism",
    "institution-education-training-mechanism": "Mechanism",
    "institution-learning-transfer-mechanism": "Mechanism",
    "institution-incentive-mechanism-yanbian": "Mechanism",
    "institution-personnel-orientation": "Mechanism",
    "institution-cadre-training-plan": "Plan",
    "notion-twelfth-five-year-plan": "Plan",
    "notion-tumen-river-development": "Plan",
    "practice-on-site-observation": "Method",
    "practice-department-meetings": "Method",
    "practice-job-skills-contest": "Method",
    "result-yanbian-population": "Figure",  # a population, not a result (issue 14, third reading)
}

#: relations an editor may give, and whether they are symmetric.
RELATIONS: dict[str, bool] = {
    "partOf": False,
    "mentionedIn": False,
    "feeds": False,
    "supports": False,
    "addresses": False,
    "hinders": False,
    "causes": False,
    "realises": False,
    "exemplifies": False,
    "aimsAt": False,
    "yields": False,
    "basedOn": False,
    "embodies": False,
    "alignsWith": True,
    "resembles": True,
    "relatedTo": True,
}


@dataclass(frozen=True)
class BuildError:
    file: str
    line: int
    concept: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.concept + ': ' if self.concept else ''}{self.message}"


class BuildFailed(Exception):
    def __init__(self, errors: list[BuildError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class _Context:
    """What the build collects while it walks the YAML."""

    errors: list[BuildError] = field(default_factory=list)
    data: Graph = field(default_factory=Graph)
    sources: Graph = field(default_factory=Graph)
    concepts: dict[str, dict] = field(default_factory=dict)  # id -> spec (with _file, _line)
    quote_counts: dict[str, int] = field(default_factory=dict)
    translations: dict[str, str] = field(default_factory=dict)  # verbatim quote -> the editors' English
    translation_lines: dict[str, tuple[str, int]] = field(default_factory=dict)  # verbatim quote -> (file, line)
    translated: set[str] = field(default_factory=set)  # the quotes a concept or link used


def _line_of(text: str, key_value: str) -> int:
    """1-based line of the first ``id: key_value`` in ``text`` (0 if absent)."""
    m = re.search(rf"^\s*-?\s*id:\s*['\"]?{re.escape(key_value)}['\"]?\s*$", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 0


def _read_yaml(path: Path, ctx: _Context) -> tuple[dict, str] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        ctx.errors.append(BuildError(str(path), 0, "", "file not found"))
        return None
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        ctx.errors.append(BuildError(str(path), line, "", f"YAML syntax: {getattr(exc, 'problem', exc)}"))
        return None
    if not isinstance(doc, dict):
        ctx.errors.append(BuildError(str(path), 1, "", "expected a mapping at the top level"))
        return None
    return doc, text


def _locate(article: str, text: str, occurrence: int | None) -> tuple[sources.Paragraph, int] | str:
    """Find ``text`` in the cleaned ``article``: (paragraph, start) or an error message."""
    hits = []
    for para in sources.paragraphs(article):
        start = para.text.find(text)
        while start != -1:
            hits.append((para, start))
            start = para.text.find(text, start + 1)
    if not hits:
        return f"quote not found verbatim in the cleaned {article} text (or it spans paragraphs): {text!r}"
    if occurrence is None:
        if len(hits) > 1:
            where = ", ".join(p.id for p, _ in hits)
            return f"quote occurs {len(hits)} times ({where}); say which with occurrence: N: {text!r}"
        return hits[0]
    if not 1 <= occurrence <= len(hits):
        return f"occurrence {occurrence} out of range 1..{len(hits)}: {text!r}"
    return hits[occurrence - 1]


def _add_quote(ctx: _Context, node: URIRef, spec, default_article: str) -> str | None:
    """Add a lo:Quote at ``node`` for ``spec`` (str or mapping); return an error or None."""
    if isinstance(spec, str):
        text, article, occurrence = spec, default_article, None
    elif isinstance(spec, dict) and isinstance(spec.get("text"), str):
        extra = set(spec) - QUOTE_KEYS
        if extra:
            return f"unknown keys {sorted(map(str, extra))} in quote {spec!r}{FLOW_HINT}"
        text = spec["text"]
        article = spec.get("article", default_article)
        occurrence = spec.get("occurrence")
    else:
        return f"a quote is a string or a mapping with text: {spec!r}"
    if article not in sources.ARTICLES:
        return f"unknown article {article!r}"
    if not text.strip():
        return "empty quote"
    found = _locate(article, text, occurrence)
    if isinstance(found, str):
        return found
    english = ctx.translations.get(text)
    if english is None:
        return (f"no English rendering of this quote in {authoring_schema.TRANSLATIONS_DIR}/*.yaml "
                f"(add - zh: ... en: ...): {text!r}")
    ctx.translated.add(text)
    para, start = found
    end = start + len(text)
    g = ctx.data
    g.add((node, RDF.type, LO.Quote))
    g.add((node, OA.hasSource, ID[para.id]))
    g.add((node, PROV.wasQuotedFrom, ID[f"article-{article}"]))
    g.add((node, LO.editorsTranslation, Literal(english, lang="en")))
    tqs, tps = URIRef(f"{node}/text"), URIRef(f"{node}/position")
    g.add((node, OA.hasSelector, tqs))
    g.add((tqs, RDF.type, OA.TextQuoteSelector))
    g.add((tqs, OA.exact, Literal(text, lang="zh")))
    g.add((tqs, OA.prefix, Literal(para.text[max(0, start - CONTEXT) : start], lang="zh")))
    g.add((tqs, OA.suffix, Literal(para.text[end : end + CONTEXT], lang="zh")))
    g.add((node, OA.hasSelector, tps))
    g.add((tps, RDF.type, OA.TextPositionSelector))
    g.add((tps, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((tps, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    return None


def _translation_files(authoring_dir: Path) -> list[Path]:
    return sorted((authoring_dir / authoring_schema.TRANSLATIONS_DIR).glob("*.yaml"))


def _read_translations(ctx: _Context, authoring_dir: Path) -> None:
    """Collect the editors' English rendering of each quote (``translations/*.yaml``), keyed by the verbatim
    text; the same text rendered two ways is an error (one quote, one translation)."""
    for path in _translation_files(authoring_dir):
        read = _read_yaml(path, ctx)
        if not read:
            continue
        doc, text = read
        lines = text.splitlines()
        for item in doc.get("quotes") or []:
            zh, en = item["zh"], item["en"]
            line = next((n for n, row in enumerate(lines, start=1) if zh in row), 0)
            if zh in ctx.translations and ctx.translations[zh] != en:
                other = ctx.translation_lines[zh]
                ctx.errors.append(BuildError(str(path), line, "", f"rendered differently at {other[0]}:{other[1]}: {zh!r}"))
                continue
            ctx.translations[zh] = en
            ctx.translation_lines.setdefault(zh, (str(path), line))


def _unused_translations(ctx: _Context) -> None:
    """A rendering of a text that no concept or link quotes is stale: the quote was changed or removed."""
    for zh in sorted(set(ctx.translations) - ctx.translated):
        file, line = ctx.translation_lines[zh]
        ctx.errors.append(BuildError(file, line, "", f"no concept or link quotes this text (stale rendering?): {zh!r}"))


def _decimal(value) -> Literal:
    """An xsd:decimal whose lexical form survives a Turtle round trip (always with a dot)."""
    text = format(Decimal(str(value)), "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def _bilingual(g: Graph, node: URIRef, prop: URIRef, value, err) -> None:
    if not isinstance(value, dict) or not value.get("zh") or not value.get("en"):
        err(f"{prop.n3(g.namespace_manager)} needs zh and en: {value!r}")
        return
    g.add((node, prop, Literal(str(value["zh"]).strip(), lang="zh")))
    g.add((node, prop, Literal(str(value["en"]).strip(), lang="en")))


def _reporter(ctx: _Context, path: Path, text: str, item_id: str):
    """``err(message)`` for the entry ``item_id`` of ``path``: records file, line and id."""
    line = _line_of(text, item_id)

    def err(message: str) -> None:
        ctx.errors.append(BuildError(str(path), line, item_id, message))

    return err


def _build_sources(ctx: _Context, doc: dict, path: Path) -> None:
    g = ctx.sources
    text = path.read_text(encoding="utf-8")
    for art in doc.get("articles", []):
        node = ID[art["id"]]
        key = art["key"]

        err = _reporter(ctx, path, text, art["id"])
        if key not in sources.ARTICLES:
            err(f"unknown article key {key!r}")
            continue
        g.add((node, RDF.type, LO.Article))
        g.add((node, DCTERMS.title, Literal(art["title"]["zh"], lang="zh")))
        g.add((node, DCTERMS.alternative, Literal(art["title_en"], lang="en")))
        g.add((node, RDFS.label, Literal(art["title"]["zh"], lang="zh")))
        g.add((node, RDFS.label, Literal(art["title_en"], lang="en")))
        g.add((node, LO.titleSupplied, Literal(bool(art["title_supplied"]))))
        g.add((node, DCTERMS.language, Literal("zh-CN", datatype=XSD.language)))
        place = ID[f"place-{key}"]
        g.add((node, DCTERMS.spatial, place))
        g.add((place, RDF.type, DCTERMS.Location))
        _bilingual(g, place, RDFS.label, art["place"], err)
        g.add((place, SKOS.altLabel, Literal(art["place_short"], lang="zh")))
        if art.get("issued"):
            g.add((node, DCTERMS.issued, Literal(art["issued"], datatype=XSD.date)))
        _bilingual(g, node, LO.dateNote, art["date_note"], err)
        _bilingual(g, node, DCTERMS.source, art["origin"], err)
        g.add((node, LO.cleanedText, Literal(f"data/sources/{key}.txt")))
        g.add((node, PROV.wasDerivedFrom, Literal(f"data/sources/raw/{sources.ARTICLES[key].seed}")))
        for para in sources.paragraphs(key):
            p = ID[para.id]
            g.add((p, RDF.type, LO.Paragraph))
            g.add((p, DCTERMS.isPartOf, node))
            g.add((node, DCTERMS.hasPart, p))
            g.add((p, LO.paragraphIndex, Literal(para.index)))
            g.add((p, LO.paragraphKind, Literal(para.kind)))
            g.add((p, LO.text, Literal(para.text, lang="zh")))
    for scheme in doc.get("schemes", []):
        node = ID[scheme["id"]]

        err = _reporter(ctx, path, text, scheme["id"])
        g.add((node, RDF.type, SKOS.ConceptScheme))
        _bilingual(g, node, SKOS.prefLabel, scheme, err)
        _bilingual(g, node, SKOS.definition, scheme["def"], err)
        if scheme.get("article"):
            g.add((node, DCTERMS.source, ID[scheme["article"]]))
        for top in scheme.get("top", []):
            g.add((node, SKOS.hasTopConcept, ID[top]))
    for unit in doc.get("units", []):
        node = ID[unit["id"]]

        err = _reporter(ctx, path, text, unit["id"])
        g.add((node, RDF.type, LO.Unit))
        _bilingual(g, node, RDFS.label, unit, err)
        g.add((node, LO.conversionFactor, _decimal(unit["factor"])))
        g.add((node, LO.baseUnit, Literal(unit["base"])))


def _build_concepts(ctx: _Context, doc: dict, path: Path, text: str, known_units: set[str]) -> list:
    """Add the concepts of one file; return its links, checked once all ids are known."""
    g = ctx.data
    for key in sorted(set(doc) - FILE_KEYS):
        ctx.errors.append(BuildError(str(path), 1, "", f"unknown top-level key {key!r}"))
    article = doc.get("article")  # the concepts come from this article (lo:fromArticle)
    quotes_from = doc.get("quotes_from", article)  # default article of quotes
    scheme = doc.get("scheme")
    links = []
    for spec in doc.get("concepts", []) or []:
        cid = spec.get("id") if isinstance(spec, dict) else None
        line = _line_of(text, cid) if cid else 0

        def err(msg, _cid=cid or "?", _line=line):
            ctx.errors.append(BuildError(str(path), _line, _cid, msg))

        if not isinstance(cid, str) or not ID_RE.match(cid):
            err(f"id must be lower-case ASCII words joined by hyphens: {cid!r}")
            continue
        if cid in ctx.concepts:
            other = ctx.concepts[cid]
            err(f"duplicate id (also at {other['_file']}:{other['_line']})")
            continue
        extra = set(spec) - CONCEPT_KEYS
        if extra:
            err(f"unknown keys {sorted(map(str, extra))}")
        ctype = spec.get("type")
        if ctype not in ID_PREFIXES:
            err(f"unknown type {ctype!r}")
            continue
        if cid in KEPT_IDS:
            if KEPT_IDS[cid] != ctype:
                err(f"{cid} is a kept id of a {KEPT_IDS[cid]} (kg.build.KEPT_IDS), not of a {ctype}")
        elif not cid.startswith(ID_PREFIXES[ctype]):
            err(f"a {ctype} id starts with {' or '.join(ID_PREFIXES[ctype])}")
        spec = dict(spec, _file=str(path), _line=line, _article=spec.get("article", article),
                    _quotes_from=spec.get("article", quotes_from))
        ctx.concepts[cid] = spec
        node = ID[cid]
        g.add((node, RDF.type, LO[ctype]))
        for lang in ("zh", "en"):
            label = spec.get(lang)
            if not isinstance(label, str) or not label.strip():
                err(f"missing {lang} label")
            else:
                g.add((node, SKOS.prefLabel, Literal(label.strip(), lang=lang)))
        for lang, values in (spec.get("alt") or {}).items():
            for value in values or []:
                g.add((node, SKOS.altLabel, Literal(str(value).strip(), lang=lang)))
        _bilingual(g, node, SKOS.definition, spec.get("def"), err)
        in_scheme = spec.get("scheme", scheme)
        if in_scheme:
            g.add((node, SKOS.inScheme, ID[in_scheme]))
        if spec["_article"]:
            g.add((node, LO.fromArticle, ID[f"article-{spec['_article']}"]))
        if "ordinal" in spec:
            g.add((node, LO.ordinal, Literal(int(spec["ordinal"]))))
        if ctype in ("Result", "Figure") and "value" in spec:
            g.add((node, LO.value, _decimal(spec["value"])))
            unit = spec.get("unit")
            if unit not in known_units:
                err(f"unknown unit {unit!r} (units are declared in articles.yaml)")
            else:
                g.add((node, LO.unit, ID[unit]))
        quotes = spec.get("quotes") or []
        if not quotes:
            err("needs at least one quote")
        for n, quote in enumerate(quotes, start=1):
            qnode = ID[f"quote/{cid}/{n}"]
            problem = _add_quote(ctx, qnode, quote, spec["_quotes_from"] or "zhonglou")
            if problem:
                err(problem)
            else:
                g.add((node, LO.hasQuote, qnode))
        for key, rel in (("part_of", "partOf"), ("mentioned_in", "mentionedIn")):
            if spec.get(key):
                links.append((spec, {"rel": rel, "to": spec[key], "inferred": spec.get(f"{key}_inferred")}, err))
        for link in spec.get("links") or []:
            links.append((spec, link, err))
    return links


def _loose_link(ctx: _Context, path: Path, text: str, link) -> tuple | None:
    """A top-level link ``{from: A, rel: R, to: B, ...}`` between concepts defined anywhere."""
    source = link.get("from") if isinstance(link, dict) else None
    line = 0
    if isinstance(source, str):
        m = re.search(rf"from:\s*{re.escape(source)}\b", text)
        line = text.count("\n", 0, m.start()) + 1 if m else 0

    def err(msg, _cid=source or "?", _line=line):
        ctx.errors.append(BuildError(str(path), _line, _cid, msg))

    if source not in ctx.concepts:
        err(f"link from unknown concept {source!r}")
        return None
    return ctx.concepts[source], {k: v for k, v in link.items() if k != "from"}, err


def _build_link(ctx: _Context, spec: dict, link: dict, err, seen: set) -> None:
    g = ctx.data
    if not isinstance(link, dict) or set(link) - LINK_KEYS:
        extra = sorted(map(str, set(link) - LINK_KEYS)) if isinstance(link, dict) else link
        err(f"a link is a mapping of {sorted(LINK_KEYS)}; unexpected {extra}{FLOW_HINT}")
        return
    rel, target = link.get("rel"), link.get("to")
    if rel not in RELATIONS:
        err(f"unknown relation {rel!r}; one of {', '.join(RELATIONS)}")
        return
    if target not in ctx.concepts:
        err(f"{rel} points to unknown concept {target!r}")
        return
    if target == spec["id"]:
        err(f"{rel} points to itself")
        return
    key = (spec["id"], rel, target)
    if key in seen or (RELATIONS.get(rel) and (target, rel, spec["id"]) in seen):
        err(f"{rel} {target} given twice")
        return
    seen.add(key)
    subject, predicate, obj = ID[spec["id"]], LO[rel], ID[target]
    g.add((subject, predicate, obj))
    node = ID[f"assertion/{spec['id']}/{rel}/{target}"]
    g.add((node, RDF.type, LO.RelationAssertion))
    g.add((node, RDF.subject, subject))
    g.add((node, RDF.predicate, predicate))
    g.add((node, RDF.object, obj))
    inferred, quote = link.get("inferred"), link.get("quote")
    if inferred and quote:
        err(f"{rel} {target}: a link is stated (quote) or inferred, not both")
    elif inferred:
        g.add((node, LO.status, LO.inferred))
        _bilingual(g, node, LO.rationale, inferred, err)
    elif quote:
        g.add((node, LO.status, LO.stated))
        qnode = URIRef(f"{node}/evidence")
        problem = _add_quote(ctx, qnode, quote, spec["_quotes_from"] or "zhonglou")
        if problem:
            err(f"{rel} {target}: {problem}")
        else:
            g.add((node, LO.evidence, qnode))
    elif rel in ("partOf", "mentionedIn") and (spec.get("quotes") or []):
        g.add((node, LO.status, LO.stated))
        g.add((node, LO.evidence, ID[f"quote/{spec['id']}/1"]))
    else:
        err(f"{rel} {target}: give quote: (stated) or inferred: (with a reason)")


def build(authoring_dir: Path | None = None) -> tuple[Graph, Graph]:
    """Return (sources graph, concepts graph); raise :class:`BuildFailed` on any error."""
    authoring_dir = authoring_dir or resources.authoring_dir()
    files = [authoring_dir / name for name in ("articles.yaml", *CONCEPT_FILES)] + _translation_files(authoring_dir)
    shape_errors = [BuildError(e.file, e.line, e.concept, e.message)
                    for path in files if path.is_file() for e in authoring_schema.check_file(path)]
    if shape_errors:  # the files' shape first (kg/authoring_schema.py): the build reads only well-formed files
        raise BuildFailed(shape_errors)
    ctx = _Context()
    articles_path = authoring_dir / "articles.yaml"
    read = _read_yaml(articles_path, ctx)
    known_units: set[str] = set()
    if read:
        _build_sources(ctx, read[0], articles_path)
        known_units = {u["id"] for u in read[0].get("units", [])}
    _read_translations(ctx, authoring_dir)
    links, loose = [], []
    for name in CONCEPT_FILES:
        path = authoring_dir / name
        read = _read_yaml(path, ctx)
        if read:
            links += _build_concepts(ctx, read[0], path, read[1], known_units)
            loose += [(path, read[1], link) for link in read[0].get("links") or []]
    links += [item for item in (_loose_link(ctx, *args) for args in loose) if item]
    seen: set = set()
    for spec, link, err in links:
        _build_link(ctx, spec, link, err, seen)
    if not ctx.errors:  # a quote that failed to build would make its rendering look stale
        _unused_translations(ctx)
    if ctx.errors:
        raise BuildFailed(ctx.errors)
    for g in (ctx.sources, ctx.data):
        bind_prefixes(g)
    return ctx.sources, ctx.data


def write(out_dir: Path | None = None, authoring_dir: Path | None = None) -> list[Path]:
    """Build and write ``sources.ttl`` and ``concepts.ttl``; nothing is written on error."""
    out_dir = out_dir or resources.data_dir()
    sources_graph, concepts_graph = build(authoring_dir)
    header = "# Generated by `kg build` from data/authoring/*.yaml. Do not edit by hand.\n"
    written = []
    for name, graph in (("sources.ttl", sources_graph), ("concepts.ttl", concepts_graph)):
        path = out_dir / name
        path.write_text(header + graph.serialize(format="turtle"), encoding="utf-8")
        written.append(path)
    return written


__all__ = ["BuildError", "BuildFailed", "build", "write"]
