"""Structure editing and action plans in real Chromium, on the demo company."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")


def test_editor_creates_an_objective_with_a_kpi(page: Any) -> None:
    sign_in(page, "strategy")  # an editor
    page.goto("/o/northwind/s/company/perspectives/")
    page.get_by_role("link", name="Add an objective to Customer").click()
    page.get_by_label("Name", exact=True).fill("Open the Alpine market")
    page.get_by_label("Description").fill("Dealers in Austria and Switzerland by next autumn.")
    page.get_by_label("Owner").select_option(label="Jonas Weber (strategy)")
    page.get_by_label("Weight").fill("2")
    page.get_by_role("button", name="Add objective").click()
    page.wait_for_selector("h1:has-text('Open the Alpine market')")
    assert page.get_by_text("No KPI measures this objective yet.").is_visible()

    page.get_by_role("link", name="Add a KPI").first.click()
    page.get_by_label("Name", exact=True).fill("Alpine retailers")
    page.get_by_label("Code", exact=True).fill("alpine_retailers")
    page.get_by_label("Minimum").fill("0")
    page.get_by_label("Maximum").fill("0")  # a mistake the form must explain
    page.get_by_role("button", name="Add KPI").click()
    page.wait_for_selector("text=nothing to measure on")
    screenshot(page, "manage-kpi-form-error")

    page.get_by_label("Maximum").fill("25")
    page.get_by_label("Target", exact=True).fill("12")
    page.get_by_label("Unit of measure").fill("shops")
    page.locator("summary", has_text="Data").click()  # folded: most KPIs keep the defaults
    page.get_by_label("Updated").select_option("quarter")
    page.get_by_role("button", name="Add KPI").click()
    page.wait_for_selector("h1:has-text('Open the Alpine market')")
    row = page.get_by_role("row", name="Alpine retailers")
    assert "12\u00a0shops" in row.inner_text()
    assert page.get_by_text("Added the KPI “Alpine retailers”.").is_visible()
    screenshot(page, "manage-objective")


def test_editor_reorders_perspectives_and_moves_a_task(page: Any) -> None:
    sign_in(page, "strategy")
    page.goto("/o/northwind/s/company/perspectives/")
    first = page.locator("#structure tr.perspective th").first.inner_text()
    # htmx swaps the table in place: the page itself does not reload.
    page.evaluate("window.__same_page = true")
    page.get_by_role("button", name=f"Move the perspective {first} down").click()
    page.wait_for_function(
        "n => document.querySelector('#structure tr.perspective th').innerText !== n", arg=first
    )
    assert page.evaluate("window.__same_page") is True
    screenshot(page, "manage-perspectives")

    page.get_by_role("link", name="Initiatives").first.click()
    page.wait_for_selector("h1:has-text('Initiatives')")
    assert page.locator("tr.overdue").count() >= 1
    screenshot(page, "manage-initiative-list")
    page.get_by_role("link", name="Board", exact=True).click()
    page.wait_for_selector(".board")
    screenshot(page, "manage-initiative-board")
    page.get_by_role("link", name="New online shop").first.click()
    page.wait_for_selector("h1:has-text('New online shop')")
    progress = page.inner_text("#initiative-progress strong")
    page.evaluate("window.__same_page = true")
    row = page.locator(
        "tr", has=page.locator("form.states button:not([disabled])", has_text="Done")
    )
    task = row.first.locator("th").inner_text()
    row.first.get_by_role("button", name=f"Mark “{task}” as done").click()
    page.wait_for_selector(f"del:has-text('{task}')")
    # The progress box is updated along with the row, still without a page load.
    page.wait_for_function(
        "p => document.querySelector('#initiative-progress strong').innerText !== p", arg=progress
    )
    assert page.evaluate("window.__same_page") is True
    screenshot(page, "manage-initiative")


def test_admin_sees_the_unit_tree_and_members(page: Any) -> None:
    sign_in(page, "admin")
    page.goto("/o/northwind/")
    page.wait_for_selector("ul.tree")
    assert page.locator("ul.tree li").count() >= 3
    assert page.get_by_role("heading", name="Members").is_visible()
    screenshot(page, "manage-organization")
