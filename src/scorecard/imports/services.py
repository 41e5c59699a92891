"""Importing measurements from CSV and XLSX files: map the columns, check every row,
then write everything in one transaction through ``kpis.bulkload.measurement_bulk_load``.

The file is read once, as a stream (``tabular.iter_rows``), outside any transaction:
every row is checked and each good row is pickled, in batches, into a temporary file;
the write transaction only reads that file back, so it holds the write lock briefly.
Nothing but a bitmap of the (KPI, period) pairs met (its size depends on the KPIs, not
on the rows) and one batch of rows is kept in memory, so a file of a million rows needs
little memory. The write pass streams the batches into the set-based bulk service
(``kpis/bulkload.py``: a staging table, then the checks, the corrections and the inserts
in SQL) inside ONE ``transaction.atomic``: any failure leaves the database as it was.

The web flow (``ImportJob``) and the ``scorecard import`` command both call
:func:`check_table` and :func:`import_table`.
"""

from __future__ import annotations

import codecs
import contextvars
import datetime as dt
import math
import pickle
import queue
import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, connections, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from scorecard import clock
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.engine.text import message
from scorecard.kpis.bulkload import measurement_bulk_load, statistics_refresh
from scorecard.kpis.models import Kpi
from scorecard.kpis.numbers import decimal_comma, number_from_text
from scorecard.kpis.selectors import user_can_record
from scorecard.kpis.sentences import said
from scorecard.kpis.services import (
    MeasurementRowsError,
    latest_value_start,
    number_too_large,
    period_not_begun,
)
from scorecard.limits import NUMBER_MAX
from scorecard.strategy.models import Scorecard

from . import tabular
from .models import ImportJob
from .turns import Turns

# --- columns -----------------------------------------------------------------------------

#: The fields a row gives, in the order the mapping form shows them.
FIELDS = ("kpi", "period", "value", "note")
REQUIRED = ("kpi", "period", "value")
FIELD_LABELS = {
    "kpi": gettext_lazy("KPI code"),
    "period": gettext_lazy("Period"),
    "value": gettext_lazy("Value"),
    "note": gettext_lazy("Note"),
}
#: The fields as a sentence names them.
FIELD_WORDS = {"kpi": "KPI code", "period": "period", "value": "value", "note": "note"}
#: The mapping form's messages per field (whole sentences, so each language words them).
CHOOSE_COLUMN = {
    "kpi": lambda: _("Choose the column that holds the KPI code."),
    "period": lambda: _("Choose the column that holds the period."),
    "value": lambda: _("Choose the column that holds the value."),
    "note": lambda: _("Choose the column that holds the note."),
}
ALREADY_USED = {
    "kpi": lambda: _("Column '%(column)s' is already used for the KPI code."),
    "period": lambda: _("Column '%(column)s' is already used for the period."),
    "value": lambda: _("Column '%(column)s' is already used for the value."),
    "note": lambda: _("Column '%(column)s' is already used for the note."),
}
#: Header names (lower case, letters and digits only) that give away a column's field;
#: earlier names win.
SYNONYMS = {
    "kpi": [
        "kpicode",
        "code",
        "kpi",
        "kpiid",
        "indicatorcode",
        "metriccode",
        "measurecode",
        "kpiname",
        "name",
        "indicator",
        "metric",
        "measure",
    ],
    "period": ["period", "periodstart", "start", "date", "month", "periodbegin", "day", "quarter"],
    "value": ["value", "actual", "actualvalue", "amount", "result", "measurement"],
    "note": ["note", "notes", "comment", "comments", "remark", "remarks"],
}

#: How many errors a check keeps to show (all are counted).
MAX_ERRORS_KEPT = 500
#: Rows per call of the bulk service during the write pass.
BATCH_SIZE = 20_000
#: By default, a value more than this many scale spans beyond the KPI's scale is
#: refused as a likely typo (wrong unit, missing decimal point); the setting
#: SCORECARD_IMPORT_RANGE_FACTOR changes it (0: no range check).
RANGE_FACTOR = 10
#: Dates outside these years are surely typos (and keep the calendar maths in range).
FIRST_YEAR, LAST_YEAR = 1900, 2199
#: Progress callbacks are called every this many rows.
PROGRESS_STEP = 1000


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """Guess which column holds which field from the header names.

    ``KPI code``, ``code`` or ``kpi`` → KPI; ``period``/``date``/``month`` → period;
    ``value``/``actual`` → value; ``note``/``comment`` → note. A column is used once;
    fields without a match are None.
    """
    keys = [_key(h) for h in headers]
    taken: set[int] = set()
    guess: dict[str, int | None] = {}
    for name in FIELDS:
        guess[name] = None
        for synonym in SYNONYMS[name]:
            index = next((i for i, k in enumerate(keys) if k == synonym and i not in taken), None)
            if index is not None:
                guess[name] = index
                taken.add(index)
                break
    return guess


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based index into the header) holds each field."""

    headers: tuple[str, ...]
    kpi: int
    period: int
    value: int
    note: int | None = None

    def index(self, name: str) -> int | None:
        index: int | None = getattr(self, name)
        return index

    def column(self, name: str) -> str:
        """The header name of a field's column, as error messages quote it."""
        index = self.index(name)
        return self.headers[index] if index is not None else str(FIELD_LABELS[name])

    def as_dict(self) -> dict[str, int | None]:
        return {name: self.index(name) for name in FIELDS}


