"""Moving the demo document to another day (scorecard.interchange.demo_dates): pure, no database."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from scorecard.engine.types import Interval
from scorecard.interchange.demo_dates import (
    TEMPLATE_TODAY,
    name_years,
    period_shift,
    shift_date,
    shift_document,
    shift_period,
)
from scorecard.interchange.document import parse_document
from scorecard.interchange.services import DEMO_FILE

D = dt.date
M, Q, H, Y, W = (Interval.MONTH, Interval.QUARTER, Interval.HALF_YEAR, Interval.YEAR,
                 Interval.WEEK)  # fmt: skip


@pytest.mark.parametrize(
    ("today", "interval", "shift"),
    [
        # The template is written for November 2026: October, 2026-Q3 and 2026-H1 are
        # the latest complete periods then, and nothing moves on any day of that month.
        (D(2026, 11, 1), M, 0),
        (D(2026, 11, 30), Q, 0),
        (D(2026, 11, 23), H, 0),
        (D(2026, 11, 23), Y, 0),
        # In December only the months move; quarters wait for the quarter to end.
        (D(2026, 12, 2), M, 1),
        (D(2026, 12, 30), Q, 0),
        (D(2026, 12, 31), Q, 3),  # a period's last day completes it
        (D(2026, 12, 2), H, 0),
        (D(2027, 1, 1), M, 2),
        (D(2027, 1, 1), Q, 3),
        (D(2027, 1, 1), H, 6),
        (D(2027, 1, 1), Y, 12),
        (D(2027, 3, 15), M, 4),
        (D(2027, 3, 15), Q, 3),
        (D(2027, 7, 1), M, 8),
        (D(2027, 7, 1), Q, 9),
        (D(2027, 7, 1), H, 12),
        (D(2028, 1, 30), M, 14),
        (D(2028, 1, 31), M, 15),
        (D(2028, 1, 31), Q, 15),
        (D(2028, 1, 31), H, 18),
        # Earlier days move back.
        (D(2026, 5, 10), M, -6),
        (D(2026, 5, 10), Q, -6),
        # Weeks move by whole weeks, counted in days.
        (D(2026, 11, 30), W, 7),
    ],
)
def test_period_shift(today: dt.date, interval: Interval, shift: int) -> None:
    assert period_shift(interval, today) == shift


@pytest.mark.parametrize(
    ("day", "months", "moved"),
    [
        (D(2026, 2, 15), 12, D(2027, 2, 15)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),  # a month's last day stays the last day
        (D(2026, 4, 30), 1, D(2026, 5, 31)),
        (D(2026, 1, 30), 1, D(2026, 2, 28)),  # clipped, as add_months does
        (D(2027, 12, 31), 14, D(2029, 2, 28)),
        (D(2026, 6, 30), -6, D(2025, 12, 31)),
    ],
)
def test_shift_date(day: dt.date, months: int, moved: dt.date) -> None:
    assert shift_date(day, months) == moved


@pytest.mark.parametrize(
    ("text", "interval", "shift", "moved"),
    [
        ("2024-11", M, 2, "2025-01"),
        ("2025-01", M, 14, "2026-03"),
        ("2024-Q4", Q, 3, "2025-Q1"),
        ("2025-Q1", Q, 15, "2026-Q2"),
        ("2024-H2", H, 6, "2025-H1"),
        ("2025-04-01", Q, 3, "2025-Q3"),  # written back in the document's shorthand
        (2025, Y, 12, "2026"),
    ],
)
def test_shift_period(text: object, interval: Interval, shift: int, moved: str) -> None:
    assert shift_period(text, interval, shift) == moved


@pytest.mark.parametrize(
    ("months", "years"),
    [(0, 0), (5, 0), (6, 0), (11, 0), (12, 1), (19, 1), (24, 2), (-1, -1), (-13, -2)],
)
def test_years_in_names_follow_the_plan_year(months: int, years: int) -> None:
    assert name_years(months) == years


@pytest.fixture(scope="module")
def template() -> dict:
    return yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))


def _kpi(doc: dict, card: str, code: str) -> dict:
    for scorecard in doc["scorecards"]:
        if scorecard["slug"] == card:
            for p in scorecard["perspectives"]:
                for o in p["objectives"]:
                    for k in o["kpis"]:
                        if k["code"] == code:
                            return k
    raise KeyError(code)


def test_the_template_day_changes_nothing(template: dict) -> None:
    assert shift_document(template, TEMPLATE_TODAY) == template


def test_a_later_day_moves_every_kpi_by_its_own_periods(template: dict) -> None:
    original = copy.deepcopy(template)
    moved = shift_document(template, D(2027, 3, 15))
    assert template == original  # the input is not changed
    revenue = _kpi(moved, "company", "revenue")
    assert revenue["measurements"]["start"] == "2025-03"  # 2024-11 + 4 months
    assert [t["period"] for t in revenue["targets"]] == ["2025-05", "2026-05"]
    nps = _kpi(moved, "company", "net_promoter_score")
    assert nps["measurements"]["start"] == "2025-Q1"  # 2024-Q4 + 1 quarter
    engagement = _kpi(moved, "company", "engagement")
    assert engagement["measurements"]["start"] == "2025-H1"  # 2024-H2 + 1 half-year
    company = moved["scorecards"][0]
    assert company["name"] == "Northwind Outdoor 2027"  # still the plan year in March
    assert company["perspectives"][0]["objectives"][0]["due_date"] == "2028-04-30"
    # In July the numbers are 2027's: the name does not run a year ahead of them.
    assert shift_document(template, D(2027, 7, 1))["scorecards"][0]["name"] == (
        "Northwind Outdoor 2027"
    )
    assert shift_document(template, D(2027, 11, 1))["scorecards"][0]["name"] == (
        "Northwind Outdoor 2028"
    )
    assert shift_document(template, D(2028, 6, 30))["scorecards"][0]["name"] == (
        "Northwind Outdoor 2028"
    )


@pytest.mark.parametrize("today", [D(2026, 12, 2), D(2027, 3, 15), D(2027, 7, 1), D(2028, 1, 31)])
def test_the_moved_document_is_still_valid(template: dict, today: dt.date) -> None:
    document = parse_document(yaml.safe_dump(shift_document(template, today), sort_keys=False))
    assert document.organization.slug == "northwind"
