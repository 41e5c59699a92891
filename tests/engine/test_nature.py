"""A KPI's nature and what follows from it: window targets, unit rollups, warnings.

The worked examples are the ones in docs/scoring.md ("Window targets").
"""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.engine.cascade import UnitRollup, UnitValue, default_unit_rollup, roll_up_values
from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    RollupSettings,
    ScorecardInput,
    ScorecardResult,
    evaluate_scorecard,
)
from scorecard.engine.nature import is_additive, summing_problem, window_target_rule
from scorecard.engine.quality import (
    KpiFacts,
    ObjectiveFacts,
    PerspectiveFacts,
    ScorecardFacts,
    check_scorecard,
)
from scorecard.engine.types import (
    Aggregation,
    FormulaMode,
    KpiSpec,
    Measurement,
    Optimization,
    TargetAggregation,
    TargetPoint,
    View,
)

D = dt.date
approx = pytest.approx
AS_OF = D(2026, 10, 15)  # year to date: January to September


def _kpi(
    code: str,
    values: dict[int, float] | None = None,
    *,
    targets: dict[int, float] | None = None,
    **spec: object,
) -> KpiInput:
    measurements = tuple(Measurement(D(2026, m, 1), v) for m, v in (values or {}).items())
    points = tuple(TargetPoint(D(2026, m, 1), v) for m, v in (targets or {}).items())
    fields = {"minimum": 0, **spec}  # scored from 0 up to the target
    return KpiInput(KpiSpec(code, code.title(), **fields), "o", measurements, points)  # type: ignore[arg-type]


def _targets(*kpis: KpiInput, view: View = View.YTD) -> dict[str, float | None]:
    card = ScorecardInput(
        "s", "S", (PerspectiveInput("p", "P"),), (ObjectiveInput("o", "O", "p"),), kpis
    )
    result = evaluate_scorecard(card, as_of=AS_OF, view=view)
    return {code: kpi.target for code, kpi in result.kpis.items()}


NINE = {m: 100.0 for m in range(1, 10)}


def test_a_calculated_ratio_with_its_own_target_keeps_it_over_a_year() -> None:
    # Gross margin in the demo: 48 % a month is 48 % year to date, not 9 × 48 = 432 %.
    targets = _targets(
        _kpi("revenue", NINE, target=1000),
        _kpi("cogs", NINE, optimization=Optimization.NONE),
        _kpi("margin", unit="%", target=48, formula="(revenue - cogs) / revenue * 100"),
    )
    assert targets["margin"] == approx(48)
    assert targets["revenue"] == approx(9000)


@pytest.mark.parametrize(
    ("view", "expected"),
    [(View.PERIOD, 15.0), (View.QUARTER, 15.0), (View.YTD, 480 / 3600 * 100)],
)
def test_a_calculated_ratio_without_a_target_takes_its_formula_over_the_input_targets(
    view: View, expected: float
) -> None:
    # Deals 50 a month until June, then 60; leads 400: the conversion target is the
    # formula over the summed targets: Q4 = 180 / 1200 = 15 %, January to September
    # (6 × 50 + 3 × 60) / (9 × 400) = 480 / 3600 = 13.3 %.
    targets = _targets(
        _kpi("deals", NINE, targets={1: 50, 7: 60}),
        _kpi("leads", NINE, target=400),
        _kpi("conversion", unit="%", formula="deals / leads * 100"),
        view=view,
    )
    assert targets["conversion"] == approx(expected)


def test_equation_chosen_on_the_kpi_overrides_its_own_target() -> None:
    targets = _targets(
        _kpi("deals", NINE, target=60),
        _kpi("leads", NINE, target=400),
        _kpi(
            "conversion",
            unit="%",
            target=20,
            formula="deals / leads * 100",
            target_aggregation=TargetAggregation.EQUATION,
        ),
    )
    assert targets["conversion"] == approx(15)