class MappingError(ValidationError):
    """The chosen columns do not make a usable mapping; ``problems`` maps field → message."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(problems)


def mapping_build(headers: Sequence[str], chosen: Mapping[str, int | None]) -> ColumnMapping:
    """A mapping from column indexes per field, or MappingError saying what is wrong."""
    problems: dict[str, str] = {}
    used: dict[int, str] = {}
    clean: dict[str, int | None] = {}
    for name in FIELDS:
        index = chosen.get(name)
        if index is None:
            if name in REQUIRED:
                problems[name] = CHOOSE_COLUMN[name]()
            clean[name] = None
            continue
        if not 0 <= index < len(headers):
            problems[name] = _("The file has no column %(number)s.") % {"number": index + 1}
            continue
        if index in used:
            problems[name] = ALREADY_USED[used[index]]() % {"column": headers[index]}
            continue
        used[index] = name
        clean[name] = index
    if problems:
        raise MappingError(problems)
    return ColumnMapping(
        headers=tuple(headers),
        kpi=_req(clean["kpi"]),
        period=_req(clean["period"]),
        value=_req(clean["value"]),
        note=clean["note"],
    )


def _req(index: int | None) -> int:
    assert index is not None  # checked by mapping_build
    return index


def mapping_from_names(
    headers: Sequence[str], names: Mapping[str, str], *, guess: bool = True
) -> ColumnMapping:
    """A mapping from header names per field (``{"kpi": "Code"}``, case-insensitive),
    the other fields guessed from the headers. Used by the command line."""
    chosen: dict[str, int | None] = dict(guess_mapping(headers)) if guess else {}
    problems: dict[str, str] = {}
    lowered = [h.strip().lower() for h in headers]
    for name, header in names.items():
        if name not in FIELDS:
            problems[name] = _("Unknown field '%(name)s'; the fields are %(fields)s.") % {
                "name": name,
                "fields": ", ".join(FIELDS),
            }
            continue
        wanted = header.strip().lower()
        if wanted not in lowered:
            problems[name] = _(
                "The file has no column '%(header)s'; its columns are %(columns)s."
            ) % {
                "header": header,
                "columns": ", ".join(f"'{h}'" for h in headers),
            }
            continue
        index = lowered.index(wanted)
        for other, taken in list(chosen.items()):
            if taken == index and other != name and other not in names:
                chosen[other] = None  # an explicit choice beats a guess
        chosen[name] = index
    if problems:
        raise MappingError(problems)
    return mapping_build(headers, chosen)


# --- one row -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """What is wrong with one cell (or, with no column, one row) of the file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message  # about the whole file
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column '%(column)s': %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ParsedRow(NamedTuple):
    """One good row, ready for the bulk service."""

    row: int
    kpi: Kpi
    period_start: dt.date
    value: float
    note: str
    #: The date the file gave when it lies inside the period rather than starting it
    #: (the value is counted in the period containing it; the preview says so).
    moved_from: dt.date | None = None

    @property
    def key(self) -> int:
        """(KPI, period) packed into one int, to name the repeated pairs."""
        return self.kpi.pk * 4_194_304 + self.period_start.toordinal()  # ordinals < 2**22


def cell_text(cell: Any) -> str:
    """A cell as trimmed text, with a CSV export's formula escape undone."""
    if type(cell) is str:  # the common case first: every CSV cell
        text = cell.strip()
        return tabular.unescape_text(text).strip() if text[:1] == tabular.ESCAPE else text
    if cell is None:
        return ""
    if isinstance(cell, float):
        return tabular.plain_float(cell)
    if isinstance(cell, dt.datetime):
        # Spreadsheet dates come as datetimes at midnight: show them as dates.
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return tabular.unescape_text(str(cell).strip()).strip()


def _shown(text: str, limit: int = 40) -> str:
    """A cell's text as messages quote it (cut short: a message is not a place for essays)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def range_factor() -> int:
    """The configured SCORECARD_IMPORT_RANGE_FACTOR (0 or less: no range check)."""
    return int(getattr(settings, "SCORECARD_IMPORT_RANGE_FACTOR", RANGE_FACTOR))


def sane_range(kpi: Kpi, factor: int | None = None) -> tuple[float, float] | None:
    """Values outside this range are refused as likely typos; None when the KPI has no
    scale numbers to judge by, or the check is turned off.

    The KPI's own numbers (minimum, maximum, baseline, target, band ends, red flag)
    make its scale; the accepted range reaches ``factor`` (default: the setting
    SCORECARD_IMPORT_RANGE_FACTOR, 10) times the scale's size beyond either end: with
    10, a KPI scaled 0–100 accepts −1000 to 1100.
    """
    factor = range_factor() if factor is None else factor
    if factor <= 0:
        return None
    scale = (kpi.minimum, kpi.maximum, kpi.baseline, kpi.target)
    extra = (kpi.band_low, kpi.band_high, kpi.red_flag)
    points = [v for v in (*scale, *extra) if v is not None]
    if not points:
        return None
    low, high = min(points), max(points)
    span = max(high - low, abs(low), abs(high))
    if span == 0:
        return None  # only zeros (a zero target): nothing tells a typo from a value
    return low - factor * span, high + factor * span


def _name_key(name: str) -> str:
    """A KPI name as files write it: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


def parse_number(cell: Any, comma: bool | None = None) -> float | str:
    """The cell as a finite float, or the reason it is not one (``comma``: whether the
    decimal mark is a comma; default: the active language's)."""
    if isinstance(cell, bool):
        return said(gettext_noop("'%(cell)s' is a yes/no cell, not a number"), cell=str(cell))
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        text = cell_text(cell)
        if not text:
            return said(gettext_noop("the value is empty; give a number or delete the row"))
        try:
            number = number_from_text(text, comma)
        except ValueError as exc:
            return message(exc)  # kept as a sentence: a data source's run translates it later
    if not math.isfinite(number):
        return said(gettext_noop("'%(text)s' is not a finite number"), text=_shown(cell_text(cell)))
    return number


#: Month names and their usual short forms, as spreadsheets write them ("Nov 2026").
MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_YEAR = re.compile(r"([a-z]+)\.?[\s\-/,]*(\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})[\s\-/]*([a-z]+)\.?")


def _month_name_date(text: str) -> dt.date | None:
    """``Nov 2026``, ``November 2026``, ``nov-2026``, ``2026 Nov`` as the month's first day."""
    lowered = text.strip().lower()
    match = _MONTH_YEAR.fullmatch(lowered)
    if match:
        name, year = match.group(1), match.group(2)
    else:
        match = _YEAR_MONTH.fullmatch(lowered)
        if not match:
            return None
        year, name = match.group(1), match.group(2)
    month = MONTHS.get(name)
    return dt.date(int(year), month, 1) if month else None


def parse_period(cell: Any) -> dt.date | str:
    """The cell as a date, or why not: ``2026-10-01``, ``2026-10``, ``Oct 2026``,
    ``October 2026`` or a spreadsheet date. A date inside a period is moved to the
    period's start by the row check (and the preview says so)."""
    if isinstance(cell, dt.datetime):
        day = cell.date()
    elif isinstance(cell, dt.date):
        day = cell
    elif isinstance(cell, bool | int | float):
        return said(
            gettext_noop(
                "'%(text)s' is a number, not a date; format the column as dates or write 2026-10-01"
            ),
            text=cell_text(cell),
        )
    else:
        text = cell_text(cell)
        if not text:
            return said(
                gettext_noop(
                    "the period is empty; give the first day of the period, e.g. 2026-10-01"
                )
            )
        named = _month_name_date(text)
        try:
            if named is not None:
                day = named
            elif len(text) == 7 and re.fullmatch(r"\d{4}-\d{2}", text):
                day = dt.date.fromisoformat(text + "-01")
            elif len(text) > 10:
                day = dt.datetime.fromisoformat(text).date()
            else:
                day = dt.date.fromisoformat(text)
        except ValueError:
            return said(
                gettext_noop(
                    "'%(text)s' is not a date; write the period as year-month-day "
                    "(2026-10-01), year-month (2026-10) or month and year (Oct 2026)"
                ),
                text=_shown(text),
            )
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return said(
            gettext_noop("%(day)s is outside the years %(first)s–%(last)s"),
            day=day.isoformat(),
            first=str(FIRST_YEAR),
            last=str(LAST_YEAR),
        )
    return day


