"""The daily alert digest as a scheduled task (the worker keeps the schedule; no cron needed)."""

from __future__ import annotations

from django_tasks import task

from .services import digest_send


@task()
def send_digest_task() -> dict[str, int]:
    """Raise overdue-task alerts and e-mail the daily digests (as ``scorecard digest``).

    Running it twice sends nothing new: each alert is marked e-mailed as it goes out.
    """
    result = digest_send()
    return {"people": result.people, "alerts": result.alerts}
