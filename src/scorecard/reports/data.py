"""What a scorecard report shows, read once and shared by the PDF and the XLSX builders.

:func:`report_data` loads the scorecard page's tree (the same selector and the
same engine call as the web page, so the numbers agree), the latest comments,
the initiatives and every current measurement, in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from scorecard.dates import day_month_year, day_time
from scorecard.engine.evaluate import ScorecardInput
from scorecard.engine.windows import CUSTOM, CustomWindow, WindowError, parse_view
from scorecard.initiatives.models import Initiative
from scorecard.initiatives.selectors import initiative_list
from scorecard.kpis import scorecard_selectors
from scorecard.kpis.evaluation import known_measurements
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.period_words import view_label as period_view_label
from scorecard.kpis.scorecard_selectors import KpiRow, ObjectiveRow, PerspectiveRow, ScorecardPage
from scorecard.kpis.structure import structure_changed_after
from scorecard.reviews.models import Comment
from scorecard.strategy.models import Scorecard

#: How many comments of each KPI a report shows (newest first).
COMMENTS_PER_KPI = 3


@dataclass
class KpiBlock:
    """A KPI of the report: the scorecard page's row and its latest comments."""

    row: KpiRow
    comments: list[Comment] = field(default_factory=list)

    @property
    def kpi(self) -> Kpi:
        return self.row.kpi


@dataclass
class ObjectiveBlock:
    row: ObjectiveRow
    kpis: list[KpiBlock]
    initiatives: list[Initiative]


@dataclass
class PerspectiveBlock:
    row: PerspectiveRow
    objectives: list[ObjectiveBlock]


@dataclass
class ReportData:
    """Everything one report shows, for one as-of date and period choice."""

    scorecard: Scorecard
    page: ScorecardPage
    as_of: dt.date
    view: str
    perspectives: list[PerspectiveBlock]
    initiatives: list[Initiative]
    #: every current measurement of the scorecard's KPIs up to the as-of date
    measurements: list[Measurement]
    generated_at: dt.datetime
    #: the moment whose knowledge the numbers reflect; None: everything known now
    known_at: dt.datetime | None = None
    #: how it was chosen: "then" (end of the as-of day), an exact moment, or "" (now)
    known: str = ""
    #: the review meeting whose kept input was scored (structure and values of then)
    meeting_title: str = ""
    #: why the numbers of an earlier moment may differ from then's ("" when they cannot)
    structure_note: str = ""

    @property
    def view_label(self) -> str:
        if self.view.startswith(f"{CUSTOM}:"):
            try:
                window = parse_view(self.view)
            except WindowError:
                return _("Custom window")
            return window.label if isinstance(window, CustomWindow) else _("Custom window")
        return period_view_label(self.view)

    @property
    def known_text(self) -> str:
        """Which numbers the report shows, in words (the cover and the summary sheet say it)."""
        if self.known_at is None:
            made = _moment(self.generated_at)
            return _("Latest: every value and correction up to %(when)s") % {"when": made}
        if self.meeting_title:
            return _(
                "As kept by the review meeting “%(meeting)s” (%(when)s): "
                "its values, weights, formulas and targets"
            ) % {"meeting": self.meeting_title, "when": _moment(self.known_at)}
        if self.known == "then":
            text = _(
                "As known at the end of %(day)s; values entered or corrected later are left out"
            ) % {"day": day_month_year(self.as_of)}
        else:
            text = _("As known at %(when)s; values entered or corrected later are left out") % {
                "when": _moment(self.known_at)
            }
        return f"{text}. {self.structure_note}" if self.structure_note else text

    @property
    def known_short(self) -> str:
        """A few words for page headers: empty for the latest numbers."""
        if self.known_at is None:
            return ""
        if self.known == "then":
            return _("numbers as known then")
        return _("numbers as known at %(when)s") % {"when": _moment(self.known_at)}

    @property
    def kpi_blocks(self) -> list[KpiBlock]:
        return [k for p in self.perspectives for o in p.objectives for k in o.kpis]


def _moment(when: dt.datetime) -> str:
    """``5 Nov 2026, 14:30`` in the server's time zone, month in the active language."""
    return day_time(when, ", ")


def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC)


def known_then(as_of: dt.date) -> dt.datetime:
    """The moment "as known then" means: the end of the as-of day (as on the scorecard page)."""
    return timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))


def report_data(
    *,
    scorecard: Scorecard,
    as_of: dt.date,
    view: str,
    generated_at: dt.datetime,
    known_at: dt.datetime | None = None,
    known: str = "",
    frozen: ScorecardInput | None = None,
    meeting_title: str = "",
) -> ReportData:
    """The report of ``scorecard`` as of ``as_of`` for the period choice ``view``.

    With ``known_at`` the numbers are those known at that moment, as on the
    scorecard page with the same choice: values entered, approved or corrected
    later are left out (``known`` says how the moment was chosen, for the cover).
    Comments entered after the as-of day (or after ``known_at``) are left out, so a
    report of an earlier date does not quote what was said later; so are
    measurements of later periods. Initiatives are shown as they stand now (they
    keep no history), overdue relative to the as-of date.

    ``frozen`` is the input a review meeting kept (``meeting_title`` names it): the
    numbers are scored from it, so the report gives the meeting's numbers exactly.
    Otherwise a report of an earlier moment is scored with today's structure, and
    ``structure_note`` says so when the structure changed since.
    """
    page = scorecard_selectors.scorecard_page(
        scorecard=scorecard, as_of=as_of, view=view, known_at=known_at, frozen=frozen
    )
    note = ""
    if known_at is not None and frozen is None:
        change = structure_changed_after(scorecard.pk, known_at)
        note = change.note if change else ""
    kpi_ids = [k.pk for k in page.rows.kpis]
    said_before = _day_end(as_of) if known_at is None else min(_day_end(as_of), known_at)
    comments: dict[int, list[Comment]] = defaultdict(list)
    for comment in (
        Comment.objects.filter(kpi_id__in=kpi_ids, created_at__lt=said_before)
        .select_related("author")
        .order_by("kpi_id", "-created_at", "-id")
    ):
        if comment.kpi_id is not None and len(comments[comment.kpi_id]) < COMMENTS_PER_KPI:
            comments[comment.kpi_id].append(comment)
    initiatives = initiative_list(scorecard=scorecard, today=as_of)
    by_objective: dict[int, list[Initiative]] = defaultdict(list)
    for initiative in initiatives:
        for objective in initiative.objectives.all():
            by_objective[objective.pk].append(initiative)
    perspectives = [
        PerspectiveBlock(
            p,
            [
                ObjectiveBlock(
                    o,
                    [KpiBlock(k, comments.get(k.kpi.pk, [])) for k in o.kpis],
                    by_objective.get(o.objective.pk, []),
                )
                for o in p.objectives
            ],
        )
        for p in page.perspectives
    ]
    # The values that counted at ``known_at`` (or count now): pending and rejected
    # values never show, nor do values replaced by then.
    measurements = list(
        known_measurements(kpi_ids, known_at)
        .filter(period_start__lte=as_of)
        .select_related("recorded_by")
        .order_by("kpi_id", "period_start")
    )
    return ReportData(
        scorecard=scorecard,
        page=page,
        as_of=as_of,
        view=view,
        perspectives=perspectives,
        initiatives=initiatives,
        measurements=measurements,
        generated_at=generated_at,
        known_at=known_at,
        known=known if known_at is not None else "",
        meeting_title=meeting_title if frozen is not None else "",
        structure_note=note,
    )


def owner_name(user: Any) -> str:
    """A person's full name, else the user name, else empty."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)
