"""Score a whole scorecard as of a date: the one entry point pages, API and CLI use.

Steps: choose each KPI's window for the view; compute calculated KPIs in
dependency order; aggregate actual and target over the window and score them;
roll KPIs up into objectives, objectives into perspectives, perspectives into the
scorecard. Problems in definitions come back as ``errors``; nothing raises.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from . import periods as pr
from .formulas import Parsed, parse, plan
from .monthly import MonthRun, carried_value, month_index, values_from
from .nature import window_target_rule
from .periods import Period
from .rollup import aligned_rollup, coverage, normalised, rollup
from .scoring import score_fields, validate_spec
from .series import Series
from .trend import direction
from .types import (
    ERROR,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_ENOUGH_DATA,
    Aggregation,
    Aggregator,
    ConfigError,
    FormulaMode,
    Indicator,
    Interval,
    KpiSpec,
    Measurement,
    MissingPolicy,
    Optimization,
    TargetAggregation,
    TargetPath,
    TargetPoint,
    Thresholds,
    View,
)
from .windows import CustomWindow
from .windows import previous_window as previous_custom_window

HISTORY_LENGTH = 12
# Enum members read for every KPI, as module globals: read several times faster than an
# enum's class attributes (Python 3.11).
_MONTH, _LAST, _NONE = Interval.MONTH, Aggregation.LAST, Optimization.NONE
_LEADING, _LAGGING = Indicator.LEADING, Indicator.LAGGING
VIEW_INTERVAL = {
    View.MONTH: Interval.MONTH,
    View.QUARTER: Interval.QUARTER,
    View.HALF_YEAR: Interval.HALF_YEAR,
    View.YEAR: Interval.YEAR,
}
INTERVAL_RANK = {
    Interval.DAY: 0,
    Interval.WEEK: 1,
    Interval.MONTH: 2,
    Interval.QUARTER: 3,
    Interval.HALF_YEAR: 4,
    Interval.YEAR: 5,
}


@dataclass(frozen=True)
class KpiInput:
    """One KPI with its data."""

    spec: KpiSpec
    objective: str
    measurements: tuple[Measurement, ...] = ()
    targets: tuple[TargetPoint, ...] = ()
    path: TargetPath | None = None


@dataclass(frozen=True)
class ObjectiveInput:
    """An objective and the perspective it sits in."""

    key: str
    name: str
    perspective: str
    weight: float = 1.0


@dataclass(frozen=True)
class PerspectiveInput:
    """A perspective of the scorecard."""

    key: str
    name: str
    weight: float = 1.0


@dataclass(frozen=True)
class RollupSettings:
    """How scores combine upwards."""

    aggregator: Aggregator = Aggregator.WEIGHTED_AVERAGE
    missing: MissingPolicy = MissingPolicy.EXCLUDE
    cap: float = 1.0
    min_coverage: float = 0.0
    thresholds: Thresholds = field(default_factory=Thresholds.default)


@dataclass(frozen=True)
class Contribution:
    """Cascading: an objective of a unit below that makes up ``share`` of one objective here.

    ``score`` is that objective's own rolled-up score (the engine's cascade evaluation
    fills it in, children first); ``share`` is the declared share, 0 < share <= 1.
    """

    objective: str
    source_scorecard: str
    source_scorecard_name: str
    source: str
    name: str
    score: float | None
    share: float


@dataclass(frozen=True)
class ContributionResult:
    """What one aligned objective of a unit below added to an objective's score.

    ``weight`` is its effective share of the objective's score: the declared share,
    scaled down when the shares add up to more than 1, and re-weighed over the parts
    that have a score (0 when it has none and is left out).
    """

    source_scorecard: str
    source_scorecard_name: str
    source: str
    name: str
    score: float | None
    share: float
    weight: float


@dataclass(frozen=True)
class ScorecardInput:
    """Everything needed to score one scorecard."""

    key: str
    name: str
    perspectives: tuple[PerspectiveInput, ...]
    objectives: tuple[ObjectiveInput, ...]
    kpis: tuple[KpiInput, ...]
    settings: RollupSettings = field(default_factory=RollupSettings)
    fiscal_year_start_month: int = 1
    contributions: tuple[Contribution, ...] = ()


@dataclass(frozen=True)
class NodeResult:
    """The rolled-up score of an objective or a perspective."""

    key: str
    name: str
    score: float | None
    status: str
    weight: float
    absolute_weight: float
    coverage: float
    own_score: float | None = None
    own_weight: float = 1.0
    contributions: tuple[ContributionResult, ...] = ()


@dataclass(frozen=True)
class KpiResult:
    """A KPI's numbers over its window."""

    code: str
    name: str
    objective: str
    window: Period
    value: float | None
    target: float | None
    performance: float | None
    progress: float | None
    status: str
    previous_value: float | None
    trend: str | None
    absolute_weight: float
    error: str | None
    flag: str | None
    history: tuple[tuple[dt.date, float | None, float | None], ...]
    indicator: Indicator = Indicator.LAGGING
    unit: str = ""


