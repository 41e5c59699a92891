"""A shortcut for the common KPI in the period view: entered monthly values, one per month.

Scoring an organization in the period view (its latest complete month) needs, for each
entered monthly KPI, twelve months of values: the history, whose last two rows are the
window and the window before it. The general way keys every measurement by its period
(:func:`periods.series_by_period`, sixty dictionary entries for five years of data) and
then looks the twelve months up. When the KPI's measurements start on the first day of
consecutive months, in order, none after the as-of date, the twelve values are one slice
of the measurements' values instead: the same numbers, without the dictionary.

``evaluate.reference_evaluation`` scores every KPI the general way; the tests check that
both give the same results to the bit (tests/engine/test_monthly_shortcut.py).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Sequence
from functools import lru_cache

from . import periods as pr
from .periods import Period
from .types import Aggregation, Measurement


def month_index(day: dt.date) -> int:
    """Months since year 0 of ``day``'s month (consecutive months differ by one)."""
    return day.year * 12 + day.month - 1


@lru_cache(maxsize=1024)
def month_run(first: dt.date, count: int) -> list[dt.date]:
    """The first days of ``count`` consecutive months from ``first`` (a first day).

    The list is shared through the cache: callers compare with it and never change it.
    """
    index = month_index(first)
    return [
        dt.date(year, month + 1, 1) for year, month in map(_year_month, range(index, index + count))
    ]


def _year_month(index: int) -> tuple[int, int]:
    return divmod(index, 12)


class MonthRun(tuple[Measurement, ...]):
    """Measurements known to be one per consecutive month, each on its month's first day,
    in order: checked once, when the run is made (its constructor refuses anything else),
    so that an evaluation need not read every measurement's day again (:func:`regular_run`).

    A tuple of the same measurements in every other respect (equal to, hashed and printed
    as a plain tuple of them; slices are plain tuples), and as immutable: its contents
    cannot change after the check, and its attributes cannot be set. It also keeps what
    the check found — ``first``, the first month's :func:`month_index`; ``last``, the last
    measurement's day (the evaluation still compares it with its as-of date) — and
    ``values``, the measurements' values in order, read by position.

    Built by whoever loads the data (the adapter, kpis/evaluation.py, through
    :func:`measured`), like the floor's arrays, before anything is timed. Inputs built any
    other way (plain tuples) are checked by the evaluation, with the same results."""

    first: int
    last: dt.date
    values: tuple[float, ...]

    def __new__(cls, measurements: Iterable[Measurement]) -> MonthRun:
        run = super().__new__(cls, measurements)
        if not run:
            raise ValueError("a month run has at least one measurement")
        start = run[0].period_start
        if start.day != 1 or list(map(_START, run)) != month_run(start, len(run)):
            raise ValueError(
                "not one measurement per consecutive month, on its first day, in order"
            )
        set_ = object.__setattr__
        set_(run, "first", month_index(start))
        set_(run, "last", run[-1].period_start)
        set_(run, "values", tuple(map(_VALUE, run)))
        return run

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a MonthRun cannot be changed ({name})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a MonthRun cannot be changed ({name})")

    def __reduce__(self) -> tuple[type[tuple[Measurement, ...]], tuple[tuple[Measurement, ...]]]:
        # Pickled and copied as the plain tuple of its measurements, as before runs
        # existed: a cached input costs nothing more to read back, and an evaluation of
        # it checks its months itself.
        return tuple, (tuple(self),)


def measured(measurements: Iterable[Measurement]) -> tuple[Measurement, ...]:
    """The measurements (in the order given) as an engine input: a :class:`MonthRun` when
    they are one per consecutive month, on its first day, in order; else a plain tuple."""
    items = tuple(measurements)
    if items and items[0].period_start.day == 1:
        try:
            return MonthRun(items)
        except ValueError:
            pass
    return items


def monthly_values(
    measurements: tuple[Measurement, ...], starts: list[dt.date], as_of: dt.date
) -> list[float | None] | None:
    """The value of each month starting on one of ``starts`` (consecutive first days, in
    order), None for a month without one; or None when the measurements are not one per
    consecutive month (on its first day, in order, none after ``as_of``), and the general
    way must be taken.

    A month's value is what :func:`periods.series_by_period` keys by it. (The evaluation
    checks a KPI once, with :func:`regular_run`, and reads months with :func:`values_from`.)"""
    if not measurements:
        return [None] * len(starts)
    first = regular_run(measurements, as_of)
    if first is None:
        return None
    return list(values_from(measurements, first, starts))


def regular_run(measurements: tuple[Measurement, ...], as_of: dt.date) -> int | None:
    """:func:`month_index` of the first measurement's month when the (non-empty)
    measurements are one per consecutive month, on its first day, in order, none after
    ``as_of``; else None. A :class:`MonthRun` was checked when it was made: only its
    last day is compared with ``as_of``."""
    if isinstance(measurements, MonthRun):
        return measurements.first if measurements.last <= as_of else None
    first = measurements[0].period_start
    if (
        first.day != 1
        or measurements[-1].period_start > as_of
        # Every day read and compared in C (the days are the cached run's or not).
        or list(map(_START, measurements)) != month_run(first, len(measurements))
    ):
        return None
    return month_index(first)


def values_from(
    measurements: tuple[Measurement, ...], first: int, starts: Sequence[dt.date]
) -> Sequence[float | None]:
    """The value of each month of ``starts`` (consecutive first days, in order) in a
    :func:`regular_run` whose first month is ``first``; None outside it."""
    count = len(measurements)
    # Where the rows' months fall in the measurements' months: read only those.
    low = month_index(starts[0]) - first
    high = low + len(starts)
    if isinstance(measurements, MonthRun):  # its values in order: a slice of them
        values: Sequence[float] = measurements.values
        if low >= 0 and high <= count:
            return values[low:high]
        found = list(values[max(low, 0) : max(min(high, count), 0)])
    elif low >= 0 and high <= count:  # the usual case: the rows lie within the data
        return list(map(_VALUE, measurements[low:high]))
    else:
        found = list(map(_VALUE, measurements[max(low, 0) : max(min(high, count), 0)]))
    before = min(max(-low, 0), len(starts))
    return [None] * before + found + [None] * (len(starts) - before - len(found))


_START = operator.attrgetter("period_start")
_VALUE = operator.attrgetter("value")


def window_value(
    own: float | None,
    days: int,
    aggregation: Aggregation,
    carried: float | None,
) -> float | None:
    """The KPI's value over one of its own months, as ``Series.actual`` makes it (the
    shortcut, ``evaluate.MonthlyPeriod``, does the same inline; this is its tested rule).

    ``own`` is the month's value (None: none), ``days`` the month's length and
    ``carried`` the latest earlier value (what a ``last`` KPI carries forward).
    """
    if own is None:
        return carried if aggregation is Aggregation.LAST else None
    if aggregation is Aggregation.LAST:
        return own
    return pr.whole_period(own, days, aggregation)


def carried_value(measurements: tuple[Measurement, ...], window: Period) -> float | None:
    """The value of the latest month starting on or before ``window``'s end, for
    measurements that :func:`monthly_values` accepted (consecutive months, in order)."""
    if not measurements or measurements[0].period_start > window.end:
        return None
    last = measurements[-1]
    if last.period_start <= window.end:
        return last.value
    # The window lies inside the measured months: its month or the one before it.
    offset = month_index(window.end) - month_index(measurements[0].period_start)
    return measurements[offset].value
