"""``scorecard pull``: pull data sources from cron (the worker's schedule does it too).

Without ``--source`` it pulls every source whose time has come, as the schedule does;
``--source`` pulls one source now (its number or name), ``--all`` every active one;
``--dry-run`` shows what would be written and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard import clock
from scorecard.datasources import services
from scorecard.datasources.models import DataSource, Run
from scorecard.datasources.selectors import source_named


class Command(BaseCommand):
    help = "Pull values from data sources: those due, one (--source) or all (--all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", help="The data source's number or name.")
        parser.add_argument("--all", action="store_true", help="Every active source, now.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be written; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        if options["source"]:
            try:
                sources = [source_named(options["source"])]
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        elif options["all"] or dry_run:
            sources = list(DataSource.objects.filter(active=True))
        else:
            counts = services.run_due(now=clock.now())
            self.stdout.write(f"{counts['ok']} sources pulled, {counts['failed']} failed.")
            if counts["failed"]:
                raise CommandError("Some sources failed; their run logs say why.")
            return
        failed = 0
        for source in sources:
            run, outcome = services.run_source(source, trigger=Run.Trigger.COMMAND, dry_run=dry_run)
            verb = "would write" if dry_run else "wrote"
            self.stdout.write(
                f"{source.name}: {run.rows_read} rows read; {verb} {run.new} new, "
                f"{run.corrected} corrected; {run.unchanged} unchanged."
            )
            if dry_run:
                for plan in outcome.plans:
                    self.stdout.write(
                        f"  row {plan.row}: {plan.kpi.code} {plan.period_start.isoformat()} "
                        f"{plan.value:g} ({plan.state})"
                    )
            for problem in outcome.problems:
                self.stdout.write(f"  row {problem.row}, {problem.column}: {problem.message}")
            if not run.ok:
                failed += 1
                self.stderr.write(f"{source.name}: {run.message}")
        if failed:
            raise CommandError(
                f"{failed} of {len(sources)} sources failed; nothing of them was written."
            )
