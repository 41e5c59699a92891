"""A walk through the demo company in real Chromium."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from tests.browser.conftest import ROOT, screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")


def test_sign_in_scorecard_map_entry_and_correction(page: Any) -> None:
    sign_in(page, "strategy")
    screenshot(page, "home")
    page.get_by_role("link", name="Northwind Outdoor 2027").first.click()
    page.wait_for_selector("table.scorecard")
    assert page.get_by_role("heading", name="Northwind Outdoor 2027").is_visible()
    assert "Every outdoor day starts" in page.inner_text(".vm")
    shot = screenshot(page, "scorecard")
    if os.environ.get("SCORECARD_UPDATE_README_SCREENSHOT"):
        # Only on request, so that running the tests leaves the work tree clean.
        shutil.copy(shot, ROOT / "docs" / "images" / "scorecard.png")

    page.get_by_role("link", name="Strategy map").click()
    page.wait_for_selector("svg.strategy-map")
    assert page.locator("svg.strategy-map a").count() >= 12
    screenshot(page, "strategy-map")

    page.goto("/o/northwind/s/company/kpi/deals/")
    before_status = page.inner_text("#kpi-status")
    before_objective = page.inner_text("#objective-score")
    assert before_status == "Yellow"
    page.get_by_label("Period starting").fill("2026-10-01")
    page.get_by_label("Value").fill("58")
    page.get_by_label("Note").fill("Two partners signed late")
    page.get_by_role("button", name="Save value").click()
    page.wait_for_selector("text=Saved.")
    assert page.inner_text("#kpi-status") == "Green"
    assert page.inner_text("#objective-score") != before_objective
    screenshot(page, "kpi")

    page.get_by_label("Value").fill("41")
    page.get_by_label("Note").fill("Correction: one contract not countersigned")
    page.get_by_role("button", name="Save value").click()
    page.wait_for_selector("del >> text=58")
    assert page.inner_text("#kpi-value") == "41"
    assert page.locator("del", has_text="Two partners signed late").count() == 1


def test_entry_grid_and_objective_with_kpi(page: Any) -> None:
    sign_in(page, "admin")
    page.goto("/o/northwind/s/company/entry/?as_of=2026-11-23")
    assert page.locator("table.grid tbody tr").count() >= 30
    screenshot(page, "entry-grid")

    page.goto("/o/northwind/s/company/objectives/new/")
    page.get_by_label("Perspective").select_option(label="Customer")
    page.get_by_label("Name").fill("Open the Alpine market")
    page.get_by_label("Weight").fill("1")
    page.get_by_role("button", name="Add objective").click()
    page.wait_for_selector("h1:has-text('Open the Alpine market')")
    page.get_by_role("link", name="Add a KPI").click()
    page.get_by_label("Name").fill("Alpine retailers")
    page.get_by_label("Code").fill("alpine_retailers")
    page.get_by_label("Minimum").fill("0")
    page.get_by_label("Maximum").fill("25")
    page.get_by_role("button", name="Add KPI").click()
    page.wait_for_selector("a:has-text('Alpine retailers')")
    screenshot(page, "objective")


def test_viewer_cannot_edit(page: Any) -> None:
    sign_in(page, "viewer")
    page.goto("/o/northwind/s/company/kpi/revenue/")
    assert page.get_by_role("heading", name="Revenue").is_visible()
    assert page.get_by_role("button", name="Save value").count() == 0
    assert page.get_by_role("link", name="Enter data").count() == 0
    response = page.goto("/o/northwind/s/company/entry/")
    assert response is not None and response.status == 403
    response = page.goto("/o/northwind/s/company/objectives/new/")
    assert response is not None and response.status == 403
