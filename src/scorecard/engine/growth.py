"""Targets from history and growth paths, and whether a target is within reach.

History-based proposals look at a KPI's past values (oldest first): their mean,
the best period, the least-squares trend one step ahead, and the compound growth
rate g = (T / B)^(1/n) − 1 between the first and last value. Fewer than
``MIN_HISTORY`` values make a proposal shaky: the result says so.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .text import gettext_noop
from .trend import least_squares

#: A baseline needs at least this many past values (docs/planning.md, target assistant).
MIN_HISTORY = 5


class GrowthError(ValueError):
    """The numbers given cannot make a growth path; the message says why."""


def growth_rate(baseline: float, target: float, steps: float) -> float:
    """The compound rate per step that turns ``baseline`` into ``target`` in ``steps``.

    g = (T / B)^(1/n) − 1. Both numbers must be above zero (a growth rate from or to
    zero or across zero does not exist) and ``steps`` must be above zero.
    """
    if not (math.isfinite(baseline) and math.isfinite(target)):
        raise GrowthError(gettext_noop("The baseline and the target must be numbers."))
    if baseline <= 0 or target <= 0:
        raise GrowthError(
            gettext_noop(
                "A growth rate needs a baseline and a target above zero "
                "(they are %(baseline)s and %(target)s).",
                baseline=baseline,
                target=target,
            )
        )
    if not math.isfinite(steps) or steps <= 0:
        raise GrowthError(gettext_noop("The number of years (or periods) must be above zero."))
    return float((target / baseline) ** (1 / steps) - 1)


def growth_path(baseline: float, rate: float, steps: int) -> list[float]:
    """The values after 1, 2, … ``steps`` steps of compound growth at ``rate``."""
    if rate <= -1:
        raise GrowthError(
            gettext_noop("A rate of %(rate)s or less leaves nothing to grow from.", rate="−100 %")
        )
    return [baseline * (1 + rate) ** k for k in range(1, steps + 1)]


def rate_per_period(yearly_rate: float, periods_per_year: float) -> float:
    """The compound rate per period that adds up to ``yearly_rate`` over a year."""
    if yearly_rate <= -1:
        raise GrowthError(
            gettext_noop(
                "A yearly rate of %(rate)s or less leaves nothing to grow from.", rate="−100 %"
            )
        )
    return float((1 + yearly_rate) ** (1 / periods_per_year) - 1)


@dataclass(frozen=True)
class HistoryStats:
    """What a KPI's past values say.

    ``best`` is the highest value, or the lowest when lower is better; ``trend_next``
    the least-squares line one step after the last value; ``growth`` the compound
    rate per step from the first value to the last (None when it does not exist).
    """

    count: int
    mean: float
    stdev: float | None
    best: float
    worst: float
    slope: float | None
    trend_next: float | None
    growth: float | None
    growth_next: float | None
    enough: bool


def history_stats(values: Sequence[float], *, higher_is_better: bool = True) -> HistoryStats:
    """Mean, spread, best, trend and growth of ``values`` (oldest first, no gaps).

    Raises GrowthError for an empty history.
    """
    numbers = [float(v) for v in values if math.isfinite(v)]
    if not numbers:
        raise GrowthError(gettext_noop("There are no past values to learn from."))
    n = len(numbers)
    line = least_squares([(float(i), v) for i, v in enumerate(numbers)]) if n >= 2 else None
    slope = trend_next = None
    if line is not None:
        slope, intercept = line
        trend_next = slope * n + intercept
    growth = growth_next = None
    if n >= 2 and numbers[0] > 0 and numbers[-1] > 0:
        growth = growth_rate(numbers[0], numbers[-1], n - 1)
        growth_next = numbers[-1] * (1 + growth)
    try:
        mean = statistics.fmean(numbers)
        stdev = statistics.stdev(numbers) if n >= 2 else None
    except OverflowError:  # values near the float limit (1e308): their sum overflows
        raise GrowthError(gettext_noop("The past values are too large to learn from.")) from None
    return HistoryStats(
        count=n,
        mean=mean,
        stdev=stdev,
        best=max(numbers) if higher_is_better else min(numbers),
        worst=min(numbers) if higher_is_better else max(numbers),
        slope=slope,
        trend_next=trend_next,
        growth=growth,
        growth_next=growth_next,
        enough=n >= MIN_HISTORY,
    )


@dataclass(frozen=True)
class Proposal:
    """A proposed target: which rule made it (``kind``), the number, and its provenance."""

    kind: str
    value: float
    provenance: str


def history_proposals(stats: HistoryStats) -> list[Proposal]:
    """The targets history suggests: the mean, the best period, the trend, the growth."""
    out = [
        Proposal("mean", stats.mean, "history"),
        Proposal("best", stats.best, "history"),
    ]
    if stats.trend_next is not None:
        out.append(Proposal("trend", stats.trend_next, "history"))
    if stats.growth_next is not None:
        out.append(Proposal("growth", stats.growth_next, "growth"))
    return out


@dataclass(frozen=True)
class Achievability:
    """Whether a target sits where history says it can be reached.

    ``z`` is how many standard deviations the target lies from the mean (None
    without spread). ``warnings`` are codes: ``outside_range`` (beyond mean ± k·σ),
    ``beyond_best`` (more than ``stretch`` past the best value ever),
    ``short_history`` (fewer than MIN_HISTORY values). A warning never blocks a target.
    """

    z: float | None
    low: float | None
    high: float | None
    best_limit: float
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when nothing is flagged."""
        return not self.warnings


def achievability(
    target: float,
    stats: HistoryStats,
    *,
    higher_is_better: bool = True,
    k: float = 2.0,
    stretch: float = 0.2,
) -> Achievability:
    """Check ``target`` against history: mean ± k·σ and the best ever times (1 + stretch)."""
    warnings: list[str] = []
    z = low = high = None
    if stats.stdev is not None and stats.stdev > 0:
        z = (target - stats.mean) / stats.stdev
        low, high = stats.mean - k * stats.stdev, stats.mean + k * stats.stdev
        if not low <= target <= high:
            warnings.append("outside_range")
    margin = abs(stats.best) * stretch
    best_limit = stats.best + margin if higher_is_better else stats.best - margin
    beyond = target > best_limit if higher_is_better else target < best_limit
    if beyond:
        warnings.append("beyond_best")
    if not stats.enough:
        warnings.append("short_history")
    return Achievability(z=z, low=low, high=high, best_limit=best_limit, warnings=tuple(warnings))
