"""Past reports with the numbers known then: scorecard_evaluate(known_at=...) and the
scorecard page's "numbers as known then" option."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import override_settings

from scorecard.kpis import services
from scorecard.kpis.evaluation import scorecard_evaluate

pytestmark = pytest.mark.django_db

OCT = dt.date(2026, 10, 1)


@pytest.fixture
def corrected(card):
    """October's revenue: 600 (recorded 1 Feb, the factory's time), corrected to 640 on
    20 Nov; cost entered first on 20 Nov."""
    with override_settings(SCORECARD_TODAY="2026-11-20"):
        services.measurement_record(kpi=card.revenue, period_start=OCT, value=640)
        services.measurement_record(kpi=card.cost, period_start=dt.date(2026, 9, 1), value=35)
    return card


def kpi_value(html: str, code: str) -> str:
    row = re.search(rf'<tr class="kpi" id="kpi-{code}">(.*?)</tr>', html, re.DOTALL)
    assert row is not None
    return re.findall(r'<td class="num">(.*?)</td>', row.group(1))[0]


def test_scorecard_evaluate_known_at_ignores_later_corrections(corrected):
    card = corrected
    as_of = dt.date(2026, 11, 15)
    now = scorecard_evaluate(scorecard=card.scorecard, as_of=as_of)
    then = scorecard_evaluate(
        scorecard=card.scorecard, as_of=as_of, known_at=dt.datetime(2026, 11, 19, tzinfo=dt.UTC)
    )
    assert now.kpis["revenue"].value == 640
    assert then.kpis["revenue"].value == 600


def test_scorecard_page_shows_numbers_as_known_then(corrected):
    card = corrected
    client = card.world.client_for("viewer")
    url = card.url("scorecard_detail")
    today = client.get(url, {"as_of": "2026-11-15"}).content.decode()
    assert kpi_value(today, "revenue") == "640\u00a0€"
    then = client.get(url, {"as_of": "2026-11-15", "known": "then"}).content.decode()
    assert kpi_value(then, "revenue") == "600\u00a0€"
    assert "numbers as known then" in then
    assert 'name="known" value="then" checked' in then
    exact = client.get(
        url, {"as_of": "2026-11-15", "known_at": "2026-11-20T11:00:00+00:00"}
    ).content.decode()
    assert kpi_value(exact, "revenue") == "600\u00a0€"
    assert "numbers as known at 20 Nov 2026 11:00" in exact
    # The map offers the same choice.
    assert client.get(card.url("strategy_map"), {"known": "then"}).status_code == 200


def test_the_htmx_partial_and_links_keep_the_choice(corrected):
    card = corrected
    client = card.world.client_for("viewer")
    partial = client.get(
        card.url("scorecard_detail"),
        {"as_of": "2026-11-15", "known": "then"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert kpi_value(partial, "revenue") == "600\u00a0€"
    assert "known=then" in partial  # links to objectives and KPIs keep it


def test_a_bad_moment_is_explained_and_today_is_shown(corrected):
    card = corrected
    response = card.world.client_for("viewer").get(
        card.url("scorecard_detail"), {"known_at": "yesterday<script>"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "is not a moment" in html and "<script>" not in html.split("<main")[1]
    assert kpi_value(html, "revenue") == "640\u00a0€"


def test_known_then_for_today_changes_nothing(corrected):
    card = corrected
    client = card.world.client_for("viewer")
    html = client.get(card.url("scorecard_detail"), {"known": "then"}).content.decode()
    assert "numbers as known" not in html