#: Values in their most common shapes, read with ``float`` at once (anything else goes
#: through ``parse_number``): with a decimal point, and for languages whose decimal
#: mark is a comma, whole numbers only (``1.234`` is a thousand there). At most 18
#: digits on either side: always finite.
_PLAIN_DECIMAL = re.compile(r"-?\d{1,18}(?:\.\d{1,18})?").fullmatch
_PLAIN_INTEGER = re.compile(r"-?\d{1,18}").fullmatch
#: How many (interval, period cell) answers ``RowChecker.quick`` remembers.
PERIODS_REMEMBERED = 100_000


#: One parsed row as spooled to disk: (row, KPI id, period start as ISO text, value,
#: note): what the bulk service stages as it is.
Spooled = tuple[int, int, str, float, str]
#: A period cell as :meth:`RowChecker.quick_spooled` remembers it: the period's start,
#: the date it was moved from (None if the cell gave the start), the start's day index
#: for :class:`SeenPeriods` and the start as ISO text (made once, not per row).
QuickPeriod = tuple[dt.date, "dt.date | None", int, str]
#: One good row of the common shape: as the spool keeps it, and its period.
QuickRow = tuple[Spooled, QuickPeriod]
#: A KPI as :meth:`RowChecker.quick_spooled` reads it per row: the KPI, its id, the
#: answers remembered for the period cells of its interval, the accepted range.
_QuickKpi = tuple[Kpi, int, dict[Any, QuickPeriod], float, float]


