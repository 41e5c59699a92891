"""The planning pages of the demo company in real Chromium: the sales funnel with stage
targets, levers and attribution; a KPI chart with its forecast band and chance."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")

SCORECARD = "/o/northwind/s/company/"


def test_demo_sales_funnel(page: Any) -> None:
    sign_in(page, "strategy")
    page.goto(SCORECARD + "planning/")
    page.get_by_role("link", name="Sales funnel").click()
    page.wait_for_selector("table.funnel-stages")
    assert page.get_by_role("heading", name="Sales funnel").is_visible()
    targets = page.locator("td.stage-target").all_inner_texts()
    assert len(targets) == 4 and targets[-1] == "60"
    assert all(re.fullmatch(r"[\d,.]+(\s+visits)?", t) for t in targets), targets
    assert page.locator("table.levers tbody tr").count() == 3
    assert page.locator("svg.chart").first.is_visible()  # the lever chart
    parts = page.locator("table.attribution td.part").all_inner_texts()
    assert len(parts) == 4 and all(parts)
    screenshot(page, "funnel")
    # Compare with an earlier month: the change is split again.
    page.get_by_label("Compare with").select_option(index=3)
    page.get_by_role("button", name="Work out").click()
    page.wait_for_url("**compare=**")
    assert page.locator("#funnel-change").is_visible()


def test_kpi_chart_shows_the_forecast_band_and_the_chance(page: Any) -> None:
    sign_in(page, "strategy")
    page.goto(SCORECARD + "kpi/signups/")
    chart = page.locator("#h-history + .chart svg")
    assert chart.is_visible()
    assert chart.locator("path.forecast-band").count() == 1
    note = page.locator("#forecast-note")
    assert note.is_visible() and "shaded 80 % range" in note.inner_text()
    assert re.search(r"(under |over )?\d+\s%", page.inner_text("#chart-chance"))
    # The planning tools are folded; the chart note's "details" link opens the forecast.
    assert not page.locator("#chance").is_visible()
    page.locator("#forecast-note").get_by_role("link", name="details").click()
    assert page.locator("#chance").is_visible()
    assert page.get_by_role("heading", name="Target assistant").is_visible()
    screenshot(page, "kpi-forecast")
