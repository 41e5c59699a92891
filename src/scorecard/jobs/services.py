"""Helpers every background task uses: enqueue after commit, leases, retries, the schedule.

Task bodies are keyed by a record (a delivery, a report job, a schedule slot). A worker
first *leases* the record with one conditional UPDATE — only one worker can hold it —
does the work, and records the outcome in the same row. A worker killed half-way leaves
the lease to run out; the next sweep enqueues the work again, and the record says
whether it is still to be done. See docs/deploy.md ("Background work").
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django_tasks.base import Task

from scorecard import clock
from scorecard.engine.text import kept_columns

from .models import ReportJob, ScheduledRun

logger = logging.getLogger(__name__)

#: Waits before the 2nd, 3rd ... try of a task that raised; after the last it stays failed.
TASK_RETRY_DELAYS = (
    dt.timedelta(seconds=10),
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=10),
)


def lease_seconds() -> int:
    """How long a worker holds a record before another may take the work over."""
    return int(getattr(settings, "SCORECARD_TASK_LEASE_SECONDS", 120))


def enqueue_after_commit(
    task: Task[Any, Any], *args: Any, run_after: dt.datetime | None = None, **kwargs: Any
) -> None:
    """Enqueue ``task`` once the current transaction commits (at once outside one).

    A change that is rolled back enqueues nothing; a task never runs before the rows
    it reads are visible to the worker.
    """

    def send() -> None:
        runner = task.using(run_after=run_after) if run_after is not None else task
        runner.enqueue(*args, **kwargs)

    transaction.on_commit(send)


def lease_claim(queryset: models.QuerySet[Any], *, now: dt.datetime | None = None) -> Any:
    """Take the lease on the one row of ``queryset`` if nobody holds it; returns the
    lease's end (the token the holder writes its outcome with) or None."""
    now = now or clock.wall_now()
    until = now + dt.timedelta(seconds=lease_seconds())
    taken = queryset.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)).update(
        lease_until=until
    )
    return until if taken == 1 else None


def retry_delay(attempt: int) -> dt.timedelta | None:
    """The wait before try ``attempt + 1`` after try ``attempt`` failed (None: give up)."""
    if attempt < 1 or attempt > len(TASK_RETRY_DELAYS):
        return None
    return TASK_RETRY_DELAYS[attempt - 1]


def retry_or_raise(
    task: Task[Any, Any], exc: BaseException, *, attempt: int, **kwargs: Any
) -> None:
    """Enqueue ``task`` again with a growing delay, then re-raise ``exc`` so that this
    try is recorded as failed (the admins' task page lists it)."""
    delay = retry_delay(attempt)
    if delay is not None:
        task.using(run_after=clock.wall_now() + delay).enqueue(attempt=attempt + 1, **kwargs)
        logger.warning("%s failed (try %d), tried again in %s", task.name, attempt, delay)
    raise exc


# --- the schedule -------------------------------------------------------------------------


@dataclass(frozen=True)
class Every:
    """A repeating job: enqueue ``task`` every ``interval``; the first run at ``first(now)``."""

    name: str
    task: Task[Any, Any]
    interval: dt.timedelta
    first: Callable[[dt.datetime], dt.datetime] = lambda now: now


def schedule_claim(entry: Every, *, now: dt.datetime) -> bool:
    """Claim the run of ``entry`` that is due at ``now``; True for exactly one caller."""
    slot, _created = ScheduledRun.objects.get_or_create(
        name=entry.name, defaults={"next_run_at": entry.first(now)}
    )
    if slot.next_run_at > now:
        return False
    taken = ScheduledRun.objects.filter(pk=slot.pk, next_run_at=slot.next_run_at).update(
        next_run_at=max(slot.next_run_at + entry.interval, now), last_run_at=now
    )
    return taken == 1


def schedule_due(entries: Iterable[Every], *, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every scheduled job that is due; returns their names."""
    now = now or clock.wall_now()
    started = []
    for entry in entries:
        if entry.interval <= dt.timedelta(0):
            continue
        # On the database backend the claim and the task row commit together: a
        # worker dying between the two neither loses the run nor enqueues it twice.
        with transaction.atomic():
            if schedule_claim(entry, now=now):
                entry.task.enqueue()
                started.append(entry.name)
    return started


# --- report jobs --------------------------------------------------------------------------


def report_job_create(
    *, scorecard: Any, user: Any, file_format: str, params: dict[str, Any]
) -> ReportJob:
    """Record a report to render (the caller enqueues its task after the commit)."""
    if file_format not in ReportJob.Format.values:
        raise ValueError(f"Unknown report format {file_format!r}: choose pdf or xlsx.")
    return ReportJob.objects.create(
        scorecard=scorecard,
        created_by=user,
        created_at=clock.wall_now(),
        file_format=file_format,
        params=params,
    )


def report_job_claim(job_id: int) -> tuple[ReportJob, dt.datetime] | None:
    """Lease a report job that is not finished; None when done, failed or held elsewhere."""
    until = lease_claim(
        ReportJob.objects.filter(
            pk=job_id, state__in=[ReportJob.State.QUEUED, ReportJob.State.RUNNING]
        )
    )
    if until is None:
        return None
    ReportJob.objects.filter(pk=job_id).update(
        state=ReportJob.State.RUNNING, attempts=models.F("attempts") + 1
    )
    return ReportJob.objects.select_related("scorecard__organization").get(pk=job_id), until


def report_job_progress(job: ReportJob, *, lease: dt.datetime, progress: int, step: str) -> None:
    """Show how far the job is (only the lease holder writes)."""
    ReportJob.objects.filter(pk=job.pk, lease_until=lease).update(progress=progress, step=step)


def report_job_finish(
    job: ReportJob, *, lease: dt.datetime, stored_name: str, download_name: str
) -> bool:
    """Mark the job done with its file; False when the lease was lost meanwhile."""
    return (
        ReportJob.objects.filter(pk=job.pk, lease_until=lease).update(
            state=ReportJob.State.DONE,
            progress=100,
            step="Ready",
            stored_name=stored_name,
            download_name=download_name,
            lease_until=None,
            finished_at=clock.wall_now(),
        )
        == 1
    )


def report_job_fail(job_id: int, *, error: str) -> None:
    """Give up on a job and say why (shown on its page, in the reader's language when
    ``error`` is an engine ``Text``)."""
    ReportJob.objects.filter(pk=job_id).update(
        state=ReportJob.State.FAILED,
        **kept_columns("error", error, 300),
        lease_until=None,
        finished_at=clock.wall_now(),
    )


def report_jobs_stalled(*, now: dt.datetime | None = None) -> list[int]:
    """Unfinished report jobs nobody holds (their worker died, or the enqueue was lost)."""
    now = now or clock.wall_now()
    return list(
        ReportJob.objects.filter(
            state__in=[ReportJob.State.QUEUED, ReportJob.State.RUNNING],
            created_at__lt=now - dt.timedelta(seconds=30),
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .values_list("pk", flat=True)[:100]
    )
