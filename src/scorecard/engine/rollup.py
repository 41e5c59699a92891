"""Weighted rollup of child scores into a parent score (docs/scoring.md, "Rollup").

Weights are relative: they are normalised over the children that take part, so
weights of 40 and 40 make two halves, not 80 %. Each child's score is clamped to
[0, cap] first, so that one runaway KPI cannot hide its red siblings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .types import Aggregator, Indicator, MissingPolicy


def clamp(score: float, cap: float = 1.0) -> float:
    """``score`` held inside [0, cap]."""
    return min(max(score, 0.0), cap)


def normalised(weights: Sequence[float]) -> list[float]:
    """Weights divided by their sum (all zero when the sum is zero)."""
    total = sum(weights)
    return [w / total if total else 0.0 for w in weights]


def rollup(
    children: Sequence[tuple[float | None, float]],
    *,
    aggregator: Aggregator = Aggregator.WEIGHTED_AVERAGE,
    missing: MissingPolicy = MissingPolicy.EXCLUDE,
    cap: float = 1.0,
    min_coverage: float = 0.0,
) -> float | None:
    """Combine ``(score, weight)`` pairs into one score, or None when there is nothing to say.

    ``missing`` decides what a child without a score does: leave it out and re-weigh
    the rest (exclude), count it as zero, or make the parent unknown (propagate).
    ``min_coverage`` is the share of the total weight that must have scores.
    """
    # Callers mostly pass the enums themselves: converted only when they do not.
    if aggregator.__class__ is not Aggregator:
        aggregator = Aggregator(aggregator)
    if missing.__class__ is not MissingPolicy:
        missing = MissingPolicy(missing)
    if not children:
        return None
    if aggregator is _WEIGHTED_AVERAGE and missing is _EXCLUDE:
        return _weighted_present(children, cap, min_coverage)
    total_weight = sum(w for _, w in children)
    present_weight = sum(w for s, w in children if s is not None)
    if missing is MissingPolicy.PROPAGATE and any(s is None for s, _ in children):
        return None
    if total_weight > 0 and present_weight / total_weight < min_coverage:
        return None
    # clamp(s, cap), inlined: one call less per child of every node.
    if missing is MissingPolicy.ZERO:
        pairs = [(0.0 if s is None else min(max(s, 0.0), cap), w) for s, w in children]
    else:
        pairs = [(min(max(s, 0.0), cap), w) for s, w in children if s is not None]
    if not pairs:
        return None
    scores = [s for s, _ in pairs]
    if aggregator is Aggregator.WEIGHTED_AVERAGE:
        shares = normalised([w for _, w in pairs])
        return sum(s * share for s, share in zip(scores, shares, strict=True))
    if aggregator is Aggregator.AVERAGE:
        return sum(scores) / len(scores)
    if aggregator in (Aggregator.MIN, Aggregator.WORST_CHILD):
        return min(scores)
    if aggregator is Aggregator.MAX:
        return max(scores)
    return sum(scores)


_WEIGHTED_AVERAGE, _EXCLUDE = Aggregator.WEIGHTED_AVERAGE, MissingPolicy.EXCLUDE


def _weighted_present(
    children: Sequence[tuple[float | None, float]], cap: float, min_coverage: float
) -> float | None:
    """:func:`rollup` with the default settings (weighted average, missing children left
    out), which nearly every node of every scorecard uses: the general steps' sums and
    products in the same order, so the same float, in fewer passes over the children."""
    total_weight = sum([w for _, w in children])
    present = [(s, w) for s, w in children if s is not None]
    # The present children's weight: the coverage test's numerator and the shares' total.
    total = sum([w for _, w in present])
    if total_weight > 0 and total / total_weight < min_coverage:
        return None
    if not present:
        return None
    # normalised() and clamp(), inlined.
    return sum([min(max(s, 0.0), cap) * (w / total if total else 0.0) for s, w in present])


@dataclass(frozen=True)
class Aligned:
    """An objective's score with the parts aligned to it from the units below.

    ``own_weight`` and ``weights`` are the effective shares of the objective's own
    KPIs and of each aligned part (in the order given) in ``score``.
    """

    score: float | None
    own_weight: float
    weights: tuple[float, ...]


def aligned_rollup(
    own: float | None,
    shares: Sequence[tuple[float | None, float]],
    *,
    has_own: bool = True,
    missing: MissingPolicy = MissingPolicy.EXCLUDE,
    cap: float = 1.0,
) -> Aligned:
    """Blend an objective's own score with the ``(score, share)`` of objectives aligned to it.

    Each share is the part of the objective that the aligned objective makes up, so
    the objective's own KPIs make up the rest: ``(1 - Σ shares)·own + Σ shareᵢ·scoreᵢ``.
    Shares adding up to more than 1 are scaled down to 1 and the own KPIs then count
    for nothing. An objective without KPIs of its own (``has_own`` False) is made of
    its aligned parts alone. Missing scores follow ``missing`` as in :func:`rollup`.
    Every part enters once: a unit's objective brings its whole rolled-up score,
    which already holds the units below it, so nothing is counted twice.
    """
    if not shares:
        return Aligned(own, 1.0, ())
    missing = MissingPolicy(missing)
    total = sum(share for _, share in shares)
    scale = 1.0 / total if total > 1.0 else 1.0
    declared = [share * scale for _, share in shares]
    own_declared = max(0.0, 1.0 - sum(declared)) if has_own else 0.0
    parts = [(own, own_declared), *((s, w) for (s, _), w in zip(shares, declared, strict=True))]
    parts = [(s, w) for s, w in parts if w > 0]
    score = rollup(parts, missing=missing, cap=cap)
    if missing is MissingPolicy.ZERO:
        counted = [own_declared, *declared]
    else:
        counted = [
            w if s is not None else 0.0
            for s, w in [(own, own_declared), *zip((s for s, _ in shares), declared, strict=True)]
        ]
    if score is None:
        counted = [0.0] * len(counted)
    effective = normalised(counted)
    return Aligned(score, effective[0], tuple(effective[1:]))


def coverage(children: Sequence[tuple[float | None, float]]) -> float:
    """Share of the children's weight that has a score (1.0 for no children)."""
    total = sum([w for _, w in children])
    if not total:
        return 1.0
    return sum([w for s, w in children if s is not None]) / total


def absolute_weight(path: Sequence[tuple[float, Sequence[float]]]) -> float:
    """Product of normalised weights along a path from the top.

    Each step is ``(own weight, weights of it and its siblings)``.
    """
    result = 1.0
    for own, siblings in path:
        total = sum(siblings)
        result *= own / total if total else 0.0
    return result


#: The contract's name for :func:`absolute_weight`.
absolute_weights = absolute_weight


def indicator_scores(
    children: Sequence[tuple[float | None, float, Indicator]],
    *,
    aggregator: Aggregator = Aggregator.WEIGHTED_AVERAGE,
    missing: MissingPolicy = MissingPolicy.EXCLUDE,
    cap: float = 1.0,
    min_coverage: float = 0.0,
) -> tuple[float | None, float | None, float | None]:
    """(leading, lagging, overall) scores of ``(score, weight, indicator)`` children.

    Drivers (leading) and results (lagging) are rolled up separately besides the
    overall score, so a scorecard can show that results lag while drivers improve.
    """

    def part(kind: Indicator | None) -> float | None:
        pairs = [(s, w) for s, w, i in children if kind is None or i is kind]
        if not pairs:
            return None
        return rollup(
            pairs, aggregator=aggregator, missing=missing, cap=cap, min_coverage=min_coverage
        )

    return part(Indicator.LEADING), part(Indicator.LAGGING), part(None)
