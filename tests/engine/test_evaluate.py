"""evaluate_scorecard: windows, calculated KPIs, errors as data, history."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    ScorecardInput,
    ScorecardResult,
    evaluate_scorecard,
)
from scorecard.engine.periods import Period
from scorecard.engine.types import (
    Aggregation,
    FormulaMode,
    Interval,
    KpiSpec,
    Measurement,
    Optimization,
    TargetPoint,
    View,
)

approx = pytest.approx
D = dt.date


def _card(*kpis: KpiInput, objectives: tuple[ObjectiveInput, ...] | None = None) -> ScorecardInput:
    return ScorecardInput(
        "s",
        "S",
        (PerspectiveInput("p", "P"),),
        objectives or (ObjectiveInput("o", "O", "p"),),
        kpis,
    )


def _monthly(code: str, values: dict[int, float], year: int = 2026, **spec: object) -> KpiInput:
    measurements = tuple(Measurement(D(year, m, 1), v) for m, v in values.items())
    fields = {"minimum": 0, "maximum": 100, **spec}
    return KpiInput(KpiSpec(code, code.title(), **fields), "o", measurements)  # type: ignore[arg-type]


def _run(sc: ScorecardInput, as_of: dt.date, view: View = View.PERIOD) -> ScorecardResult:
    return evaluate_scorecard(sc, as_of=as_of, view=view)


def test_equation_mode_rebuilds_calculated_inputs_over_the_window() -> None:
    sc = _card(
        _monthly("revenue", {1: 100, 2: 300}),
        _monthly("cost", {1: 50, 2: 100}),
        _monthly("profit", {}, formula="revenue - cost"),
        _monthly("margin", {}, formula="profit / revenue * 100"),
        _monthly("double", {}, formula="margin * 2"),
    )
    r = _run(sc, D(2026, 2, 28), View.QUARTER)
    assert r.kpis["profit"].value == approx(250)
    assert r.kpis["margin"].value == approx(62.5)
    # Summing the monthly margins (50 + 66.7) would say 233; the equation says 125.
    assert r.kpis["double"].value == approx(125)
    assert [row[1] for row in r.kpis["margin"].history[-3:]] == [approx(50), approx(200 / 3), None]


def test_calculated_kpis_ignore_their_own_entered_values() -> None:
    sc = _card(
        _monthly("a", {1: 10}),
        KpiInput(
            KpiSpec("b", "B", minimum=0, maximum=100, formula="a * 2"),
            "o",
            (Measurement(D(2026, 1, 1), 99),),
        ),
    )
    assert _run(sc, D(2026, 1, 31)).kpis["b"].value == 20


def test_division_by_zero_is_flagged_only_in_its_own_window() -> None:
    sc = _card(
        _monthly("done", {1: 1, 2: 3}),
        _monthly("total", {1: 0, 2: 4}),
        _monthly("rate", {}, formula="done / total", formula_mode=FormulaMode.AGGREGATE_RESULTS),
        _monthly("ratio", {}, formula="done / total"),
    )
    january = _run(sc, D(2026, 1, 31))
    assert (january.kpis["rate"].value, january.kpis["rate"].flag) == (None, "division_by_zero")
    assert (january.kpis["ratio"].value, january.kpis["ratio"].flag) == (None, "division_by_zero")
    assert january.kpis["rate"].status == "no_data"
    february = _run(sc, D(2026, 2, 28))
    assert (february.kpis["rate"].value, february.kpis["rate"].flag) == (0.75, None)
    assert not february.errors


def test_one_broken_formula_does_not_break_the_others() -> None:
    sc = _card(
        _monthly("a", {1: 10}),
        _monthly("typo", {}, formula="a + ghost"),
        _monthly("good", {}, formula="a * 3"),
        _monthly("user", {}, formula="typo + 1"),
        _monthly("garbage", {}, formula="a +* ("),
    )
    r = _run(sc, D(2026, 1, 31))
    assert r.kpis["good"].value == 30
    assert {code for code, k in r.kpis.items() if k.status == "error"} == {
        "typo",
        "user",
        "garbage",
    }
    assert {e.code for e in r.errors} == {"typo", "user", "garbage"}
    assert r.score == approx((0.1 + 0.3) / 2)


def test_a_badly_scaled_input_still_feeds_formulas() -> None:
    sc = _card(
        _monthly("a", {1: 10}, minimum=5, maximum=5),
        _monthly("b", {}, formula="a * 2"),
    )
    r = _run(sc, D(2026, 1, 31))
    assert r.kpis["a"].status == "error"
    assert r.kpis["b"].value == 20
    assert [e.code for e in r.errors] == ["a"]


def test_errors_found_while_scoring_are_data_not_exceptions() -> None:
    spec = KpiSpec("p", "Pct", Optimization.PERCENT_OF_TARGET)
    sc = _card(
        KpiInput(spec, "o", (Measurement(D(2026, 1, 1), 5),), (TargetPoint(D(2026, 1, 1), 0),))
    )
    r = _run(sc, D(2026, 1, 31))
    assert r.kpis["p"].status == "error"
    assert r.errors[0].code == "p" and "above zero" in r.errors[0].message
    assert r.score is None and r.status == "no_data"


def test_not_scored_kpis_are_shown_but_left_out() -> None:
    sc = _card(
        _monthly("a", {1: 40}),
        _monthly("info", {1: 1000}, optimization=Optimization.NONE),
        KpiInput(KpiSpec("lonely", "Lonely", Optimization.NONE), "empty"),
        objectives=(ObjectiveInput("o", "O", "p"), ObjectiveInput("empty", "Empty", "p")),
    )
    r = _run(sc, D(2026, 1, 31))
    assert r.kpis["info"].status == "not_applicable"
    assert r.kpis["info"].value == 1000
    assert r.kpis["info"].absolute_weight == 0
    assert r.objectives["empty"].score is None and r.objectives["empty"].status == "no_data"
    assert r.score == approx(0.4)


@pytest.mark.parametrize(
    ("interval", "view", "as_of", "window"),
    [
        (Interval.MONTH, View.PERIOD, D(2026, 3, 15), (D(2026, 2, 1), D(2026, 2, 28))),
        (Interval.MONTH, View.PERIOD, D(2026, 3, 31), (D(2026, 3, 1), D(2026, 3, 31))),
        (Interval.MONTH, View.MONTH, D(2026, 3, 15), (D(2026, 3, 1), D(2026, 3, 31))),
        (Interval.MONTH, View.QUARTER, D(2026, 5, 15), (D(2026, 4, 1), D(2026, 6, 30))),
        (Interval.MONTH, View.HALF_YEAR, D(2026, 8, 1), (D(2026, 7, 1), D(2026, 12, 31))),
        (Interval.MONTH, View.YEAR, D(2026, 8, 1), (D(2026, 1, 1), D(2026, 12, 31))),
        (Interval.QUARTER, View.MONTH, D(2026, 5, 15), (D(2026, 4, 1), D(2026, 6, 30))),
        (Interval.MONTH, View.YTD, D(2026, 3, 15), (D(2026, 1, 1), D(2026, 2, 28))),
        # Nothing of the year has ended yet: the year's first (running) period.
        (Interval.MONTH, View.YTD, D(2026, 1, 15), (D(2026, 1, 1), D(2026, 1, 31))),
        (Interval.YEAR, View.YTD, D(2026, 11, 15), (D(2026, 1, 1), D(2026, 12, 31))),
        (Interval.WEEK, View.PERIOD, D(2026, 11, 25), (D(2026, 11, 16), D(2026, 11, 22))),
    ],
)
def test_windows(interval: Interval, view: View, as_of: dt.date, window) -> None:
    sc = _card(_monthly("a", {}, interval=interval))
    assert _run(sc, as_of, view).kpis["a"].window == Period(*window)


def test_ytd_trend_compares_with_the_same_span_a_year_earlier() -> None:
    last_year = {m: 10.0 for m in range(1, 13)}
    kpi = KpiInput(
        KpiSpec("s", "Sales", minimum=0, maximum=100),
        "o",
        (
            *(Measurement(D(2025, m, 1), v) for m, v in last_year.items()),
            Measurement(D(2026, 1, 1), 15),
            Measurement(D(2026, 2, 1), 15),
        ),
    )
    r = _run(_card(kpi), D(2026, 2, 28), View.YTD)
    assert (r.kpis["s"].value, r.kpis["s"].previous_value, r.kpis["s"].trend) == (30, 20, "up")


def test_history_has_twelve_periods_ending_with_the_window() -> None:
    kpi = _monthly("a", {m: float(m) for m in range(1, 13)}, target=6)
    history = _run(_card(kpi), D(2026, 6, 30)).kpis["a"].history
    assert len(history) == 12
    assert history[-1] == (D(2026, 6, 1), 6, 6)
    assert history[0] == (D(2025, 7, 1), None, 6)


def test_values_after_as_of_are_ignored() -> None:
    kpi = _monthly("a", {1: 10, 2: 20, 3: 30}, aggregation=Aggregation.SUM)
    assert _run(_card(kpi), D(2026, 2, 10), View.QUARTER).kpis["a"].value == 30
