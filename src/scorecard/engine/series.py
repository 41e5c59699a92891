"""Per-period values of every KPI of a scorecard, with calculated KPIs filled in.

Entered KPIs keep the values they were given. Calculated KPIs get one value per
period of their own interval, computed from their inputs in dependency order.
Over a longer window a calculated KPI in ``equation`` mode aggregates each
input over the window first and then applies its formula; in
``aggregate_results`` mode its per-period results are aggregated instead.
"""

from __future__ import annotations

import datetime as dt
import operator
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from itertools import repeat

from . import periods as pr
from .formulas import Context, Parsed, compiled, compiled_rows, run
from .monthly import MonthRun, carried_value, regular_run
from .nature import nature_aggregation, window_target_rule
from .periods import Period
from .scoring import score_value
from .types import Aggregation, FormulaMode, Interval, KpiSpec, Measurement, TargetPath, TargetPoint

Result = tuple[float | None, str | None]


class Series:
    """Values, targets and formula results of a scorecard's KPIs as of one date."""

    def __init__(
        self,
        kpis: Iterable[tuple[KpiSpec, tuple[Measurement, ...], tuple[TargetPoint, ...]]],
        paths: dict[str, TargetPath | None],
        fiscal_year_start_month: int,
        as_of: dt.date,
        *,
        lazy: bool = False,
    ) -> None:
        """``lazy``: key each KPI's values by period only when they are first read
        (``values[code]``), so that a caller which reads some KPIs' measurements
        itself does not pay for the others; ``values`` is then not to be iterated."""
        self.fy = fiscal_year_start_month
        # Lazy (the period view's shortcut, checked against the general way in tests):
        # also read monthly inputs by position and computed periods from compute().
        self._lazy = lazy
        self.as_of = as_of
        self.specs: dict[str, KpiSpec] = {}
        self.targets: dict[str, tuple[TargetPoint, ...]] = {}
        self.paths = paths
        # Period start day → its period, per interval (the fiscal year is the same for all).
        known: dict[Interval, dict[dt.date, Period]] = {}
        self._known = known
        # Each KPI's measurements not keyed by period yet (lazy only).
        self._pending: dict[str, tuple[Measurement, ...]] = {}
        # Lazy only: each entered monthly KPI's measurements, kept to read a month's value
        # by position when they are one per consecutive month (:meth:`_month_run`).
        self._entered: dict[str, tuple[Measurement, ...]] = {}
        self._runs: dict[str, tuple[int, tuple[Measurement, ...]] | None] = {}
        # Made from the dictionaries it reads, not from a bound method: Series → values →
        # method → Series would be a reference cycle, leaving every evaluation's values,
        # caches and indexes to the cyclic garbage collector (and its full collections
        # over the whole heap) rather than freed as soon as the evaluation ends.
        self.values: dict[str, dict[Period, float]] = _Values(
            _lazy_keyed(self.specs, self._pending, known, fiscal_year_start_month, as_of)
        )
        for spec, measurements, targets in kpis:
            self.specs[spec.code] = spec
            self.targets[spec.code] = targets
            # Calculated KPIs ignore entered values: their formula is the source.
            entered = () if spec.formula else measurements
            if lazy:
                self._pending[spec.code] = entered
                # The last KPI of a code is the one read (as for the keyed values).
                if entered and spec.interval is Interval.MONTH:
                    self._entered[spec.code] = entered
                else:
                    self._entered.pop(spec.code, None)
            else:
                self.values[spec.code] = _keyed(spec, entered, known, self.fy, as_of)
        self.parsed: dict[str, Parsed] = {}
        # Arithmetic trouble per KPI and period, e.g. "division_by_zero".
        self.flags: dict[str, dict[Period, str]] = {}
        self._cache: dict[tuple[str, Period], Result] = {}
        # compute()'s ``within`` and its periods in order.
        self._within: tuple[AbstractSet[Period], list[Period]] | None = None
        self._within_days: list[int] = []  # their lengths in days
        # Those periods when they are consecutive calendar months (then a MonthRun's
        # values over them are one slice), else None.
        self._within_run: list[Period] | None = None
        # The periods compute() evaluated each calculated KPI's formula over.
        self._computed: dict[str, set[Period]] = {}
        self._target_cache: dict[tuple[str, Period], float | None] = {}
        # Each KPI's window-target rule (engine.nature.window_target_rule), once found.
        self._target_rules: dict[str, Aggregation | None] = {}
        # Each KPI's target points by day, and the value that holds from each (lazily).
        self._target_indexes: dict[str, tuple[list[dt.date], list[float]]] = {}
        # Each KPI's values in time order; dropped whenever compute() adds a value.
        self._sorted: dict[str, pr.SortedSeries] = {}

    def _month_run(self, code: str, window: Period) -> tuple[int, tuple[Measurement, ...]] | None:
        """(the index of its first month, its measurements) when ``window`` is a calendar
        month and the entered monthly KPI's measurements are one per consecutive month,
        on the first day, in order, none after the as-of date (engine.monthly's shape);
        else None, and its values keyed by period are read instead."""
        start, end = window
        if start.day != 1 or (end + pr.ONE_DAY).day != 1 or start.month != end.month:
            return None
        return self.regular_months(code)

    def regular_months(self, code: str) -> tuple[int, tuple[Measurement, ...]] | None:
        """(the index of its first month, its measurements) of an entered monthly KPI
        with measurements one per consecutive month (checked once per KPI and evaluation,
        engine.monthly.regular_run); else None."""
        if code not in self._entered:
            return None
        if code in self._runs:
            return self._runs[code]
        measurements = self._entered[code]
        first = regular_run(measurements, self.as_of)
        run = self._runs[code] = None if first is None else (first, measurements)
        return run

    def month_column(self, code: str, periods: Sequence[Period]) -> list[float | None] | None:
        """The KPI's own value in each of ``periods`` (calendar months; None: no value),
        read by position, when :meth:`_month_run` applies; else None."""
        if code not in self._entered or not periods:
            return None
        run = self._month_run(code, periods[0])
        if run is None:
            return None
        first, measurements = run
        count = len(measurements)
        out: list[float | None] = []
        if isinstance(measurements, MonthRun):  # its values in order, read by position
            values = measurements.values
            if periods is self._within_run:  # consecutive months: one slice
                low = _month_of(periods[0]) - first
                high = low + len(periods)
                if low >= 0 and high <= count:
                    return list(values[low:high])
            for start, _ in periods:
                index = start.year * 12 + start.month - 1 - first
                out.append(values[index] if 0 <= index < count else None)
            return out
        for start, _ in periods:  # _at() of each period, inlined
            index = start.year * 12 + start.month - 1 - first
            out.append(measurements[index].value if 0 <= index < count else None)
        return out

    def actual(self, code: str, window: Period) -> float | None:
        """The KPI's per-period values aggregated over ``window``."""
        aggregation = self.specs[code].aggregation
        run = self._month_run(code, window) if code in self._entered else None
        if run is not None:
            # A month of a KPI with one value per consecutive month: its value, read by
            # position, is what the keyed values would give (below); a month without
            # one has none, except that a "last" KPI carries its latest value forward.
            own = _at(run, window)
            if own is None:
                if aggregation is Aggregation.LAST:
                    return carried_value(run[1], window)
                return None
        else:
            own = self.values[code].get(window)
        if own is not None:
            # The window is one of the KPI's own periods (a formula input, a history row).
            # A KPI's periods never overlap, so no other period meets the window and the
            # latest period starting by its end is this one.
            if aggregation is Aggregation.LAST:
                return own
            return pr.whole_period(own, (window.end - window.start).days + 1, aggregation)
        index = self._sorted.get(code)
        if index is None:
            index = self._sorted[code] = pr.SortedSeries.of(self.values[code])
        return pr.actual_in_sorted(index, window, aggregation)

    def target(self, code: str, window: Period) -> float | None:
        """The KPI's target over ``window``, made by its window-target rule
        (engine.nature.window_target_rule): its per-period targets aggregated, or its
        formula over its inputs' targets over the window."""
        key = (code, window)
        if key in self._target_cache:
            return self._target_cache[key]
        rule = self.target_rule(code)
        if rule is None:
            made, target = self._equation_target(code, window)
            if made:
                self._target_cache[key] = target
                return target
            rule = nature_aggregation(self.specs[code])
        target = self._target_cache[key] = self._aggregated_target(code, window, rule)
        return target

    def target_rule(self, code: str) -> Aggregation | None:
        """How the KPI's window target is made: an aggregation, or None for its formula."""
        if code in self._target_rules:
            return self._target_rules[code]
        spec = self.specs[code]
        own = bool(self.targets[code]) or self.paths.get(code) is not None
        rule = window_target_rule(spec, has_own_target=own or spec.target is not None)
        self._target_rules[code] = rule
        return rule

    def _equation_target(self, code: str, window: Period) -> tuple[bool, float | None]:
        """(True, the KPI's formula over its inputs' targets over ``window``), or
        (False, None) when the formula cannot say: not read, it uses KPI functions, or
        an input has no target. Arithmetic trouble (a zero target below a division)
        gives (True, None)."""
        parsed = self.parsed.get(code)
        if parsed is None or parsed.uses_kpi_functions:
            return False, None
        inputs = {ref: self.target(ref, window) for ref in parsed.references}
        if None in inputs.values():
            return False, None
        value, _ = run(compiled(parsed), Context(inputs))
        return True, value

    def _aggregated_target(
        self, code: str, window: Period, aggregation: Aggregation
    ) -> float | None:
        spec = self.specs[code]
        own = pr.period_containing(window.start, spec.interval, self.fy)
        if own.start == window.start and own.end == window.end:
            return self._own_targets(code, (window,), None, aggregation)[0]
        # periods.target_in_window, with each period's target found by bisection.
        overlapping = (
            [own]
            if own.end >= window.end
            else list(pr.periods_overlapping(window, spec.interval, self.fy))
        )
        points = self._target_points(code, overlapping)
        if None in points:
            return None
        if aggregation is Aggregation.COUNT:
            return float(len(points)) if points else None
        if overlapping[0].start >= window.start and overlapping[-1].end <= window.end:
            # Every period lies wholly inside the window (year to date): no shares.
            return pr.aggregate_whole(overlapping, points, aggregation)  # type: ignore[arg-type]
        pieces = list(zip(overlapping, points, strict=True))
        return pr.aggregate_over_window(pieces, window, aggregation)  # type: ignore[arg-type]

    def _target_points(self, code: str, periods: Sequence[Period]) -> list[float | None]:
        """:func:`periods.target_for_period` of each period: the latest point on or
        before the period wins, else the planned path, else the KPI's default target."""
        spec = self.specs[code]
        path = self.paths.get(code)
        starts, chosen = self._target_index(code)
        if not starts:
            if path is None:
                # No points and no path: the default target holds in every period.
                return [spec.target] * len(periods)
            # No points: the path at each period's end.
            return pr.targets_on_path(path, map(_period_end, periods))  # type: ignore[return-value]
        # Each period's latest point on or before its start, bisected at C speed.
        found = map(bisect_right, repeat(starts), map(_period_start, periods))
        return [
            chosen[at - 1]
            if at
            else (spec.target if path is None else pr.target_on_path(path, period.end))
            for at, period in zip(found, periods, strict=True)
        ]

    def own_targets(
        self,
        code: str,
        periods: Sequence[Period],
        days: Sequence[int] | None = None,
        rule: Aggregation | None = None,
    ) -> list[float | None]:
        """:meth:`target` over some of the KPI's own periods (the caller knows they are):
        each period's one target, aggregated as target_in_window() would. ``days``, the
        periods' lengths, and ``rule``, its :meth:`target_rule` when that is an
        aggregation, may be given when the caller has them already."""
        if rule is not None:
            return self._own_targets(code, periods, days, rule)
        rule = self.target_rule(code)
        if rule is None:
            return [self.target(code, period) for period in periods]
        return self._own_targets(code, periods, days, rule)

    def _own_targets(
        self,
        code: str,
        periods: Sequence[Period],
        days: Sequence[int] | None,
        aggregation: Aggregation,
    ) -> list[float | None]:
        if days is None:
            days = pr.period_days(periods)
        return pr.whole_periods(self._target_points(code, periods), days, aggregation)

    def _target_index(self, code: str) -> tuple[list[dt.date], list[float]]:
        """The KPI's target points' days in order, and the value that holds from each."""
        index = self._target_indexes.get(code)
        if index is None and not self.targets[code]:
            index = self._target_indexes[code] = ([], [])
        if index is None:
            # Stable sort: among points of the same day the first given stays first, and
            # each tie keeps the first one's value (max() over the points picks it).
            points = sorted(self.targets[code], key=_start)
            starts = [p.period_start for p in points]
            # The first point of each day, found in one pass (read backwards, the first
            # of a day is the last one written), not one list scan per point.
            first = dict(zip(reversed(starts), [p.value for p in reversed(points)], strict=True))
            chosen = list(map(first.__getitem__, starts))
            index = self._target_indexes[code] = (starts, chosen)
        return index

    def value(self, code: str, window: Period) -> Result:
        """The KPI's value over ``window`` and a flag, honouring its formula mode."""
        key = (code, window)
        result = self._cache.get(key)
        if result is None:
            result = self._cache[key] = self._value(code, window)
        return result

    def _value(self, code: str, window: Period) -> Result:
        spec, parsed = self.specs[code], self.parsed.get(code)
        if (
            self._lazy
            and parsed is not None
            and spec.formula_mode is FormulaMode.EQUATION
            and window in self._computed.get(code, ())
        ):
            # compute() has evaluated the formula over this very period, on the same
            # inputs' values (a period it computed is one an input has data in).
            found = self.values[code].get(window)
            if found is not None:
                return found, None
            return None, self.flags.get(code, {}).get(window)
        if parsed is None or spec.formula_mode is FormulaMode.AGGREGATE_RESULTS:
            flags = self.flags.get(code)
            flag = None
            if flags:
                flag = next((f for p, f in sorted(flags.items()) if p.overlap_days(window)), None)
            return self.actual(code, window), flag
        return run(compiled(parsed), self.context(parsed, window, spec.interval))

    def context(self, parsed: Parsed, window: Period, interval: Interval) -> Context:
        """What a formula sees when it is evaluated over ``window``."""
        values = {code: self.value(code, window)[0] for code in parsed.references}
        if not parsed.uses_kpi_functions:
            # Plain arithmetic on the inputs' values needs none of the callbacks below.
            return Context(values)

        def shifted(offset: int) -> Period:
            period = window
            step = pr.previous_period if offset < 0 else pr.next_period
            for _ in range(abs(offset)):
                period = step(period, interval, self.fy)
            return period

        def score_of(code: str) -> tuple[float | None, float | None]:
            result = score_value(
                self.specs[code], self.value(code, window)[0], self.target(code, window)
            )
            return result.performance, result.progress

        def ytd(code: str) -> float | None:
            start = pr.fiscal_year_start(window.end, self.fy)
            return self.value(code, Period(start, window.end))[0]

        return Context(
            values,
            value_at=lambda code, offset: self.value(code, shifted(offset))[0],
            target_at=lambda code, offset: self.target(code, shifted(offset)),
            performance_of=lambda code: score_of(code)[0],
            progress_of=lambda code: score_of(code)[1],
            ytd_of=ytd,
        )

    def _over(
        self,
        code: str,
        periods: list[Period],
        days: list[int],
        own: list[float | None] | None = None,
    ) -> list[float | None]:
        """:meth:`value` (without its flag) over each of ``periods`` (``days`` long) in turn.
        ``own``: the KPI's own value in each period, when the caller has read them."""
        if code in self.parsed or self.flags.get(code):
            return [self.value(code, period)[0] for period in periods]
        # An entered KPI: where a period is one of its own, actual()'s first branch.
        aggregation = self.specs[code].aggregation
        if own is None:
            own = self.month_column(code, periods)
        if own is None:
            own = list(map(self.values[code].get, periods))
        out = (
            list(own)
            if aggregation is Aggregation.LAST
            else pr.whole_periods(own, days, aggregation)
        )
        if None in own:  # tested in C: most inputs have a value in every period
            for row, value in enumerate(own):
                if value is None:
                    out[row] = self.value(code, periods[row])[0]
        return out

    def _sorted_months(self, within: AbstractSet[Period] | None) -> list[Period] | None:
        """``within`` in order (sorted once for every calculated KPI), or None."""
        if not within:
            return None
        if self._within is None or self._within[0] is not within:
            self._within = (within, sorted(within, key=_ends))
            self._within_days = pr.period_days(self._within[1])
            self._within_run = _consecutive_months(self._within[1])
        return self._within[1]

    def compute(self, code: str, parsed: Parsed, within: AbstractSet[Period] | None = None) -> None:
        """Fill in a calculated KPI's value for every period its inputs have data in
        (only those of ``within`` when given: a caller that will read no other period;
        each period's value depends on that period's inputs alone)."""
        self.parsed[code] = parsed
        interval = self.specs[code].interval
        known = self._known.setdefault(interval, {})
        periods: set[Period] = set()
        # Only the periods of ``within`` will be kept: a monthly input read by position
        # (the usual entered monthly KPI) need not have all its values keyed.
        months = self._sorted_months(within) if interval is Interval.MONTH else None
        by_position: dict[str, list[float | None]] = {}
        for ref in parsed.references:
            if months is not None:
                column = self.month_column(ref, months)
                if column is not None:
                    by_position[ref] = column
                    if None in column:
                        periods.update(
                            p for p, v in zip(months, column, strict=True) if v is not None
                        )
                    else:  # a value in every month (the usual case): all of them, in C
                        periods.update(months)
                    continue
            # Usually every input period's start is known already: looked up in C.
            found = list(map(known.get, map(_period_start, self.values[ref])))
            if all(found):  # a Period is always true, None false
                periods.update(found)  # type: ignore[arg-type]
                continue
            for period in self.values[ref]:
                own = known.get(period.start)
                if own is None:
                    own = known[period.start] = pr.period_containing(
                        period.start, interval, self.fy
                    )
                periods.add(own)
        if within is not None:
            periods.intersection_update(within)
        values = self.values[code]
        # Sorted on (start, end), the periods' own order, without calling Period.__lt__;
        # every month of ``within`` (the usual case) is ``months``, sorted already.
        ordered, lengths = (
            (months, self._within_days)
            if months is not None and len(periods) == len(months)
            else (sorted(periods, key=_ends), None)
        )
        self._computed[code] = periods
        rows = compiled_rows(parsed)
        if rows is not None:
            # Plain arithmetic: the formula over its inputs' columns at once.
            days = pr.period_days(ordered) if lengths is None else lengths
            operands: list[list[float | None]] = []
            for ref in sorted(parsed.references):
                column = by_position.get(ref)
                if column is not None and len(ordered) < len(column):
                    # ``ordered`` is some of the months, in order: their values.
                    column = [v for p, v in zip(months or (), column, strict=True) if p in periods]
                operands.append(self._over(ref, ordered, days, column))
            results = rows(operands)
            flags: dict[Period, str] | None = None
            for period, (value, flag) in zip(ordered, results, strict=True):
                if value is not None:
                    values[period] = value
                elif flag:
                    if flags is None:
                        flags = self.flags.setdefault(code, {})
                    flags[period] = flag
            self._sorted.pop(code, None)
            return
        function = compiled(parsed)
        if parsed.uses_kpi_functions:
            contexts = (self.context(parsed, period, interval) for period in ordered)
        else:
            # Plain arithmetic on the inputs' values: each input's values over these
            # periods taken at once, then one context whose values change.
            inputs: dict[str, float | None] = {}
            shared = Context(inputs)
            days = pr.period_days(ordered)
            columns = [(ref, self._over(ref, ordered, days)) for ref in parsed.references]

            def fill(row: int) -> Context:
                for ref, column in columns:
                    inputs[ref] = column[row]
                return shared

            contexts = (fill(row) for row in range(len(ordered)))
        for period, context in zip(ordered, contexts, strict=True):
            value, flag = run(function, context)
            if value is not None:
                values[period] = value
                self._sorted.pop(code, None)
            elif flag:
                self.flags.setdefault(code, {})[period] = flag


