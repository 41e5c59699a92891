"""Forecasts with prediction intervals, and the chance of meeting a target.

The model is a least-squares line through the past values (x = the period's
index). With at least ``SEASONAL_MIN`` values and two full seasons, seasonal
means are added: the average amount by which each period of the season (each
calendar month, say) sits above or below the line. The residual standard error
gives the prediction interval (Student's t) and the chance of meeting a target
(normal approximation). See docs/planning.md, "Forecasts".
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .trend import least_squares

#: Seasonal means are only estimated from this many values (two years of months).
SEASONAL_MIN = 24
#: The default width of the prediction interval (80 %: four times out of five).
LEVEL = 0.8


@dataclass(frozen=True)
class Fit:
    """A fitted trend (and seasonal pattern) with what its intervals need.

    ``seasonal`` holds one offset per position in the season (empty without
    seasonality); ``sigma`` is the residual standard error (None when the fit has
    no degrees of freedom left).
    """

    slope: float
    intercept: float
    n: int
    mean_x: float
    sxx: float
    sigma: float | None
    dof: int
    seasonal: tuple[float, ...] = ()

    def mean_at(self, x: float) -> float:
        """The model's value at index ``x``."""
        season = self.seasonal[int(x) % len(self.seasonal)] if self.seasonal else 0.0
        return self.intercept + self.slope * x + season


@dataclass(frozen=True)
class Prediction:
    """The forecast at one index: expected value, interval and its standard error."""

    x: float
    value: float
    low: float | None
    high: float | None
    se: float | None


def t_quantile(p: float, dof: int) -> float:
    """The ``p`` quantile of Student's t with ``dof`` degrees of freedom.

    Exact for one and two degrees of freedom; otherwise the Cornish–Fisher
    expansion of Abramowitz & Stegun 26.7.5 (error below 0.01 from dof 3 on).
    """
    if not 0 < p < 1:
        raise ValueError("p must lie strictly between 0 and 1.")
    if dof < 1:
        raise ValueError("Student's t needs at least one degree of freedom.")
    if dof == 1:
        return math.tan(math.pi * (p - 0.5))
    if dof == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    z = statistics.NormalDist().inv_cdf(p)
    v = float(dof)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / v + g2 / v**2 + g3 / v**3 + g4 / v**4


def fit(points: Sequence[tuple[float, float]], season_length: int | None = None) -> Fit | None:
    """Fit a line (plus seasonal means when there is enough data) through ``points``.

    ``points`` are (index, value); indices are whole period numbers when a season
    is used. None when fewer than two distinct indices exist.
    """
    line = least_squares(points)
    if line is None or not all(map(math.isfinite, line)):
        return None  # no line, or values so large that its arithmetic overflows
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    slope, intercept = line
    seasonal: tuple[float, ...] = ()
    m = season_length or 0
    if m >= 2 and n >= max(SEASONAL_MIN, 2 * m):
        try:
            slope, intercept, seasonal = _seasonal_fit(points, m)
        except OverflowError:
            return None
        if not all(map(math.isfinite, (slope, intercept, *seasonal))):
            return None
    parameters = 2 + (len(seasonal) - 1 if seasonal else 0)
    dof = n - parameters
    model = Fit(slope, intercept, n, mean_x, sxx, None, dof, seasonal)
    sigma = None
    if dof >= 1:
        try:
            sse = sum((y - model.mean_at(x)) ** 2 for x, y in points)
        except OverflowError:  # residuals past 1e154: no interval rather than a crash
            sse = math.inf
        sigma = math.sqrt(sse / dof) if math.isfinite(sse) else None
    return Fit(slope, intercept, n, mean_x, sxx, sigma, dof, seasonal)


def _seasonal_fit(
    points: Sequence[tuple[float, float]], m: int
) -> tuple[float, float, tuple[float, ...]]:
    """Least squares of y = a + b·x + s[x mod m] with the s summing to zero.

    One common slope and one level per position in the season (the "within"
    estimator); the seasonal offsets are the levels minus their mean.
    """
    groups: list[list[tuple[float, float]]] = [[] for _ in range(m)]
    for x, y in points:
        groups[int(x) % m].append((x, y))
    sxy = sxx = 0.0
    for group in groups:
        if group:
            gx = statistics.fmean(x for x, _ in group)
            gy = statistics.fmean(y for _, y in group)
            sxy += sum((x - gx) * (y - gy) for x, y in group)
            sxx += sum((x - gx) ** 2 for x, _ in group)
    slope = sxy / sxx if sxx > 0 else 0.0
    levels = [
        statistics.fmean(y - slope * x for x, y in group) if group else None for group in groups
    ]
    known = [level for level in levels if level is not None]
    intercept = statistics.fmean(known)
    seasonal = tuple(0.0 if level is None else level - intercept for level in levels)
    return slope, intercept, seasonal


def predict(model: Fit, x: float, level: float = LEVEL) -> Prediction:
    """The forecast at index ``x`` with a ``level`` prediction interval (when one exists)."""
    value = model.mean_at(x)
    if model.sigma is None:
        return Prediction(x, value, None, None, None)
    se = model.sigma * math.sqrt(1 + 1 / model.n + (x - model.mean_x) ** 2 / model.sxx)
    half = t_quantile((1 + level) / 2, model.dof) * se
    return Prediction(x, value, value - half, value + half, se)


def forecast_series(
    values: Sequence[float | None],
    steps: int,
    *,
    season_length: int | None = None,
    level: float = LEVEL,
) -> tuple[Fit | None, list[Prediction]]:
    """Fit ``values`` (one per period, oldest first, None for gaps) and forecast the
    next ``steps`` periods after the last one."""
    points = [(float(i), v) for i, v in enumerate(values) if v is not None and math.isfinite(v)]
    model = fit(points, season_length)
    if model is None:
        return None, []
    start = len(values)
    return model, [predict(model, float(start + k), level) for k in range(steps)]


def chance_of_meeting(
    prediction: Prediction, target: float, *, higher_is_better: bool = True
) -> float | None:
    """The chance that the period's value meets ``target`` (normal approximation).

    P(value ≥ target) for higher-is-better KPIs, P(value ≤ target) otherwise. None
    without a standard error; 1 or 0 when the fit is perfect.
    """
    if prediction.se is None:
        return None
    if prediction.se == 0:
        meets = prediction.value >= target if higher_is_better else prediction.value <= target
        return 1.0 if meets else 0.0
    below = statistics.NormalDist(prediction.value, prediction.se).cdf(target)
    return 1 - below if higher_is_better else below


def at_risk(chance: float | None, threshold: float | None) -> bool:
    """The optional status rule: a KPI is "at risk" when its chance falls below ``threshold``."""
    return chance is not None and threshold is not None and chance < threshold
