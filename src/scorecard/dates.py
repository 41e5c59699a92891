"""Dates written for people in the active language: ``3 Oct 2026``, ``3 Okt 2026``,
``3 oct. 2026``. Every layer may use it (pages, e-mails, alert titles)."""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, translation

#: Languages whose three-letter month names are ambiguous or wrong: French's ``Jui`` is
#: June and ``Jul`` July, so French takes its usual abbreviations (``juin``, ``juil.``).
USUAL_ABBREVIATIONS = {"fr"}


def month_abbreviation(day: dt.date) -> str:
    """The month's short name in the active language: ``Oct``, ``Okt``, ``déc.``."""
    language = (translation.get_language() or "en").split("-")[0]
    return dateformat.format(day, "N" if language in USUAL_ABBREVIATIONS else "M")


def day_month_year(day: dt.date) -> str:
    """``3 Oct 2026`` in the active language."""
    return f"{day.day} {month_abbreviation(day)} {day.year}"
