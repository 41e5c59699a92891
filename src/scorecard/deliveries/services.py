"""Writes of scheduled deliveries: create, change, pause, delete; the runs a worker claims.

A run is keyed by its delivery and the schedule's day (a unique constraint), so a
sweep that runs twice, or two workers sweeping at once, record one run per occurrence;
a worker leases the run before sending, and each recipient's send is recorded once
(unique per run and recipient), so a run taken over after a crash does not write again
to those who already got it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from scorecard import clock
from scorecard.engine.text import kept_columns
from scorecard.engine.types import View
from scorecard.organizations.models import Membership, Organization, Role
from scorecard.strategy.models import Scorecard

from . import schedule
from .models import Book, Delivery, DeliveryRun, DeliverySend

#: The most scorecards one delivery gathers (as the briefing book).
MAX_SCORECARDS = 10
#: A run whose worker died this many times is given up.
MAX_TRIES = 3
LEASE = dt.timedelta(minutes=10)


def _clean(
    *,
    organization: Organization,
    name: str,
    scorecards: Iterable[Scorecard],
    recipients: Iterable[Any],
    frequency: str,
    day: int,
    hour: int,
    form: str,
    view: str,
    book: Book | None = None,
) -> tuple[list[Scorecard], list[Any]]:
    errors: dict[str, list[str]] = {}
    cards = list(scorecards)
    people = list(recipients)
    if not name.strip():
        errors["name"] = ["Give the delivery a name."]
    elif len(name.strip()) > 120:
        errors["name"] = ["A name has at most 120 characters."]
    if book is not None and book.organization_id != organization.pk:
        errors["book"] = ["Choose a book of this organization."]
    if not cards and book is None:
        errors["scorecards"] = ["Choose a saved book or at least one scorecard."]
    elif len(cards) > MAX_SCORECARDS:
        errors["scorecards"] = [f"A delivery gathers at most {MAX_SCORECARDS} scorecards."]
    elif any(c.organization_id != organization.pk for c in cards):
        errors["scorecards"] = ["Choose scorecards of this organization."]
    members = set(
        Membership.objects.filter(
            organization=organization, user__in=[p.pk for p in people]
        ).values_list("user_id", flat=True)
    )
    if not people:
        errors["recipients"] = ["Choose at least one member to send it to."]
    elif any(p.pk not in members for p in people):
        errors["recipients"] = ["Choose members of this organization."]
    if frequency not in Delivery.Frequency.values:
        errors["frequency"] = ["Choose monthly on a working day, monthly on a day, or weekly."]
    else:
        low, high = schedule.DAY_RANGE[frequency]
        if not low <= day <= high:
            what = "weekday" if frequency == schedule.WEEKLY else "day"
            errors["day"] = [f"The {what} must be between {low} and {high}."]
    if not 0 <= hour <= 23:
        errors["hour"] = ["The hour must be between 0 and 23."]
    if form not in Delivery.Form.values:
        errors["form"] = ["Choose a PDF attachment or a link."]
    if view not in {v.value for v in View}:
        errors["view"] = ["Choose a period: " + ", ".join(v.value for v in View) + "."]
    if errors:
        raise ValidationError(errors)
    return cards, people


@transaction.atomic
def delivery_create(
    *,
    organization: Organization,
    user: Any,
    name: str,
    scorecards: Iterable[Scorecard],
    recipients: Iterable[Any],
    frequency: str,
    day: int,
    hour: int = 7,
    form: str = Delivery.Form.ATTACHMENT,
    view: str = "period",
    book: Book | None = None,
) -> Delivery:
    """Record a delivery; its first occurrence is the schedule's next day after now."""
    cards, people = _clean(
        organization=organization, name=name, scorecards=scorecards, recipients=recipients,
        frequency=frequency, day=day, hour=hour, form=form, view=view, book=book,
    )  # fmt: skip
    now = clock.now()
    delivery = Delivery.objects.create(
        organization=organization, name=name.strip(), frequency=frequency, day=day, hour=hour,
        form=form, view=view, created_by=user, created_at=now, updated_at=now, since=now,
        book=book,
    )  # fmt: skip
    delivery.scorecards.set(cards)
    delivery.recipients.set(people)
    return delivery


