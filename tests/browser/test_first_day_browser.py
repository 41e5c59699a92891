"""An organization's first day in real Chromium: from an empty database to one's own
scorecard with an objective, a KPI and a value, without /admin/, in at most 15 page
actions (clicks and submits; typing into fields is not counted), with no validation
error on reasonable input. Run twice: with only a superuser, and with only
`scorecard init`'s set-up link. Screenshots of the new pages at 1440 and 390 px."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot

PASSWORD = "plum-orchard-47"
MAX_ACTIONS = 15


class Actions:
    """Counts the page actions a person takes (navigations, clicks, submits)."""

    def __init__(self, page: Any) -> None:
        self.page, self.count = page, 0

    def goto(self, url: str) -> None:
        self.count += 1
        self.page.goto(url)

    def click(self, locator: Any) -> None:
        self.count += 1
        locator.click()
        self.page.wait_for_load_state()
        # Reasonable input never meets a validation error.
        assert self.page.locator(".errorlist-top, p.error").count() == 0, self.page.content()[:3000]


def _own_scorecard(page: Any, steps: Actions, shots: str) -> None:
    """From the wizard's first page to a scorecard with an objective, a KPI and a value."""
    page.get_by_label("Organization name").fill("Alder Bikes")
    screenshot(page, f"{shots}-setup")
    steps.click(page.get_by_role("button", name="Create the organization"))
    page.wait_for_selector("h1:has-text('Invite people')")
    screenshot(page, f"{shots}-invite")
    steps.click(page.get_by_role("link", name="Go to your scorecard"))
    page.wait_for_selector("h1:has-text('Alder Bikes scorecard')")
    steps.click(page.get_by_role("link", name="Add an objective"))
    page.get_by_label("Perspective").select_option(label="Customer")
    page.get_by_label("Name", exact=True).fill("Happy riders")
    steps.click(page.get_by_role("button", name="Add objective"))
    page.wait_for_selector("h1:has-text('Happy riders')")
    steps.click(page.get_by_role("link", name="Add a KPI").first)
    screenshot(page, f"{shots}-kpi-form")
    page.get_by_label("Name", exact=True).fill("Bikes sold")
    page.get_by_label("Target", exact=True).fill("1,200")
    steps.click(page.get_by_role("button", name="Add KPI"))
    page.wait_for_selector("h1:has-text('Happy riders')")
    steps.click(page.get_by_role("link", name="Bikes sold").first)
    page.locator("#value").fill("950")
    steps.click(page.get_by_role("button", name="Save value"))
    page.wait_for_selector("text=950")
    steps.click(page.get_by_role("link", name="Alder Bikes scorecard").first)
    page.wait_for_selector("text=Bikes sold")
    assert "/admin/" not in page.url
    table = page.inner_text("main")
    assert "Happy riders" in table and "950" in table
    screenshot(page, f"{shots}-scorecard")
    assert steps.count <= MAX_ACTIONS, steps.count


@pytest.fixture
def empty(transactional_db: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_first_day_with_only_a_superuser(page: Any, empty: None) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    steps = Actions(page)
    steps.goto("/")
    page.get_by_label("User name").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    steps.click(page.get_by_role("button", name="Sign in"))
    page.wait_for_selector("h1:has-text('Set up an organization')")
    _own_scorecard(page, steps, "first-day-superuser")


def test_first_day_with_only_scorecard_init(page: Any, empty: None, settings: Any) -> None:
    settings.SCORECARD_BASE_URL = ""
    out = io.StringIO()
    call_command("init", stdout=out)
    link = re.search(r"(/setup/\S+)", out.getvalue())
    assert link
    steps = Actions(page)
    steps.goto(link.group(1))
    page.get_by_label("Your user name").fill("hanna")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    _own_scorecard(page, steps, "first-day-init")


@pytest.mark.parametrize("width", [1440, 390])
def test_screenshots_of_the_people_pages(browser: Any, live_server: Any, empty: None,
                                          width: int) -> None:  # fmt: skip
    from django.contrib.auth import get_user_model

    from scorecard.accounts.services import invitation_create
    from scorecard.onboarding.services import organization_setup

    root = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    result = organization_setup(name="Alder Bikes", starter="company", admin=root)
    issued = invitation_create(organization=result.organization, email="new@example.com",
                               role="editor", invited_by=root, send=False)  # fmt: skip
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  base_url=live_server.url)  # fmt: skip
    page = context.new_page()
    page.goto("/login/")
    screenshot(page, f"people-{width}-login")
    page.goto(issued.url.split("8000", 1)[-1])
    screenshot(page, f"people-{width}-join")
    page.goto("/password-reset/")
    screenshot(page, f"people-{width}-reset")
    page.goto("/login/")
    page.get_by_label("User name").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    for name, url in [
        ("setup", "/setup/"),
        ("invite", "/o/alder-bikes/invite/"),
        ("account-new", "/o/alder-bikes/members/new-account/"),
        ("account", "/account/"),
        ("organization", "/o/alder-bikes/"),
        ("kpi-form", "/o/alder-bikes/s/company/objective/grow-revenue/kpis/new/"),
        ("kpi-edit", "/o/alder-bikes/s/company/kpi/revenue/edit/"),
    ]:
        page.goto(url)
        assert page.locator("h1").count() == 1 and "Not found" not in page.inner_text("h1"), url
        screenshot(page, f"people-{width}-{name}")
    context.close()
