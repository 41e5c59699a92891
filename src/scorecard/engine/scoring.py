"""From a value and a target to performance, progress and status (docs/scoring.md).

*Performance* measures the value on the KPI's [minimum, maximum] scale: how the
indicator is doing. *Progress* measures it on the [baseline, target] scale: how far
it moved from where it started. When minimum or maximum is missing, the baseline and
the target stand in. Scores are fractions and are not clamped here; rollups clamp.
"""

from __future__ import annotations

from .text import Text, gettext_noop
from .types import (
    ERROR,
    NO_DATA,
    NOT_APPLICABLE,
    ConfigError,
    KpiSpec,
    Optimization,
    Score,
)

LINEAR = (Optimization.MAXIMIZE, Optimization.MINIMIZE)
# The members as module globals: every KPI scored reads several of them, and a global is
# read several times faster than an enum's class attribute (Python 3.11).
_MAXIMIZE, _MINIMIZE = Optimization.MAXIMIZE, Optimization.MINIMIZE
_BINARY_MAX, _BINARY_MIN = Optimization.BINARY_MAX, Optimization.BINARY_MIN
_EXACT, _BAND = Optimization.EXACT, Optimization.BAND
_PERCENT_OF_TARGET = Optimization.PERCENT_OF_TARGET
_GOAL_RED_FLAG = Optimization.GOAL_RED_FLAG
_NONE = Optimization.NONE


def scale(spec: KpiSpec, target: float | None) -> tuple[float | None, float | None]:
    """The [low, high] ends of the performance scale, in the KPI's own direction.

    For a minimized KPI ``low`` is the worst (largest) value.
    """
    low = spec.minimum if spec.minimum is not None else spec.baseline
    high = spec.maximum if spec.maximum is not None else target
    if spec.optimization is _MINIMIZE:
        # Lower is better: the maximum is the worst end, the minimum the best.
        worst = spec.maximum if spec.maximum is not None else spec.baseline
        best = spec.minimum if spec.minimum is not None else target
        return worst, best
    return low, high


def config_problem(spec: KpiSpec, target: float | None) -> str | None:
    """Why this KPI cannot be scored with this target, or None when it can."""
    problem = _problem(spec, target)
    # The KPI's label is written only when there is a problem to name it in.
    if problem is None:
        return None
    return gettext_noop(
        "KPI “%(name)s” (%(code)s): %(problem)s", name=spec.name, code=spec.code, problem=problem
    )


def _problem(spec: KpiSpec, target: float | None) -> Text | None:
    opt = spec.optimization
    if opt in LINEAR:
        low, high = scale(spec, target)
        if low is None or high is None:
            return gettext_noop("set a minimum and maximum (or a baseline and target) to score it.")
        if low == high:
            return gettext_noop(
                "the scale runs from %(low)s to %(high)s, so there is nothing to measure on.",
                low=low,
                high=high,
            )
        if opt is _MINIMIZE and low < high:
            return gettext_noop(
                "lower is better, so the worst value (%(low)s) must be above the best (%(high)s).",
                low=low,
                high=high,
            )
        if opt is _MAXIMIZE and low > high:
            return gettext_noop(
                "higher is better, so the maximum (%(high)s) must be above the minimum (%(low)s).",
                low=low,
                high=high,
            )
    if opt in (_BINARY_MAX, _BINARY_MIN) and target is None:
        return gettext_noop("a yes/no KPI needs a target.")
    if opt is _EXACT:
        if target is None:
            return gettext_noop("an exact KPI needs a target.")
        if spec.tolerance is None or spec.tolerance <= 0:
            return gettext_noop("an exact KPI needs a tolerance greater than zero.")
    if opt is _BAND:
        if spec.band_low is None or spec.band_high is None:
            return gettext_noop("a band KPI needs the low and high ends of its band.")
        if spec.band_low > spec.band_high:
            return gettext_noop(
                "the band's low end (%(low)s) is above its high end (%(high)s).",
                low=spec.band_low,
                high=spec.band_high,
            )
        if spec.tolerance is not None and spec.tolerance < 0:
            return gettext_noop("the tolerance cannot be negative.")
    if opt is _PERCENT_OF_TARGET and (target is None or target <= 0):
        return gettext_noop(
            "percent of target needs a target above zero; use a minimum/maximum scale instead."
        )
    if opt is _GOAL_RED_FLAG:
        if target is None or spec.red_flag is None:
            return gettext_noop("goal scoring needs both a goal (target) and a red flag.")
        if target == spec.red_flag:
            return gettext_noop("the goal and the red flag are both %(target)s.", target=target)
    return None


def validate_spec(spec: KpiSpec) -> list[ConfigError]:
    """Problems in a KPI's definition itself (empty when it is fine).

    A missing default target is not a problem here: targets may be set per period.
    """
    if spec.optimization is _NONE:
        return []
    if spec.weight <= 0:
        return [
            ConfigError(
                spec.code,
                spec.name,
                gettext_noop(
                    "KPI “%(name)s” (%(code)s): the weight must be above 0.",
                    name=spec.name,
                    code=spec.code,
                ),
            )
        ]
    problem = config_problem(spec, spec.target)
    if problem is None:
        return []
    if spec.target is None and config_problem(spec, _probe_target(spec)) is None:
        return []
    return [ConfigError(spec.code, spec.name, problem)]