class RowChecker:
    """Turns a file row into a ParsedRow or a list of CellErrors.

    It knows the scorecard's KPIs (loaded in one query), which of them the person may
    record, and each KPI's sane range; it keeps nothing per row.
    """

    def __init__(self, *, scorecard: Scorecard, mapping: ColumnMapping, user: Any, role: str):
        self.scorecard = scorecard
        self.mapping = mapping
        self.kpis = {k.code: k for k in Kpi.objects.filter(scorecard=scorecard)}
        self.kpis_lower = {code.lower(): k for code, k in self.kpis.items()}
        by_name: dict[str, list[Kpi]] = {}
        for k in self.kpis.values():
            by_name.setdefault(_name_key(k.name), []).append(k)
        self.kpis_by_name = by_name
        self.allowed = {
            k.pk for k in self.kpis.values() if user_can_record(user=user, kpi=k, role=role)
        }
        self.role = role
        factor = range_factor()
        self.ranges = {k.pk: sane_range(k, factor) for k in self.kpis.values()}
        self._starts: dict[tuple[str, dt.date], dt.date] = {}
        self.comma = decimal_comma()  # the language's decimal mark, looked up once
        # Values are refused for periods that have not begun and beyond NUMBER_MAX, as
        # in the forms, the grid and the API (kpis.services): a file is no back door.
        self.today = clock.today()
        self.latest_start = latest_value_start(self.today)
        # For quick(): the KPIs a row may name by their exact code, and the answers
        # for the period cells met (files repeat the same few dates on many rows).
        self.recordable = {
            code: k
            for code, k in self.kpis.items()
            if k.pk in self.allowed and not k.is_calculated and cell_text(code) == code
        }
        self.by_id = {k.pk: k for k in self.kpis.values()}
        self._plain = _PLAIN_INTEGER if self.comma else _PLAIN_DECIMAL
        # What quick_spooled needs of each such KPI, in one tuple read per row (no model
        # attribute, no second dict look-up): its id, the answers for the period cells
        # of its interval (shared by the KPIs of that interval), the accepted range.
        self._periods: dict[str, dict[Any, QuickPeriod]] = {}
        self._quick: dict[str, _QuickKpi] = {}
        for code, k in self.recordable.items():
            bounds = self.ranges[k.pk]
            low, high = bounds if bounds is not None else (-NUMBER_MAX, NUMBER_MAX)
            low, high = max(low, -NUMBER_MAX), min(high, NUMBER_MAX)
            cells = self._periods.setdefault(k.update_interval, {})
            self._quick[code] = (k, k.pk, cells, low, high)
        mapping = self.mapping
        self._columns = (mapping.kpi, mapping.period, mapping.value, mapping.note)

    def period_start(self, kpi: Kpi, day: dt.date) -> dt.date:
        """The start of the KPI's period containing ``day`` (remembered: files repeat
        the same few dates on many rows)."""
        key = (kpi.update_interval, day)
        start = self._starts.get(key)
        if start is None:
            if len(self._starts) > 100_000:
                self._starts.clear()  # bounded, whatever the file
            interval = et.Interval(kpi.update_interval)
            start = self._starts[key] = periods.period_containing(day, interval).start
        return start

    def cell(self, cells: Sequence[Any], name: str) -> Any:
        index = self.mapping.index(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def kpi_for(self, cell: Any) -> Kpi | str:
        """The KPI a cell names, or why it names none this person may record."""
        code = cell_text(cell)
        if not code:
            return _("the KPI code is empty")
        kpi = self.kpis.get(code) or self.kpis_lower.get(code.lower())
        if kpi is None:
            named = self.kpis_by_name.get(_name_key(code), [])
            if len(named) > 1:
                return _(
                    "%(count)s KPIs are called '%(name)s' in the scorecard '%(scorecard)s'; "
                    "use the code instead (%(codes)s)"
                ) % {
                    "count": len(named),
                    "name": _shown(code),
                    "scorecard": self.scorecard.name,
                    "codes": ", ".join(sorted(k.code for k in named)),
                }
            kpi = named[0] if named else None
        if kpi is None:
            return _("no KPI has the code or name '%(code)s' in the scorecard '%(scorecard)s'") % {
                "code": _shown(code),
                "scorecard": self.scorecard.name,
            }
        if kpi.is_calculated:
            return _("'%(name)s' is calculated from its formula; its values cannot be imported") % {
                "name": kpi.name
            }
        if kpi.pk not in self.allowed:
            return _(
                "you may not record values for '%(name)s'; contributors record the KPIs "
                "they update or own"
            ) % {"name": kpi.name}
        return kpi

    def quick(self, number: int, cells: Sequence[Any]) -> ParsedRow | None:
        """The row, when it has the common shape (a KPI's exact code, a period cell met
        before or readable, a plain number) and is good; None otherwise: then
        :meth:`parse` decides, with its messages. Same answers as ``parse`` for the rows
        it takes (see :meth:`quick_spooled`, which does the work)."""
        got = self.quick_spooled(number, cells)
        if got is None:
            return None
        (row, kpi_id, _text, value, note), (start, moved_from, _index, _text) = got
        return ParsedRow(row, self.by_id[kpi_id], start, value, note, moved_from)

    def quick_spooled(self, number: int, cells: Sequence[Any]) -> QuickRow | None:
        """:meth:`quick`'s answer as the spool keeps it, for the importer's loop over a
        million rows: ``((row, KPI id, period start as ISO text, value, note), (period
        start, date it was moved from or None, day index for SeenPeriods, start as ISO
        text))``, the second
        tuple shared by every row of the same interval and period cell. No exceptions,
        no gettext, no regex but one precompiled match, no object per row but the
        spooled tuple."""
        kpi_at, period_at, value_at, note_at = self._columns
        try:
            entry = self._quick.get(cells[kpi_at])
            when = cells[period_at]
            text = cells[value_at]
            note = "" if note_at is None else cell_text(cells[note_at])
        except (IndexError, TypeError):
            return None
        if entry is None or type(text) is not str or not self._plain(text) or len(note) > 500:
            return None
        kpi, kpi_id, remembered, low, high = entry
        found = remembered.get(when)
        if found is None:
            found = self._remember_period(kpi, when, remembered)
            if found is None:
                return None
        value = float(text)
        if not low <= value <= high:  # within ±NUMBER_MAX for a KPI without a range
            return None
        return (number, kpi_id, found[3], value, note), found

    def _remember_period(
        self, kpi: Kpi, when: Any, remembered: dict[Any, QuickPeriod]
    ) -> QuickPeriod | None:
        """A period cell met for the first time (for its KPI's interval): its answer as
        quick_spooled keeps it, or None when the cell is not a readable date (parse
        decides, with its message)."""
        day = parse_period(when)
        if isinstance(day, str):
            return None
        start = self.period_start(kpi, day)
        if start > self.latest_start:
            return None  # a period that has not begun: parse() says so
        index = start.toordinal() - SeenPeriods.FIRST
        if not 0 <= index < SeenPeriods.DAYS:
            return None  # cannot happen while the year rule holds; parse() decides
        if len(remembered) > PERIODS_REMEMBERED:
            remembered.clear()  # bounded, whatever the file
        moved_from = day if start != day else None
        found = remembered[when] = (start, moved_from, index, start.isoformat())
        return found

    def parse(self, number: int, cells: Sequence[Any]) -> ParsedRow | list[CellError]:
        """Check one row; every problem of the row is reported, each with its column."""
        col = self.mapping.column
        errors: list[CellError] = []
        kpi = self.kpi_for(self.cell(cells, "kpi"))
        if isinstance(kpi, str):
            errors.append(CellError(number, col("kpi"), kpi))
        period = parse_period(self.cell(cells, "period"))
        moved_from: dt.date | None = None
        if isinstance(period, str):
            errors.append(CellError(number, col("period"), period))
        elif isinstance(kpi, Kpi):
            start = self.period_start(kpi, period)
            if start != period:  # a date inside the period: counted in it (the preview says so)
                moved_from, period = period, start
            if period > self.latest_start:
                errors.append(
                    CellError(number, col("period"), period_not_begun(period, self.today))
                )
        value = parse_number(self.cell(cells, "value"), self.comma)
        if isinstance(value, str):
            errors.append(CellError(number, col("value"), value))
        elif abs(value) > NUMBER_MAX:
            errors.append(
                CellError(
                    number,
                    col("value"),
                    number_too_large(formats.number_format(value, 0, force_grouping=True)),
                )
            )
        elif isinstance(kpi, Kpi):
            bounds = self.ranges[kpi.pk]
            if bounds is not None and not bounds[0] <= value <= bounds[1]:
                errors.append(
                    CellError(
                        number,
                        col("value"),
                        _(
                            "%(value)s is far outside the scale of '%(name)s'; values from "
                            "%(low)s to %(high)s are accepted (check the unit and the "
                            "decimal point)"
                        )
                        % {
                            "value": tabular.plain_float(value),
                            "name": kpi.name,
                            "low": tabular.plain_float(bounds[0]),
                            "high": tabular.plain_float(bounds[1]),
                        },
                    )
                )
        note = cell_text(self.cell(cells, "note")) if self.mapping.note is not None else ""
        if len(note) > 500:
            errors.append(
                CellError(
                    number,
                    col("note"),
                    _("the note has %(count)s characters; 500 at most") % {"count": len(note)},
                )
            )
        if errors:
            return errors
        assert isinstance(kpi, Kpi) and isinstance(period, dt.date)
        assert isinstance(value, float)
        return ParsedRow(number, kpi, period, value, note, moved_from)


# --- the whole file ----------------------------------------------------------------------


@dataclass
class CheckReport:
    """The outcome of checking every row: counts and the first errors (all are counted)."""

    rows: int = 0
    blank: int = 0
    error_count: int = 0
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, errors: Sequence[CellError]) -> None:
        self.error_count += len(errors)
        room = MAX_ERRORS_KEPT - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "blank": self.blank,
            "error_count": self.error_count,
            "errors": [e.as_dict() for e in self.errors],
        }


def data_rows(path: Path, fmt: str, sheet: str | None = None) -> Iterator[tuple[int, list[Any]]]:
    """The rows after the header, with their numbers; blank rows are given as []."""
    rows = tabular.iter_rows(path, fmt, sheet)
    for number, cells in rows:
        if number == 1:
            continue
        first = cells[0] if cells else None
        if type(first) is str and first and not first.isspace():
            yield number, cells  # the common case: not blank, no need to look further
        else:
            yield number, ([] if tabular.is_blank(cells) else cells)


Progress = Callable[[int], None]


