"""Move the demo company's dates so that its history always ends "last period".

The committed demo document (``demo/northwind.yaml``) is a template written as
if today were :data:`TEMPLATE_TODAY` (a day in November 2026): its monthly KPIs
end in October 2026, its quarterly ones in 2026-Q3, its half-yearly ones in
2026-H1, each the latest complete period then. :func:`shift_document` moves the
parsed document to another day by whole periods, so that on any day the latest
complete period of every KPI has the value the template gave it for its own
latest period (a deliberately stale KPI stays as many periods behind).

Pure: no clock, no database; ``today`` is an argument. Every KPI's periods move
by whole periods of its own interval (a quarterly KPI's by whole quarters);
dates (deadlines, due dates, baselines, benchmark dates) move by the monthly
shift, a month's last day staying a month's last day.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from scorecard.engine import periods
from scorecard.engine.types import Interval

from .document import period_date, period_text

#: The day the template document is written for (tests freeze "today" here too).
TEMPLATE_TODAY = dt.date(2026, 11, 23)
#: Four-digit years in scorecard names ("Northwind Outdoor 2027") move with the dates.
YEAR_IN_NAME = re.compile(r"\b(20\d\d)\b")
#: Fields holding a calendar date, moved by the monthly shift.
DATE_FIELDS = ("due_date", "baseline_date", "target_date", "start_date", "deadline", "date")


def period_shift(interval: Interval, today: dt.date, fiscal_month: int = 1) -> int:
    """How far a KPI of ``interval`` moves: months for month-based intervals, days for
    days and weeks (always whole periods of ``interval``)."""
    then = periods.last_complete_period(TEMPLATE_TODAY, interval, fiscal_month).start
    now = periods.last_complete_period(today, interval, fiscal_month).start
    if interval in (Interval.DAY, Interval.WEEK):
        return (now - then).days
    return (now.year - then.year) * 12 + now.month - then.month


def shift_date(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months``; the last day of a month stays the last day."""
    moved = periods.add_months(day, months)
    if day.day == periods.days_in_month(day.year, day.month):
        return moved.replace(day=periods.days_in_month(moved.year, moved.month))
    return moved


def shift_period(text: Any, interval: Interval, shift: int, fiscal_month: int = 1) -> str:
    """A period of the document (``2025-03``, ``2025-Q1``, a date ...) moved by ``shift``
    (from :func:`period_shift`), written back in the document's shorthand."""
    start = period_date(text if isinstance(text, dt.date) else str(text))
    if interval in (Interval.DAY, Interval.WEEK):
        moved = start + dt.timedelta(days=shift)
    else:
        moved = periods.add_months(start, shift)
    return period_text(moved, interval.value, fiscal_month)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _shift_dates(item: dict[str, Any], months: int) -> None:
    for field in DATE_FIELDS:
        day = _as_date(item.get(field))
        if day is not None:
            item[field] = shift_date(day, months).isoformat()


def _shift_kpi(kpi: dict[str, Any], today: dt.date, months: int, fiscal_month: int) -> None:
    interval = Interval(kpi.get("update_interval", Interval.MONTH.value))
    shift = period_shift(interval, today, fiscal_month)
    _shift_dates(kpi, months)
    for benchmark in kpi.get("benchmarks") or []:
        _shift_dates(benchmark, months)
    for target in kpi.get("targets") or []:
        target["period"] = shift_period(target["period"], interval, shift, fiscal_month)
    measurements = kpi.get("measurements")
    if isinstance(measurements, dict) and "start" in measurements:
        measurements["start"] = shift_period(measurements["start"], interval, shift, fiscal_month)
    elif isinstance(measurements, list):
        for row in measurements:
            row["period"] = shift_period(row["period"], interval, shift, fiscal_month)


def name_years(months: int) -> int:
    """Years added to a year in a scorecard's name: "2027" in the template (written in
    November as the plan for the coming year) stays 2027 until the next November, so a
    scorecard showing June 2028's numbers is "2028", never a year ahead of its data."""
    return months // 12


def shift_document(raw: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A copy of the demo document (as YAML data) moved from TEMPLATE_TODAY to ``today``.

    ``raw`` is the document as read from YAML, before it is checked; the copy is
    checked by :func:`~.document.parse_document` like any other document.
    """
    doc = copy.deepcopy(raw)
    fiscal_month = int((doc.get("organization") or {}).get("fiscal_year_start_month", 1))
    months = period_shift(Interval.MONTH, today, fiscal_month)
    years = name_years(months)
    for card in doc.get("scorecards") or []:
        if years and isinstance(card.get("name"), str):
            card["name"] = YEAR_IN_NAME.sub(lambda m: str(int(m.group(1)) + years), card["name"])
        for perspective in card.get("perspectives") or []:
            for objective in perspective.get("objectives") or []:
                _shift_dates(objective, months)
                for kpi in objective.get("kpis") or []:
                    _shift_kpi(kpi, today, months, fiscal_month)
        for initiative in card.get("initiatives") or []:
            _shift_dates(initiative, months)
            for task in initiative.get("tasks") or []:
                _shift_dates(task, months)
    return doc
