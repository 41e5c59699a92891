"""Planning numbers out (issue 13): the API and ``scorecard plan`` give the planning
pages' numbers unrounded, from the same selectors, and the pages show them rounded.

The sales funnel of conftest.py: September 5,000 visitors → 200 sign-ups → 20 leads →
2 deals (the worked example of docs/planning.md), October 6,000 → 270 → 27 → 2.7;
the deals' target is 3.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import json
import pkgutil
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from ninja import Schema

from scorecard.api import routers
from scorecard.engine import forecast as fc
from scorecard.engine import funnel as fn
from scorecard.kpis.models import Measurement
from scorecard.planning.models import FunnelStage
from scorecard.planning.services import benchmark_add
from scorecard.presentation.numbers import format_number
from scorecard.presentation.planning import proposal_input
from tests.factories import KpiFactory

pytestmark = pytest.mark.django_db

SEPTEMBER = "2026-10-15"  # September is then the latest complete month


def api(sales: Any, path: str, role: str = "viewer", **query: Any) -> Any:
    return sales.world.client_for(role).get(f"/api/v1{path}", query)


def plan(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("plan", *args, "--org", "northwind", "--scorecard", "company", stdout=out)
    return json.loads(out.getvalue())


# --- funnels -----------------------------------------------------------------------------


def test_the_worked_example_5000_visitors_to_2_deals(sales) -> None:  # type: ignore[no-untyped-def]
    data = api(sales, f"/funnels/{sales.funnel.pk}/plan", as_of=SEPTEMBER).json()
    assert data["window"] == {"start": "2026-09-01", "end": "2026-09-30"}
    stages = data["stages"]
    assert [s["value"] for s in stages] == [5000, 200, 20, 2]
    assert [s["rate"] for s in stages] == [None, pytest.approx(0.04), 0.1, 0.1]
    assert data["final_target"] == 3
    assert [s["target"] for s in stages] == pytest.approx([7500, 300, 30, 3])
    assert data["split"]["volume_needed"] == pytest.approx(7500)
    assert data["split"]["each_rate_factor"] == pytest.approx(1.5 ** (1 / 3))
    best = data["best_lever"]
    # One point more on the lowest rate (4 % → 5 %) helps most: 2.5 deals.
    assert best["conversion"] == "Visitors → Signups"
    assert (best["rate"], best["new_rate"]) == pytest.approx((0.04, 0.05))
    assert best["result_points"] == pytest.approx(2.5)
    assert [lv["result_relative"] for lv in data["levers"]] == pytest.approx([2.2] * 3)
    assert [lv["position"] for lv in data["levers"]] == [1, 2, 3]


def test_the_api_gives_the_engines_numbers_and_the_page_shows_them_rounded(sales) -> None:  # type: ignore[no-untyped-def]
    data = api(sales, f"/funnels/{sales.funnel.pk}/plan").json()
    # The engine, called by hand on October's volumes.
    rates = fn.rates_from_volumes([6000, 270, 27, 2.7])
    levers = fn.levers(6000, rates)
    assert [lv["result_points"] for lv in data["levers"]] == [x.result_points for x in levers]
    assert [lv["result_relative"] for lv in data["levers"]] == [x.result_relative for x in levers]
    assert [s["target"] for s in data["stages"]] == fn.back_cascade(3, rates)
    lmdi = fn.lmdi(fn.funnel_factors([5000, 200, 20, 2]), fn.funnel_factors([6000, 270, 27, 2.7]))
    assert [p["part"] for p in data["attribution"]["parts"]] == list(lmdi.parts)
    assert sum(p["part"] for p in data["attribution"]["parts"]) == pytest.approx(0.7)
    # Full precision: 2.97 deals, not the 2 or 3 a rounding would give.
    assert data["levers"][1]["result_relative"] == pytest.approx(2.97)
    assert data["stages"][0]["target"] == pytest.approx(6666.666666666667)
    # The page shows the same numbers, rounded for people.
    page = sales.world.client_for("viewer").get(sales.url("funnel_detail", sales.funnel.pk))
    text = html.unescape(page.content.decode())
    shown_targets = re.findall(r'<td class="num stage-target">([^<]*)</td>', text)
    assert shown_targets == [format_number(s["target"]) for s in data["stages"]]
    assert shown_targets[0] == "6,667"
    for lever in data["levers"]:
        assert f"{format_number(lever['result_relative'])} <span" in text
        assert f"{format_number(lever['result_points'])} <span" in text
    parts = re.findall(r'<td class="num part">([^<]*)</td>', text)
    assert [p.lstrip("+") for p in parts] == [
        format_number(p["part"]) for p in data["attribution"]["parts"]
    ]


def test_the_command_line_says_the_same_as_the_api(sales) -> None:  # type: ignore[no-untyped-def]
    from_api = api(sales, f"/funnels/{sales.funnel.pk}/plan", target="4", compare="2026-09-30")
    from_cli = plan(
        "funnel", "--funnel", "Sales funnel", "--target", "4", "--compare", "2026-09-30"
    )
    assert from_cli == {"items": [from_api.json()]}
    by_kpi = plan("funnel", "--kpi", "leads", "--target", "4", "--compare", "2026-09-30")
    assert by_kpi == from_cli
    by_api = api(sales, f"/kpis/{sales.kpis['leads'].pk}/plan/funnels", target="4").json()
    assert by_api["items"][0]["final_target"] == 4
    listed = api(sales, f"/scorecards/{sales.scorecard.pk}/funnels").json()
    assert listed == {
        "items": [{"id": sales.funnel.pk, "name": "Sales funnel", "scorecard": sales.scorecard.pk}]
    }


def test_lever_steps_and_costs(sales) -> None:  # type: ignore[no-untyped-def]
    data = plan("funnel", "--funnel", str(sales.funnel.pk), "--points", "2", "--relative", "5")
    assert data["items"][0]["points"] == pytest.approx(0.02)
    assert data["items"][0]["levers"][0]["result_relative"] == pytest.approx(2.835)
    assert data["items"][0]["costs_known"] is False


def test_lever_costs_match_the_page(sales) -> None:  # type: ignore[no-untyped-def]
    for position, cost in ((1, 500.0), (2, 100.0), (3, 50.0)):
        FunnelStage.objects.filter(funnel=sales.funnel, position=position).update(cost=cost)
    data = api(sales, f"/funnels/{sales.funnel.pk}/plan").json()
    assert data["costs_known"] is True
    costs = [lv["cost_per_gain"] for lv in data["levers"]]
    assert costs == sorted(costs)  # cheapest first
    for lever in data["levers"]:
        assert lever["cost_per_gain"] == lever["cost"] / lever["gain_points"]
    page = sales.world.client_for("viewer").get(sales.url("funnel_detail", sales.funnel.pk))
    shown = re.findall(r'<td class="num cost-per-gain">([^<]*)</td>', page.content.decode())
    assert shown == [format_number(c) for c in costs]


# --- forecasts, growth paths, benchmarks, proposals --------------------------------------


def test_the_forecast_gives_slope_intercept_and_the_page_shows_it(sales) -> None:  # type: ignore[no-untyped-def]
    deals = sales.kpis["deals"]
    data = api(sales, f"/kpis/{deals.pk}/plan/forecast").json()
    model = data["model"]
    # Two values, 2 (x = 0, September) and 2.7 (x = 1, October): the line through them.
    assert model["x0"] == {"start": "2026-09-01", "end": "2026-09-30"}
    assert model["slope"] == pytest.approx(0.7)
    assert model["intercept"] == pytest.approx(2.0)
    assert model["sigma"] is None  # no degrees of freedom left: no interval
    first = data["points"][0]
    assert first["period"] == {"start": "2026-11-01", "end": "2026-11-30"}
    assert first["x"] == 2.0
    assert first["value"] == pytest.approx(model["intercept"] + 2 * model["slope"])
    _, predictions = fc.forecast_series([2, 2.7], 6)
    assert [p["value"] for p in data["points"]] == [p.value for p in predictions]
    assert data["chance"] is None and data["chance_target"] == 3
    # The KPI page's forecast table shows the same values, rounded.
    page = sales.world.client_for("viewer").get(sales.url("kpi_detail", "deals"))
    text = html.unescape(page.content.decode())
    for point in data["points"]:
        assert f'<td class="num">{format_number(point["value"])}</td>' in text
    assert from_cli_equals(sales, "forecast", data)


def from_cli_equals(sales: Any, subject: str, data: dict[str, Any], *extra: str) -> bool:
    return plan(subject, "--kpi", data["kpi"]["code"], *extra) == data


def test_a_forecast_with_an_interval_and_a_chance(sales) -> None:  # type: ignore[no-untyped-def]
    deals = sales.kpis["deals"]
    recorded = dt.datetime(2026, 11, 5, tzinfo=dt.UTC)
    for month, value in ((6, 1.5), (7, 1.9), (8, 2.1)):
        Measurement.objects.create(
            kpi=deals, period_start=dt.date(2026, month, 1), value=value, recorded_at=recorded
        )
    data = api(sales, f"/kpis/{deals.pk}/plan/forecast").json()
    model, predictions = fc.forecast_series([1.5, 1.9, 2.1, 2, 2.7], 6)
    assert model is not None
    assert (data["model"]["slope"], data["model"]["intercept"]) == (model.slope, model.intercept)
    first = data["points"][0]
    assert (first["low"], first["high"]) == (predictions[0].low, predictions[0].high)
    chance = fc.chance_of_meeting(predictions[0], 3, higher_is_better=True)
    assert data["chance"] == chance and 0 < chance < 1


def test_growth_path_and_proposals(sales) -> None:  # type: ignore[no-untyped-def]
    deals = sales.kpis["deals"]
    growth = api(sales, f"/kpis/{deals.pk}/plan/growth-path", end="5.4", years="1").json()
    # From 2.7 (October) to 5.4 in a year: ×2 a year, 2^(1/12) a month.
    assert growth["yearly_rate"] == pytest.approx(1.0)
    assert growth["rate_per_period"] == pytest.approx(2 ** (1 / 12) - 1)
    assert growth["start"] == 2.7
    assert growth["start_period"] == {"start": "2026-10-01", "end": "2026-10-31"}
    assert growth["path"][0] == {
        "period": {"start": "2026-11-01", "end": "2026-11-30"},
        "value": pytest.approx(2.7 * 2 ** (1 / 12)),
    }
    assert growth["path"][-1]["period"]["start"] == "2027-10-01"
    assert growth["path"][-1]["value"] == pytest.approx(5.4)
    assert len(growth["path"]) == 12
    assert growth["proposal"]["value"] == growth["path"][0]["value"]
    assert growth["proposal"]["period"]["start"] == "2026-11-01"
    assert from_cli_equals(sales, "growth", growth, "--end", "5.4", "--years", "1")

    proposals = api(
        sales, f"/kpis/{deals.pk}/plan/proposals", growth_end="5.4", growth_years="1", check="9"
    ).json()
    kinds = {p["kind"]: p for p in proposals["proposals"]}
    assert kinds["mean"]["value"] == pytest.approx(2.35)
    assert kinds["best"]["value"] == 2.7
    assert kinds["growth_path"]["value"] == growth["proposal"]["value"]
    assert kinds["mean"]["label"] == "Average"
    assert proposals["check"]["value"] == 9
    assert "beyond_best" in proposals["check"]["check"]["warnings"]
    assert proposals["target_in_force"]["value"] == 3
    assert proposals["first_guess"] is True
    # Conversion-chain proposals for the upper stages: back-cascaded from the target.
    signups = api(sales, f"/kpis/{sales.kpis['signups'].pk}/plan/proposals").json()
    chain = next(p for p in signups["proposals"] if p["kind"] == "chain")
    assert chain["value"] == pytest.approx(300)
    # The KPI page offers the same numbers in its accept form.
    page = sales.world.client_for("editor").get(
        sales.url("kpi_detail", "deals") + "?growth_end=5.4&growth_years=1&check=9"
    )
    text = page.content.decode()
    for proposal in proposals["proposals"]:
        assert f'value="{proposal_input(proposal["value"])}"' in text
    assert from_cli_equals(
        sales, "targets", proposals, "--end", "5.4", "--years", "1", "--check", "9"
    )


def test_benchmarks(sales) -> None:  # type: ignore[no-untyped-def]
    deals = sales.kpis["deals"]
    benchmark_add(
        kpi=deals, value=3.25, source="Peers 2026", as_of=dt.date(2026, 6, 1), percentile=75
    )
    data = api(sales, f"/kpis/{deals.pk}/plan/benchmarks").json()
    assert [(b["value"], b["percentile"], b["source"]) for b in data["benchmarks"]] == [
        (3.25, 75, "Peers 2026")
    ]
    assert from_cli_equals(sales, "benchmarks", data)
    proposals = plan("targets", "--kpi", "deals")
    assert any(p["kind"] == "benchmark" and p["value"] == 3.25 for p in proposals["proposals"])


# --- bad inputs --------------------------------------------------------------------------


def test_bad_inputs_give_clear_errors(sales) -> None:  # type: ignore[no-untyped-def]
    lonely = KpiFactory(objective=sales.objective, code="lonely", name="Lonely", position=9)
    response = api(sales, f"/kpis/{lonely.pk}/plan/funnels")
    assert response.status_code == 404
    assert "not a stage of any funnel" in response.json()["detail"]
    response = api(sales, f"/kpis/{lonely.pk}/plan/forecast")
    assert response.status_code == 422
    assert "Not enough history" in response.json()["detail"]
    response = api(sales, f"/kpis/{lonely.pk}/plan/growth-path", end="10", years="2")
    assert response.status_code == 422
    assert "latest value" in response.json()["detail"]
    response = api(sales, f"/funnels/{sales.funnel.pk}/plan", target="-1")
    assert response.status_code == 422 and "above zero" in response.json()["detail"]
    response = api(sales, f"/funnels/{sales.funnel.pk}/plan", points="2")
    assert response.status_code == 422 and "points" in response.json()["detail"]
    assert api(sales, "/kpis/999999/plan/forecast").status_code == 404
    assert api(sales, "/funnels/999999/plan").status_code == 404
    for args, message in [
        (("forecast", "--kpi", "nope"), "no KPI with the code “nope”"),
        (("funnel", "--kpi", "lonely"), "not a stage of any funnel"),
        (("forecast", "--kpi", "lonely"), "Not enough history"),
        (("growth", "--kpi", "deals"), "needs --end"),
        (("funnel", "--funnel", "Nope"), "no funnel “Nope”"),
        (("funnel",), "Name the funnel"),
        (("funnel", "--funnel", "Sales funnel", "--points", "0"), "between 0 and 100"),
    ]:
        with pytest.raises(CommandError, match=message):
            plan(*args)
    with pytest.raises(CommandError, match="no scorecard"):
        call_command("plan", "forecast", "--org", "northwind", "--scorecard", "nope")


def test_answer_schemas_do_not_share_a_name_with_another_routers() -> None:
    """The OpenAPI document keys schemas by class name: two routers' ``ProposalOut``
    would silently describe one of them wrongly."""
    seen: dict[str, str] = {}
    clashes = []
    for info in pkgutil.iter_modules(routers.__path__):
        module = importlib.import_module(f"{routers.__name__}.{info.name}")
        for attr in vars(module).values():
            if not (isinstance(attr, type) and issubclass(attr, Schema)):
                continue
            if attr.__module__ != module.__name__:
                continue
            if seen.get(attr.__name__, module.__name__) != module.__name__:
                clashes.append((attr.__name__, seen[attr.__name__], module.__name__))
            seen.setdefault(attr.__name__, module.__name__)
    assert "PlanProposalOut" in seen and "ProposalOut" in seen
    assert not clashes, clashes
