"""Everyday use in real Chromium: the scorecard tab bar, the KPI page's entry form above
the fold, no sideways scrolling on a phone, axe-core over the main pages (light and dark)
and screenshots of every changed page (desktop, phone, dark) in test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import SHOTS, sign_in

pytestmark = pytest.mark.usefixtures("demo")

SCORECARD = "/o/northwind/s/company/"
MAIN_PAGES = {
    "home": "/",
    "scorecard": SCORECARD,
    "kpi": SCORECARD + "kpi/revenue/",
    "entry": SCORECARD + "entry/",
    "initiatives": SCORECARD + "initiatives/",
    "map": SCORECARD + "map/",
    "files": SCORECARD + "files/",
    "glossary": "/help/",
    "planning": SCORECARD + "planning/",
    "risks": SCORECARD + "risks/",
    "reviews": SCORECARD + "reviews/",
    "health": SCORECARD + "health/",
    "history": SCORECARD + "history/",
    "cascade": SCORECARD + "cascade/",
    "aligned objective": "/o/northwind/s/sales/objective/key-accounts/",
}


@pytest.fixture
def tab(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page of the given size and colour scheme: ``(width, height, scheme)``."""
    width, height, scheme = request.param
    context = browser.new_context(
        viewport={"width": width, "height": height},
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="UTC",
        color_scheme=scheme,
        bypass_csp=True,  # axe-core is injected into the page
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


DESKTOP = (1440, 900, "light")
PHONE = (390, 844, "light")
DARK = (1440, 900, "dark")


@pytest.mark.parametrize("tab", [DESKTOP], indirect=True)
def test_every_tab_is_reachable_from_every_scorecard_page(tab: Any) -> None:
    sign_in(tab, "strategy")
    tab.goto(SCORECARD)
    hrefs = tab.eval_on_selector_all("nav.sctabs a", "links => links.map(a => a.href)")
    labels = tab.eval_on_selector_all("nav.sctabs a", "links => links.map(a => a.textContent)")
    assert "Reports & files" in labels and "Health" in labels and len(hrefs) >= 9
    for href in hrefs:
        tab.goto(href)
        assert tab.eval_on_selector_all("nav.sctabs a", "links => links.map(a => a.href)") == hrefs
        current = tab.locator("nav.sctabs a[aria-current=page]")
        assert current.count() == 1 and current.get_attribute("href") in href
    _shot(tab, "everyday-tabs-desktop")


@pytest.mark.parametrize("tab", [DESKTOP], indirect=True)
def test_kpi_page_leads_with_the_number_and_the_entry_form(tab: Any) -> None:
    sign_in(tab, "strategy")
    tab.goto(SCORECARD + "kpi/revenue/")
    for selector in ["#kpi-value", "#kpi-status", "#kpi-gap", "#h-history", "#value"]:
        box = tab.locator(selector).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900, selector
    save = tab.get_by_role("button", name="Save value").bounding_box()
    assert save["y"] + save["height"] <= 900
    # Planning tools open on demand; Delete is away from Edit, at the bottom.
    assert tab.locator("details#forecast").count() == 1
    assert tab.locator("details#planning[open]").count() == 0
    assert tab.locator(".pagehead").get_by_role("link", name="Delete").count() == 0
    assert tab.locator("section.danger").get_by_role("link", name="Delete this KPI…").count() == 1
    # A term explains itself on keyboard focus.
    tab.locator(".summary .term abbr").first.focus()
    tip = tab.evaluate("() => getComputedStyle(document.activeElement, '::after').content")
    assert "should reach" in tip
    _shot(tab, "everyday-kpi-top-desktop")


@pytest.mark.parametrize("tab", [PHONE], indirect=True)
@pytest.mark.parametrize(
    "name",
    ["home", "scorecard", "kpi", "entry", "initiatives", "map", "planning", "risks", "reviews",
     "health", "history", "cascade", "aligned objective"],
)  # fmt: skip
def test_no_horizontal_scroll_on_a_phone(tab: Any, name: str) -> None:
    sign_in(tab, "strategy")
    tab.goto(MAIN_PAGES[name])
    tab.wait_for_load_state("networkidle")
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{name} is {width} px wide"
    _shot(tab, f"everyday-{name.replace(' ', '-')}-phone")
    if name == "aligned objective":
        # "Remove" is a link-like button in red words, not a red block with blue words.
        remove = tab.locator("table.align-shares button.link.danger").first
        look = remove.evaluate(
            "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]"
        )
        assert look == ["rgba(0, 0, 0, 0)", "rgb(149, 32, 32)"], look
    if name == "scorecard":
        # The menu collapses behind one button; the table is stacked rows, status first.
        assert not tab.locator(".hmenu").is_visible()
        tab.get_by_role("button", name="Menu").click()
        assert tab.locator(".hmenu").is_visible()
        row = tab.locator("table.scorecard tr.kpi").first
        status = row.locator("td.status-cell").bounding_box()
        name_cell = row.locator("th").bounding_box()
        assert status["y"] < name_cell["y"]


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("tab", [DESKTOP, DARK], indirect=True)
def test_axe_finds_no_serious_violations_on_the_main_pages(tab: Any) -> None:
    sign_in(tab, "strategy")
    scheme = tab.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    suffix = "dark" if scheme else "desktop"
    problems = {}
    for name, address in MAIN_PAGES.items():
        tab.goto(address)
        tab.wait_for_load_state("networkidle")
        _shot(tab, f"everyday-{name}-{suffix}")
        found = _axe(tab)
        if found:
            problems[name] = found
    assert problems == {}
