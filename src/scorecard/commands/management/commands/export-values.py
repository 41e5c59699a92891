"""``scorecard export-values --org SLUG --scorecard SLUG --format csv|xlsx -o FILE``.

Writes every current value of a scorecard with its target, score and status; the
file reads back in with ``scorecard import``. Text cells are made safe against
spreadsheet formula injection (see scorecard/imports/tabular.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard.imports.tabular import FORMATS
from scorecard.imports.values_export import export_values
from scorecard.strategy.models import Scorecard


class Command(BaseCommand):
    help = "Export a scorecard's values (KPI, period, value, target, score, status, note)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="The organization's short name.")
        parser.add_argument("--scorecard", required=True, help="The scorecard's short name.")
        parser.add_argument(
            "--format", choices=FORMATS, help="csv or xlsx (default: from the file name)."
        )
        parser.add_argument(
            "-o", "--output", required=True, help="File to write; - writes CSV to stdout."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scorecard = (
            Scorecard.objects.select_related("organization")
            .filter(organization__slug=options["org"], slug=options["scorecard"])
            .first()
        )
        if scorecard is None:
            raise CommandError(
                f"No scorecard “{options['scorecard']}” in an organization “{options['org']}”."
            )
        output = options["output"]
        fmt = options["format"]
        if fmt is None:
            suffix = Path(output).suffix.lower().lstrip(".")
            fmt = suffix if suffix in FORMATS else None
            if fmt is None:
                raise CommandError(
                    "Say --format csv or --format xlsx (or name the file .csv/.xlsx)."
                )
        if output == "-":
            if fmt != "csv":
                raise CommandError("Only CSV can be written to stdout; give a file name for XLSX.")
            count = export_values(
                scorecard=scorecard, fmt="csv", out=cast(Any, self.stdout._out), bom=False
            )
            self.stderr.write(f"Exported {count} values.")
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder.")
        count = export_values(scorecard=scorecard, fmt=fmt, out=path)
        self.stdout.write(
            self.style.SUCCESS(f"Exported {count} values of {scorecard.name} to {path}.")
        )
