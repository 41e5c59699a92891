"""``scorecard worker``: run background tasks and keep the schedule (no cron needed).

On the database task backend it runs django-tasks-db's worker (``db_worker``) and,
beside it, the schedule: every few seconds it enqueues the repeating jobs that are due
(the webhook sweep, stalled report jobs, scheduled deliveries, reminder e-mails, the
alert digest, data-source pulls). Each due run is claimed in the database, so with
several workers every run is still enqueued once. With the RQ backend run
``scorecard worker --schedule-only`` once or more beside ``scorecard rqworker``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from scorecard.alerts.tasks import send_digest_task
from scorecard.datasources.tasks import pull_due_sources
from scorecard.jobs.services import Every, schedule_due
from scorecard.reviews.tasks import send_reminders_task
from scorecard.web.deliveries.tasks import deliveries_sweep
from scorecard.web.reports.tasks import report_jobs_sweep
from scorecard.webhooks.services import deliver_webhooks_sweep

#: How often the schedule looks for due runs.
TICK_SECONDS = 5


def _next_hour(hour: int) -> Any:
    def first(now: dt.datetime) -> dt.datetime:
        start = now.replace(hour=hour % 24, minute=0, second=0, microsecond=0)
        return start if start >= now else start + dt.timedelta(days=1)

    return first


def schedule() -> list[Every]:
    """The repeating jobs and how often they run (settings in the README)."""
    sweep = dt.timedelta(seconds=settings.SCORECARD_SWEEP_SECONDS)
    return [
        Every("webhooks.sweep", deliver_webhooks_sweep, sweep),
        Every("reports.sweep", report_jobs_sweep, sweep),
        # Each data source keeps its own time (datasources/services.py: next_run).
        Every("datasources.pull", pull_due_sources, sweep),
        Every("deliveries.sweep", deliveries_sweep, sweep),
        Every(
            "reminders",
            send_reminders_task,
            dt.timedelta(days=settings.SCORECARD_REMINDERS_EVERY_DAYS),
            first=_next_hour(settings.SCORECARD_REMINDERS_HOUR),
        ),
        # The alert digest goes out daily at the reminders' hour (docs/alerts.md).
        Every(
            "alerts.digest",
            send_digest_task,
            dt.timedelta(days=1),
            first=_next_hour(settings.SCORECARD_REMINDERS_HOUR),
        ),
    ]


def keep_schedule(stop: threading.Event) -> None:
    """Enqueue due runs until ``stop`` is set (it only enqueues: losing it loses nothing)."""
    entries = schedule()
    tick = max(0.5, min(TICK_SECONDS, settings.SCORECARD_SWEEP_SECONDS))
    while not stop.is_set():
        try:
            close_old_connections()
            schedule_due(entries)
        except Exception:
            time.sleep(tick)
        finally:
            connection.close()
        stop.wait(tick)


class Command(BaseCommand):
    help = "Run background tasks (webhooks, reports, reminders) and keep their schedule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule-only",
            action="store_true",
            help="Only keep the schedule (enqueue due runs); another worker runs the tasks.",
        )
        parser.add_argument(
            "--no-schedule", action="store_true", help="Only run tasks; keep no schedule."
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run the tasks waiting now, then stop."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks for new tasks."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if options["schedule_only"]:
            self.stdout.write("Keeping the schedule of background work (Ctrl+C stops it).")
            try:
                keep_schedule(stop)
            except KeyboardInterrupt:
                stop.set()
            return
        keeper = None
        if not options["no_schedule"] and not options["batch"]:
            keeper = threading.Thread(
                target=keep_schedule, args=(stop,), name="schedule", daemon=True
            )
            keeper.start()
        try:
            call_command(
                "db_worker",
                batch=options["batch"],
                interval=options["interval"],
                reload=False,
                startup_delay=False,
                queue_name="*",
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
