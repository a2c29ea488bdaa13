"""The search index: labels, pinyin, alternative labels, definitions and quotes of every concept.

One index serves the search page, the JSON API, the autocomplete box and the
"did you mean" list of the 404 page.  It is built once at load from the
catalog's data classes (no SPARQL, no HTTP); a query only walks precomputed,
normalised strings, never the triples.  The strings of each kind sit in one
haystack in rank order (see :class:`Haystack`), so a search stops as soon as it
has the hits it will show: on a million-triple vocabulary a word found in tens of
thousands of labels costs about what a rare one does (``bench/scale.py``).

What a query can match, and the tier it lands in (lower is better):

0. exact label: the whole zh or en label, or the whole pinyin of the zh label
   (full, spaced or not, tone marks or numbers, or the initials); then, in the same tier, a whole
   alternative label (a name the text or the field uses: "learning organ", 四个学习理念)
1. label prefix: the label (or its pinyin) starts with the query
2. label substring: zh anywhere; en from a word start; pinyin from a syllable
3. alternative label (skos:altLabel), zh / en / pinyin: prefix before substring
4. typo: a label, alt label or pinyin one edit away (rapidfuzz OSA: insertion, deletion,
   substitution or swap of neighbours); tried only when no label matches as typed;
   ranked by family (label, then pinyin), label before alt label, then label length
5. definition or quote: the query as a whole, or all its jieba / English words
   (Chinese words anywhere in the text, English words from a word start)

Within a tier hits are ordered by ``score`` (higher first), then shorter label,
then concept id, so the order is stable.  English is matched case-insensitively,
by word prefix and with plural folding ("mechanisms" finds "mechanism").

Variants a trainer types find the concept too: a Chinese measure word after a numeral is folded
in labels, texts and query alike (四个学习理念 finds 四种学习理念, see
:func:`~kg.search.folding.fold_measure_words`), and a query holding a word of a synonym group
(:mod:`kg.search.synonyms`: countermeasure → remedy, 钟楼模式 → 钟楼模型) is also looked for with
the group's other words, in the same tiers, its hits scored a little below the query as typed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from functools import cached_property

import jieba
from rapidfuzz import fuzz, process
from rapidfuzz import utils as fuzz_utils

from kg.catalog import Catalog, Concept
from kg.i18n import Explained, Message
from kg.search.folding import HAN, compact, key_bits, split_words
from kg.search.haystack import ANY, EXACT, FUZZY_MAX, FUZZY_MIN, INNER, PREFIX, Haystack
from kg.search.hits import (TIER_ALT, TIER_EXACT, TIER_PREFIX, TIER_SUBSTRING, TIER_TEXT, TIER_TYPO, Entry,
                            LaterSpan, SearchHit, common_spans, merge, offer, ranked, snippet)
from kg.search.pinyin import could_be_mistyped_pinyin, could_be_pinyin, pinyin_bits, pinyin_query
from kg.search.synonyms import synonym_texts

jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." chatter on stderr at load

MAX_QUERY = 200
MAX_LIMIT = 200

_KIND_SCORE = {TIER_EXACT: 1.0, TIER_PREFIX: 0.8, TIER_SUBSTRING: 0.6}
_ALT_EXACT = 0.9  # a whole alternative label ranks with the exact labels, below a whole preferred one
#: the label walks in order: (alternative labels?, how, the tier a hit lands in, its score before the family's
#: weight, whether the walk ends its tier: once the answer is full there, no later walk can change it)
_LABEL_WALKS = ((False, EXACT, TIER_EXACT, 1.0, False), (True, EXACT, TIER_EXACT, _ALT_EXACT, True),
                (False, PREFIX, TIER_PREFIX, 1.0, True), (False, INNER, TIER_SUBSTRING, 1.0, True),
                (True, PREFIX, TIER_ALT, _KIND_SCORE[TIER_PREFIX], False),
                (True, INNER, TIER_ALT, _KIND_SCORE[TIER_SUBSTRING], False))
_WEIGHT = {"zh": 1.0, "en": 1.0, "py": 0.9, "ini": 0.8}  # a direct label match beats its pinyin
_SYNONYM_WEIGHT = 0.95  # a hit for a synonym of the query's word, below the word as typed in the same tier
_NEAR_CUTOFF = 75  # rapidfuzz WRatio (0..100) below which nearest() suggests nothing
_CLASS_QUALIFIER = re.compile(r"\s*[（(][^）)]*[）)]")  # 学习机制（干） → 学习机制


class QueryError(Explained, ValueError):
    """A query the index refuses: too long, a bad limit, an unknown class or article."""


@dataclass(frozen=True)
class _Query:
    text: str
    zh: str  # folded, compact
    en: str  # folded, compact, plurals folded
    py: str | None  # pinyin letters, or None
    has_cjk: bool
    zh_tokens: tuple[str, ...]  # jieba words of a Chinese query
    en_tokens: tuple[str, ...]  # English words (plurals folded)

    def label_variants(self) -> list[tuple[str, str]]:
        out = []
        if self.zh:
            out.append(("zh", self.zh))
        if self.en and not self.has_cjk:
            out.append(("en", self.en))
        if self.py:
            if could_be_pinyin(self.py):
                out.append(("py", self.py))
            if len(self.py) >= 2:
                out.append(("ini", self.py))
        return out

    def fuzzy_variants(self) -> list[tuple[str, str]]:
        out = []
        if self.has_cjk and len(self.zh) >= FUZZY_MIN - 1:
            out.append(("zh", self.zh))
        if not self.has_cjk and len(self.en) >= FUZZY_MIN:
            out.append(("en", self.en))
        if self.py and len(self.py) >= FUZZY_MIN and could_be_mistyped_pinyin(self.py):
            out.append(("py", self.py))
        return out


def _rank(c: Concept, lang: str) -> tuple[int, str]:
    """Where a concept's strings in ``lang`` sit in a haystack: :func:`sort_key`'s label length, then id."""
    label = c.label.get(lang) or c.label.zh or c.label.en
    return (len(label), c.id)


class SearchIndex:
    """Built once by :meth:`build`; :meth:`search`, :meth:`suggest` and :meth:`nearest` only read it."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.concepts: dict[str, Concept] = catalog.concepts
        # (family, alt) → labels (alt=False) or alternative labels (alt=True)
        self._labels: dict[tuple[str, bool], Haystack] = {
            ("zh", False): Haystack("zh", "label", "zh"), ("en", False): Haystack("en", "label", "en"),
            ("py", False): Haystack("py", "pinyin", "zh"), ("ini", False): Haystack("ini", "pinyin", "zh"),
            ("zh", True): Haystack("zh", "altLabel", "zh"), ("en", True): Haystack("en", "altLabel", "en"),
            ("py", True): Haystack("py", "altLabel", "zh"), ("ini", True): Haystack("ini", "altLabel", "zh"),
        }
        # (lang, field) → definitions and quotes
        self._docs: dict[tuple[str, str], Haystack] = {
            ("zh", "definition"): Haystack("zh", "definition", "zh"),
            ("en", "definition"): Haystack("en", "definition", "en"),
            ("zh", "quote"): Haystack("zh", "quote", "zh"),
        }
        self._near_choices: list[str] = []
        self._near_refs: list[tuple[str, str, str, str]] = []  # (concept, field, text, lang)
        #: concept → the full pinyin of its Chinese label (or its English label), for sorting lists
        self.sort_keys: dict[str, str] = {}
        self._classes: set[str] = set()
        self._articles: set[str] = set()
        self._allowed_cache: dict[tuple[str | None, str | None], frozenset[str]] = {}
        self._facets: dict[str, list[dict]] | None = None

    # -- building ----------------------------------------------------------

    @classmethod
    def build(cls, catalog: Catalog) -> "SearchIndex":
        index = cls(catalog)
        for concept in catalog.concepts.values():
            index._add_concept(concept)
        for haystack in index._labels.values():
            haystack.freeze()
        for haystack in index._docs.values():
            haystack.freeze(suffixes=False)
        return index

    def _add_concept(self, c: Concept) -> None:
        self._classes.update(self.catalog.class_chain(c.cls))
        if c.article:
            self._articles.add(c.article)
        rank_zh, rank_en = _rank(c, "zh"), _rank(c, "en")
        labels = [("label", "zh", c.label.zh, False), ("label", "en", c.label.en, False)]
        labels += [("altLabel", lang, text, True) for lang in ("zh", "en") for text in c.alt.get(lang, [])]
        for field, lang, text, alt in labels:
            if not text:
                continue
            if lang == "zh":
                self._labels[("zh", alt)].add(rank_zh, c.id, text, compact(text))
                full, initials = pinyin_bits(text)
                if not alt:
                    self.sort_keys[c.id] = full[0]
                self._labels[("py", alt)].add(rank_zh, c.id, text, *full)
                self._labels[("ini", alt)].add(rank_zh, c.id, text, *initials)
            else:
                self._labels[("en", alt)].add(rank_en, c.id, text, *key_bits(text, True))
            self._near_choices.append(text)
            self._near_refs.append((c.id, field, text, lang))
        self.sort_keys.setdefault(c.id, compact(c.label.en or c.id))
        self._near_choices.append(c.id)
        self._near_refs.append((c.id, "id", c.id, "en"))
        if c.definition.zh:
            self._docs[("zh", "definition")].add(rank_zh, c.id, c.definition.zh, compact(c.definition.zh))
        if c.definition.en:
            docs = self._docs[("en", "definition")]
            docs.add(rank_en, c.id, c.definition.en, *key_bits(c.definition.en, True, docs.words))
        for quote in c.quotes:
            if quote.exact:
                self._docs[("zh", "quote")].add(rank_zh, c.id, quote.exact, compact(quote.exact))

    def stats(self) -> dict[str, int]:
        return {
            "concepts": len(self.concepts),
            "label_keys": sum(len(v) for v in self._labels.values()),
            "documents": sum(len(v) for v in self._docs.values()),
        }

    def facets(self) -> dict[str, list[dict]]:
        """Classes (with superclasses, and how many concepts each covers) and articles, for filters."""
        if self._facets is None:
            self._facets = self._make_facets()
        return self._facets

    def _make_facets(self) -> dict[str, list[dict]]:
        counts = self.catalog.class_counts
        terms = self.catalog.terms

        def label(tid: str) -> dict[str, str]:
            term = terms.get(tid)
            return term.label.as_dict() if term else {"zh": tid, "en": tid}

        classes = [{"id": name, "label": label(name), "count": counts.get(name, 0)}
                   for name in sorted(self._classes, key=lambda n: (n != "Concept", label(n)["en"].lower(), n))]
        articles = [{"id": key, "label": label(f"article-{key}")} for key in sorted(self._articles)]
        return {"classes": classes, "articles": articles}

    def classes_named(self, q: str) -> list[dict]:
        """The classes (facet entries) whose name the query is: 对策, remedies, learning mechanism, or
        the last word of a Chinese name (问题 → 存在的问题, 机制 → 学习机制), never a common first word
        (学习, 存在). A search for a class's name finds the concepts that mention it; the page also
        offers the class itself."""
        text = (q or "").strip()
        if not text or len(text) > 60:
            return []
        keys = {compact(t, singular=True) if not HAN.search(t) else t for t in [text, *synonym_texts(text)]}
        return [facet for facet, names in self._class_names if keys & names]

    def schemes_named(self, q: str) -> list[dict]:
        """The concept schemes (Senge's five disciplines, the two models) whose label or id holds the query
        (folded as a query is, two characters or more): a search for 五项修炼, 45231 or "disciplines" also
        offers the scheme itself.  Each as ``{"id", "label", "count"}``."""
        key = compact((q or "").strip()[:60])
        if len(key) < 2:
            return []
        return [entry for entry, names in self._scheme_names if any(key in name for name in names)]

    @cached_property
    def _scheme_names(self) -> list[tuple[dict, tuple[str, ...]]]:
        cat = self.catalog
        counts: dict[str, int] = {}
        for c in cat.concepts.values():
            counts[c.scheme] = counts.get(c.scheme, 0) + 1
        return [({"id": sid, "label": term.label.as_dict(), "count": counts.get(sid, 0)},
                 tuple(compact(n) for n in (term.label.zh, term.label.en, sid.removeprefix("scheme-")) if n))
                for sid, term in sorted(cat.terms.items()) if term.kind == "ConceptScheme"]

    @cached_property
    def _class_names(self) -> list[tuple[dict, frozenset[str]]]:
        """Each class's facet entry and the names a query may give it (folded as a query is): its id,
        its English label, its Chinese label and that label's last word (of two characters or more),
        the label's qualifier dropped (学习机制（干） → 学习机制)."""
        out = []
        for facet in self.facets()["classes"]:
            if facet["id"] == "Concept":
                continue
            zh, en = (_CLASS_QUALIFIER.sub("", facet["label"][lang]) for lang in ("zh", "en"))
            last = (jieba.lcut(zh, HMM=False) or [""])[-1]
            names = {compact(en, singular=True), compact(facet["id"], singular=True), zh}
            out.append((facet, frozenset(names | ({last} if len(last) >= 2 else set())) - {""}))
        return out

    # -- querying ----------------------------------------------------------

    def search(self, q: str, cls: str | None = None, article: str | None = None,
               limit: int = 50) -> list[SearchHit]:
        """Concepts matching ``q`` in rank order; empty for a blank query.

        Raises :class:`QueryError` (a ValueError) for a query over 200 characters, a limit
        outside 1..200, or an unknown class or article.
        """
        check_limit(limit)
        allowed = self._allowed(cls, article)
        query = self._parse(q)
        if query is None:
            return []
        best: dict[str, tuple[tuple, SearchHit]] = {}
        queries = self._with_synonyms(query)
        for each, weight in queries:
            self._label_stage(each, allowed, best, limit, weight)
        if not best:  # typos are forgiven only when no label matches as typed
            self._fuzzy_stage(query, allowed, best, limit)
        for each, weight in queries:
            if len(best) < limit:  # a definition or quote hit ranks below every label hit: none would be shown
                self._text_stage(each, allowed, best, limit, weight)
        return ranked(best, limit)

    def suggest(self, q: str, limit: int = 10) -> list[SearchHit]:
        """Autocomplete: labels, alt labels and pinyin only, exact and prefix first; typos only if nothing else."""
        check_limit(limit)
        query = self._parse(q)
        if query is None:
            return []
        best: dict[str, tuple[tuple, SearchHit]] = {}
        for each, weight in self._with_synonyms(query):
            self._label_stage(each, None, best, limit, weight)
        if not best:
            self._fuzzy_stage(query, None, best, limit)
        return ranked(best, limit)

    def nearest(self, q: str, limit: int = 5) -> list[SearchHit]:
        """The labels nearest to ``q`` (a mistyped concept id or label), for "did you mean".

        Label matches and one-typo matches come first, then the closest ids and labels by
        rapidfuzz's WRatio (which also forgives reordered words).  Never raises on odd input.
        """
        text = (q or "").strip()[:MAX_QUERY]
        limit = max(1, min(int(limit), MAX_LIMIT))
        query = self._parse(text)
        if query is None:
            return []
        best: dict[str, tuple[tuple, SearchHit]] = {}
        self._label_stage(query, None, best, limit)
        self._fuzzy_stage(query, None, best, limit)
        hits = ranked(best, limit)
        seen = {h.id for h in hits}
        if len(hits) < limit and len(fuzz_utils.default_process(text)) >= 3:
            found = process.extract(text, self._near_choices, scorer=fuzz.WRatio, processor=fuzz_utils.default_process,
                                    score_cutoff=_NEAR_CUTOFF, limit=limit * 8)
            for _choice, score, number in found:
                cid, field, matched, lang = self._near_refs[number]
                if cid in seen:
                    continue
                seen.add(cid)
                hits.append(self._hit(cid, TIER_TYPO, field, matched, common_spans(text, matched),
                                      score / 100, lang))
                if len(hits) >= limit:
                    break
        return hits

    # -- stages --------------------------------------------------------------

    def _parse(self, q: str | None) -> _Query | None:
        text = (q or "").strip()
        if len(text) > MAX_QUERY:
            raise QueryError(Message("query_too_long", length=len(text), most=MAX_QUERY))
        zh = compact(text)
        if not zh:
            return None  # blank, or punctuation only
        has_cjk = bool(HAN.search(text))
        en_words = [w for w, _, _ in split_words(text, singular=True)]
        zh_tokens = ()
        if has_cjk:
            zh_tokens = tuple(dict.fromkeys(t for t in (compact(w) for w in jieba.lcut(text)) if t))
        return _Query(text, zh, "".join(en_words), pinyin_query(text), has_cjk, zh_tokens,
                      tuple(dict.fromkeys(en_words)) if not has_cjk else ())

    def _with_synonyms(self, query: _Query) -> list[tuple[_Query, float]]:
        """The query as typed (weight 1) and rewritten with synonyms (a lower weight; their pinyin
        is not looked for: a rewritten query is a word of the table, not what was typed)."""
        out = [(query, 1.0)]
        for text in synonym_texts(query.text):
            variant = self._parse(text)
            if variant is not None:
                out.append((replace(variant, py=None), _SYNONYM_WEIGHT))
        return out

    def _allowed(self, cls: str | None, article: str | None) -> frozenset[str] | None:
        cls, article = cls or None, article or None
        if cls is not None and cls not in self._classes:
            raise QueryError(Message("unknown_class_filter", name=cls[:60], known=", ".join(sorted(self._classes))))
        if article is not None and article not in self._articles:
            raise QueryError(Message("choice", name="article", value=article[:60],
                                       known=", ".join(sorted(self._articles))))
        if cls is None and article is None:
            return None
        allowed = self._allowed_cache.get((cls, article))
        if allowed is None:
            allowed = frozenset(c.id for c in self.concepts.values()
                                if (cls is None or self.catalog.is_subclass(c.cls, cls))
                                and (article is None or c.article == article))
            self._allowed_cache[(cls, article)] = allowed
        return allowed

    def _hit(self, cid: str, tier: int, field: str, text: str, spans, score: float, lang: str) -> SearchHit:
        c = self.concepts[cid]
        later = any(isinstance(s, LaterSpan) for s in spans)
        return SearchHit(c.id, c.iri, c.cls, c.label, tier, field, text, tuple(spans) if later else merge(spans),
                         round(score, 4), lang)

    def _label_stage(self, query: _Query, allowed, best, limit: int, weight: float = 1.0) -> None:
        """Whole labels equal to the query (preferred, then alternative: a trainer typing a name the
        text or the field uses, "learning organ", means the concept that bears it, not every label that
        starts with it), then prefix and substring label matches, then prefix and substring matches of
        alternative labels.  Each walk stops at ``limit`` concepts, and once ``limit`` concepts have
        matched in a tier, no worse tier can change the answer, so none is walked."""
        variants = query.label_variants()
        for alt, walk, tier, factor, ends_tier in _LABEL_WALKS:
            for family, q in variants:
                hay = self._labels[(family, alt)]
                score = factor * _WEIGHT[family] * weight
                for n, i in hay.walk(q, walk, allowed, limit):
                    offer(best, self._hit(hay.concepts[n], tier, hay.field, hay.texts[n],
                                           [hay.entry(n).later_span(i, i + len(q))], score, hay.lang))
            if ends_tier and len(best) >= limit:
                return  # a tier is full: no worse tier can change the answer

    def _fuzzy_stage(self, query: _Query, allowed, best, limit: int) -> None:
        """Label windows one edit from the query (see :meth:`Haystack.typo_walk`).  Every such
        window is one edit away, so hits rank by family, label before alternative label, then the
        label's length; each walk stops at ``limit`` concepts."""
        for family, q in query.fuzzy_variants():
            if len(q) > FUZZY_MAX + 1:
                continue
            for alt in (False, True):
                hay = self._labels[(family, alt)]
                score = (1 - 1 / len(q)) * _WEIGHT[family] * (0.9 if alt else 1.0)
                for n, a, b in hay.typo_walk(q, allowed, limit):
                    offer(best, self._hit(hay.concepts[n], TIER_TYPO, hay.field, hay.texts[n],
                                           [hay.entry(n).later_span(a, b)], score, hay.lang))

    def _text_stage(self, query: _Query, allowed, best, limit: int, weight: float = 1.0) -> None:
        """Definitions and quotes holding the query as typed, then those holding all its words.

        A text hit ranks below every label hit, so only concepts not yet found can still make the
        answer: each walk stops once it has met as many new concepts as places are left, and the
        all-words pass runs only if the whole-query pass left places."""
        need = limit - len(best)
        phrase_found: set[str] = set()
        for (lang, _field), docs in self._docs.items():
            q = query.zh if lang == "zh" else query.en if not query.has_cjk else ""
            if not q or (len(q) < 2 and not query.has_cjk):
                continue  # one Latin letter or digit says nothing about a definition
            if lang == "en" and not docs.may_hold_words(query.en_tokens):
                continue
            found: set[str] = set()
            for n, i in docs.walk(q, ANY, allowed, len(docs) + 1):
                concept = docs.concepts[n]
                if concept in best and concept not in phrase_found:
                    continue
                entry = docs.entry(n)
                spans = [entry.span(j, j + len(q)) for j in docs.occurrences(n, q, 8)]  # the first is i
                self._offer_text(best, entry, spans, weight)
                found.add(concept)
                if len(found) >= need:
                    break
            phrase_found |= found
        if len(phrase_found) >= need:
            return
        for lang, tokens in (("zh", query.zh_tokens), ("en", query.en_tokens)):
            if len(tokens) < 2:
                continue
            for (doc_lang, _field), docs in self._docs.items():
                if doc_lang != lang:
                    continue
                if not docs.may_hold_words(tokens):
                    continue
                found = set()
                for n in docs.with_all(sorted(tokens, key=len, reverse=True)):  # the longest is likeliest rare
                    concept = docs.concepts[n]
                    if (concept in best and concept not in phrase_found) or concept in found:
                        continue
                    if allowed is not None and concept not in allowed:
                        continue
                    entry = docs.entry(n)
                    spans = [entry.span(j, j + len(t)) for t in tokens for j in docs.occurrences(n, t, 4)]
                    self._offer_text(best, entry, spans, 0.5 * weight)
                    found.add(concept)
                    if len(found) >= need:
                        break

    def _offer_text(self, best, entry: Entry, spans, score: float) -> None:
        text, spans = snippet(entry.text, merge(spans), entry.lang)
        offer(best, self._hit(entry.concept, TIER_TEXT, entry.field, text, spans, score, entry.lang))


def check_limit(limit: int) -> None:
    """Refuse (:class:`QueryError`) a limit that is not an integer from 1 to :data:`MAX_LIMIT`."""
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise QueryError(Message("not_a_number", name="limit", low=1, high=MAX_LIMIT))
