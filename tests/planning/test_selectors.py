"""Planning reads: the funnel's analysis, the target assistant, the forecast, evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.kpis.models import Measurement
from scorecard.planning import selectors, services
from scorecard.presentation.planning import chance_text, risk_explanation, word_planning
from scorecard.strategy.services import link_create
from tests.factories import KpiFactory, ObjectiveFactory

AS_OF = dt.date(2026, 11, 23)
approx = pytest.approx


def test_funnel_analysis_of_the_worked_example(sales) -> None:
    a = selectors.funnel_analysis(funnel=sales.funnel, as_of=AS_OF)
    assert a.problems == []
    assert [r.value for r in a.stages] == [6000, 270, 27, 2.7]
    assert [r.rate for r in a.stages[1:]] == approx([0.045, 0.1, 0.1])
    assert a.result == approx(2.7) and a.final_target == 3
    # Back-cascade of 3 deals at today's rates.
    assert [r.target for r in a.stages] == approx([3 / 0.00045, 300, 30, 3])
    assert a.split is not None and a.split.volume_needed == approx(6666.667, abs=1e-3)
    # Example 15: visitors +0.425, sign-up rate +0.275, the rest unchanged.
    assert a.attribution is not None
    assert [r.part for r in a.stages] == approx([0.42527, 0.27473, 0, 0], abs=1e-4)
    assert a.change == approx(0.7)
    assert [lv.index for lv in a.levers] == [1, 2, 3]  # the lowest rate first


def test_funnel_analysis_with_a_target_and_steps_of_choice(sales) -> None:
    a = selectors.funnel_analysis(
        funnel=sales.funnel, as_of=AS_OF, target=5.4, points=0.02, relative=0.5
    )
    assert a.final_target == 5.4 and not a.target_from_kpi
    assert a.split is not None and a.split.factor == approx(2)
    assert a.levers[0].result_points == approx(2.7 * 0.065 / 0.045)
    assert a.levers[0].gain_relative == approx(1.35)


def test_funnel_analysis_explains_what_it_cannot_do(sales) -> None:
    Measurement.objects.filter(kpi=sales.kpis["leads"], period_start=dt.date(2026, 10, 1)).update(
        value=0
    )
    a = selectors.funnel_analysis(funnel=sales.funnel, as_of=AS_OF)
    assert any("above zero" in p for p in a.problems)
    assert a.attribution is None and "stage 3 must be above zero" in (a.attribution_problem or "")
    assert a.levers == []


def test_target_assistant_proposes_from_history_benchmarks_and_chains(sales) -> None:
    services.benchmark_add(
        kpi=sales.kpis["signups"], value=320, source="Dealer survey", as_of=dt.date(2026, 6, 30),
        percentile=75,
    )  # fmt: skip
    p = word_planning(selectors.kpi_planning(
        kpi=sales.kpis["signups"], as_of=AS_OF, window=_october(), current_target=400,
        growth_end=540, growth_years=1,
    ))  # fmt: skip
    by_kind = {x.kind: x for x in p.proposals}
    assert by_kind["mean"].value == approx(235) and by_kind["best"].value == 270
    assert by_kind["trend"].value == approx(340)
    assert by_kind["benchmark"].value == 320 and "75th percentile" in by_kind["benchmark"].basis
    assert by_kind["benchmark"].provenance == "benchmark"
    assert by_kind["chain"].value == approx(300) and by_kind["chain"].provenance == "chain"
    # 270 doubling in a year: 2^(1/12) − 1 a month, one month on.
    assert by_kind["growth_path"].value == approx(270 * 2 ** (1 / 12))
    assert by_kind["growth_path"].provenance == "growth"
    # Two values only: every proposal warns that the history is short.
    assert all("fewer than 5" in " ".join(x.warnings) for x in p.proposals)
    assert p.stats is not None and not p.stats.enough


def _october():
    from scorecard.engine.periods import Period

    return Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def test_zero_target_is_flagged_until_replaced(sales) -> None:
    p = selectors.kpi_planning(
        kpi=sales.kpis["deals"], as_of=AS_OF, window=_october(), current_target=3
    )
    assert p.zero_target and p.target_row is not None and p.target_row.value == 3
    services.target_accept(
        kpi=sales.kpis["deals"], period_start=dt.date(2026, 10, 1), value=3.2,
        provenance="history", note="trend",
    )  # fmt: skip
    p = selectors.kpi_planning(
        kpi=sales.kpis["deals"], as_of=AS_OF, window=_october(), current_target=3.2
    )
    assert not p.zero_target and p.target_row.provenance == "history"


def test_forecast_and_chance_of_meeting_the_target(world) -> None:
    kpi = KpiFactory(
        objective=ObjectiveFactory(perspective__scorecard=world.scorecard), code="sales",
        minimum=0, maximum=None, baseline=None, target=150, time_aggregation="sum",
    )  # fmt: skip
    # Example 13 in months: Jul 100, Aug 110, Sep 125, Oct 130 → November forecast 142.5.
    for month, value in zip([7, 8, 9, 10], [100, 110, 125, 130], strict=True):
        Measurement.objects.create(
            kpi=kpi, period_start=dt.date(2026, month, 1), value=value,
            recorded_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )  # fmt: skip
    services.forecast_rule_set(scorecard=world.scorecard, at_risk_below=50)
    p = selectors.kpi_planning(kpi=kpi, as_of=AS_OF, window=_october(), current_target=150)
    first = p.forecast[0]
    assert first.period.start == dt.date(2026, 11, 1)
    assert first.value == approx(142.5) and first.target == 150
    assert p.chance == approx(0.0544, abs=1e-3)  # 1 − Φ(7.5 / 4.677)
    assert p.at_risk and p.risk_threshold == approx(0.5)
    assert len(p.forecast) == selectors.FORECAST_STEPS and not p.seasonal


def test_at_risk_marks_agree_with_the_kpi_page(world, django_assert_num_queries) -> None:
    from scorecard.kpis.evaluation import scorecard_evaluate_with_input

    objective = ObjectiveFactory(perspective__scorecard=world.scorecard)
    for code, target in [("sales", 150), ("visits", 120)]:
        kpi = KpiFactory(
            objective=objective, code=code, name=code.title(), minimum=0, maximum=None,
            baseline=None, target=target, time_aggregation="sum",
        )  # fmt: skip
        for month, value in zip([7, 8, 9, 10], [100, 110, 125, 130], strict=True):
            Measurement.objects.create(
                kpi=kpi, period_start=dt.date(2026, month, 1), value=value,
                recorded_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            )  # fmt: skip
    result, sc = scorecard_evaluate_with_input(scorecard=world.scorecard, as_of=AS_OF)
    with django_assert_num_queries(1):  # the rule, and no rule: nothing to mark
        assert (
            selectors.at_risk_marks(scorecard=world.scorecard, sc=sc, result=result, as_of=AS_OF)
            == {}
        )
    services.forecast_rule_set(scorecard=world.scorecard, at_risk_below=50)
    with django_assert_num_queries(1):
        marks = selectors.at_risk_marks(
            scorecard=world.scorecard, sc=sc, result=result, as_of=AS_OF
        )
    assert set(marks) == {"sales"}  # visits: 142.5 ± 4.68 against 120, over 99 %
    mark = marks["sales"]
    page = selectors.kpi_planning(kpi=kpi.__class__.objects.get(code="sales"), as_of=AS_OF,
                                  window=_october(), current_target=150)  # fmt: skip
    assert mark.chance == page.chance == approx(0.0544, abs=1e-3)
    assert mark.period.start == dt.date(2026, 11, 1) and mark.target == 150
    assert chance_text(mark.chance) == "5\u00a0%"
    assert "at risk below 50\u00a0%" in risk_explanation(mark)


def test_link_evidence_untested_with_little_data(sales) -> None:
    other = ObjectiveFactory(perspective=sales.internal, code="grow", name="Grow")
    KpiFactory(objective=other, code="growth", indicator="leading")
    empty = ObjectiveFactory(perspective=sales.internal, code="empty", name="Empty")
    link_create(cause=other, effect=sales.objective)
    link_create(cause=empty, effect=sales.objective)
    found = {
        e.link.cause.code: e
        for e in selectors.link_evidence(scorecard=sales.scorecard, as_of=AS_OF)
    }
    assert found["grow"].verdict == "untested" and found["grow"].leading.code == "growth"
    assert found["grow"].lagging.code == "visitors"
    assert found["empty"].evidence is None and "has no KPI" in found["empty"].reason


def test_link_evidence_supported_by_a_lagged_history(world) -> None:
    cause = ObjectiveFactory(perspective__scorecard=world.scorecard, code="train")
    effect = ObjectiveFactory(perspective=cause.perspective, code="quality")
    lead = KpiFactory(objective=cause, code="training", indicator="leading", time_aggregation="sum")
    lag = KpiFactory(
        objective=effect, code="first_pass", indicator="lagging", time_aggregation="sum"
    )
    wave = [3, 9, 4, 8, 2, 7, 5, 9, 1, 6, 4, 8, 3, 7, 5, 6]
    recorded = dt.datetime(2026, 11, 5, tzinfo=dt.UTC)
    for i, value in enumerate(wave):
        month = dt.date(2025 + (6 + i) // 12, (6 + i) % 12 + 1, 1)
        Measurement.objects.create(kpi=lead, period_start=month, value=value, recorded_at=recorded)
        if i + 2 < len(wave):
            later = dt.date(2025 + (8 + i) // 12, (8 + i) % 12 + 1, 1)
            Measurement.objects.create(
                kpi=lag, period_start=later, value=50 + 3 * value, recorded_at=recorded
            )
    link_create(cause=cause, effect=effect)
    (item,) = selectors.link_evidence(scorecard=world.scorecard, as_of=AS_OF)
    assert item.verdict == "supported"
    assert item.evidence.best_lag == 2 and item.evidence.r == approx(1.0)


def test_funnel_change_against_a_chosen_earlier_period(sales) -> None:
    import math

    recorded = dt.datetime(2026, 9, 5, tzinfo=dt.UTC)
    for code, value in {"visitors": 4000, "signups": 160, "leads": 16, "deals": 1.6}.items():
        Measurement.objects.create(
            kpi=sales.kpis[code], period_start=dt.date(2026, 8, 1), value=value,
            recorded_at=recorded,
        )  # fmt: skip
    a = selectors.funnel_analysis(funnel=sales.funnel, as_of=AS_OF, compare=dt.date(2026, 8, 31))
    assert a.previous_window.start == dt.date(2026, 8, 1)
    assert [r.previous for r in a.stages] == [4000, 160, 16, 1.6]
    assert a.change == approx(1.1) and sum(r.part for r in a.stages) == approx(1.1)
    weight = (2.7 - 1.6) / math.log(2.7 / 1.6)
    assert a.stages[0].part == approx(weight * math.log(1.5))
    assert a.stages[1].part == approx(weight * math.log(0.045 / 0.04))
    # Without a choice the comparison is with the period before (September).
    assert selectors.funnel_analysis(funnel=sales.funnel, as_of=AS_OF).previous_window.start == SEP


SEP = dt.date(2026, 9, 1)
