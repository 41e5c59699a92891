"""``scorecard restore FILE [--yes]``: replace the whole database with a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard.commands.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Replace everything in the database with a backup made by `scorecard backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not options["yes"]:
            answer = input(
                f"This replaces ALL data in the configured database with {path}. Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            vendor = restore_database(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored the {vendor} database from {path}.")
            + " Run `scorecard migrate` if the backup is from an older release."
        )
