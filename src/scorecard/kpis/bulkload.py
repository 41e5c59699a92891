"""Recording a great many values at once, set-based, at close to the database's own speed.

:func:`measurement_bulk_load` does what :func:`~scorecard.kpis.services.measurement_bulk_record`
does — same checks, same messages, same stored rows — but instead of deciding row by
row in Python it lets the database decide for all rows at once. Its history is the one
difference: new values get one "imported" entry per KPI (how many, which periods)
instead of one each; corrections and values waiting for approval keep theirs.

1. **Stage.** The rows go into a temporary table: on PostgreSQL with ``COPY … FROM
   STDIN`` (psycopg's ``cursor.copy``), on SQLite with ``executemany`` in batches of
   :data:`BATCH` rows. Python only checks what each row says about itself, in a tight
   loop (the KPI may be recorded, the period start is one of its periods — remembered
   per interval and date —, the value is a finite number, the note is short enough).
2. **Check as a set.** A KPI and period given twice is found with one ``GROUP BY``
   (not for rows the caller checked: the importer finds repeats as it reads). Any
   problem raises ``MeasurementRowsError`` with the same messages as the row-by-row
   service, and the caller's transaction is rolled back: nothing is written.
3. **Compare with what is stored.** The current approved (and, for values that wait for
   approval, pending) value of each staged KPI and period is joined in with one
   ``UPDATE … FROM``. If no current value exists for the staged KPIs in the staged
   date range (a fresh load), this step is skipped.
4. **Write.** A row repeating the current value and note is dropped (unchanged). The
   values it corrects are superseded with one ``UPDATE`` (the history keeps them, as
   always), the new values are inserted with one ``INSERT … SELECT`` (by KPI and
   period, which the indexes on them take faster; on SQLite in the file's order when
   some correct a value or wait for approval: their entries find their ids so), the
   history entries of corrections and of values waiting for approval with another one,
   each naming its value's id without a join back (SQLite: the ids one INSERT gives
   follow the rows; PostgreSQL: each staged row took its id from the sequence as it was
   copied; ``json_object`` on SQLite, ``jsonb_build_object`` on PostgreSQL: the same
   ``before``/``after`` as ``audit.services.build_change``), and one "imported" entry
   per KPI for its new values, counted in the same pass over the stage that finds the
   KPIs. A million new values thus write about a thousand history entries, not a
   million: each value, with who recorded it and when, is a measurement row already
   (issue 16). The organization's data version is raised.
5. **Announce.** One ``measurements_loaded`` signal for the whole load (instead of
   ``measurements_recorded`` / ``measurements_pending`` per chunk): its receivers
   (webhooks, alerts) read the new values back, in chunks as large as the caller's
   batches (at most :data:`SIGNAL_CHUNK`) with one streaming query, only when they have
   something to do with them, so memory stays flat and an unwatched load costs nothing
   per value.

On PostgreSQL, rows the caller has checked may be *streamed* (``streamed=True``): steps
1–4 run for :data:`STREAM_ROWS` rows at a time as they come, so the server writes while
the caller prepares the next rows (the importer checks the file in a thread meanwhile).
A round with no current value stored for its KPIs in its periods, in a load where no
value waits for approval, is all new values: it skips the stage and is copied straight
into the measurements, sorted by KPI and period (:func:`_direct_round`). SQLite does the
same with checked rows, round by round (each round staged, then moved into the
measurements with one statement: :func:`_direct_from_stage`), until a round finds stored
values in its span; from there on the rows stay staged (:func:`_write_rounds`).
The new values' KPIs are held once for the load (``kpis.integrity``: a value's KPI is a
plain id, without a key check per row at the commit).

Everything happens inside one ``transaction.atomic`` (the caller's, if any): a failure
or a killed process leaves the database as it was. Approval rules are the same:
whether a value waits for approval is decided per KPI (``needs_approval``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import chain, groupby
from operator import itemgetter
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.audit.context import current_actor
from scorecard.audit.integrity import person_hold
from scorecard.audit.models import Change
from scorecard.audit.services import person_label
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.organizations.versions import data_version_bump

from .integrity import kpi_hold
from .models import Kpi, Measurement
from .services import BulkRecordResult, MeasurementRowsError, RowError, needs_approval
from .signals import measurements_loaded

#: One value to record: (row number, KPI id, period start, value, note); the period
#: start may be given as ISO text (``2026-01-01``).
LoadRow = tuple[int, int, dt.date | str, Any, str]
#: A caller's context in which its other threads keep still (``exclusive``).
Exclusive = Callable[[], AbstractContextManager[Any]]
#: Rows per ``executemany`` on SQLite.
BATCH = 20_000
#: Values per signal sent (receivers pay a few queries per signal; memory per value).
SIGNAL_CHUNK = 20_000
#: SQLite's page cache of the main database while loading, in KiB (its default is
#: 2,000). New values go into the two indexes on (KPI, period) one KPI after the other
#: within a round: the hot pages are about one leaf per KPI and index (1,000 KPIs:
#: some 8 MB), which a smaller cache would evict and read again. The cache is the
#: importing process's own memory (SQLite runs inside it). Measured, 1,000,000 rows in
#: the bench's child process: 16 MB 11.4 s, peak 123 MB; 32 MB 11.8 s, peak 142 MB
#: (the memory target is 150 MB). Before the rounds went in by KPI and period, a
#: day-by-day file needed more: 12 MB 38.9 s, 32 MB 31.0 s.
SQLITE_CACHE_KB = 16_384
#: The temporary table the rows are staged in.
STAGE = "scorecard_bulk_stage"
#: How many problems are reported at most (all are counted by the caller's check).
MAX_ERRORS = 500
#: PostgreSQL: after a committed load of at least this many new values, the planner
#: statistics of the measurements and the history are refreshed (``ANALYZE``) at once
#: instead of whenever autovacuum comes by: with statistics from before a million-row
#: load, the next statement over those rows (a bench run's DELETE) was once planned as
#: a nested loop that ran for over 12 minutes. ANALYZE samples a fixed number of rows
#: (30,000 by default): measured 0.6–0.9 s for a million values and history entries.
ANALYZE_AFTER = 100_000
#: PostgreSQL: the sort memory of the load's transaction (``SET LOCAL``). The history
#: entries are sorted into the file's order; with the server's default of 4 MB the sort
#: of 200,000 of them spilled 32 MB to temporary files (a million: about 160 MB, which
#: then spills in fewer, larger runs). Per sort, for this one transaction only.
WORK_MEM = "64MB"
#: PostgreSQL, a streamed load (``streamed=True``): rows written per round (compared,
#: inserted with their history) while the caller prepares the next ones.
STREAM_ROWS = 50_000


def measurement_bulk_load(
    *,
    batches: Iterable[Sequence[LoadRow]],
    kpis: Mapping[int, Kpi],
    user: Any = None,
    progress: Callable[[int], None] | None = None,
    checked: bool = False,
    streamed: bool = False,
    exclusive: Exclusive = nullcontext,
) -> BulkRecordResult:
    """Record every row of ``batches`` (all or nothing) with measurement_bulk_record's
    semantics; ``kpis`` holds each KPI a row names, by id; no two rows have the same
    row number (the stage is keyed by it on SQLite). The new values' ids follow the row
    numbers on SQLite and, on PostgreSQL, the order the rows come in (the same for
    every caller today: files and lists are read in order), except in a round of
    checked rows written straight (:func:`_direct_round`, :func:`_direct_from_stage`),
    and on SQLite in a load where no row corrects a value or waits for approval: by KPI
    and period.
    ``progress`` is called with
    the number of rows of each batch once it is staged.

    ``checked``: the caller has checked each row on its own against these KPIs already
    (the file importer does, with its own messages): the KPI may be recorded, the period
    start (ISO text) starts one of its periods, the value is a finite float, the note is
    trimmed and at most 500 characters; and no two rows give the same KPI and period
    start (the importer finds repeats as it reads, with its own messages). The rows
    then go to the stage as they are, with no work per row in Python, and the search
    for repeats (a GROUP BY over every staged row) is skipped; the comparison with the
    stored values and everything else is still done in SQL.

    ``streamed`` (PostgreSQL, with ``checked``; ignored otherwise): the rows are written
    :data:`STREAM_ROWS` at a time as they come — staged, compared with the stored
    values, inserted with their history — instead of all staged first, so that the
    server writes while the caller prepares the next rows (the importer parses the file
    in a thread meanwhile). Since no two rows give the same KPI and period, writing
    them round by round stores the same rows and history as one round (the ids of a
    round copied straight follow its KPIs and periods instead of the file); it is still
    one transaction. On SQLite checked rows are written round by round anyway
    (:func:`_write_rounds`).

    ``exclusive``: a context in which the caller's other threads keep still, entered
    around Python work that gives the interpreter lock back at every row (SQLite's
    ``executemany``); the importer's checking thread pauses in it
    (:mod:`scorecard.imports.turns`)."""
    with transaction.atomic():
        result = _load(batches, kpis, user, progress, checked, streamed, exclusive)
    statistics_refresh(written=result.created + result.corrected)
    return result


def statistics_refresh(*, written: int) -> bool:
    """After a load of ``written`` new values is committed: on PostgreSQL, when they
    are at least :data:`ANALYZE_AFTER`, refresh the planner statistics of the
    measurements and the history (``ANALYZE``); whether it did. Nothing inside a
    transaction (the load is not committed yet: the caller calls this after its
    commit) nor on SQLite (its planner does not keep such statistics unless asked)."""
    if connection.vendor != "postgresql" or written < ANALYZE_AFTER:
        return False
    if connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {_table(Measurement)}, {_table(Change)}")
    return True


def _load(
    batches: Iterable[Sequence[LoadRow]],
    kpis: Mapping[int, Kpi],
    user: Any,
    progress: Callable[[int], None] | None,
    checked: bool = False,
    streamed: bool = False,
    exclusive: Exclusive = nullcontext,
) -> BulkRecordResult:
    postgres = connection.vendor == "postgresql"
    recorder = user if getattr(user, "is_authenticated", False) else None
    pending = {pk for pk, kpi in kpis.items() if needs_approval(kpi=kpi, user=recorder)}
    now = clock.now()
    # The values' recorder and the history's actor are plain ids (audit.integrity):
    # hold each person once for the whole load instead of a key check per row.
    people: set[int] = {
        int(person.pk) for person in (recorder, _actor(recorder)) if person is not None
    }
    for person in sorted(people):
        person_hold(person)
    with connection.cursor() as cursor, _page_cache(cursor, postgres):
        if postgres:
            _session_for_load(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        # On SQLite the row number is the table's own key (its rowid): the rows come in
        # their order, so staging appends, and every "ORDER BY row_number" below reads
        # the table as it lies instead of sorting it. Row numbers are unique (a file's
        # rows, a list's places); PostgreSQL keeps the plain column (COPY, no index).
        key = "NOT NULL" if postgres else "PRIMARY KEY"
        # On PostgreSQL each staged row takes its new value's id from the
        # measurements' own sequence as COPY writes it (in the file's order, so the
        # ids follow the rows as with one INSERT): the history entries then read their
        # value's id from the stage, with no join back to the new values.
        new_id = ""
        if postgres:
            new_id = f", new_id bigint NOT NULL DEFAULT nextval({_sequence(cursor)})"
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} (row_number integer {key}{new_id}, "
            "kpi_id bigint NOT NULL, period_start date NOT NULL, value double precision "
            "NOT NULL, note varchar(500) NOT NULL, approval varchar(10) NOT NULL DEFAULT "
            "'approved', "
            "approved_id bigint, approved_value double precision, approved_note text, "
            "pending_id bigint, pending_value double precision, pending_note text)"
        )
        # On a failure the transaction (or savepoint) is rolled back, the table with it.
        if postgres and checked and streamed:
            result = _write_streamed(cursor, batches, kpis, pending, recorder, now, progress)
        elif not postgres and checked and not pending:
            result = _write_rounds(cursor, batches, kpis, recorder, now, progress, exclusive)
        else:
            staged, chunk = _stage(
                cursor, batches, kpis, pending, postgres, progress, checked, exclusive
            )
            result = _write(cursor, staged, kpis, recorder, now, postgres, chunk)
        cursor.execute(f"DROP TABLE {STAGE}")
        return result


def _session_for_load(cursor: Any) -> None:
    """PostgreSQL, for the rest of the load's transaction only (``SET LOCAL``): more
    memory for sorting the history entries into the file's order (:data:`WORK_MEM`),
    so that less of it goes through temporary files."""
    cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")


def _actor(recorder: Any) -> Any:
    """Whom the history entries name: the recorder, else whoever runs the code now."""
    actor = recorder if recorder is not None else current_actor()
    return actor if getattr(actor, "is_authenticated", False) else None


@contextmanager
def _page_cache(cursor: Any, postgres: bool) -> Iterator[None]:
    """On SQLite, a larger page cache while loading (:data:`SQLITE_CACHE_KB`): the new
    rows go into every index of the measurements and of the history, in the order of
    the file; with SQLite's default 2 MB the same index pages are evicted and read again
    all the time. Set back afterwards (the connection lives on)."""
    if postgres:
        yield
        return
    cursor.execute("PRAGMA main.cache_size")
    before = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA main.cache_size = -{SQLITE_CACHE_KB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA main.cache_size = {int(before)}")


def _sequence(cursor: Any) -> str:
    """PostgreSQL: the measurements' id sequence, as a quoted literal for ``nextval``."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [_table(Measurement)])
    name = cursor.fetchone()[0]
    return "'" + str(name).replace("'", "''") + "'::regclass"


