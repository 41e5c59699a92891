"""KPI charts drawn on the server with pygal: inline SVG, no JavaScript, nothing fetched.

pygal builds its SVG with an XML library, so text it places (labels, values, legend)
is escaped; our own additions (the accessible label) are escaped here. pygal's
tooltip script and its link to a script on the internet are left out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import pygal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pygal.style import Style

from scorecard.engine import types as et
from scorecard.engine.scoring import score_value, value_at_score
from scorecard.presentation.numbers import month_year

SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
ACTUAL = "#2457a6"
TARGET = "#5b6670"
#: Light tints for the status zones behind the lines, by status.
ZONE_TINTS = {"red": "#f8dcdc", "yellow": "#fbefc9", "green": "#d9f0e2", "blue": "#dce8fa"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"


def svg_of(chart: Any) -> str:
    """The chart's SVG without pygal's script, or "" when pygal cannot draw it.

    pygal's axis arithmetic overflows for values past about 1e150 (a value typed before
    the services refused numbers that large, or imported): the page then goes without
    the chart instead of failing.
    """
    try:
        return SCRIPT.sub("", chart.render(is_unicode=True))
    except OverflowError:
        return ""


@dataclass(frozen=True)
class Zone:
    """A horizontal status band of the chart: values from ``low`` to ``high``."""

    status: str
    low: float
    high: float
    color: str = ""


def _style(colors: Sequence[str]) -> Style:
    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#3d4852",
        foreground_strong="#1f2933",
        foreground_subtle="#e3e7ec",
        guide_stroke_color="#e3e7ec",
        major_guide_stroke_color="#d5dbe1",
        guide_stroke_dasharray="0",
        major_guide_stroke_dasharray="0",
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        colors=tuple(colors),
        font_family=FONT,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=12,
        value_font_size=11,
        tooltip_font_size=12,
    )


def _tint(color: str) -> str:
    """A light version of a ``#rrggbb`` colour for a zone fill (20 % of it on white)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        return "#eef0f2"
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * 0.2):02x}" for c in channels)


#: The zones' names in the chart legend, in the active language.
ZONE_NAMES = {"green": _("Green zone"), "yellow": _("Yellow zone"), "red": _("Red zone")}


def zone_name(status: str) -> str:
    """``Green zone`` (``Grüne Zone``…); other bands by their own name."""
    if status in ZONE_NAMES:
        return str(ZONE_NAMES[status])
    return gettext("%(band)s zone") % {"band": status.replace("_", " ").capitalize()}


def status_zones(spec: et.KpiSpec, target: float | None, low: float, high: float) -> list[Zone]:
    """The status bands between ``low`` and ``high`` in the KPI's own unit.

    Works for linear scales (maximize, minimize, percent of target) and for
    value/target thresholds; other scoring types get no zones.
    """
    cuts: list[float] = []
    for band in spec.thresholds.bands:
        if not math.isfinite(band.lower):
            continue
        if spec.thresholds.basis == "target_ratio":
            cut = band.lower * target if target else None
        elif spec.optimization is et.Optimization.PERCENT_OF_TARGET:
            cut = band.lower * target if target and target > 0 else None
        else:
            cut = value_at_score(spec, band.lower, target)
        if cut is None:
            return []
        cuts.append(cut)
    edges = sorted({low, high, *(c for c in cuts if low < c < high)})
    colors = {band.status: band.color for band in spec.thresholds.bands}
    zones: list[Zone] = []
    for a, b in itertools.pairwise(edges):
        status = score_value(spec, (a + b) / 2, target).status
        if status in (et.ERROR, et.NO_DATA, et.NOT_APPLICABLE):
            return []
        color = ZONE_TINTS.get(status) or _tint(colors.get(status, ""))
        if zones and zones[-1].status == status:
            zones[-1] = Zone(status, zones[-1].low, b, color)
        else:
            zones.append(Zone(status, a, b, color))
    return zones


