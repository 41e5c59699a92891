"""Custom windows (docs/scoring.md, "Custom windows"): worked examples as tables, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    ScorecardInput,
    evaluate_scorecard,
)
from scorecard.engine.periods import Period
from scorecard.engine.types import Aggregation, Interval, KpiSpec, Measurement, View
from scorecard.engine.windows import (
    CustomWindow,
    WindowError,
    custom_window,
    default_as_of,
    parse_view,
    previous_window,
    view_code,
)

D = dt.date
approx = pytest.approx

#: Monthly sales (summed, target 100 a month), Oct 2025 – Jun 2026.
SALES = {
    D(2025, 10, 1): 95,
    D(2025, 11, 1): 100,
    D(2025, 12, 1): 120,
    D(2026, 1, 1): 90,
    D(2026, 2, 1): 110,
    D(2026, 3, 1): 130,
    D(2026, 4, 1): 105,
    D(2026, 5, 1): 115,
}
#: Monthly customer satisfaction (averaged, target 75), Jan – Mar 2026.
SATISFACTION = {D(2026, 1, 1): 80, D(2026, 2, 1): 90, D(2026, 3, 1): 70}
#: Headcount (a level: the latest value counts), Jan – Feb 2026.
HEADCOUNT = {D(2026, 1, 1): 50, D(2026, 2, 1): 52}
#: Quarterly orders (summed, target 270 a quarter).
ORDERS = {D(2026, 1, 1): 300}


def _kpi(code: str, values: dict[dt.date, float], **spec: object) -> KpiInput:
    fields = {"minimum": 0, **spec}
    return KpiInput(
        KpiSpec(code, code.title(), **fields),  # type: ignore[arg-type]
        "o",
        tuple(Measurement(day, value) for day, value in values.items()),
    )


def _card(fy: int = 1) -> ScorecardInput:
    return ScorecardInput(
        "s",
        "S",
        (PerspectiveInput("p", "P"),),
        (ObjectiveInput("o", "O", "p"),),
        (
            _kpi("sales", SALES, target=100),
            _kpi(
                "satisfaction", SATISFACTION, target=75, aggregation=Aggregation.AVERAGE,
                unit="score",
            ),
            _kpi("headcount", HEADCOUNT, target=55, aggregation=Aggregation.LAST),
            _kpi("orders", ORDERS, target=270, interval=Interval.QUARTER),
        ),
        fiscal_year_start_month=fy,
    )  # fmt: skip


# (case, fiscal year's first month, from, to, KPI, value, target, previous value)
EXAMPLES = [
    # Spanning two fiscal years (calendar): Nov 100 + Dec 120 + Jan 90 + Feb 110.
    ("two fiscal years", 1, D(2025, 11, 1), D(2026, 2, 28), "sales", 420, 400, 95 + 0),
    # Spanning two fiscal years that start in April: Feb 110 + Mar 130 + Apr 105 + May 115;
    # before it Oct 95 + Nov 100 + Dec 120 + Jan 90.
    ("two fiscal years (April)", 4, D(2026, 2, 1), D(2026, 5, 31), "sales", 460, 400, 405),
    # 1 Feb - 31 Mar: two whole months, compared with Dec + Jan before it.
    ("1 Feb - 31 Mar", 1, D(2026, 2, 1), D(2026, 3, 31), "sales", 240, 200, 210),
    # Half of January (16 of 31 days) pro rata, then all of February; before it the 44
    # days from 3 December (29 of December's 31 days, 15 of January's).
    (
        "partial month, sum", 1, D(2026, 1, 16), D(2026, 2, 28), "sales",
        90 * 16 / 31 + 110, 100 * 16 / 31 + 100, 120 * 29 / 31 + 90 * 15 / 31,
    ),
    # An average of whole months counts each month once: (90 + 70) / 2.
    ("1 Feb - 31 Mar, average", 1, D(2026, 2, 1), D(2026, 3, 31), "satisfaction", 80, 75, 80),
    # Partly covered months weigh by their days: (80·16 + 90·28) / 44; the target stays 75.
    (
        "partial month, average", 1, D(2026, 1, 16), D(2026, 2, 28), "satisfaction",
        (80 * 16 + 90 * 28) / 44, 75, 80,
    ),
    # A level carries its latest value forward into March.
    ("1 Feb - 31 Mar, last", 1, D(2026, 2, 1), D(2026, 3, 31), "headcount", 52, 55, 50),
    # A quarter's total pro rata over the 59 of its 90 days in the window (and over the
    # 31 days of January in the window before).
    (
        "quarterly KPI, two months", 1, D(2026, 2, 1), D(2026, 3, 31), "orders",
        300 * 59 / 90, 270 * 59 / 90, 300 * 31 / 90,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "fy", "start", "end", "code", "value", "target", "previous"),
    EXAMPLES,
    ids=[e[0] for e in EXAMPLES],
)
def test_custom_window_worked_examples(
    case: str,
    fy: int,
    start: dt.date,
    end: dt.date,
    code: str,
    value: float,
    target: float,
    previous: float | None,
) -> None:
    window = CustomWindow(start, end)
    result = evaluate_scorecard(_card(fy), as_of=end, view=window)
    kpi = result.kpis[code]
    assert kpi.window == Period(start, end)
    assert kpi.value == approx(value)
    assert kpi.target == approx(target)
    assert kpi.performance == approx(value / target)
    if previous is None:
        assert kpi.previous_value is None
    else:
        assert kpi.previous_value == approx(previous)
    assert result.view == window


def test_a_window_that_is_a_quarter_gives_the_quarter_views_numbers() -> None:
    card = _card()
    quarter = evaluate_scorecard(card, as_of=D(2026, 3, 31), view=View.QUARTER)
    custom = evaluate_scorecard(
        card, as_of=D(2026, 3, 31), view=CustomWindow(D(2026, 1, 1), D(2026, 3, 31))
    )
    for code in ("sales", "satisfaction", "headcount", "orders"):
        assert custom.kpis[code].value == quarter.kpis[code].value
        assert custom.kpis[code].target == quarter.kpis[code].target
    assert custom.score == quarter.score


def test_values_after_the_as_of_date_are_left_out() -> None:
    # The window runs to May, but as of 31 March April and May are not known yet.
    result = evaluate_scorecard(
        _card(), as_of=D(2026, 3, 31), view=CustomWindow(D(2026, 3, 1), D(2026, 5, 31))
    )
    assert result.kpis["sales"].value == 130
    assert result.kpis["sales"].target == 300


# (case, window, the window before it)
PREVIOUS = [
    ("whole months", Period(D(2026, 2, 1), D(2026, 3, 31)), Period(D(2025, 12, 1), D(2026, 1, 31))),
    ("one month", Period(D(2026, 3, 1), D(2026, 3, 31)), Period(D(2026, 2, 1), D(2026, 2, 28))),
    ("days", Period(D(2026, 1, 16), D(2026, 2, 28)), Period(D(2025, 12, 3), D(2026, 1, 15))),
    ("one day", Period(D(2026, 3, 1), D(2026, 3, 1)), Period(D(2026, 2, 28), D(2026, 2, 28))),
]  # fmt: skip


@pytest.mark.parametrize(("case", "window", "before"), PREVIOUS, ids=[p[0] for p in PREVIOUS])
def test_previous_window(case: str, window: Period, before: Period) -> None:
    assert previous_window(window) == before
    assert before.end + dt.timedelta(days=1) == window.start


TODAY = D(2026, 10, 31)


def W(*days: int) -> CustomWindow:
    return CustomWindow(D(*days[:3]), D(*days[3:]))


# (case, from, to, window or the start of the message; the date it blames)
INPUT = [
    ("dates", "2026-02-01", "2026-03-31", W(2026, 2, 1, 2026, 3, 31), None),
    ("one day", "2026-02-01", "2026-02-01", W(2026, 2, 1, 2026, 2, 1), None),
    ("spaces", " 2025-11-01 ", "2026-02-28", W(2025, 11, 1, 2026, 2, 28), None),
    ("ends after today", "2026-10-01", "2026-12-31", W(2026, 10, 1, 2026, 12, 31), None),
    ("ten years", "2016-11-01", "2026-10-31", W(2016, 11, 1, 2026, 10, 31), None),
    ("no from", "", "2026-03-31", "A custom window needs both a from and a to date; the from",
     "from"),
    ("no to", "2026-02-01", None, "A custom window needs both a from and a to date; the to", "to"),
    ("not a date", "yesterday", "2026-03-31", "The from date “yesterday” is not a date", "from"),
    ("not a day", "2026-02-01", "2026-02-30", "The to date “2026-02-30” is not a date", "to"),
    ("out of range", "1900-01-01", "2026-03-31", "The from date 1900-01-01 is outside", "from"),
    ("backwards", "2026-03-31", "2026-02-01", "The window ends (1 Feb 2026) before it",
     "to"),
    ("future", "2026-11-01", "2026-12-31", "The window starts in the future (1 Nov 2026)", "from"),
    ("too long", "2016-10-31", "2026-10-31", "The window 31 Oct 2016 – 31 Oct 2026 is",
     "to"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "start", "end", "expected", "field"), INPUT, ids=[i[0] for i in INPUT]
)
def test_custom_window_input(
    case: str, start: str, end: str | None, expected: CustomWindow | str, field: str | None
) -> None:
    if isinstance(expected, CustomWindow):
        assert custom_window(start, end, TODAY) == expected
    else:
        with pytest.raises(WindowError) as raised:
            custom_window(start, end, TODAY)
        assert str(raised.value).startswith(expected)
        assert raised.value.field == field


def test_view_codes_round_trip() -> None:
    window = CustomWindow(D(2025, 11, 1), D(2026, 2, 28))
    assert window.code == "custom:2025-11-01:2026-02-28"
    assert window.label == "1 Nov 2025 – 28 Feb 2026"
    assert parse_view(window.code) == window
    assert view_code(parse_view(window.code)) == window.code
    for view in View:
        assert parse_view(view.value) is view
        assert view_code(view) == view.value
    for bad in ("custom", "custom:2026-02-01", "custom:2026-02-01:soon", "fortnight"):
        with pytest.raises(WindowError):
            parse_view(bad)


def test_default_as_of_is_the_end_or_today() -> None:
    assert default_as_of(CustomWindow(D(2026, 2, 1), D(2026, 3, 31)), TODAY) == D(2026, 3, 31)
    assert default_as_of(CustomWindow(D(2026, 10, 1), D(2026, 12, 31)), TODAY) == TODAY
