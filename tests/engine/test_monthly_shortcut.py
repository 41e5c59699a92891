"""The period view's shortcut for entered monthly KPIs (engine.monthly) and the twelve
months calculated KPIs are computed over: the same results, to the bit, as the general
way (``reference_evaluation``), on random organizations and on worked examples."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest

from scorecard.engine import monthly
from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    RollupSettings,
    ScorecardInput,
    ScorecardResult,
    evaluate_scorecard,
    reference_evaluation,
)
from scorecard.engine.periods import Period
from scorecard.engine.types import (
    Aggregation,
    Aggregator,
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
    View,
)
from tests.engine.random_parts import FORMULAS, SOUND_KINDS, THRESHOLDS, months

D = dt.date
AS_OF = D(2025, 12, 31)


def assert_same(card: ScorecardInput, as_of: dt.date, view: View = View.PERIOD) -> ScorecardResult:
    """Both ways give the same result, every field of every KPI and node (repr: floats to
    the bit, -0.0 apart from 0.0)."""
    fast = evaluate_scorecard(card, as_of=as_of, view=view)
    reference = reference_evaluation(card, as_of=as_of, view=view)
    for code, result in reference.kpis.items():
        assert repr(fast.kpis[code]) == repr(result), code
    assert repr(fast) == repr(reference)
    return fast


# --- random organizations --------------------------------------------------------------

KINDS = [
    *SOUND_KINDS,
    (Optimization.MAXIMIZE, {"baseline": 100.0}),  # scored only where a target is set
    (Optimization.MAXIMIZE, {"baseline": 0.0, "target": -0.0}),  # an empty scale: an error
    (Optimization.MAXIMIZE, {"baseline": -0.0, "target": 1e308}),
    (Optimization.PERCENT_OF_TARGET, {}),  # needs targets per period
    (Optimization.EXACT, {"target": 0.0, "tolerance": 1e-300}),
]
VALUES = [0.0, -0.0, 50.0, 80.0, 100.0, 120.0, 1e-310, 1e308, -7.25, math.inf, 3.0]


def random_measurements(rng: random.Random) -> tuple[Measurement, ...]:
    """Mostly one value per consecutive month (the shortcut's shape) starting and ending
    anywhere around the window; sometimes a gap, a mid-month day, a month given twice, a
    month after the as-of date or months out of order (the general way)."""
    first = D(rng.choice([2019, 2023, 2024, 2025]), rng.randrange(1, 13), 1)
    days = months(first, rng.choice([0, 1, 2, 5, 11, 12, 13, 30, 60]))
    shape = rng.random()
    if days and shape < 0.08:
        days.pop(rng.randrange(len(days)))
    elif days and shape < 0.12:
        days[-1] = days[-1] + dt.timedelta(days=3)
    elif days and shape < 0.16:
        days.append(days[-1])
    elif days and shape < 0.20:
        days.reverse()
    return tuple(
        Measurement(day, rng.choice(VALUES) * rng.choice([1.0, rng.uniform(0.9, 1.1)]))
        for day in days
    )


def random_scorecard(rng: random.Random, s: int, *, weekly: bool = False) -> ScorecardInput:
    perspectives = tuple(
        PerspectiveInput(f"p{i}", f"Perspective {i}", rng.choice([1.0, 2.0, 0.0])) for i in range(3)
    )
    objectives = tuple(
        ObjectiveInput(f"o{j}", f"Objective {j}", f"p{j % 3}", rng.choice([1.0, 2.0]))
        for j in range(6)
    )
    kpis: list[KpiInput] = []
    for i in range(40):
        code = f"k{i:02d}"
        optimization, fields = rng.choice(KINDS)
        formula = None
        if i >= 8 and rng.random() < 0.25:
            a, b = rng.sample([k.spec.code for k in kpis], 2)
            formula = rng.choice(FORMULAS).format(a=a, b=b)
        targets: tuple[TargetPoint, ...] = ()
        if rng.random() < 0.2:
            targets = tuple(
                TargetPoint(D(year, rng.choice([1, 4, 7]), rng.choice([1, 1, 15])), v)
                for year, v in zip(
                    (2023, 2024, 2025), rng.sample([0.0, -0.0, 90.0, 110.0], 3), strict=True
                )
                if rng.random() < 0.7
            )
        path = None
        if rng.random() < 0.15:
            path = TargetPath(D(2024, 1, 15), 80.0, D(2025, 12, 31), 160.0)
        spec = KpiSpec(
            code=code,
            name=f"KPI {i}",
            optimization=optimization,
            weight=rng.choice([1.0, 2.0, 0.5, 1.0]),
            interval=Interval.WEEK if weekly and i % 9 == 4 else Interval.MONTH,
            aggregation=rng.choice(list(Aggregation)),
            indicator=rng.choice(list(Indicator)),
            thresholds=rng.choice(THRESHOLDS),
            formula=formula,
            formula_mode=rng.choice([FormulaMode.EQUATION, FormulaMode.AGGREGATE_RESULTS]),
            unit=rng.choice(["", "%", "k€"]),
            target_aggregation=rng.choice(
                [TargetAggregation.AUTO] * 3 + [TargetAggregation.EQUATION, TargetAggregation.SUM]
            ),
            **fields,  # type: ignore[arg-type]
        )
        if rng.random() < 0.1:
            # The default target of many KPIs alike, or a default of -0.0.
            spec = KpiSpec(**{**spec.__dict__, "target": rng.choice([None, -0.0, 0.0, 200.0])})
        kpis.append(KpiInput(spec, f"o{rng.randrange(7)}", random_measurements(rng), targets, path))
    settings = RollupSettings(
        aggregator=rng.choice(list(Aggregator)),
        missing=rng.choice(list(MissingPolicy)),
        min_coverage=rng.choice([0.0, 0.5]),
    )
    return ScorecardInput(
        key=f"sc{s}",
        name=f"Scorecard {s}",
        perspectives=perspectives,
        objectives=objectives,
        kpis=tuple(kpis),
        settings=settings,
        fiscal_year_start_month=rng.choice([1, 4, 7]),
    )


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("as_of", [AS_OF, D(2025, 12, 15), D(2025, 1, 31), D(2024, 3, 1)])
def test_the_shortcut_equals_the_general_way_on_random_organizations(
    seed: int, as_of: dt.date
) -> None:
    rng = random.Random(seed)
    for s in range(3):
        assert_same(random_scorecard(rng, s), as_of)


@pytest.mark.parametrize("seed", range(6))
def test_the_same_with_weekly_kpis_and_in_other_views(seed: int) -> None:
    rng = random.Random(1000 + seed)
    card = random_scorecard(rng, 0, weekly=True)
    for view in View:
        assert_same(card, AS_OF, view)
    assert_same(random_scorecard(rng, 1), AS_OF, View.YTD)


def test_most_random_kpis_take_the_shortcut() -> None:
    """The agreement above means something only if the shortcut is taken: most entered
    KPIs of the random organizations have the shortcut's shape."""
    rng = random.Random(7)
    taken = refused = 0
    for s in range(20):
        for kpi in random_scorecard(rng, s).kpis:
            window_months = months(D(2025, 1, 1), 12)
            found = monthly.monthly_values(kpi.measurements, window_months, AS_OF)
            taken += found is not None
            refused += found is None
    assert taken > refused > 0


# --- worked examples -------------------------------------------------------------------

HISTORY = months(D(2025, 1, 1), 12)  # the history of the period view as of 2025-12-31


def run_of(first: dt.date, values: list[float]) -> tuple[Measurement, ...]:
    return tuple(
        Measurement(day, v) for day, v in zip(months(first, len(values)), values, strict=True)
    )


@pytest.mark.parametrize(
    ("measurements", "expected"),
    [
        # No measurements: twelve empty months.
        ((), [None] * 12),
        # Exactly the history's twelve months.
        (run_of(D(2025, 1, 1), [float(n) for n in range(12)]), [float(n) for n in range(12)]),
        # Starting inside the history: the months before have no value.
        (run_of(D(2025, 10, 1), [1.0, -0.0, 3.0]), [None] * 9 + [1.0, -0.0, 3.0]),
        # Ending inside the history: the months after have no value.
        (run_of(D(2024, 11, 1), [5.0, 6.0, 7.0, math.inf]), [7.0, math.inf] + [None] * 10),
        # Wholly before or after the history.
        (run_of(D(2020, 1, 1), [1.0, 2.0]), [None] * 12),
        (run_of(D(2026, 1, 1), [1.0]), None),  # after the as-of date: the general way
        # Not the shortcut's shape: a gap, a day other than the first, a month twice.
        ((Measurement(D(2025, 1, 1), 1.0), Measurement(D(2025, 3, 1), 2.0)), None),
        ((Measurement(D(2025, 1, 2), 1.0),), None),
        ((Measurement(D(2025, 1, 1), 1.0), Measurement(D(2025, 1, 1), 2.0)), None),
        ((Measurement(D(2025, 2, 1), 1.0), Measurement(D(2025, 1, 1), 2.0)), None),
    ],
)
def test_monthly_values(
    measurements: tuple[Measurement, ...], expected: list[float | None] | None
) -> None:
    found = monthly.monthly_values(measurements, HISTORY, AS_OF)
    assert repr(found) == repr(expected)


@pytest.mark.parametrize(
    ("own", "days", "aggregation", "carried", "expected"),
    [
        (None, 31, Aggregation.SUM, 5.0, None),  # no value: none, whatever came before
        (None, 31, Aggregation.LAST, 5.0, 5.0),  # a level carries its last value forward
        (None, 31, Aggregation.LAST, None, None),
        (-0.0, 31, Aggregation.SUM, None, 0.0),  # 0 + v·d/d, as the general way adds
        (-0.0, 31, Aggregation.AVERAGE, None, 0.0),
        (-0.0, 31, Aggregation.LAST, None, -0.0),
        (-0.0, 31, Aggregation.MIN, None, -0.0),
        (2.5, 30, Aggregation.COUNT, None, 1.0),
        (0.1, 31, Aggregation.SUM, None, 0.1 * 31 / 31),
        (math.inf, 28, Aggregation.MAX, None, math.inf),
    ],
)
def test_window_value(
    own: float | None,
    days: int,
    aggregation: Aggregation,
    carried: float | None,
    expected: float | None,
) -> None:
    assert repr(monthly.window_value(own, days, aggregation, carried)) == repr(expected)


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (Period(D(2025, 12, 1), D(2025, 12, 31)), 3.0),  # after the data: the last value
        (Period(D(2025, 6, 1), D(2025, 6, 30)), 2.0),  # its own month
        (Period(D(2025, 4, 1), D(2025, 4, 30)), None),  # before the data
    ],
)
def test_carried_value(window: Period, expected: float | None) -> None:
    measurements = run_of(D(2025, 5, 1), [1.0, 2.0, 3.0])
    assert monthly.carried_value(measurements, window) == expected


