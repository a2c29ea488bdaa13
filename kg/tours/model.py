"""What a tour is: :class:`Tour`, a sequence of :class:`TourStep`\\ s, each with its :class:`TourQuote`\\ s,
:class:`TourNote`\\ s and :class:`TourLink`\\ s, and the errors a request about a tour can meet.

Each step shows a graph (a :class:`kg.graph.model.GraphView`: everything shown so far), says which concepts are new
in this step (highlighted) and which were shown earlier (dimmed), and carries the step's source quotes
(verbatim, with article and paragraph), speaker notes drawn from the definitions (zh and en) and the links the
step is about, stated and inferred kept apart.  ``as_dict`` gives each as JSON-ready data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from kg.catalog import Bilingual, QuoteRef
from kg.graph.model import GraphView
from kg.i18n import pair

ARTICLE_NAMES = {"yanbian": Bilingual(*pair("article.yanbian")), "zhonglou": Bilingual(*pair("article.zhonglou"))}


class TourError(ValueError):
    """A request about a tour that cannot be met (a step out of range)."""


class UnknownTour(KeyError):
    """No tour of this name."""

    def __init__(self, name: str, known: tuple[str, ...] = ()):
        super().__init__(name)
        self.name = name
        self.known = known

    def __str__(self) -> str:
        return f"unknown tour {self.name!r}; tours: {', '.join(self.known)}"


@dataclass(frozen=True)
class TourQuote:
    """A verbatim quote shown in a step: the concept it belongs to, or the link it is the evidence of."""

    id: str
    concept: str
    article: str
    paragraph: str
    exact: str
    start: int
    end: int
    role: str = "concept"  # concept | evidence (of a stated link)
    en: str | None = None  # the editors' English rendering

    @classmethod
    def of(cls, ref: QuoteRef, concept: str, role: str = "concept") -> "TourQuote":
        return cls(ref.id, concept, ref.article, ref.paragraph, ref.exact, ref.start, ref.end, role, ref.en)

    def as_dict(self, quote_url: Callable[["TourQuote"], str] | None = None) -> dict:
        data = {"id": self.id, "concept": self.concept, "article": self.article,
                "article_label": ARTICLE_NAMES.get(self.article, Bilingual(self.article, self.article)).as_dict(),
                "paragraph": self.paragraph, "exact": self.exact, "start": self.start, "end": self.end,
                "role": self.role, "en": self.en}
        if quote_url is not None:
            data["url"] = quote_url(self)
        return data


@dataclass(frozen=True)
class TourNote:
    """A speaker note: a concept's definition, in zh and en."""

    concept: str
    label: Bilingual
    text: Bilingual

    def as_dict(self) -> dict:
        return {"concept": self.concept, "label": self.label.as_dict(), "text": self.text.as_dict()}


@dataclass(frozen=True)
class TourLink:
    """A relation a step is about, readable as a sentence; stated ones carry their evidence quote,
    inferred ones the editors' reason."""

    source: str
    relation: str
    target: str
    status: str
    relation_label: Bilingual
    evidence: TourQuote | None = None
    rationale: Bilingual | None = None

    @property
    def id(self) -> str:
        return f"{self.source}|{self.relation}|{self.target}"

    def as_dict(self, quote_url=None) -> dict:
        return {"id": self.id, "from": self.source, "relation": self.relation, "to": self.target,
                "status": self.status, "label": self.relation_label.as_dict(),
                "evidence": self.evidence.as_dict(quote_url) if self.evidence else None,
                "rationale": self.rationale.as_dict() if self.rationale else None}


@dataclass
class TourStep:
    """One step of a tour: what it is about, the graph shown so far, what is new, its quotes, notes and links."""

    number: int  # 1-based
    id: str
    kind: str  # layer | component | part | item | overview | remedies | practices | discipline
    title: Bilingual
    subtitle: Bilingual
    subject: list[str]  # the concepts the step is about
    graph: GraphView  # everything shown so far
    new: list[str]  # node ids first shown in this step (highlighted)
    earlier: list[str]  # node ids shown in earlier steps (dimmed unless in focus)
    focus: list[str]  # the subject and the new nodes: drawn highlighted
    new_edges: list[str]
    quotes: list[TourQuote] = field(default_factory=list)
    notes: list[TourNote] = field(default_factory=list)
    links: list[TourLink] = field(default_factory=list)

    @property
    def shown(self) -> list[str]:
        return [n.id for n in self.graph.nodes]

    @property
    def stated_links(self) -> list[TourLink]:
        return [link for link in self.links if link.status != "inferred"]

    @property
    def inferred_links(self) -> list[TourLink]:
        return [link for link in self.links if link.status == "inferred"]

    def as_dict(self, quote_url=None, graph: bool = True) -> dict:
        data = {
            "number": self.number, "id": self.id, "kind": self.kind,
            "title": self.title.as_dict(), "subtitle": self.subtitle.as_dict(),
            "subject": list(self.subject), "new": list(self.new), "earlier": list(self.earlier),
            "focus": list(self.focus), "new_edges": list(self.new_edges),
            "shown": self.shown, "edges": [e.id for e in self.graph.edges],
            "quotes": [q.as_dict(quote_url) for q in self.quotes],
            "notes": [n.as_dict() for n in self.notes],
            "links": {"stated": [link.as_dict(quote_url) for link in self.stated_links],
                      "inferred": [link.as_dict(quote_url) for link in self.inferred_links]},
            "counts": {"nodes": len(self.graph.nodes), "edges": len(self.graph.edges), "new": len(self.new)},
        }
        if graph:
            view = self.graph.as_dict()
            data["graph"] = {key: view[key] for key in ("nodes", "edges", "legend", "counts")}
        return data


@dataclass(eq=False)
class Tour:
    """A named sequence of steps, with its title, description and how the whole tour is laid out."""

    name: str
    title: Bilingual
    description: Bilingual
    steps: list[TourStep]
    layout: dict  # how the whole tour is drawn (kg.graph.layouts hints)

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def final(self) -> GraphView:
        """The last step's graph: every concept and link of the tour, with the tour's layout."""
        last = self.steps[-1].graph
        return GraphView(self.name, self.title, list(last.nodes), list(last.edges), list(last.legend),
                         dict(self.layout), self.description)

    def step(self, number: int) -> TourStep:
        """The step by its 1-based number; :class:`TourError` outside 1..len."""
        if not isinstance(number, int) or not 1 <= number <= len(self.steps):
            raise TourError(f"step must be from 1 to {len(self.steps)}, not {number}")
        return self.steps[number - 1]

    def summary(self) -> dict:
        return {"name": self.name, "title": self.title.as_dict(), "description": self.description.as_dict(),
                "steps": len(self.steps), "kinds": _count_kinds(self.steps)}

    def as_dict(self, quote_url=None, graph: bool = True) -> dict:
        return {**self.summary(), "layout": self.layout,
                "steps": [s.as_dict(quote_url, graph) for s in self.steps]}


def _count_kinds(steps: list[TourStep]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in steps:
        counts[s.kind] = counts.get(s.kind, 0) + 1
    return counts


__all__ = ["ARTICLE_NAMES", "Tour", "TourError", "TourLink", "TourNote", "TourQuote", "TourStep", "UnknownTour"]
