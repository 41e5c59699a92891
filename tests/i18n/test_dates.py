"""Dates for people in each language (scorecard/dates.py and the ``day``, ``day_time`` and
``month_year`` template filters): French months as the French abbreviate them, so June
and July never read alike; times in the site's time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from scorecard import dates

JUNE = dt.date(2026, 6, 3)
JULY = dt.date(2026, 7, 3)
LATE = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)

CASES = [
    # language, 3 June, 3 July, month of December, late on 31 March (UTC)
    ("en", "3 Jun 2026", "3 Jul 2026", "Dec 2026", "31 Mar 2026 23:30"),
    ("de", "3 Jun 2026", "3 Jul 2026", "Dez 2026", "31 Mär 2026 23:30"),
    ("fr", "3 juin 2026", "3 juil. 2026", "déc. 2026", "31 mars 2026 23:30"),
    ("es", "3 Jun 2026", "3 Jul 2026", "Dic 2026", "31 Mar 2026 23:30"),
]


@pytest.mark.parametrize(("language", "june", "july", "december", "late"), CASES)
def test_dates_in_each_language(
    language: str, june: str, july: str, december: str, late: str
) -> None:
    with translation.override(language):
        assert dates.day_month_year(JUNE) == june
        assert dates.day_month_year(JULY) == july
        assert dates.day_month_year(JUNE) != dates.day_month_year(JULY).replace("7", "6")
        assert dates.month_year(dt.date(2026, 12, 1)) == december
        assert dates.day_time(LATE) == late
        assert dates.day_time(LATE, ", ") == late.replace(" 23:30", ", 23:30")


def test_times_are_written_in_the_sites_time_zone(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Berlin"  # UTC+2 in summer time: 31 March 23:30 is 1 April
    with translation.override("en"):
        assert dates.day_month_year(LATE) == "1 Apr 2026"
        assert dates.day_time(LATE) == "1 Apr 2026 01:30"
        assert dates.day_month_year(dt.date(2026, 3, 31)) == "31 Mar 2026"  # a day stays


def test_no_date_writes_nothing() -> None:
    assert dates.day_month_year(None) == dates.day_time(None) == dates.month_year(None) == ""


def test_the_template_filters_write_the_same() -> None:
    template = Template(
        "{% load scorecard_format %}{{ d|day }} · {{ d|month_year }} · {{ t|day_time }}"
    )
    with translation.override("fr"):
        text = template.render(Context({"d": JULY, "t": LATE}))
    assert text == "3 juil. 2026 · juil. 2026 · 31 mars 2026 23:30"
