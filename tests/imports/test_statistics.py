"""After a large committed load, PostgreSQL's planner statistics of the measurements and
the history are refreshed at once (``kpis.bulkload.statistics_refresh``): not for a
small load, not inside a caller's transaction, not for a dry run, not on SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from scorecard.imports.services import RowChecker, import_table, mapping_from_names
from scorecard.kpis import bulkload

from .conftest import HEADER, Card, write_csv

POSTGRES = connection.vendor == "postgresql"


def _analyzed_count() -> int:
    """How many times the measurements' table was analysed (PostgreSQL's statistics)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'kpis_measurement'"
        )
        return int(cursor.fetchone()[0])


def _import(card: Card, tmp_path: Path, months: int, *, dry_run: bool = False) -> list[str]:
    """Import ``months`` values of ``free``; the ANALYZE statements that ran."""
    rows = [("free", f"2025-{m:02d}-01", str(m), "") for m in range(1, months + 1)]
    path = write_csv(tmp_path / "values.csv", rows)
    user: Any = card.world.admin
    mapping = mapping_from_names(HEADER, {})
    checker = RowChecker(scorecard=card.world.scorecard, mapping=mapping, user=user, role="admin")
    with CaptureQueriesContext(connection) as queries:
        import_table(path=path, fmt="csv", checker=checker, user=user, dry_run=dry_run)
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]


@pytest.mark.django_db(transaction=True)
def test_a_large_committed_import_refreshes_the_statistics(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulkload, "ANALYZE_AFTER", 3)
    before = _analyzed_count() if POSTGRES else 0
    analyzed = _import(card, tmp_path, 3)
    if POSTGRES:
        assert analyzed == ['ANALYZE "kpis_measurement", "audit_change"']
        assert _analyzed_count() == before + 1
    else:
        assert analyzed == []


@pytest.mark.django_db(transaction=True)
def test_a_small_load_a_dry_run_or_a_callers_transaction_analyse_nothing(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulkload, "ANALYZE_AFTER", 3)
    assert _import(card, tmp_path, 2) == []  # fewer values than ANALYZE_AFTER
    assert _import(card, tmp_path, 5, dry_run=True) == []  # nothing was committed
    with transaction.atomic():  # the caller commits later: nothing to analyse yet
        assert _import(card, tmp_path, 6) == []
    assert not bulkload.statistics_refresh(written=2)