@dataclass(frozen=True)
class ScorecardResult:
    """Every score of one scorecard as of a date."""

    key: str
    name: str
    score: float | None
    status: str
    leading: float | None
    lagging: float | None
    perspectives: dict[str, NodeResult]
    objectives: dict[str, NodeResult]
    kpis: dict[str, KpiResult]
    errors: tuple[ConfigError, ...]
    as_of: dt.date
    #: A fixed view, or the custom window every KPI was scored over.
    view: View | CustomWindow
    #: How much data the score rests on: KPIs with a score of the KPIs that count
    #: (every KPI that is scored, i.e. not "information only"), and the share of their
    #: absolute weight that has a score (docs/scoring.md, "Coverage").
    kpis_scored: int = 0
    kpis_counted: int = 0
    coverage: float = 1.0


def kpi_window(spec: KpiSpec, as_of: dt.date, view: View | CustomWindow, fy: int) -> Period:
    """The window a KPI is scored over for ``view`` as of ``as_of``.

    period: the KPI's latest own period that has ended by ``as_of``.
    month/quarter/half_year/year: the calendar (fiscal) period containing ``as_of``,
    widened to the KPI's own period when that is longer.
    ytd: from the fiscal year's start to the end of the KPI's latest complete
    period; before the first period of the year has ended, that first period.
    A custom window: exactly its days, whatever the KPI's interval (partly covered
    periods count pro rata).
    """
    if isinstance(view, CustomWindow):
        return view.period
    last = pr.last_complete_period(as_of, spec.interval, fy)
    if view is View.PERIOD:
        return last
    if view is View.YTD:
        start = pr.fiscal_year_start(as_of, fy)
        if last.end < start:
            # Nothing has ended yet this year: show the year's first (running) period.
            return Period(start, pr.period_containing(as_of, spec.interval, fy).end)
        return Period(start, last.end)
    window = pr.period_containing(as_of, VIEW_INTERVAL[view], fy)
    if INTERVAL_RANK[spec.interval] > INTERVAL_RANK[VIEW_INTERVAL[view]]:
        window = pr.period_containing(window.end, spec.interval, fy)
    return window


def previous_window(window: Period, spec: KpiSpec, view: View | CustomWindow, fy: int) -> Period:
    """The window the trend arrow compares with.

    Year to date compares with the same span a year earlier (a running sum always
    grows, so comparing it with one period less would always point up). A custom
    window compares with the window of the same length right before it.
    """
    if isinstance(view, CustomWindow):
        return previous_custom_window(window)
    if view is View.YTD:
        start = pr.add_months(window.start, -12)
        end = pr.period_containing(pr.add_months(window.end, -12), spec.interval, fy).end
        return Period(start, end)
    if view is View.PERIOD:
        return pr.previous_period(window, spec.interval, fy)
    interval = VIEW_INTERVAL[view]
    if INTERVAL_RANK[spec.interval] > INTERVAL_RANK[interval]:
        interval = spec.interval
    return pr.previous_period(window, interval, fy)


def evaluate_scorecard(
    sc: ScorecardInput, *, as_of: dt.date, view: View | CustomWindow = View.PERIOD
) -> ScorecardResult:
    """Every KPI, objective, perspective and scorecard score for ``view`` as of ``as_of``."""
    return _evaluate(sc, as_of, view, shortcut=True)


