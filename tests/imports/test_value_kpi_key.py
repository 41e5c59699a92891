"""A value names its KPI by a plain id (no database constraint: issue 16, the million-row
import on PostgreSQL), and nothing is lost: every writer of new values holds their KPIs
for its transaction (once, not per value), a KPI's deletion waits for a load holding
it and then deletes the load's values too, and a write for a KPI deleted meanwhile
stops and writes nothing (kpis.integrity)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from scorecard.imports.services import RowChecker, import_table, mapping_from_names
from scorecard.interchange.services import organization_data_delete
from scorecard.kpis import bulkload
from scorecard.kpis import services as kpi_services
from scorecard.kpis.integrity import KpiGone, kpi_hold
from scorecard.kpis.models import Kpi, Measurement
from scorecard.strategy import services as strategy

from .conftest import HEADER, Card, write_csv

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


def _holds(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if 'FROM "kpis_kpi" WHERE id IN' in q["sql"]]


def _import(card: Card, tmp_path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    path = write_csv(tmp_path / "values.csv", rows)
    mapping = mapping_from_names(HEADER, {})
    user = card.world.admin
    checker = RowChecker(scorecard=card.world.scorecard, mapping=mapping, user=user, role="admin")
    result = import_table(path=path, fmt="csv", checker=checker, user=user)
    assert result.written == len(rows)


def test_a_value_has_no_database_constraint_at_all() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "kpis_measurement")
    assert not [name for name, info in constraints.items() if info["foreign_key"]]


def test_an_import_holds_the_kpis_of_its_values_once(card: Card, tmp_path: Path) -> None:
    rows = [("free", f"2025-{m:02d}-01", str(m), "") for m in range(1, 13)]
    rows += [("sales", "2025-01-01", "5", "")]
    with CaptureQueriesContext(connection) as queries:
        _import(card, tmp_path, rows)
    holds = _holds(queries)
    assert len(holds) == 1  # one statement for the whole load, not one per value
    assert holds[0].endswith("FOR KEY SHARE") == POSTGRES
    assert Measurement.objects.filter(kpi=card.free).count() == 12


def test_every_writer_of_values_holds_their_kpi(card: Card) -> None:
    user = card.world.admin
    with CaptureQueriesContext(connection) as queries:
        kpi_services.measurement_record(
            kpi=card.free, period_start=dt.date(2025, 1, 1), value=1, user=user
        )
    assert len(_holds(queries)) == 1
    rows = [
        kpi_services.MeasurementRow(1, card.free, dt.date(2025, 2, 1), 2.0, ""),
        kpi_services.MeasurementRow(2, card.sales, dt.date(2025, 2, 1), 3.0, ""),
    ]
    with CaptureQueriesContext(connection) as queries:
        kpi_services.measurement_bulk_record(rows=rows, user=user)
    holds = _holds(queries)
    assert len(holds) == 1
    assert holds[0].endswith("FOR KEY SHARE") == POSTGRES


def test_a_write_for_a_kpi_deleted_meanwhile_stops(card: Card) -> None:
    """As the constraint made such a commit fail: a stale KPI object (a long request
    could hold one) gets no value, by any writer, and nothing is written."""
    gone = Kpi.objects.get(pk=card.free.pk)
    pk = gone.pk
    Kpi.objects.filter(pk=pk).delete()
    with pytest.raises(KpiGone):
        kpi_hold([pk])
    gone.pk = pk
    user = card.world.admin
    with pytest.raises(KpiGone):
        bulkload.measurement_bulk_load(
            batches=[[(2, pk, "2025-01-01", 1.0, "")]], kpis={pk: gone}, user=user
        )
    with pytest.raises(KpiGone):
        kpi_services.measurement_record(
            kpi=gone, period_start=dt.date(2025, 1, 1), value=1, user=user
        )
    with pytest.raises(KpiGone):
        kpi_services.measurement_bulk_record(
            rows=[kpi_services.MeasurementRow(1, gone, dt.date(2025, 1, 1), 1.0, "")], user=user
        )
    assert not Measurement.objects.filter(kpi_id=pk).exists()
    kpi_hold([])  # nothing: nothing to hold


def test_deleting_a_kpi_deletes_its_values(card: Card, tmp_path: Path) -> None:
    _import(card, tmp_path, [("free", "2025-01-01", "10", ""), ("free", "2025-02-01", "20", "")])
    _import(card, tmp_path, [("free", "2025-02-01", "25", "recount")])  # one superseded
    pk = card.free.pk
    assert Measurement.objects.filter(kpi_id=pk).count() == 3
    with CaptureQueriesContext(connection) as queries:
        kpi_services.kpi_delete(kpi=card.free)
    assert not Measurement.objects.filter(kpi_id=pk).exists()
    if POSTGRES:  # the KPI is locked before anything is deleted
        sql = [q["sql"] for q in queries.captured_queries]
        lock = next(i for i, s in enumerate(sql) if "FOR UPDATE" in s)
        values = 'DELETE FROM "kpis_measurement"'
        deleted = next(i for i, s in enumerate(sql) if s.startswith(values))
        assert lock < deleted


@pytest.mark.skipif(not POSTGRES, reason="SQLite serializes writers with its write lock")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("what", ["KPI", "scorecard"])
def test_a_deletion_waits_for_a_load_and_deletes_its_values(card: Card, what: str) -> None:
    """A load holds its KPIs until it commits; a deletion of one of them (or of their
    whole scorecard) meanwhile waits and then deletes the load's values as well: no
    value is left without its KPI."""
    kpi, user = card.free, card.world.admin
    loaded, errors = threading.Event(), []

    def load() -> None:
        try:
            with transaction.atomic():
                rows = [(n, kpi.pk, f"2025-{n:02d}-01", float(n), "") for n in range(1, 13)]
                bulkload.measurement_bulk_load(batches=[rows], kpis={kpi.pk: kpi}, user=user)
                loaded.set()
                time.sleep(0.5)  # the deletion starts meanwhile, and must wait
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
            loaded.set()
        finally:
            connection.close()

    delete = {
        "KPI": lambda: Kpi.objects.get(pk=kpi.pk).delete(),
        "scorecard": lambda: strategy.scorecard_delete(scorecard=card.world.scorecard),
    }[what]
    thread = threading.Thread(target=load)
    thread.start()
    assert loaded.wait(10)
    start = time.perf_counter()
    delete()
    waited = time.perf_counter() - start
    thread.join(10)
    assert not errors
    assert waited > 0.2  # it waited for the load's commit
    assert not Measurement.objects.filter(kpi_id=kpi.pk).exists()


def _kpi_locks(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "kpis_kpi"' in q["sql"] and "FOR UPDATE" in q["sql"]
    ]


@pytest.mark.skipif(not POSTGRES, reason="SQLite's deleting transaction holds the write lock")
@pytest.mark.parametrize("what", ["scorecard", "objective", "organization's data", "KPIs"])
def test_a_deletion_locks_all_its_kpis_at_once_in_the_order_of_their_ids(
    card: Card, tmp_path: Path, what: str
) -> None:
    """A deletion that takes many KPIs locks them with one statement, by id: the order a
    load holds them in, so the two never wait for each other crosswise (a deadlock), and
    not one query per KPI."""
    _import(card, tmp_path, [("free", "2025-01-01", "10", ""), ("sales", "2025-01-01", "5", "")])
    kpis = list(Kpi.objects.filter(scorecard=card.world.scorecard).values_list("pk", flat=True))
    assert len(kpis) == 4
    delete = {  # as the product's services delete them
        "scorecard": lambda: strategy.scorecard_delete(scorecard=card.world.scorecard),
        "objective": lambda: strategy.objective_delete(objective=card.free.objective),
        "organization's data": lambda: organization_data_delete(card.world.organization),
        "KPIs": lambda: Kpi.objects.filter(pk__in=kpis).delete(),
    }[what]
    with CaptureQueriesContext(connection) as queries:
        delete()
    locks = _kpi_locks(queries)
    assert len(locks) == 1, locks
    assert "ORDER BY" in locks[0] and locks[0].endswith('FOR UPDATE OF "kpis_kpi"')
    assert not Kpi.objects.filter(pk__in=kpis).exists()
    assert not Measurement.objects.filter(kpi_id__in=kpis).exists()


@pytest.mark.skipif(not POSTGRES, reason="SQLite's deleting transaction holds the write lock")
def test_a_deletion_tried_again_after_a_failure_locks_its_kpis_again(card: Card) -> None:
    from django.db.models.signals import pre_delete

    from scorecard.strategy.models import Objective

    def fail(sender: Any, **kwargs: Any) -> None:  # after the KPIs' pre_delete
        raise RuntimeError("the disk is full")

    objectives = Objective.objects.filter(scorecard=card.world.scorecard)
    pre_delete.connect(fail, sender=Objective, dispatch_uid="test-fail")
    try:
        # (its own savepoint: the test's transaction goes on after the failure)
        with (
            pytest.raises(RuntimeError),
            CaptureQueriesContext(connection) as queries,
            transaction.atomic(),
        ):
            objectives.delete()
    finally:
        pre_delete.disconnect(dispatch_uid="test-fail", sender=Objective)
    assert len(_kpi_locks(queries)) == 1
    assert Kpi.objects.filter(objective__in=objectives).count() == 4  # nothing was deleted
    with CaptureQueriesContext(connection) as queries:
        objectives.delete()  # the same query object, in a new transaction
    assert len(_kpi_locks(queries)) == 1  # locked again, not taken as locked already
    assert not Kpi.objects.filter(scorecard=card.world.scorecard).exists()
