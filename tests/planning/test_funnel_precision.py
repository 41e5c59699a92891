"""The funnel page's "+x % gives" column is computed in the engine at full precision and
only rounded for display (no arithmetic in templates; issue 13)."""

from __future__ import annotations

import re

import pytest

from scorecard.engine import funnel as fn

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("relative", "expected"), [(0.10, 2.97), (0.05, 2.835), (0.5, 4.05)])
def test_the_lever_result_is_exact(relative: float, expected: float) -> None:
    levers = fn.levers(6000, [0.045, 0.1, 0.1], relative=relative)
    assert [lever.result_relative for lever in levers] == pytest.approx([expected] * 3)


def test_the_page_shows_the_result_with_its_decimals(sales) -> None:  # type: ignore[no-untyped-def]
    html = sales.world.client_for("viewer").get(sales.url("funnel_detail", sales.funnel.pk))
    text = html.content.decode()
    # 2.7 deals today; +10 % of the result gives 2.97 (the template's add filter gave 2).
    cells = re.findall(r'<td class="num">([^<]*) <span class="muted">\(\+0\.27\)</span>', text)
    assert cells and set(cells) == {"2.97"}, cells
