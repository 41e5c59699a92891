"""``scorecard involvement``: send the pulses that open today and record the adoption KPIs
(for a daily cron; docs/involvement.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from scorecard import clock
from scorecard.adoption.services import adoption_record_kpis
from scorecard.pulses.services import pulses_send_due


class Command(BaseCommand):
    help = "Send the pulses due today and record adoption in KPIs whose data source says so."

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        invited = pulses_send_due(today=today)
        recorded = adoption_record_kpis(today=today)
        self.stdout.write(f"{invited} people asked, {len(recorded)} adoption values recorded.")
