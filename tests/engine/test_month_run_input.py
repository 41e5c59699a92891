"""Measurements that come checked (``engine.monthly.MonthRun``, made by the adapter through
``monthly.measured``): the constructor refuses anything but one measurement per
consecutive month on its first day, in order; the run is the same tuple in every other
respect and cannot be changed; and every evaluation of inputs made of runs gives the
same results, to the bit, as the same inputs as plain tuples (which the evaluation checks
itself), in every view, both ways."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import random
from dataclasses import replace

import pytest

from scorecard.engine import monthly
from scorecard.engine.evaluate import (
    KpiInput,
    ScorecardInput,
    evaluate_scorecard,
    reference_evaluation,
)
from scorecard.engine.periods import Period
from scorecard.engine.series import Series
from scorecard.engine.types import KpiSpec, Measurement, View
from tests.engine.random_parts import months
from tests.engine.test_monthly_shortcut import random_scorecard

D = dt.date
AS_OF = D(2025, 12, 31)


def run_of(first: dt.date, values: list[float]) -> tuple[Measurement, ...]:
    return tuple(
        Measurement(day, v) for day, v in zip(months(first, len(values)), values, strict=True)
    )


def test_a_run_is_made_of_consecutive_first_days_only() -> None:
    good = run_of(D(2024, 11, 1), [1.0, 2.0, 3.0])
    run = monthly.MonthRun(good)
    assert run.first == monthly.month_index(D(2024, 11, 1))
    assert run.last == D(2025, 1, 1)
    assert run.values == (1.0, 2.0, 3.0)
    gap = (good[0], good[2])
    mid_month = (*good[:2], Measurement(D(2025, 1, 2), 3.0))
    repeated = (*good, good[-1])
    reversed_ = good[::-1]
    for bad in ((), gap, mid_month, repeated, reversed_, (Measurement(D(2025, 1, 15), 1.0),)):
        with pytest.raises(ValueError):
            monthly.MonthRun(bad)
        made = monthly.measured(bad)
        assert type(made) is tuple and made == bad
    made = monthly.measured(iter(good))
    assert type(made) is monthly.MonthRun and made == good


def test_a_run_is_the_same_tuple_and_cannot_change() -> None:
    good = run_of(D(2025, 1, 1), [1.0, -0.0, 3.5])
    run = monthly.MonthRun(good)
    assert run == good and hash(run) == hash(good) and repr(run) == repr(good)
    assert type(run[1:]) is tuple and run[1:] == good[1:]
    for name in ("first", "last", "values", "other"):
        with pytest.raises(AttributeError):
            setattr(run, name, 0)
        with pytest.raises(AttributeError):
            delattr(run, name)
    # Pickled (the cache keeps inputs) and copied as the plain tuple, read as before.
    for twin in (pickle.loads(pickle.dumps(run)), copy.copy(run), copy.deepcopy(run)):
        assert type(twin) is tuple and twin == good


def test_a_run_is_read_as_the_evaluation_would_check_it() -> None:
    """regular_run trusts the run's months but still compares its last day with the
    as-of date; values_from and Series.month_column read the same values by position."""
    plain = run_of(D(2025, 11, 1), [5.0, 6.0])
    run = monthly.MonthRun(plain)
    for as_of in (AS_OF, D(2025, 11, 30), D(2025, 11, 1), D(2024, 1, 1)):
        assert monthly.regular_run(run, as_of) == monthly.regular_run(plain, as_of)
    first = monthly.month_index(D(2025, 11, 1))
    for starts in (months(D(2025, 10, 1), 4), months(D(2025, 11, 1), 2), months(D(2026, 1, 1), 3)):
        assert list(monthly.values_from(run, first, starts)) == list(
            monthly.values_from(plain, first, starts)
        )
    spec = KpiSpec("a", "A")
    periods = [
        Period(day, monthly.month_run(day, 2)[1] - dt.timedelta(days=1))
        for day in months(D(2025, 9, 1), 5)
    ]
    columns = [
        Series([(spec, m, ())], {"a": None}, 1, AS_OF, lazy=True).month_column("a", periods)
        for m in (plain, run)
    ]
    assert columns[0] == columns[1] == [None, None, 5.0, 6.0, None]


def as_runs(card: ScorecardInput) -> tuple[ScorecardInput, int]:
    """The scorecard with every KPI's measurements made by ``monthly.measured`` (as the
    adapter makes them), and how many became runs."""
    kpis = tuple(replace(k, measurements=monthly.measured(k.measurements)) for k in card.kpis)
    return replace(card, kpis=kpis), sum(type(k.measurements) is monthly.MonthRun for k in kpis)


@pytest.mark.parametrize("seed", range(6))
def test_runs_give_the_same_results_as_plain_tuples(seed: int) -> None:
    rng = random.Random(5000 + seed)
    runs = 0
    for s in range(3):
        card = random_scorecard(rng, s, weekly=s == 2)
        checked, made = as_runs(card)
        runs += made
        assert checked == card  # the same inputs, compared as plain tuples
        for as_of in (AS_OF, D(2025, 12, 15), D(2025, 1, 31), D(2024, 3, 1)):
            for view in View:
                for evaluate in (evaluate_scorecard, reference_evaluation):
                    expected = evaluate(card, as_of=as_of, view=view)
                    assert repr(evaluate(checked, as_of=as_of, view=view)) == repr(expected)
    assert runs > 40  # most random KPIs have the shape (and some do not)


def test_consecutive_months_only_for_calendar_months_in_a_row() -> None:
    from scorecard.engine.series import _consecutive_months

    def month(day: dt.date) -> Period:
        return Period(day, monthly.month_run(day, 2)[1] - dt.timedelta(days=1))

    run = [month(day) for day in months(D(2024, 11, 1), 4)]
    assert _consecutive_months(run) is run
    assert _consecutive_months(run[:1]) is not None
    assert _consecutive_months([]) is None
    assert _consecutive_months([run[0], run[2]]) is None  # a gap
    assert _consecutive_months(run[::-1]) is None  # out of order
    assert _consecutive_months([*run, run[-1]]) is None  # a month twice
    assert _consecutive_months([Period(D(2025, 1, 1), D(2025, 1, 7))]) is None  # a week
    assert _consecutive_months([Period(D(2025, 1, 1), D(2025, 3, 31))]) is None  # a quarter


def test_calculated_kpis_over_runs_that_cover_the_history() -> None:
    """The benchmark's shape: inputs with sixty months ending with the window's, read as
    one slice per input (Series.month_column over the history's consecutive months), one
    input with a short run (read month by month) and one with a month too late (checked
    against the as-of date): the same results as plain tuples and as the general way,
    and the ratio's values worked out by hand."""
    from tests.engine.test_monthly_shortcut import card_of, entered

    a_values = [float(n % 7) for n in range(60)]
    b_values = [float(n % 5) for n in range(60)]
    a = entered("a", run_of(D(2021, 1, 1), a_values))
    b = entered("b", run_of(D(2021, 1, 1), b_values))
    c = entered("c", run_of(D(2025, 6, 1), [4.0] * 7))  # June to December 2025
    late = entered("d", run_of(D(2025, 1, 1), [3.0] * 13))  # January 2026 is after the as-of
    ratio = KpiInput(KpiSpec("r", "R", baseline=0.0, target=2.0, formula="a / b * 100"), "o")
    total = KpiInput(KpiSpec("t", "T", baseline=0.0, target=2.0, formula="a + c + d"), "o")
    card = card_of(a, b, c, late, ratio, total)
    checked, made = as_runs(card)
    assert made == 4
    for evaluate in (evaluate_scorecard, reference_evaluation):
        assert repr(evaluate(checked, as_of=AS_OF)) == repr(evaluate(card, as_of=AS_OF))
    result = evaluate_scorecard(checked, as_of=AS_OF)
    assert repr(result) == repr(reference_evaluation(card, as_of=AS_OF))
    # 2025's months are the last twelve of sixty: a's and b's values 48 to 59.
    expected = [
        None if b_values[n] == 0 else a_values[n] / b_values[n] * 100 for n in range(48, 60)
    ]
    assert [row[1] for row in result.kpis["r"].history] == expected
    assert result.kpis["r"].value == expected[-1]
    totals = [row[1] for row in result.kpis["t"].history]
    assert totals[5:] == [a_values[n] + 4.0 + 3.0 for n in range(53, 60)]
    assert totals[:5] == [None] * 5  # c has no value before June