def _table(model: Any) -> str:
    """A model's table, quoted as Django quotes it."""
    return str(connection.ops.quote_name(model._meta.db_table))


class _Checker:
    """Each row's own checks, with measurement_rows_check's messages."""

    def __init__(self, kpis: Mapping[int, Kpi]) -> None:
        self.kpis = kpis
        self.starts: dict[tuple[str, dt.date], bool] = {}
        self.errors: list[RowError] = []
        self.largest = 0  # the largest batch met

    def period_ok(self, kpi: Kpi, day: dt.date) -> bool:
        key = (kpi.update_interval, day)
        ok = self.starts.get(key)
        if ok is None:
            if len(self.starts) > 100_000:
                self.starts.clear()  # bounded, whatever the file
            interval = et.Interval(kpi.update_interval)
            ok = self.starts[key] = periods.period_containing(day, interval).start == day
        return ok

    def check(self, row: int, kpi: Kpi, day: dt.date, value: Any, note: str) -> None:
        """Append the row's problems (the messages of measurement_rows_check)."""
        if kpi.is_calculated:
            self.errors.append(
                RowError(
                    row, "kpi", _("“%(name)s” is calculated from its formula.") % {"name": kpi.name}
                )
            )
            return
        if not self.period_ok(kpi, day):
            period = periods.period_containing(day, et.Interval(kpi.update_interval))
            interval = kpi.get_update_interval_display().lower()
            self.errors.append(
                RowError(
                    row,
                    "period_start",
                    _(
                        "%(day)s does not start a %(interval)s period of “%(name)s”; the period "
                        "containing it starts on %(start)s."
                    )
                    % {
                        "day": day.isoformat(),
                        "interval": interval,
                        "name": kpi.name,
                        "start": period.start.isoformat(),
                    },
                )
            )
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.errors.append(
                RowError(row, "value", _("“%(value)s” is not a number.") % {"value": value})
            )
        else:
            if not math.isfinite(number):
                self.errors.append(RowError(row, "value", _("The value must be a finite number.")))
        if len(note) > 500:
            self.errors.append(RowError(row, "note", _("A note can be at most 500 characters.")))


