"""Coverage everywhere a score is shown, the scorecard's minimum coverage ("not enough
data" instead of a number) in every view, and why a calculated KPI has no value."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from scorecard.api.services import api_token_create
from scorecard.engine.why import no_data_reason, zero_denominators
from scorecard.kpis.models import Measurement
from scorecard.meetings import services as meetings
from scorecard.strategy.models import Scorecard
from tests.api.conftest import JsonClient
from tests.audit.conftest import card, frozen_today  # noqa: F401 — shared fixtures
from tests.factories import KpiFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ratio(card: Any) -> Any:  # noqa: F811 — the shared fixture
    """Revenue per return, where October had no returns; and a KPI with no data."""
    returns = KpiFactory(objective=card.objective, code="returns", name="Returns", target=5)
    MeasurementFactory(kpi=returns, period_start=dt.date(2026, 10, 1), value=0)
    KpiFactory(
        objective=card.objective, code="per_return", name="Revenue per return",
        formula="revenue / returns", target=100, maximum=1000,
    )  # fmt: skip
    KpiFactory(objective=card.objective, code="survey", name="Survey", weight=2)
    return card


@pytest.mark.parametrize(
    ("formula", "values", "said"),
    [
        ("revenue / returns", {"revenue": 600, "returns": 0}, "the denominator returns is 0"),
        ("a / (b - c) * 100", {"a": 1, "b": 2, "c": 2}, "the denominator (b - c) is 0"),
        ("a / b + c / d", {"a": 1, "b": 0, "c": 1, "d": 0}, "the denominators b, d are 0"),
        ("if(a > 0, b / a, 0)", {"a": 0, "b": 2}, "the denominator a is 0"),
        ("value(a, -1) / 0", {"a": 1}, "the denominator 0 is 0"),
    ],
)
def test_the_zero_denominator_is_named(formula: str, values: dict, said: str) -> None:
    assert no_data_reason("division_by_zero", formula, values) == f"No data: {said} in this period."


def test_a_denominator_that_needs_other_periods_cannot_be_named() -> None:
    assert zero_denominators("a / value(b, -1)", {"a": 1, "b": 0}) == ()
    assert no_data_reason("division_by_zero", "a / value(b, -1)", {}) == (
        "No data: the formula divides by 0 in this period."
    )
    assert no_data_reason(None, "a / b", {"a": 1, "b": 0}) == ""


def test_the_scorecard_and_kpi_pages_say_why_a_ratio_has_no_value(ratio: Any) -> None:
    client = ratio.world.client_for("viewer")
    page = client.get(ratio.url("scorecard_detail")).content.decode()
    why = re.search(r'id="why-per_return">(.*?)<', page).group(1)
    assert why == "No data: the denominator returns is 0 in this period."
    kpi = client.get(ratio.url("kpi_detail", "per_return")).content.decode()
    assert re.search(r'id="kpi-why">(.*?)<', kpi).group(1) == why
    assert 'id="why-revenue"' not in page


def test_coverage_on_the_page_the_objective_rows_the_map_and_the_excel_report(
    ratio: Any,
) -> None:
    client = ratio.world.client_for("viewer")
    page = client.get(ratio.url("scorecard_detail")).content.decode()
    # revenue, cost and returns are scored; Revenue per return (no value) and Survey (no
    # data, weight 2) are not: 3 of 5 KPIs, 3 of 6 units of weight.
    coverage = re.search(r'id="scorecard-coverage">(.*?)<', page).group(1)
    assert coverage == "from 3 of 5 KPIs"
    assert re.search(r'id="coverage-grow">(.*?)<', page).group(1) == (
        "50.0\u00a0% of the weight has data"
    )
    assert (
        "50.0\u00a0% of the weight has data"
        in client.get(ratio.url("strategy_map")).content.decode()
    )
    book = load_workbook(io.BytesIO(client.get(ratio.url("scorecard_report_xlsx")).content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["Coverage"] == "from 3 of 5 KPIs (50.0\u00a0% of the weight)"


def test_below_the_minimum_coverage_every_view_says_not_enough_data(ratio: Any) -> None:
    Scorecard.objects.filter(pk=ratio.scorecard.pk).update(min_coverage=0.75)
    ratio.scorecard.refresh_from_db()
    client = ratio.world.client_for("viewer")
    page = client.get(ratio.url("scorecard_detail")).content.decode()
    assert re.search(r'id="scorecard-score">(.*?)<', page).group(1) == "—"
    assert ">Not enough data<" in page
    assert "at least 75.0\u00a0% of the weight needed" in page
    book = load_workbook(io.BytesIO(client.get(ratio.url("scorecard_report_xlsx")).content))
    rows = {row[0]: row[1:] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert rows["Overall score"][0] is None and rows["Overall score"][1] == "Not enough data"
    _, token = api_token_create(
        user=ratio.world.viewer, organization=ratio.world.organization, name="script"
    )
    data = JsonClient(token).get(f"/api/v1/scorecards/{ratio.scorecard.pk}/scores").json()
    assert (data["score"], data["status"]) == (None, "not_enough_data")
    assert (data["kpis_scored"], data["kpis_counted"], data["coverage"]) == (3, 5, 0.5)
    meeting = meetings.meeting_create(
        scorecard=ratio.scorecard, title="Thin data", held_on=dt.date(2026, 11, 23)
    )
    html = client.get(ratio.url("meeting_detail", meeting.pk)).content.decode()
    assert re.search(r'id="meeting-score">(.*?)<', html).group(1) == "—"
    assert ">Not enough data<" in html
    assert re.search(r'id="meeting-coverage">(.*?)<', html).group(1) == "from 3 of 5 KPIs"
    listed = client.get(ratio.url("meeting_list")).content.decode()
    assert re.search(rf'id="coverage-{meeting.pk}">(.*?)<', listed).group(1) == "from 3 of 5 KPIs"


def test_an_objective_without_any_data_says_no_data_once(ratio: Any) -> None:
    """ "No data" says it all: no "0.0 % of the weight has data" beside it."""
    Measurement.objects.filter(kpi__objective=ratio.objective).delete()
    client = ratio.world.client_for("viewer")
    for name in ("scorecard_detail", "strategy_map"):
        page = client.get(ratio.url(name)).content.decode()
        assert ">No data<" in page
        assert "of the weight has data" not in page
