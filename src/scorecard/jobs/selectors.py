"""What the site admins' task page shows: failed tries, stalled work, the schedule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django_tasks_db.models import DBTaskResult

from scorecard import clock

from .models import ReportJob, ScheduledRun


@dataclass(frozen=True)
class TaskRow:
    """One task try, for people."""

    id: str
    task: str
    status: str
    arguments: str
    enqueued_at: dt.datetime
    finished_at: dt.datetime | None
    error: str


@dataclass(frozen=True)
class TaskOverview:
    counts: dict[str, int]
    failed: list[TaskRow]
    stalled: list[TaskRow]
    schedule: list[ScheduledRun]
    reports_failed: int


def _row(result: Any) -> TaskRow:
    args = result.args_kwargs or {}
    shown = [repr(a) for a in args.get("args", [])] + [
        f"{key}={value!r}" for key, value in (args.get("kwargs") or {}).items()
    ]
    last_line = (result.traceback or "").strip().splitlines()[-1:] or [""]
    return TaskRow(
        id=str(result.id),
        task=result.task_path.rsplit(".", 1)[-1],
        status=result.status,
        arguments=", ".join(shown)[:200],
        enqueued_at=result.enqueued_at,
        finished_at=result.finished_at,
        error=last_line[0][:300],
    )


def task_overview(*, stalled_after: dt.timedelta, limit: int = 50) -> TaskOverview:
    """Counts by status, the latest failed tries, tries running for longer than
    ``stalled_after`` (their worker probably died) and the schedule (five queries)."""
    counts = {
        row["status"]: row["n"]
        for row in DBTaskResult.objects.values("status").annotate(n=Count("id"))
    }
    failed = DBTaskResult.objects.filter(status="FAILED").order_by("-finished_at")[:limit]
    stalled = DBTaskResult.objects.filter(
        status="RUNNING", started_at__lt=clock.wall_now() - stalled_after
    ).order_by("started_at")[:limit]
    return TaskOverview(
        counts=counts,
        failed=[_row(r) for r in failed],
        stalled=[_row(r) for r in stalled],
        schedule=list(ScheduledRun.objects.all()),
        reports_failed=ReportJob.objects.filter(state=ReportJob.State.FAILED).count(),
    )