def _number(value: Any) -> float | None:
    """The value as a finite float, or None (the check says why)."""
    try:
        number = value if type(value) is float else float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _checked(
    batches: Iterable[Sequence[LoadRow]],
    kpis: Mapping[int, Kpi],
    checker: _Checker,
    text_dates: bool,
    progress: Callable[[int], None] | None,
) -> Iterator[list[tuple[Any, ...]]]:
    """The good rows of each batch as stage rows; the bad ones go to ``checker.errors``
    (once there is one, rows are only checked: nothing will be written)."""
    for batch in batches:
        checker.largest = max(checker.largest, len(batch))
        rows = []
        for row, kpi_id, given, value, note in batch:
            kpi = kpis[kpi_id]
            day = dt.date.fromisoformat(given) if isinstance(given, str) else given
            note = note.strip()
            number = _number(value)
            bad = number is None or kpi.is_calculated or len(note) > 500
            if bad or not checker.period_ok(kpi, day):
                checker.check(row, kpi, day, value, note)
            elif not checker.errors:
                period = day.isoformat() if text_dates else day
                rows.append((row, kpi_id, period, number, note))
        yield rows
        if progress is not None:
            progress(len(batch))


def _trusted(
    batches: Iterable[Sequence[LoadRow]],
    checker: _Checker,
    progress: Callable[[int], None] | None,
) -> Iterator[Sequence[LoadRow]]:
    """The batches as they are (checked by the caller), counted for the signals."""
    for batch in batches:
        checker.largest = max(checker.largest, len(batch))
        yield batch
        if progress is not None:
            progress(len(batch))


def _stage(
    cursor: Any,
    batches: Iterable[Sequence[LoadRow]],
    kpis: Mapping[int, Kpi],
    pending: set[int],
    postgres: bool,
    progress: Callable[[int], None] | None,
    trusted: bool = False,
    exclusive: Exclusive = nullcontext,
) -> tuple[int, int]:
    """Check each row on its own (unless ``trusted``: the caller did) and put it in the
    stage table; how many were staged, and how many values each signal may carry."""
    checker = _Checker(kpis)
    columns = "row_number, kpi_id, period_start, value, note"
    checked: Iterable[Sequence[Any]] = (
        _trusted(batches, checker, progress)
        if trusted
        else _checked(batches, kpis, checker, not postgres, progress)
    )
    count = 0
    if postgres:
        with cursor.cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
            for rows in checked:
                for values in rows:
                    copy.write_row(values)
                count += len(rows)
    else:
        insert = f"INSERT INTO {STAGE} ({columns}) VALUES (?, ?, ?, ?, ?)"
        for rows in checked:
            with exclusive():
                cursor.cursor.executemany(insert, rows)
            count += len(rows)
    if checker.errors:
        raise MeasurementRowsError(checker.errors[:MAX_ERRORS])
    if pending and count:  # whether a value waits for approval is decided per KPI
        marks = ", ".join(["%s"] * len(pending))
        cursor.execute(
            f"UPDATE {STAGE} SET approval = 'pending' WHERE kpi_id IN ({marks})", sorted(pending)
        )
    repeats = [] if trusted else _repeats(cursor, kpis)
    if repeats:
        raise MeasurementRowsError(repeats)
    return count, min(checker.largest, SIGNAL_CHUNK)


def _repeats(cursor: Any, kpis: Mapping[int, Kpi]) -> list[RowError]:
    """Rows giving a KPI and period that an earlier row gave already (one GROUP BY)."""
    cursor.execute(
        f"SELECT s.row_number, s.kpi_id, s.period_start, f.first FROM {STAGE} s JOIN "
        f"(SELECT kpi_id, period_start, MIN(row_number) AS first FROM {STAGE} "
        "GROUP BY kpi_id, period_start HAVING COUNT(*) > 1) f "
        "ON f.kpi_id = s.kpi_id AND f.period_start = s.period_start "
        f"WHERE s.row_number > f.first ORDER BY s.row_number LIMIT {MAX_ERRORS}"
    )
    errors = []
    for row, kpi_id, day, first in cursor.fetchall():
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
        errors.append(
            RowError(
                row,
                "period_start",
                _(
                    "Row %(row)s already gives “%(name)s” a value for %(day)s; "
                    "send one value per KPI and period."
                )
                % {"row": first, "name": kpis[kpi_id].name, "day": day.isoformat()},
            )
        )
    return errors


