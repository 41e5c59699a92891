"""Cascading in real Chromium on the demo company: a department's scorecard in a few
clicks, its first value, and its score on the alignment view and in the company's."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")


def test_editor_cascades_the_company_scorecard_to_customer_service(page: Any) -> None:
    sign_in(page, "strategy")  # an editor
    page.goto("/o/northwind/s/company/")
    page.get_by_role("link", name="Cascade to a unit").click()
    page.get_by_label("Unit", exact=True).select_option(label="Customer service")
    page.get_by_label("Name of the new scorecard").fill("Customer service 2027")
    page.get_by_role("checkbox", name="Deliver on time, every time").check()
    page.get_by_role("checkbox", name="Delight our customers").check()
    page.get_by_label("Share of Delight our customers, in per cent").fill("30")
    screenshot(page, "cascade-form")
    page.get_by_role("button", name="Cascade").click()

    page.wait_for_url("**/s/customer-service-2027/")
    assert page.get_by_role("heading", name="Customer service 2027").is_visible()
    assert "Cascaded to Customer service" in page.inner_text(".messages")
    assert "cascaded from" in page.inner_text(".crumbs")
    assert page.locator("table.scorecard tr.kpi").count() >= 4  # the KPIs came along

    # The department records its first value; its score now counts.
    page.goto("/o/northwind/s/customer-service-2027/kpi/on_time_delivery/")
    page.get_by_label("Period", exact=True).select_option(label="Oct 2026")
    page.get_by_role("region", name="Enter or correct a value").get_by_role(
        "textbox", name="Value"
    ).fill("99")
    page.get_by_role("button", name="Save value").click()
    page.wait_for_selector("text=Saved.")
    assert "Why are we doing this?" in page.inner_text("#why-heading")
    chain = page.inner_text(".why")
    assert "Deliver on time, every time" in chain and "Every outdoor day starts" in chain

    page.goto("/o/northwind/alignment/")
    score = page.inner_text("#score-customer-service-2027")
    assert re.fullmatch(r"\d+\.\d\s%", score.strip())
    row = page.get_by_role("row", name=re.compile("Customer service 2027"))
    assert "Deliver on time, every time" in row.inner_text()
    screenshot(page, "alignment")

    # The company objective now holds the department's score for its share.
    page.goto("/o/northwind/s/company/objective/deliver-on-time/")
    alignment = page.inner_text("#alignment")
    assert "Customer service" in alignment and "share 50" in alignment
    screenshot(page, "objective-alignment")


def test_a_viewer_sees_the_alignment_but_cannot_cascade(page: Any) -> None:
    sign_in(page, "viewer")
    page.goto("/o/northwind/alignment/")
    assert page.locator("#score-sales").count() == 1
    assert page.get_by_role("link", name=re.compile("Cascade")).count() == 0
    response = page.goto("/o/northwind/s/company/cascade/")
    assert response.status == 403
