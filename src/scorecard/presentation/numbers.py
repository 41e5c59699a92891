"""Numbers, periods and statuses for people: the one place that formats them.

Pages (through the ``scorecard_format`` template filters), PDF/XLSX reports and
e-mails all call these functions. The template filters are:

- ``{{ value|num:kpi.unit }}`` → ``1,234,567 €``, ``12.5 %``, ``3.2 h``, ``$1,200``, ``—``
- ``{{ fraction|pct }}`` → ``65.4 %``
- ``{{ value|plain }}`` → ``1234567.5`` (for input fields: no grouping, no exponent)
- ``{{ fraction|bar_width }}`` → ``42.5`` (a progress bar's CSS width in percent)
- ``{{ period|period_label }}`` → ``Oct 2026``, ``Jul–Sep 2026``, ``2026``, ``2–8 Nov 2026``
- ``{{ status|status_label }}``, ``{{ trend|trend_arrow }}``,
  ``{{ trend|trend_meaning:kpi.optimization }}``
- ``{{ meaning|trend_words }}`` (the meaning in words of the active language)
- ``{{ user|person }}``, ``{{ mapping|get_item:key }}``

A non-breaking space joins a number to its unit so the two never wrap apart.

Separators and month names follow the active language (the person's, docs/languages.md):
``1,234.5`` in English, ``1.234,5`` in German and Spanish, ``1 234,5`` in French (Django's
locale formats); ``plain`` writes the decimal mark the forms of that language read back.
Reports and e-mails made without a request use ``LANGUAGE_CODE``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from scorecard import dates
from scorecard.dates import month_abbreviation

DASH = "—"
NBSP = "\u00a0"
#: Units written before the number, without a space.
PREFIX_UNITS = {"$", "£", "US$"}
STATUS_LABELS = {
    "red": _("Red"),
    "yellow": _("Yellow"),
    "green": _("Green"),
    "no_data": _("No data"),
    "not_applicable": _("Not scored"),
    "error": _("Setup error"),
}
#: Optimizations where a falling value is good news.
LOWER_IS_BETTER = {"minimize", "binary_min"}


def _number(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _localize(text: str, grouping: bool = True) -> str:
    """English separators (``1,234.5``) turned into the active language's."""
    decimal = formats.get_format("DECIMAL_SEPARATOR")
    group = formats.get_format("THOUSAND_SEPARATOR") if grouping else ""
    if decimal == "." and group == ",":
        return text
    return text.translate({ord(","): group, ord("."): decimal})


def _month(day: dt.date) -> str:
    """The month's short name in the active language: ``Oct``, ``Okt``, ``déc.``."""
    return month_abbreviation(day)


def month_year(day: dt.date) -> str:
    """``Oct 2026`` in the active language (``Okt 2026``): chart axes."""
    return dates.month_year(day)


def _decimals(value: float) -> int:
    """Enough decimals to read a value, never more than two."""
    magnitude = abs(value)
    if magnitude >= 1000 or value.is_integer():
        return 0
    if magnitude >= 100:
        return 1
    if magnitude >= 1:
        return 1 if round(value, 1) == round(value, 2) else 2
    return 3


def format_number(value: Any, unit: str = "") -> str:
    """``1234567, "€"`` → ``1,234,567 €``; ``12.5, "%"`` → ``12.5 %``; None → ``—``."""
    number = _number(value)
    if number is None:
        return DASH
    text = f"{number:,.{_decimals(number)}f}"
    if abs(number) < 1 and "." in text:
        text = text.rstrip("0").rstrip(".")  # 0.500 → 0.5, 0.005 stays
    if text.startswith("-"):
        text = "−" + text[1:]  # a real minus sign
    if text in {"−0", "−0.00", "−0.0"}:
        text = text[1:]
    text = _localize(text)
    unit = (unit or "").strip()
    if not unit:
        return text
    if unit in PREFIX_UNITS:
        return f"−{unit}{text[1:]}" if text.startswith("−") else f"{unit}{text}"
    return f"{text}{NBSP}{unit}"


def plain_number(value: Any) -> str:
    """A number as typed into a form: ``1978000.0`` → ``1978000``, ``12.38`` → ``12.38``."""
    number = _number(value)
    if number is None:
        return ""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.10f}".rstrip("0").rstrip(".")
    return _localize(text if text not in {"", "-0"} else repr(number), grouping=False)