@dataclass
class _Written:
    """What a load has written so far, round by round: the last id before the load, how
    many values were inserted (new ones and corrections), corrected, left unchanged and
    left waiting for approval, the new values' tally and the KPIs written to."""

    last_id: int
    inserted: int = 0
    corrected: int = 0
    unchanged: int = 0
    waiting: int = 0
    tally: Tally = field(default_factory=dict)
    kpi_ids: set[int] = field(default_factory=set)

    def add(self, groups: Groups) -> None:
        """Count a round written straight (all new values, none waiting)."""
        self.kpi_ids.update(_tally(groups, self.tally)[0])
        self.inserted += sum(g.new for g in groups)

    def add_staged(self, groups: Groups, inserted: int, compared: tuple[int, int]) -> None:
        """Count a round written through the stage: its groups as written, how many
        rows were inserted, and (unchanged, corrected) from the comparison."""
        kpi_ids, waiting = _tally(groups, self.tally)
        self.kpi_ids.update(kpi_ids)
        self.waiting += waiting
        self.inserted += inserted
        self.unchanged += compared[0]
        self.corrected += compared[1]


def _write(
    cursor: Any,
    staged: int,
    kpis: Mapping[int, Kpi],
    recorder: Any,
    now: dt.datetime,
    postgres: bool,
    chunk: int,
    written: _Written | None = None,
) -> BulkRecordResult:
    """Compare the staged rows with the stored ones and write (see the module's steps);
    ``written``: what was written straight before (then counted and announced too)."""
    if written is None:
        if not staged:
            return BulkRecordResult(0, 0, 0)
        written = _Written(last_id=_last_id(cursor))
    if not staged:
        return _finish(written, kpis, recorder, now, chunk)
    at = connection.ops.adapt_datetimefield_value(now)
    groups = _group_stage(cursor)
    compared = _compare(cursor, at, groups, postgres)
    unchanged, corrected = compared or (0, 0)
    if compared is not None:  # rows were dropped or found to correct: count again
        groups = _group_stage(cursor)
    recorder_id = recorder.pk if recorder is not None else None
    waiting = sum(g.waiting for g in groups)
    if postgres:
        inserted = _insert_staged(cursor, recorder, at)
        if corrected or waiting:
            _history(cursor, recorder, at, True, staged_ids=True)
        written.add_staged(groups, inserted, (unchanged, corrected))
        return _finish(written, kpis, recorder, now, chunk)
    # Entries of their own (corrections, values waiting) find their values' ids by the
    # rows' order. Only new values, whose history is one entry per KPI, need no such
    # order: they go in by KPI and period, which the indexes on (KPI, period) take one
    # KPI after the other (a day-by-day file in its own order touches every KPI's leaf
    # pages in turn, day after day).
    order = "row_number" if corrected or waiting else "kpi_id, period_start"
    before = _last_id(cursor) if written.inserted else written.last_id
    inserted = _insert_from_stage(cursor, recorder_id, at, order)
    if corrected or waiting:  # entries of their own, naming each value's new id
        first_id, offset = _new_ids(cursor, inserted, before)
        _history(cursor, recorder, at, postgres, first_id, offset)
    written.add_staged(groups, inserted, (unchanged, corrected))
    return _finish(written, kpis, recorder, now, chunk)


def _new_ids(cursor: Any, inserted: int, last_id: int) -> tuple[int | None, int | None]:
    """SQLite, after the staged rows were inserted: how to find each one's new id without
    a join back — (the first new id, or None: join) and (the offset from a row number
    to its new id, or None: number the rows)."""
    m = _table(Measurement)
    first_id = None
    if inserted:
        # SQLite numbers the rows of one INSERT in the order they come, one after the
        # other, and nobody else writes meanwhile (the transaction holds the write
        # lock): the n-th staged row got the n-th new id. Checked, else the join.
        cursor.execute(f"SELECT MIN(id), MAX(id), COUNT(*) FROM {m} WHERE id > %s", [last_id])
        low, high, count = cursor.fetchone()
        if count == inserted and high - low + 1 == inserted:
            first_id = int(low)
    # When the staged row numbers follow each other without a gap (a file without
    # blank or unchanged rows: the common case), the n-th staged row is simply the
    # first row number + n - 1, and its new id is found by adding an offset: no
    # window function numbering (and sorting) the stage again.
    offset = None
    if first_id is not None:
        cursor.execute(f"SELECT MIN(row_number), MAX(row_number) FROM {STAGE}")
        low_row, high_row = cursor.fetchone()
        if high_row - low_row + 1 == inserted:
            offset = first_id - low_row
    return first_id, offset


class Group(NamedTuple):
    """What one pass over the stage found for one KPI (:func:`_group_stage`); periods
    as the database gives them back (SQLite: ISO text)."""

    kpi_id: int
    waiting: int  # values waiting for approval
    new: int  # new values (approved, correcting nothing)
    first_new: Any  # first and last period of the new values (None without any)
    last_new: Any
    first: Any  # first and last period of all the KPI's staged rows
    last: Any

    @classmethod
    def fresh(cls, kpi_id: int, count: int, first: Any, last: Any) -> Group:
        """A KPI's rows in a round that is all new values."""
        return cls(kpi_id, 0, count, first, last, first, last)


#: A stage's (or a round's) groups, by KPI id.
Groups = list[Group]
#: A staged row that is a new value: approved, and no current value to correct (before
#: the comparison no row has found one).
_NEW = "approval <> 'pending' AND approved_id IS NULL"


def _group_stage(cursor: Any) -> Groups:
    """One pass over the stage grouped by KPI: what :data:`Groups` holds. It serves the
    comparison (which KPIs and periods to look for), the history (the new values to sum
    up per KPI) and the signal (how many wait), instead of a pass each."""
    cursor.execute(
        f"SELECT kpi_id, SUM(CASE WHEN approval = 'pending' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {_NEW} THEN 1 ELSE 0 END), MIN(CASE WHEN {_NEW} THEN period_start END), "
        f"MAX(CASE WHEN {_NEW} THEN period_start END), MIN(period_start), MAX(period_start) "
        f"FROM {STAGE} GROUP BY kpi_id ORDER BY kpi_id"
    )
    return [
        Group(int(kpi_id), int(waits or 0), int(new or 0), first_new, last_new, first, last)
        for kpi_id, waits, new, first_new, last_new, first, last in cursor.fetchall()
    ]