def card_of(*kpis: KpiInput) -> ScorecardInput:
    return ScorecardInput(
        "s", "S", (PerspectiveInput("p", "P"),), (ObjectiveInput("o", "O", "p"),), kpis
    )


def entered(code: str, values: tuple[Measurement, ...], **fields: object) -> KpiInput:
    spec = KpiSpec(code, code.upper(), baseline=0.0, target=100.0, **fields)  # type: ignore[arg-type]
    return KpiInput(spec, "o", values)


def test_a_last_kpi_carries_its_value_into_an_empty_window() -> None:
    kpi = entered("a", run_of(D(2025, 1, 1), [40.0, 50.0]), aggregation=Aggregation.LAST)
    result = assert_same(card_of(kpi), AS_OF).kpis["a"]
    assert (result.value, result.previous_value, result.performance) == (50.0, 50.0, 0.5)
    assert [row[1] for row in result.history] == [40.0, 50.0] + [None] * 10


def test_a_sum_kpi_without_a_value_in_its_window_has_none() -> None:
    kpi = entered("a", run_of(D(2025, 1, 1), [40.0, 50.0]))
    result = assert_same(card_of(kpi), AS_OF).kpis["a"]
    assert (result.value, result.status, result.trend) == (None, "no_data", None)


def test_zero_targets_of_both_signs_stay_apart() -> None:
    # Two KPIs with a default target of 0.0 and -0.0: the shortcut makes their twelve
    # targets once per default, and must not hand one's to the other.
    values = run_of(D(2025, 1, 1), [1.0] * 12)
    a = KpiInput(
        KpiSpec("a", "A", aggregation=Aggregation.LAST, target=0.0, minimum=-5.0, maximum=5.0),
        "o",
        values,
    )
    b = KpiInput(
        KpiSpec("b", "B", aggregation=Aggregation.LAST, target=-0.0, minimum=-5.0, maximum=5.0),
        "o",
        values,
    )
    result = assert_same(card_of(a, b), AS_OF)
    assert repr(result.kpis["a"].target) == "0.0"
    assert repr(result.kpis["b"].target) == "-0.0"