def reference_evaluation(
    sc: ScorecardInput, *, as_of: dt.date, view: View | CustomWindow = View.PERIOD
) -> ScorecardResult:
    """:func:`evaluate_scorecard` with every KPI taken the general way (no shortcut for
    KPIs of the common shape): the reference the shortcut is checked against in tests."""
    return _evaluate(sc, as_of, view, shortcut=False)


def _evaluate(
    sc: ScorecardInput, as_of: dt.date, view: View | CustomWindow, *, shortcut: bool
) -> ScorecardResult:
    fy = sc.fiscal_year_start_month
    errors: list[ConfigError] = []
    broken: dict[str, str] = {}
    for kpi in sc.kpis:
        for problem in validate_spec(kpi.spec):
            errors.append(problem)
            broken[kpi.spec.code] = problem.message
    series = Series(
        ((k.spec, k.measurements, k.targets) for k in sc.kpis),
        {k.spec.code: k.path for k in sc.kpis},
        fy,
        as_of,
        # KPIs that take the shortcut (period view) read their measurements themselves.
        lazy=shortcut and view is View.PERIOD,
    )
    formula_plan = plan(k.spec for k in sc.kpis)
    for code, problem in formula_plan.problems.items():
        errors.append(problem)
        broken.setdefault(code, problem.message)
    rows: dict[tuple[Interval, dt.date], HistoryRows] = {}
    # plan() has read every formula in its order, so parsing cannot fail here.
    parsed = {code: parse(f) for code in formula_plan.order if (f := series.specs[code].formula)}
    within = _months_read(sc, parsed, as_of, view, fy, rows) if shortcut else None
    for code, formula in parsed.items():
        series.compute(code, formula, within)

    # The KPIs' absolute weights by code (not by "kpi:<code>": one string less per KPI).
    kpi_weights: dict[str, float] = {}
    weights = _weights(sc, kpi_weights)
    kpi_results: dict[str, KpiResult] = {}
    windows: dict[Interval, tuple[Period, Period]] = {}
    # The shortcut reads each KPI's own input: only when no code is given twice (the
    # general way takes the last KPI of a code for all of them).
    monthly = (
        MonthlyPeriod(sc.kpis[0].spec, series, as_of, fy, kpi_weights, errors, rows, windows)
        if shortcut and view is View.PERIOD and sc.kpis and len(series.specs) == len(sc.kpis)
        else None
    )
    for kpi in sc.kpis:
        spec = kpi.spec
        if (
            monthly is not None
            and spec.interval is _MONTH
            and not spec.formula
            and spec.code not in broken
        ):
            result = monthly.score(kpi)
            if result is not None:
                kpi_results[spec.code] = result
                continue
        kpi_results[spec.code] = _score_kpi(
            kpi, series, broken, as_of, view, fy, kpi_weights, errors, rows, windows
        )

    objective_results = _objectives(sc, kpi_results, weights)
    perspective_results = _perspectives(sc, objective_results, weights)
    settings = sc.settings
    top_children = [(perspective_results[p.key].score, p.weight) for p in sc.perspectives]
    top = _roll(top_children, settings)
    counted = [r for r in kpi_results.values() if r.absolute_weight > 0]
    leading, lagging = _indicator_scores(sc, counted)
    return ScorecardResult(
        key=sc.key,
        name=sc.name,
        score=top,
        status=_covered_status(
            top,
            top_children,
            settings,
            any(r.status == NOT_ENOUGH_DATA for r in perspective_results.values()),
        ),
        leading=leading,
        lagging=lagging,
        perspectives=perspective_results,
        objectives=objective_results,
        kpis=kpi_results,
        errors=tuple(_unique(errors)),
        as_of=as_of,
        view=view,
        kpis_scored=sum(1 for r in counted if r.performance is not None),
        kpis_counted=len(counted),
        coverage=coverage([(r.performance, r.absolute_weight) for r in counted]),
    )


