"""``scorecard import FILE --org SLUG --scorecard SLUG``: import values from CSV or XLSX.

Every row is checked (streaming, so files of millions of rows are fine), in one
transaction through the same bulk service as the web import: a CSV file is checked in a
thread while the rows already checked are written. If any row is wrong the first
problems are listed with their row and column, the transaction is rolled back so
nothing is written, and the command exits non-zero.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from scorecard.imports import services, tabular
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Scorecard


def _column(text: str) -> tuple[str, str]:
    field, sep, header = text.partition("=")
    if not sep or not field.strip() or not header.strip():
        raise ValueError(text)
    return field.strip().lower(), header.strip()


class Command(BaseCommand):
    help = (
        "Import KPI values from a CSV or XLSX file into a scorecard; every row is checked "
        "first and nothing is written if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the CSV or XLSX file.")
        parser.add_argument("--org", required=True, help="The organization's short name.")
        parser.add_argument("--scorecard", required=True, help="The scorecard's short name.")
        parser.add_argument(
            "--format", choices=tabular.FORMATS, help="csv or xlsx (default: from the file name)."
        )
        parser.add_argument(
            "--sheet",
            help="The worksheet of an XLSX workbook to read (default: the first one with a "
            "header row).",
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            type=_column,
            metavar="FIELD=HEADER",
            help="Which column holds a field (kpi, period, value, note), e.g. --column "
            "kpi=Code; repeat for each field. Fields not given are guessed from the header.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and write every row, then roll back: exact counts, nothing kept.",
        )
        parser.add_argument("--user", help="Record the values as this user (a username).")
        parser.add_argument(
            "--max-errors",
            type=int,
            default=20,
            help="How many problems to list when the file has some (default 20).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(f"No organization has the short name “{options['org']}”.")
        scorecard = (
            Scorecard.objects.select_related("organization")
            .filter(organization=organization, slug=options["scorecard"])
            .first()
        )
        if scorecard is None:
            raise CommandError(
                f"{organization.name} has no scorecard with the short name "
                f"“{options['scorecard']}”."
            )
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user is called “{options['user']}”.")
        try:
            fmt = tabular.detect_format(path, declared=options["format"])
            sheet = options["sheet"]
            if fmt == "csv" and sheet:
                raise CommandError("--sheet is for XLSX workbooks; a CSV file has no sheets.")
            if fmt == "xlsx" and not sheet:
                sheet = tabular.first_filled_sheet(path)
            headers, _ = tabular.read_head(path, fmt, 0, sheet)
            mapping = services.mapping_from_names(headers, dict(options["column"]))
        except tabular.TabularError as exc:
            raise CommandError(f"{path}: {exc}") from None
        except services.MappingError as exc:
            for field, problem in exc.problems.items():
                self.stderr.write(f"{field}: {problem}")
            raise CommandError(
                f"{path}: say which column holds each field with --column FIELD=HEADER."
            ) from None
        checker = services.RowChecker(scorecard=scorecard, mapping=mapping, user=user, role="admin")
        stream = self.stderr._out  # tqdm needs the raw stream, not Django's line wrapper
        disabled = options["quiet"] or not getattr(stream, "isatty", lambda: False)()
        bars = _Bars(stream, disabled)
        try:
            result = services.import_table(
                path=path,
                fmt=fmt,
                checker=checker,
                sheet=sheet,
                user=user,
                dry_run=options["dry_run"],
                check_progress=bars.checking,
                write_progress=bars.writing,
            )
        except services.ImportFailed as exc:
            bars.close()
            self._report_errors(path, exc.report, options["max_errors"])
            count = exc.report.error_count
            raise CommandError(
                f"{path}: {count} problem{'s' if count != 1 else ''} in "
                f"{exc.report.rows} rows; nothing was written."
            ) from None
        except tabular.TabularError as exc:
            bars.close()
            raise CommandError(f"{path}: {exc} Nothing was written.") from None
        bars.close()
        verb = "would write" if result.dry_run else "written"
        self.stdout.write(
            f"Rows read: {result.rows}; {verb}: {result.written} "
            f"({result.created} new, {result.corrected} superseding an earlier value); "
            f"unchanged: {result.unchanged}; errors: 0."
        )
        where = f" (sheet “{sheet}”)" if sheet else ""
        if result.dry_run:
            self.stdout.write("Dry run: nothing was kept.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Imported {path.name}{where} into {scorecard.name}.")
            )

    def _report_errors(self, path: Path, report: services.CheckReport, limit: int) -> None:
        shown = report.errors[: max(limit, 0)]
        for error in shown:
            self.stderr.write(f"{path.name}: {error}")
        hidden = report.error_count - len(shown)
        if hidden > 0:
            self.stderr.write(f"… and {hidden} more.")
        self.stderr.write(
            f"Rows read: {report.rows}; written: 0; superseded: 0; errors: {report.error_count}."
        )


class _Bars:
    """Two progress bars on stderr: rows checked (total unknown), then rows written."""

    def __init__(self, stream: Any, disabled: bool) -> None:
        self.stream = stream
        self.disabled = disabled
        self.rows = 0
        self.check: Any = None
        self.write: Any = None

    def checking(self, count: int) -> None:
        if self.check is None:
            self.check = tqdm(
                desc="Checking", unit=" rows", file=self.stream, disable=self.disabled
            )
        self.rows += count
        self.check.update(count)

    def writing(self, count: int) -> None:
        if self.write is None:
            if self.check is not None:
                self.check.close()
            self.write = tqdm(
                desc="Writing", unit=" rows", total=self.rows, file=self.stream,
                disable=self.disabled,
            )  # fmt: skip
        self.write.update(count)

    def close(self) -> None:
        for bar in (self.check, self.write):
            if bar is not None:
                bar.close()
