"""The hostile texts the tests render through every page, and an Explorer that carries them."""

from __future__ import annotations

import copy

from kg.catalog import Bilingual
from kg.explorer import Explorer

HOSTILE = ['<img src=x onerror=alert(1)>', '</script><script>alert(1)</script>',
           '<a href="javascript:alert(1)">x</a>']
TARGET = "mechanism-team-learning"


def hostile_explorer(explorer: Explorer) -> Explorer:
    """A copy of ``explorer`` whose concept TARGET has hostile labels (one containing "href"),
    alternative labels and definitions."""
    catalog = copy.deepcopy(explorer.catalog)
    concept = catalog.concepts[TARGET]
    concept.label = Bilingual(HOSTILE[0], HOSTILE[1] + " href")
    concept.definition = Bilingual(HOSTILE[2], HOSTILE[0])
    concept.alt = {"zh": [HOSTILE[1]], "en": [HOSTILE[2]]}
    return Explorer(explorer.store, catalog)
