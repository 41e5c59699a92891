"""Tables of values in and out: CSV and XLSX read one row at a time, written safely.

Reading never holds a whole file: CSV goes through the ``csv`` module over a lazily
decoded text stream, XLSX through openpyxl's read-only mode (``iter_rows``), so a
file of a million rows costs the memory of one row at a time.

Writing makes every text cell safe against spreadsheet formula injection: a text
that begins with ``= + - @``, a tab or a carriage return would be run as a formula
by Excel or LibreOffice when the file is opened. In CSV such a text gets a leading
apostrophe (which spreadsheets show as "this is text"); in XLSX it is written as a
string cell (``data_type "s"``, with the quote-prefix style), never as a formula.
Numbers and dates stay numbers and dates. Reading undoes the CSV apostrophe, so an
export read back in gives the same texts (see :func:`escape_text`).

This module knows nothing about KPIs or the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from scorecard.interchange.safe_cells import (  # noqa: F401  (re-exported for the importer)
    ESCAPE,
    FORMULA_STARTS,
    escape_text,
    needs_escape,
    unescape_text,
)

#: The table formats we read and write.
FORMATS = ("csv", "xlsx")
#: Delimiters we recognise in a CSV header line (Excel writes ";" in many locales).
DELIMITERS = (",", ";", "\t")

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls) and other old Office files


class Sink(Protocol):
    """Anything with ``write``: a file, a StringIO, an HttpResponse."""

    def write(self, data: Any, /) -> Any: ...


class TabularError(Exception):
    """The file cannot be read as a table; the message says why, in plain words."""


# --- formula-injection safety ----------------------------------------------------------


# needs_escape, escape_text and unescape_text live in scorecard.interchange.safe_cells, the
# one place every export and report makes its cells safe.


# --- format detection ------------------------------------------------------------------


def detect_format(path: Path, *, name: str | None = None, declared: str | None = None) -> str:
    """``"csv"`` or ``"xlsx"`` for the file at ``path``, from ``declared``, else its name.

    The first bytes are checked too, so a workbook named ``.csv`` (or a CSV named
    ``.xlsx``) gets a clear error instead of a page of garbled rows.
    """
    shown = name or path.name
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        raise TabularError(
            _(
                "“%(name)s” is an old Excel 97-2003 workbook (.xls); save it as .xlsx or as "
                "CSV UTF-8 and try again."
            )
            % {"name": shown}
        )
    suffix = Path(shown).suffix.lower()
    if declared:
        if declared not in FORMATS:
            raise TabularError(
                _("Unknown format “%(declared)s”; use csv or xlsx.") % {"declared": declared}
            )
        fmt = declared
    elif suffix in {".csv", ".txt", ".tsv"}:
        fmt = "csv"
    elif suffix in {".xlsx", ".xlsm"}:
        fmt = "xlsx"
    elif suffix == ".xls":
        fmt = "xlsx"  # the magic bytes decide below
    else:
        raise TabularError(_("“%(shown)s” is neither a .csv nor an .xlsx file.") % {"shown": shown})
    is_zip = head.startswith(ZIP_MAGIC)
    if fmt == "csv" and is_zip:
        raise TabularError(_("“%(shown)s” is a workbook (XLSX), not CSV text.") % {"shown": shown})
    if fmt == "xlsx" and not is_zip:
        raise TabularError(
            _("“%(shown)s” is not an XLSX workbook (it is not a zip archive).") % {"shown": shown}
        )
    return fmt


# --- limits: bombs and giants are refused before they are parsed --------------------------

MIB = 1024 * 1024
#: Defaults of the settings below (README, configuration).
DEFAULT_MAX_UNPACKED = 200 * MIB
DEFAULT_MAX_RATIO = 100
DEFAULT_MAX_ROWS = 1_000_000
DEFAULT_MAX_COLUMNS = 100


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB"


def check_workbook_size(path: Path) -> None:
    """Refuse a workbook that unpacks to too much, or is packed suspiciously tightly.

    An XLSX file is a zip archive; a small one can unpack to gigabytes (a "zip bomb").
    The archive's directory says how large each part unpacks to, so this costs nothing.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TabularError(_("The workbook cannot be read (%(exc)s).") % {"exc": exc}) from None
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts)
    most = _limit("SCORECARD_IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED)
    if unpacked > most:
        raise TabularError(
            _(
                "The workbook unpacks to %(size)s; at most %(most)s can be read. "
                "Split it into smaller files, or save it as CSV."
            )
            % {"size": _mib(unpacked), "most": _mib(most)}
        )
    ratio = _limit("SCORECARD_IMPORT_MAX_RATIO", DEFAULT_MAX_RATIO)
    if ratio and unpacked > MIB and unpacked > ratio * max(packed, 1):
        raise TabularError(
            _(
                "The workbook is packed %(ratio)s times tighter than a spreadsheet ever is "
                "(at most %(most)s×): it is refused as a likely zip bomb. Save it again from "
                "your spreadsheet program, or as CSV."
            )
            % {"ratio": unpacked // max(packed, 1), "most": ratio}
        )


def check_shape(number: int, width: int, *, declared: bool = False) -> None:
    """Refuse a table with more rows or columns than the limits (row ``number``)."""
    rows = _limit("SCORECARD_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)
    columns = _limit("SCORECARD_IMPORT_MAX_COLUMNS", DEFAULT_MAX_COLUMNS)
    if number > rows:
        if declared:
            message = _(
                "The sheet says it has more than %(rows)s rows; split it into files of at "
                "most %(rows)s rows."
            )
        else:
            message = _(
                "The file has more than %(rows)s rows; split it into files of at most "
                "%(rows)s rows."
            )
        raise TabularError(message % {"rows": f"{rows:,}"})
    if width > columns:
        if declared:
            message = _(
                "The sheet says it has %(width)s columns; at most %(columns)s are read. "
                "Keep only the columns of the import (KPI, period, value, note)."
            )
        else:
            message = _(
                "The file has %(width)s columns (row %(number)s); at most %(columns)s are "
                "read. Keep only the columns of the import (KPI, period, value, note)."
            )
        raise TabularError(message % {"width": f"{width:,}", "number": number, "columns": columns})


# --- reading -----------------------------------------------------------------------------


def _delimiter(first_line: str) -> str:
    """The delimiter of a CSV file, judged from its header line (outside quotes)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    # utf-8-sig drops the byte-order mark Excel puts in front of "CSV UTF-8" files.
    # Bytes that are not UTF-8 come through as lone surrogates ("surrogateescape"),
    # so the row that holds them can be named exactly.
    number = 0
    try:
        with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            delimiter = _delimiter(fh.readline())
            fh.seek(0)
            # The limits looked up once per file (settings are slow to read per row).
            rows = _limit("SCORECARD_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)
            columns = _limit("SCORECARD_IMPORT_MAX_COLUMNS", DEFAULT_MAX_COLUMNS)
            for cells in csv.reader(fh, delimiter=delimiter, strict=False):
                number += 1
                if number > rows or len(cells) > columns:
                    check_shape(number, len(cells))  # says which limit, and why
                joined = "".join(cells)
                if not joined.isascii():
                    _require_utf8(joined, number)
                yield number, cells
    except csv.Error as exc:
        problem = str(exc)
        if "NUL" in problem:
            problem = _("the file contains NUL bytes, so it is not CSV text")
        raise TabularError(
            _("Row %(row)s: %(problem)s.") % {"row": number + 1, "problem": problem}
        ) from None


def _require_utf8(text: str, number: int) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        byte = ord(text[exc.start]) - 0xDC00
        raise TabularError(
            _(
                "Row %(row)s: the file is not UTF-8 text (byte 0x%(byte)s cannot be read). "
                "Save it as “CSV UTF-8” and try again."
            )
            % {"row": number, "byte": f"{byte:02x}"}
        ) from None


def _open_workbook(path: Path) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_workbook_size(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TabularError(_("The workbook cannot be read (%(exc)s).") % {"exc": exc}) from None


def sheet_names(path: Path) -> list[str]:
    """The names of a workbook's worksheets, in their order (charts sheets left out)."""
    workbook = _open_workbook(path)
    try:
        return [sheet.title for sheet in workbook.worksheets]
    finally:
        workbook.close()


def first_filled_sheet(path: Path) -> str:
    """The first worksheet with anything in its first row: a workbook whose first
    sheet is a cover or an empty "Sheet1" still opens on its table."""
    workbook = _open_workbook(path)
    try:
        if not workbook.worksheets:
            raise TabularError(_("The workbook has no worksheet."))
        for sheet in workbook.worksheets:
            for cells in sheet.iter_rows(max_row=1, values_only=True):
                if not is_blank(cells):
                    return str(sheet.title)
        return str(workbook.worksheets[0].title)
    finally:
        workbook.close()


def _xlsx_rows(path: Path, sheet_name: str | None) -> Iterator[tuple[int, list[Any]]]:
    workbook = _open_workbook(path)
    try:
        if not workbook.worksheets:
            raise TabularError(_("The workbook has no worksheet."))
        if sheet_name is None:
            sheet = workbook.worksheets[0]
        else:
            found = [s for s in workbook.worksheets if s.title == sheet_name]
            if not found:
                names = ", ".join(f"“{s.title}”" for s in workbook.worksheets)
                raise TabularError(
                    _(
                        "The workbook has no sheet called “%(sheet_name)s”; "
                        "its sheets are %(names)s."
                    )
                    % {"sheet_name": sheet_name, "names": names}
                )
            sheet = found[0]
        # The sheet's own statement of its size (<dimension>), before any row is parsed.
        check_shape(int(sheet.max_row or 0), int(sheet.max_column or 0), declared=True)
        # Read-only sheets yield empty tuples for empty rows, so numbers stay those
        # a person sees in Excel.
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            check_shape(number, len(cells))
            yield number, list(cells)
    finally:
        workbook.close()


def iter_rows(path: Path, fmt: str, sheet: str | None = None) -> Iterator[tuple[int, list[Any]]]:
    """Every row of the file with its number as a spreadsheet shows it (the header is
    row 1). CSV cells are strings; XLSX cells are str, int, float, bool, datetime or None.
    ``sheet`` names the worksheet of a workbook (default: the first); CSV ignores it."""
    if fmt == "csv":
        return _csv_rows(path)
    if fmt == "xlsx":
        return _xlsx_rows(path, sheet)
    raise TabularError(_("Unknown format “%(fmt)s”; use csv or xlsx.") % {"fmt": fmt})


def is_blank(cells: Sequence[Any]) -> bool:
    """True for a row with nothing in it (spreadsheets often end with some)."""
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def header_names(cells: Sequence[Any]) -> list[str]:
    """The header row as names; an empty header cell is called after its column letter."""
    texts = ["" if cell is None else str(cell).strip() for cell in cells]
    while texts and not texts[-1]:
        texts.pop()  # trailing empty header cells are not columns
    return [text or f"column {column_letter(i)}" for i, text in enumerate(texts)]


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA`` (as spreadsheets name columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_head(
    path: Path, fmt: str, count: int = 10, sheet: str | None = None
) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header names and the first ``count`` non-blank data rows (the file is closed
    as soon as they are read)."""
    rows = iter_rows(path, fmt, sheet)
    try:
        header: list[str] | None = None
        sample: list[tuple[int, list[Any]]] = []
        for number, cells in rows:
            if header is None:
                if is_blank(cells):
                    raise TabularError(
                        _("Row %(number)s is empty; the first row must name the columns.")
                        % {"number": number}
                    )
                header = header_names(cells)
                continue
            if is_blank(cells):
                continue
            sample.append((number, cells))
            if len(sample) >= count:
                break
        if header is None:
            raise TabularError(_("The file is empty."))
        return header, sample
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


# --- writing -----------------------------------------------------------------------------


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return plain_float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    return escape_text(str(value))


def plain_float(value: float) -> str:
    """A float exactly, without noise: ``12.0`` → ``12``, ``0.1`` → ``0.1`` (repr is the
    shortest text that reads back to the same float)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], out: Sink) -> int:
    """Write a CSV table (comma-separated, quoted where needed) and return the rows written.

    Text cells are escaped against formula injection; numbers and dates are written
    plainly (dates as ISO ``2026-10-01``).
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape_text(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        count += 1
    return count


def write_xlsx(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: Sink | Path,
    *,
    title: str = "Values",
    widths: Sequence[int] = (),
    number_formats: dict[int, str] | None = None,
) -> int:
    """Write a one-sheet XLSX workbook (openpyxl's write-only mode) and return the rows.

    Every text is a string cell, never a formula, whatever it starts with; numbers stay
    numbers and dates are dates shown as ``yyyy-mm-dd``. ``number_formats`` maps a
    column index to an Excel number format.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Values")
    for index, width in enumerate(widths):
        sheet.column_dimensions[column_letter(index)].width = width
    formats = number_formats or {}
    bold = Font(bold=True)

    def cell(value: Any, column: int, *, header_cell: bool = False) -> Any:
        if isinstance(value, str):
            # openpyxl turns a text starting with "=" into a formula; a string cell with
            # the quote prefix is shown as text and never calculated.
            item = WriteOnlyCell(sheet, value=value)
            item.data_type = "s"
            if needs_escape(value):
                item.quotePrefix = True
        else:
            item = WriteOnlyCell(sheet, value=value)
            if isinstance(value, dt.date):
                item.number_format = "yyyy-mm-dd"
            elif column in formats and value is not None:
                item.number_format = formats[column]
        if header_cell:
            item.font = bold
        return item

    sheet.append([cell(name, i, header_cell=True) for i, name in enumerate(header)])
    count = 0
    for row in rows:
        sheet.append([cell(value, i) for i, value in enumerate(row)])
        count += 1
    if isinstance(out, Path):
        workbook.save(out)
    else:
        buffer = io.BytesIO()
        workbook.save(buffer)
        out.write(buffer.getvalue())
    return count
