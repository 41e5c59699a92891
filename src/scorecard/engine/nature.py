"""What kind of number a KPI is, and the rules that follow from it (docs/scoring.md,
"Window targets" and "Rolling values up across units").

An *additive* KPI is an amount or a count: revenue, deals, incidents, hours of
training. Its targets of several months add up to the target of the quarter, and
the values of two departments add up to the company's. A *non-additive* KPI is a
ratio, a percentage, an index, a score, a rating, a rate per something, a level
such as a net promoter score, or a duration averaged over time: three months of a
48 % target are a 48 % target, not 144 %, and two departments' NPS of 60 and 50 make
55 at the company, not 110.

The nature is read from the KPI's definition (its unit, its time aggregation and
its optimization); the rules it decides can be set per KPI where the guess is wrong.
"""

from __future__ import annotations

from .types import Aggregation, FormulaMode, KpiSpec, Optimization, TargetAggregation

#: Units of ratios, percentages, indices, scores and ratings: never added up.
RATIO_UNITS = frozenset(
    {
        "%",
        "percent",
        "pct",
        "pp",
        "ppm",
        "bp",
        "bps",
        "index",
        "idx",
        "score",
        "points",
        "pts",
        "pt",
        "nps",
        "ratio",
        "rate",
        "x",
        "×",
        "★",
        "stars",
        "rating",
        "°c",
        "°f",
    }
)

#: Units of durations: a total of time spent adds up (summed over time), an average
#: lead time or a days-outstanding level does not.
DURATION_UNITS = frozenset(
    {"d", "day", "days", "h", "hour", "hours", "min", "minutes", "s", "sec", "weeks", "months"}
)

#: Optimizations that aim at a level (hit a value, stay in a band, reach a goal):
#: a KPI measured as a level over time (last, min, max) with one of them is not added up.
LEVEL_OPTIMIZATIONS = frozenset({Optimization.EXACT, Optimization.BAND, Optimization.GOAL_RED_FLAG})


def normalised_unit(unit: str) -> str:
    """The unit in lower case without surrounding spaces (``" % "`` → ``"%"``)."""
    return unit.strip().lower()


def has_ratio_unit(spec: KpiSpec) -> bool:
    """True when the unit is one of a ratio, a percentage, an index, a score or a rate
    per something (``€/order``, ``lines per hour``)."""
    unit = normalised_unit(spec.unit)
    return unit in RATIO_UNITS or "/" in unit or " per " in f" {unit} "


def is_additive(spec: KpiSpec) -> bool:
    """True when the KPI is an amount or a count that adds up over time and across units.

    Not additive: a ratio unit (:func:`has_ratio_unit`); a KPI averaged over time; a
    duration not summed over time; a level (time aggregation last, min or max) that
    aims at a value, a band or a goal (net promoter score, price index).
    """
    if has_ratio_unit(spec):
        return False
    if spec.aggregation is Aggregation.AVERAGE:
        return False
    summed = spec.aggregation in (Aggregation.SUM, Aggregation.COUNT)
    if normalised_unit(spec.unit) in DURATION_UNITS and not summed:
        return False
    return not (spec.optimization in LEVEL_OPTIMIZATIONS and not summed)


def nature_aggregation(spec: KpiSpec) -> Aggregation:
    """How a calculated KPI's own per-period targets combine when its formula does not
    say: a time aggregation other than the default sum is taken as chosen; a sum
    stays a sum for an additive KPI and becomes an average for any other."""
    if spec.aggregation is not Aggregation.SUM:
        return spec.aggregation
    return Aggregation.SUM if is_additive(spec) else Aggregation.AVERAGE


def window_target_rule(spec: KpiSpec, *, has_own_target: bool) -> Aggregation | None:
    """How the KPI's target over a window is made; None means "by its formula".

    - A rule chosen on the KPI wins (``equation`` only for a calculated KPI; any other
      KPI falls back to the automatic rule's aggregation).
    - Automatic, calculated KPI in ``equation`` mode (its value is its formula over
      the inputs' window values): with no target of its own, its target is its
      formula over the inputs' window targets; with targets of its own (a default,
      per-period targets or a planned path), those are combined by
      :func:`nature_aggregation` (a ratio's 48 % a month is 48 % over the year).
    - Automatic, any other KPI: the target combines like the value, by the KPI's
      time aggregation (value and target must be aggregated alike to be compared).
    """
    rule = spec.target_aggregation
    calculated = bool(spec.formula)
    if rule is TargetAggregation.EQUATION:
        return None if calculated else _automatic(spec, has_own_target=has_own_target)
    if rule is not TargetAggregation.AUTO:
        return Aggregation(rule.value)
    return _automatic(spec, has_own_target=has_own_target)


def _automatic(spec: KpiSpec, *, has_own_target: bool) -> Aggregation | None:
    if spec.formula and spec.formula_mode is FormulaMode.EQUATION:
        return nature_aggregation(spec) if has_own_target else None
    return spec.aggregation


def summing_problem(spec: KpiSpec, unit_rollup: str = "auto") -> str | None:
    """Why a rule that adds up meets a number that does not add up, or None.

    Looks at the time aggregation (where it decides the value: an entered KPI or a
    calculated one in ``aggregate_results`` mode), the window-target rule and the
    rule that rolls values up across units (``unit_rollup``, as stored: ``auto``,
    ``sum`` ...).
    """
    if not has_ratio_unit(spec) and is_additive(spec):
        return None
    what = f"its unit ({spec.unit.strip()})" if spec.unit.strip() else "it"
    problems = []
    value_aggregated = not spec.formula or spec.formula_mode is FormulaMode.AGGREGATE_RESULTS
    if value_aggregated and spec.aggregation is Aggregation.SUM and has_ratio_unit(spec):
        problems.append("adds its values up over time")
    if spec.target_aggregation is TargetAggregation.SUM:
        problems.append("adds its targets up over a window")
    if unit_rollup == "sum":
        problems.append("adds the units' values up")
    if not problems:
        return None
    return f"{' and '.join(problems)} although {what} is not an amount that adds up"


__all__ = [
    "DURATION_UNITS",
    "LEVEL_OPTIMIZATIONS",
    "RATIO_UNITS",
    "has_ratio_unit",
    "is_additive",
    "nature_aggregation",
    "normalised_unit",
    "summing_problem",
    "window_target_rule",
]
