"""``scorecard deliver_webhooks``: make the webhook deliveries that are due (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from scorecard.webhooks.services import deliver_due


class Command(BaseCommand):
    help = "Deliver pending webhook calls whose time has come (first tries and retries)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--limit", type=int, default=500, help="At most this many calls in one run."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = deliver_due(limit=options["limit"])
        self.stdout.write(
            f"{counts['delivered']} delivered, {counts['retrying']} to retry later, "
            f"{counts['failed']} failed for good."
        )
