"""Plain values the engine works on: enums, KPI definitions, measurements, scores.

Everything here is a frozen dataclass or a string enum, so results can be compared,
hashed and printed, and nothing the engine returns can be changed by a caller.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class Optimization(StrEnum):
    """How a value turns into a score (docs/scoring.md, "Normalisation")."""

    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"
    BINARY_MAX = "binary_max"
    BINARY_MIN = "binary_min"
    EXACT = "exact"
    BAND = "band"
    PERCENT_OF_TARGET = "percent_of_target"
    GOAL_RED_FLAG = "goal_red_flag"
    NONE = "none"


class Interval(StrEnum):
    """How often a KPI gets a value."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


class Aggregation(StrEnum):
    """How the values of several periods combine into one."""

    SUM = "sum"
    AVERAGE = "average"
    LAST = "last"
    MIN = "min"
    MAX = "max"
    COUNT = "count"


class TargetAggregation(StrEnum):
    """How a KPI's per-period targets combine into the target of a longer window.

    ``auto`` follows the KPI's nature (engine.nature.window_target_rule);
    ``equation`` applies a calculated KPI's formula to its inputs' window targets.
    """

    AUTO = "auto"
    EQUATION = "equation"
    SUM = "sum"
    AVERAGE = "average"
    LAST = "last"
    MIN = "min"
    MAX = "max"


class Indicator(StrEnum):
    """Leading indicators drive results; lagging indicators are the results."""

    LEADING = "leading"
    LAGGING = "lagging"


class MissingPolicy(StrEnum):
    """What a rollup does with a child that has no score."""

    EXCLUDE = "exclude"
    ZERO = "zero"
    PROPAGATE = "propagate"


class Aggregator(StrEnum):
    """How a parent's score is made from its children's."""

    WEIGHTED_AVERAGE = "weighted_average"
    AVERAGE = "average"
    MIN = "min"
    MAX = "max"
    SUM = "sum"
    WORST_CHILD = "worst_child"


class FormulaMode(StrEnum):
    """How a calculated KPI is aggregated over a longer window."""

    EQUATION = "equation"
    AGGREGATE_RESULTS = "aggregate_results"


class View(StrEnum):
    """Which window of time a scorecard is scored over."""

    PERIOD = "period"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    YTD = "ytd"


NO_DATA = "no_data"
#: A score left out because less than the scorecard's minimum coverage has data.
NOT_ENOUGH_DATA = "not_enough_data"
NOT_APPLICABLE = "not_applicable"
ERROR = "error"


@dataclass(frozen=True)
class Band:
    """A status that applies from ``lower`` (inclusive) up to the next band's lower bound."""

    status: str
    lower: float
    color: str = "#888888"


@dataclass(frozen=True)
class Thresholds:
    """Ordered status bands.

    ``basis`` "score" applies the bands to the normalised score; "target_ratio"
    applies them to value / target (e.g. ≥ 1.0 green, ≥ 0.9 yellow, else red).
    """

    bands: tuple[Band, ...]
    basis: str = "score"

    @classmethod
    def default(cls) -> Thresholds:
        """Red below one third, yellow below two thirds, green from there."""
        return cls(
            bands=(
                Band("red", -math.inf, "#d64545"),
                Band("yellow", 1 / 3, "#e8b021"),
                Band("green", 2 / 3, "#2e9e5b"),
            )
        )

    @cached_property
    def _ordered(self) -> list[Band]:
        # Sorted once per thresholds (every KPI's status asks): not a field, so equality,
        # hashing and repr are the bands' own; kept in the instance's __dict__.
        return sorted(self.bands, key=lambda b: b.lower)

    def status_for(self, number: float) -> str:
        """The status of the highest band whose lower bound ``number`` reaches."""
        ordered = self._ordered
        # Below every band's lower bound the lowest band still applies.
        status = ordered[0].status if ordered else NO_DATA
        for band in ordered:
            if number >= band.lower:
                status = band.status
        return status


@dataclass(frozen=True)
class KpiSpec:
    """A KPI's definition as the engine needs it."""

    code: str
    name: str
    optimization: Optimization = Optimization.MAXIMIZE
    baseline: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    target: float | None = None
    tolerance: float | None = None
    band_low: float | None = None
    band_high: float | None = None
    red_flag: float | None = None
    weight: float = 1.0
    interval: Interval = Interval.MONTH
    aggregation: Aggregation = Aggregation.SUM
    indicator: Indicator = Indicator.LAGGING
    thresholds: Thresholds = field(default_factory=Thresholds.default)
    formula: str | None = None
    formula_mode: FormulaMode = FormulaMode.EQUATION
    unit: str = ""
    target_aggregation: TargetAggregation = TargetAggregation.AUTO


@dataclass(frozen=True)
class Measurement:
    """The value of a KPI for the period that starts on ``period_start``."""

    period_start: dt.date
    value: float


@dataclass(frozen=True)
class TargetPoint:
    """A target that holds from ``period_start`` until the next target point."""

    period_start: dt.date
    value: float


@dataclass(frozen=True)
class TargetPath:
    """A planned straight line from ``start_value`` on ``start`` to ``end_value`` on ``end``."""

    start: dt.date
    start_value: float
    end: dt.date
    end_value: float


@dataclass(frozen=True)
class Score:
    """A KPI's normalised scores (fractions, not clamped) and its status."""

    performance: float | None
    progress: float | None
    status: str
    error: str | None = None


@dataclass(frozen=True)
class ConfigError:
    """A problem in a KPI's definition, named for the person who can fix it."""

    code: str
    name: str
    message: str
