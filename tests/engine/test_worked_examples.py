"""The worked examples of docs/scoring.md as tables (no database, no Django)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from scorecard.engine import periods as pr
from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    ScorecardInput,
    evaluate_scorecard,
)
from scorecard.engine.formulas import Context, evaluate
from scorecard.engine.rollup import absolute_weights, indicator_scores, rollup
from scorecard.engine.scoring import score_value
from scorecard.engine.trend import forecast, least_squares
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
    TargetPath,
    TargetPoint,
    View,
)

approx = pytest.approx


# Examples 1, 2, 4, 5: one value on one scale.
@pytest.mark.parametrize(
    ("example", "spec", "value", "performance", "progress"),
    [
        (1, KpiSpec("a", "A", minimum=0, maximum=100, baseline=15), 16, 0.16, 1 / 30),
        (2, KpiSpec("a", "A", minimum=0, maximum=200), 50, 0.25, None),
        (2, KpiSpec("a", "A", minimum=50, maximum=200), 50, 0.0, None),
        (4, KpiSpec("a", "A", Optimization.GOAL_RED_FLAG, red_flag=500), 650, 0.5833333, None),
        (4, KpiSpec("a", "A", Optimization.GOAL_RED_FLAG, red_flag=500), 450, 0.25, None),
        (4, KpiSpec("a", "A", Optimization.GOAL_RED_FLAG, red_flag=500), 950, 1.0833333, None),
        (4, KpiSpec("a", "A", Optimization.GOAL_RED_FLAG, red_flag=500), 250, -0.0833333, None),
        (5, KpiSpec("a", "A", Optimization.GOAL_RED_FLAG, red_flag=700), 550, 0.5833333, None),
    ],
)
def test_single_value_scores(example, spec, value, performance, progress) -> None:
    targets = {1: 45, 2: None, 4: 700, 5: 500}
    score = score_value(spec, value, targets[example])
    assert score.performance == approx(performance, abs=1e-6)
    if progress is None:
        assert score.progress is None or example == 1
    else:
        assert score.progress == approx(progress)


def test_example_4_status_red_at_450() -> None:
    spec = KpiSpec("a", "A", Optimization.GOAL_RED_FLAG, red_flag=500)
    assert score_value(spec, 450, 700).status == "red"
    assert score_value(spec, 650, 700).status == "yellow"


def test_example_3_weighted_service_kpis() -> None:
    answer = KpiSpec("t", "Time to answer", Optimization.MINIMIZE, minimum=0, maximum=48, weight=3)
    fcr = KpiSpec("f", "First-call resolution", minimum=0, maximum=100, weight=6)
    a = score_value(answer, 12, None).performance
    f = score_value(fcr, 60, None).performance
    assert (a, f) == (approx(0.75), approx(0.60))
    assert rollup([(a, 3), (f, 6)]) == approx(0.65)
    assert rollup([(a, 3), (f, 6)], aggregator=Aggregator.AVERAGE) == approx(0.675)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [(MissingPolicy.EXCLUDE, 0.70), (MissingPolicy.ZERO, 0.525), (MissingPolicy.PROPAGATE, None)],
)
def test_example_6_missing_children(policy, expected) -> None:
    result = rollup([(0.8, 2), (None, 1), (0.5, 1)], missing=policy)
    assert result == (None if expected is None else approx(expected))


def test_example_7_weights_are_relative() -> None:
    assert rollup([(1.0, 40), (1.0, 40)]) == approx(1.0)


def test_example_8_absolute_weight() -> None:
    assert absolute_weights([(4, [4, 3, 2, 1]), (4, [3, 3, 4])]) == approx(0.16)


# Rollup examples as one table: (example, children, options, expected).
@pytest.mark.parametrize(
    ("example", "children", "options", "expected"),
    [
        (3, [(0.75, 3), (0.60, 6)], {}, 0.65),
        (3, [(0.75, 3), (0.60, 6)], {"aggregator": Aggregator.AVERAGE}, 0.675),
        (6, [(0.8, 2), (None, 1), (0.5, 1)], {}, 0.70),
        (6, [(0.8, 2), (None, 1), (0.5, 1)], {"missing": MissingPolicy.ZERO}, 0.525),
        (6, [(0.8, 2), (None, 1), (0.5, 1)], {"missing": MissingPolicy.PROPAGATE}, None),
        (6, [(0.8, 2), (None, 1), (0.5, 1)], {"min_coverage": 0.8}, None),
        (6, [(0.8, 2), (None, 1), (0.5, 1)], {"min_coverage": 0.75}, 0.70),
        (7, [(1.0, 40), (1.0, 40)], {}, 1.0),
        (20, [(1.0, 40), (None, 30), (0.0, 30)], {}, 40 / 70),
        (20, [(0.0, 40), (None, 30), (1.0, 30)], {}, 30 / 70),
    ],
)
def test_rollup_examples(example, children, options, expected) -> None:
    result = rollup(children, **options)
    assert result == (None if expected is None else approx(expected)), f"example {example}"


def _flights(mode: FormulaMode) -> float | None:
    on_time = KpiSpec("on_time", "On time", aggregation=Aggregation.SUM, minimum=0, maximum=100)
    total = KpiSpec("total", "Total", aggregation=Aggregation.SUM, minimum=0, maximum=100)
    rate = KpiSpec(
        "rate", "On-time rate", formula="on_time / total * 100", formula_mode=mode,
        aggregation=Aggregation.SUM,
        minimum=0, maximum=100,
    )  # fmt: skip
    jan, feb = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    sc = ScorecardInput(
        "s", "S", (PerspectiveInput("p", "P"),), (ObjectiveInput("o", "O", "p"),),
        (
            KpiInput(on_time, "o", (Measurement(jan, 2), Measurement(feb, 2))),
            KpiInput(total, "o", (Measurement(jan, 4), Measurement(feb, 100))),
            KpiInput(rate, "o"),
        ),
    )  # fmt: skip
    result = evaluate_scorecard(sc, as_of=dt.date(2026, 2, 28), view=View.QUARTER)
    return result.kpis["rate"].value


def test_example_9_equation_aggregates_inputs_first() -> None:
    assert _flights(FormulaMode.EQUATION) == approx(400 / 104)


def test_example_9_sum_of_monthly_results() -> None:
    assert _flights(FormulaMode.AGGREGATE_RESULTS) == approx(52.0)


def test_example_9_average_of_monthly_results() -> None:
    ctx = [Context({"on_time": 2, "total": 4}), Context({"on_time": 2, "total": 100})]
    results = [evaluate("on_time / total * 100", c)[0] for c in ctx]
    assert pr.aggregate([r for r in results if r is not None], Aggregation.AVERAGE) == 26


def test_example_10_aggregate_then_score() -> None:
    spec = KpiSpec("s", "Sales", Optimization.PERCENT_OF_TARGET, aggregation=Aggregation.SUM)
    jan, feb = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    sc = ScorecardInput(
        "s", "S", (PerspectiveInput("p", "P"),), (ObjectiveInput("o", "O", "p"),),
        (KpiInput(spec, "o", (Measurement(jan, 10), Measurement(feb, 90)),
                  (TargetPoint(jan, 20), TargetPoint(feb, 60))),),
    )  # fmt: skip
    kpi = evaluate_scorecard(sc, as_of=dt.date(2026, 2, 28), view=View.YTD).kpis["s"]
    assert (kpi.value, kpi.target, kpi.performance) == (100, 80, approx(1.25))
    average_of_scores = (10 / 20 + 90 / 60) / 2
    assert average_of_scores == approx(1.0)  # what we do not do


def test_example_11_ratio_rebuilt_from_parts() -> None:
    # Service level = answered / calls, with both parts summed across the units first.
    calls, answered = [400, 600], [400 * 0.92, 600 * 0.88]
    value, flag = evaluate(
        "answered / calls * 100",
        Context({"answered": sum(answered), "calls": sum(calls)}),
    )
    assert (value, flag) == (approx(89.6), None)
    assert (92 + 88) / 2 == 90  # what averaging the two rates would wrongly say


def test_example_12_partial_periods() -> None:
    jan = pr.Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    feb = pr.Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    half_jan = pr.Period(dt.date(2026, 1, 16), dt.date(2026, 1, 31))
    assert pr.aggregate_over_window([(jan, 310)], half_jan, Aggregation.SUM) == approx(160)
    window = pr.Period(dt.date(2026, 1, 1), dt.date(2026, 2, 14))
    average = pr.aggregate_over_window([(jan, 100), (feb, 200)], window, Aggregation.AVERAGE)
    assert average == approx(131.11, abs=0.005)


def test_example_12_window_values_of_half_january() -> None:
    spec = KpiSpec("v", "Volume", aggregation=Aggregation.SUM, target=31)
    window = pr.Period(dt.date(2026, 1, 16), dt.date(2026, 1, 31))
    measurements = [Measurement(dt.date(2026, 1, 1), 310)]
    assert pr.window_values(spec, measurements, [], None, window) == (approx(160), approx(16))


def test_example_13_least_squares() -> None:
    points = [(1, 100), (2, 110), (3, 125), (4, 130)]
    assert least_squares(points) == (approx(10.5), approx(90))
    assert forecast(points, 5) == approx(142.5)


def test_example_16_leading_and_lagging() -> None:
    kpis = [
        ("lag1", 60, 1, Indicator.LAGGING),
        ("lag2", 80, 1, Indicator.LAGGING),
        ("lead1", 90, 2, Indicator.LEADING),
        ("lead2", 60, 1, Indicator.LEADING),
    ]
    oct1 = dt.date(2026, 10, 1)
    sc = ScorecardInput(
        "s", "S", (PerspectiveInput("p", "P"),), (ObjectiveInput("o", "O", "p"),),
        tuple(
            KpiInput(KpiSpec(code, code, minimum=0, maximum=100, weight=w, indicator=ind,
                             aggregation=Aggregation.LAST), "o", (Measurement(oct1, v),))
            for code, v, w, ind in kpis
        ),
    )  # fmt: skip
    result = evaluate_scorecard(sc, as_of=dt.date(2026, 10, 31))
    assert result.lagging == approx(0.70)
    assert result.leading == approx(0.80)
    assert result.score == approx(0.76)


def test_example_16_indicator_split() -> None:
    children = [
        (0.60, 1, Indicator.LAGGING),
        (0.80, 1, Indicator.LAGGING),
        (0.90, 2, Indicator.LEADING),
        (0.60, 1, Indicator.LEADING),
    ]
    assert indicator_scores(children) == (approx(0.80), approx(0.70), approx(0.76))


def test_example_17_target_of_march_from_the_path() -> None:
    path = TargetPath(dt.date(2026, 1, 1), 0, dt.date(2026, 12, 31), 12_000_000)
    march = pr.period_containing(dt.date(2026, 3, 15), Interval.MONTH)
    assert pr.target_for_period(march, [], path, None) == approx(3_000_000)


def test_example_17_planned_path() -> None:
    path = TargetPath(dt.date(2026, 1, 1), 0, dt.date(2026, 12, 31), 12_000_000)
    assert pr.target_on_path(path, dt.date(2026, 3, 31)) == approx(3_000_000)
    assert pr.target_on_path(path, dt.date(2025, 6, 30)) == 0
    assert pr.target_on_path(path, dt.date(2027, 6, 30)) == 12_000_000


@pytest.mark.parametrize(
    ("aggregation", "values", "expected_value", "expected_target"),
    [
        (Aggregation.SUM, (100, 120, 90), 310, 300),
        (Aggregation.AVERAGE, (80, 90, 70), 80, 100),
        (Aggregation.LAST, (50, 52, 51), 51, 100),
    ],
)
def test_example_18_year_to_date(aggregation, values, expected_value, expected_target) -> None:
    spec = KpiSpec("k", "K", Optimization.PERCENT_OF_TARGET, target=100, aggregation=aggregation)
    months = [dt.date(2026, m, 1) for m in (1, 2, 3)]
    history = tuple(Measurement(m, v) for m, v in zip(months, values, strict=True))
    sc = ScorecardInput(
        "s", "S", (PerspectiveInput("p", "P"),), (ObjectiveInput("o", "O", "p"),),
        (KpiInput(spec, "o", history),),
    )  # fmt: skip
    kpi = evaluate_scorecard(sc, as_of=dt.date(2026, 3, 31), view=View.YTD).kpis["k"]
    assert kpi.value == approx(expected_value)
    assert kpi.target == approx(expected_target)
    if aggregation is Aggregation.SUM:
        assert kpi.performance == approx(1.0333, abs=1e-4)


def test_example_20_renormalise_missing_weight() -> None:
    shares = [40 / 70, 30 / 70]
    assert rollup([(1.0, 40), (0.0, 30), (None, 30)]) == approx(shares[0])
    assert shares == [approx(0.5714, abs=1e-4), approx(0.4286, abs=1e-4)]


def test_no_nan_anywhere() -> None:
    assert not math.isnan(
        score_value(KpiSpec("a", "A", minimum=0, maximum=1), 0.5, None).performance
    )  # type: ignore[arg-type]
