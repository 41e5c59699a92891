"""Planning writes: funnels, benchmarks, accepted targets, levers as objectives, the risk rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from scorecard.kpis.models import Kpi, Target
from scorecard.planning import services
from scorecard.planning.models import Benchmark, ForecastRule, Funnel
from scorecard.strategy.models import Objective
from tests.factories import KpiFactory


def test_funnel_keeps_its_stage_order(sales) -> None:
    stages = list(sales.funnel.stages.order_by("position").values_list("kpi__code", flat=True))
    assert stages == ["visitors", "signups", "leads", "deals"]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("one stage", "at least two stages"),
        ("twice", "in the funnel twice"),
        ("rate", "a funnel stage is a volume"),
        ("other scorecard", "belongs to another scorecard"),
        ("no name", "needs a name"),
        ("same name", "already has a funnel called"),
        ("bad cost", "not a number"),
        ("zero cost", "above zero"),
    ],
)
def test_bad_funnels_are_refused_and_nothing_is_saved(sales, case: str, message: str) -> None:
    k = sales.kpis
    args = {"scorecard": sales.scorecard, "name": "Another", "kpis": [k["visitors"], k["deals"]]}
    if case == "one stage":
        args["kpis"] = [k["visitors"]]
    elif case == "twice":
        args["kpis"] = [k["visitors"], k["visitors"]]
    elif case == "rate":
        args["kpis"] = [k["visitors"], KpiFactory(objective=sales.objective, unit="%")]
    elif case == "other scorecard":
        args["kpis"] = [k["visitors"], KpiFactory(unit="")]
    elif case == "no name":
        args["name"] = "  "
    elif case == "same name":
        args["name"] = "Sales funnel"
    elif case == "bad cost":
        args["costs"] = ["", "lots"]
    elif case == "zero cost":
        args["costs"] = ["", "0"]
    with pytest.raises(ValidationError, match=message):
        services.funnel_create(**args)
    assert Funnel.objects.count() == 1


def test_funnel_update_replaces_stages_and_costs(sales) -> None:
    k = sales.kpis
    services.funnel_update(
        funnel=sales.funnel, name="Short funnel", kpis=[k["leads"], k["deals"]], costs=["", "250"]
    )
    sales.funnel.refresh_from_db()
    stages = list(sales.funnel.stages.order_by("position"))
    assert sales.funnel.name == "Short funnel"
    assert [(s.kpi.code, s.cost) for s in stages] == [("leads", None), ("deals", 250.0)]


def test_deleting_a_stage_kpi_removes_the_stage_only(sales) -> None:
    sales.kpis["leads"].delete()
    assert sales.funnel.stages.count() == 3


def test_benchmark_add(sales, world) -> None:
    benchmark = services.benchmark_add(
        kpi=sales.kpis["deals"], value="4.5", source=" Retail study ", as_of=dt.date(2026, 6, 30),
        percentile="75", user=world.editor,
    )  # fmt: skip
    assert (benchmark.value, benchmark.percentile, benchmark.source) == (4.5, 75.0, "Retail study")
    assert benchmark.added_by == world.editor


def test_benchmark_errors_name_every_field(sales) -> None:
    with pytest.raises(ValidationError) as caught:
        services.benchmark_add(
            kpi=sales.kpis["deals"], value="x", source="", as_of=None, percentile="120"
        )
    assert set(caught.value.message_dict) == {"value", "source", "as_of", "percentile"}
    assert Benchmark.objects.count() == 0


def test_target_accept_records_provenance_and_note(sales, world) -> None:
    target = services.target_accept(
        kpi=sales.kpis["deals"], period_start=dt.date(2026, 11, 1), value="3.5",
        provenance="history", note="Average: mean of 12 values.", user=world.editor,
    )  # fmt: skip
    assert (target.value, target.provenance, target.note) == (
        3.5,
        "history",
        "Average: mean of 12 values.",
    )
    assert target.set_by == world.editor


@pytest.mark.parametrize(
    ("period", "provenance", "message"),
    [
        (dt.date(2026, 11, 5), "history", "does not start"),
        (dt.date(2026, 11, 1), "guess", "Unknown target source"),
    ],
)
def test_target_accept_refuses_bad_input(sales, period, provenance, message) -> None:
    with pytest.raises(ValidationError, match=message):
        services.target_accept(
            kpi=sales.kpis["deals"], period_start=period, value=3, provenance=provenance, note=""
        )
    assert not Target.objects.filter(period_start=period).exists()


def test_lever_becomes_an_objective_with_a_kpi_and_target(sales, world) -> None:
    objective, kpi = services.lever_to_objective(
        funnel=sales.funnel, stage_position=1, new_rate=0.055, current_rate=0.045,
        note="+1 point on sign-ups", as_of=dt.date(2026, 11, 23), user=world.editor,
    )  # fmt: skip
    assert objective.perspective == sales.internal  # internal processes first
    assert objective.name == "Raise conversion from Visitors to Signups"
    assert kpi.formula == "signups / visitors * 100"
    assert (kpi.baseline, kpi.target, kpi.unit) == (4.5, 5.5, "%")
    target = Target.objects.get(kpi=kpi)
    assert (target.period_start, target.value, target.provenance) == (
        dt.date(2026, 11, 1), 5.5, "chain",
    )  # fmt: skip
    # A second click makes a second objective with free codes, not an error.
    again, kpi2 = services.lever_to_objective(
        funnel=sales.funnel, stage_position=1, new_rate=0.06, current_rate=0.045,
        note="", as_of=dt.date(2026, 11, 23),
    )  # fmt: skip
    assert again.code != objective.code and kpi2.code != kpi.code


@pytest.mark.parametrize(("position", "new_rate"), [(0, 0.1), (4, 0.1), (1, 0.04)])
def test_lever_needs_a_rate_and_an_improvement(sales, position, new_rate) -> None:
    before = (Objective.objects.count(), Kpi.objects.count())
    with pytest.raises(ValidationError):
        services.lever_to_objective(
            funnel=sales.funnel, stage_position=position, new_rate=new_rate,
            current_rate=0.045, note="", as_of=dt.date(2026, 11, 23),
        )  # fmt: skip
    assert (Objective.objects.count(), Kpi.objects.count()) == before


def test_forecast_rule(sales) -> None:
    rule = services.forecast_rule_set(scorecard=sales.scorecard, at_risk_below="40")
    assert rule is not None and rule.at_risk_below == pytest.approx(0.4)
    services.forecast_rule_set(scorecard=sales.scorecard, at_risk_below="60")
    assert ForecastRule.objects.get().at_risk_below == pytest.approx(0.6)
    with pytest.raises(ValidationError, match="between 1 and 99"):
        services.forecast_rule_set(scorecard=sales.scorecard, at_risk_below="150")
    assert services.forecast_rule_set(scorecard=sales.scorecard, at_risk_below="") is None
    assert not ForecastRule.objects.exists()


def test_scorecard_delete_takes_its_funnels(sales) -> None:
    from scorecard.strategy.services import scorecard_delete

    scorecard_delete(scorecard=sales.scorecard)
    assert not Funnel.objects.exists()