def value_range(
    history: Sequence[tuple[dt.date, float | None, float | None]],
    extra: Sequence[float | None] = (),
) -> tuple[float, float]:
    """A y-range that shows every value and target with some air around it."""
    numbers = [n for _, v, t in history for n in (v, t) if n is not None]
    numbers += [n for n in extra if n is not None]
    if not numbers:
        return 0.0, 1.0
    low, high = min(numbers), max(numbers)
    span = high - low or abs(high) or 1.0
    low, high = low - span * 0.15, high + span * 0.15
    if min(numbers) >= 0 > low:
        low = 0.0  # no negative axis for a quantity that cannot be negative
    return low, high


#: What every line chart over time shares (the KPI history and the forecast): no
#: script, light guides, the legend below, months as they are, a few y steps.
LINE_CHART_OPTIONS: dict[str, Any] = {
    "js": [],
    "disable_xml_declaration": True,
    "show_x_guides": False,
    "show_y_guides": True,
    "x_label_rotation": 0,
    "show_minor_x_labels": False,
    "legend_at_bottom": True,
    "truncate_label": -1,
    "truncate_legend": -1,
    "min_scale": 3,
    "max_scale": 6,
    "margin_left": 4,
    "margin_right": 16,
    "spacing": 8,
}


def history_chart(
    history: Sequence[tuple[dt.date, float | None, float | None]],
    *,
    title: str,
    formatter: Callable[[float], str],
    zones: Sequence[Zone] = (),
    y_range: tuple[float, float] | None = None,
    size: tuple[int, int] = (780, 320),
) -> str:
    """Line chart of actual values and targets per period over coloured status zones.

    ``formatter`` writes a number for people (with the unit); ``zones`` are the
    status bands drawn behind the lines, lowest first; ``size`` is the drawing's
    width and height in pixels (PDF reports draw small ones).
    """
    if not history:
        return ""
    low, high = y_range or value_range(history)
    # Zones are drawn as filled lines from the top down: each covers the ones above it.
    ordered = sorted(zones, key=lambda z: z.high, reverse=True)
    chart = pygal.Line(
        width=size[0],
        height=size[1],
        style=_style([z.color for z in ordered] + [ACTUAL, TARGET]),
        legend_at_bottom_columns=len(ordered) + 2,
        range=(low, high),
        zero=low,
        value_formatter=formatter,
        **LINE_CHART_OPTIONS,
    )
    labels = [month_year(day) for day, _, _ in history]
    chart.x_labels = labels
    chart.x_labels_major = labels[:: max(1, math.ceil(len(labels) / 6))]
    for zone in ordered:
        chart.add(
            zone_name(zone.status),
            [min(zone.high, high)] * len(history),
            fill=True,
            show_dots=False,
            stroke_style={"width": 0},
        )
    chart.add(
        gettext("Actual"), [v for _, v, _ in history], stroke_style={"width": 2.5}, dots_size=3.5
    )
    chart.add(
        gettext("Target"),
        [t for _, _, t in history],
        show_dots=False,
        stroke_style={"width": 1.8, "dasharray": "6, 4"},
    )
    svg = svg_of(chart)
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{escape(title, quote=True)}" class="chart" ', 1
    )


def sparkline(values: Sequence[float | None], *, width: int = 96, height: int = 24) -> str:
    """A tiny line of the recent values (empty when fewer than two values exist).

    Drawn by hand rather than with pygal: a pygal chart carries about 9 KB of CSS,
    which for a scorecard of 200 KPIs would add 2 MB to the page; this is ~300 bytes.
    Gaps (missing values) break the line.
    """
    known = [v for v in values if v is not None and math.isfinite(v)]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (width - 4) / max(1, len(values) - 1)
    segments: list[list[str]] = [[]]
    last: tuple[float, float] | None = None
    for i, value in enumerate(values):
        if value is None or not math.isfinite(value):
            if segments[-1]:
                segments.append([])
            continue
        x = 2 + i * step
        y = height - 3 - (value - low) / span * (height - 6)
        segments[-1].append(f"{x:.1f},{y:.1f}")
        last = (x, y)
    lines = "".join(
        f'<polyline points="{" ".join(points)}"/>' for points in segments if len(points) > 1
    )
    dot = f'<circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="2"/>' if last else ""
    return (
        f'<svg class="spark" aria-hidden="true" focusable="false" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><g fill="none" stroke="{ACTUAL}" '
        f'stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round">{lines}</g>'
        f'<g fill="{ACTUAL}">{dot}</g></svg>'
    )
