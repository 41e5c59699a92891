"""The "at risk" forecast rule (planning) marks KPIs on the scorecard table and the map."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scorecard.planning.models import ForecastRule
from scorecard.planning.services import forecast_rule_set
from scorecard.strategy.models import Scorecard
from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory, PerspectiveFactory
from tests.web.test_pages import _scorecard_with

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def frozen_today():
    with override_settings(SCORECARD_TODAY="2026-11-23"):  # October is the latest full month
        yield


def url(name: str, slug: str = "company") -> str:
    return reverse(name, args=["northwind", slug])


@pytest.fixture
def sales(world):
    """Two KPIs with the same history, Jul–Oct 100, 110, 125, 130 (the November forecast
    is 142.5 ± 4.68): "Sales" must reach 150 (about a 5 % chance), "Visits" 120 (over 99 %)."""
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    objective = ObjectiveFactory(perspective=perspective, code="grow", name="Grow sales")
    kpis = {}
    for position, (code, target) in enumerate([("sales", 150), ("visits", 120)]):
        kpi = KpiFactory(
            objective=objective, code=code, name=code.title(), unit="", minimum=0,
            maximum=None, baseline=None, target=target, time_aggregation="sum",
            position=position,
        )  # fmt: skip
        for month, value in zip([7, 8, 9, 10], [100, 110, 125, 130], strict=True):
            MeasurementFactory(kpi=kpi, period_start=dt.date(2026, month, 1), value=value)
        kpis[code] = kpi
    return world, kpis


def _pills(html: str) -> dict[str, str]:
    """KPI code → the text of its "at risk" pill."""
    return dict(re.findall(r'<span class="pill risk" id="risk-(\w+)"[^>]*>([^<]*)<', html))


@pytest.mark.parametrize("persona", ["admin", "editor", "contributor", "viewer"])
def test_the_pill_shows_when_the_chance_is_below_the_threshold(sales, persona) -> None:
    world, _ = sales
    forecast_rule_set(scorecard=world.scorecard, at_risk_below=50)
    html = world.client_for(persona).get(url("scorecard_detail")).content.decode()
    assert _pills(html) == {"sales": "at risk · 5\u00a0% chance"}
    title = re.search(r'id="risk-sales" title="([^"]*)"', html)
    assert title is not None
    assert "5\u00a0% chance of meeting the Nov 2026 target of 150" in title.group(1)
    assert "at risk below 50\u00a0%" in title.group(1)


def test_no_pill_without_the_rule_or_above_the_threshold(sales) -> None:
    world, _ = sales
    client = world.client_for("editor")
    html = client.get(url("scorecard_detail")).content.decode()
    assert _pills(html) == {} and "at risk" not in html
    forecast_rule_set(scorecard=world.scorecard, at_risk_below=3)  # Sales has about 5 %
    assert _pills(client.get(url("scorecard_detail")).content.decode()) == {}
    forecast_rule_set(scorecard=world.scorecard, at_risk_below=99)  # Visits has over 99 %
    assert set(_pills(client.get(url("scorecard_detail")).content.decode())) == {"sales"}


def test_the_period_selector_partial_keeps_the_pill(sales) -> None:
    world, _ = sales
    forecast_rule_set(scorecard=world.scorecard, at_risk_below=50)
    html = (
        world.client_for("viewer")
        .get(url("scorecard_detail") + "?view=ytd", HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert set(_pills(html)) == {"sales"}


def test_the_map_marks_the_objective_of_an_at_risk_kpi(sales) -> None:
    world, _ = sales
    client = world.client_for("viewer")
    html = client.get(url("strategy_map")).content.decode()
    assert 'class="risk"' not in html and 'id="risk-legend"' not in html
    forecast_rule_set(scorecard=world.scorecard, at_risk_below=50)
    html = client.get(url("strategy_map")).content.decode()
    assert html.count('<path class="risk"') == 1 and 'id="risk-legend"' in html
    assert "1 KPI at risk: Sales (5\u00a0% chance)" in html


def test_outsiders_see_nothing(sales) -> None:
    world, _ = sales
    forecast_rule_set(scorecard=world.scorecard, at_risk_below=50)
    assert world.client_for("outsider").get(url("scorecard_detail")).status_code == 404


@pytest.mark.parametrize("page", ["scorecard_detail", "strategy_map"])
def test_the_rule_costs_no_query_per_kpi(world, page) -> None:
    """With the rule on, 200 KPIs take as many queries as 10, and as many as with it off."""
    _scorecard_with(world, "small", 10)
    _scorecard_with(world, "big", 200)
    client = world.client_for("editor")
    counts = {}
    for rule in [False, True]:
        for slug in ["small", "big"]:
            if rule:
                forecast_rule_set(scorecard=Scorecard.objects.get(slug=slug), at_risk_below=50)
            client.get(url(page, slug))  # warm the session and caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url(page, slug))
            assert response.status_code == 200
            counts[(slug, rule)] = len(queries)
            if rule:
                assert 'class="pill risk"' in response.content.decode() or page == "strategy_map"
    assert ForecastRule.objects.count() == 2
    assert len(set(counts.values())) == 1, counts
