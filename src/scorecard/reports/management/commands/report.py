"""``scorecard report``: write a scorecard's report as PDF or Excel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard import clock
from scorecard.engine.types import View
from scorecard.interchange.management.commands.export import write_atomically
from scorecard.organizations.models import Organization
from scorecard.reports.data import report_data
from scorecard.reports.pdf import filename, report_pdf
from scorecard.reports.xlsx import report_xlsx
from scorecard.strategy import selectors as strategy_selectors


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date like 2026-10-31, not “{text}”.") from None


class Command(BaseCommand):
    help = "Write a scorecard's report (PDF or Excel) for a period and as-of date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="The organization's short name (slug).")
        parser.add_argument("--scorecard", required=True, help="The scorecard's short name.")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--as-of", type=_date, help="Date to report as of (default: today).")
        parser.add_argument(
            "--period",
            default=View.PERIOD.value,
            choices=[v.value for v in View],
            help="Period to score: each KPI's latest complete period (default), month, "
            "quarter, half_year, year or ytd.",
        )
        parser.add_argument(
            "-o",
            "--output",
            help="File to write (default: ORG-SCORECARD-DATE.pdf or .xlsx here).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(f"There is no organization “{options['org']}”.")
        scorecard = strategy_selectors.scorecard_get(
            organization=organization, slug=options["scorecard"]
        )
        if scorecard is None:
            known = ", ".join(
                c.slug for c in strategy_selectors.scorecard_list(organization=organization)
            )
            raise CommandError(
                f"{organization.slug} has no scorecard “{options['scorecard']}” "
                f"(it has: {known or 'none'})."
            )
        data = report_data(
            scorecard=scorecard,
            as_of=options["as_of"] or clock.today(),
            view=options["period"],
            generated_at=clock.now(),
        )
        fmt = options["format"]
        content = report_pdf(data) if fmt == "pdf" else report_xlsx(data)
        path = Path(options["output"] or filename(data, fmt))
        try:
            write_atomically(path, content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(content) // 1024} KB)."))
