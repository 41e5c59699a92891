"""``scorecard export --org SLUG``: write an organization's scorecards as a YAML document."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard.interchange.document_export import ExportError, document_export
from scorecard.organizations.models import Organization


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a failure leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = (
        "Write an organization's scorecards (or some of them) as a scorecard document "
        "that `scorecard load` reads back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="The organization's short name (slug).")
        parser.add_argument(
            "--scorecard",
            action="append",
            metavar="SLUG",
            help="Only this scorecard; give it several times for several (default: all).",
        )
        parser.add_argument(
            "-o", "--output", default="-", help="File to write (default: standard output)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            known = ", ".join(Organization.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"There is no organization “{options['org']}” (there are: {known}).")
        try:
            export = document_export(organization=organization, scorecards=options["scorecard"])
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        for warning in export.warnings:
            self.stderr.write(f"note: {warning}")
        if options["output"] == "-":
            self.stdout.write(export.text, ending="")
            return
        path = Path(options["output"])
        try:
            write_atomically(path, export.text.encode("utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({organization.name})."))
