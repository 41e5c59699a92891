"""The importer checks a CSV file in a thread while the rows already checked are
written, round by round, in one transaction (imports.services._Feed, kpis.bulkload
``streamed``). Nothing a person sees changes: the same rows and history, the same
messages in the caller's language, all or nothing, progress reported in the caller's
thread. On SQLite a workbook is still read before the write transaction begins, and the
checking thread keeps still while the writer has its turn (imports.turns)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from scorecard.audit.models import Change
from scorecard.imports import services
from scorecard.imports.services import (
    ImportFailed,
    RowChecker,
    check_table,
    import_table,
    mapping_from_names,
)
from scorecard.kpis import bulkload
from scorecard.kpis.models import Measurement

from .conftest import HEADER, Card, write_csv, write_xlsx

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def small_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rounds of three rows, so that a small file is written in several."""
    monkeypatch.setattr(bulkload, "STREAM_ROWS", 3)


def _checker(card: Card) -> RowChecker:
    mapping = mapping_from_names(HEADER, {})
    return RowChecker(scorecard=card.world.scorecard, mapping=mapping, user=None, role="admin")


def _run(card: Card, path: Path, **kwargs: Any) -> services.ImportResult:
    return import_table(path=path, fmt="csv", checker=_checker(card), user=card.world.admin,
                        batch_size=2, **kwargs)  # fmt: skip


def test_rounds_store_the_rows_and_history_in_the_files_order(card: Card, tmp_path: Path) -> None:
    first = [["free", f"2025-{m:02d}-01", str(m), ""] for m in range(1, 6)]
    result = _run(card, write_csv(tmp_path / "a.csv", first))
    assert (result.rows, result.created, result.corrected, result.unchanged) == (5, 5, 0, 0)
    # Corrections, unchanged rows and new ones mixed, over several rounds.
    again = [
        ["free", "2025-01-01", "1", ""],  # unchanged
        ["free", "2025-02-01", "20", ""],  # corrected
        ["sales", "2025-01-01", "7", ""],  # new
        ["free", "2025-03-01", "3", "a note"],  # corrected (the note)
        ["free", "2025-04-01", "4", ""],  # unchanged
        ["sales", "2025-02-01", "8", ""],  # new
        ["free", "2025-06-01", "6", ""],  # new
    ]
    result = _run(card, write_csv(tmp_path / "b.csv", again))
    assert (result.rows, result.created, result.corrected, result.unchanged) == (7, 3, 2, 2)
    current = Measurement.objects.filter(superseded_at__isnull=True).order_by("id")
    new = list(current.values_list("kpi__code", "period_start", "value"))[-5:]
    assert new == [
        ("free", dt.date(2025, 2, 1), 20.0),
        ("sales", dt.date(2025, 1, 1), 7.0),
        ("free", dt.date(2025, 3, 1), 3.0),
        ("sales", dt.date(2025, 2, 1), 8.0),
        ("free", dt.date(2025, 6, 1), 6.0),
    ]
    # The first file's five new values: one entry; then the second's corrections, one
    # each in the file's order, and one entry per KPI for its new values, summed up
    # over all the rounds.
    entries = list(Change.objects.filter(kind="measurement").order_by("id"))
    assert [e.action for e in entries] == ["imported", "corrected", "corrected", "imported",
                                           "imported"]  # fmt: skip
    assert entries[0].after == {"values": 5, "period_start": "2025-01-01",
                                "last_period_start": "2025-05-01"}  # fmt: skip
    assert entries[1].before == {"period_start": "2025-02-01", "value": 2.0}
    corrected = list(current.filter(period_start__in=["2025-02-01", "2025-03-01"], kpi=card.free))
    assert [e.object_id for e in entries[1:3]] == [m.pk for m in corrected]
    assert sorted((e.label, e.object_id, e.after["values"], e.after["period_start"],
                   e.after["last_period_start"]) for e in entries[3:]) == sorted([
        (card.free.name, card.free.pk, 1, "2025-06-01", "2025-06-01"),
        (card.sales.name, card.sales.pk, 2, "2025-01-01", "2025-02-01"),
    ])  # fmt: skip


