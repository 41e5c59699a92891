"""Custom windows: any span of days from a ``from`` date to a ``to`` date (docs/scoring.md,
"Custom windows").

A custom window scores every KPI over exactly those days, whatever the KPI's own
interval: a window may span fiscal years, and a period that lies only partly inside it
counts pro rata by days (the rule of :func:`scorecard.engine.periods.aggregate_over_window`).

Pages, the API and the CLI carry a window as its *view code*, ``custom:<from>:<to>``
(:meth:`CustomWindow.code`), wherever a fixed view's name (``quarter``, ``ytd``) would go,
so a chosen window travels through links, caches and report jobs like any view.
:func:`parse_view` reads both back. :func:`custom_window` checks user input and explains
what is wrong in plain words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .periods import ONE_DAY, Period, add_months, days_in_month
from .text import Text, gettext_noop
from .types import View

#: The view code prefix of a custom window, and the picker's choice for one.
CUSTOM = "custom"
#: The longest window accepted, in years.
MAX_YEARS = 10
#: Earliest and latest dates accepted (the calendar maths stays in range).
EARLIEST, LATEST = dt.date(1970, 1, 1), dt.date(2199, 12, 31)


class WindowError(ValueError):
    """A window that cannot be scored; the message says why, in plain words, and ``field``
    which date is wrong (``from`` or ``to``; ``view`` for a view code)."""

    def __init__(self, message: Text, field: str = "view") -> None:
        super().__init__(message)
        #: the sentence, translatable by the presentation layer (engine/text.py)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class CustomWindow:
    """The days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    @property
    def code(self) -> str:
        """The view code that stands for this window (``custom:2026-02-01:2026-03-31``)."""
        return f"{CUSTOM}:{self.start.isoformat()}:{self.end.isoformat()}"

    @property
    def period(self) -> Period:
        """The window as a period of days."""
        return Period(self.start, self.end)

    @property
    def label(self) -> str:
        """The window in words: ``1 Feb 2026 – 31 Mar 2026``."""
        return f"{self.start:%-d %b %Y} – {self.end:%-d %b %Y}"

    def __str__(self) -> str:
        return self.code


def parse_view(code: str) -> View | CustomWindow:
    """A fixed view or a custom window from its code; :class:`WindowError` when it is neither."""
    if code.startswith(f"{CUSTOM}:"):
        parts = code.split(":")
        if len(parts) == 3:
            try:
                start, end = dt.date.fromisoformat(parts[1]), dt.date.fromisoformat(parts[2])
                return CustomWindow(start, end)
            except ValueError:
                pass
        raise WindowError(
            gettext_noop(
                "“%(code)s” is not a window; write it as custom:2026-02-01:2026-03-31.", code=code
            )
        )
    try:
        return View(code)
    except ValueError:
        raise WindowError(gettext_noop("“%(code)s” is not a period choice.", code=code)) from None


def view_code(view: View | CustomWindow) -> str:
    """The code of a fixed view or a custom window (the inverse of :func:`parse_view`)."""
    return view.code if isinstance(view, CustomWindow) else view.value


def _day(raw: str, which: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        message = (
            gettext_noop(
                "The from date “%(raw)s” is not a date; "
                "write it as year-month-day, e.g. 2026-02-01.",
                raw=raw,
            )
            if which == "from"
            else gettext_noop(
                "The to date “%(raw)s” is not a date; write it as year-month-day, e.g. 2026-02-01.",
                raw=raw,
            )
        )
        raise WindowError(message, which) from None
    if not EARLIEST <= day <= LATEST:
        # Years as text: a year is not a quantity ("1970", never "1,970").
        years = {"raw": raw, "first": str(EARLIEST.year), "last": str(LATEST.year)}
        message = (
            gettext_noop("The from date %(raw)s is outside the years %(first)s–%(last)s.", **years)
            if which == "from"
            else gettext_noop(
                "The to date %(raw)s is outside the years %(first)s–%(last)s.", **years
            )
        )
        raise WindowError(message, which)
    return day


def custom_window(
    start: str | dt.date | None,
    end: str | dt.date | None,
    today: dt.date,
    max_years: int = MAX_YEARS,
) -> CustomWindow:
    """A window from user input (text or dates), checked.

    Refused, each with a plain message: a missing or unreadable date, a ``to`` before
    ``from``, a ``from`` after ``today`` (nothing has happened in it yet) and a window
    longer than ``max_years`` years. A ``to`` after today is allowed: as with the
    quarter view in mid-quarter, the target covers the whole window and the actual
    what has been recorded so far.
    """
    if isinstance(start, str):
        start = start.strip() or None
    if isinstance(end, str):
        end = end.strip() or None
    if start is None or end is None:
        missing = "from" if start is None else "to"
        message = (
            gettext_noop(
                "A custom window needs both a from and a to date; the from date is missing."
            )
            if missing == "from"
            else gettext_noop(
                "A custom window needs both a from and a to date; the to date is missing."
            )
        )
        raise WindowError(message, missing)
    first = start if isinstance(start, dt.date) else _day(start, "from")
    last = end if isinstance(end, dt.date) else _day(end, "to")
    if last < first:
        raise WindowError(
            gettext_noop(
                "The window ends (%(end)s) before it starts (%(start)s); "
                "the to date must be on or after the from date.",
                end=last,
                start=first,
            ),
            "to",
        )
    if first > today:
        raise WindowError(
            gettext_noop(
                "The window starts in the future (%(start)s); "
                "choose a from date on or before today.",
                start=first,
            ),
            "from",
        )
    if last >= add_months(first, 12 * max_years):
        raise WindowError(
            gettext_noop(
                "The window %(start)s – %(end)s is longer than %(years)s years; "
                "choose a shorter one.",
                start=first,
                end=last,
                years=max_years,
            ),
            "to",
        )
    return CustomWindow(first, last)


def default_as_of(window: CustomWindow, today: dt.date) -> dt.date:
    """The as-of date a custom window is scored at: its end, or today when it ends later
    (values of periods that start after the as-of date are left out)."""
    return min(window.end, today)


def _whole_months(window: Period) -> int | None:
    """How many calendar months the window covers, when it runs from a month's first day
    to a month's last day (else None)."""
    if window.start.day != 1 or window.end.day != days_in_month(window.end.year, window.end.month):
        return None
    return (window.end.year - window.start.year) * 12 + window.end.month - window.start.month + 1


def previous_window(window: Period) -> Period:
    """The window a custom window's trend compares with: as long, and right before it.

    A window of whole months compares with as many whole months before it (1 Feb – 31 Mar
    with 1 Dec – 31 Jan); any other with the same number of days before it.
    """
    months = _whole_months(window)
    if months is not None:
        return Period(add_months(window.start, -months), window.start - ONE_DAY)
    return Period(window.start - dt.timedelta(days=window.days), window.start - ONE_DAY)