def test_equation_falls_back_to_the_own_targets_when_an_input_has_none() -> None:
    targets = _targets(
        _kpi("deals", NINE, target=60),
        _kpi("leads", NINE),
        _kpi(
            "conversion",
            unit="%",
            target=20,
            formula="deals / leads * 100",
            target_aggregation=TargetAggregation.EQUATION,
        ),
    )
    assert targets["conversion"] == approx(20)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (TargetAggregation.SUM, 10 + 10 + 10 + 20 + 20 + 20 + 30 + 30 + 30),
        (TargetAggregation.AVERAGE, 20),
        (TargetAggregation.LAST, 30),
        (TargetAggregation.MIN, 10),
        (TargetAggregation.MAX, 30),
    ],
)
def test_a_rule_chosen_on_the_kpi(rule: TargetAggregation, expected: float) -> None:
    targets = _targets(_kpi("k", NINE, targets={1: 10, 4: 20, 7: 30}, target_aggregation=rule))
    assert targets["k"] == approx(expected)


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [(Aggregation.SUM, 900), (Aggregation.AVERAGE, 100), (Aggregation.LAST, 100)],
)
def test_an_entered_kpi_aggregates_its_target_like_its_value(
    aggregation: Aggregation, expected: float
) -> None:
    assert _targets(_kpi("k", NINE, target=100, aggregation=aggregation))["k"] == approx(expected)


def test_aggregate_results_mode_aggregates_the_target_like_the_value() -> None:
    targets = _targets(
        _kpi("a", NINE, target=10),
        _kpi("b", NINE, target=5),
        _kpi(
            "total",
            target=15,
            formula="a + b",
            formula_mode=FormulaMode.AGGREGATE_RESULTS,
        ),
    )
    assert targets["total"] == approx(135)


def test_an_additive_calculated_kpi_sums_its_own_target() -> None:
    targets = _targets(
        _kpi("revenue", NINE, target=100),
        _kpi("cost", NINE, target=60),
        _kpi("profit", unit="€", target=40, formula="revenue - cost"),
    )
    assert targets["profit"] == approx(360)


S = KpiSpec
NATURE = [
    (S("revenue", "Revenue", unit="€"), True),
    (S("deals", "Deals"), True),
    (S("training", "Training", unit="h"), True),
    (S("headcount", "Headcount", aggregation=Aggregation.LAST), True),
    (S("margin", "Margin", unit="%"), False),
    (S("rating", "Rating", unit="★", aggregation=Aggregation.AVERAGE), False),
    (S("cost_per_order", "Cost per order", unit="€/order"), False),
    (S("dso", "DSO", unit="days", aggregation=Aggregation.LAST), False),
    (S("lead_time", "Lead time", unit="days", aggregation=Aggregation.AVERAGE), False),
    (
        S("nps", "NPS", optimization=Optimization.GOAL_RED_FLAG, aggregation=Aggregation.LAST),
        False,
    ),
    (
        S(
            "price_index",
            "Price index",
            optimization=Optimization.EXACT,
            aggregation=Aggregation.LAST,
        ),
        False,
    ),
    (S("audit", "Audit score", unit="points"), False),
]


@pytest.mark.parametrize(("spec", "additive"), NATURE, ids=[s.code for s, _ in NATURE])
def test_nature(spec: KpiSpec, additive: bool) -> None:
    assert is_additive(spec) is additive
    expected = UnitRollup.SUM if additive else UnitRollup.AVERAGE
    assert default_unit_rollup(spec) is expected


def test_window_target_rule_table() -> None:
    ratio = S("m", "M", unit="%", formula="a / b * 100")
    assert window_target_rule(ratio, has_own_target=True) is Aggregation.AVERAGE
    assert window_target_rule(ratio, has_own_target=False) is None
    entered = S(
        "e", "E", aggregation=Aggregation.LAST, target_aggregation=TargetAggregation.EQUATION
    )
    assert window_target_rule(entered, has_own_target=True) is Aggregation.LAST