def test_a_problem_after_several_rounds_writes_nothing(card: Card, tmp_path: Path) -> None:
    rows = [["free", f"2025-{m:02d}-01", str(m), ""] for m in range(1, 11)]
    rows.append(["free", "2025-12-01", "many", ""])
    path = write_csv(tmp_path / "v.csv", rows)
    threads = threading.active_count()
    with pytest.raises(ImportFailed) as info:
        _run(card, path)
    expected = check_table(path=path, fmt="csv", checker=_checker(card))
    assert [str(e) for e in info.value.report.errors] == [str(e) for e in expected.errors]
    assert info.value.report.rows == 11
    assert not Measurement.objects.exists()
    assert not Change.objects.filter(kind="measurement").exists()
    assert threading.active_count() == threads  # the checking thread has ended


def test_messages_are_in_the_callers_language(card: Card, tmp_path: Path) -> None:
    rows = [["free", "2025-01-01", "1", ""], ["nope", "2025-02-01", "x", ""]]
    path = write_csv(tmp_path / "v.csv", rows)
    with translation.override("fr"):
        expected = check_table(path=path, fmt="csv", checker=_checker(card)).errors
        with pytest.raises(ImportFailed) as info:
            _run(card, path)
        assert [str(e) for e in info.value.report.errors] == [str(e) for e in expected]
        assert "nope" in str(expected[0]) and "Ligne" in str(expected[0])


def test_progress_is_reported_in_the_callers_thread(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "PROGRESS_STEP", 2)
    rows = [["free", f"2025-{m:02d}-01", str(m), ""] for m in range(1, 10)]
    seen: list[tuple[str, int, int]] = []

    def called(kind: str) -> Any:
        return lambda n: seen.append((kind, n, threading.get_ident()))

    result = _run(card, write_csv(tmp_path / "v.csv", rows), check_progress=called("check"),
                  write_progress=called("write"))  # fmt: skip
    assert result.created == 9
    assert {ident for _k, _n, ident in seen} == {threading.get_ident()}
    assert sum(n for k, n, _i in seen if k == "check") == 9
    assert sum(n for k, n, _i in seen if k == "write") == 9


def test_a_dry_run_counts_and_keeps_nothing(card: Card, tmp_path: Path) -> None:
    rows = [["free", f"2025-{m:02d}-01", str(m), ""] for m in range(1, 8)]
    result = _run(card, write_csv(tmp_path / "v.csv", rows), dry_run=True)
    assert (result.rows, result.created, result.dry_run) == (7, 7, True)
    assert not Measurement.objects.exists()


