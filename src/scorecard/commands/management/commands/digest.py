"""``scorecard digest``: alert overdue tasks and send the daily digest e-mails (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from scorecard.alerts.services import digest_send


class Command(BaseCommand):
    help = (
        "Alert assignees of overdue tasks, then e-mail each person who chose the daily digest "
        "the alerts not yet sent to them (run once a day)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = digest_send()
        self.stdout.write(f"Sent {result.people} digest e-mail(s) with {result.alerts} alert(s).")
