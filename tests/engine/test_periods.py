"""Periods, windows, carry-forward and targets over time."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.engine import periods as pr
from scorecard.engine.types import (
    Aggregation,
    Interval,
    KpiSpec,
    Measurement,
    TargetPath,
    TargetPoint,
)

approx = pytest.approx
D = dt.date


def _month(year: int, month: int) -> pr.Period:
    return pr.period_containing(D(year, month, 1), Interval.MONTH)


@pytest.mark.parametrize(
    ("aggregation", "values", "expected"),
    [
        (Aggregation.SUM, [1, 2, 3], 6),
        (Aggregation.AVERAGE, [1, 2, 3], 2),
        (Aggregation.LAST, [1, 3, 2], 2),
        (Aggregation.MIN, [4, 1, 3], 1),
        (Aggregation.MAX, [4, 1, 3], 4),
        (Aggregation.COUNT, [4, 1, 3], 3),
        # Nothing to aggregate is unknown, never zero — even for a count.
        (Aggregation.SUM, [], None),
        (Aggregation.COUNT, [], None),
    ],
)
def test_aggregate(aggregation: Aggregation, values: list[float], expected) -> None:
    assert pr.aggregate(values, aggregation) == expected


def test_periods_between_and_overlap() -> None:
    months = pr.periods_between(D(2026, 1, 16), D(2026, 3, 1), Interval.MONTH)
    assert [p.start for p in months] == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    assert pr.overlap_days(months[0], pr.Period(D(2026, 1, 16), D(2026, 2, 10))) == 16
    assert pr.overlap_days(months[2], months[0]) == 0


def test_next_and_previous_period_follow_the_fiscal_year() -> None:
    q = pr.period_containing(D(2026, 5, 10), Interval.QUARTER, fiscal_year_start_month=4)
    assert (q.start, q.end) == (D(2026, 4, 1), D(2026, 6, 30))
    assert pr.next_period(q, Interval.QUARTER, 4).start == D(2026, 7, 1)
    assert pr.previous_period(q, Interval.QUARTER, 4).start == D(2026, 1, 1)


@pytest.mark.parametrize(
    ("as_of", "fy", "start"),
    [(D(2026, 3, 15), 1, D(2026, 1, 1)), (D(2026, 3, 15), 4, D(2025, 4, 1))],
)
def test_ytd_window(as_of: dt.date, fy: int, start: dt.date) -> None:
    assert pr.ytd_window(as_of, fy) == pr.Period(start, as_of)


def test_carry_forward_fills_gaps_only_from_the_past() -> None:
    series = {_month(2026, 2): 50.0, _month(2026, 4): 52.0}
    months = [_month(2026, m) for m in (1, 2, 3, 4, 5)]
    assert pr.carry_forward(series, months) == [None, 50, 50, 52, 52]


def test_sum_and_average_do_not_carry_forward() -> None:
    series = {_month(2026, 1): 10.0}
    assert pr.actual_in_window(series, _month(2026, 2), Aggregation.SUM) is None
    assert pr.actual_in_window(series, _month(2026, 2), Aggregation.AVERAGE) is None
    assert pr.actual_in_window(series, _month(2026, 2), Aggregation.LAST) == 10


def test_target_points_need_not_be_sorted() -> None:
    points = [TargetPoint(D(2026, 6, 1), 20), TargetPoint(D(2026, 1, 1), 10)]
    assert pr.target_for_period(_month(2026, 3), points, None, None) == 10
    assert pr.target_for_period(_month(2026, 8), points, None, None) == 20


def test_target_points_win_over_the_path_and_the_path_over_the_default() -> None:
    path = TargetPath(D(2026, 1, 1), 0, D(2026, 12, 31), 12)
    assert pr.target_for_period(_month(2026, 6), [], path, 99) == approx(6)
    assert pr.target_for_period(_month(2026, 6), [], None, 99) == 99
    points = [TargetPoint(D(2026, 5, 1), 7)]
    assert pr.target_for_period(_month(2026, 6), points, path, 99) == 7


def test_window_values_aggregates_actual_and_target_the_same_way() -> None:
    spec = KpiSpec("s", "Sales", aggregation=Aggregation.SUM, target=100)
    measurements = [Measurement(D(2026, m, 1), v) for m, v in ((1, 10), (2, 90), (4, 1000))]
    targets = [TargetPoint(D(2026, 1, 1), 20), TargetPoint(D(2026, 2, 1), 60)]
    window = pr.Period(D(2026, 1, 1), D(2026, 3, 31))
    # March has no value (a sum does not carry forward); its target is inherited (60).
    assert pr.window_values(spec, measurements, targets, None, window) == (100, 140)


def test_window_values_ignores_periods_starting_after_as_of() -> None:
    spec = KpiSpec("s", "Sales", aggregation=Aggregation.SUM, target=10)
    measurements = [Measurement(D(2026, 1, 1), 5), Measurement(D(2026, 2, 1), 7)]
    window = pr.Period(D(2026, 1, 1), D(2026, 3, 31))
    actual, _ = pr.window_values(spec, measurements, [], None, window, as_of=D(2026, 1, 31))
    assert actual == 5


def test_prorate_is_the_day_weighted_rule() -> None:
    jan = _month(2026, 1)
    assert pr.prorate([(jan, 31.0)], pr.Period(D(2026, 1, 1), D(2026, 1, 10)), Aggregation.SUM) == (
        approx(10)
    )
