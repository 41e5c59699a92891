"""An evaluation leaves no reference cycles behind: everything it makes but does not return
is freed as soon as it ends (by reference counting), not left to Python's cyclic garbage
collector, whose full collections walk the whole heap (issue 16, eng5: a Series held its
values through a bound method of its own, a cycle that kept every evaluation's values,
caches and indexes alive until the next full collection)."""

from __future__ import annotations

import gc
import random

import pytest

from scorecard.engine.evaluate import evaluate_scorecard, reference_evaluation
from scorecard.engine.types import View
from tests.engine.test_monthly_shortcut import AS_OF, random_scorecard


@pytest.mark.parametrize("view", list(View))
@pytest.mark.parametrize("evaluate", [evaluate_scorecard, reference_evaluation])
def test_an_evaluation_leaves_no_cyclic_garbage(view: View, evaluate: object) -> None:
    rng = random.Random(7)
    cards = [random_scorecard(rng, s) for s in range(6)]
    gc.collect()
    gc.disable()
    try:
        for card in cards:
            evaluate(card, as_of=AS_OF, view=view)  # type: ignore[operator]
        assert gc.collect() == 0
    finally:
        gc.enable()
