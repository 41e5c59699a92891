"""KPI charts drawn on the server with pygal (SVG, no JavaScript, nothing fetched)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pygal
from pygal.style import Style

SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#3d4852",
    foreground_strong="#1f2933",
    foreground_subtle="#dde2e7",
    colors=("#2457a6", "#9aa1a9", "#2e9e5b", "#d64545"),
    font_family="system-ui, DejaVu Sans, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    value_font_size=11,
)
# pygal would otherwise link its tooltip script from the internet.
BASE = {"js": [], "disable_xml_declaration": True, "style": STYLE, "show_dots": True}


def _label(day: dt.date) -> str:
    return day.strftime("%b %Y")


def history_chart(
    history: Sequence[tuple[dt.date, float | None, float | None]],
    *,
    title: str,
    unit: str,
    thresholds: Sequence[tuple[str, float]] = (),
) -> str:
    """Line chart of actual values and targets over the periods of ``history``.

    ``thresholds`` are (label, value) pairs drawn as flat lines, e.g. where green starts.
    """
    chart = pygal.Line(
        width=760,
        height=300,
        x_label_rotation=0,
        show_minor_x_labels=False,
        legend_at_bottom=True,
        truncate_label=12,
        value_formatter=lambda v: (
            f"{v:,.2f}".rstrip("0").rstrip(".") + (f" {unit}" if unit else "")
        ),
        **BASE,
    )
    chart.title = None
    labels = [_label(d) for d, _, _ in history]
    chart.x_labels = labels
    chart.x_labels_major = labels[:: max(1, len(labels) // 6)]
    chart.add("Actual", [v for _, v, _ in history], stroke_style={"width": 2.5})
    chart.add(
        "Target", [t for _, _, t in history], stroke_style={"width": 1.5, "dasharray": "6, 4"}
    )
    for label, value in thresholds:
        chart.add(
            label,
            [value] * len(history),
            show_dots=False,
            stroke_style={"width": 1, "dasharray": "2, 3"},
        )
    svg = _strip_scripts(chart.render(is_unicode=True))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1)


def sparkline(values: Sequence[float | None]) -> str:
    """A tiny line of the recent values (empty when fewer than two values exist)."""
    points = [v for v in values if v is not None]
    if len(points) < 2:
        return ""
    chart = pygal.Line(width=110, height=28, **BASE)
    chart.add("", list(values))
    svg = _strip_scripts(
        chart.render_sparkline(interpolate=None, show_dots=False, stroke_style={"width": 2})
    )
    return svg.replace("<svg ", '<svg aria-hidden="true" class="spark" ', 1)


def _strip_scripts(svg: str) -> str:
    """pygal inlines a small configuration script for its tooltips; our pages run no
    inline scripts (Content-Security-Policy), so it is removed."""
    return SCRIPT.sub("", svg)


def _attr(text: str) -> str:
    from html import escape

    return escape(text, quote=True)
