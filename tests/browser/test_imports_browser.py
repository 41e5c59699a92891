"""Importing a file of values in real Chromium: upload, columns, preview, import."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")

SCORECARD = "/o/northwind/s/company/"
HEADER = "Indicator,Month,Signed,Comment\n"


def csv_file(name: str, rows: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "text/csv", "buffer": (HEADER + rows).encode()}


def upload_and_map(page: Any, name: str, rows: str) -> None:
    page.set_input_files("#file", csv_file(name, rows))
    page.get_by_role("button", name="Upload and choose columns").click()
    page.wait_for_selector("h1:has-text('Which column holds what?')")
    # "Month" and "Comment" are recognised; the other two columns are chosen by hand.
    assert page.get_by_label("Period").input_value() == "1"
    page.get_by_label("KPI code").select_option(label="Indicator")
    page.get_by_label("Value").select_option(label="Signed")
    page.get_by_role("button", name="Check every row").click()
    page.wait_for_selector("h1:has-text('Check and import')")


def test_a_contributor_imports_a_csv_file(page: Any) -> None:
    sign_in(page, "sales.lead")  # a contributor who updates "deals"
    page.goto(SCORECARD)
    page.get_by_role("link", name="import from a file").click()
    page.wait_for_selector("h1:has-text('Import values')")

    upload_and_map(page, "crm.csv", "deals,2026-10-01,58,From the CRM\ndeals,2026-11-01,12%,\n")
    problems = page.locator(".importerrors li")
    assert problems.all_inner_texts() == [
        "Row 3, column 'Signed': '12%' is not a number (leave out the % sign)"
    ]
    assert page.get_by_role("button", name="Import").count() == 0
    screenshot(page, "import-preview-errors")

    page.get_by_role("button", name="Discard this file").click()
    page.wait_for_selector("text=nothing was imported")
    upload_and_map(page, "crm-fixed.csv", "deals,2026-10-01,58,From the CRM\n")
    row = page.locator("table.importpreview tbody tr").first
    assert "58" in row.inner_text() and "OK" in row.inner_text()
    page.get_by_role("button", name="Import 1 row").click()
    page.wait_for_selector("text=Imported 1 row: 0 new values, 1 correction")
    screenshot(page, "import-done")

    page.goto(SCORECARD + "kpi/deals/")
    assert page.inner_text("#kpi-value") == "58"
    october = page.locator("table.periods tbody tr").filter(
        has=page.get_by_role("rowheader", name="Oct 2026", exact=True)
    )
    assert "From the CRM" in october.inner_text()
    # the demo's earlier value is kept, struck through
    assert october.locator("del").first.inner_text().split() == ["earlier", "value", "37"]


def test_a_problem_in_the_preview_reads_across_its_cell_on_a_phone(page: Any) -> None:
    """The check column's sentence wraps at word ends: its row stays a few lines high
    (with a paragraph allowed to break anywhere the column shrank to one letter)."""
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, "strategy")
    page.goto(SCORECARD + "values/import/")
    upload_and_map(page, "late.csv", "revenue,2199-01-01,5,\n")
    problem = page.locator("table.importpreview tbody tr p.error").first
    assert "has not begun yet" in problem.inner_text()
    box = problem.bounding_box()
    assert box is not None and box["width"] >= 200, box
    assert box["height"] <= 120, box
    screenshot(page, "import-preview-problem-390")