def _months_read(
    sc: ScorecardInput,
    parsed: dict[str, Parsed],
    as_of: dt.date,
    view: View | CustomWindow,
    fy: int,
    rows: dict[tuple[Interval, dt.date], HistoryRows],
) -> set[Period] | None:
    """The only periods whose calculated values the period view reads, when that is
    known: every KPI monthly and no formula reaching other periods (``value(x, -1)``,
    ``ytd(x)`` …). Then each KPI is read over its window, the month before and its
    history, all twelve months of the history; else None (every period is computed).
    A calculated KPI that aggregates its results by "last" carries an earlier month's
    value forward: then too every period is computed."""
    if view is not View.PERIOD or not parsed:
        return None
    if any(p.uses_kpi_functions for p in parsed.values()):
        return None
    specs = [k.spec for k in sc.kpis]
    if any(
        s.formula
        and s.formula_mode is FormulaMode.AGGREGATE_RESULTS
        and s.aggregation is Aggregation.LAST
        for s in specs
    ):
        # Its value over a month without one is the latest earlier month's: any month.
        return None
    if any(s.interval is not Interval.MONTH for s in specs):
        return None
    window = kpi_window(sc.kpis[0].spec, as_of, view, fy)
    return set(_history_rows(Interval.MONTH, window, fy, rows)[0])


def _unique(errors: list[ConfigError]) -> list[ConfigError]:
    seen: set[ConfigError] = set()
    out = []
    for error in errors:
        if error not in seen:
            seen.add(error)
            out.append(error)
    return out


def _score_kpi(
    kpi: KpiInput,
    series: Series,
    broken: dict[str, str],
    as_of: dt.date,
    view: View | CustomWindow,
    fy: int,
    weights: dict[str, float],
    errors: list[ConfigError],
    rows: dict[tuple[Interval, dt.date], HistoryRows],
    windows: dict[Interval, tuple[Period, Period]],
) -> KpiResult:
    """``weights``: the KPIs' absolute weights by code."""
    spec = kpi.spec
    # A KPI's window and the one before it depend on its interval only (for one view
    # and as-of date): found once per interval of the scorecard.
    pair = windows.get(spec.interval)
    if pair is None:
        window = kpi_window(spec, as_of, view, fy)
        pair = windows[spec.interval] = (window, previous_window(window, spec, view, fy))
    window, before = pair
    history = _history(spec.code, series, window, fy, rows)
    error = broken.get(spec.code)
    if error is not None:
        value = target = None
        flag = None
        status, performance, progress = ERROR, None, None
        previous = None
    else:
        value, flag = series.value(spec.code, window)
        # When the window is the history's last row, one of the KPI's own periods, its
        # target is that row's (Series.own_targets gives what Series.target would).
        own = _history_rows(series.specs[spec.code].interval, window, fy, rows)[0]
        target = history[-1][2] if own[-1] == window else series.target(spec.code, window)
        performance, progress, status, problem = score_fields(spec, value, target)
        if problem:
            error = problem
            errors.append(ConfigError(spec.code, spec.name, problem))
        previous, _ = series.value(spec.code, before)
    return KpiResult(
        code=spec.code,
        name=spec.name,
        objective=kpi.objective,
        window=window,
        value=value,
        target=target,
        performance=performance,
        progress=progress,
        status=status,
        previous_value=previous,
        trend=direction(previous, value),
        absolute_weight=weights.get(spec.code, 0.0),
        error=error,
        flag=flag,
        history=history,
        indicator=spec.indicator,
        unit=spec.unit,
    )


