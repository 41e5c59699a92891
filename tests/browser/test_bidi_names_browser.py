"""A KPI named in Arabic stays an isolated run in the browser: its numbers stay in their
cells to its right, the breadcrumb keeps its order, the heading reads right to left."""

from __future__ import annotations

from typing import Any

import pytest

from scorecard.kpis.models import Kpi
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")

SCORECARD = "/o/northwind/s/company/"
NAME = "إيرادات المبيعات: الربع 3"

#: The element that isolates the first text node holding ``name`` under ``root``: the
#: closest ancestor that is a BDI element or whose computed unicode-bidi isolates.
ISOLATION = """([root, name]) => {
  const scope = document.querySelector(root);
  const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.includes(name)) continue;
    for (let el = node.parentElement; el && el !== scope; el = el.parentElement) {
      const bidi = getComputedStyle(el).unicodeBidi;
      if (el.tagName === "BDI" || bidi === "isolate" || bidi === "plaintext") {
        return {tag: el.tagName, bidi, direction: getComputedStyle(el).direction};
      }
    }
    return {tag: null};
  }
  return null;
}"""


@pytest.mark.parametrize("width", [1440, 390])
def test_an_arabic_kpi_name_is_isolated_and_keeps_its_numbers_in_place(
    page: Any, width: int
) -> None:
    Kpi.objects.filter(objective__perspective__scorecard__slug="company", code="revenue").update(
        name=NAME
    )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "strategy")
    page.goto(SCORECARD)
    row = page.locator("tr#kpi-revenue")
    row.wait_for()

    found = page.evaluate(ISOLATION, ["tr#kpi-revenue", NAME])
    assert found and found["tag"] == "BDI", found
    assert found["bidi"] in ("isolate", "plaintext"), found
    assert found["direction"] == "rtl", found  # from its own first letter

    # The name's cell, then the value: in this left-to-right row the value follows the
    # name on its right (at 1440 px), or below it on a phone where rows become cards.
    name_box = row.locator("th a bdi").bounding_box()
    value_box = row.locator("td.num").first.bounding_box()
    assert name_box and value_box
    if width >= 1000:
        assert value_box["x"] >= name_box["x"] + name_box["width"] - 1, (name_box, value_box)
    else:
        assert value_box["y"] >= name_box["y"] + name_box["height"] - 1, (name_box, value_box)
    # "3" belongs to the name: it renders inside the name's own box, not beside the value.
    assert row.locator("th a bdi").inner_text() == NAME
    screenshot(page, f"bidi-scorecard-{width}")

    page.goto(SCORECARD + "kpi/revenue/")
    heading = page.locator("h1")
    heading.wait_for()
    assert heading.get_attribute("dir") == "auto"
    assert heading.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # ... yet it starts on the page's left edge, under the breadcrumb, not drifting right.
    crumb_box, text_left = (
        page.locator("p.crumbs").bounding_box(),
        heading.evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e);"
            " return r.getBoundingClientRect().left; }"
        ),
    )
    assert crumb_box and abs(text_left - crumb_box["x"]) < 2, (crumb_box, text_left)
    # The breadcrumb keeps the page's order: the scorecard first (left), the objective last.
    crumbs = page.locator("p.crumbs a")
    first, last = crumbs.first.bounding_box(), crumbs.last.bounding_box()
    assert first and last
    # (on a phone the objective's link may wrap: its box then spans lines below the first)
    assert last["x"] >= first["x"] + first["width"] - 1 or (
        last["y"] + last["height"] > first["y"] + first["height"]
    ), (first, last)
    # Typing Arabic into the name field reads right to left (the field is plaintext).
    screenshot(page, f"bidi-kpi-{width}")
    page.goto(SCORECARD + "kpi/revenue/edit/")
    field = page.locator("input[name=name]")
    field.wait_for()
    assert field.input_value() == NAME
    assert field.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
    screenshot(page, f"bidi-kpi-edit-{width}")
