"""Reading a page's query string once: the as-of date, the period view (or a custom
window, ``from``/``to``) and the knowledge moment ("as known then"), with plain messages
for bad input.

Every reading page (scorecard, map, KPI, reports, planning, alignment) asks here, so a
bad date or view is explained the same way everywhere and never fails a page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scorecard import clock
from scorecard.dates import day_month_year
from scorecard.engine.types import View
from scorecard.engine.windows import CUSTOM, CustomWindow, WindowError, custom_window, parse_view
from scorecard.engine.windows import default_as_of as window_as_of
from scorecard.kpis.period_words import VIEW_CHOICES
from scorecard.kpis.period_words import view_label as period_view_label
from scorecard.presentation.messages import window_error_text

#: The period choices of the scorecard page and the map.
VIEW_LABELS = VIEW_CHOICES
#: Earliest and latest as-of dates accepted (the engine's calendar maths stays in range).
AS_OF_MIN, AS_OF_MAX = dt.date(1970, 1, 1), dt.date(2199, 12, 31)


def parse_as_of(raw: str, default: dt.date) -> tuple[dt.date, str | None]:
    """An as-of date from user input, or ``default`` with a plain explanation."""
    raw = raw.strip()
    if not raw:
        return default, None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return default, _(
            "“%(raw)s” is not a date; showing %(default)s instead. "
            "Write dates as year-month-day, e.g. 2026-10-31."
        ) % {"raw": raw, "default": day_month_year(default)}
    if not AS_OF_MIN <= day <= AS_OF_MAX:
        return default, _(
            "%(raw)s is outside the years %(first)s–%(last)s; showing %(default)s instead."
        ) % {
            "raw": raw,
            "first": AS_OF_MIN.year,
            "last": AS_OF_MAX.year,
            "default": day_month_year(default),
        }
    return day, None


def period_params(request: HttpRequest) -> tuple[dt.date, str, list[str]]:
    """The as-of date and view from the query string, with plain errors for bad values.

    ``view=custom`` with ``from`` and ``to`` (or ``from`` and ``to`` alone) asks for a
    custom window: the view is then its code (``custom:2026-02-01:2026-03-31``, see
    scorecard.engine.windows) and the as-of date its end, or today when it ends later.
    Bad values never fail the page: it shows today and the latest period, and says why.
    """
    errors = []
    as_of, problem = parse_as_of(request.GET.get("as_of", ""), clock.today())
    if problem:
        errors.append(problem)
    view = request.GET.get("view", "").strip() or View.PERIOD.value
    if view == CUSTOM or (view == View.PERIOD.value and _asks_for_window(request)):
        try:
            window = custom_window(request.GET.get("from"), request.GET.get("to"), clock.today())
        except WindowError as error:
            errors.append(
                _("%(problem)s Showing the latest period.") % {"problem": window_error_text(error)}
            )
            return as_of, View.PERIOD.value, errors
        return window_as_of(window, clock.today()), window.code, errors
    if view not in {v.value for v in View}:
        choices = ", ".join(str(label).lower() for _value, label in VIEW_LABELS)
        errors.append(
            _("“%(view)s” is not a period choice (%(choices)s); showing the latest period.")
            % {"view": view, "choices": choices}
        )
        view = View.PERIOD.value
    return as_of, view, errors


def _asks_for_window(request: HttpRequest) -> bool:
    """True when the query string names a window's ``from`` or ``to`` date."""
    return bool(request.GET.get("from", "").strip() or request.GET.get("to", "").strip())


def custom_dates(view: str) -> CustomWindow | None:
    """The custom window a view code stands for (None for a fixed view)."""
    if not view.startswith(f"{CUSTOM}:"):
        return None
    try:
        window = parse_view(view)
    except WindowError:
        return None
    return window if isinstance(window, CustomWindow) else None


def view_label(view: str) -> str:
    """The period choice in words: ``Quarter``, or a custom window's days
    (``1 Feb 2026 – 31 Mar 2026``)."""
    window = custom_dates(view)
    if window is not None:
        return window.label
    return period_view_label(view)


def _moment(raw: str) -> dt.datetime | None:
    """An aware datetime from ISO text, or None."""
    try:
        moment = dt.datetime.fromisoformat(raw)
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    except (ValueError, OverflowError):
        return None


def known_params(request: HttpRequest, as_of: dt.date) -> tuple[dt.datetime | None, str, list[str]]:
    """Which knowledge the numbers reflect: now (None), or a past moment.

    ``known=then`` means "as known at the end of the as-of date"; ``known_at`` names
    an exact moment (review meetings link with it). Returns the moment, the query
    value that keeps it, and plain errors for bad input (the page then shows today's
    knowledge).
    """
    raw = request.GET.get("known_at", "").strip()
    if raw:
        # An unescaped "+02:00" arrives as " 02:00"; a space may also separate date and time.
        moment = _moment(raw.replace(" ", "+")) or _moment(raw)
        if moment is None:
            problem = _("“%(raw)s” is not a moment; showing the numbers as known now.")
            return None, "", [problem % {"raw": raw}]
    elif request.GET.get("known", "") == "then":
        moment, raw = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max)), "then"
    else:
        return None, "", []
    if moment >= clock.now():
        return None, "", []  # the future knows nothing more than now
    return moment, raw, []


def period_query(as_of: dt.date, view: str, known: str = "") -> str:
    """The query string that keeps the chosen period when following a link."""
    query = QueryDict(mutable=True)
    window = custom_dates(view)
    if window is not None:
        # The as-of date follows from the window (its end, or today).
        query["view"] = CUSTOM
        query["from"] = window.start.isoformat()
        query["to"] = window.end.isoformat()
    else:
        if as_of != clock.today():
            query["as_of"] = as_of.isoformat()
        if view != View.PERIOD.value:
            query["view"] = view
    if known == "then":
        query["known"] = known
    elif known:
        query["known_at"] = known
    return f"?{query.urlencode()}" if query else ""


@dataclass(frozen=True)
class PeriodQuery:
    """What a reading page's query string asks for, checked: the as-of date, the view,
    the knowledge moment (None for now) and the messages for any bad value."""

    as_of: dt.date
    view: str
    known_at: dt.datetime | None = None
    known: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_request(cls, request: HttpRequest) -> PeriodQuery:
        as_of, view, errors = period_params(request)
        known_at, known, known_errors = known_params(request, as_of)
        return cls(as_of, view, known_at, known, [*errors, *known_errors])

    @property
    def query(self) -> str:
        """The query string that keeps this choice when following a link."""
        return period_query(self.as_of, self.view, self.known)


def saved_values_text(changed: int, corrected: int) -> str:
    """The message after a grid is saved: "Saved 3 values (1 corrected)."."""
    if corrected:
        return ngettext(
            "Saved %(count)s value (%(corrected)s corrected).",
            "Saved %(count)s values (%(corrected)s corrected).",
            changed,
        ) % {"count": changed, "corrected": corrected}
    return ngettext("Saved %(count)s value.", "Saved %(count)s values.", changed) % {
        "count": changed
    }
