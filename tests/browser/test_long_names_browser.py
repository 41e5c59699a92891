"""A name that is one long word (a pasted address, 200 letters without a space) wraps
instead of widening the page: the KPI page was 3090 px wide at 1440 px and 2557 px on a
phone, the objective page, search and history likewise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scorecard.kpis.models import Kpi
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")

SCORECARD = "/o/northwind/s/company/"
LONG = "Customerretention" * 11  # 187 letters, within the 200 a name may have


@pytest.mark.parametrize("width", [1440, 390])
def test_a_long_unbroken_name_does_not_widen_the_page(page: Any, width: int) -> None:
    kpi = Kpi.objects.select_related("objective").get(
        objective__perspective__scorecard__slug="company", code="revenue"
    )
    Kpi.objects.filter(pk=kpi.pk).update(name=LONG)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "strategy")
    for name, address in {
        "kpi": SCORECARD + "kpi/revenue/",
        "objective": SCORECARD + f"objective/{kpi.objective.code}/",
        "search": "/search/?q=Customerretention",
        "scorecard": SCORECARD,
    }.items():
        page.goto(address)
        page.wait_for_load_state("networkidle")
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} is {scroll} px wide at {width} px"
    screenshot(page, f"long-name-search-{width}")


#: For each cell of a history table that keeps its words whole: the words that the
#: browser broke over two lines (a word in one piece has one rectangle).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("table.changes td.words")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".sr-only")) continue;
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (range.getClientRects().length > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("width", [1440, 390])
def test_a_history_keeps_numbers_whole_and_wraps_a_pasted_link(page: Any, width: int) -> None:
    """A corrected value reads "51,430 visits → 51,500 visits" on a phone too (the
    history's cells once broke it as "visi|ts"); a note holding one long link still
    wraps inside the page."""
    from django.contrib.auth import get_user_model

    from scorecard import clock
    from scorecard.engine import periods
    from scorecard.engine import types as et
    from scorecard.kpis import services

    kpi = Kpi.objects.get(objective__perspective__scorecard__slug="company", code="revenue")
    Kpi.objects.filter(pk=kpi.pk).update(name="网站访问量", unit="visits")
    kpi.refresh_from_db()
    day = clock.today().replace(day=1) - dt.timedelta(days=40)
    start = periods.period_containing(day, et.Interval(kpi.update_interval)).start
    person = get_user_model().objects.get(username="strategy")
    services.measurement_record(kpi=kpi, period_start=start, value=51430, user=person)
    link = "https://example.com/" + "reports/" * 20 + "visits-by-channel"
    services.measurement_record(kpi=kpi, period_start=start, value=51500, note=link, user=person)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "strategy")
    page.goto(SCORECARD + "kpi/revenue/history/")
    page.wait_for_load_state("networkidle")
    assert page.locator("table.changes td.words").filter(has_text="51,500 visits").count()
    assert page.evaluate(BROKEN_WORDS) == []
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"the history is {scroll} px wide at {width} px"
    screenshot(page, f"history-words-{width}")
