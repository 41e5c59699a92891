"""Custom windows (``view=custom&from=…&to=…``) and the half-year on the reading pages:
scorecard, htmx partial, map, KPI page, objective page and the PDF/XLSX reports, with real
requests; bad windows explained on the page, never a failure."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory, PerspectiveFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

#: 16 September – 31 October 2026: half of September (15 of 30 days) and all of October.
WINDOW = "?view=custom&from=2026-09-16&to=2026-10-31"
NBSP = "\u00a0"


@pytest.fixture
def frozen_today():
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        yield


@pytest.fixture
def card(world):
    """Revenue (summed, target 800 a month): 500 in September, 600 in October."""
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    objective = ObjectiveFactory(perspective=perspective, code="grow", name="Grow revenue")
    revenue = KpiFactory(
        objective=objective, code="revenue", name="Revenue", unit="€", minimum=0,
        maximum=1000, target=800, time_aggregation="sum",
    )  # fmt: skip
    for month, value in [(9, 500), (10, 600)]:
        MeasurementFactory(kpi=revenue, period_start=dt.date(2026, month, 1), value=value)
    return world


def url(name: str, *args: str) -> str:
    return reverse(name, args=["northwind", "company", *args])


def test_the_scorecard_page_scores_a_custom_window(card) -> None:
    html = card.client_for("viewer").get(url("scorecard_detail") + WINDOW).content.decode()
    # 500 · 15/30 + 600 = 850 against 800 · 15/30 + 800 = 1,200.
    assert f"850{NBSP}€" in html
    assert f"1,200{NBSP}€" in html
    assert "16 Sep 2026 – 31 Oct 2026" in html  # what the page is showing
    assert '<option value="custom" selected>' in html
    assert 'name="from" value="2026-09-16"' in html and 'name="to" value="2026-10-31"' in html
    assert 'role="alert"' not in html
    # Links keep the window: KPI and objective pages, the PDF and Excel reports.
    kept = "?view=custom&amp;from=2026-09-16&amp;to=2026-10-31"
    assert url("kpi_detail", "revenue") + kept in html
    assert url("objective_detail", "grow") + kept in html
    assert url("scorecard_report_start_pdf") + kept in html
    assert url("scorecard_report_start_xlsx") + kept in html


def test_from_and_to_alone_ask_for_a_window_and_htmx_gets_the_table(card) -> None:
    client = card.client_for("viewer")
    response = client.get(
        url("scorecard_detail") + "?from=2026-09-16&to=2026-10-31", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert f"850{NBSP}€" in html and "16 Sep 2026 – 31 Oct 2026" in html


def test_the_picker_offers_the_half_year_and_a_custom_window(card) -> None:
    client = card.client_for("viewer")
    html = client.get(url("scorecard_detail")).content.decode()
    assert '<option value="half_year">Half-year</option>' in html
    assert '<option value="custom">Custom window</option>' in html
    assert re.search(r"<fieldset[^>]*data-custom-window[^>]*hidden", html)  # until chosen
    # The half-year of a calendar fiscal year as of 23 November: July – December.
    html = client.get(url("scorecard_detail") + "?view=half_year").content.decode()
    assert '<option value="half_year" selected>' in html
    assert f"1,100{NBSP}€" in html  # September + October
    assert f"4,800{NBSP}€" in html  # six months of 800


def test_the_map_kpi_and_objective_pages_honour_the_window(card) -> None:
    client = card.client_for("viewer")
    html = client.get(url("strategy_map") + WINDOW).content.decode()
    assert url("objective_detail", "grow") + "?view=custom&amp;from=2026-09-16" in html
    assert 'role="alert"' not in html
    html = client.get(url("kpi_detail", "revenue") + WINDOW).content.decode()
    assert f"850{NBSP}€" in html
    assert url("scorecard_detail") + "?view=custom&amp;from=2026-09-16&amp;to=2026-10-31" in html
    response = client.get(url("objective_detail", "grow") + WINDOW)
    assert response.status_code == 200
    assert "is not a period choice" not in response.content.decode()


def test_the_reports_score_the_window(card) -> None:
    client = card.client_for("viewer")
    response = client.get(url("scorecard_report_xlsx") + WINDOW)
    assert response.status_code == 200
    assert "northwind-company-2026-09-16-to-2026-10-31.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert 850 in cells and 1200 in cells
    # The report names the window's days.
    assert any(isinstance(c, str) and "16 Sep 2026 – 31 Oct 2026" in c for c in cells)


BAD = [
    ("?view=custom&from=2026-10-31&to=2026-09-16", "The window ends (16 Sep 2026) before it"),
    ("?view=custom&from=someday&to=2026-10-31", "The from date “someday” is not a date"),
    ("?view=custom&from=2026-09-16&to=2026-02-30", "The to date “2026-02-30” is not a date"),
    ("?view=custom&from=2010-01-01&to=2026-10-31", "is longer than 10 years"),
    ("?view=custom&from=2026-12-01&to=2026-12-31", "The window starts in the future"),
    ("?view=custom&from=2026-09-16", "the to date is missing"),
    ("?view=custom", "the from date is missing"),
    ("?to=2026-10-31", "the from date is missing"),
]


@pytest.mark.parametrize(("query", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_windows_are_explained(card, query: str, message: str) -> None:
    client = card.client_for("viewer")
    for page in ["scorecard_detail", "strategy_map"]:
        response = client.get(url(page) + query)
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html and 'role="alert"' in html
        assert "Showing the latest period." in html
    html = client.get(url("kpi_detail", "revenue") + query).content.decode()
    assert message in html
    assert f"600{NBSP}€" in html  # the latest period instead: October
    # The picker keeps what was typed, so it can be corrected.
    html = client.get(url("scorecard_detail") + query).content.decode()
    assert '<option value="custom" selected>' in html or "view=custom" not in query
    assert client.get(url("scorecard_report_xlsx") + query).status_code == 200


def test_window_input_is_escaped(card) -> None:
    html = (
        card.client_for("viewer")
        .get(url("scorecard_detail") + "?view=custom&from=<script>x</script>&to=2026-10-31")
        .content.decode()
    )
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_a_bad_window_chosen_in_place_is_explained_in_the_swapped_table(card) -> None:
    response = card.client_for("viewer").get(
        url("scorecard_detail") + "?view=custom&from=2026-10-31&to=2026-09-16",
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html
    assert '<div id="period-errors" hx-swap-oob="true">' in html
    assert "The window ends (16 Sep 2026) before it starts" in html


def test_the_alignment_page_takes_a_window_too(card) -> None:
    client = card.client_for("viewer")
    response = client.get(reverse("alignment", args=["northwind"]) + WINDOW)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="custom" selected>' in html and 'role="alert"' not in html
    html = client.get(reverse("alignment", args=["northwind"]) + "?view=custom").content.decode()
    assert "the from date is missing" in html
