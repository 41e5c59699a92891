"""Involving everyone, in real Chromium on the demo company (docs/involvement.md):
a viewer's proposal accepted and credited, a pulse with exact awareness figures, the
adoption page for a frozen clock, and a share link for an anonymous browser."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from scorecard.kpis.models import Kpi
from scorecard.kpis.services import measurement_record
from scorecard.organizations.models import Organization
from scorecard.pulses.selectors import work_of
from scorecard.strategy.models import Objective
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")


def switch_user(page: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def test_a_viewer_proposes_a_kpi_and_an_editor_accepts_it(page: Any) -> None:
    sign_in(page, "viewer")
    page.goto("/o/northwind/s/company/objective/delight-customers/")
    page.locator("#proposals").get_by_role("link", name="Propose a change").click()
    assert page.get_by_label("What do you propose?").input_value() == "new_kpi"
    page.get_by_label("Name of the new item").fill("Repeat buyers")
    page.get_by_label("New target or weight").fill("40")
    page.get_by_label("Why?").fill("Delighted customers come back.")
    page.get_by_role("button", name="Send the proposal").click()
    page.wait_for_url("**/objective/delight-customers/")
    assert "your proposal is with the editors" in page.inner_text(".messages")

    switch_user(page, "strategy")  # an editor
    page.goto("/o/northwind/s/company/proposals/")
    row = page.locator("li.proposal", has_text="Repeat buyers")
    assert "Proposed by Tom Okafor" in row.inner_text()
    screenshot(page, "proposals-queue")
    row.get_by_role("button", name="Accept").click()
    assert "Accepted" in page.inner_text(".messages")

    page.goto("/o/northwind/s/company/")
    assert page.locator("#kpi-repeat_buyers").is_visible()
    page.goto("/o/northwind/s/company/kpi/repeat_buyers/history/")
    history = page.inner_text("main")
    assert re.search(r"Tom Okafor\s+created", history), history[:500]

    switch_user(page, "viewer")
    page.goto("/o/northwind/proposals/mine/")
    assert "Repeat buyers" in page.inner_text("main") and "Accepted" in page.inner_text("main")


def _objective_names(username: str) -> tuple[str, str]:
    """An objective the member's open work serves, and one it does not."""
    user = get_user_model().objects.get(username=username)
    organization = Organization.objects.get(slug="northwind")
    served = work_of(user=user, organization=organization).objective_ids
    assert served, f"{username} has no open work in the demo"
    company = Objective.objects.filter(scorecard__slug="company")
    match = company.filter(pk__in=served).order_by("pk").first()
    other = company.exclude(pk__in=served).order_by("pk").first()
    assert match is not None and other is not None
    return match.name, other.name


def test_a_pulse_and_the_awareness_by_unit(page: Any) -> None:
    answers = {
        "sales.lead": _objective_names("sales.lead")[0],  # agrees with their tasks
        "marketing": _objective_names("marketing")[1],  # does not
        "hr.lead": _objective_names("hr.lead")[0],  # agrees
    }
    sign_in(page, "admin")
    page.goto("/o/northwind/pulses/new/")
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_url(re.compile(r".*/pulses/\d+/$"))
    pulse_url = page.url

    for username, objective in answers.items():
        switch_user(page, username)
        page.goto("/o/northwind/pulses/")
        page.get_by_role("link", name="Why are you doing what you are doing right now?").click()
        page.get_by_role("checkbox", name=re.compile(re.escape(objective))).first.check()
        page.get_by_label("In a sentence").fill(f"{username} at work.")
        page.get_by_role("button", name="Send my answer").click()
        assert "Thank you" in page.inner_text(".messages")

    switch_user(page, "admin")
    page.goto(pulse_url)
    screenshot(page, "pulse-results")

    def row(unit: str) -> list[str]:
        cells = page.locator(f'#awareness tr[data-unit="{unit}"] td')
        return [re.sub(r"\s+", " ", c) for c in cells.all_inner_texts()]

    # Asked, answered, linked share (of answers), agreeing share (of those with work).
    assert row("Sales") == ["2", "2", "100.0 % (2 of 2)", "50.0 % (1 of 2)"]
    assert row("Northwind Outdoor") == ["6", "1", "100.0 % (1 of 1)", "100.0 % (1 of 1)"]
    assert row("Operations") == ["1", "0", "— (0 of 0)", "— (0 of 0)"]
    assert row("All units") == ["9", "3", "100.0 % (3 of 3)", "66.7 % (2 of 3)"]
    answers_text = page.inner_text("main")
    assert "does not match their tasks" in answers_text and "marketing at work." in answers_text


