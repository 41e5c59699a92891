"""Periods of time and how values and targets are combined over them.

Rules (docs/scoring.md, "Time"): a window's actual and target are aggregated
first and scored afterwards; periods that only partly overlap a window count pro
rata by days; ``last`` KPIs carry their latest value forward; targets are
inherited forward, or read off a planned straight-line path.
"""

from __future__ import annotations

import calendar
import datetime as dt
import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .types import Aggregation, Interval, KpiSpec, Measurement, TargetPath, TargetPoint

ONE_DAY = dt.timedelta(days=1)

#: Length in months of the calendar-like intervals.
MONTHS = {Interval.MONTH: 1, Interval.QUARTER: 3, Interval.HALF_YEAR: 6, Interval.YEAR: 12}


@dataclass(frozen=True, init=False, repr=False, eq=False)
class Period(tuple):  # type: ignore[type-arg]
    """A span of days, both ends included.

    Periods are dictionary keys everywhere in scoring (a million look-ups for the
    benchmark organization): stored as the pair ``(start, end)``, their hashing,
    equality and order are the tuple's own, done in C, where a dataclass's are Python
    calls (see docs/performance.md, issue 16). It stays a dataclass with the fields
    ``start`` and ``end`` for everything that reads it as one (snapshots, exports).
    """

    start: dt.date
    end: dt.date

    def __new__(cls, start: dt.date, end: dt.date) -> Period:
        return tuple.__new__(cls, (start, end))

    # The tuple's slots, in C (a Period equals only a Period with the same ends: no
    # other pair of dates is ever compared with one).
    __hash__ = tuple.__hash__
    __eq__ = tuple.__eq__
    __ne__ = tuple.__ne__
    __lt__ = tuple.__lt__
    __le__ = tuple.__le__
    __gt__ = tuple.__gt__
    __ge__ = tuple.__ge__

    def __repr__(self) -> str:
        return f"Period(start={self[0]!r}, end={self[1]!r})"

    def __reduce__(self) -> tuple[type[Period], tuple[dt.date, dt.date]]:
        return (Period, (self[0], self[1]))

    def __copy__(self) -> Period:
        return self

    def __deepcopy__(self, memo: object) -> Period:
        return self

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    def overlap_days(self, other: Period) -> int:
        """Days this period shares with ``other`` (0 when they do not meet)."""
        # Plain comparisons rather than max()/min(): this runs for every period of
        # every window of every KPI (see docs/performance.md).
        start = self.start if self.start > other.start else other.start
        end = self.end if self.end < other.end else other.end
        days = (end - start).days + 1
        return days if days > 0 else 0

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` lies inside the period."""
        return self.start <= day <= self.end


# The fields read the pair (set after the dataclass has recorded them as fields).
Period.start = property(operator.itemgetter(0), doc="The first day.")  # type: ignore[assignment]
Period.end = property(operator.itemgetter(1), doc="The last day.")  # type: ignore[assignment]


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """Number of days of ``month`` (1-12) in ``year``."""
    if month == 2 and calendar.isleap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (clipped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if day.day <= 28:
        # Every month has a 28th: no need to look up the month's length.
        return dt.date(year, month + 1, day.day)
    return dt.date(year, month + 1, min(day.day, days_in_month(year, month + 1)))


# Scoring an organization asks for the same few periods hundreds of thousands of times
# (every value, window and history row); the answer depends on the arguments only.
@lru_cache(maxsize=1 << 16)
def period_containing(day: dt.date, interval: Interval, fiscal_year_start_month: int = 1) -> Period:
    """The period of ``interval`` that contains ``day``.

    Weeks start on Monday. Quarters, half-years and years are aligned to the
    fiscal year's first month.
    """
    if interval is Interval.DAY:
        return Period(day, day)
    if interval is Interval.WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return Period(start, start + dt.timedelta(days=6))
    length = MONTHS[interval]
    offset = (day.month - fiscal_year_start_month) % length if length > 1 else 0
    if interval is Interval.YEAR:
        offset = (day.month - fiscal_year_start_month) % 12
    start = add_months(dt.date(day.year, day.month, 1), -offset)
    return Period(start, add_months(start, length) - ONE_DAY)


def next_period(period: Period, interval: Interval, fiscal_year_start_month: int = 1) -> Period:
    """The period right after ``period``."""
    return period_containing(period.end + ONE_DAY, interval, fiscal_year_start_month)


def previous_period(period: Period, interval: Interval, fiscal_year_start_month: int = 1) -> Period:
    """The period right before ``period``."""
    return period_containing(period.start - ONE_DAY, interval, fiscal_year_start_month)


def periods_overlapping(
    window: Period, interval: Interval, fiscal_year_start_month: int = 1
) -> Iterator[Period]:
    """Every period of ``interval`` that shares at least one day with ``window``."""
    period = period_containing(window.start, interval, fiscal_year_start_month)
    while period.start <= window.end:
        yield period
        period = next_period(period, interval, fiscal_year_start_month)


def last_complete_period(
    as_of: dt.date, interval: Interval, fiscal_year_start_month: int = 1
) -> Period:
    """The most recent period of ``interval`` that has ended on or before ``as_of``."""
    period = period_containing(as_of, interval, fiscal_year_start_month)
    if period.end > as_of:
        period = previous_period(period, interval, fiscal_year_start_month)
    return period


def fiscal_year_start(day: dt.date, fiscal_year_start_month: int = 1) -> dt.date:
    """First day of the fiscal year that contains ``day``."""
    return period_containing(day, Interval.YEAR, fiscal_year_start_month).start


def aggregate(values: Sequence[float], aggregation: Aggregation) -> float | None:
    """Combine values of whole periods (in time order). No values → None, even for count."""
    if not values:
        return None
    if aggregation is Aggregation.SUM:
        return float(sum(values))
    if aggregation is Aggregation.AVERAGE:
        return float(sum(values)) / len(values)
    if aggregation is Aggregation.LAST:
        return float(values[-1])
    if aggregation is Aggregation.MIN:
        return float(min(values))
    if aggregation is Aggregation.MAX:
        return float(max(values))
    return float(len(values))


def aggregate_over_window(
    pieces: Sequence[tuple[Period, float]], window: Period, aggregation: Aggregation
) -> float | None:
    """Combine per-period values over ``window``, counting partly covered periods pro rata.

    A sum takes the overlapping share of each period's value. An average weighs
    each period by its overlapping days when any period is only partly covered
    (whole periods alone count equally). Other aggregations use the values of
    every period that meets the window.
    """
    # (value, overlapping days, length in days) of each period meeting the window,
    # each computed once: this runs for every window of every KPI.
    inside: list[tuple[float, int, int]] = []
    w_start, w_end = window.start, window.end
    for p, v in pieces:
        # Period.overlap_days, inlined.
        start = p.start if p.start > w_start else w_start
        end = p.end if p.end < w_end else w_end
        if start <= end:
            inside.append((v, (end - start).days + 1, (p.end - p.start).days + 1))
    if not inside:
        return None
    if aggregation is Aggregation.SUM:
        return sum([v * shared / days for v, shared, days in inside])
    if aggregation is Aggregation.AVERAGE and any(shared < days for _, shared, days in inside):
        weights = [shared for _, shared, _ in inside]
        return sum(w * v for w, (v, _, _) in zip(weights, inside, strict=True)) / sum(weights)
    return aggregate([v for v, _, _ in inside], aggregation)


# Read for every value of every KPI: module globals are read several times faster than
# an enum's class attributes (Python 3.11).
_SUM, _AVERAGE, _COUNT = Aggregation.SUM, Aggregation.AVERAGE, Aggregation.COUNT


def whole_period(value: float, days: int, aggregation: Aggregation) -> float | None:
    """What :func:`aggregate_over_window` gives for one value over exactly its own period.

    Most windows are one of the KPI's own periods (history rows, formula inputs, monthly
    views); this does the same arithmetic without the overlap bookkeeping, so the result
    is the same float to the last bit (``days`` is the period's length).
    """
    if aggregation is _SUM:
        return sum((value * days / days,))
    if aggregation is _AVERAGE:
        return float(sum((value,))) / 1
    if aggregation is _COUNT:
        return 1.0
    return float(value)


def whole_periods(
    values: Sequence[float | None], days: Sequence[int], aggregation: Aggregation
) -> list[float | None]:
    """:func:`whole_period` of each value over its period of ``days`` days (None stays None)."""
    # ``0 + x`` is what ``sum((x,))`` computes (sum() starts from the integer 0), to
    # the bit, without a call per value.
    if aggregation is _SUM:
        return [None if v is None else 0 + v * d / d for v, d in zip(values, days, strict=True)]
    if aggregation is _AVERAGE:
        return [None if v is None else float(0 + v) / 1 for v in values]
    if aggregation is _COUNT:
        return [None if v is None else 1.0 for v in values]
    return [None if v is None else float(v) for v in values]


def period_days(periods: Iterable[Period]) -> list[int]:
    """The length in days of each period."""
    return [(p.end - p.start).days + 1 for p in periods]


def target_on_path(path: TargetPath, day: dt.date) -> float:
    """The planned value at the end of ``day`` on a straight path (held flat beyond its ends).

    Progress is counted in months where the path runs month to month, so twelve
    million a year from zero is three million at the end of March.
    """
    start, end_exclusive = path.start, path.end + ONE_DAY
    moment = day + ONE_DAY
    if moment <= start:
        return path.start_value
    if moment >= end_exclusive:
        return path.end_value
    share = _months_between(start, moment) / _months_between(start, end_exclusive)
    return path.start_value + share * (path.end_value - path.start_value)


def targets_on_path(path: TargetPath, days: Iterable[dt.date]) -> list[float]:
    """:func:`target_on_path` at the end of each of ``days``: the same floats, with the
    path's length in months worked out once rather than once per day."""
    start, end_exclusive = path.start, path.end + ONE_DAY
    first, last = path.start_value, path.end_value
    rise = last - first
    length: float | None = None
    out: list[float] = []
    for day in days:
        moment = day + ONE_DAY
        if moment <= start:
            out.append(first)
        elif moment >= end_exclusive:
            out.append(last)
        else:
            if length is None:
                length = _months_between(start, end_exclusive)
            out.append(first + _months_between(start, moment) / length * rise)
    return out


# Kept: every KPI with a planned path asks it for the same few pairs of days (a path's
# start, and each month's end) in every evaluation.
@lru_cache(maxsize=4096)
def _months_between(a: dt.date, b: dt.date) -> float:
    whole = (b.year - a.year) * 12 + (b.month - a.month)
    return whole + (b.day - a.day) / days_in_month(b.year, b.month)


def target_for_period(
    period: Period,
    targets: Sequence[TargetPoint],
    path: TargetPath | None,
    default: float | None,
) -> float | None:
    """The target of one period.

    The latest target point starting on or before the period wins (targets are
    inherited forward); else the planned path at the period's end; else the
    KPI's default target.
    """
    # Callers need not sort the points: the latest one on or before the period wins.
    earlier = [p for p in targets if p.period_start <= period.start]
    if earlier:
        return max(earlier, key=lambda p: p.period_start).value
    if path is not None:
        return target_on_path(path, period.end)
    return default


def series_by_period(
    measurements: Iterable[Measurement],
    interval: Interval,
    fiscal_year_start_month: int,
    as_of: dt.date,
    known: dict[dt.date, Period] | None = None,
) -> dict[Period, float]:
    """Measurements keyed by their period, ignoring any period starting after ``as_of``.

    ``known`` (period start day → its period, for this interval and fiscal year) may be
    shared between calls so that many KPIs look each period up only once.
    """
    if known is None:
        known = {}
    if not isinstance(measurements, Sequence):
        measurements = tuple(measurements)
    days = list(map(_START, measurements))
    periods = list(map(known.get, days))
    # all(): a Period is always true, None false (tested in C, without Period.__eq__).
    if not all(periods) or (days and max(days) > as_of):
        # Some period not looked up yet, or measurements after as_of: one by one.
        out: dict[Period, float] = {}
        for m in measurements:
            day = m.period_start
            if day <= as_of:
                period = known.get(day)
                if period is None:
                    period = known[day] = period_containing(day, interval, fiscal_year_start_month)
                out[period] = m.value
        return out
    # Every period known and none after as_of (the usual case): built in C, the same
    # dictionary as the loop above (a repeated period keeps its place and the last value).
    return dict(zip(periods, map(_VALUE, measurements), strict=True))  # type: ignore[arg-type]


_START = operator.attrgetter("period_start")
_PERIOD_START = operator.attrgetter("start")
_PERIOD_END = operator.attrgetter("end")
_VALUE = operator.attrgetter("value")


def actual_in_window(
    series: dict[Period, float], window: Period, aggregation: Aggregation
) -> float | None:
    """The KPI's actual over ``window``; a ``last`` KPI carries its latest earlier value forward."""
    pieces = sorted((p, v) for p, v in series.items() if p.overlap_days(window) > 0)
    if aggregation is Aggregation.LAST:
        earlier = [(p, v) for p, v in sorted(series.items()) if p.start <= window.end]
        return earlier[-1][1] if earlier else None
    return aggregate_over_window(pieces, window, aggregation)


@dataclass(frozen=True)
class SortedSeries:
    """One KPI's per-period values in time order, to find a window's periods by bisection.

    Scanning every period of a KPI for every window made scoring an organization
    quadratic in its history; a KPI's periods never overlap, so the periods that meet a
    window are one contiguous run of the sorted list.
    """

    periods: tuple[Period, ...]
    starts: tuple[dt.date, ...]
    ends: tuple[dt.date, ...]
    values: tuple[float, ...]
    disjoint: bool

    @classmethod
    def of(cls, series: Mapping[Period, float]) -> SortedSeries:
        """Index ``series`` (a KPI's values keyed by period)."""
        periods = tuple(series)
        starts = tuple(map(_PERIOD_START, periods))
        ends = tuple(map(_PERIOD_END, periods))
        # Each period ending before the next one starts: sorted and disjoint (the usual
        # case, values arrive in time order), checked in C.
        if all(map(operator.lt, ends[:-1], starts[1:])):
            return cls(periods, starts, ends, tuple(series.values()), disjoint=True)
        # Sorting on (start, end) tuples is the periods' own order, compared in C.
        items = sorted(series.items(), key=lambda item: (item[0].start, item[0].end))
        periods = tuple(p for p, _ in items)
        starts = tuple(p.start for p in periods)
        ends = tuple(p.end for p in periods)
        return cls(
            periods=periods,
            starts=starts,
            ends=ends,
            values=tuple(v for _, v in items),
            disjoint=all(map(operator.lt, ends[:-1], starts[1:])),
        )

    def pieces(self, window: Period) -> list[tuple[Period, float]]:
        """(period, value) of every period sharing a day with ``window``, in time order."""
        if not self.disjoint:
            return [(p, v) for p, v in zip(self.periods, self.values, strict=True)
                    if p.overlap_days(window) > 0]  # fmt: skip
        first = bisect_left(self.ends, window.start)
        stop = bisect_right(self.starts, window.end)
        return list(zip(self.periods[first:stop], self.values[first:stop], strict=True))

    def last_until(self, day: dt.date) -> float | None:
        """The value of the latest period starting on or before ``day`` (None if none)."""
        if not self.disjoint:
            earlier = [v for p, v in zip(self.periods, self.values, strict=True) if p.start <= day]
            return earlier[-1] if earlier else None
        stop = bisect_right(self.starts, day)
        return self.values[stop - 1] if stop else None


def actual_in_sorted(
    series: SortedSeries, window: Period, aggregation: Aggregation
) -> float | None:
    """:func:`actual_in_window` on an indexed series (same result, without a full scan)."""
    if aggregation is Aggregation.LAST:
        return series.last_until(window.end)
    if series.disjoint:
        first = bisect_left(series.ends, window.start)
        stop = bisect_right(series.starts, window.end)
        if (
            first < stop
            and series.starts[first] >= window.start
            and series.ends[stop - 1] <= window.end
        ):
            # Every period meeting the window lies wholly inside it (year to date, a
            # quarter of months): no share to work out.
            return aggregate_whole(
                series.periods[first:stop], series.values[first:stop], aggregation
            )
    return aggregate_over_window(series.pieces(window), window, aggregation)


def aggregate_whole(
    periods: Sequence[Period], values: Sequence[float], aggregation: Aggregation
) -> float | None:
    """:func:`aggregate_over_window` when each period lies wholly inside the window: the
    same arithmetic in the same order, so the same float."""
    if aggregation is Aggregation.SUM:
        days = [(p.end - p.start).days + 1 for p in periods]
        return sum([v * d / d for v, d in zip(values, days, strict=True)])
    return aggregate(values, aggregation)


def target_in_window(
    window: Period,
    interval: Interval,
    aggregation: Aggregation,
    targets: Sequence[TargetPoint],
    path: TargetPath | None,
    default: float | None,
    fiscal_year_start_month: int = 1,
) -> float | None:
    """The KPI's target over ``window``, aggregated the same way as its actual."""
    pieces: list[tuple[Period, float]] = []
    first = period_containing(window.start, interval, fiscal_year_start_month)
    # Most windows are one of the KPI's own periods (history rows, monthly views).
    overlapping: Iterable[Period] = (
        (first,)
        if first.end >= window.end
        else periods_overlapping(window, interval, fiscal_year_start_month)
    )
    for period in overlapping:
        value = target_for_period(period, targets, path, default)
        if value is None:
            return None
        pieces.append((period, value))
    if aggregation is Aggregation.COUNT:
        return float(len(pieces)) if pieces else None
    return aggregate_over_window(pieces, window, aggregation)


def overlap_days(a: Period, b: Period) -> int:
    """Days two periods share (0 when they do not meet)."""
    return a.overlap_days(b)


def periods_between(
    start: dt.date, end: dt.date, interval: Interval, fiscal_year_start_month: int = 1
) -> list[Period]:
    """Every period of ``interval`` that shares a day with ``start``..``end`` (both included)."""
    return list(periods_overlapping(Period(start, end), interval, fiscal_year_start_month))


def ytd_window(day: dt.date, fiscal_year_start_month: int = 1) -> Period:
    """From the first day of the fiscal year containing ``day`` up to ``day``."""
    return Period(fiscal_year_start(day, fiscal_year_start_month), day)


#: Partly covered periods count pro rata by days (another name for the same rule).
prorate = aggregate_over_window


def carry_forward(series: Mapping[Period, float], periods: Sequence[Period]) -> list[float | None]:
    """Each period's value, or the latest earlier value when it has none (for ``last`` KPIs).

    Only a level (headcount, a balance) may be carried forward: a sum or an
    average of a period without data is unknown, not last period's number.
    """
    ordered = sorted(series.items())
    out: list[float | None] = []
    for period in periods:
        earlier = [v for p, v in ordered if p.start <= period.start]
        out.append(earlier[-1] if earlier else None)
    return out


def window_values(
    spec: KpiSpec,
    measurements: Iterable[Measurement],
    targets: Sequence[TargetPoint],
    path: TargetPath | None,
    window: Period,
    fiscal_year_start_month: int = 1,
    as_of: dt.date | None = None,
) -> tuple[float | None, float | None]:
    """A KPI's actual and target over ``window``, both aggregated the KPI's way.

    Scores are computed from these two numbers afterwards (aggregate first, then
    score). Measurements of periods starting after ``as_of`` (default: the
    window's end) are ignored.
    """
    series = series_by_period(
        measurements, spec.interval, fiscal_year_start_month, as_of or window.end
    )
    actual = actual_in_window(series, window, spec.aggregation)
    target = target_in_window(
        window,
        spec.interval,
        spec.aggregation,
        targets,
        path,
        spec.target,
        fiscal_year_start_month,
    )
    return actual, target
