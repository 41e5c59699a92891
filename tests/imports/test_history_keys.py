"""The history entries an import writes name their actor by a plain id (no database
constraint: issue 16, the million-row import on PostgreSQL), and nothing a person
sees changes: the KPI history page shows imported values and corrections with who
imported them, deleting that person empties the id and keeps the name, a load by a
person deleted meanwhile stops, and the objective history still finds its entries
through its (now partial) index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scorecard.audit.integrity import PersonGone, person_hold
from scorecard.audit.models import Change
from scorecard.history import selectors as history
from scorecard.imports.services import RowChecker, import_table, mapping_from_names
from scorecard.kpis import bulkload
from scorecard.kpis import services as kpi_services
from scorecard.kpis.models import Measurement
from scorecard.strategy import services as strategy_services

from .conftest import HEADER, Card, write_csv

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


def _import(card: Card, tmp_path: Path, rows: list[tuple[str, str, str, str]], user: Any) -> None:
    path = write_csv(tmp_path / "values.csv", rows)
    mapping = mapping_from_names(HEADER, {})
    checker = RowChecker(scorecard=card.world.scorecard, mapping=mapping, user=user, role="admin")
    result = import_table(path=path, fmt="csv", checker=checker, user=user)
    assert result.written == len(rows)


def _foreign_keys(table: str) -> dict[str, str]:
    """The table's foreign-key constraints: column → the table it points at."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        info["columns"][0]: info["foreign_key"][0]
        for info in constraints.values()
        if info["foreign_key"]
    }


def _kpi_history(card: Card, code: str) -> str:
    url = reverse("kpi_history", args=["northwind", "company", code])
    response = card.world.client_for("admin").get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_rows_an_import_writes_check_no_key_per_row() -> None:
    """Recorder, decider and actor are plain ids (audit.integrity), and so is a value's
    KPI (kpis.integrity, tests/imports/test_value_kpi_key.py)."""
    assert "actor_id" not in _foreign_keys(Change._meta.db_table)
    assert _foreign_keys(Measurement._meta.db_table) == {}


def test_imported_values_and_corrections_are_on_the_kpi_history_page(
    card: Card, tmp_path: Path
) -> None:
    importer = card.world.admin
    _import(card, tmp_path, [("free", "2025-01-01", "10", ""), ("free", "2025-02-01", "20", "")],
            importer)  # fmt: skip
    _import(card, tmp_path, [("free", "2025-02-01", "25", "recount")], importer)
    entries = list(Change.objects.filter(kind="measurement", kpi_id=card.free.pk).order_by("id"))
    # The two new values of the first file in one entry; the correction in its own.
    assert [(c.action, c.actor_id, c.actor_name) for c in entries] == [
        ("imported", importer.pk, entries[0].actor_name),
        ("corrected", importer.pk, entries[0].actor_name),
    ]
    assert entries[0].actor_name
    assert entries[0].after == {"values": 2, "period_start": "2025-01-01",
                                "last_period_start": "2025-02-01"}  # fmt: skip
    assert entries[1].before == {"note": "", "period_start": "2025-02-01", "value": 20.0}
    # The corrected value is kept, superseded.
    feb = Measurement.objects.filter(kpi=card.free, period_start=dt.date(2025, 2, 1))
    assert sorted((m.value, m.superseded_at is None) for m in feb) == [(20, False), (25, True)]
    page = _kpi_history(card, "free")
    assert page.count(entries[0].actor_name) >= 2
    assert "corrected the value of" in page and "imported the values of" in page
    assert "Jan 2025 to Feb 2025" in page


@pytest.mark.django_db(transaction=True)
def test_deleting_the_importer_empties_the_ids_and_keeps_the_name(
    card: Card, tmp_path: Path
) -> None:
    importer = card.world.editor
    name = importer.get_full_name()
    _import(card, tmp_path, [("free", "2025-01-01", "10", "")], importer)
    value = Measurement.objects.get(kpi=card.free)
    Measurement.objects.filter(pk=value.pk).update(decided_by=importer)
    with CaptureQueriesContext(connection) as queries:
        importer.delete()
    sql = [q["sql"] for q in queries.captured_queries]
    if POSTGRES:  # the deletion waits for loads holding the person, then empties the ids
        lock = next(i for i, s in enumerate(sql) if s.endswith("FOR UPDATE"))
        emptied = next(i for i, s in enumerate(sql) if s.startswith('UPDATE "audit_change"'))
        assert lock < emptied
    entry = Change.objects.get(kind="measurement", kpi_id=card.free.pk)
    assert (entry.actor_id, entry.actor_name) == (None, name)
    value.refresh_from_db()
    assert (value.recorded_by_id, value.decided_by_id) == (None, None)
    assert name in _kpi_history(card, "free")


def test_a_write_by_a_person_deleted_meanwhile_stops(card: Card) -> None:
    """As the constraints made such a commit fail: the load, a single value and a
    history entry by a person whose account is gone raise, and nothing is written."""
    gone = get_user_model().objects.create(username="gone")
    pk = gone.pk
    gone.delete()
    with pytest.raises(PersonGone):
        person_hold(pk)
    gone.pk = pk  # a stale object, as a long request could hold
    rows = [(2, card.free.pk, "2025-01-01", 1.0, "")]
    with pytest.raises(PersonGone):
        bulkload.measurement_bulk_load(batches=[rows], kpis={card.free.pk: card.free}, user=gone)
    with pytest.raises(PersonGone):
        kpi_services.measurement_record(
            kpi=card.free, period_start=dt.date(2025, 1, 1), value=1, user=gone
        )
    assert not Measurement.objects.filter(kpi=card.free).exists()
    person_hold(None)  # nobody: nothing to hold


def test_every_history_writer_holds_its_person(card: Card) -> None:
    with CaptureQueriesContext(connection) as queries:
        kpi_services.measurement_record(
            kpi=card.free, period_start=dt.date(2025, 1, 1), value=1, user=card.world.admin
        )
    holds = [q["sql"] for q in queries.captured_queries if 'FROM "auth_user" WHERE id' in q["sql"]]
    assert len(holds) == 1
    assert holds[0].endswith("FOR KEY SHARE") == POSTGRES


def test_the_objective_history_reads_its_partial_index(card: Card, tmp_path: Path) -> None:
    objective = card.free.objective
    strategy_services.objective_update(objective=objective, name="Grow more")
    _import(card, tmp_path, [("free", "2025-01-01", "10", "")], card.world.admin)
    page = history.objective_changes(objective=objective)
    assert [c.kind for c in page.changes] == ["objective"]  # values are on the KPI pages
    if POSTGRES:
        # The selector's condition on the objective, as the ORM writes it: PostgreSQL
        # must see that it implies the index's (on a table this small the planner would
        # rather read the scorecard's index, so sequential reads are turned off).
        rows = Change.objects.filter(objective_id=objective.pk).exclude(
            kind__in=history.VALUE_KINDS
        )
        expected = "change_objective"
    else:
        # SQLite cannot match the ORM's bound parameters to the index's literals; the
        # selector's query goes by the scorecard's index, as it did before.
        rows = (
            Change.objects.filter(scorecard_id=objective.scorecard_id)
            .filter(Q(objective_id=objective.pk) | Q(related_objective_id=objective.pk))
            .exclude(kind__in=history.VALUE_KINDS)
        )
        expected = "USING INDEX change_scorecard_at"
    with connection.cursor() as cursor:
        sql, params = rows.query.sql_with_params()
        if POSTGRES:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert expected in plan, plan