class MonthlyPeriod:
    """:func:`_score_kpi` in the period view for entered, monthly KPIs without a
    definition problem, reading their twelve months straight from their measurements
    (engine.monthly). What every such KPI of the scorecard shares (the window, the month
    before, the history's months and lengths, the twelve targets of a default) is worked
    out once, in the constructor."""

    __slots__ = (
        "as_of",
        "before",
        "days",
        "errors",
        "first",
        "flat_targets",
        "periods",
        "rules",
        "series",
        "starts",
        "usable",
        "weights",
        "window",
    )

    def __init__(
        self,
        spec: KpiSpec,
        series: Series,
        as_of: dt.date,
        fy: int,
        weights: dict[str, float],
        errors: list[ConfigError],
        rows: dict[tuple[Interval, dt.date], HistoryRows],
        windows: dict[Interval, tuple[Period, Period]],
    ) -> None:
        """``spec``: any KPI's (a monthly KPI's window depends on nothing else of it)."""
        self.series, self.as_of, self.weights, self.errors = series, as_of, weights, errors
        pair = windows.get(Interval.MONTH)
        if pair is None:
            monthly = replace(spec, interval=Interval.MONTH)
            window = kpi_window(monthly, as_of, View.PERIOD, fy)
            pair = windows[Interval.MONTH] = (
                window,
                previous_window(window, monthly, View.PERIOD, fy),
            )
        self.window, self.before = pair
        self.periods, self.starts, self.days = _history_rows(Interval.MONTH, self.window, fy, rows)
        # The history's first month (monthly.month_index): where a MonthRun's values start.
        self.first = month_index(self.starts[0])
        # The window is the history's last month and the one before it the month before:
        # true of every monthly period view, checked rather than assumed.
        self.usable = self.periods[-1] == self.window and self.periods[-2] == self.before
        # Twelve months' targets of KPIs with a default target only, by (rule, default,
        # its sign): 0.0 == -0.0, but their targets must stay apart.
        self.flat_targets: FlatTargets = {}
        # Window-target rules of KPIs with targets of their own, by (rule, aggregation).
        self.rules: dict[tuple[TargetAggregation, Aggregation], Aggregation | None] = {}

    def score(self, kpi: KpiInput) -> KpiResult | None:
        """The KPI's result; None when its measurements are not one per consecutive month
        (or the window is not the history's last month): the general way must be taken."""
        if not self.usable:
            return None
        spec = kpi.spec
        measurements = kpi.measurements
        days = self.days
        code = spec.code
        own: Sequence[float | None]
        if type(measurements) is MonthRun:
            # Checked when it was made (the adapter's input): only its last day against
            # the as-of date (monthly.regular_run), and the twelve values one slice.
            if measurements.last > self.as_of:
                return None
            low = self.first - measurements.first
            if low >= 0 and low + len(days) <= len(measurements):
                own = measurements.values[low : low + len(days)]
            else:
                own = values_from(measurements, measurements.first, self.starts)
        elif measurements:
            # Checked once per KPI (Series keeps it: a formula may have read it already).
            run = self.series.regular_months(code)
            if run is None:
                return None
            own = values_from(measurements, run[0], self.starts)
        else:
            own = [None] * len(days)
        if kpi.targets or kpi.path is not None:
            # Its window-target rule depends on its target rule and time aggregation
            # alone (an entered KPI with targets of its own): found once per pair.
            pair = (spec.target_aggregation, spec.aggregation)
            rule = self.rules.get(pair)
            if rule is None:
                rule = self.rules[pair] = window_target_rule(spec, has_own_target=True)
                if rule is None:  # by a formula: never for an entered KPI
                    return None
            targets = self.series.own_targets(code, self.periods, days, rule)
        else:
            # Only the default target, in every month: the same twelve targets for
            # every KPI with this default and rule.
            # An entered KPI's window-target rule depends on its target rule and time
            # aggregation alone (engine.nature.window_target_rule): they key it.
            default = spec.target
            key = (
                spec.target_aggregation,
                spec.aggregation,
                default,
                default is not None and math.copysign(1.0, default),
            )
            found = self.flat_targets.get(key)
            if found is None:
                rule = window_target_rule(spec, has_own_target=default is not None)
                if rule is None:  # by a formula: never for an entered KPI
                    return None
                found = self.flat_targets[key] = pr.whole_periods([default] * len(days), days, rule)
            targets = found
        # The window's value and the month before's (monthly.window_value, inlined: a
        # "last" KPI carries its latest value into a month without one).
        aggregation = spec.aggregation
        last = aggregation is _LAST
        value = own[-1]
        if value is None:
            value = carried_value(measurements, self.window) if last else None
        elif not last:
            value = pr.whole_period(value, days[-1], aggregation)
        previous = own[-2]
        if previous is None:
            previous = carried_value(measurements, self.before) if last else None
        elif not last:
            previous = pr.whole_period(previous, days[-2], aggregation)
        # The window's target is the history's last (the same points, rule and days).
        target = targets[-1]
        performance, progress, status, error = score_fields(spec, value, target)
        if error:
            self.errors.append(ConfigError(code, spec.name, error))
        # Positional, in the fields' order (tests/engine/test_monthly_shortcut.py compares
        # every field with the general way's).
        return KpiResult(
            code,
            spec.name,
            kpi.objective,
            self.window,
            value,
            target,
            performance,
            progress,
            status,
            previous,
            direction(previous, value),
            self.weights.get(code, 0.0),
            error,
            None,
            tuple(zip(self.starts, own, targets, strict=True)),
            spec.indicator,
            spec.unit,
        )