def _stored_in_span(
    cursor: Any, groups: Groups, postgres: bool, kpis_from_stage: bool = True
) -> bool:
    """Whether any current value (approved or waiting) is stored for the KPIs of
    ``groups`` between their first and last period (one look-up in the index on KPI and
    period per KPI). If not, every row of theirs is a new value. ``kpis_from_stage``
    (SQLite): the query reads the KPIs from the stage, which holds exactly these rows,
    instead of being sent their ids (in chunks: SQLite limits a query's parameters)."""
    first = min(_day(g.first) for g in groups)
    last = max(_day(g.last) for g in groups)
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM {_table(Measurement)} WHERE superseded_at IS NULL "
        "AND period_start BETWEEN %s AND %s AND kpi_id {kpis})"
    )
    if postgres:  # the KPIs as one array
        cursor.execute(sql.format(kpis="= ANY(%s)"), [first, last, [g.kpi_id for g in groups]])
        return bool(cursor.fetchone()[0])
    if kpis_from_stage:
        cursor.execute(sql.format(kpis=f"IN (SELECT DISTINCT kpi_id FROM {STAGE})"), [first, last])
        return bool(cursor.fetchone()[0])
    ids = [g.kpi_id for g in groups]
    for start in range(0, len(ids), _SQLITE_IDS):  # SQLite limits a query's parameters
        chunk = ids[start : start + _SQLITE_IDS]
        cursor.execute(sql.format(kpis=f"IN ({', '.join(['%s'] * len(chunk))})"),
                       [first, last, *chunk])  # fmt: skip
        if cursor.fetchone()[0]:
            return True
    return False


#: SQLite: KPI ids per query at most (its limit on parameters is 32,766, or 999 in
#: builds older than 3.32).
_SQLITE_IDS = 900


def _compare(cursor: Any, at: Any, groups: Groups, postgres: bool) -> tuple[int, int] | None:
    """Compare the staged rows with the current stored values: drop the unchanged ones
    and supersede the values the others correct; (unchanged, corrected), or None when no
    current value exists for the staged KPIs in the staged periods (a fresh load: the
    stage is left as it was)."""
    if not groups:
        return None
    m = _table(Measurement)
    if not _stored_in_span(cursor, groups, postgres):
        return None
    for approval in ("approved", "pending"):
        cursor.execute(
            f"UPDATE {STAGE} SET {approval}_id = m.id, {approval}_value = m.value, "
            f"{approval}_note = m.note FROM {m} m WHERE m.kpi_id = {STAGE}.kpi_id "
            f"AND m.period_start = {STAGE}.period_start AND m.superseded_at IS NULL "
            f"AND m.approval = %s",
            [approval],
        )
    # The value a new one is compared with: the current one of its own kind, or for
    # a pending value without a pending one, the approved one (as measurement_record).
    cursor.execute(
        f"DELETE FROM {STAGE} WHERE CASE WHEN approval = 'pending' AND pending_id IS NOT "
        "NULL THEN pending_value = value AND pending_note = note ELSE approved_id IS NOT "
        "NULL AND approved_value = value AND approved_note = note END"
    )
    unchanged = cursor.rowcount
    cursor.execute(
        f"UPDATE {m} SET superseded_at = %s WHERE id IN (SELECT CASE WHEN approval = "
        f"'pending' THEN pending_id ELSE approved_id END FROM {STAGE})",
        [at],
    )
    return unchanged, cursor.rowcount


def _insert_staged(cursor: Any, recorder: Any, at: Any) -> int:
    """PostgreSQL: insert the staged rows as new values; how many. Each staged row holds
    its new id already (the stage's sequence default): the values go in with it, and the
    history entries read it from the stage — no join of a million returned rows back to
    the stage. The rows go in by KPI and period (their ids still follow the file): the
    two indexes on (KPI, period) then take each KPI's rows one after the other instead
    of one leaf page per KPI in turn for every day of a daily file (measured: 15 → 12 s
    for a million values; see docs/performance.md)."""
    m = _table(Measurement)
    recorder_id = recorder.pk if recorder is not None else None
    cursor.execute(
        f"INSERT INTO {m} (id, kpi_id, period_start, value, note, recorded_by_id, "
        "recorded_at, superseded_at, approval, decided_by_id, decided_at) SELECT new_id, "
        f"kpi_id, period_start, value, note, %s, %s, NULL, approval, NULL, NULL FROM {STAGE} "
        "ORDER BY kpi_id, period_start",
        [recorder_id, at],
    )
    return int(cursor.rowcount)


#: Per KPI, the new values a load recorded (approved, correcting nothing): [how many,
#: first period start, last period start]. The history gets one "imported" entry per
#: KPI from it (:func:`_imported_history`) instead of one entry per value.
Tally = dict[int, list[Any]]


def _tally(groups: Groups, tally: Tally) -> tuple[list[int], int]:
    """Add the new values of ``groups`` (the stage as written) to ``tally``; the staged
    KPIs' ids and how many staged values wait for approval."""
    kpi_ids, waiting = [], 0
    for kpi_id, waits, new, first, last, *_span in groups:
        kpi_ids.append(kpi_id)
        waiting += waits
        if not new:
            continue
        first, last = _day(first), _day(last)
        seen = tally.get(kpi_id)
        if seen is None:
            tally[kpi_id] = [new, first, last]
        else:
            seen[0] += new
            seen[1], seen[2] = min(seen[1], first), max(seen[2], last)
    return kpi_ids, waiting


