"""The demo company as of today: its document moved to today, then a little life.

:func:`demo_load` loads ``demo/northwind.yaml`` moved to ``today`` (see
:mod:`.demo_dates`) and then plays a short story through the ordinary services,
so that the history, a held review meeting with decisions, and comments are not
empty on a fresh demo: a value corrected, a target raised, a KPI's data source
and an objective's description edited, last month's review with two decisions,
and a few comments. Every step happens on a day before ``today`` (the clock is
frozen at that day for the step), by the demo user who would have done it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from scorecard import clock
from scorecard.audit.context import acting_as
from scorecard.engine import periods
from scorecard.engine.types import Interval
from scorecard.kpis.models import Kpi, Measurement, Target
from scorecard.kpis.services import kpi_update, measurement_record, target_set
from scorecard.meetings.services import decision_add, meeting_create
from scorecard.reviews.services import comment_add
from scorecard.strategy.models import Objective, Scorecard
from scorecard.strategy.services import objective_update

from .demo_dates import shift_document
from .document import parse_document
from .services import DEMO_FILE, LoadSummary, document_load, read_document_text

#: The day of the month the demo company holds its monthly review.
REVIEW_DAY = 8
MEETING_TITLE = "Monthly strategy review"


def demo_document_text(today: dt.date) -> str:
    """The demo document moved to ``today``, as YAML text."""
    raw = yaml.safe_load(read_document_text(DEMO_FILE))
    return yaml.safe_dump(shift_document(raw, today), sort_keys=False, allow_unicode=True)


def demo_load(today: dt.date) -> LoadSummary:
    """Load (or reload) the demo company as of ``today``, with its story; all or nothing."""
    document = parse_document(demo_document_text(today))
    with transaction.atomic():
        summary = document_load(document=document, replace=True)
        demo_story(organization_slug=summary.organization_slug, today=today)
    return summary


def review_day(today: dt.date) -> dt.date:
    """The latest monthly review on or before ``today`` (the REVIEW_DAY of a month)."""
    if today.day >= REVIEW_DAY:
        return today.replace(day=REVIEW_DAY)
    return periods.add_months(today, -1).replace(day=REVIEW_DAY)


@contextmanager
def _on(day: dt.date, user: Any) -> Iterator[None]:
    """Run a step of the story on ``day`` (the clock frozen then), done by ``user``."""
    with clock.frozen_at(day), acting_as(user):
        yield


def demo_story(*, organization_slug: str, today: dt.date) -> None:
    """Changes, a held review meeting with decisions and comments in the demo company."""
    users = {u.username: u for u in get_user_model().objects.filter(
        memberships__organization__slug=organization_slug
    )}  # fmt: skip
    card = Scorecard.objects.get(organization__slug=organization_slug, slug="company")
    kpis = {k.code: k for k in Kpi.objects.filter(scorecard=card)}
    objectives = {o.code: o for o in Objective.objects.filter(scorecard=card)}
    held_on = review_day(today)
    reviewed = periods.last_complete_period(held_on, Interval.MONTH)  # the month reviewed
    running = periods.period_containing(today, Interval.MONTH)
    before = held_on - dt.timedelta(days=2)

    # A value corrected after the close: the history keeps the first figure.
    with _on(before, users["cfo"]):
        revenue = kpis["revenue"]
        first = Measurement.objects.get(
            kpi=revenue, period_start=reviewed.start, superseded_at__isnull=True
        )
        measurement_record(
            kpi=revenue,
            period_start=reviewed.start,
            value=round(first.value + 14500, 0),
            note="Two retail invoices were booked after the close.",
            user=users["cfo"],
        )
    with _on(before, users["strategy"]):
        kpi_update(kpi=kpis["review_rating"], data_source="Shop reviews and Trustpilot, monthly")

    # The review itself: numbers frozen as known that day, two decisions become tasks.
    with _on(held_on, users["ceo"]):
        meeting = meeting_create(
            scorecard=card,
            title=MEETING_TITLE,
            held_on=held_on,
            notes=(
                "Revenue is close to plan; returns and the supplier audits need attention. "
                "Online share keeps growing: the board asks for a higher target."
            ),
            user=users["ceo"],
        )
        decision_add(
            meeting=meeting,
            text="Find the root cause of the rise in returns of rain jackets",
            owner=users["ops.lead"],
            deadline=held_on + dt.timedelta(days=21),
            objective=objectives["delight-customers"],
            user=users["ceo"],
        )
        decision_add(
            meeting=meeting,
            text="Schedule the overdue supplier audits",
            owner=users["ops.lead"],
            deadline=held_on + dt.timedelta(days=35),
            objective=objectives["right-first-time"],
            user=users["ceo"],
        )
    with _on(held_on, users["strategy"]):
        online = kpis["online_revenue_share"]
        current = Target.objects.filter(kpi=online).order_by("-period_start").first()
        target_set(
            kpi=online,
            period_start=running.start,
            value=(current.value if current else 40) + 2,
            provenance=Target.Provenance.GROWTH,
            note=f"Raised in the {MEETING_TITLE.lower()} of {held_on:%d %B %Y}.",
            user=users["strategy"],
        )
        objective_update(
            objective=objectives["direct-online"],
            description=(
                "Grow the own online shop to 45 % of revenue by the end of the plan, "
                "without losing retail partners."
            ),
        )

    # Comments on the numbers people look at.
    comments = [
        (users["cfo"], kpis["revenue"], "Corrected: two retail invoices came in late."),
        (
            users["ops.lead"],
            kpis["return_rate"],
            "Most returns are rain jackets from one batch; we are checking the seams.",
        ),
        (users["marketing"], kpis["website_visitors"], "The autumn campaign started this month."),
    ]
    for author, kpi, text in comments:
        with _on(min(held_on + dt.timedelta(days=1), today), author):
            comment_add(item=kpi, author=author, text=text)
