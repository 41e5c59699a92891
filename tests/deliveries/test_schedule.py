"""The schedule's days, worked examples (working days are Monday to Friday)."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.deliveries import schedule

D = dt.date


@pytest.mark.parametrize(
    ("frequency", "day", "date", "on_or_before", "after"),
    [
        # Dec 2026 starts on a Tuesday: Tu 1, W 2, Th 3, F 4, M 7 is the 5th working day.
        (schedule.MONTHLY_WORKING_DAY, 5, D(2026, 12, 7), D(2026, 12, 7), D(2027, 1, 7)),
        (schedule.MONTHLY_WORKING_DAY, 5, D(2026, 12, 6), D(2026, 11, 6), D(2026, 12, 7)),
        # Nov 2026 starts on a Sunday: M 2 ... F 6 is the 5th working day.
        (schedule.MONTHLY_WORKING_DAY, 5, D(2026, 11, 30), D(2026, 11, 6), D(2026, 12, 7)),
        (schedule.MONTHLY_WORKING_DAY, 1, D(2026, 8, 2), D(2026, 7, 1), D(2026, 8, 3)),
        # Feb 2027 has 20 working days: the 23rd is its last one, Friday 26 Feb.
        (schedule.MONTHLY_WORKING_DAY, 23, D(2027, 2, 27), D(2027, 2, 26), D(2027, 3, 31)),
        (schedule.MONTHLY_DAY, 31, D(2027, 2, 28), D(2027, 2, 28), D(2027, 3, 31)),
        (schedule.MONTHLY_DAY, 15, D(2027, 1, 3), D(2026, 12, 15), D(2027, 1, 15)),
        # Weekly on Monday (0); 7 Dec 2026 is a Monday.
        (schedule.WEEKLY, 0, D(2026, 12, 7), D(2026, 12, 7), D(2026, 12, 14)),
        (schedule.WEEKLY, 0, D(2026, 12, 9), D(2026, 12, 7), D(2026, 12, 14)),
        (schedule.WEEKLY, 4, D(2026, 12, 31), D(2026, 12, 25), D(2027, 1, 1)),
    ],
)
def test_schedule_days(
    frequency: str, day: int, date: dt.date, on_or_before: dt.date, after: dt.date
) -> None:
    assert schedule.occurrence_on_or_before(frequency, day, date) == on_or_before
    assert schedule.occurrence_after(frequency, day, date) == after


def test_the_schedule_in_words() -> None:
    assert (
        schedule.describe(schedule.MONTHLY_WORKING_DAY, 5, 7)
        == "Monthly, on the 5th working day, at 07:00"
    )
    assert schedule.describe(schedule.MONTHLY_DAY, 22, 18) == "Monthly, on the 22nd, at 18:00"
    assert schedule.describe(schedule.WEEKLY, 0, 9) == "Weekly, on Monday, at 09:00"
