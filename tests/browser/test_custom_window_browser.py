"""The period picker's custom window in real Chromium: choosing it shows the from/to dates,
the table is swapped in place once both are there, and the page shows the engine's score."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scorecard.engine.windows import CustomWindow
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.presentation.numbers import pct
from scorecard.strategy.models import Scorecard
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")

SCORECARD = "/o/northwind/s/company/"


def test_pick_a_custom_window(page: Any) -> None:
    sign_in(page, "strategy")
    page.goto(SCORECARD)
    page.wait_for_selector("table.scorecard")
    dates = page.locator("[data-custom-window]")
    assert not dates.is_visible()
    assert page.locator("#view option[value='half_year']").count() == 1

    page.get_by_label("Period", exact=True).select_option("custom")
    assert dates.is_visible()
    assert not page.locator("#as_of").is_visible()  # the window says which days
    page.locator("#window-from").fill("2026-02-01")
    assert "view=custom" not in page.url  # nothing asked for until both dates are there
    page.locator("#window-to").fill("2026-03-31")
    page.wait_for_url("**view=custom&from=2026-02-01&to=2026-03-31")
    page.wait_for_selector(".big strong.smaller:has-text('1 Feb 2026 – 31 Mar 2026')")
    assert page.locator("[role=alert]:has-text('Showing the latest period')").count() == 0

    card = Scorecard.objects.get(organization__slug="northwind", slug="company")
    window = CustomWindow(dt.date(2026, 2, 1), dt.date(2026, 3, 31))
    result = scorecard_evaluate(scorecard=card, as_of=window.end, view=window.code)
    assert page.inner_text("#scorecard-score") == pct(result.score)
    screenshot(page, "scorecard-custom-window")

    # A window that ends before it starts is explained, and can be corrected in place.
    page.locator("#window-to").fill("2026-01-15")
    page.wait_for_selector("[role=alert]:has-text('before it starts')")
    assert dates.is_visible()
