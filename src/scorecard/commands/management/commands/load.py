"""``scorecard load FILE``: validate a scorecard document and load it (all or nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard.interchange.document import DocumentError
from scorecard.interchange.services import document_load_file


class Command(BaseCommand):
    help = "Validate a scorecard document (YAML) and load it; nothing is written on any error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the YAML document.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the organization if it exists already (its data is deleted first).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = document_load_file(options["file"], replace=options["replace"])
        except DocumentError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            count = len(exc.errors)
            plural = "s" if count != 1 else ""
            raise CommandError(
                f"{options['file']}: {count} problem{plural}; nothing was loaded."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Loaded {summary}."))