def _day(value: Any) -> dt.date:
    """A period start as the database gives it back (SQLite: ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _imported_history(tally: Tally, kpis: Mapping[int, Kpi], recorder: Any, now: Any) -> None:
    """One "imported" history entry per KPI for the new values of the load: how many,
    from which period to which (the values themselves, with who recorded them and
    when, are the measurements). Corrections and values waiting for approval have
    their own entries (:func:`_history`)."""
    actor = _actor(recorder)
    entries = []
    for kpi_id in sorted(tally):
        count, first, last = tally[kpi_id]
        kpi = kpis[kpi_id]
        entries.append(
            Change(
                at=now,
                actor_id=actor.pk if actor else None,
                actor_name=person_label(actor) if actor else "",
                action=Change.Action.IMPORTED,
                kind="measurement",
                object_id=kpi_id,
                label=kpi.name[:300],
                before=None,
                after={
                    "values": count,
                    "period_start": first.isoformat(),
                    "last_period_start": last.isoformat(),
                },
                scorecard_id=kpi.scorecard_id,
                objective_id=kpi.objective_id,
                kpi_id=kpi_id,
            )
        )
    Change.objects.bulk_create(entries, batch_size=500)


def _write_streamed(
    cursor: Any,
    batches: Iterable[Sequence[LoadRow]],
    kpis: Mapping[int, Kpi],
    pending: set[int],
    recorder: Any,
    now: dt.datetime,
    progress: Callable[[int], None] | None,
) -> BulkRecordResult:
    """PostgreSQL, checked rows: stage, compare and write :data:`STREAM_ROWS` rows at a
    time as the batches come (``streamed`` of :func:`measurement_bulk_load`); then hold
    the KPIs, raise the data version and send the one signal, as :func:`_finish`."""
    at = connection.ops.adapt_datetimefield_value(now)
    recorder_id = recorder.pk if recorder is not None else None
    written = _Written(last_id=_last_id(cursor))
    columns = "row_number, kpi_id, period_start, value, note"
    marks = ", ".join(["%s"] * len(pending))
    largest = 0
    # A round copied straight in is sent in binary, in the columns' own types: read
    # once for the load.
    types = [] if pending else _column_types(cursor, Measurement, _COPIED)

    def stage_and_compare(rounds: list[Sequence[LoadRow]]) -> None:
        """A round through the stage: staged, compared, inserted, its history written."""
        cursor.execute(f"TRUNCATE {STAGE}")
        with cursor.cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
            for batch in rounds:
                for values in batch:
                    copy.write_row(values)
        if pending:
            cursor.execute(
                f"UPDATE {STAGE} SET approval = 'pending' WHERE kpi_id IN ({marks})",
                sorted(pending),
            )
        groups = _group_stage(cursor)
        compared = _compare(cursor, at, groups, True)
        if compared is not None:  # rows were dropped or found to correct: count again
            groups = _group_stage(cursor)
        inserted = _insert_staged(cursor, recorder, at)
        unchanged, corrected = compared or (0, 0)
        if corrected or any(g.waiting for g in groups):
            _history(cursor, recorder, at, True, staged_ids=True)
        written.add_staged(groups, inserted, (unchanged, corrected))

    # No value of this load waits for approval: each round is perhaps all new, and is
    # sorted (the next one while the server writes this one) to be copied straight in.
    ahead = _ReadAhead(_rounds(batches), sort=not pending)
    for current in ahead:
        largest = max(largest, _largest(current.batches))
        direct = not pending and _direct_round(
            cursor, current, recorder_id, now, types, meanwhile=ahead.fetch
        )
        if direct:
            written.add(current.groups)
        else:
            stage_and_compare(current.batches)
        if progress is not None:
            for batch in current.batches:
                progress(len(batch))
    return _finish(written, kpis, recorder, now, min(largest, SIGNAL_CHUNK))


class _Round(NamedTuple):
    """A round of checked rows as it came (``batches``) and, when it may be copied
    straight in, sorted by KPI and period (``rows``) with its :data:`Groups`."""

    batches: list[Sequence[LoadRow]]
    rows: list[LoadRow]
    groups: Groups

    @classmethod
    def of(cls, batches: list[Sequence[LoadRow]], sort: bool) -> _Round:
        if not sort:
            return cls(batches, [], [])
        rows = sorted(chain.from_iterable(batches), key=_KPI_AND_DAY)
        groups: Groups = []
        start = 0
        for kpi_id, same in groupby(rows, key=_KPI):
            count = sum(1 for _ in same)
            first, last = rows[start][2], rows[start + count - 1][2]
            groups.append(Group.fresh(kpi_id, count, first, last))
            start += count
        return cls(batches, rows, groups)


class _ReadAhead:
    """The rounds of a PostgreSQL load, each read (and sorted) one step ahead: while the
    server writes a round that was copied, the client reads and sorts the next one
    (:meth:`fetch`, called inside the ``COPY`` once every row is sent) instead of the
    server waiting for it afterwards (measured, a million rows: the server took ~4.5 s
    to write the copied rows, the client 0.8 s to sort them between copies). Holds at
    most two rounds. Whatever reading the next round raises (a file with problems, the
    checking thread's error) is raised where that round is taken, after the copy."""

    _EMPTY = object()

    def __init__(self, source: Iterator[list[Sequence[LoadRow]]], sort: bool) -> None:
        self._source = source
        self._sort = sort
        self._next: Any = self._EMPTY
        self._error: BaseException | None = None

    def fetch(self) -> None:
        """Read the next round now, unless it is read already (or failed)."""
        if self._next is not self._EMPTY or self._error is not None:
            return
        try:
            batches = next(self._source, None)
            self._next = None if batches is None else _Round.of(batches, self._sort)
        except BaseException as exc:  # raised when the round is taken (__iter__)
            self._error = exc

    def __iter__(self) -> Iterator[_Round]:
        while True:
            self.fetch()
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            current, self._next = self._next, self._EMPTY
            if current is None:
                return
            yield current


def _direct_round(
    cursor: Any,
    current: _Round,
    recorder_id: int | None,
    now: dt.datetime,
    types: list[int],
    meanwhile: Callable[[], None] = lambda: None,
) -> bool:
    """PostgreSQL, a round of checked rows of a load where no value waits for approval:
    if no current value is stored for its KPIs in its periods, every row is a new value,
    and the rows are copied straight into the measurements (``COPY``, which writes the
    table's pages many rows at a time), by KPI and period (``current.rows``), so that
    the indexes on (KPI, period) take each KPI's rows one after the other; their ids
    follow that order. Whether it was; False, with nothing written, when some value is
    stored there already (the round then goes through the stage, to be compared).
    ``types``: those of :data:`_COPIED` (:func:`_column_types`); ``meanwhile``: called
    once every row is sent, while the server is still writing them (:class:`_ReadAhead`).
    SQLite's way is :func:`_direct_from_stage`."""
    if not current.groups or _stored_in_span(cursor, current.groups, True):
        return False
    # Binary: the server stores the numbers, dates and times as they come instead of
    # parsing their text (measured, a million rows: 5.9–6.8 s against 8.4–8.8 s).
    copy_sql = f"COPY {_table(Measurement)} ({_COPIED}) FROM STDIN (FORMAT BINARY)"
    days: dict[Any, dt.date] = {}  # a file's rows share a period's text: parsed once
    with cursor.cursor.copy(copy_sql) as copy:
        copy.set_types(types)
        write = copy.write_row
        for _row, kpi_id, given, value, note in current.rows:
            day = days.get(given)
            if day is None:
                day = days[given] = _day(given)
            write((kpi_id, day, value, note, recorder_id, now, "approved"))
        meanwhile()
    return True


#: The columns a round copied straight in fills (the others keep their defaults: NULL).
_COPIED = "kpi_id, period_start, value, note, recorded_by_id, recorded_at, approval"


def _column_types(cursor: Any, model: Any, columns: str) -> list[int]:
    """PostgreSQL: the type of each of ``columns`` (comma-separated) in ``model``'s
    table, as the catalog has it, for a binary ``COPY`` (which must send each value in
    its column's own binary form: a person's id is ``integer`` or ``bigint`` as the
    user model says)."""
    names = [name.strip() for name in columns.split(",")]
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
        "AND attname = ANY(%s)",
        [_table(model), names],
    )
    found = dict(cursor.fetchall())
    return [int(found[name]) for name in names]


