"""Reminder e-mails as a scheduled task (the worker keeps the schedule; no cron needed)."""

from __future__ import annotations

import logging

from django_tasks import task

from scorecard import clock

from .reminders import reminders_plan, reminders_send

logger = logging.getLogger(__name__)


@task()
def send_reminders_task() -> dict[str, int]:
    """Send today's reminders to everyone who owes something (as ``scorecard remind``).

    The schedule enqueues it once per run however many workers there are; an e-mail
    that cannot be sent is logged, not retried, so nobody is written to twice.
    """
    plan = reminders_plan(today=clock.today())
    if not plan.emails:
        return {"sent": 0, "problems": 0}
    sent, problems = reminders_send(plan=plan)
    for problem in problems:
        logger.warning("reminder not sent: %s", problem)
    return {"sent": sent, "problems": len(problems)}
