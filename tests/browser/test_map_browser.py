"""The strategy map in real Chromium on the demo company: an editor drags a box, reloads
and finds it where it was dropped, moves another with the arrow keys, the viewer sees
the same layout without the tools, then "Re-arrange automatically" restores the
automatic layout. Screenshots at 1440 px and 390 px."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_everyday_browser import _axe

pytestmark = pytest.mark.usefixtures("demo")
MAP = "/o/northwind/s/company/map/"


def place(page: Any, key: str) -> tuple[float, float]:
    box = page.locator(f'svg.strategy-map a.mapbox[data-key="{key}"]')
    return float(box.get_attribute("data-x")), float(box.get_attribute("data-dy"))


def on_screen(page: Any, key: str) -> dict[str, float]:
    return page.locator(f'svg.strategy-map a.mapbox[data-key="{key}"] rect.box').bounding_box()


def test_drag_a_box_reload_and_rearrange_automatically(page: Any, browser: Any) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, "strategy")  # an editor
    page.goto(MAP)
    keys = page.locator("svg.strategy-map a.mapbox").evaluate_all(
        "boxes => boxes.map(b => b.dataset.key)"
    )
    first, second = keys[0], keys[-1]
    auto_first, auto_second = place(page, first), place(page, second)
    screenshot(page, "map-1440")

    page.get_by_role("button", name="Arrange boxes").click()
    assert page.get_by_role("button", name="Done arranging").get_attribute("aria-pressed") == "true"
    assert _axe(page) == []  # arranging mode keeps the page accessible
    start = on_screen(page, first)
    scale = start["width"] / 196  # screen pixels per map unit
    page.mouse.move(start["x"] + 40, start["y"] + 20)
    page.mouse.down()
    page.mouse.move(start["x"] + 40 + 60 * scale, start["y"] + 20 + 20 * scale, steps=8)
    page.mouse.up()
    page.wait_for_selector("#map-arrange-status:has-text('Saved.')", state="attached")
    dropped = place(page, first)
    assert abs(dropped[0] - (auto_first[0] + 60)) <= 2
    assert abs(dropped[1] - min(auto_first[1] + 20, 68)) <= 2

    # Without a mouse: the arrow keys move the focused box (Shift: 40 units).
    page.locator(f'svg.strategy-map a.mapbox[data-key="{second}"]').focus()
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("ArrowUp")
    page.wait_for_selector("#map-arrange-status:has-text('Saved.')", state="attached")
    assert place(page, second) == (auto_second[0] - 40, auto_second[1] - 10)
    # Focus comes back to the moved box after the map is redrawn.
    assert page.evaluate("document.activeElement.dataset.key") == second

    page.reload()
    assert place(page, first) == dropped
    screenshot(page, "map-1440-arranged")
    assert place(page, second) == (auto_second[0] - 40, auto_second[1] - 10)

    # The viewer sees the saved layout but no arranging tools.
    viewer = browser.new_context(
        base_url=page.url.split("/o/")[0], viewport={"width": 390, "height": 844}
    )
    phone = viewer.new_page()
    phone.set_default_timeout(60000)
    sign_in(phone, "viewer")
    phone.goto(MAP)
    assert place(phone, first) == dropped
    assert phone.get_by_role("button", name="Arrange boxes").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # The map keeps a readable size on a phone and scrolls sideways inside its own box.
    drawing = phone.locator("#map-drawing")
    assert (
        drawing.evaluate("box => box.scrollWidth")
        >= 680
        > drawing.evaluate("box => box.clientWidth")
    )
    assert phone.get_by_text("Swipe sideways to see the whole map.").is_visible()
    screenshot(phone, "map-390")
    viewer.close()

    page.get_by_role("button", name="Re-arrange automatically").click()
    page.wait_for_selector("text=arranged automatically again")
    assert place(page, first) == auto_first and place(page, second) == auto_second
    assert page.get_by_role("button", name="Re-arrange automatically").is_disabled()

    # The downloads answer files.
    for ext, kind in (("svg", "image/svg+xml"), ("png", "image/png")):
        answer = page.request.get(f"/o/northwind/s/company/map.{ext}")
        assert answer.ok and answer.headers["content-type"].startswith(kind)