class SeenPeriods:
    """The (KPI, period) pairs met so far, as one bit per KPI and day.

    Its size depends on the scorecard, never on the file: each KPI met costs a
    bitmap of every day from 1899 to 2199 (under 14 KB), so a file of a million
    rows for ten KPIs needs 140 KB where a set of a million keys would need ~60 MB.
    (Period starts fall in those years: dates outside FIRST_YEAR–LAST_YEAR are refused
    and a period starts at most a year before its date.)
    """

    FIRST = dt.date(FIRST_YEAR - 1, 1, 1).toordinal()
    DAYS = dt.date(LAST_YEAR + 1, 1, 1).toordinal() - FIRST

    def __init__(self) -> None:
        self.bits: dict[int, bytearray] = {}
        self.outside: set[tuple[int, dt.date]] = set()  # never filled while the rule holds

    def bitmap(self) -> bytearray:
        """A KPI's bitmap, no day marked yet."""
        return bytearray((self.DAYS + 7) // 8)

    def add(self, kpi_pk: int, day: dt.date) -> bool:
        """Mark the pair; True if it was already marked."""
        index = day.toordinal() - self.FIRST
        if not 0 <= index < self.DAYS:
            if (kpi_pk, day) in self.outside:
                return True
            self.outside.add((kpi_pk, day))
            return False
        bitmap = self.bits.get(kpi_pk)
        if bitmap is None:
            bitmap = self.bits[kpi_pk] = self.bitmap()
        byte, mask = index >> 3, 1 << (index & 7)
        if bitmap[byte] & mask:
            return True
        bitmap[byte] |= mask
        return False


def check_table(
    *,
    path: Path,
    fmt: str,
    checker: RowChecker,
    sheet: str | None = None,
    progress: Progress | None = None,
    keep: Callable[[list[Spooled]], None] | None = None,
) -> CheckReport:
    """Check every row of the file, streaming; return the counts and the errors.
    ``keep`` is given the good rows as the spool keeps them, a list of up to
    PROGRESS_STEP rows at a time, in the file's order, until a bad row is met (the
    import spools them, so the file is parsed once).

    Besides each row's own checks, a KPI may have one value per period in a file: a
    repeat is reported on the later row, naming the row that came first. Memory does
    not grow with the rows: see SeenPeriods.
    """
    report = CheckReport()
    seen = SeenPeriods()
    repeats: list[tuple[ParsedRow, int]] = []  # later rows that repeat a key (bounded)
    repeat_count = 0
    pending = rows = 0
    quick, bits = checker.quick_spooled, seen.bits
    # The good rows since the last progress step, handed to ``keep`` together: one call
    # per PROGRESS_STEP rows instead of one per row.
    good: list[Spooled] = []
    for number, cells in data_rows(path, fmt, sheet):
        if not cells:
            report.blank += 1
            continue
        rows += 1
        # Progress counts the rows of values, so it ends at the total the write pass has.
        pending += 1
        if pending >= PROGRESS_STEP:
            if progress is not None:
                progress(pending)
            pending = 0
            if good:
                if keep is not None and not report.error_count:
                    keep(good)
                good = []
        got = quick(number, cells)
        if got is not None:
            # The common shape, inlined (a million rows): SeenPeriods.add on the day
            # index the period cell remembered, then the spooled tuple as it is.
            spooled, period = got
            index = period[2]
            bitmap = bits.get(spooled[1])
            if bitmap is None:
                bitmap = bits[spooled[1]] = seen.bitmap()
            byte, mask = index >> 3, 1 << (index & 7)
            if not bitmap[byte] & mask:
                bitmap[byte] |= mask
                good.append(spooled)
                continue
            row, kpi_id, _text, value, note = spooled
            repeated = ParsedRow(row, checker.by_id[kpi_id], period[0], value, note, period[1])
        else:
            parsed = checker.parse(number, cells)
            if isinstance(parsed, list):
                report.add(parsed)
                continue
            if not seen.add(parsed.kpi.id, parsed.period_start):
                good.append(_spooled(parsed))
                continue
            repeated = parsed
        repeat_count += 1
        if len(repeats) < MAX_ERRORS_KEPT:
            repeats.append((repeated, repeated.key))
    report.rows = rows
    if good and keep is not None and not report.error_count:
        keep(good)
    if progress is not None and pending:
        progress(pending)
    if repeat_count:
        firsts = _first_rows(path, fmt, sheet, checker, {key for _count, key in repeats})
        report.add(
            [
                CellError(
                    row.row,
                    checker.mapping.column("period"),
                    _(
                        "row %(row)s already gives '%(name)s' a value for %(day)s; a file may "
                        "hold one value per KPI and period"
                    )
                    % {
                        "row": firsts.get(key, "?"),
                        "name": row.kpi.name,
                        "day": row.period_start.isoformat(),
                    },
                )
                for row, key in repeats
            ]
        )
        report.error_count += repeat_count - len(repeats)
    report.errors.sort(key=lambda e: e.row)
    return report


def _spooled(parsed: ParsedRow) -> Spooled:
    """A good row as the spool keeps it."""
    row, kpi, day, value, note, _moved = parsed
    return (row, kpi.id, day.isoformat(), value, note)


def _first_rows(
    path: Path, fmt: str, sheet: str | None, checker: RowChecker, keys: set[int]
) -> dict[int, int]:
    """The first row of each repeated key (a second pass, only when repeats exist)."""
    firsts: dict[int, int] = {}
    for number, cells in data_rows(path, fmt, sheet):
        if not cells:
            continue
        parsed = checker.parse(number, cells)
        if isinstance(parsed, list) or parsed.key not in keys or parsed.key in firsts:
            continue
        firsts[parsed.key] = number
        if len(firsts) == len(keys):
            break
    return firsts


@dataclass
class ImportResult:
    """What an import did: rows read, values written (new or corrections), unchanged."""

    rows: int
    created: int = 0
    corrected: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def written(self) -> int:
        return self.created + self.corrected

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "corrected": self.corrected,
            "unchanged": self.unchanged,
            "written": self.written,
            "dry_run": self.dry_run,
        }


class ImportFailed(Exception):
    """Some rows are wrong, so nothing was written; ``report`` lists them."""

    def __init__(self, report: CheckReport) -> None:
        self.report = report
        super().__init__(f"{report.error_count} problem(s) in the file; nothing was written.")


class _Spool:
    """Good rows pickled in batches to a temporary file, read back as batches."""

    def __init__(self, handle: Any, batch_size: int) -> None:
        self.handle, self.batch_size = handle, batch_size
        self.batch: list[Spooled] = []
        self.count = 0

    def keep(self, rows: list[Spooled]) -> None:
        """Add good rows (in the file's order); full batches go to the file."""
        self.batch.extend(rows)
        while len(self.batch) >= self.batch_size:
            self.batch, rest = self.batch[: self.batch_size], self.batch[self.batch_size :]
            self.flush()
            self.batch = rest

    def flush(self) -> None:
        if self.batch:
            pickle.dump(self.batch, self.handle, protocol=pickle.HIGHEST_PROTOCOL)
            self.count += 1
            self.batch = []

    def batches(self) -> Iterator[list[Spooled]]:
        self.flush()
        self.handle.seek(0)
        for _row in range(self.count):
            yield pickle.load(self.handle)  # our own file, written by keep()


