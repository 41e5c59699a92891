"""``scorecard backup [-o FILE]``: a consistent copy of the whole database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard import clock
from scorecard.commands.backup import (
    BackupError,
    backup_database,
    database_vendor,
    default_file_name,
)


class Command(BaseCommand):
    help = "Write a backup of the whole database (SQLite online backup or pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="File to write (must not exist).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            output = options["output"]
            if not output:
                stamp = clock.now().strftime("%Y%m%d-%H%M%S")
                output = default_file_name(database_vendor(), stamp)
            result = backup_database(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        kib = result.size_bytes / 1024
        self.stdout.write(
            self.style.SUCCESS(f"Backed up the {result.vendor} database to {result.path} ")
            + f"({kib:,.0f} KiB)."
        )
