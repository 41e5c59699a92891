"""The period view's reading of monthly KPIs by position (issue 16, night): calculated
KPIs over inputs read by position (``Series.month_column``), their window values taken
from what ``compute()`` made, a target checked once (``scoring.score_sound``) and a path's
targets with its length worked out once (``periods.targets_on_path``): the same results,
to the bit, as the general way (``reference_evaluation``) and as the functions they stand
in for."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest

from scorecard.engine import monthly
from scorecard.engine import periods as pr
from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    ScorecardInput,
    ScorecardResult,
    evaluate_scorecard,
    reference_evaluation,
)
from scorecard.engine.scoring import config_problem, score_sound, score_value, validate_spec
from scorecard.engine.series import Series
from scorecard.engine.types import (
    Aggregation,
    FormulaMode,
    Interval,
    KpiSpec,
    Measurement,
    Optimization,
    TargetPath,
    TargetPoint,
    View,
)
from tests.engine.random_parts import SOUND_KINDS, THRESHOLDS, months

D = dt.date
AS_OF = D(2025, 12, 31)


def run_of(first: dt.date, values: list[float]) -> tuple[Measurement, ...]:
    return tuple(
        Measurement(day, v) for day, v in zip(months(first, len(values)), values, strict=True)
    )


def card_of(*kpis: KpiInput) -> ScorecardInput:
    return ScorecardInput(
        "s", "S", (PerspectiveInput("p", "P"),), (ObjectiveInput("o", "O", "p"),), kpis
    )


def entered(code: str, values: tuple[Measurement, ...], **fields: object) -> KpiInput:
    spec = KpiSpec(code, code.upper(), baseline=0.0, target=100.0, **fields)  # type: ignore[arg-type]
    return KpiInput(spec, "o", values)


def calculated(code: str, formula: str, **fields: object) -> KpiInput:
    spec = KpiSpec(code, code.upper(), baseline=0.0, target=2.0, formula=formula, **fields)  # type: ignore[arg-type]
    return KpiInput(spec, "o")


def assert_same(card: ScorecardInput, view: View = View.PERIOD) -> ScorecardResult:
    fast = evaluate_scorecard(card, as_of=AS_OF, view=view)
    reference = reference_evaluation(card, as_of=AS_OF, view=view)
    assert repr(fast) == repr(reference)
    return fast


# --- calculated KPIs over inputs read by position ---------------------------------------


def test_a_ratio_of_two_regular_inputs() -> None:
    a = entered("a", run_of(D(2021, 1, 1), [float(n % 7) for n in range(60)]))
    b = entered("b", run_of(D(2021, 1, 1), [float(n % 5) for n in range(60)]))
    result = assert_same(card_of(a, b, calculated("r", "a / b")))
    r = result.kpis["r"]
    assert r.value == (59 % 7) / (59 % 5)
    assert r.previous_value == (58 % 7) / (58 % 5)
    # b is zero in some months of the history: no value, no flag in the history rows.
    assert [row[1] for row in r.history].count(None) == 2


def test_division_by_zero_in_the_window_is_flagged() -> None:
    a = entered("a", run_of(D(2025, 1, 1), [1.0] * 12))
    b = entered("b", run_of(D(2025, 1, 1), [1.0] * 11 + [0.0]))
    r = assert_same(card_of(a, b, calculated("r", "a / b"))).kpis["r"]
    assert (r.value, r.flag, r.previous_value) == (None, "division_by_zero", 1.0)


def test_a_last_input_carries_its_value_into_months_without_data() -> None:
    # "a" stops in October: November and December have no data of any input, so the
    # formula is not computed there; the window's value is the general way's, with
    # October's level carried forward.
    a = entered(
        "a", run_of(D(2025, 1, 1), [10.0 * n for n in range(1, 11)]), aggregation=Aggregation.LAST
    )
    r = assert_same(card_of(a, calculated("r", "a * 2"))).kpis["r"]
    assert (r.value, r.previous_value) == (200.0, 200.0)
    assert [row[1] for row in r.history][-3:] == [200.0, None, None]


def test_inputs_of_every_shape() -> None:
    # A regular input, one with a gap, one with a mid-month day, one with nothing,
    # one whose data end before the history, and a formula over a formula.
    regular = entered("a", run_of(D(2020, 1, 1), [float(n) for n in range(72)]))
    gap = entered(
        "b", tuple(m for m in run_of(D(2025, 1, 1), [2.0] * 12) if m.period_start.month != 6)
    )
    mid = entered("c", (Measurement(D(2025, 12, 3), 4.0), Measurement(D(2025, 11, 1), 8.0)))
    empty = entered("d", ())
    old = entered("e", run_of(D(2019, 1, 1), [3.0] * 12), aggregation=Aggregation.LAST)
    card = card_of(
        regular,
        gap,
        mid,
        empty,
        old,
        calculated("r1", "a / b"),
        calculated("r2", "a + c"),
        calculated("r3", "a - d"),
        calculated("r4", "a * e"),
        calculated("r5", "r1 + r4", formula_mode=FormulaMode.AGGREGATE_RESULTS),
    )
    result = assert_same(card)
    assert result.kpis["r1"].history[5][1] is None  # June: b has no value
    assert result.kpis["r4"].value == 71.0 * 3.0  # e's 2019 level carried forward
    assert result.kpis["r3"].value is None
    for view in View:
        assert_same(card, view)


def test_a_code_given_twice_reads_the_last_one() -> None:
    # The last KPI of a code is the one read: here it has no measurements, so the
    # formula over it has no value, although the first one of that code has data.
    first = entered("a", run_of(D(2025, 1, 1), [10.0] * 12))
    second = entered("a", ())
    result = assert_same(card_of(first, second, calculated("r", "a + 1")))
    assert result.kpis["r"].value is None


def test_a_weekly_formula_over_a_monthly_input() -> None:
    # Weeks are not months: the input is read through its values keyed by period.
    a = entered("a", run_of(D(2025, 1, 1), [31.0] * 12))
    weekly = KpiInput(
        KpiSpec("w", "W", baseline=0.0, target=2.0, formula="a / 31", interval=Interval.WEEK),
        "o",
    )
    assert_same(card_of(a, weekly))


def test_month_column_reads_by_position() -> None:
    measurements = run_of(D(2025, 3, 1), [1.0, 2.0, 3.0])
    spec = KpiSpec("a", "A")
    series = Series([(spec, measurements, ())], {"a": None}, 1, AS_OF, lazy=True)
    january = pr.Period(D(2025, 1, 1), D(2025, 1, 31))
    april = pr.Period(D(2025, 4, 1), D(2025, 4, 30))
    june = pr.Period(D(2025, 6, 1), D(2025, 6, 30))
    assert series.month_column("a", [january, april, june]) == [None, 2.0, None]
    # Not a calendar month, or not read lazily: no column (the keyed values serve).
    week = pr.Period(D(2025, 4, 1), D(2025, 4, 7))
    assert series.month_column("a", [week]) is None
    keyed = Series([(spec, measurements, ())], {"a": None}, 1, AS_OF)
    assert keyed.month_column("a", [april]) is None


def test_regular_run_and_values_from() -> None:
    measurements = run_of(D(2025, 11, 1), [5.0, 6.0])
    first = monthly.regular_run(measurements, AS_OF)
    assert first == 2025 * 12 + 10
    starts = months(D(2025, 10, 1), 4)
    assert monthly.values_from(measurements, first, starts) == [None, 5.0, 6.0, None]
    assert monthly.regular_run(measurements, D(2025, 11, 30)) is None  # December is later
    assert monthly.regular_run(measurements[::-1], AS_OF) is None


# --- a target checked once ---------------------------------------------------------------

VALUES = [None, 0.0, -0.0, 50.0, 99.999, 100.0, 130.0, -20.0, 1e308, math.inf, 1e-310]


#: Scored kinds (information-only KPIs are "not applicable" before any scoring).
SCORED = [(o, f) for o, f in SOUND_KINDS if o is not Optimization.NONE]


@pytest.mark.parametrize("kind", range(len(SCORED)))
@pytest.mark.parametrize("thresholds", range(len(THRESHOLDS)))
def test_score_sound_is_score_value_for_a_sound_target(kind: int, thresholds: int) -> None:
    optimization, fields = SCORED[kind]
    spec = KpiSpec("k", "K", optimization, thresholds=THRESHOLDS[thresholds], **fields)
    targets = [t for t in (0.0, -0.0, 50.0, 120.0, 1e308) if config_problem(spec, t) is None]
    assert targets, "every sound kind can be scored against some target"
    for target in targets:
        for value in VALUES:
            expected = score_value(spec, value, target)
            found = score_sound(spec, value, target)
            assert repr(found) == repr(
                (expected.performance, expected.progress, expected.status, expected.error)
            )


def test_the_shortcut_skips_the_check_only_for_the_validated_default() -> None:
    # The default target 0.0 of a percent-of-target KPI cannot be scored: validate_spec
    # says so, and the KPI never reaches the shortcut's unchecked scoring.
    spec = KpiSpec("a", "A", Optimization.PERCENT_OF_TARGET, target=0.0)
    assert validate_spec(spec)
    kpi = KpiInput(spec, "o", run_of(D(2025, 1, 1), [1.0] * 12))
    assert assert_same(card_of(kpi)).kpis["a"].status == "error"
    # Target points of -0.0 and 5.0 against a default of 5.0: the window's -0.0 is
    # checked (and refused), its 5.0 is the default's.

    sound = KpiSpec("b", "B", Optimization.PERCENT_OF_TARGET, target=5.0)
    for point, status in ((-0.0, "error"), (5.0, "red")):
        b = KpiInput(
            sound, "o", run_of(D(2025, 1, 1), [1.0] * 12), (TargetPoint(D(2025, 12, 1), point),)
        )
        assert assert_same(card_of(b)).kpis["b"].status == status


# --- a path's targets -------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_targets_on_path_is_target_on_path_each_day(seed: int) -> None:
    rng = random.Random(seed)
    start = D(rng.choice([2023, 2024]), rng.randrange(1, 13), rng.choice([1, 15, 28, 29, 31][:3]))
    end = start + dt.timedelta(days=rng.randrange(0, 900))
    path = TargetPath(start, rng.choice([0.0, -0.0, 80.0, 1e308]), end, rng.choice([160.0, -5.0]))
    days = [start + dt.timedelta(days=n) for n in range(-40, 1000, rng.choice([1, 7, 29]))]
    expected = [pr.target_on_path(path, day) for day in days]
    assert repr(pr.targets_on_path(path, days)) == repr(expected)


# --- each period's target (eng5: points bisected at C speed) ----------------------------


@pytest.mark.parametrize("seed", range(30))
def test_target_points_are_target_for_period(seed: int) -> None:
    """``Series._target_points`` (every period's point bisected at once) gives each
    period's :func:`periods.target_for_period`: points unsorted, several on one day, in
    mid-month, before and after the periods; with and without a path and a default."""
    rng = random.Random(seed)
    points = tuple(
        TargetPoint(D(2024, 1, 1) + dt.timedelta(days=rng.randrange(-60, 800)), rng.random())
        for _ in range(rng.randint(0, 6))
    )
    if points and rng.random() < 0.3:  # a second point on a day that has one
        points += (TargetPoint(rng.choice(points).period_start, -1.0),)
    path = rng.choice([None, TargetPath(D(2024, 3, 15), 10.0, D(2025, 9, 30), 70.0)])
    default = rng.choice([None, 5.0, -0.0])
    spec = KpiSpec("k", "K", target=default, interval=rng.choice([Interval.MONTH, Interval.WEEK]))
    series = Series([(spec, (), points)], {"k": path}, 1, AS_OF)
    periods = [pr.period_containing(D(2023, 11, 1), spec.interval, 1)]
    for _ in range(40):
        periods.append(pr.next_period(periods[-1], spec.interval, 1))
    expected = [pr.target_for_period(p, points, path, default) for p in periods]
    assert repr(series._target_points("k", periods)) == repr(expected)
