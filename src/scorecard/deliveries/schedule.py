"""When a scheduled delivery is due: pure calendar arithmetic, no database, no clock.

Working days are Monday to Friday (public holidays are not known to Scorecard). The
*N*-th working day of a month that has fewer than *N* is its last working day; day *N*
of a month that has fewer days is its last day.
"""

from __future__ import annotations

import calendar
import datetime as dt

MONTHLY_WORKING_DAY = "monthly_working_day"
MONTHLY_DAY = "monthly_day"
WEEKLY = "weekly"

#: The most a ``day`` may be, by frequency (weekly: 0 = Monday ... 6 = Sunday).
DAY_RANGE = {MONTHLY_WORKING_DAY: (1, 23), MONTHLY_DAY: (1, 31), WEEKLY: (0, 6)}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe(frequency: str, day: int, hour: int) -> str:
    """The schedule in words, e.g. "Monthly, on the 5th working day, at 07:00"."""
    at = f"at {hour:02d}:00"
    if frequency == MONTHLY_WORKING_DAY:
        return f"Monthly, on the {_ordinal(day)} working day, {at}"
    if frequency == MONTHLY_DAY:
        return f"Monthly, on the {_ordinal(day)}, {at}"
    return f"Weekly, on {WEEKDAYS[day]}, {at}"


def _in_month(frequency: str, day: int, year: int, month: int) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    if frequency == MONTHLY_DAY:
        return dt.date(year, month, min(day, last))
    working = [
        dt.date(year, month, d) for d in range(1, last + 1) if dt.date(year, month, d).weekday() < 5
    ]
    return working[min(day, len(working)) - 1]


def occurrence_on_or_before(frequency: str, day: int, date: dt.date) -> dt.date:
    """The latest day of the schedule on or before ``date``."""
    if frequency == WEEKLY:
        return date - dt.timedelta(days=(date.weekday() - day) % 7)
    this_month = _in_month(frequency, day, date.year, date.month)
    if this_month <= date:
        return this_month
    year, month = (date.year, date.month - 1) if date.month > 1 else (date.year - 1, 12)
    return _in_month(frequency, day, year, month)


def occurrence_after(frequency: str, day: int, date: dt.date) -> dt.date:
    """The first day of the schedule after ``date``."""
    if frequency == WEEKLY:
        return date + dt.timedelta(days=(day - date.weekday() - 1) % 7 + 1)
    this_month = _in_month(frequency, day, date.year, date.month)
    if this_month > date:
        return this_month
    year, month = (date.year, date.month + 1) if date.month < 12 else (date.year + 1, 1)
    return _in_month(frequency, day, year, month)
