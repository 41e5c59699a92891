"""Where alerts come from: recorded values, pending values, tasks, decisions and comments.

Every receiver runs inside the writing transaction, so a rolled-back change raises
no alert and sends no e-mail.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Q
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse

from scorecard.initiatives.models import Task
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.signals import (
    measurements_loaded,
    measurements_pending,
    measurements_recorded,
)
from scorecard.kpis.status_changes import status_changes
from scorecard.meetings.models import Decision
from scorecard.reviews.mentions import members_named, mentioned_usernames
from scorecard.reviews.models import Comment

from . import selectors, services, titles
from .models import Alert, Kind, Watch

#: Statuses that alert, and how good each status is (a move to a worse one alerts).
#: The statuses that alert (a KPI turning to them from a better one).
ALERTING = ("red", "yellow")
RANK = {"red": 0, "yellow": 1, "green": 2}


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def worsened(before: str, after: str) -> bool:
    """True when ``after`` is red or yellow and worse than ``before`` (no data counts as
    better than anything: a first value that is red alerts)."""
    return after in ALERTING and RANK[after] < RANK.get(before, 3)


@receiver(measurements_recorded, dispatch_uid="alerts-status")
def on_measurements_recorded(
    sender: Any, measurements: list[Measurement], recorded_at: dt.datetime, **kw: Any
) -> None:
    """Alert the owners and watchers of KPIs that turned red or at risk."""
    if not measurements:
        return
    kpis = {
        k.pk: k
        for k in Kpi.objects.filter(pk__in={m.kpi_id for m in measurements}).select_related(
            "scorecard__organization"
        )
    }
    by_org: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in measurements:
        measurement.kpi = kpis[measurement.kpi_id]
        by_org[measurement.kpi.scorecard.organization_id].append(measurement)
    if not _anyone_to_tell({k.scorecard_id for k in kpis.values()}):
        return  # no owner and no watcher: the status comparison is not worth its queries
    for rows in by_org.values():
        changes = [
            c for c in status_changes(rows, recorded_at)
            if worsened(c["status_before"], c["status_after"])
        ]  # fmt: skip
        if changes:
            _status_alerts(rows[0].kpi.scorecard.organization, changes, recorded_at)


@receiver(measurements_loaded, dispatch_uid="alerts-loaded")
def on_measurements_loaded(
    sender: Any,
    kpi_ids: list[int],
    recorded_at: dt.datetime,
    recorded: int,
    pending: int,
    chunks: Callable[[bool], Iterator[list[Measurement]]],
    **kw: Any,
) -> None:
    """A bulk load: the same alerts as for its values sent chunk by chunk; the values
    are read only when someone is to be told (two cheap queries otherwise)."""
    if recorded:
        scorecards = set(Kpi.objects.filter(pk__in=kpi_ids).values_list("scorecard_id", flat=True))
        if _anyone_to_tell(scorecards):
            for measurements in chunks(False):
                on_measurements_recorded(sender, measurements=measurements, recorded_at=recorded_at)
    if pending:
        for measurements in chunks(True):
            on_measurements_pending(sender, measurements=measurements)


def _anyone_to_tell(scorecard_ids: set[int]) -> bool:
    """Whether a KPI of these scorecards has an owner, or anything in them is watched
    (two cheap queries at most)."""
    if Kpi.objects.filter(scorecard_id__in=scorecard_ids, owner__isnull=False).exists():
        return True
    return Watch.objects.filter(
        Q(kpi__scorecard_id__in=scorecard_ids) | Q(objective__scorecard_id__in=scorecard_ids)
    ).exists()


def _status_alerts(organization: Any, changes: list[dict[str, Any]], at: dt.datetime) -> None:
    changed = {
        (k.scorecard.slug, k.code): k
        for k in Kpi.objects.filter(
            scorecard__organization=organization,
            scorecard__slug__in={c["scorecard"] for c in changes},
            code__in={c["kpi"] for c in changes},
        ).select_related("scorecard__organization", "owner")
    }
    watchers = selectors.watchers_of(
        kpi_ids={k.pk for k in changed.values()},
        objective_ids={k.objective_id for k in changed.values()},
    )
    notices = []
    for change in changes:
        kpi = changed.get((change["scorecard"], change["kpi"]))
        if kpi is None:
            continue
        people = [
            kpi.owner,
            *watchers.get(("kpi", kpi.pk), []),
            *watchers.get(("objective", kpi.objective_id), []),
        ]
        notices.append(
            services.Notice(
                users=people,
                title=titles.status_changed(
                    kpi=kpi.name,
                    status=change["status_after"],
                    scorecard=kpi.scorecard.name,
                    start=_day(change["period_start"]),
                    end=_day(change["period_end"]),
                ),
                url=services.kpi_url(kpi),
                key=f"status:{kpi.pk}:{change['period_start']}:{change['status_after']}:"
                f"{at.isoformat()}",
            )
        )
    services.alerts_raise_many(kind=Kind.STATUS, organization=organization, notices=notices)


@receiver(measurements_pending, dispatch_uid="alerts-approval")
def on_measurements_pending(sender: Any, measurements: list[Measurement], **kw: Any) -> None:
    """Alert each KPI's owner of the values waiting for their approval."""
    kpis = {
        k.pk: k
        for k in Kpi.objects.filter(pk__in={m.kpi_id for m in measurements}).select_related(
            "scorecard__organization", "owner"
        )
    }
    for measurement in measurements:
        kpi = kpis[measurement.kpi_id]
        services.alerts_raise(
            users=[kpi.owner],
            kind=Kind.APPROVAL,
            organization=kpi.scorecard.organization,
            title=titles.approval_waiting(kpi=kpi.name, start=measurement.period_start),
            url=services.kpi_url(kpi) + "#entry",
            key=f"approval:{measurement.pk}",
        )


