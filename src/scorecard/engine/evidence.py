"""Evidence for the strategy map: does the cause's KPI move before the effect's KPI?

For a cause → effect link, the leading KPI's history is compared with the
lagging KPI's history shifted by 0 … ``MAX_LAG`` periods (Pearson correlation).
The best lag is the one with the strongest correlation in the expected
direction; too few overlapping periods leave the link "untested", and a best
correlation below zero "contradicts" the arrow.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from . import periods as pr
from .evaluate import ScorecardInput
from .formulas import parse, plan
from .periods import Period
from .series import Series
from .types import Aggregation

MAX_LAG = 6
#: Fewer overlapping periods than this tell nothing.
MIN_PAIRS = 8
#: From this correlation (in the expected direction) on, a link counts as supported.
SUPPORTED = 0.3


def pearson(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Pearson's correlation of the pairs, None when either side does not vary."""
    n = len(pairs)
    if n < 2:
        return None
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    try:
        sxy = sum((x - mx) * (y - my) for x, y in pairs)
        sxx = sum((x - mx) ** 2 for x, _ in pairs)
        syy = sum((y - my) ** 2 for _, y in pairs)
    except OverflowError:  # values near the float limit (1e308): no correlation to tell
        return None
    if not math.isfinite(sxy * sxx * syy) or sxx <= 0 or syy <= 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


@dataclass(frozen=True)
class LagResult:
    """The correlation at one lag and how many periods it rests on."""

    lag: int
    r: float | None
    pairs: int


@dataclass(frozen=True)
class Evidence:
    """What the data say about one link.

    ``verdict`` is ``untested`` (too little data), ``supported`` (best correlation
    at least SUPPORTED in the expected direction), ``weak`` (between 0 and that)
    or ``contradicted`` (negative at every usable lag). ``r`` is in the expected
    direction: when exactly one of the two KPIs is lower-is-better, the raw
    correlation's sign is turned round.
    """

    verdict: str
    best_lag: int | None
    r: float | None
    pairs: int
    lags: tuple[LagResult, ...]


def lagged_correlation(
    leading: Sequence[float | None],
    lagging: Sequence[float | None],
    *,
    same_direction: bool = True,
    max_lag: int = MAX_LAG,
    min_pairs: int = MIN_PAIRS,
) -> Evidence:
    """Correlate ``leading[t − lag]`` with ``lagging[t]`` for lag 0 … ``max_lag``.

    Both sequences are aligned period by period (same length, oldest first, None
    for a missing value). ``same_direction`` is False when one KPI is better low
    and the other better high (then a negative raw correlation is the expected one).
    """
    sign = 1.0 if same_direction else -1.0
    results = []
    for lag in range(max_lag + 1):
        pairs = [
            (a, b)
            for a, b in zip(leading[: len(leading) - lag], lagging[lag:], strict=False)
            if a is not None and b is not None
        ]
        r = pearson(pairs) if len(pairs) >= min_pairs else None
        results.append(LagResult(lag, None if r is None else sign * r, len(pairs)))
    usable = [x for x in results if x.r is not None]
    most_pairs = max((x.pairs for x in results), default=0)
    if not usable:
        return Evidence("untested", None, None, most_pairs, tuple(results))
    best = max(usable, key=lambda x: (x.r or 0.0, -x.lag))
    assert best.r is not None
    if best.r >= SUPPORTED:
        verdict = "supported"
    elif best.r >= 0:
        verdict = "weak"
    else:
        verdict = "contradicted"
    return Evidence(verdict, best.lag, best.r, best.pairs, tuple(results))


def kpi_values(sc: ScorecardInput, as_of: dt.date) -> dict[str, dict[Period, float]]:
    """Every KPI's value per own period up to ``as_of``, calculated KPIs included."""
    series = Series(
        ((k.spec, k.measurements, k.targets) for k in sc.kpis),
        {k.spec.code: k.path for k in sc.kpis},
        sc.fiscal_year_start_month,
        as_of,
    )
    formula_plan = plan(k.spec for k in sc.kpis)
    for code in formula_plan.order:
        formula = series.specs[code].formula
        if formula and code not in formula_plan.problems:
            series.compute(code, parse(formula))
    return series.values


def aligned(
    values: dict[Period, float],
    aggregation: Aggregation,
    windows: Sequence[Period],
) -> list[float | None]:
    """``values`` aggregated over each of ``windows`` (for KPIs of different intervals)."""
    return [pr.actual_in_window(values, window, aggregation) for window in windows]
