"""``scorecard score``: print every computed score and status."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scorecard import clock
from scorecard.engine.types import View
from scorecard.engine.windows import CUSTOM, CustomWindow, WindowError, custom_window, default_as_of
from scorecard.interchange.scores import result_as_dict
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.presentation.numbers import format_number, pct
from scorecard.strategy.models import Scorecard


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date like 2026-10-31, not “{text}”.") from None


def _moment(text: str) -> dt.datetime:
    """A moment for ``--known-at``: an ISO date-time, or a date (its end)."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--known-at must be a date-time like 2026-10-31T18:00, not “{text}”."
        ) from None
    if "T" not in text and " " not in text.strip():
        moment = dt.datetime.combine(moment.date(), dt.time.max)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "Print the scores and statuses of every scorecard, perspective, objective and KPI."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=_date, help="Date to score as of (default: today).")
        parser.add_argument(
            "--view",
            default=View.PERIOD.value,
            choices=[v.value for v in View],
            help="Period to score: each KPI's last complete period (default), month, quarter, "
            "half_year, year or ytd.",
        )
        parser.add_argument(
            "--from",
            dest="window_from",
            metavar="YYYY-MM-DD",
            help="A custom window's first day (with --to, instead of --view): every KPI is "
            "scored over exactly these days, partly covered periods pro rata.",
        )
        parser.add_argument(
            "--to",
            dest="window_to",
            metavar="YYYY-MM-DD",
            help="A custom window's last day (with --from; at most 10 years after it).",
        )
        parser.add_argument(
            "--known-at",
            type=_moment,
            help="Reproduce the numbers as they were known then (ISO date-time; a date means "
            "its end), as the scorecard page's “as known then” and the API's known_at.",
        )
        parser.add_argument("--organization", help="Only this organization (its short name).")
        parser.add_argument("--scorecard", help="Only this scorecard (its short name).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: dt.date = options["as_of"] or clock.today()
        view: str = options["view"]
        window = _window(options)
        if window is not None:
            view = window.code
            as_of = options["as_of"] or default_as_of(window, clock.today())
        known_at: dt.datetime | None = options["known_at"]
        scorecards = Scorecard.objects.select_related("organization").order_by(
            "organization__slug", "parent_id", "slug"
        )
        if options["organization"]:
            scorecards = scorecards.filter(organization__slug=options["organization"])
        if options["scorecard"]:
            scorecards = scorecards.filter(slug=options["scorecard"])
        results = [
            (sc, scorecard_evaluate(scorecard=sc, as_of=as_of, view=view, known_at=known_at))
            for sc in scorecards
        ]
        if not results:
            raise CommandError("No scorecard matches.")
        if options["json"]:
            payload: dict[str, Any] = {
                "as_of": as_of.isoformat(),
                "view": options["view"],
                "known_at": known_at.isoformat() if known_at is not None else None,
            }
            if window is not None:
                payload["view"] = CUSTOM
                payload["window"] = {
                    "start": window.start.isoformat(),
                    "end": window.end.isoformat(),
                }
            payload |= {
                "scorecards": [
                    {"organization": sc.organization.slug, **result_as_dict(result)}
                    for sc, result in results
                ],
            }
            self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
            return
        for sc, result in results:
            self.stdout.write(_text_report(sc, result_as_dict(result)))


def _window(options: dict[str, Any]) -> CustomWindow | None:
    """The custom window of --from/--to (None without them), or a plain error."""
    start, end = options["window_from"], options["window_to"]
    if start is None and end is None:
        return None
    if options["view"] != View.PERIOD.value:
        raise CommandError("Give either --view or --from/--to, not both.")
    try:
        return custom_window(start, end, clock.today())
    except WindowError as error:
        raise CommandError(str(error)) from None


def _pct(value: float | None) -> str:
    """A score as on every page and report (presentation/numbers.py), plain spaces."""
    return pct(value).replace("\u00a0", " ")


def _num(value: float | None, unit: str) -> str:
    return format_number(value, unit).replace("\u00a0", " ")


def _text_report(scorecard: Scorecard, data: dict[str, Any]) -> str:
    lines = [
        f"{scorecard.organization.name} · {data['name']}: {_pct(data['score'])} ({data['status']})"
    ]
    for perspective in data["perspectives"]:
        lines.append(
            f"  {perspective['name']}: {_pct(perspective['score'])} ({perspective['status']})"
        )
    for objective in data["objectives"]:
        lines.append(f"    {objective['name']}: {_pct(objective['score'])} ({objective['status']})")
    for kpi in data["kpis"]:
        lines.append(
            f"      {kpi['name']}: value {_num(kpi['value'], kpi['unit'])} "
            f"target {_num(kpi['target'], kpi['unit'])} → "
            f"{_pct(kpi['performance'])} ({kpi['status']})"
        )
    for error in data["errors"]:
        lines.append(f"  ! {error['message']}")
    return "\n".join(lines)
