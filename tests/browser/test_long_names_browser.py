"""A name that is one long word (a pasted address, 200 letters without a space) wraps
instead of widening the page: the KPI page was 3090 px wide at 1440 px and 2557 px on a
phone, the objective page, search and history likewise."""

from __future__ import annotations

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
