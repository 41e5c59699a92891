"""``scorecard report``: write a scorecard's report as PDF or Excel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scorecard import clock
from scorecard.commands.management.commands.export import write_atomically
from scorecard.engine.types import View
from scorecard.organizations.models import Organization
from scorecard.presentation.reports.pdf import filename, report_pdf
from scorecard.presentation.reports.xlsx import report_xlsx
from scorecard.reports.data import known_then, report_data
from scorecard.strategy import selectors as strategy_selectors


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date like 2026-10-31, not “{text}”.") from None


def _known(text: str) -> str:
    """``then``, a date or a moment; checked here, turned into a moment in ``known_moment``."""
    text = text.strip()
    if text == "then" or _parse_moment(text) is not None:
        return text
    raise CommandError(
        "--known-at must be “then” (the end of the as-of date), a date like 2026-10-31 "
        f"(the end of that day) or a moment like 2026-11-20T11:00, not “{text}”."
    )


def _parse_moment(text: str) -> dt.datetime | None:
    """A date means the end of that day; a naive moment is in the site's time zone."""
    try:
        return known_then(dt.date.fromisoformat(text))
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def known_moment(known: str | None, as_of: dt.date) -> tuple[dt.datetime | None, str]:
    """The moment whose numbers the report shows and how it was chosen; (None, "") for
    the latest numbers. A moment not yet past means the latest numbers, as on the page."""
    if not known:
        return None, ""
    moment = known_then(as_of) if known == "then" else _parse_moment(known)
    if moment is None or moment >= clock.now():
        return None, ""
    return moment, known


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
            "--known-at",
            type=_known,
            metavar="WHEN",
            help="Show the numbers as they were known then, leaving out values entered or "
            "corrected later: “then” (the end of the as-of date), a date (the end of that "
            "day) or a moment like 2026-11-20T11:00. Default: the latest numbers.",
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
        as_of = options["as_of"] or clock.today()
        known_at, known = known_moment(options["known_at"], as_of)
        data = report_data(
            scorecard=scorecard,
            as_of=as_of,
            view=options["period"],
            generated_at=clock.now(),
            known_at=known_at,
            known=known,
        )
        fmt = options["format"]
        content = report_pdf(data) if fmt == "pdf" else report_xlsx(data)
        path = Path(options["output"] or filename(data, fmt))
        try:
            write_atomically(path, content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path} ({len(content) // 1024} KB). Numbers: {data.known_text}."
            )
        )
