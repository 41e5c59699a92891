"""Edge cases: configuration errors, statuses, formulas that must be refused, properties."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.engine import periods as pr
from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    RollupSettings,
    ScorecardInput,
    evaluate_scorecard,
)
from scorecard.engine.formulas import Context, FormulaError, evaluate, evaluation_order, references
from scorecard.engine.rollup import clamp, rollup
from scorecard.engine.scoring import score_value, validate_spec
from scorecard.engine.trend import direction, percent_change
from scorecard.engine.types import (
    Aggregation,
    Band,
    Interval,
    KpiSpec,
    Measurement,
    Optimization,
    Thresholds,
)

approx = pytest.approx


@pytest.mark.parametrize(
    ("spec", "target", "fragment"),
    [
        (KpiSpec("m", "Margin", minimum=20, maximum=20), None, "nothing to measure on"),
        (KpiSpec("m", "Margin", baseline=5), 5, "nothing to measure on"),
        (KpiSpec("p", "Pct", Optimization.PERCENT_OF_TARGET), 0, "target above zero"),
        (KpiSpec("p", "Pct", Optimization.PERCENT_OF_TARGET), -5, "target above zero"),
        (KpiSpec("e", "Exact", Optimization.EXACT), 10, "tolerance"),
        (KpiSpec("b", "Band", Optimization.BAND, band_low=5, band_high=1), None, "low end"),
        (KpiSpec("g", "Goal", Optimization.GOAL_RED_FLAG, red_flag=5), 5, "both 5"),
        (
            KpiSpec("n", "Min", Optimization.MINIMIZE, minimum=10, maximum=0),
            None,
            "lower is better",
        ),
    ],
)
def test_configuration_errors_name_the_kpi(spec: KpiSpec, target: float | None, fragment: str):
    score = score_value(spec, 3.0, target)
    assert score.status == "error"
    assert score.error is not None and fragment in score.error
    assert f"“{spec.name}”" in score.error


def test_missing_value_is_no_data_not_zero() -> None:
    score = score_value(KpiSpec("a", "A", minimum=0, maximum=10), None, None)
    assert (score.performance, score.status) == (None, "no_data")


def test_none_optimization_is_not_applicable() -> None:
    assert score_value(KpiSpec("a", "A", Optimization.NONE), 5, None).status == "not_applicable"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(10, 1.0), (12, 0.6), (7, 0.4), (15, 0.0), (4, 0.0)],
)
def test_exact_scoring(value: float, expected: float) -> None:
    spec = KpiSpec("e", "E", Optimization.EXACT, tolerance=5)
    assert score_value(spec, value, 10).performance == approx(expected)


@pytest.mark.parametrize(
    ("value", "expected"), [(20, 1.0), (25, 1.0), (18, 0.5), (27, 0.5), (30, 0.0), (10, 0.0)]
)
def test_band_scoring(value: float, expected: float) -> None:
    spec = KpiSpec("b", "B", Optimization.BAND, band_low=20, band_high=25, tolerance=4)
    assert score_value(spec, value, None).performance == approx(expected)


@pytest.mark.parametrize(
    ("opt", "value", "expected"),
    [
        (Optimization.BINARY_MAX, 10, 1.0),
        (Optimization.BINARY_MAX, 9.9, 0.0),
        (Optimization.BINARY_MIN, 10, 1.0),
        (Optimization.BINARY_MIN, 10.1, 0.0),
    ],
)
def test_binary_scoring(opt: Optimization, value: float, expected: float) -> None:
    assert score_value(KpiSpec("b", "B", opt), value, 10).performance == expected


def test_custom_bands_with_blue_above_ninety() -> None:
    bands = Thresholds(
        (Band("red", -math.inf), Band("yellow", 0.5), Band("green", 0.75), Band("blue", 0.9))
    )
    spec = KpiSpec("a", "A", minimum=0, maximum=100, thresholds=bands)
    statuses = [score_value(spec, v, None).status for v in (10, 50, 74.99, 75, 90, 130)]
    assert statuses == ["red", "yellow", "yellow", "green", "blue", "blue"]


def test_default_band_edges_are_half_open() -> None:
    spec = KpiSpec("a", "A", minimum=0, maximum=3)
    assert [score_value(spec, v, None).status for v in (0.99, 1, 2, 3)] == [
        "red",
        "yellow",
        "green",
        "green",
    ]


def test_target_ratio_rules_like_clearpoint() -> None:
    rules = Thresholds(
        (Band("below plan", -math.inf), Band("caution", 0.9), Band("above target", 1.0)),
        basis="target_ratio",
    )
    spec = KpiSpec("a", "A", minimum=0, maximum=200, thresholds=rules)
    assert [score_value(spec, v, 100).status for v in (80, 95, 100)] == [
        "below plan",
        "caution",
        "above target",
    ]


def test_cap_limits_one_runaway_child() -> None:
    assert rollup([(3.0, 1), (0.0, 1)]) == approx(0.5)
    assert rollup([(3.0, 1), (0.0, 1)], cap=1.2) == approx(0.6)


def test_min_coverage() -> None:
    assert rollup([(0.8, 1), (None, 3)], min_coverage=0.5) is None
    assert rollup([(0.8, 3), (None, 1)], min_coverage=0.5) == approx(0.8)


def test_validate_spec_accepts_missing_default_target() -> None:
    assert validate_spec(KpiSpec("a", "A", baseline=0)) == []
    assert validate_spec(KpiSpec("a", "A", minimum=5, maximum=5))[0].code == "a"


# Formulas ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "values", "expected", "flag"),
    [
        ("a / b * 100", {"a": 2, "b": 4}, 50.0, None),
        ("a / b", {"a": 2, "b": 0}, None, "division_by_zero"),
        ("a + b", {"a": 2, "b": None}, None, None),
        ("if(a > b, a, b)", {"a": 2, "b": 5}, 5.0, None),
        ("if(a >= 2 and b < 9, 1, 0)", {"a": 2, "b": 5}, 1.0, None),
        ("max(a, b, 3) + abs(-2)", {"a": 2, "b": 1}, 5.0, None),
        ("round(ln(exp(2)), 3)", {}, 2.0, None),
        ("pow(a, 2)", {"a": 3}, 9.0, None),
        ("a ** 100000", {"a": 3}, None, "out_of_range"),
        ("ln(a)", {"a": 0}, None, "out_of_range"),
        ("notify + diff", {"notify": 1, "diff": 2}, 3.0, None),
    ],
)
def test_formula_evaluation(formula, values, expected, flag) -> None:
    assert evaluate(formula, Context(values)) == (expected, flag)


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('true')",
        "a.__class__",
        "(lambda: 1)()",
        "[1, 2]",
        "'text'",
        "open('x')",
        "a[0]",
        "a if b else c",
        "x := 1",
        "",
        "a +",
        "f(1)",
        "value(1)",
        "abs(x=1)",
    ],
)
def test_unsafe_or_invalid_formulas_are_refused(formula: str) -> None:
    with pytest.raises(FormulaError):
        references(formula)


def test_references_include_function_arguments() -> None:
    assert references("value(sales, -1) + target(cost) + ytd(margin) + x") == {
        "sales",
        "cost",
        "margin",
        "x",
    }


def _spec(code: str, formula: str | None = None) -> KpiSpec:
    return KpiSpec(code, code.title(), formula=formula)


def test_evaluation_order_puts_inputs_first() -> None:
    order = evaluation_order([_spec("c", "b * 2"), _spec("b", "a + 1"), _spec("a")])
    assert isinstance(order, list)
    assert order.index("a") < order.index("b") < order.index("c")


def test_cycle_is_named() -> None:
    error = evaluation_order([_spec("a", "b + 1"), _spec("b", "a + 1")])
    assert not isinstance(error, list)
    assert error.message == "Formula cycle: “A” → “B” → “A”."


def test_unknown_reference_is_named() -> None:
    error = evaluation_order([_spec("a", "ghost + 1")])
    assert not isinstance(error, list)
    assert "ghost" in error.message and "“A”" in error.message


def test_scorecard_with_a_cycle_reports_it_and_still_scores_the_rest() -> None:
    jan = dt.date(2026, 10, 1)
    sc = ScorecardInput(
        "s", "S", (PerspectiveInput("p", "P"),), (ObjectiveInput("o", "O", "p"),),
        (
            KpiInput(KpiSpec("ok", "Ok", minimum=0, maximum=10), "o", (Measurement(jan, 5),)),
            KpiInput(KpiSpec("a", "A", formula="b", minimum=0, maximum=1), "o"),
            KpiInput(KpiSpec("b", "B", formula="a", minimum=0, maximum=1), "o"),
        ),
    )  # fmt: skip
    result = evaluate_scorecard(sc, as_of=dt.date(2026, 10, 31))
    assert result.kpis["a"].status == "error"
    assert result.kpis["ok"].performance == approx(0.5)
    assert result.score == approx(0.5)
    assert any("cycle" in e.message for e in result.errors)


def test_end_to_end_small_scorecard() -> None:
    oct1, sep1 = dt.date(2026, 10, 1), dt.date(2026, 9, 1)
    sc = ScorecardInput(
        "c", "Company",
        (PerspectiveInput("fin", "Financial", 2), PerspectiveInput("cus", "Customer", 1)),
        (
            ObjectiveInput("grow", "Grow revenue", "fin"),
            ObjectiveInput("costs", "Control costs", "fin"),
            ObjectiveInput("happy", "Happy customers", "cus"),
        ),
        (
            KpiInput(KpiSpec("revenue", "Revenue", minimum=0, maximum=200, target=150),
                     "grow", (Measurement(sep1, 100), Measurement(oct1, 150))),
            KpiInput(KpiSpec("cost", "Cost", Optimization.MINIMIZE, minimum=50, maximum=150),
                     "costs", (Measurement(oct1, 75),)),
            KpiInput(KpiSpec("margin", "Margin", formula="(revenue - cost) / revenue * 100",
                             minimum=0, maximum=100), "costs"),
            KpiInput(KpiSpec("nps", "NPS", minimum=-100, maximum=100,
                             aggregation=Aggregation.LAST), "happy", (Measurement(sep1, 40),)),
            KpiInput(KpiSpec("complaints", "Complaints", Optimization.MINIMIZE, minimum=0,
                             maximum=100), "happy"),
        ),
    )  # fmt: skip
    r = evaluate_scorecard(sc, as_of=dt.date(2026, 10, 31))
    assert r.kpis["revenue"].performance == approx(0.75)
    assert r.kpis["revenue"].trend == "up"
    assert r.kpis["cost"].performance == approx(0.75)
    assert r.kpis["margin"].value == approx(50.0)
    assert r.kpis["nps"].value == 40  # carried forward from September
    assert r.kpis["nps"].performance == approx(0.70)
    assert r.kpis["complaints"].status == "no_data"
    assert r.objectives["costs"].score == approx((0.75 + 0.5) / 2)
    assert r.objectives["happy"].coverage == approx(0.5)
    fin = (0.75 + 0.625) / 2
    assert r.perspectives["fin"].score == approx(fin)
    assert r.score == approx((2 * fin + 0.70) / 3)
    assert r.kpis["revenue"].absolute_weight == approx(2 / 3 * 1 / 2)


# Periods and trend ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "interval", "fy", "start", "end"),
    [
        ("2026-11-23", Interval.MONTH, 1, "2026-11-01", "2026-11-30"),
        ("2026-11-23", Interval.QUARTER, 1, "2026-10-01", "2026-12-31"),
        ("2026-11-23", Interval.QUARTER, 4, "2026-10-01", "2026-12-31"),
        ("2026-02-10", Interval.YEAR, 4, "2025-04-01", "2026-03-31"),
        ("2026-11-23", Interval.HALF_YEAR, 1, "2026-07-01", "2026-12-31"),
        ("2026-11-23", Interval.WEEK, 1, "2026-11-23", "2026-11-29"),
        ("2024-02-29", Interval.DAY, 1, "2024-02-29", "2024-02-29"),
    ],
)
def test_period_containing(day, interval, fy, start, end) -> None:
    period = pr.period_containing(dt.date.fromisoformat(day), interval, fy)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


def test_targets_are_inherited_forward() -> None:
    from scorecard.engine.types import TargetPoint

    points = [TargetPoint(dt.date(2026, 1, 1), 10), TargetPoint(dt.date(2026, 6, 1), 20)]
    march = pr.period_containing(dt.date(2026, 3, 1), Interval.MONTH)
    july = pr.period_containing(dt.date(2026, 7, 1), Interval.MONTH)
    old = pr.period_containing(dt.date(2025, 7, 1), Interval.MONTH)
    assert pr.target_for_period(march, points, None, 5) == 10
    assert pr.target_for_period(july, points, None, 5) == 20
    assert pr.target_for_period(old, points, None, 5) == 5


@pytest.mark.parametrize(
    ("prev", "cur", "arrow"),
    [(100, 110, "up"), (100, 101, "flat"), (100, 90, "down"), (None, 5, None), (0, 0, "flat")],
)
def test_trend_direction(prev, cur, arrow) -> None:
    assert direction(prev, cur) == arrow


def test_percent_change() -> None:
    assert percent_change(-50, -25) == approx(0.5)
    assert percent_change(0, 5) is None


# Properties -------------------------------------------------------------------------

scores = st.floats(min_value=-2, max_value=3, allow_nan=False)
weights = st.floats(min_value=0.01, max_value=100, allow_nan=False)


@given(st.lists(st.tuples(scores, weights), min_size=1, max_size=12))
def test_rollup_lies_between_clamped_children(children) -> None:
    result = rollup(children)
    clamped = [clamp(s) for s, _ in children]
    assert result is not None
    assert min(clamped) - 1e-9 <= result <= max(clamped) + 1e-9


@given(st.lists(st.tuples(scores, weights), min_size=1, max_size=12), weights)
def test_rollup_ignores_the_scale_of_weights(children, factor) -> None:
    scaled = [(s, w * factor) for s, w in children]
    assert rollup(scaled) == approx(rollup(children))


@given(st.floats(min_value=0, max_value=1), st.lists(weights, min_size=1, max_size=8))
def test_equal_children_roll_up_to_themselves(score, ws) -> None:
    assert rollup([(score, w) for w in ws]) == approx(score)


def test_settings_cap_used_in_scorecard() -> None:
    oct1 = dt.date(2026, 10, 1)
    kpis = (
        KpiInput(KpiSpec("a", "A", minimum=0, maximum=10), "o", (Measurement(oct1, 30),)),
        KpiInput(KpiSpec("b", "B", minimum=0, maximum=10), "o", (Measurement(oct1, 0),)),
    )
    base = ("s", "S", (PerspectiveInput("p", "P"),), (ObjectiveInput("o", "O", "p"),), kpis)
    capped = evaluate_scorecard(
        ScorecardInput(*base, settings=RollupSettings(cap=1.2)), as_of=dt.date(2026, 10, 31)
    )
    assert capped.score == approx(0.6)
    assert capped.kpis["a"].performance == approx(3.0)  # raw score kept


@pytest.mark.parametrize(
    ("spec", "score", "target", "expected"),
    [
        (KpiSpec("a", "A", minimum=0, maximum=90), 2 / 3, None, 60.0),
        (KpiSpec("a", "A", Optimization.MINIMIZE, minimum=0, maximum=48), 1 / 3, None, 32.0),
        (KpiSpec("a", "A", minimum=10), 0.5, 30, 20.0),
        (KpiSpec("a", "A", Optimization.BAND, band_low=1, band_high=2), 0.5, None, None),
        (KpiSpec("a", "A", minimum=5, maximum=5), 0.5, None, None),
    ],
)
def test_value_at_score(spec: KpiSpec, score: float, target: float | None, expected) -> None:
    from scorecard.engine.scoring import value_at_score

    assert value_at_score(spec, score, target) == (None if expected is None else approx(expected))


@given(st.lists(st.tuples(scores, weights), min_size=1, max_size=12), st.floats(1.0, 2.0))
def test_rollup_never_exceeds_the_cap(children, cap) -> None:
    result = rollup(children, cap=cap)
    assert result is not None and 0 <= result <= cap + 1e-9


@given(
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=0, max_value=1),
)
def test_maximize_and_minimize_mirror_each_other(low, span, share) -> None:
    high = low + abs(span) + 1
    value = low + share * (high - low)
    up = score_value(KpiSpec("u", "U", minimum=low, maximum=high), value, None).performance
    down = score_value(
        KpiSpec("d", "D", Optimization.MINIMIZE, minimum=low, maximum=high), value, None
    ).performance
    assert up is not None and down is not None
    assert up + down == approx(1.0)


@given(st.floats(min_value=-5, max_value=5), st.floats(min_value=-5, max_value=5))
def test_default_status_never_gets_worse_as_the_score_rises(a, b) -> None:
    order = {"red": 0, "yellow": 1, "green": 2}
    low, high = sorted((a, b))
    bands = Thresholds.default()
    assert order[bands.status_for(low)] <= order[bands.status_for(high)]
