"""A walk through the demo company in real Chromium: reading, entry, corrections, roles."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import readme_screenshot, screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")

SCORECARD = "/o/northwind/s/company/"


def test_read_the_scorecard_and_the_map(page: Any) -> None:
    sign_in(page, "strategy")
    assert page.get_by_role("heading", name="Northwind Outdoor").is_visible()
    screenshot(page, "home")

    page.get_by_role("link", name="Northwind Outdoor 2027").first.click()
    page.wait_for_selector("table.scorecard")
    assert page.get_by_role("heading", name="Northwind Outdoor 2027").is_visible()
    assert "Every outdoor day starts" in page.inner_text(".vm")
    assert page.locator("table.scorecard tr.kpi").count() >= 30
    assert re.fullmatch(r"\d+\.\d\s%", page.inner_text("#scorecard-score"))
    screenshot(page, "scorecard")
    readme_screenshot(page)

    # The period selector swaps the table in place (htmx) and keeps the URL in step.
    page.get_by_label("Period", exact=True).select_option("ytd")
    page.wait_for_url("**view=ytd**")
    page.wait_for_selector(".big strong.smaller:has-text('Year to date')")
    assert page.get_by_role("heading", name="Northwind Outdoor 2027").count() == 1

    page.get_by_role("link", name="Strategy map").click()
    page.wait_for_selector("svg.strategy-map")
    boxes = page.locator("svg.strategy-map a")
    assert boxes.count() >= 12
    screenshot(page, "strategy-map")
    boxes.first.click()
    page.wait_for_url(re.compile(r".*/objective/[\w-]+/.*"))


def test_enter_and_correct_a_value(page: Any) -> None:
    sign_in(page, "sales.lead")
    page.goto(SCORECARD + "kpi/deals/")
    assert page.inner_text("#kpi-status") == "Yellow"
    before_objective = page.inner_text("#objective-score")

    page.get_by_label("Period", exact=True).select_option(label="Oct 2026")
    page.get_by_role("region", name="Enter or correct a value").get_by_role(
        "textbox", name="Value"
    ).fill("58")
    page.get_by_role("textbox", name="Note").fill("Two partners signed late")
    page.get_by_role("button", name="Save value").click()
    page.wait_for_selector("text=Saved.")
    assert page.inner_text("#kpi-status") == "Green"
    assert page.inner_text("#kpi-value") == "58"
    assert page.inner_text("#objective-score") != before_objective
    screenshot(page, "kpi")

    # A correction keeps the earlier value, struck through in the periods table.
    page.get_by_role("region", name="Enter or correct a value").get_by_role(
        "textbox", name="Value"
    ).fill("41")
    page.get_by_role("textbox", name="Note").fill("Correction: one contract not countersigned")
    page.get_by_role("button", name="Save value").click()
    page.wait_for_selector("del >> text=58")
    assert page.inner_text("#kpi-value") == "41"
    assert page.locator("del", has_text="Two partners signed late").count() == 1

    # A bad value is refused next to the field and nothing changes.
    page.get_by_role("region", name="Enter or correct a value").get_by_role(
        "textbox", name="Value"
    ).fill("forty")
    page.get_by_role("button", name="Save value").click()
    page.wait_for_selector("#value-error")
    assert "is not a number" in page.inner_text("#value-error")
    assert page.inner_text("#kpi-value") == "41"


def test_entry_grid_is_all_or_nothing(page: Any) -> None:
    sign_in(page, "sales.lead")
    page.goto(SCORECARD + "entry/")
    rows = page.locator("table.grid tbody tr")
    assert 2 <= rows.count() < 20  # the contributor's own KPIs only
    deals = page.get_by_label(re.compile(r"^New retail partners signed, Oct 2026"))
    leads = page.get_by_label(re.compile(r"^Qualified leads, Oct 2026"))
    deals.fill("44")
    leads.fill("lots")
    page.get_by_role("button", name="Save all values").click()
    page.wait_for_selector("text=Nothing was saved")
    assert "is not a number" in page.inner_text("tr.has-error")
    page.goto(SCORECARD + "kpi/deals/")
    assert page.inner_text("#kpi-value") == "37"  # unchanged: nothing was saved

    page.goto(SCORECARD + "entry/")
    page.get_by_label(re.compile(r"^New retail partners signed, Oct 2026")).fill("44")
    page.get_by_role("button", name="Save all values").click()
    page.wait_for_selector("text=Saved 1 value (1 corrected).")
    screenshot(page, "entry-grid")


def test_viewer_reads_but_cannot_edit(page: Any) -> None:
    sign_in(page, "viewer")
    page.goto(SCORECARD + "kpi/revenue/")
    assert page.get_by_role("heading", name="Revenue").is_visible()
    assert page.get_by_role("button", name="Save value").count() == 0
    assert page.get_by_role("link", name="Enter data").count() == 0
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        SCORECARD + "kpi/revenue/record/",
        form={"period": "2026-10-01", "value": "1"},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert response.status == 403
    response = page.goto(SCORECARD + "entry/")
    assert response is not None and response.status == 403
