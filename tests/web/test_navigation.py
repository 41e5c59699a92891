"""Everyday navigation: the tab bar on every scorecard page, the "Reports and files" tab
and the home page's scores."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import override_settings

from scorecard.web.templatetags.navigation import TABS
from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory, PerspectiveFactory

pytestmark = [pytest.mark.django_db]

SC = "/o/northwind/s/company/"
# Every page of a scorecard (one per tab and the pages inside them).
SCORECARD_PAGES = {
    "overview": SC,
    "map": SC + "map/",
    "kpis": SC + "entry/",
    "kpi": SC + "kpi/revenue/",
    "initiatives": SC + "initiatives/",
    "planning": SC + "planning/",
    "reviews": SC + "reviews/",
    "health": SC + "health/",
    "history": SC + "history/",
    "files": SC + "files/",
}


@pytest.fixture
def card(world):
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    objective = ObjectiveFactory(perspective=perspective, code="grow", name="Grow revenue")
    revenue = KpiFactory(objective=objective, code="revenue", name="Revenue", minimum=0,
                         maximum=1000, target=800)  # fmt: skip
    MeasurementFactory(kpi=revenue, period_start=dt.date(2026, 10, 1), value=600)
    return world


def _tabs(html: str) -> dict[str, tuple[str, bool]]:
    nav = re.search(r'<nav class="sctabs".*?</nav>', html, re.S)
    assert nav, "no tab bar"
    found = {}
    for attrs, _label in re.findall(r"<a ([^>]*)>([^<]*)</a>", nav.group(0)):
        key = re.search(r'data-tab="(\w+)"', attrs).group(1)
        href = re.search(r'href="([^"]*)"', attrs).group(1)
        found[key] = (href, "aria-current" in attrs)
    return found


@override_settings(SCORECARD_TODAY="2026-11-23")
@pytest.mark.parametrize("page", SCORECARD_PAGES)
def test_every_scorecard_page_shows_every_tab(card, page) -> None:
    """Every tab is a link on every page of the scorecard, and opening it answers 200."""
    client = card.client_for("editor")
    response = client.get(SCORECARD_PAGES[page])
    assert response.status_code == 200
    tabs = _tabs(response.content.decode())
    assert set(tabs) == {tab.key for tab in TABS}
    current = [key for key, (_, is_current) in tabs.items() if is_current]
    assert current == ["kpis" if page == "kpi" else page]
    for href, _ in tabs.values():
        assert client.get(href).status_code == 200, href


@override_settings(SCORECARD_TODAY="2026-11-23")
def test_viewers_do_not_get_the_entry_tab(card) -> None:
    response = card.client_for("viewer").get(SC)
    tabs = _tabs(response.content.decode())
    assert "kpis" not in tabs
    assert set(tabs) == {tab.key for tab in TABS} - {"kpis"}


@override_settings(SCORECARD_TODAY="2026-11-23")
def test_files_page_offers_reports_exports_and_import_by_role(card) -> None:
    editor = card.client_for("editor").get(SC + "files/").content.decode()
    assert "report.pdf" in editor and "report.xlsx" in editor
    assert "Import values from a file" in editor
    viewer = card.client_for("viewer").get(SC + "files/").content.decode()
    assert "report.pdf" in viewer and "Import values from a file" not in viewer
    assert card.client_for("outsider").get(SC + "files/").status_code == 404


@override_settings(SCORECARD_TODAY="2026-11-23")
def test_home_shows_each_scorecards_score_and_status(card) -> None:
    html = card.client_for("viewer").get("/").content.decode()
    row = re.search(r'<ul class="plain rows scorelist">(.*?)</ul>', html, re.S).group(1)
    # The scorecard's only KPI scores 60 % (its objective and the scorecard too): yellow.
    assert "Company" in row
    assert '<span class="pill yellow">Yellow</span>' in row
    assert "<strong>60.0\xa0%</strong>" in row