def test_the_file_is_checked_in_a_thread_while_the_rows_are_written(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [["free", f"2025-{m:02d}-01", str(m), ""] for m in range(1, 10)]
    path = write_csv(tmp_path / "v.csv", rows)
    reading: set[int] = set()
    writing: list[int] = []
    iter_rows, bulk = services.tabular.iter_rows, services.measurement_bulk_load

    def read(*args: Any, **kwargs: Any) -> Any:
        for row in iter_rows(*args, **kwargs):
            reading.add(threading.get_ident())
            yield row

    def write(*, batches: Any, **kwargs: Any) -> Any:
        assert kwargs["streamed"] and kwargs["checked"]

        def watched() -> Any:
            for batch in batches:
                writing.append(len(connection.atomic_blocks))
                yield batch

        return bulk(batches=watched(), **kwargs)

    monkeypatch.setattr(services.tabular, "iter_rows", read)
    monkeypatch.setattr(services, "measurement_bulk_load", write)
    assert _run(card, path).created == 9
    assert reading and threading.get_ident() not in reading
    assert writing == [writing[0]] * 5 and writing[0] >= 1  # in the transaction


@pytest.mark.parametrize("straight", [True, False])
def test_fresh_rounds_are_copied_straight_and_the_others_compared(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, straight: bool
) -> None:
    """A round whose KPIs have no current value in its periods is all new values: it is
    copied into the measurements directly, by KPI and period; a round with a stored value
    in its span goes through the stage and is compared. Whichever way each round goes,
    the stored values, counts and history are the same (``straight=False``: every round
    through the stage, as before). On SQLite, where the file is read before the write,
    every round after the first one compared is staged too (the stage then holds the
    end of the file in its order)."""
    _run(card, write_csv(tmp_path / "a.csv", [["free", "2025-03-01", "3", ""]]))
    rounds: list[bool] = []
    # PostgreSQL copies a round straight in; SQLite stages it, then moves it.
    name = "_direct_round" if POSTGRES else "_direct_from_stage"
    direct = getattr(bulkload, name)

    def watched(*args: Any, **kwargs: Any) -> Any:
        # PostgreSQL's says whether it copied the round, SQLite's gives its groups.
        done = direct(*args, **kwargs) if straight else None
        rounds.append(bool(done))
        return done

    monkeypatch.setattr(bulkload, name, watched)
    # Batches of two rows, rounds of at least three: four rows, four, then two.
    rows = [
        ["free", "2025-01-01", "1", ""],  # round 1: nothing stored in Jan-Feb: straight
        ["sales", "2025-01-01", "10", "first"],
        ["free", "2025-02-01", "2", ""],
        ["sales", "2025-02-01", "20", ""],
        ["free", "2025-03-01", "30", "recount"],  # round 2: March is stored: compared
        ["sales", "2025-03-01", "30", ""],
        ["free", "2025-04-01", "4", ""],
        ["sales", "2025-04-01", "40", ""],
        ["sales", "2025-05-01", "50", ""],  # round 3: straight
        ["free", "2025-05-01", "5", ""],
    ]
    result = _run(card, write_csv(tmp_path / "b.csv", rows))
    if POSTGRES:
        assert rounds == ([True, False, True] if straight else [False] * 3)
    else:
        assert rounds == ([True, False] if straight else [False])
    assert (result.created, result.corrected, result.unchanged) == (9, 1, 0)
    current = Measurement.objects.filter(superseded_at__isnull=True)
    assert sorted(current.values_list("kpi__code", "period_start", "value", "note",
                                      "recorded_by_id", "approval")) == sorted([
        ("free", dt.date(2025, m, 1), float(v), n, card.world.admin.pk, "approved")
        for m, v, n in [(1, 1, ""), (2, 2, ""), (3, 30, "recount"), (4, 4, ""), (5, 5, "")]
    ] + [
        ("sales", dt.date(2025, m, 1), float(v), n, card.world.admin.pk, "approved")
        for m, v, n in [(1, 10, "first"), (2, 20, ""), (3, 30, ""), (4, 40, ""), (5, 50, "")]
    ])  # fmt: skip
    assert Measurement.objects.filter(superseded_at__isnull=False).count() == 1
    entries = Change.objects.filter(kind="measurement").order_by("id")
    assert [(e.action, e.label, e.after) for e in entries[1:]] == [
        ("corrected", card.free.name,
         {"period_start": "2025-03-01", "value": 30.0, "note": "recount"}),
        *sorted([
            ("imported", card.free.name,
             {"values": 4, "period_start": "2025-01-01", "last_period_start": "2025-05-01"}),
            ("imported", card.sales.name,
             {"values": 5, "period_start": "2025-01-01", "last_period_start": "2025-05-01"}),
        ], key=lambda e: {card.free.name: card.free.pk, card.sales.name: card.sales.pk}[e[1]]),
    ]  # fmt: skip


@pytest.mark.skipif(not POSTGRES, reason="SQLite moves a round with one INSERT … SELECT")
def test_the_next_round_is_read_while_the_server_writes_a_copied_one(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: each round after the first is read and sorted while the ``COPY`` of the
    one before is still running on the server (bulkload._ReadAhead), not after it."""
    from psycopg import pq

    during_copy: list[bool] = []
    fetch = bulkload._ReadAhead.fetch

    def watched(self: Any) -> None:
        if self._next is self._EMPTY:  # a round is read now
            status = connection.connection.pgconn.transaction_status
            during_copy.append(status == pq.TransactionStatus.ACTIVE)
        fetch(self)

    monkeypatch.setattr(bulkload._ReadAhead, "fetch", watched)
    # Batches of two rows, rounds of at least three: four rows, four, then two.
    rows = [["free", f"2025-{m:02d}-01", str(m), ""] for m in range(1, 11)]
    result = _run(card, write_csv(tmp_path / "a.csv", rows))
    assert (result.created, result.corrected, result.unchanged) == (10, 0, 0)
    # The first round before any copy; the second, the third and the end of the file
    # each while the round before was being copied.
    assert during_copy == [False, True, True, True]
    assert list(Measurement.objects.order_by("period_start").values_list("value", flat=True)) == [
        float(m) for m in range(1, 11)
    ]


@pytest.mark.skipif(POSTGRES, reason="PostgreSQL's writer does not hand the lock back per row")
def test_the_checking_thread_keeps_still_while_the_writer_has_its_turn(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's executemany hands Python's lock back at every row: while the writer
    has its turn the checking thread stops at its next progress step (here every row)
    and checks nothing until the turn is over."""
    monkeypatch.setattr(services, "PROGRESS_STEP", 1)
    monkeypatch.setattr(services._Feed, "WAITING", 1_000)  # never waits for the writer
    rows = [[code, f"{2000 + y}-{m:02d}-01", str(m), ""]
            for y in range(5) for m in range(1, 13) for code in ("free", "sales")]  # fmt: skip
    checked = [0]
    quick = RowChecker.quick_spooled

    def counted(self: RowChecker, number: int, cells: Any) -> Any:
        checked[0] += 1
        time.sleep(0.001)  # a slow reader: the writer's turns come while it reads
        return quick(self, number, cells)

    turns: list[tuple[int, int]] = []
    turn = services.Turns.writer_turn

    @contextmanager
    def watched(self: services.Turns) -> Iterator[None]:
        with turn(self):
            before = checked[0]
            time.sleep(0.02)  # long enough for the thread to check many rows
            turns.append((before, checked[0]))
            yield

    monkeypatch.setattr(RowChecker, "quick_spooled", counted)
    monkeypatch.setattr(services.Turns, "writer_turn", watched)
    assert _run(card, write_csv(tmp_path / "v.csv", rows)).created == len(rows)
    assert turns and all(before == after for before, after in turns)
    assert any(before < len(rows) for before, _after in turns)  # some came mid-file


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_workbook_on_sqlite_is_read_before_the_write_begins(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """SQLite has one write lock, and a workbook is read more slowly than its rows are
    written: there it is read first (two passes); a CSV file, or any file on
    PostgreSQL, is checked while it is written."""
    rows = [["free", f"2025-{m:02d}-01", str(m), ""] for m in range(1, 8)]
    write = write_csv if fmt == "csv" else write_xlsx
    path = write(tmp_path / f"v.{fmt}", rows)
    streamed: list[bool] = []
    stream = services._import_streamed

    def watched(**kwargs: Any) -> Any:
        result = stream(**kwargs)
        streamed.append(result is not None)
        return result

    monkeypatch.setattr(services, "_import_streamed", watched)
    result = import_table(path=path, fmt=fmt, checker=_checker(card), user=card.world.admin,
                          batch_size=2)  # fmt: skip
    assert result.created == 7
    assert streamed == ([True] if POSTGRES or fmt == "csv" else [])
    assert Measurement.objects.filter(kpi=card.free).count() == 7


def test_an_import_by_nobody_in_particular_stores_no_recorder(card: Card, tmp_path: Path) -> None:
    """``scorecard import`` without ``--user``: the rounds written straight (on
    PostgreSQL a binary COPY, where a missing person is a NULL of the column's type)
    store the values with no recorder, and the dates and numbers as given."""
    rows = [["free", f"2025-{m:02d}-01", f"{m}.25", "x" * m] for m in range(1, 8)]
    path = write_csv(tmp_path / "v.csv", rows)
    result = import_table(path=path, fmt="csv", checker=_checker(card), user=None, batch_size=2)
    assert result.created == 7
    stored = Measurement.objects.filter(kpi=card.free).order_by("period_start")
    assert [(m.period_start, m.value, m.note, m.recorded_by_id) for m in stored] == [
        (dt.date(2025, m, 1), m + 0.25, "x" * m, None) for m in range(1, 8)
    ]
