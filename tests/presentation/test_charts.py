"""Charts: escaping, status zones and sparklines (no database)."""

from __future__ import annotations

import datetime as dt

from scorecard.engine import types as et
from scorecard.presentation.charts import history_chart, sparkline, status_zones, value_range

HISTORY = [(dt.date(2026, m, 1), float(m * 10), 80.0) for m in range(1, 11)]


def test_chart_escapes_user_text_and_loads_nothing() -> None:
    svg = history_chart(
        HISTORY, title="<script>alert(1)</script>", formatter=lambda v: f"{v} <b>€</b>"
    )
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;" in svg
    assert "http://" not in svg.split("xmlns", 1)[0]
    assert "kozea.github.io" not in svg and "<script" not in svg  # no tooltip script


def test_zones_for_a_maximize_kpi() -> None:
    spec = et.KpiSpec(code="k", name="K", minimum=0, maximum=90, target=90)
    zones = status_zones(spec, 90, 0, 120)
    assert [(z.status, round(z.low), round(z.high)) for z in zones] == [
        ("red", 0, 30),
        ("yellow", 30, 60),
        ("green", 60, 120),
    ]


def test_zones_for_a_minimize_kpi_put_green_at_the_bottom() -> None:
    spec = et.KpiSpec(code="k", name="K", optimization=et.Optimization.MINIMIZE,
                      minimum=0, maximum=30, target=0)  # fmt: skip
    zones = status_zones(spec, 0, 0, 40)
    assert [z.status for z in zones] == ["green", "yellow", "red"]


def test_no_zones_for_scoring_without_a_linear_scale() -> None:
    spec = et.KpiSpec(code="k", name="K", optimization=et.Optimization.BINARY_MAX, target=1)
    assert status_zones(spec, 1, 0, 2) == []


def test_chart_draws_zones_behind_actual_and_target() -> None:
    spec = et.KpiSpec(code="k", name="K", minimum=0, maximum=100, target=100)
    low, high = value_range(HISTORY)
    svg = history_chart(HISTORY, title="t", formatter=str, zones=status_zones(spec, 100, low, high))
    assert svg.index("Red zone") < svg.index("Actual") < svg.index("Target")
    assert 'role="img" aria-label="t"' in svg


def test_value_range_keeps_quantities_non_negative() -> None:
    low, high = value_range([(dt.date(2026, 1, 1), 1.0, 10.0)])
    assert low == 0 and high > 10


def test_sparkline() -> None:
    assert sparkline([None, 1.0]) == ""
    svg = sparkline([1.0, None, 3.0, 4.0, 2.0])
    assert svg.startswith('<svg class="spark" aria-hidden="true"')
    assert svg.count("<polyline") == 1  # the gap breaks the line; a lone point draws none
    assert len(svg) < 600


def test_a_value_too_large_for_pygal_leaves_the_chart_out() -> None:
    """pygal's axis overflows past about 1e150: no chart rather than a failed page."""
    history = [*HISTORY[:3], (dt.date(2026, 4, 1), 1e308, 80.0)]
    assert history_chart(history, title="Revenue", formatter=str) == ""
