"""Numbers for people: thousands separators, sensible decimals, units and percentages."""

from __future__ import annotations

import math
from typing import Any

from django import template

register = template.Library()

DASH = "—"
#: Units written before the number.
PREFIX_UNITS = {"$", "£"}
STATUS_LABELS = {
    "red": "Red",
    "yellow": "Yellow",
    "green": "Green",
    "no_data": "No data",
    "not_applicable": "Not scored",
    "error": "Setup error",
}


def _decimals(value: float) -> int:
    magnitude = abs(value)
    if magnitude >= 1000 or float(value).is_integer():
        return 0
    if magnitude >= 100:
        return 1
    if magnitude >= 1:
        return 1 if round(value, 1) == round(value, 2) else 2
    return 2


def format_number(value: Any, unit: str = "") -> str:
    """``1978000, "€"`` → ``1,978,000 €``; ``35.5, "%"`` → ``35.5 %``; None → ``—``."""
    if value is None or value == "":
        return DASH
    number = float(value)
    if not math.isfinite(number):
        return DASH
    text = f"{number:,.{_decimals(number)}f}"
    if not unit:
        return text
    if unit in PREFIX_UNITS:
        return f"{unit}{text}"
    return f"{text}\u00a0{unit}"


@register.filter
def num(value: Any, unit: str = "") -> str:
    """Template filter: ``{{ value|num:kpi.unit }}``."""
    return format_number(value, unit)


@register.filter
def pct(value: Any) -> str:
    """A fraction as a percentage with one decimal: 0.654 → ``65.4 %``."""
    if value is None:
        return DASH
    number = float(value)
    if not math.isfinite(number):
        return DASH
    return f"{number * 100:,.1f}\u00a0%"


@register.filter
def status_label(status: str) -> str:
    """A status for people ("no_data" → "No data"); custom band names are shown as written."""
    return STATUS_LABELS.get(status, str(status).replace("_", " ").capitalize())


@register.filter
def trend_arrow(direction: str | None) -> str:
    """↑, ↓ or → for a trend direction."""
    return {"up": "↑", "down": "↓", "flat": "→"}.get(direction or "", "")


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """``{{ mapping|get_item:key }}`` — look a key up in a dictionary."""
    return mapping.get(key, "")


@register.filter
def person(user: Any, empty: str = DASH) -> str:
    """A user's full name, else the user name, else ``empty``."""
    if user is None:
        return empty
    return user.get_full_name() or user.username
