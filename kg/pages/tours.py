"""The tours' pages: the list of tours, a whole tour, and one step of a tour.

Each ``*_page`` function returns a plain dict (JSON-ready) that the HTML template and the JSON response share.
What the presentation page's script needs besides (every step, the vis-network data of the whole tour, each
concept's labels and page, the script's words) is :func:`tour_script_data`, built only for the HTML page.

Links between pages are part of the data (the script follows them), so each function takes the site's URL
builder (``urls``: ``api/urls.py`` in the web app); the core builds no URL of its own.
"""

from __future__ import annotations

import re
from typing import Callable, Protocol

from kg.explorer import Explorer
from kg.i18n import Message, script_texts
from kg.linebreak import atoms
from kg.graph.vis_network import vis_data
from kg.pages.errors import NotFound
from kg.paging import BadPage
from kg.tours.builders import get_tour, tours_for
from kg.tours.model import Tour, TourError, TourQuote, TourStep, UnknownTour


class TourUrls(Protocol):
    """The URLs a tour's pages link to."""

    def tours(self, fmt: str | None = None) -> str: ...

    def tour(self, name: str, fmt: str | None = None, **params) -> str: ...

    def article(self, key: str, fmt: str | None = None, paragraph: str | None = None,
                quote: str | None = None) -> str: ...

    def concept(self, cid: str, fmt: str | None = None) -> str: ...


def quote_link(urls: TourUrls) -> Callable[[TourQuote], str]:
    """"Read in context": the article with the quote highlighted, scrolled to its paragraph."""
    return lambda q: urls.article(q.article, paragraph=q.paragraph, quote=q.id)


def find_tour(explorer: Explorer, name: str) -> Tour:
    """The tour of this name; :class:`NotFound` (its message names the tours) when there is none."""
    try:
        return get_tour(explorer.concept_graph, name)
    except UnknownTour as exc:
        raise NotFound(Message("unknown_tour", name=exc.name, known=", ".join(exc.known))) from None


def find_step(tour: Tour, number: int) -> TourStep:
    """The step of this 1-based number; :class:`BadPage` outside the tour (``problem.step_range``)."""
    try:
        return tour.step(number)
    except TourError:
        raise BadPage(Message("step_range", last=len(tour.steps), number=number)) from None


def tours_page(explorer: Explorer, urls: TourUrls) -> dict:
    """Every tour: its title, description, number of steps and kinds of step, and its page, PDF and JSON."""
    return {"tours": [{**tour.summary(), "url": urls.tour(name), "json": urls.tour(name, "json"),
                       "pdf": urls.tour(name, "pdf"), "pptx": urls.tour(name, "pptx")}
                      for name, tour in tours_for(explorer.concept_graph).items()]}


def tour_page(explorer: Explorer, name: str, urls: TourUrls) -> dict:
    """A whole tour: its summary, layout and every step with its graph."""
    return find_tour(explorer, name).as_dict(quote_link(urls))


def tour_step_page(explorer: Explorer, name: str, number: int, urls: TourUrls) -> dict:
    """One step of a tour (1-based), under the tour's summary."""
    tour = find_tour(explorer, name)
    return {**tour.summary(), "step": find_step(tour, number).as_dict(quote_link(urls))}


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", text.lower())


def _within(short: list[str], long: list[str]) -> bool:
    """Whether ``short`` is ``long`` with some of its items left out (a subsequence)."""
    rest = iter(long)
    return all(any(item == other for other in rest) for item in short)


def contraction(label: str, alternatives: list[str], lang: str) -> str | None:
    """The shortest of the editors' alternative labels that is a contraction of ``label`` (its words, in
    English, or its characters, in Chinese, all in the label in the same order), when shorter than it: a
    synonym is not a contraction ("first branch" for "Units, departments and sections" is not taken).
    The tree's overview draws it where the whole label would not fit the room's type size."""
    def units(text: str) -> list[str]:
        return _words(text) if lang == "en" else [ch for ch in text if not ch.isspace()]
    whole = units(label)
    found = [alt for alt in alternatives
             if units(alt) and len(alt) < len(label) and _within(units(alt), whole)]
    return min(found, key=lambda alt: (len(alt), alt)) if found else None


def tour_script_data(explorer: Explorer, name: str, number: int, lang: str, urls: TourUrls,
                     notes: bool = False) -> dict:
    """What the presentation page's script (tour-1.js) reads: the steps (without their repeated graphs), the
    whole tour's vis-network data, each concept's labels and page, its words, the links it follows.
    The speaker notes only with ``notes`` (the presenter's window): the audience's page never carries them."""
    cat = explorer.catalog
    tour = find_tour(explorer, name)
    find_step(tour, number)
    labels = "en" if lang == "en" else "zh"
    final = tour.final
    quote_url = quote_link(urls)
    steps = []
    for s in tour.steps:
        data = s.as_dict(quote_url, graph=False)
        for key in ("shown", "edges", "earlier"):  # derived in the script from "new" and the whole graph
            data.pop(key, None)
        if not notes:
            data.pop("notes", None)
        steps.append(data)
    concepts = {n.id: {"label": n.label.as_dict(), "short": _short(cat, n.id), "class": n.cls,
                       "class_label": {"zh": cat.term_label(n.cls, "zh"), "en": cat.term_label(n.cls, "en")},
                       "url": urls.concept(n.id)}
                for n in final.nodes}
    return {
        "tour": {"name": tour.name, "title": tour.title.as_dict(), "description": tour.description.as_dict(),
                 "count": len(tour.steps)},
        "lang": lang, "labels": labels, "start": number,
        "layout": tour.layout,
        "steps": steps,
        "concepts": concepts,
        "vis": vis_data(final, cat, labels),
        "ui": script_texts("tour", lang),
        "links": {"list": urls.tours(), "page": urls.tour(tour.name), "pdf": urls.tour(tour.name, "pdf"),
                  "pptx": urls.tour(tour.name, "pptx"), "json": urls.tour(tour.name, "json")},
    }


def _short(cat, cid: str) -> dict:
    """A concept's contractions (see :func:`contraction`), by language, with the Chinese one's line-break
    atoms; empty where there is none."""
    concept = cat.concepts.get(cid)
    out: dict = {}
    if concept is None:
        return out
    for lang in ("zh", "en"):
        short = contraction(getattr(concept.label, lang) or "", concept.alt.get(lang, []), lang)
        if short:
            out[lang] = short
            if lang == "zh":
                out["zh_atoms"] = list(atoms(short))
    return out


__all__ = ["contraction", "TourUrls", "find_step", "find_tour", "quote_link", "tour_page", "tour_script_data", "tour_step_page",
           "tours_page"]
