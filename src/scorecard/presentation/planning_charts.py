"""Planning charts (pygal, inline SVG like web/charts.py): a KPI's history with the
forecast and its prediction band, and a funnel's levers.

pygal cannot fill between two lines, so the band is drawn by joining the rendered
upper and lower interval lines into one closed, lightly filled path.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from html import escape

import pygal
from django.utils.translation import gettext
from pygal.style import Style

from scorecard.engine import funnel as fn
from scorecard.presentation.charts import (
    ACTUAL,
    LINE_CHART_OPTIONS,
    TARGET,
    Zone,
    _style,
    svg_of,
    zone_name,
)
from scorecard.presentation.numbers import month_year

FORECAST = "#7b4bb7"
BAND_FILL = "#7b4bb7"
# Light bars with dark value labels: the labels keep at least 4.5:1 on the bar and, where a
# short bar lets them spill over, on the white page too (5.2:1 and 10:1).
LEVER = "#6f9ddf"
LEVER_ALT = "#b9d0f0"
LEVER_LABEL = "#1f2933"
_POINT = re.compile(r"(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)")


def _lever_style() -> Style:
    style = _style([LEVER, LEVER_ALT])
    style.value_colors = (LEVER_LABEL, LEVER_LABEL)
    return style


def _series_path(svg: str, index: int) -> tuple[int, list[tuple[str, str]]] | None:
    """Where serie ``index``'s group opens and the points of its line."""
    match = re.search(
        rf'<g class="series serie-{index} color-{index}">\s*<path d="M([^"]*)" class="line',
        svg,
    )
    if match is None:
        return None
    return match.start(), _POINT.findall(match.group(1).replace("L", " "))


def _with_band(svg: str, high_index: int, low_index: int) -> str:
    """Insert a filled band between the lines of two series (drawn under the upper one)."""
    high, low = _series_path(svg, high_index), _series_path(svg, low_index)
    if high is None or low is None or not high[1] or not low[1]:
        return svg
    points = high[1] + list(reversed(low[1]))
    d = "M" + " L".join(f"{x} {y}" for x, y in points) + " Z"
    band = (
        f'<path d="{d}" class="forecast-band" fill="{BAND_FILL}" fill-opacity="0.16" '
        'stroke="none"/>'
    )
    start = high[0]
    return svg[:start] + band + svg[start:]


def forecast_chart(
    history: Sequence[tuple[dt.date, float | None, float | None]],
    future: Sequence[tuple[dt.date, float, float | None, float | None, float | None]],
    *,
    title: str,
    formatter: Callable[[float], str],
    zones: Sequence[Zone] = (),
    y_range: tuple[float, float],
    level: float = 0.8,
) -> str:
    """History (start, actual, target) followed by the forecast periods
    (start, forecast, low, high, target): actual and target lines, the forecast as
    a dotted line from the last actual value, and its ``level`` interval as a band."""
    if not history:
        return ""
    low, high = y_range
    ordered = sorted(zones, key=lambda z: z.high, reverse=True)
    n_hist, n_future = len(history), len(future)
    chart = pygal.Line(
        width=780,
        height=320,
        style=_style([z.color for z in ordered] + [ACTUAL, TARGET, FORECAST, FORECAST, FORECAST]),
        legend_at_bottom_columns=len(ordered) + 4,  # the lower line has none
        range=(low, high),
        zero=low,
        value_formatter=formatter,
        **LINE_CHART_OPTIONS,
    )
    labels = [month_year(day) for day, _, _ in history] + [month_year(day) for day, *_ in future]
    chart.x_labels = labels
    chart.x_labels_major = labels[:: max(1, math.ceil(len(labels) / 6))]
    for zone in ordered:
        chart.add(
            zone_name(zone.status),
            [min(zone.high, high)] * len(labels),
            fill=True,
            show_dots=False,
            stroke_style={"width": 0},
        )
    actual = [v for _, v, _ in history] + [None] * n_future
    chart.add(gettext("Actual"), actual, stroke_style={"width": 2.5}, dots_size=3.5)
    chart.add(
        gettext("Target"),
        [t for _, _, t in history] + [t for *_, t in future],
        show_dots=False,
        stroke_style={"width": 1.8, "dasharray": "6, 4"},
    )
    last_actual = history[-1][1]
    lead: list[float | None] = [None] * (n_hist - 1)
    lead.append(last_actual)
    forecast_index = len(ordered) + 2
    chart.add(
        gettext("Forecast"),
        lead + [f[1] for f in future],
        stroke_style={"width": 2, "dasharray": "2, 4"},
        dots_size=2.5,
    )
    pad: list[float | None] = [None] * n_hist
    chart.add(
        gettext("%(level)s range") % {"level": f"{level * 100:.0f} %"},
        pad + [f[3] for f in future],
        show_dots=False,
        stroke_style={"width": 0.8},
    )
    chart.add(
        "lower end", pad + [f[2] for f in future], show_dots=False, stroke_style={"width": 0.8}
    )
    svg = svg_of(chart)
    svg = _with_band(svg, forecast_index + 1, forecast_index + 2)
    # The lower line shares the upper line's legend entry ("80 % range"): drop its own.
    svg = re.sub(
        rf'<g id="activate-serie-{forecast_index + 2}" class="[^"]*">.*?</g>', "", svg, count=1
    )
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{escape(title, quote=True)}" class="chart" ', 1
    )


def lever_chart(
    levers: Sequence[fn.Lever],
    *,
    labels: Sequence[str],
    points: float,
    relative: float,
    formatter: Callable[[float], str],
    title: str,
) -> str:
    """Horizontal bars: each rate's gain from +points and from +relative, strongest first."""
    if not levers:
        return ""
    chart = pygal.HorizontalBar(
        width=780,
        height=90 + 46 * len(levers),
        js=[],
        disable_xml_declaration=True,
        style=_lever_style(),
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        truncate_label=-1,
        truncate_legend=-1,
        value_formatter=formatter,
        print_values=True,
        margin_left=4,
        margin_right=24,
        spacing=8,
        show_y_guides=False,
        zero=0,
    )
    # pygal draws the first label at the bottom: reverse so the strongest lever is on top.
    ordered = list(reversed(levers))
    chart.x_labels = [labels[lv.index - 1] for lv in ordered]
    chart.add(f"+{points * 100:g} percentage point(s)", [lv.gain_points for lv in ordered])
    chart.add(f"+{relative * 100:g} % of the rate", [lv.gain_relative for lv in ordered])
    svg = svg_of(chart)
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{escape(title, quote=True)}" class="chart" ', 1
    )