def _keyed(
    spec: KpiSpec,
    measurements: tuple[Measurement, ...],
    known: dict[Interval, dict[dt.date, Period]],
    fy: int,
    as_of: dt.date,
) -> dict[Period, float]:
    """The KPI's values keyed by period (``known``: each interval's periods by first day)."""
    return pr.series_by_period(
        measurements, spec.interval, fy, as_of, known.setdefault(spec.interval, {})
    )


def _lazy_keyed(
    specs: dict[str, KpiSpec],
    pending: dict[str, tuple[Measurement, ...]],
    known: dict[Interval, dict[dt.date, Period]],
    fy: int,
    as_of: dt.date,
) -> Callable[[str], dict[Period, float]]:
    """What makes a lazy KPI's values keyed by period on first reading (KeyError if
    unknown), from ``pending`` (its measurements not keyed yet)."""

    def keyed(code: str) -> dict[Period, float]:
        return _keyed(specs[code], pending.pop(code), known, fy, as_of)

    return keyed


def _at(run: tuple[int, tuple[Measurement, ...]], month: Period) -> float | None:
    """The value of ``month`` (a calendar month) in a run of consecutive months, or None."""
    first, measurements = run
    start = month[0]
    index = start.year * 12 + start.month - 1 - first
    return measurements[index].value if 0 <= index < len(measurements) else None


def _month_of(period: Period) -> int:
    start = period.start
    return start.year * 12 + start.month - 1


def _consecutive_months(periods: list[Period]) -> list[Period] | None:
    """``periods`` when they are whole calendar months, each the month after the one
    before it; else None."""
    month = None
    for start, end in periods:
        if start.day != 1 or (end + pr.ONE_DAY).day != 1 or start.month != end.month:
            return None
        index = start.year * 12 + start.month - 1
        if month is not None and index != month + 1:
            return None
        month = index
    return periods if periods else None


_period_start = operator.attrgetter("start")
_period_end = operator.attrgetter("end")


def _start(point: TargetPoint) -> dt.date:
    return point.period_start


def _ends(period: Period) -> tuple[dt.date, dt.date]:
    return period.start, period.end


class _Values(dict[str, dict[Period, float]]):
    """KPI code → values by period, each made by ``make`` the first time it is read."""

    def __init__(self, make: Callable[[str], dict[Period, float]]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, code: str) -> dict[Period, float]:
        try:
            made = self._make(code)
        except KeyError:
            raise KeyError(code) from None
        self[code] = made
        return made
