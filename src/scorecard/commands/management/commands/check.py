"""``scorecard check``: the health check of a scorecard document or a stored scorecard.

``scorecard check FILE.yaml`` reads a document (nothing is written), reports its
errors or else every scorecard's findings with their paths in the file, and exits
non-zero when there are errors (``--fail-level WARNING`` makes warnings fail too),
so it serves as a git pre-commit hook. ``scorecard check --org SLUG [--scorecard
SLUG]`` checks what is stored. Without a file or ``--org`` it is Django's own
system check, unchanged (``scorecard check --deploy`` ...).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.check import Command as DjangoCheck

from scorecard import clock
from scorecard.engine.quality import Severity
from scorecard.health.checks import scorecard_health
from scorecard.health.document import (
    CheckResult,
    check_document_text,
    located_findings,
    stored_paths,
)
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Scorecard

TITLES = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Suggestions"}
#: Which severities fail the run for each --fail-level (Django's levels, mapped to ours).
FAILING = {
    "CRITICAL": {Severity.ERROR},
    "ERROR": {Severity.ERROR},
    "WARNING": {Severity.ERROR, Severity.WARNING},
    "INFO": {Severity.ERROR, Severity.WARNING, Severity.INFO},
    "DEBUG": {Severity.ERROR, Severity.WARNING, Severity.INFO},
}
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")


def _looks_like_file(label: str) -> bool:
    return label.endswith(DOCUMENT_SUFFIXES) or "/" in label or Path(label).is_file()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Command(DjangoCheck):
    help = (
        "Health check of a scorecard document (scorecard check FILE.yaml) or of stored "
        "scorecards (--org SLUG [--scorecard SLUG]); without either, Django's system check."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--org", help="Check the stored scorecards of this organization.")
        parser.add_argument("--scorecard", help="With --org: check only this scorecard.")
        parser.add_argument("--as-of", help="Check as of this date (YYYY-MM-DD; default: today).")
        parser.add_argument(
            "--show",
            choices=["error", "warning", "info"],
            default="info",
            help="Least severe findings to print (default info: everything).",
        )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        if options["scorecard"] and not options["org"]:
            raise CommandError("--scorecard needs --org (the organization's slug).")
        files = [label for label in app_labels if _looks_like_file(label)]
        if not files and not options["org"]:
            super().handle(*app_labels, **options)
            return
        today = self._as_of(options["as_of"])
        results = [self._check_file(Path(f), today) for f in files]
        if options["org"]:
            results += self._check_stored(options["org"], options["scorecard"], today)
        shown = SHOWN[options["show"]]
        for result in results:
            self._print(result, shown)
        failing = FAILING[options["fail_level"]]
        bad = sum(r.count(s) for r in results for s in failing)
        if bad:
            levels = " or ".join(TITLES[s].lower() for s in SHOWN["info"] if s in failing)
            raise CommandError(f"the check failed: {bad} finding(s) among {levels}.")

    def _as_of(self, raw: str | None) -> dt.date:
        if not raw:
            return clock.today()
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise CommandError(f"--as-of “{raw}” is not a date like 2026-11-23.") from None

    def _check_file(self, path: Path, today: dt.date) -> CheckResult:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        return check_document_text(text, source=str(path), today=today)

    def _check_stored(
        self, org_slug: str, sc_slug: str | None, today: dt.date
    ) -> list[CheckResult]:
        organization = Organization.objects.filter(slug=org_slug).first()
        if organization is None:
            raise CommandError(f"no organization “{org_slug}”.")
        cards = Scorecard.objects.filter(organization=organization).select_related("organization")
        if sc_slug:
            cards = cards.filter(slug=sc_slug)
            if not cards.exists():
                raise CommandError(f"no scorecard “{sc_slug}” in “{org_slug}”.")
        results = []
        for card in cards.order_by("name"):
            report = scorecard_health(scorecard=card, today=today)
            result = CheckResult(f"{org_slug}/{card.slug} ({card.name})")
            result.items = located_findings(report.findings, stored_paths(report))
            results.append(result)
        return results

    def _print(self, result: CheckResult, shown: tuple[Severity, ...]) -> None:
        counts = ", ".join(
            _plural(result.count(s), w)
            for s, w in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"),
                         (Severity.INFO, "suggestion"))
        )  # fmt: skip
        if result.unreadable:
            counts += " — the document cannot be loaded until these are fixed"
        self.stdout.write(self.style.MIGRATE_HEADING(f"{result.source}: {counts}"))
        style = {
            Severity.ERROR: self.style.ERROR,
            Severity.WARNING: self.style.WARNING,
            Severity.INFO: self.style.NOTICE,
        }
        for severity, items in result.by_severity():
            if severity not in shown:
                continue
            self.stdout.write(style[severity](f"\n{TITLES[severity]} ({len(items)})"))
            for item in items:
                where = item.path or "(the whole document)"
                self.stdout.write(f"  {where}\n    {item.message}")
                if item.fix and severity is not Severity.INFO:
                    self.stdout.write(f"    fix: {item.fix}")
        self.stdout.write("")


SHOWN = {
    "error": (Severity.ERROR,),
    "warning": (Severity.ERROR, Severity.WARNING),
    "info": (Severity.ERROR, Severity.WARNING, Severity.INFO),
}