def _probe_target(spec: KpiSpec) -> float:
    """A target that makes the definition scoreable if anything can (used for validation)."""
    low, _ = scale(spec, None)
    base = low if low is not None else 0.0
    if spec.red_flag is not None:
        base = spec.red_flag
    return base - 1.0 if spec.optimization is _MINIMIZE else abs(base) + 1.0


def _linear(value: float, low: float, high: float) -> float:
    return (value - low) / (high - low)


def performance(spec: KpiSpec, value: float, target: float | None) -> float | None:
    """The performance fraction of ``value`` (None for KPIs that are not scored)."""
    opt = spec.optimization
    if opt in LINEAR:
        low, high = scale(spec, target)
        assert low is not None and high is not None
        return _linear(value, low, high)
    if opt is _BINARY_MAX:
        assert target is not None
        return 1.0 if value >= target else 0.0
    if opt is _BINARY_MIN:
        assert target is not None
        return 1.0 if value <= target else 0.0
    if opt is _EXACT:
        assert target is not None and spec.tolerance
        return max(0.0, 1.0 - abs(value - target) / spec.tolerance)
    if opt is _BAND:
        return _band(value, spec)
    if opt is _PERCENT_OF_TARGET:
        assert target
        return value / target
    if opt is _GOAL_RED_FLAG:
        assert target is not None and spec.red_flag is not None
        d = target - spec.red_flag
        # Red flag ↦ 1/3, goal ↦ 2/3, goal + d ↦ 1, red flag − d ↦ 0 (works when d < 0).
        return (value - (spec.red_flag - d)) / (3 * d)
    return None


def _band(value: float, spec: KpiSpec) -> float:
    assert spec.band_low is not None and spec.band_high is not None
    lo, hi = spec.band_low, spec.band_high
    tol = spec.tolerance or 0.0
    if lo <= value <= hi:
        return 1.0
    distance = lo - value if value < lo else value - hi
    if tol == 0:
        return 0.0
    return max(0.0, 1.0 - distance / tol)


def progress(spec: KpiSpec, value: float, target: float | None) -> float | None:
    """The progress fraction from baseline to target (None when either is missing)."""
    opt = spec.optimization
    if opt in (_BINARY_MAX, _BINARY_MIN):
        return performance(spec, value, target)
    if spec.baseline is None or target is None or spec.baseline == target:
        return None
    if opt not in LINEAR and opt is not _PERCENT_OF_TARGET:
        return None
    return (value - spec.baseline) / (target - spec.baseline)


def score_value(spec: KpiSpec, value: float | None, target: float | None) -> Score:
    """Score one value against its target, with the status from the KPI's thresholds."""
    if spec.optimization is _NONE:
        return Score(None, None, NOT_APPLICABLE)
    problem = config_problem(spec, target)
    if problem:
        return Score(None, None, ERROR, problem)
    return Score(*score_sound(spec, value, target))


def score_sound(
    spec: KpiSpec, value: float | None, target: float | None
) -> tuple[float | None, float | None, str, str | None]:
    """:func:`score_value`'s fields (performance, progress, status, error) for a scored
    KPI whose ``target`` is known to pass :func:`config_problem` — the caller has
    checked, e.g. it equals a default target that :func:`validate_spec` accepted — without
    checking again or making a :class:`Score`."""
    if value is None:
        return None, None, NO_DATA, None
    perf = performance(spec, value, target)
    prog = progress(spec, value, target)
    assert perf is not None
    thresholds = spec.thresholds
    if thresholds.basis == "target_ratio":
        if not target:
            return (
                perf,
                prog,
                ERROR,
                gettext_noop(
                    "KPI “%(name)s” (%(code)s): value/target bands need a target.",
                    name=spec.name,
                    code=spec.code,
                ),
            )
        return perf, prog, thresholds.status_for(value / target), None
    return perf, prog, thresholds.status_for(perf), None


def score_fields(
    spec: KpiSpec, value: float | None, target: float | None
) -> tuple[float | None, float | None, str, str | None]:
    """:func:`score_value`'s fields (performance, progress, status, error) for a KPI that
    passed :func:`validate_spec`: when ``target`` is the KPI's own default target it was
    validated with the KPI (the checks compare targets only by value), so it is scored
    without checking it again (:func:`score_sound`); any other target is checked."""
    if target is not None and target == spec.target and spec.optimization is not _NONE:
        return score_sound(spec, value, target)
    scored = score_value(spec, value, target)
    return scored.performance, scored.progress, scored.status, scored.error


def value_at_score(spec: KpiSpec, score: float, target: float | None) -> float | None:
    """The value that earns ``score`` on a linear (maximize/minimize) scale, else None.

    Charts use it to draw status thresholds in the KPI's own unit.
    """
    if spec.optimization not in LINEAR or config_problem(spec, target):
        return None
    low, high = scale(spec, target)
    assert low is not None and high is not None
    return low + score * (high - low)
