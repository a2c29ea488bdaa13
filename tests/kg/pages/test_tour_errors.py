"""kg.pages.tours: a tour that is not there and a step out of range are catalogue messages (zh and en, a code)."""

from __future__ import annotations

import pytest

from kg.pages.errors import NotFound
from kg.pages.tours import find_step, find_tour
from kg.paging import BadPage


def test_an_unknown_tour_names_the_tours(explorer):
    with pytest.raises(NotFound) as caught:
        find_tour(explorer, "nope")
    error = caught.value
    assert error.code == "unknown_tour"
    assert error.text("en").startswith("There is no tour called “nope”; the tours are ") and "chain" in error.text("en")
    assert error.text("zh").startswith("没有名为“nope”的演示；可选：")


def test_a_step_out_of_range(explorer):
    tour = find_tour(explorer, "chain")
    with pytest.raises(BadPage) as caught:
        find_step(tour, len(tour.steps) + 1)
    error = caught.value
    assert error.code == "step_range"
    assert error.text("en") == f"The step must be from 1 to {len(tour.steps)}, not {len(tour.steps) + 1}."
    assert error.text("zh") == f"步骤须在 1 到 {len(tour.steps)} 之间，而不是 {len(tour.steps) + 1}。"
    assert find_step(tour, 1).number == 1