@transaction.atomic
def delivery_update(
    *,
    delivery: Delivery,
    user: Any,
    name: str,
    scorecards: Iterable[Scorecard],
    recipients: Iterable[Any],
    frequency: str,
    day: int,
    hour: int,
    form: str,
    view: str,
    book: Book | None = None,
) -> Delivery:
    """Change a delivery; a new schedule starts from now (no missed day is sent)."""
    cards, people = _clean(
        organization=delivery.organization, name=name, scorecards=scorecards,
        recipients=recipients, frequency=frequency, day=day, hour=hour, form=form, view=view,
        book=book,
    )  # fmt: skip
    now = clock.now()
    if (frequency, day, hour) != (delivery.frequency, delivery.day, delivery.hour):
        delivery.since = now
    delivery.name, delivery.frequency, delivery.day, delivery.hour = (
        name.strip(),
        frequency,
        day,
        hour,
    )
    delivery.form, delivery.view, delivery.updated_at, delivery.book = form, view, now, book
    delivery.save()
    delivery.scorecards.set(cards)
    delivery.recipients.set(people)
    return delivery


def delivery_set_active(*, delivery: Delivery, user: Any, active: bool) -> None:
    """Pause or resume; a resumed delivery sends from its next day on (none missed)."""
    now = clock.now()
    delivery.active = active
    if active:
        delivery.since = now
    delivery.updated_at = now
    delivery.save(update_fields=["active", "since", "updated_at"])


def delivery_delete(*, delivery: Delivery, user: Any) -> None:
    """Delete a delivery with its log."""
    delivery.delete()


# --- runs ---------------------------------------------------------------------------------


def due_occurrence(delivery: Delivery, *, now: dt.datetime) -> dt.date | None:
    """The schedule's latest day whose hour has come by ``now`` and that is not before the
    delivery's ``since`` (site time), or None."""
    local = timezone.localtime(now)
    day = schedule.occurrence_on_or_before(delivery.frequency, delivery.day, local.date())
    if day == local.date() and local.hour < delivery.hour:
        day = schedule.occurrence_on_or_before(
            delivery.frequency, delivery.day, day - dt.timedelta(days=1)
        )
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(delivery.hour)))
    return day if moment >= delivery.since else None


def runs_due(*, now: dt.datetime | None = None) -> list[int]:
    """Record a run for every active delivery whose day has come and has none yet;
    returns the new runs' ids (a run already recorded, by this or another worker, is
    not recorded again).

    Two queries whatever the number of deliveries (the active ones, then the runs
    already recorded for their due days), plus one insert per new run: the worker's
    schedule calls this every minute.
    """
    now = now or clock.now()
    due = {}
    for delivery in Delivery.objects.filter(active=True):
        day = due_occurrence(delivery, now=now)
        if day is not None:
            due[delivery.pk] = (delivery, day)
    recorded = set(
        DeliveryRun.objects.filter(
            delivery_id__in=due, occurrence__in={day for _d, day in due.values()}
        ).values_list("delivery_id", "occurrence")
    )
    created = []
    for pk, (delivery, day) in due.items():
        if (pk, day) in recorded:
            continue
        try:
            with transaction.atomic():
                run = DeliveryRun.objects.create(
                    delivery=delivery, occurrence=day, as_of=day, created_at=clock.wall_now()
                )
        except IntegrityError:
            continue  # another worker recorded it meanwhile
        created.append(run.pk)
    return created


def run_test_create(*, delivery: Delivery, user: Any) -> DeliveryRun:
    """A "send now" test: today's report, to the member asking only."""
    return DeliveryRun.objects.create(
        delivery=delivery, occurrence=None, as_of=clock.today(), test=True,
        requested_by=user, created_at=clock.wall_now(),
    )  # fmt: skip