def test_the_adoption_page_for_a_frozen_clock(page: Any) -> None:
    sign_in(page, "viewer")
    page.goto("/o/northwind/s/company/kpi/revenue/")  # opened today (2026-11-23)
    switch_user(page, "sales.lead")
    page.goto("/o/northwind/s/company/proposals/new/?kind=new_objective")
    page.get_by_label("Name of the new item").fill("Win back lapsed retailers")
    page.get_by_label("Perspective").select_option(label="Customer")
    page.get_by_label("Why?").fill("They know us already.")
    page.get_by_role("button", name="Send the proposal").click()

    switch_user(page, "strategy")
    page.goto("/o/northwind/adoption/")
    screenshot(page, "adoption")

    def row(unit: str) -> list[str]:
        cells = page.locator(f'#adoption-units tr[data-unit="{unit}"] td')
        return [re.sub(r"\s+", " ", c) for c in cells.all_inner_texts()]

    assert row("Northwind Outdoor") == ["6", "1 (16.7 %)", "1 (16.7 %)"]
    assert row("Sales") == ["2", "1 (50.0 %)", "1 (50.0 %)"]
    assert row("Operations") == ["1", "0 (0.0 %)", "0 (0.0 %)"]
    assert row("All units") == ["9", "2 (22.2 %)", "2 (22.2 %)"]
    people = page.inner_text("#adoption-people")
    assert re.search(r"Priya Nair\s+Sales\s+proposed", people)
    assert "Nobody used the scorecard in the last 30 days in: Operations" in page.inner_text("main")


def test_a_share_link_for_an_anonymous_browser(page: Any, browser: Any, live_server: Any,
                                                settings: Any) -> None:  # fmt: skip
    sign_in(page, "strategy")

    def create(label: str, frozen: str = "") -> str:
        page.goto("/o/northwind/s/company/share/")
        page.get_by_label("Who it is for").fill(label)
        page.get_by_label("Works until").fill("2026-12-31")
        if frozen:
            page.get_by_label("Freeze the numbers as of").fill(frozen)
        page.get_by_role("button", name="Create the link").click()
        match = re.search(r"https?://\S+/share/[\w-]+/", page.inner_text(".messages"))
        assert match, page.inner_text(".messages")
        return match.group(0)

    live_url = create("Board")
    live_detail = page.url
    frozen_url = create("Customer", frozen="2026-11-10")

    outsider = browser.new_context(base_url=live_server.url).new_page()
    outsider.goto(live_url)
    assert outsider.get_by_role("heading", name="Northwind Outdoor 2027").is_visible()
    assert outsider.locator("main a").count() == 0  # nothing to navigate to
    revenue_live = outsider.inner_text("#kpi-revenue .value")
    screenshot(outsider, "share-link")
    for url in ["/", "/o/northwind/s/company/", "/o/northwind/s/company/map/",
                "/o/northwind/s/company/kpi/revenue/", "/o/northwind/adoption/",
                "/o/northwind/s/company/share/"]:  # fmt: skip
        outsider.goto(url)
        assert "/login/" in outsider.url, url
    response = outsider.goto("/api/v1/scorecards")
    assert response is not None and response.status == 401

    # A correction of October's revenue: the live link shows it, the frozen one does not.
    revenue = Kpi.objects.get(scorecard__slug="company", code="revenue")
    measurement_record(kpi=revenue, period_start=dt.date(2026, 10, 1), value=123456)
    outsider.goto(frozen_url)
    assert outsider.inner_text("#kpi-revenue .value") == revenue_live
    assert "frozen as of 10 Nov 2026" in outsider.inner_text("#shared-as-of")
    outsider.goto(live_url)
    assert "123" in outsider.inner_text("#kpi-revenue .value")

    # Every view is logged; the owner sees them.
    page.goto(live_detail)
    assert page.locator("#share-views tbody tr").count() == 2
    page.get_by_role("button", name="Revoke").click()
    outsider.goto(live_url)
    assert "no longer works" in outsider.inner_text("h1")

    settings.SCORECARD_TODAY = "2027-01-01"  # after the frozen link's last day
    outsider.goto(frozen_url)
    assert "no longer works" in outsider.inner_text("h1")
    outsider.context.close()
