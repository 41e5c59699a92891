"""Dates written for people in the active language: ``3 Oct 2026``, ``3 Okt 2026``,
``3 oct. 2026``. Every layer may use it: pages (the ``day``, ``day_time`` and
``month_year`` template filters), reports, e-mails and alert titles.

Django's three-letter month names serve English, German and Spanish; in French they are
ambiguous (``Jui`` is June, ``Jul`` July), so French takes the abbreviations the French
write (``juin``, ``juil.``, ``déc.``). Times of day are in the site's time zone, as
Django's ``date`` filter writes them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, timezone, translation

#: Languages whose three-letter month names are ambiguous or wrong.
USUAL_ABBREVIATIONS = {"fr"}


def _local(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def month_abbreviation(day: dt.date) -> str:
    """The month's short name in the active language: ``Oct``, ``Okt``, ``déc.``."""
    language = (translation.get_language() or "en").split("-")[0]
    return dateformat.format(day, "N" if language in USUAL_ABBREVIATIONS else "M")


def day_month_year(day: dt.date | None) -> str:
    """``3 Oct 2026`` in the active language ("" for no date)."""
    if day is None or day == "":
        return ""
    day = _local(day)
    return f"{day.day} {month_abbreviation(day)} {day.year}"


def day_time(moment: dt.datetime | None, separator: str = " ") -> str:
    """``3 Oct 2026 14:05`` in the active language and the site's time zone."""
    if moment is None or moment == "":
        return ""
    local = _local(moment)
    return f"{day_month_year(local)}{separator}{local:%H:%M}"


def month_year(day: dt.date | None) -> str:
    """``Oct 2026`` in the active language."""
    if day is None or day == "":
        return ""
    day = _local(day)
    return f"{month_abbreviation(day)} {day.year}"