def test_a_code_given_twice_takes_the_general_way() -> None:
    # The general way reads the last KPI of a code for both: so does the shortcut's caller.
    first = entered("a", run_of(D(2025, 1, 1), [10.0] * 12))
    second = entered("a", run_of(D(2025, 1, 1), [90.0] * 12))
    result = assert_same(card_of(first, second), AS_OF)
    assert result.kpis["a"].value == 90.0


def test_calculated_kpis_over_the_read_months_only() -> None:
    """A ratio over the twelve months the period view reads, another calculated KPI on
    top of it, division by zero in one month: the same values, flags and history."""
    a = entered("a", run_of(D(2020, 1, 1), [float(n % 7) for n in range(72)]))
    b = entered("b", run_of(D(2020, 1, 1), [float(n % 5) for n in range(72)]))
    ratio = KpiInput(KpiSpec("r", "R", baseline=0.0, target=2.0, formula="a / b"), "o")
    results = KpiInput(
        KpiSpec(
            "s",
            "S",
            baseline=0.0,
            target=2.0,
            formula="r * 2",
            formula_mode=FormulaMode.AGGREGATE_RESULTS,
        ),
        "o",
    )
    result = assert_same(card_of(a, b, ratio, results), AS_OF)
    history = [row[1] for row in result.kpis["r"].history]
    assert history[-1] == (71 % 7) / (71 % 5)
    assert None in history  # b is zero in some months: no value there
    assert result.kpis["s"].value == 2 * history[-1]


def test_a_formula_reading_other_months_computes_them_all() -> None:
    a = entered("a", run_of(D(2020, 1, 1), [float(n) for n in range(72)]))
    before = KpiInput(KpiSpec("v", "V", baseline=0.0, target=100.0, formula="value(a, -13)"), "o")
    result = assert_same(card_of(a, before), AS_OF)
    assert result.kpis["v"].value == 71 - 13
