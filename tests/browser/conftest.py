"""Browser tests: Playwright (from PyPI) driving Debian's Chromium against the live server.

Without /usr/bin/chromium the tests are skipped on a laptop and fail in CI (CI=true).
Every run leaves screenshots of the main pages in test-artifacts/screenshots/ and
refreshes the README's screenshot (docs/images/scorecard.png); "today" is frozen so
the numbers in them do not move.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM
# calls from it otherwise. The tests themselves are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("SCORECARD_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
README_SHOT = ROOT / "docs" / "images" / "scorecard.png"
TODAY = "2026-11-23"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db: Any, settings: Any) -> None:
    """The demo company, with "today" frozen so numbers and screenshots are stable."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from scorecard.interchange.services import DEMO_FILE, document_load_file

    settings.SCORECARD_TODAY = TODAY
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    document_load_file(DEMO_FILE)
    get_user_model().objects.update(password=make_password("demo"))


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1360, "height": 900},
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="UTC",
    )
    tab = context.new_page()
    # Generous: a busy CI machine (PDFs, imports, two test workers) can take seconds a page.
    tab.set_default_timeout(60000)
    yield tab
    context.close()
    wait_for_live_server_requests()


def wait_for_live_server_requests(timeout: float = 30.0) -> None:
    """Let the live server finish the requests the closed browser left in flight.

    The live server thread outlives the test (it is session-wide) and shares the
    in-memory SQLite connection with it. A request still reading when the test's
    database is flushed (an htmx partial that loads after the page, say) makes the
    flush fail with "database table is locked", and every later test on that
    worker then finds the previous test's organization. Each request runs in a
    thread of its own (socketserver names it after process_request_thread), which
    ends once the browser has closed its connection.
    """
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name and thread is not threading.current_thread():
            thread.join(timeout)


def sign_in(page: Any, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot in test-artifacts/screenshots/ (gitignored)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def readme_screenshot(page: Any) -> None:
    """The README's picture: the top of the scorecard page at a fixed size."""
    path = SHOTS / "scorecard-readme.png"
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": 1360, "height": 1100})
    if os.environ.get("SCORECARD_UPDATE_README_SCREENSHOT"):
        # Only on request, so that running the tests leaves the work tree clean.
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, README_SHOT)