def import_table(
    *,
    path: Path,
    fmt: str,
    checker: RowChecker,
    sheet: str | None = None,
    user: Any = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    check_progress: Progress | None = None,
    write_progress: Progress | None = None,
) -> ImportResult:
    """Check every row and write them all in one transaction, or raise ImportFailed.

    Writing goes through ``measurement_bulk_load`` (the semantics of
    ``measurement_bulk_record``, set-based), so corrections keep the earlier value
    (superseded) and repeating a current value changes nothing.
    With ``dry_run`` the same writes happen and are rolled back: the counts are exact.

    The file is checked in a thread while the rows already checked are written
    (:func:`_import_streamed`), inside the one transaction; a file with problems is
    rolled back whole. Except for a spreadsheet on SQLite: SQLite has one write lock for
    the whole database, and reading a workbook (openpyxl) is slower than writing its
    rows, so the lock would be held while the file is read. There the file is read and
    parsed before the transaction starts (the parsed rows wait in a temporary file), so
    the write lock is held only while writing. A CSV file is parsed faster than its
    rows are written, so checking it meanwhile does not make the lock last longer.
    """
    if connection.vendor == "postgresql" or fmt == "csv":
        streamed = _import_streamed(
            path=path,
            fmt=fmt,
            checker=checker,
            sheet=sheet,
            user=user,
            dry_run=dry_run,
            batch_size=batch_size,
            check_progress=check_progress,
            write_progress=write_progress,
        )
        if streamed is not None:
            return streamed
    with tempfile.TemporaryFile(prefix="scorecard-import-") as handle:
        spool = _Spool(handle, batch_size)
        report = check_table(
            path=path,
            fmt=fmt,
            checker=checker,
            sheet=sheet,
            progress=check_progress,
            keep=spool.keep,
        )
        if not report.ok:
            raise ImportFailed(report)
        return _write(spool, report, checker, user, dry_run, write_progress)


class _Stopped(Exception):
    """The writer stopped (it failed): the checking thread ends too."""


class _KpisChanged(Exception):
    """A KPI changed while a streamed import was written: roll it back, and import
    the file the two-pass way, which checks the rows against the KPIs as they are."""