def _direct_from_stage(
    cursor: Any, recorder_id: int | None, at: Any, exclusive: Exclusive = nullcontext
) -> Groups | None:
    """SQLite's :func:`_direct_round`: the round is staged already, alone in the stage.
    If no current value is stored for its KPIs in its periods, its rows are moved into
    the measurements with one ``INSERT … SELECT`` by KPI and period (SQLite sorts them;
    the ids follow that order) and the stage is emptied; the round's :data:`Groups`.
    None, with nothing moved, when some value is stored there already (the round stays
    staged, to be compared).

    One statement per round, not one per row: the measurements' id is AUTOINCREMENT
    (Django's), whose counter SQLite reads and writes back once per statement; with an
    ``executemany`` straight into the measurements that was once per row (measured,
    a million rows: 9.1 s against 6.9 s through the stage).

    The caller's other threads keep still (``exclusive``) while the groups are read
    (row by row, each handing the interpreter lock back) and run during the ``INSERT``,
    one long step of SQLite's without the lock."""
    with exclusive():
        cursor.execute(
            f"SELECT kpi_id, COUNT(*), MIN(period_start), MAX(period_start) FROM {STAGE} "
            "GROUP BY kpi_id ORDER BY kpi_id"
        )
        groups: Groups = [
            Group.fresh(int(kpi_id), int(count), first, last)
            for kpi_id, count, first, last in cursor.fetchall()
        ]
        if not groups or _stored_in_span(cursor, groups, False, kpis_from_stage=False):
            return None
    _insert_from_stage(cursor, recorder_id, at, "kpi_id, period_start")
    cursor.execute(f"DELETE FROM {STAGE}")
    return groups


def _insert_from_stage(cursor: Any, recorder_id: int | None, at: Any, order: str) -> int:
    """SQLite: insert the staged rows as new values, in ``order`` (their ids follow
    it); how many."""
    cursor.execute(
        f"INSERT INTO {_table(Measurement)} (kpi_id, period_start, value, note, "
        "recorded_by_id, recorded_at, superseded_at, approval, decided_by_id, decided_at) "
        "SELECT kpi_id, period_start, value, note, %s, %s, NULL, approval, NULL, NULL "
        f"FROM {STAGE} ORDER BY {order}",
        [recorder_id, at],
    )
    return int(cursor.rowcount)


def _last_id(cursor: Any) -> int:
    """The measurements' largest id so far (0 when there are none)."""
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_table(Measurement)}")
    return int(cursor.fetchone()[0])


def _write_rounds(
    cursor: Any,
    batches: Iterable[Sequence[LoadRow]],
    kpis: Mapping[int, Kpi],
    recorder: Any,
    now: dt.datetime,
    progress: Callable[[int], None] | None,
    exclusive: Exclusive = nullcontext,
) -> BulkRecordResult:
    """SQLite, checked rows of a load where no value waits for approval: rounds of
    :data:`STREAM_ROWS` rows are staged one at a time; a round with nothing stored for
    its KPIs in its periods is moved from the stage into the measurements at once, by
    KPI and period (:func:`_direct_from_stage`), the indexes on (KPI, period) then
    taking each KPI's rows one after the other; from the first round that has a value
    stored in its span on, the rows stay staged and are compared as usual
    (:func:`_write`), so the stage holds the end of the file, in its order."""
    written = _Written(last_id=_last_id(cursor))
    recorder_id = recorder.pk if recorder is not None else None
    insert = (
        f"INSERT INTO {STAGE} (row_number, kpi_id, period_start, value, note) "
        "VALUES (?, ?, ?, ?, ?)"
    )
    at = connection.ops.adapt_datetimefield_value(now)
    staged = largest = 0
    for rounds in _rounds(batches):
        largest = max(largest, _largest(rounds))
        with exclusive():  # the interpreter lock is handed back at every row
            for batch in rounds:
                cursor.cursor.executemany(insert, batch)
        groups = None if staged else _direct_from_stage(cursor, recorder_id, at, exclusive)
        if groups is None:
            staged += sum(map(len, rounds))
        else:
            written.add(groups)
        if progress is not None:
            for batch in rounds:
                progress(len(batch))
    return _write(cursor, staged, kpis, recorder, now, False, min(largest, SIGNAL_CHUNK), written)


def _rounds(batches: Iterable[Sequence[LoadRow]]) -> Iterator[list[Sequence[LoadRow]]]:
    """The batches gathered into rounds of at least :data:`STREAM_ROWS` rows (the last
    one smaller), empty batches left out."""
    rows: list[Sequence[LoadRow]] = []
    count = 0
    for batch in batches:
        if not batch:
            continue
        rows.append(batch)
        count += len(batch)
        if count >= STREAM_ROWS:
            yield rows
            rows, count = [], 0
    if rows:
        yield rows


def _largest(rounds: list[Sequence[LoadRow]]) -> int:
    """The size of a round's largest batch (a signal chunk is at most that)."""
    return max(map(len, rounds))


#: Checked rows' sort key: KPI, then period start (ISO text sorts as the dates do).
_KPI_AND_DAY = itemgetter(1, 2)
_KPI = itemgetter(1)


