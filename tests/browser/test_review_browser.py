"""A review meeting in real Chromium on the demo company: an editor holds it, keeps
notes and records a decision that becomes someone's task; a value corrected
afterwards changes the scorecard page but not the meeting's frozen numbers."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")

SCORECARD = "/o/northwind/s/company/"
#: Revenue of October 2026 in the demo (its latest complete month on 23 Nov 2026).
OLD_REVENUE = "1,978,000 €"
NEW_REVENUE = "2,401,000 €"


def cell_text(page: Any, selector: str) -> str:
    """A cell's text with no-break spaces as plain ones."""
    return " ".join(page.inner_text(selector).replace("\u00a0", " ").split())


def test_a_review_keeps_its_numbers_and_its_decision_becomes_a_task(page: Any) -> None:
    # An editor holds the November review from the scorecard page.
    sign_in(page, "strategy")
    page.goto(SCORECARD)
    live_before = cell_text(page, "#kpi-revenue td.num")
    assert live_before == OLD_REVENUE
    page.get_by_role("link", name="Review meetings").click()
    page.wait_for_url("**/reviews/")
    assert "No review meeting yet" in page.inner_text("table.list")
    page.get_by_label("Title").fill("November review")
    screenshot(page, "review-list")
    page.get_by_role("button", name="Hold review").click()

    page.wait_for_url(re.compile(r".*/reviews/\d+/$"))
    meeting_url = page.url
    assert page.get_by_role("heading", name="November review").is_visible()
    assert "the numbers are kept as they are now" in page.inner_text(".messages")
    assert "Held on 23 Nov 2026" in page.inner_text(".pagehead")
    assert cell_text(page, "#frozen-revenue td.num") == OLD_REVENUE
    frozen_score = page.inner_text("#meeting-score")
    assert re.fullmatch(r"\d+\.\d\s%", frozen_score.strip())

    # Notes, kept as written.
    page.get_by_label("Meeting notes").fill(
        "Revenue behind plan since summer.\nRetail orders moved into November."
    )
    page.get_by_role("button", name="Save notes").click()
    page.wait_for_selector("text=Saved the notes.")
    assert "Retail orders moved into November." in page.get_by_label("Meeting notes").input_value()

    # A decision with an owner and a deadline becomes that person's task.
    page.get_by_label("Decision", exact=True).fill("Call the three largest retailers")
    page.get_by_label("Owner").select_option(label="Marc Dubois (cfo)")
    page.get_by_label("Deadline").fill("2026-12-15")
    page.get_by_role("button", name="Add decision").click()
    page.wait_for_selector("text=Recorded the decision")
    decisions = page.inner_text("#decisions ol.decisions")
    assert "Call the three largest retailers" in decisions
    assert "Marc Dubois" in decisions and "due 15 Dec 2026" in decisions
    assert "Decisions from reviews" in decisions
    screenshot(page, "review-meeting")

    # The owner, a contributor, finds the task and corrects October's revenue.
    page.context.clear_cookies()
    sign_in(page, "cfo")
    tasks = page.inner_text("#h-tasks + ul")
    assert "Call the three largest retailers" in tasks and "due 15 Dec 2026" in tasks
    page.goto(SCORECARD + "kpi/revenue/")
    page.get_by_label("Period", exact=True).select_option(label="Oct 2026")
    page.get_by_role("textbox", name="Value").fill("2401000")
    page.get_by_role("textbox", name="Note").fill("Late retail invoices booked")
    page.get_by_role("button", name="Save value").click()
    page.wait_for_selector("text=Saved.")

    # The scorecard page shows the new value ...
    page.goto(SCORECARD)
    assert cell_text(page, "#kpi-revenue td.num") == NEW_REVENUE
    # ... the meeting still shows what was on the table, and says so.
    page.goto(meeting_url)
    assert cell_text(page, "#frozen-revenue td.num") == OLD_REVENUE
    assert page.inner_text("#meeting-score") == frozen_score
    assert "do not change them" in page.inner_text(".frozen-note")
    assert "Retail orders moved into November." in page.inner_text("#notes")
    # A contributor reads the meeting but cannot change it.
    assert page.get_by_role("button", name="Save notes").count() == 0
    assert page.get_by_role("button", name="Add decision").count() == 0
    screenshot(page, "review-meeting-later")

    # The meeting is listed with the numbers it froze.
    page.get_by_role("link", name="Review meetings").click()
    row = page.get_by_role("row", name=re.compile("November review"))
    assert "23 Nov 2026" in row.inner_text()

    # The history tells the story: the meeting, its notes, the decision, the correction.
    page.goto(SCORECARD + "history/")
    history = " ".join(page.inner_text("ol.history").replace("\u00a0", " ").split())
    assert "Marc Dubois corrected the value of “Revenue” for Oct 2026" in history
    assert f"Value was {OLD_REVENUE} → now {NEW_REVENUE}" in history  # with screen-reader words
    assert "created the decision “Call the three largest retailers”" in history
    assert "created the review meeting “November review, 23 Nov 2026”" in history
    screenshot(page, "history")