#: Twelve months' targets of KPIs with a default target only, by (target rule, time
#: aggregation, default, its sign).
FlatTargets = dict[
    tuple[TargetAggregation, Aggregation, float | None, float | bool], list[float | None]
]

#: The rows of a history: its periods, their first days and their lengths in days.
HistoryRows = tuple[list[Period], list[dt.date], list[int]]


def _history_rows(
    interval: Interval,
    window: Period,
    fy: int,
    rows: dict[tuple[Interval, dt.date], HistoryRows],
) -> HistoryRows:
    """The periods of a history ending with ``window``'s own period."""
    # KPIs of one interval scored over the same window share their history's periods:
    # ``rows`` keeps them for the whole scorecard.
    key = (interval, window.end)
    shared = rows.get(key)
    if shared is None:
        period = pr.period_containing(window.end, interval, fy)
        periods = [period]
        for _ in range(HISTORY_LENGTH - 1):
            period = pr.previous_period(period, interval, fy)
            periods.append(period)
        periods.reverse()
        shared = rows[key] = (periods, [p.start for p in periods], pr.period_days(periods))
    return shared


def _history(
    code: str,
    series: Series,
    window: Period,
    fy: int,
    rows: dict[tuple[Interval, dt.date], HistoryRows],
) -> tuple[tuple[dt.date, float | None, float | None], ...]:
    periods, starts, days = _history_rows(series.specs[code].interval, window, fy, rows)
    # Every row is one of the KPI's own periods: its value and target need no window.
    targets = series.own_targets(code, periods, days)
    return tuple(zip(starts, map(series.values[code].get, periods), targets, strict=True))


def _roll(children: list[tuple[float | None, float]], settings: RollupSettings) -> float | None:
    return rollup(
        children,
        aggregator=settings.aggregator,
        missing=settings.missing,
        cap=settings.cap,
        min_coverage=settings.min_coverage,
    )


def _status(score: float | None, thresholds: Thresholds) -> str:
    return NO_DATA if score is None else thresholds.status_for(score)


def _covered_status(
    score: float | None,
    children: list[tuple[float | None, float]],
    settings: RollupSettings,
    starved: bool = False,
) -> str:
    """:func:`_status`, saying "not enough data" when a score is missing only because
    less than the minimum coverage of its children's weight has a score, here or in a
    child (``starved``)."""
    if score is None and settings.min_coverage > 0:
        share = coverage(children)
        if starved or 0 < share < settings.min_coverage:
            return NOT_ENOUGH_DATA
    return _status(score, settings.thresholds)


def _weights(sc: ScorecardInput, kpi_weights: dict[str, float] | None = None) -> dict[str, float]:
    """Normalised and absolute weights: perspective → objective → KPI (scored KPIs only).
    The KPIs' absolute weights are put in ``kpi_weights`` by code when it is given (the
    evaluation reads one per KPI), else in the result as ``kpi:<code>``."""
    out: dict[str, float] = {}
    # Each objective's KPIs in their order, grouped once (not a scan per objective).
    by_objective: dict[str, list[KpiInput]] = {}
    for k in sc.kpis:
        by_objective.setdefault(k.objective, []).append(k)
    p_shares = normalised([p.weight for p in sc.perspectives])
    for p, p_share in zip(sc.perspectives, p_shares, strict=True):
        out[f"perspective:{p.key}"] = p_share
        out[f"perspective-abs:{p.key}"] = p_share
        objectives = [o for o in sc.objectives if o.perspective == p.key]
        o_shares = normalised([o.weight for o in objectives])
        for o, o_share in zip(objectives, o_shares, strict=True):
            out[f"objective:{o.key}"] = o_share
            out[f"objective-abs:{o.key}"] = p_share * o_share
            kpis = [k for k in by_objective.get(o.key, ()) if k.spec.optimization is not _NONE]
            k_shares = normalised([k.spec.weight for k in kpis])
            if kpi_weights is not None:
                for k, k_share in zip(kpis, k_shares, strict=True):
                    kpi_weights[k.spec.code] = p_share * o_share * k_share
                continue
            for k, k_share in zip(kpis, k_shares, strict=True):
                out[f"kpi:{k.spec.code}"] = p_share * o_share * k_share
    return out