def _finish(
    written: _Written, kpis: Mapping[int, Kpi], recorder: Any, now: dt.datetime, chunk: int
) -> BulkRecordResult:
    """Hold the new values' KPIs, write the "imported" history entries, raise the data
    version, send the one signal (values read back ``chunk`` at a time), and count."""
    if written.inserted:
        kpi_ids = sorted(written.kpi_ids)
        # A value's KPI is a plain id (kpis.integrity): hold the KPIs the new values
        # name, once for the load, instead of a key check per value at the commit.
        # Anywhere before the commit will do: a KPI deleted meanwhile is found gone.
        kpi_hold(kpi_ids)
        _imported_history(written.tally, kpis, recorder, now)
        data_version_bump(scorecards__kpis__id__in=kpi_ids)
        counts = (written.waiting, written.inserted)
        _announce(kpi_ids, kpis, recorder, now, written.last_id, chunk, counts)
    return BulkRecordResult(
        created=written.inserted - written.corrected,
        corrected=written.corrected,
        unchanged=written.unchanged,
    )


def _diff(obj: str, note: str, value: str) -> str:
    """A correction's side as _differences keeps it: the changed fields and the period."""
    period = "'period_start', s.period_start"
    note_changed, value_changed = "s.note <> s.approved_note", "s.value <> s.approved_value"
    return (
        f"CASE WHEN {note_changed} AND {value_changed} "
        f"THEN {obj}('note', {note}, {period}, 'value', {value}) "
        f"WHEN {note_changed} THEN {obj}('note', {note}, {period}) "
        f"ELSE {obj}({period}, 'value', {value}) END"
    )


def _history(
    cursor: Any,
    recorder: Any,
    at: Any,
    postgres: bool,
    first_id: int | None = None,
    offset: int | None = None,
    staged_ids: bool = False,
) -> None:
    """One history entry per correction and per value waiting for approval, as
    ``_value_change`` builds it: ``after`` the new value; for a correction,
    ``before``/``after`` only the fields that changed (and the period). A pending value
    equal to the approved one has no entry; nor has a new value (approved, correcting
    nothing): those are counted per KPI into one "imported" entry
    (:func:`_imported_history`). ``first_id``:
    the staged rows were given the ids from this one on, in their order (else each new
    value's id is looked up). ``offset``: moreover, each staged row's new id is its row
    number plus this. ``staged_ids``: each staged row holds its new id (``new_id``,
    PostgreSQL)."""
    m, c, k = _table(Measurement), _table(Change), _table(Kpi)
    obj = "jsonb_build_object" if postgres else "json_object"
    before = (
        "CASE WHEN s.approved_id IS NULL THEN NULL "
        f"ELSE {_diff(obj, 's.approved_note', 's.approved_value')} END"
    )
    after = (
        f"CASE WHEN s.approved_id IS NULL "
        f"THEN {obj}('period_start', s.period_start, 'value', s.value, 'note', s.note) "
        f"ELSE {_diff(obj, 's.note', 's.value')} END"
    )
    if staged_ids:
        new_id, new_row, source = "s.new_id", "", STAGE
    elif offset is not None:
        new_id, new_row, source = f"s.row_number + {int(offset)}", "", STAGE
    elif first_id is not None:
        new_id, new_row = "s.new_id", ""
        source = (
            f"(SELECT *, ROW_NUMBER() OVER (ORDER BY row_number) + {int(first_id) - 1} "
            f"AS new_id FROM {STAGE})"
        )
    else:
        new_id, source = "n.id", STAGE
        new_row = (
            f"JOIN {m} n ON n.kpi_id = s.kpi_id AND n.period_start = s.period_start "
            "AND n.approval = s.approval AND n.superseded_at IS NULL "
        )
    actor = _actor(recorder)
    cursor.execute(
        f"INSERT INTO {c} (at, actor_id, actor_name, action, kind, object_id, label, "
        "before, after, scorecard_id, objective_id, related_objective_id, kpi_id, initiative_id) "
        "SELECT %s, %s, %s, CASE WHEN s.approval = 'pending' THEN 'submitted' "
        "WHEN s.approved_id IS NOT NULL THEN 'corrected' ELSE 'recorded' END, "
        f"'measurement', {new_id}, SUBSTR(k.name, 1, 300), {before}, {after}, k.scorecard_id, "
        f"k.objective_id, NULL, k.id, NULL FROM {source} s {new_row}"
        f"JOIN {k} k ON k.id = s.kpi_id "
        "WHERE NOT (s.approved_id IS NOT NULL AND s.approved_value = s.value "
        "AND s.approved_note = s.note) AND (s.approval = 'pending' OR s.approved_id IS NOT NULL) "
        "ORDER BY s.row_number",
        [at, actor.pk if actor else None, person_label(actor) if actor else ""],
    )


def _announce(
    kpi_ids: list[int],
    kpis: Mapping[int, Kpi],
    recorder: Any,
    now: dt.datetime,
    last_id: int,
    size: int,
    counts: tuple[int, int],
) -> None:
    """Send ONE ``measurements_loaded`` for the whole load: receivers read the new values
    (``chunks``) only when they have something to do with them, so a load nobody
    watches builds no object per value (that was the slowest part of a million rows).
    ``counts``: (waiting, total) of the new values."""
    m = _table(Measurement)
    marks = ", ".join(["%s"] * len(kpi_ids))
    recorder_id = recorder.pk if recorder is not None else None
    at = connection.ops.adapt_datetimefield_value(now)
    where = (
        f"FROM {m} WHERE id > %s AND recorded_at = %s AND superseded_at IS NULL "
        f"AND kpi_id IN ({marks})"
    )
    waiting, total = counts

    def chunks(pending: bool) -> Iterator[list[Measurement]]:
        """The new values that count (or wait for approval), a chunk at a time, read
        with one streaming query (plain rows into positional constructors: the ORM's
        per-row work would be the slowest part)."""
        op = "=" if pending else "<>"
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                f"SELECT id, kpi_id, period_start, value, note, approval {where} "
                f"AND approval {op} 'pending' ORDER BY id",
                [last_id, at, *kpi_ids],
            )
            while rows := cursor.fetchmany(size):
                out: list[Measurement] = []
                for pk, kpi_id, day, value, note, approval in rows:
                    if type(day) is str:
                        day = dt.date.fromisoformat(day)
                    # The fields in their order: id, kpi, period_start, value, note,
                    # recorded_by, recorded_at, superseded_at, approval, decided_by, decided_at.
                    fields = (pk, kpi_id, day, value, note, recorder_id, now, None, approval)
                    x = Measurement(*fields)  # type: ignore[misc]  # positional: the fast path
                    x.kpi = kpis[kpi_id]
                    out.append(x)
                yield out

    measurements_loaded.send(
        sender=Measurement,
        kpi_ids=kpi_ids,
        recorded_at=now,
        user=recorder,
        recorded=total - waiting,
        pending=waiting,
        chunks=chunks,
    )
