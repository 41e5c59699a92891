"""``scorecard diff OLD NEW``: what changed in the strategy between two documents, in words."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard.interchange.diff import document_diff, format_changes
from scorecard.interchange.document import Document, DocumentError, parse_document
from scorecard.interchange.services import read_document_text

#: Exit statuses, as diff(1) has them.
SAME, DIFFERENT, TROUBLE = 0, 1, 2


class Command(BaseCommand):
    help = (
        "Compare two scorecard documents and say what changed in the strategy; "
        "exit status 0 when they are the same, 1 when they differ, 2 on trouble."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("old", help="The earlier document (YAML).")
        parser.add_argument("new", help="The later document (YAML).")

    def _read(self, path: str) -> Document:
        try:
            return parse_document(read_document_text(Path(path)))
        except DocumentError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(
                f"cannot compare: {path} has the problems listed above.", returncode=TROUBLE
            ) from None

    def handle(self, *args: Any, **options: Any) -> None:
        old, new = self._read(options["old"]), self._read(options["new"])
        changes = document_diff(old, new)
        if not changes:
            return
        self.stdout.write(format_changes(changes, old, new), ending="")
        self.stdout.flush()
        sys.exit(DIFFERENT)