def test_net_promoter_scores_of_two_departments_average_at_the_company() -> None:
    nps = S("nps", "NPS", optimization=Optimization.GOAL_RED_FLAG, aggregation=Aggregation.LAST)
    rule = default_unit_rollup(nps)
    rolled = roll_up_values(
        {
            "company": UnitValue("company", None, rule, ("sales", "ops")),
            "sales": UnitValue("sales", 60, rule),
            "ops": UnitValue("ops", 50, rule),
        }
    )
    assert rolled["company"].value == approx(55)


@pytest.mark.parametrize(
    ("spec", "unit_rollup", "problem"),
    [
        (S("m", "M", unit="%"), "auto", "adds its values up over time although its unit (%)"),
        (S("m", "M", unit="%", aggregation=Aggregation.AVERAGE), "auto", None),
        (S("m", "M", unit="%", formula="a / b"), "auto", None),
        (
            S(
                "m",
                "M",
                unit="%",
                aggregation=Aggregation.AVERAGE,
                target_aggregation=TargetAggregation.SUM,
            ),
            "auto",
            "adds its targets up over a window",
        ),
        (
            S("nps", "NPS", optimization=Optimization.GOAL_RED_FLAG, aggregation=Aggregation.LAST),
            "sum",
            "adds the units' values up although it is not",
        ),
        (S("revenue", "Revenue", unit="€"), "sum", None),
    ],
)
def test_summing_problem(spec: KpiSpec, unit_rollup: str, problem: str | None) -> None:
    found = summing_problem(spec, unit_rollup)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


# Coverage and minimum coverage -------------------------------------------------------


def _covered(min_coverage: float) -> ScorecardResult:
    card = ScorecardInput(
        "s",
        "S",
        (PerspectiveInput("p", "P"),),
        (ObjectiveInput("o", "O", "p"),),
        (
            _kpi("a", NINE, target=100, weight=1),
            _kpi("b", {}, target=100, weight=3),
            _kpi("info", NINE, optimization=Optimization.NONE),
        ),
        settings=RollupSettings(min_coverage=min_coverage),
    )
    return evaluate_scorecard(card, as_of=AS_OF, view=View.PERIOD)


def test_coverage_counts_the_scored_kpis_and_their_weight() -> None:
    result = _covered(0.0)
    assert (result.kpis_scored, result.kpis_counted) == (1, 2)  # "from 1 of 2 KPIs"
    assert result.coverage == approx(0.25)
    assert result.score == approx(1.0)


@pytest.mark.parametrize(
    ("min_coverage", "status"), [(0.0, "green"), (0.25, "green"), (0.5, "not_enough_data")]
)
def test_below_the_minimum_coverage_a_score_is_not_enough_data(
    min_coverage: float, status: str
) -> None:
    result = _covered(min_coverage)
    assert result.status == status
    assert result.objectives["o"].status == status
    assert (result.score is None) is (status == "not_enough_data")


def _findings(*kpis: KpiSpec) -> dict[str, set[str]]:
    facts = ScorecardFacts(
        name="S",
        perspectives=(PerspectiveFacts("p", "P"),),
        objectives=(ObjectiveFacts("o", "O", "p"),),
        kpis=tuple(KpiFacts(spec, "o") for spec in kpis),
    )
    out: dict[str, set[str]] = {spec.code: set() for spec in kpis}
    for finding in check_scorecard(facts, AS_OF):
        if finding.key in out:
            out[finding.key].add(finding.code)
    return out


def test_a_calculated_kpi_whose_inputs_have_targets_has_a_target() -> None:
    found = _findings(
        S("deals", "Deals", minimum=0, target=60),
        S("leads", "Leads", minimum=0, target=400),
        S("conversion", "Conversion", unit="%", minimum=0, formula="deals / leads * 100"),
        S("double", "Double", unit="%", minimum=0, formula="conversion * 2"),
        S("open", "Open", minimum=0, formula="deals + unknown_kpi"),
    )
    assert "kpi.no_target" not in found["conversion"]
    assert "kpi.no_target" not in found["double"]
    assert "kpi.no_target" in found["open"]
