"""Number, period and status filters for people (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.engine.periods import Period
from scorecard.presentation.numbers import (
    format_number,
    pct,
    period_label,
    plain_number,
    status_label,
    trend_meaning,
)

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234567, "€", f"1,234,567{NB}€"),
        (1978000.0, "€", f"1,978,000{NB}€"),
        (12.5, "%", f"12.5{NB}%"),
        (3.2, "h", f"3.2{NB}h"),
        (12.38, "kg", f"12.38{NB}kg"),
        (102.44, "", "102.4"),
        (0.005, "", "0.005"),
        (0, "incidents", f"0{NB}incidents"),
        (-1500, "€", f"−1,500{NB}€"),
        (1200, "$", "$1,200"),
        (-1200, "$", "−$1,200"),
        (None, "€", "—"),
        ("", "", "—"),
        (float("nan"), "", "—"),
        (float("inf"), "%", "—"),
        ("abc", "", "—"),
    ],
)
def test_format_number(value, unit, expected) -> None:
    assert format_number(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.654, f"65.4{NB}%"), (1.2, f"120.0{NB}%"), (-0.0001, f"0.0{NB}%"), (None, "—")],
)
def test_pct(value, expected) -> None:
    assert pct(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1978000.0, "1978000"), (12.38, "12.38"), (0.1 + 0.2, "0.3"), (-4.0, "-4"), (None, "")],
)
def test_plain_number_for_inputs(value, expected) -> None:
    assert plain_number(value) == expected


D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 10, 1), D(2026, 10, 31), "Oct 2026"),
        (D(2026, 7, 1), D(2026, 9, 30), "Jul–Sep 2026"),
        (D(2026, 1, 1), D(2026, 12, 31), "2026"),
        (D(2026, 4, 1), D(2027, 3, 31), "Apr 2026–Mar 2027"),
        (D(2026, 11, 2), D(2026, 11, 8), "2–8 Nov 2026"),
        (D(2026, 10, 26), D(2026, 11, 1), "26 Oct–1 Nov 2026"),
        (D(2026, 11, 23), D(2026, 11, 23), "23 Nov 2026"),
    ],
)
def test_period_label(start, end, expected) -> None:
    assert period_label(Period(start, end)) == expected
    assert period_label(None) == "—"


def test_status_and_trend_words() -> None:
    assert status_label("no_data") == "No data"
    assert status_label("above_plan") == "Above plan"
    assert trend_meaning("up", "maximize") == "better"
    assert trend_meaning("up", "minimize") == "worse"
    assert trend_meaning("down", "minimize") == "better"
    assert trend_meaning("flat", "maximize") == "steady"
    assert trend_meaning(None, "maximize") == ""