def _objectives(
    sc: ScorecardInput, kpis: dict[str, KpiResult], weights: dict[str, float]
) -> dict[str, NodeResult]:
    specs = {k.spec.code: k.spec for k in sc.kpis}
    # Each objective's KPI results in their order, grouped once (not a scan per objective).
    by_objective: dict[str, list[KpiResult]] = {}
    for r in kpis.values():
        by_objective.setdefault(r.objective, []).append(r)
    # Each objective's contributions in their order, grouped once too.
    contributed: dict[str, list[Contribution]] = {}
    for c in sc.contributions:
        contributed.setdefault(c.objective, []).append(c)
    settings = sc.settings
    out: dict[str, NodeResult] = {}
    for o in sc.objectives:
        # _scored(r), inlined.
        children = [
            (r.performance, specs[r.code].weight)
            for r in by_objective.get(o.key, ())
            if r.status not in (ERROR, NOT_APPLICABLE)
        ]
        own = _roll(children, settings)
        aligned = contributed.get(o.key)
        if aligned:
            blended = aligned_rollup(
                own,
                [(c.score, c.share) for c in aligned],
                has_own=bool(children),
                missing=settings.missing,
                cap=settings.cap,
            )
            score, own_weight = blended.score, blended.own_weight
            contributions = tuple(
                ContributionResult(
                    source_scorecard=c.source_scorecard,
                    source_scorecard_name=c.source_scorecard_name,
                    source=c.source,
                    name=c.name,
                    score=c.score,
                    share=c.share,
                    weight=weight,
                )
                for c, weight in zip(aligned, blended.weights, strict=True)
            )
        else:
            # What aligned_rollup() gives without shares: the own score, all of it.
            score, own_weight, contributions = own, 1.0, ()
        out[o.key] = NodeResult(
            key=o.key,
            name=o.name,
            score=score,
            status=_covered_status(score, children, settings),
            weight=weights.get(f"objective:{o.key}", 0.0),
            absolute_weight=weights.get(f"objective-abs:{o.key}", 0.0),
            coverage=coverage(children),
            own_score=own,
            own_weight=own_weight,
            contributions=contributions,
        )
    return out


def _perspectives(
    sc: ScorecardInput, objectives: dict[str, NodeResult], weights: dict[str, float]
) -> dict[str, NodeResult]:
    out: dict[str, NodeResult] = {}
    for p in sc.perspectives:
        children = [
            (objectives[o.key].score, o.weight) for o in sc.objectives if o.perspective == p.key
        ]
        score = _roll(children, sc.settings)
        out[p.key] = NodeResult(
            key=p.key,
            name=p.name,
            score=score,
            status=_covered_status(
                score,
                children,
                sc.settings,
                any(
                    objectives[o.key].status == NOT_ENOUGH_DATA
                    for o in sc.objectives
                    if o.perspective == p.key
                ),
            ),
            weight=weights.get(f"perspective:{p.key}", 0.0),
            absolute_weight=weights.get(f"perspective-abs:{p.key}", 0.0),
            coverage=coverage(children),
        )
    return out


def _indicator_scores(
    sc: ScorecardInput, counted: list[KpiResult]
) -> tuple[float | None, float | None]:
    """Scores of only the leading and of only the lagging KPIs, each weighted by their
    absolute weights (``counted``: the KPI results with an absolute weight above 0)."""
    leading: list[tuple[float | None, float]] = []
    lagging: list[tuple[float | None, float]] = []
    # Both lists in one pass, in the KPIs' order; _scored(r), inlined.
    for r in counted:
        if r.status not in (ERROR, NOT_APPLICABLE):
            if r.indicator is _LEADING:
                leading.append((r.performance, r.absolute_weight))
            elif r.indicator is _LAGGING:
                lagging.append((r.performance, r.absolute_weight))
    return (
        _roll(leading, sc.settings) if leading else None,
        _roll(lagging, sc.settings) if lagging else None,
    )


__all__ = [
    "Aggregation",
    "Contribution",
    "ContributionResult",
    "KpiInput",
    "KpiResult",
    "NodeResult",
    "ObjectiveInput",
    "PerspectiveInput",
    "RollupSettings",
    "ScorecardInput",
    "ScorecardResult",
    "evaluate_scorecard",
    "kpi_window",
]