def num(value: Any, unit: str = "") -> str:
    """Template filter: ``{{ value|num:kpi.unit }}``."""
    return format_number(value, unit)


def plain(value: Any) -> str:
    """Template filter for input values: ``{{ m.value|plain }}``."""
    return plain_number(value)


def pct(value: Any) -> str:
    """A fraction as a percentage with one decimal: 0.654 → ``65.4 %``; None → ``—``."""
    number = _number(value)
    if number is None:
        return DASH
    text = f"{number * 100:,.1f}"
    if text == "-0.0":
        text = "0.0"
    return _localize(text.replace("-", "−")) + f"{NBSP}%"


def bar_width(value: Any) -> str:
    """A fraction as the width of a progress bar in percent, for CSS: 0.425 → ``42.5``,
    held between 0 and 100 (the bar never overflows); None → ``0``. Templates call
    this rather than doing the arithmetic themselves (widthratio, add)."""
    number = _number(value)
    if number is None:
        return "0"
    return f"{min(max(number, 0.0), 1.0) * 100:.1f}".removesuffix(".0")


def percent_input(value: Any) -> str:
    """A fraction as the percent a form field shows for editing: 0.5 → ``50``,
    0.3333 → ``33.33`` (no rounding to whole percent, no sign, no grouping); None → ``""``."""
    number = _number(value)
    if number is None:
        return ""
    return f"{number * 100:.4f}".rstrip("0").rstrip(".")


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_label(period: Any) -> str:
    """A period for people: ``Oct 2026``, ``Jul–Sep 2026``, ``Jan–Dec 2026`` as ``2026``,
    ``Nov 2026–Apr 2027``, ``2–8 Nov 2026`` or ``23 Nov 2026``.

    Takes anything with ``start`` and ``end`` dates (the engine's Period).
    """
    start, end = getattr(period, "start", None), getattr(period, "end", None)
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return DASH
    if start == end:
        return f"{start.day} {_month(start)} {start.year}"
    whole_months = start.day == 1 and end == _month_end(end)
    if not whole_months:
        if start.year == end.year and start.month == end.month:
            return f"{start.day}–{end.day} {_month(end)} {end.year}"
        if start.year == end.year:
            return f"{start.day} {_month(start)}–{end.day} {_month(end)} {end.year}"
        return f"{start.day} {_month(start)} {start.year}–{end.day} {_month(end)} {end.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{_month(start)} {start.year}"
    if start.year == end.year:
        if start.month == 1 and end.month == 12:
            return str(start.year)
        return f"{_month(start)}–{_month(end)} {end.year}"
    return f"{_month(start)} {start.year}–{_month(end)} {end.year}"


def status_label(status: str) -> str:
    """A status for people ("no_data" → "No data"); custom band names as written."""
    if status in STATUS_LABELS:
        return str(STATUS_LABELS[status])
    return str(status).replace("_", " ").capitalize()


def trend_arrow(direction: str | None) -> str:
    """↑, ↓ or → for a trend direction; nothing when there is no trend."""
    return {"up": "↑", "down": "↓", "flat": "→"}.get(direction or "", "")


def trend_meaning(direction: str | None, optimization: str = "maximize") -> str:
    """``better``, ``worse`` or ``steady`` for a trend, given which way is good."""
    if direction == "flat":
        return "steady"  # a CSS class as well: translated where shown
    if direction not in {"up", "down"}:
        return ""
    good = "down" if optimization in LOWER_IS_BETTER else "up"
    if optimization in {"exact", "band", "none"}:
        return "changed"
    return "better" if direction == good else "worse"


#: ``trend_meaning`` (also a CSS class) in words of the active language.
TREND_WORDS = {
    "better": _("better"),
    "worse": _("worse"),
    "steady": _("steady"),
    "changed": _("changed"),
    "": _("no change"),
}


def trend_words(meaning: str | None) -> str:
    """Template filter: ``{{ meaning|trend_words }}`` → ``besser``, ``en baisse``…"""
    return str(TREND_WORDS.get(meaning or "", meaning or ""))


def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """``{{ mapping|get_item:key }}`` — look a key up in a dictionary."""
    return mapping.get(key, "")


def person(user: Any, empty: str = DASH) -> str:
    """A user's full name, else the user name, else ``empty``."""
    if user is None:
        return empty
    return user.get_full_name() or user.username