class _Feed:
    """The file checked in a thread (:func:`check_table`, unchanged), its good rows
    handed over ``batch_size`` at a time through a queue that holds at most
    :data:`WAITING` rows, so memory stays flat (the bulk service writes them
    :data:`~scorecard.kpis.bulkload.STREAM_ROWS` at a time). The progress calls come
    back through the queue too (not counted against that bound: the thread must not
    wait for the writer between two batches), so that every callback runs in the
    caller's thread (a callback may use the database, whose connection is the
    caller's). The thread checks in the caller's language, time zone and context (the
    clock's day), so its messages and dates are the same as when the caller checks.
    It keeps still while the writer has its turn (:attr:`turns`, see
    :mod:`scorecard.imports.turns`), stopping at each progress step."""

    #: Rows waiting in the queue at most, about: a round ahead of the writer (~12 MB).
    WAITING = 60_000

    def __init__(
        self, *, path: Path, fmt: str, checker: RowChecker, sheet: str | None, batch_size: int
    ) -> None:
        self.size = batch_size
        self.slots = threading.Semaphore(max(2, self.WAITING // max(batch_size, 1)))
        self.queue: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self.stop = threading.Event()
        self.turns = Turns()
        self.report: CheckReport | None = None
        self.rows: list[Spooled] = []
        language, zone = translation.get_language(), timezone.get_current_timezone()
        context = contextvars.copy_context()

        def run() -> None:
            with translation.override(language), timezone.override(zone):
                self._run(path, fmt, checker, sheet)

        self.thread = threading.Thread(
            target=lambda: context.run(run), name="import-check", daemon=True
        )

    def _put_rows(self, rows: list[Spooled]) -> None:
        if not self.slots.acquire(blocking=False):  # a round ahead: wait for the writer
            with self.turns.checker_idle():
                while not self.slots.acquire(timeout=0.1):
                    if self.stop.is_set():
                        raise _Stopped
        self.queue.put(("rows", rows))

    def _keep(self, rows: list[Spooled]) -> None:
        if self.stop.is_set():
            raise _Stopped
        self.rows.extend(rows)
        while len(self.rows) >= self.size:
            batch, self.rows = self.rows[: self.size], self.rows[self.size :]
            self._put_rows(batch)

    def _progress(self, count: int) -> None:
        if self.stop.is_set():
            raise _Stopped
        self.queue.put(("progress", count))
        self.turns.checker_pause()  # every PROGRESS_STEP rows

    def _run(self, path: Path, fmt: str, checker: RowChecker, sheet: str | None) -> None:
        self.turns.checker_started()
        try:
            report = check_table(
                path=path,
                fmt=fmt,
                checker=checker,
                sheet=sheet,
                progress=self._progress,
                keep=self._keep,
            )
            if self.rows and report.ok:
                self._put_rows(self.rows)
            self.rows = []
            self.queue.put(("done", report))
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the caller's thread, raised there
            self.queue.put(("error", exc))
        finally:
            self.turns.checker_ended()
            connections.close_all()  # this thread's own, if it ever opened one

    def batches(self, check_progress: Progress | None) -> Iterator[list[Spooled]]:
        """The good rows, a batch at a time; at the end of the file, ImportFailed if
        it has problems (the caller's transaction then writes nothing)."""
        self.thread.start()
        while True:
            kind, item = self.queue.get()
            if kind == "rows":
                self.slots.release()
                yield item
            elif kind == "progress":
                if check_progress is not None:
                    check_progress(item)
            elif kind == "error":
                raise item
            else:
                self.report = item
                if not item.ok:
                    raise ImportFailed(item)
                return

    def close(self) -> None:
        """Stop the thread (if the writer failed) and wait for it."""
        self.stop.set()
        if self.thread.ident is not None:  # started
            self.thread.join()


def _import_streamed(
    *,
    path: Path,
    fmt: str,
    checker: RowChecker,
    sheet: str | None,
    user: Any,
    dry_run: bool,
    batch_size: int,
    check_progress: Progress | None,
    write_progress: Progress | None,
) -> ImportResult | None:
    """Check the file in a thread (:class:`_Feed`) while the rows already checked are written,
    round by round, in one transaction (``streamed`` of ``measurement_bulk_load``): the
    database inserts the values and their history while Python parses the next rows, instead
    of after the whole file (SQLite's long statements, like PostgreSQL's server, run without
    Python's interpreter lock; the writer takes its turn for the rest: ``exclusive``,
    :mod:`scorecard.imports.turns`). Same checks, messages, rows and history; a file with
    problems raises ImportFailed and the transaction is rolled back, so nothing is written,
    as before. None (and nothing kept) when a KPI changed since the checker read them,
    before or while writing: then the import checks first and writes after, with the bulk
    service's own checks (:func:`_write`), as it always did."""
    kpis = {kpi.pk: kpi for kpi in checker.kpis.values()}
    feed = _Feed(path=path, fmt=fmt, checker=checker, sheet=sheet, batch_size=batch_size)
    try:
        with transaction.atomic():
            if not _kpis_unchanged(kpis):
                return None
            try:
                done = measurement_bulk_load(
                    batches=feed.batches(check_progress),
                    kpis=kpis,
                    user=user,
                    progress=write_progress,
                    checked=True,
                    streamed=True,
                    exclusive=feed.turns.writer_turn,
                )
            except MeasurementRowsError as exc:  # as in _write
                raise ImportFailed(_rows_failed(exc, checker, feed.report)) from None
            finally:
                feed.close()
            # The rows were checked against the KPIs as they were: if one changed
            # meanwhile, nothing of this is kept (see _KpisChanged).
            if not _kpis_unchanged(kpis):
                raise _KpisChanged
            if dry_run:
                transaction.set_rollback(True)
    except _KpisChanged:
        return None
    assert feed.report is not None  # the feed ended with its report
    result = ImportResult(rows=feed.report.rows, dry_run=dry_run)
    result.created, result.corrected = done.created, done.corrected
    result.unchanged = done.unchanged
    if not dry_run:  # committed: a large load refreshes the planner's statistics
        statistics_refresh(written=result.written)
    return result


def _rows_failed(
    exc: MeasurementRowsError, checker: RowChecker, report: CheckReport | None
) -> CheckReport:
    """The bulk service's refusal as the importer's report, cell by cell."""
    column = {
        "kpi": checker.mapping.column("kpi"),
        "period_start": checker.mapping.column("period"),
        "value": checker.mapping.column("value"),
        "note": checker.mapping.column("note"),
    }
    failed = CheckReport(rows=report.rows if report is not None else 0)
    failed.add([CellError(e.index, column.get(e.field, ""), e.message) for e in exc.row_errors])
    return failed


def _kpis_unchanged(kpis: Mapping[int, Kpi]) -> bool:
    """Whether the KPIs the rows were checked against are still as they were: each
    exists, with the same interval and no formula since (then the bulk service need
    not check each row again nor look for repeats)."""
    return _kpis_now(kpis)[0]


def _kpis_now(kpis: Mapping[int, Kpi]) -> tuple[bool, dict[int, Kpi]]:
    """:func:`_kpis_unchanged`, and the KPIs as they are now (those still there)."""
    now = {k.pk: k for k in Kpi.objects.filter(pk__in=list(kpis))}
    unchanged = all(
        pk in now
        and now[pk].update_interval == k.update_interval
        and now[pk].is_calculated == k.is_calculated
        for pk, k in kpis.items()
    )
    return unchanged, now


def _write(
    spool: _Spool,
    report: CheckReport,
    checker: RowChecker,
    user: Any,
    dry_run: bool,
    write_progress: Progress | None,
) -> ImportResult:
    """Write the spooled rows in one transaction (the file is read already)."""
    result = ImportResult(rows=report.rows, dry_run=dry_run)

    kpis = {kpi.pk: kpi for kpi in checker.kpis.values()}
    # Everything slow (reading and parsing the file) is done before the transaction
    # begins; only the writes hold the database's write lock (on SQLite the only one).
    with transaction.atomic():
        # The rows were checked against these KPIs, and for repeats: unless one of
        # them changed since (its interval, or a formula now), the bulk service need
        # not check each row again nor look for repeats; if one did, it checks every
        # row against the KPIs as they are now, and looks for repeats in SQL.
        checked, now = _kpis_now(kpis)
        try:
            done = measurement_bulk_load(
                batches=spool.batches(),
                kpis=kpis if checked else {**kpis, **now},
                user=user,
                progress=write_progress,
                checked=checked,
            )
        except MeasurementRowsError as exc:
            # Only if the KPIs changed between the check and the write.
            raise ImportFailed(_rows_failed(exc, checker, report)) from None
        result.created, result.corrected = done.created, done.corrected
        result.unchanged = done.unchanged
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:  # committed: a large load refreshes the planner's statistics
        statistics_refresh(written=result.written)
    return result


# --- the web flow: jobs ------------------------------------------------------------------


#: The folder of Django's default storage where uploaded files wait between the steps.
STORAGE_FOLDER = "imports"


def job_storage_name(job: ImportJob) -> str:
    """The job's file in Django's default storage (``STORAGES["default"]``), so that
    every application server sees it: a shared volume or an S3-compatible store."""
    return f"{STORAGE_FOLDER}/{job.stored_name}"


@contextmanager
def job_file(job: ImportJob) -> Iterator[Path]:
    """A local path to the job's file for the readers (csv, openpyxl).

    On a file-system storage it is the stored file itself; on a remote storage the
    file is copied into a temporary file for the duration (deleted afterwards).
    A file that is gone raises OSError when it is read, as before.
    """
    name = job_storage_name(job)
    # Only a file-system storage's path() is a real file (InMemoryStorage has one too).
    if isinstance(default_storage, FileSystemStorage):
        yield Path(default_storage.path(name))
        return
    with tempfile.NamedTemporaryFile(prefix="scorecard-import-", suffix=Path(name).suffix) as tmp:
        with default_storage.open(name, "rb") as source:
            shutil.copyfileobj(source, tmp, 1024 * 1024)
        tmp.flush()
        yield Path(tmp.name)


def job_file_delete(job: ImportJob) -> None:
    """Remove the job's waiting file from the storage (nothing if it is gone already)."""
    default_storage.delete(job_storage_name(job))


def max_upload_bytes() -> int:
    return int(settings.SCORECARD_IMPORT_MAX_BYTES)


def size_text(size: int) -> str:
    """1536 → ``1.5 KiB``; for messages about file sizes."""
    amount = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if amount < 1024 or unit == "GiB":
            return f"{amount:.0f} {unit}" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{size} bytes"


def _check_utf8(path: Path) -> None:
    """Refuse a CSV that is not UTF-8 before any row is shown (decoded in chunks)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(64 * 1024):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise tabular.TabularError(
                    _(
                        "The file is not UTF-8 text (byte 0x%(byte)s at position %(position)s "
                        "cannot be read). Save it as “CSV UTF-8” and upload it again."
                    )
                    % {"byte": f"{chunk[exc.start]:02x}", "position": offset + exc.start}
                ) from None
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise tabular.TabularError(
                _("The file is not UTF-8 text (it ends in the middle of a character).")
            ) from None


def job_create(*, scorecard: Scorecard, user: Any, upload: UploadedFile) -> ImportJob:
    """Keep an uploaded file for the import flow, or refuse it with a clear message.

    Too large, neither CSV nor XLSX, not UTF-8 (CSV), or without a header row: a
    ValidationError says which, and nothing is kept.
    """
    name = Path(upload.name or "upload").name
    size = upload.size or 0
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _(
                "“%(name)s” is %(size)s; files of up to %(limit)s can be imported here. "
                "Split it, or use the command line (scorecard import)."
            )
            % {"name": name, "size": size_text(size), "limit": size_text(limit)}
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    suffix = Path(name).suffix.lower()
    if suffix not in {".csv", ".txt", ".xlsx"}:
        raise ValidationError(_("“%(name)s” is neither a .csv nor an .xlsx file.") % {"name": name})
    _discard_stale(user=user)
    wanted = f"{STORAGE_FOLDER}/{uuid.uuid4().hex}{'.xlsx' if suffix == '.xlsx' else '.csv'}"
    # The storage may adjust the name (it never overwrites); keep the one it chose.
    job = ImportJob(
        scorecard=scorecard,
        created_by=user,
        created_at=clock.now(),
        original_name=name[:255],
        stored_name=Path(default_storage.save(wanted, upload)).name,
        size=size,
    )
    try:
        with job_file(job) as path:
            fmt = tabular.detect_format(path, name=name)
            sheet = ""
            if fmt == "csv":
                _check_utf8(path)
            else:
                sheet = tabular.first_filled_sheet(path)
            headers = _headers_of(path, fmt, sheet)
    except tabular.TabularError as exc:
        job_file_delete(job)
        raise ValidationError(str(exc)) from None
    except BaseException:
        job_file_delete(job)
        raise
    job.file_format = fmt
    job.sheet = sheet
    job.headers = headers
    job.mapping = guess_mapping(headers)
    job.save()
    return job


def _headers_of(path: Path, fmt: str, sheet: str) -> list[str]:
    """The header of a file (or of one sheet) that has at least one row of values."""
    headers, sample = tabular.read_head(path, fmt, 1, sheet or None)
    if not sample:
        if sheet:
            message = _("The sheet “%(sheet)s” has a header row but no rows of values.") % {
                "sheet": sheet
            }
        else:
            message = _("The file has a header row but no rows of values.")
        raise tabular.TabularError(message)
    return headers


def job_sheets(job: ImportJob) -> list[str]:
    """The worksheets of the job's workbook (empty for CSV or an unreadable file)."""
    if job.file_format != "xlsx":
        return []
    try:
        with job_file(job) as path:
            return tabular.sheet_names(path)
    except (tabular.TabularError, OSError):
        return []


def job_choose_sheet(*, job: ImportJob, sheet: str) -> None:
    """Read another worksheet of the job's workbook: its header replaces the columns,
    which are guessed again. ValidationError if the sheet is unknown or has no rows;
    the job then stays as it was."""
    if sheet not in job_sheets(job):
        raise ValidationError(_("The workbook has no sheet called “%(sheet)s”.") % {"sheet": sheet})
    try:
        with job_file(job) as path:
            headers = _headers_of(path, job.file_format, sheet)
    except tabular.TabularError as exc:
        raise ValidationError(str(exc)) from None
    job.sheet = sheet
    job.headers = headers
    job.mapping = guess_mapping(headers)
    job.state = ImportJob.State.UPLOADED
    job.report = {}
    job.save(update_fields=["sheet", "headers", "mapping", "state", "report"])


def _discard_stale(*, user: Any) -> None:
    """Forget this person's unfinished jobs older than a day (and their files)."""
    cutoff = clock.now() - dt.timedelta(days=1)
    for job in ImportJob.objects.filter(created_by=user, created_at__lt=cutoff).exclude(
        state=ImportJob.State.DONE
    ):
        job_discard(job=job)


def job_mapping(job: ImportJob) -> ColumnMapping:
    """The job's stored mapping (MappingError if it is incomplete)."""
    stored = {name: job.mapping.get(name) for name in FIELDS}
    return mapping_build(job.headers, stored)


def job_checker(job: ImportJob, *, user: Any, role: str) -> RowChecker:
    return RowChecker(scorecard=job.scorecard, mapping=job_mapping(job), user=user, role=role)


def job_check(
    *, job: ImportJob, chosen: Mapping[str, int | None], user: Any, role: str
) -> CheckReport:
    """Store the chosen columns and check every row of the file against them."""
    mapping = mapping_build(job.headers, chosen)
    job.mapping = mapping.as_dict()
    checker = RowChecker(scorecard=job.scorecard, mapping=mapping, user=user, role=role)
    try:
        with job_file(job) as path:
            report = check_table(
                path=path, fmt=job.file_format, checker=checker, sheet=job.sheet or None
            )
    except tabular.TabularError as exc:
        report = CheckReport()
        report.add([CellError(0, "", str(exc))])
    job.report = report.as_dict()
    job.state = ImportJob.State.CHECKED if report.ok else ImportJob.State.INVALID
    job.save(update_fields=["mapping", "report", "state"])
    return report


def job_run(*, job: ImportJob, user: Any, role: str) -> ImportResult:
    """Import the job's file (all or nothing); the file is deleted once it is in.

    On ImportFailed the job keeps the new report so the preview can show it.
    """
    checker = job_checker(job, user=user, role=role)
    try:
        with job_file(job) as path:
            result = import_table(
                path=path,
                fmt=job.file_format,
                checker=checker,
                sheet=job.sheet or None,
                user=user,
            )
    except ImportFailed as exc:
        job.report = exc.report.as_dict()
        job.state = ImportJob.State.INVALID
        job.save(update_fields=["report", "state"])
        raise
    except tabular.TabularError as exc:
        report = CheckReport()
        report.add([CellError(0, "", str(exc))])
        job.report = report.as_dict()
        job.state = ImportJob.State.INVALID
        job.save(update_fields=["report", "state"])
        raise ImportFailed(report) from None
    job_file_delete(job)
    job.report = result.as_dict()
    job.state = ImportJob.State.DONE
    job.finished_at = clock.now()
    job.save(update_fields=["report", "state", "finished_at"])
    return result


def job_discard(*, job: ImportJob) -> None:
    """Delete a job and its waiting file."""
    job_file_delete(job)
    job.delete()