@receiver(pre_save, sender=Task, dispatch_uid="alerts-task-before")
def remember_assignee(sender: Any, instance: Task, **kw: Any) -> None:
    """Note who the task was assigned to before this save."""
    before = None
    if instance.pk:
        before = Task.objects.filter(pk=instance.pk).values_list("assignee_id", flat=True).first()
    instance._assignee_before = before  # type: ignore[attr-defined]


@receiver(post_save, sender=Task, dispatch_uid="alerts-task")
def on_task_saved(sender: Any, instance: Task, **kw: Any) -> None:
    """Alert a person a task was just assigned to."""
    assignee_id = instance.assignee_id
    if assignee_id is None or assignee_id == getattr(instance, "_assignee_before", None):
        return
    initiative = instance.initiative
    services.alerts_raise(
        users=[instance.assignee],
        kind=Kind.TASK,
        organization=initiative.scorecard.organization,
        title=titles.task_assigned(
            task=instance.name, initiative=initiative.name, deadline=instance.deadline
        ),
        url=services.task_url(instance),
        key=f"task-assigned:{instance.pk}:{assignee_id}",
    )


@receiver(post_save, sender=Decision, dispatch_uid="alerts-decision")
def on_decision_saved(sender: Any, instance: Decision, created: bool, **kw: Any) -> None:
    """Alert the person a review decision was given to (instead of the task alert)."""
    if not created or instance.owner_id is None:
        return
    if instance.task_id:
        Alert.objects.filter(
            user_id=instance.owner_id, key=f"task-assigned:{instance.task_id}:{instance.owner_id}"
        ).delete()
    meeting = instance.meeting
    services.alerts_raise(
        users=[instance.owner],
        kind=Kind.DECISION,
        organization=meeting.scorecard.organization,
        title=titles.decision_given(
            meeting=meeting.title, decision=instance.text, deadline=instance.deadline
        ),
        url=services.task_url(instance.task) if instance.task else "",
        key=f"decision:{instance.pk}",
    )


@receiver(post_save, sender=Comment, dispatch_uid="alerts-mention")
def on_comment_saved(sender: Any, instance: Comment, created: bool, **kw: Any) -> None:
    """Alert the members a new comment mentions (the comments feature e-mails them)."""
    if not created:
        return
    usernames = mentioned_usernames(instance.text)
    if not usernames:
        return
    item: Any = instance.kpi or instance.objective or instance.initiative
    scorecard = item.scorecard
    organization = scorecard.organization
    people = [
        u for u in members_named(organization.pk, usernames).values()
        if u.pk != instance.author_id
    ]  # fmt: skip
    if instance.kpi_id:
        url = services.kpi_url(item)
    elif instance.objective_id:
        url = reverse("objective_detail", args=[organization.slug, scorecard.slug, item.code])
    else:
        url = reverse("initiative_detail", args=[organization.slug, scorecard.slug, item.pk])
    author = None
    if instance.author is not None:
        author = instance.author.get_full_name() or instance.author.get_username()
    services.alerts_raise(
        users=people,
        kind=Kind.MENTION,
        organization=organization,
        title=titles.mentioned(author=author, item=item.name),
        url=url,
        key=f"mention:{instance.pk}",
    )