def run_claim(run_id: int) -> tuple[DeliveryRun, dt.datetime] | None:
    """Lease a run that is not finished; None when done, failed or held elsewhere."""
    now = clock.wall_now()
    until = now + LEASE
    taken = (
        DeliveryRun.objects.filter(
            pk=run_id, state__in=[DeliveryRun.State.QUEUED, DeliveryRun.State.RUNNING]
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(
            lease_until=until, state=DeliveryRun.State.RUNNING, attempts=models.F("attempts") + 1
        )
    )
    if taken != 1:
        return None
    run = DeliveryRun.objects.select_related(
        "delivery__organization", "delivery__book__organization", "requested_by"
    ).get(pk=run_id)
    return run, until


def run_finish(run: DeliveryRun, *, lease: dt.datetime) -> bool:
    """Mark the run sent; False when the lease was lost meanwhile."""
    return (
        DeliveryRun.objects.filter(pk=run.pk, lease_until=lease).update(
            state=DeliveryRun.State.DONE, lease_until=None, finished_at=clock.wall_now()
        )
        == 1
    )


def run_fail(run_id: int, *, error: str) -> None:
    """Give up on a run and say why (shown in the log, in the reader's language when
    ``error`` is an engine ``Text``)."""
    DeliveryRun.objects.filter(pk=run_id).update(
        state=DeliveryRun.State.FAILED, **kept_columns("error", error, 300),
        lease_until=None, finished_at=clock.wall_now(),
    )  # fmt: skip


def run_release(run_id: int) -> None:
    """Let a retry lease the run at once."""
    DeliveryRun.objects.filter(pk=run_id).update(lease_until=None)


def send_record(*, run: DeliveryRun, user: Any, email: str, state: str, detail: str = "") -> None:
    """Record what one recipient got (once per run and recipient); a ``detail`` that is
    an engine ``Text`` reads in each admin's language."""
    DeliverySend.objects.update_or_create(
        run=run, user=user,
        defaults={
            "email": email, "state": state, **kept_columns("detail", detail, 300),
            "at": clock.wall_now(),
        },
    )  # fmt: skip


def runs_stalled(*, now: dt.datetime | None = None) -> list[int]:
    """Unfinished runs nobody holds (their worker died, or the enqueue was lost)."""
    now = now or clock.wall_now()
    return list(
        DeliveryRun.objects.filter(
            state__in=[DeliveryRun.State.QUEUED, DeliveryRun.State.RUNNING],
            created_at__lt=now - dt.timedelta(seconds=30),
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .values_list("pk", flat=True)[:100]
    )


def role_allows(membership: Membership | None) -> bool:
    """A recipient gets a delivery only while a member who may read scorecards."""
    return membership is not None and membership.allows(Role.VIEWER)


# --- saved briefing books -----------------------------------------------------------------


def _book_clean(
    *,
    organization: Organization,
    name: str,
    scorecards: list[Scorecard],
    perspectives: list[Any],
    view: str,
    objectives: list[Any] | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Give the book a name."]
    if not scorecards:
        errors["scorecards"] = ["Choose at least one scorecard."]
    elif len(scorecards) > MAX_SCORECARDS:
        errors["scorecards"] = [f"A book gathers at most {MAX_SCORECARDS} scorecards."]
    elif any(c.organization_id != organization.pk for c in scorecards):
        errors["scorecards"] = ["Choose scorecards of this organization."]
    chosen = {c.pk for c in scorecards}
    if any(p.scorecard_id not in chosen for p in perspectives):
        errors["perspectives"] = ["Choose perspectives of the chosen scorecards only."]
    parts = {p.pk for p in perspectives}
    if any(
        o.perspective.scorecard_id not in chosen
        or (
            parts & {p.pk for p in perspectives if p.scorecard_id == o.perspective.scorecard_id}
            and o.perspective_id not in parts
        )
        for o in objectives or []
    ):
        errors["objectives"] = [
            "Choose objectives of the chosen scorecards (and chosen perspectives) only."
        ]
    if view not in {v.value for v in View}:
        errors["view"] = ["Choose a period: " + ", ".join(v.value for v in View) + "."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def book_save(
    *,
    organization: Organization,
    user: Any,
    name: str,
    scorecards: Iterable[Scorecard],
    perspectives: Iterable[Any] = (),
    objectives: Iterable[Any] = (),
    include_map: bool = True,
    include_initiatives: bool = True,
    include_risks: bool = False,
    include_decisions: bool = False,
    include_commentary: bool = False,
    include_kpi_charts: bool = False,
    view: str = "period",
    as_of: dt.date | None = None,
    known: str = "",
    book: Book | None = None,
) -> Book:
    """Create a book (``book`` None) or change one."""
    cards, parts, aims = list(scorecards), list(perspectives), list(objectives)
    _book_clean(
        organization=organization, name=name, scorecards=cards, perspectives=parts, view=view,
        objectives=aims,
    )  # fmt: skip
    now = clock.now()
    if book is None:
        book = Book(organization=organization, created_by=user, created_at=now)
    book.name, book.view, book.as_of, book.known = name.strip(), view, as_of, known
    book.include_map, book.include_initiatives, book.updated_at = (
        include_map,
        include_initiatives,
        now,
    )
    book.include_risks, book.include_decisions, book.include_commentary = (
        include_risks,
        include_decisions,
        include_commentary,
    )
    book.include_kpi_charts = include_kpi_charts
    book.save()
    book.scorecards.set(cards)
    book.perspectives.set(parts)
    book.objectives.set(aims)
    return book


def book_delete(*, book: Book) -> None:
    book.delete()
