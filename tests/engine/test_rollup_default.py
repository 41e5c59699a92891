"""rollup() with the default settings (weighted average, missing children left out) takes a
shorter way (rollup._weighted_present): the same float, to the bit, as the general steps,
kept here as they were before the shortcut, on worked examples and random children."""

from __future__ import annotations

import math
import random

import pytest

from scorecard.engine.rollup import coverage, normalised, rollup
from scorecard.engine.types import Aggregator, MissingPolicy


def general(
    children: list[tuple[float | None, float]], cap: float, min_coverage: float
) -> float | None:
    """rollup()'s general steps for weighted_average / exclude (before the shortcut)."""
    if not children:
        return None
    total_weight = sum(w for _, w in children)
    present_weight = sum(w for s, w in children if s is not None)
    if total_weight > 0 and present_weight / total_weight < min_coverage:
        return None
    pairs = [(min(max(s, 0.0), cap), w) for s, w in children if s is not None]
    if not pairs:
        return None
    scores = [s for s, _ in pairs]
    shares = normalised([w for _, w in pairs])
    return sum(s * share for s, share in zip(scores, shares, strict=True))


def general_coverage(children: list[tuple[float | None, float]]) -> float:
    total = sum(w for _, w in children)
    if not total:
        return 1.0
    return sum(w for s, w in children if s is not None) / total


def same(a: float | None, b: float | None) -> bool:
    """Equal to the bit (-0.0 apart from 0.0; nan equal to nan)."""
    if a is None or b is None:
        return a is b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b) and type(a) is type(b)


EXAMPLES = [
    # children, cap, min_coverage
    ([], 1.0, 0.0),
    ([(None, 1.0)], 1.0, 0.0),
    ([(0.8, 2.0), (None, 1.0), (0.5, 1.0)], 1.0, 0.0),  # scoring.md example 6: 0.7
    ([(1.0, 40.0), (1.0, 40.0)], 1.0, 0.0),  # example 7: 1.0
    ([(0.8, 2.0), (None, 1.0), (0.5, 1.0)], 1.0, 0.8),  # coverage 0.75 < 0.8: None
    ([(1.5, 1.0), (-0.5, 1.0)], 1.2, 0.0),  # clamped to [0, cap]
    ([(0.5, 0.0), (0.7, 0.0)], 1.0, 0.0),  # weights of zero: shares of zero
    ([(0.5, -1.0), (None, 3.0)], 1.0, 0.0),  # a negative weight (present / total < 0)
    ([(1, 1.0), (0, 1.0)], 1.0, 0.0),  # integer scores
    ([(-0.0, 1.0)], 1.0, 0.0),
    ([(0.3, math.inf), (0.6, 1.0)], 1.0, 0.0),
    ([(math.nan, 1.0), (0.6, 1.0)], 1.0, 0.0),
]


@pytest.mark.parametrize(("children", "cap", "min_coverage"), EXAMPLES)
def test_worked_examples(
    children: list[tuple[float | None, float]], cap: float, min_coverage: float
) -> None:
    got = rollup(children, cap=cap, min_coverage=min_coverage)
    assert same(got, general(children, cap, min_coverage)), (got, children)
    assert same(coverage(children), general_coverage(children))


def test_example_six_and_seven() -> None:
    assert rollup([(0.8, 2.0), (None, 1.0), (0.5, 1.0)]) == pytest.approx(0.7)
    assert rollup([(1.0, 40.0), (1.0, 40.0)]) == 1.0


@pytest.mark.parametrize("seed", range(40))
def test_random_children(seed: int) -> None:
    rng = random.Random(seed)
    scores = [None, 0.0, -0.0, 1.0, 1.2, -0.3, 1e-310, 1e308, 1 / 3, 2 / 3, 0.1, 0.7]
    weights = [0.0, 1.0, 2.0, 3.0, 0.1, 1 / 3, 40.0, 1e-300, 7.5]
    for _ in range(200):
        children = [
            (
                rng.choice(scores) if rng.random() < 0.5 else rng.uniform(-0.5, 1.5),
                rng.choice(weights) if rng.random() < 0.5 else rng.uniform(0, 5),
            )
            for _ in range(rng.randint(0, 12))
        ]
        cap = rng.choice([1.0, 1.2, 0.5])
        min_coverage = rng.choice([0.0, 0.0, 0.5, 0.9, 1.0])
        got = rollup(
            children,
            aggregator=Aggregator.WEIGHTED_AVERAGE,
            missing=MissingPolicy.EXCLUDE,
            cap=cap,
            min_coverage=min_coverage,
        )
        assert same(got, general(children, cap, min_coverage)), (children, cap, min_coverage)
        assert same(coverage(children), general_coverage(children)), children
