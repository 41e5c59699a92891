"""The history: every service that changes structure, targets or values keeps who, when,
what, before and after; corrections show both values; bulk entry records in bulk."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from scorecard.audit.context import acting_as
from scorecard.audit.models import Change
from scorecard.initiatives import services as initiative_services
from scorecard.kpis import services as kpi_services
from scorecard.kpis.models import Measurement
from scorecard.strategy import services as strategy_services
from scorecard.web.governance import history_pages as selectors
from tests.factories import ObjectiveFactory

pytestmark = pytest.mark.django_db

OCT = dt.date(2026, 10, 1)
NOV = dt.date(2026, 11, 1)


def changes(**filters):
    return list(Change.objects.filter(**filters).order_by("id"))


def test_structure_changes_keep_actor_before_and_after(card):
    editor = card.world.editor
    with acting_as(editor):
        perspective = strategy_services.perspective_create(
            scorecard=card.scorecard, name="Customer"
        )
        objective = strategy_services.objective_create(
            perspective=perspective, name="Delight customers", weight=2
        )
        strategy_services.objective_update(
            objective=objective, name="Delight our customers", weight=3
        )
        strategy_services.objective_update(objective=objective, name="Delight our customers")

    created, updated = changes(kind="objective", object_id=objective.pk)
    assert created.action == "created" and created.before is None
    assert created.after["name"] == "Delight customers"
    assert created.after["perspective"] == {"id": perspective.pk, "label": "Customer"}
    # Only what changed is kept; saving the same values again records nothing.
    assert updated.action == "changed"
    assert updated.before == {"name": "Delight customers", "weight": 2.0}
    assert updated.after == {"name": "Delight our customers", "weight": 3.0}
    assert updated.actor == editor and updated.actor_name == editor.get_full_name()
    assert updated.scorecard_id == card.scorecard.pk and updated.objective_id == objective.pk
    assert changes(kind="perspective", object_id=perspective.pk)[0].after["name"] == "Customer"


def test_kpi_links_initiatives_and_tasks_are_kept_and_deletions_keep_the_last_state(card):
    with acting_as(card.world.admin):
        kpi = kpi_services.kpi_create(
            objective=card.objective, code="nps", name="NPS", minimum=0, maximum=100, target=50
        )
        kpi_services.kpi_update(kpi=kpi, target=60, owner=card.world.viewer)
        other = ObjectiveFactory(perspective=card.objective.perspective, code="other")
        link = strategy_services.link_create(cause=other, effect=card.objective)
        strategy_services.link_delete(link=link)
        initiative = initiative_services.initiative_create(
            scorecard=card.scorecard, name="Push", objectives=[card.objective]
        )
        task = initiative_services.task_create(initiative=initiative, name="Call")
        initiative_services.task_state_set(task=task, state="done")
        kpi_id = kpi.pk
        kpi_services.kpi_delete(kpi=kpi)

    kpi_rows = changes(kind="kpi", object_id=kpi_id)
    assert [c.action for c in kpi_rows] == ["created", "changed", "deleted"]
    assert kpi_rows[1].before == {"owner": None, "target": 50.0}
    assert kpi_rows[1].after["owner"]["id"] == card.world.viewer.pk
    assert kpi_rows[2].before["name"] == "NPS" and kpi_rows[2].after is None
    link_rows = changes(kind="link")
    assert [c.action for c in link_rows] == ["created", "deleted"]
    assert link_rows[0].objective_id == other.pk
    assert link_rows[0].related_objective_id == card.objective.pk
    init_row = changes(kind="initiative")[0]
    assert init_row.after["objectives"] == [{"id": card.objective.pk, "label": "Grow revenue"}]
    assert [(c.action, c.after) for c in changes(kind="task")][1] == ("changed", {"state": "done"})
    assert all(c.actor == card.world.admin for c in Change.objects.all())


def test_a_corrected_value_shows_both_versions(card):
    with override_settings(SCORECARD_TODAY="2026-11-02"):
        kpi_services.measurement_record(
            kpi=card.revenue, period_start=NOV, value=700, user=card.world.contributor
        )
    kpi_services.measurement_record(
        kpi=card.revenue, period_start=NOV, value=720, note="late invoice", user=card.world.editor
    )
    first, second = changes(kind="measurement")
    assert first.action == "recorded" and first.before is None
    assert first.after == {"note": "", "period_start": "2026-11-01", "value": 700.0}
    assert second.action == "corrected"
    assert second.before == {"note": "", "period_start": "2026-11-01", "value": 700.0}
    assert second.after == {"note": "late invoice", "period_start": "2026-11-01", "value": 720.0}
    assert second.actor == card.world.editor and first.actor == card.world.contributor
    # In words, newest first: who, when, the period and value before → after.
    page = selectors.kpi_history(kpi=card.revenue)
    newest = page.entries[0]
    assert (newest.who, newest.verb, newest.noun, newest.name, newest.period) == (
        card.world.editor.get_full_name(),
        "corrected",
        "value of",
        "Revenue",
        "Nov 2026",
    )
    lines = {line.field: (line.before, line.after) for line in newest.lines}
    assert lines["Value"] == ("700\u00a0€", "720\u00a0€")
    assert lines["Note"] == ("—", "late invoice")
    assert newest.at == dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
    # The measurement table still has both rows.
    assert list(
        Measurement.objects.filter(kpi=card.revenue, period_start=NOV)
        .order_by("id")
        .values_list("value", flat=True)
    ) == [700.0, 720.0]


def test_recording_the_same_value_again_records_no_history(card):
    kpi_services.measurement_record(kpi=card.revenue, period_start=OCT, value=600)
    kpi_services.target_set(kpi=card.revenue, period_start=OCT, value=900)
    kpi_services.target_set(kpi=card.revenue, period_start=OCT, value=900)
    assert not changes(kind="measurement")
    assert len(changes(kind="target")) == 1


def test_targets_are_kept_with_their_changes(card):
    kpi_services.target_set(kpi=card.revenue, period_start=OCT, value=900, user=card.world.editor)
    target = kpi_services.target_set(
        kpi=card.revenue,
        period_start=OCT,
        value=950,
        provenance="benchmark",
        user=card.world.editor,
    )
    kpi_services.target_delete(target=target)
    _, changed, deleted = changes(kind="target")
    assert changed.before == {"period_start": "2026-10-01", "provenance": "zero", "value": 900.0}
    assert changed.after == {
        "period_start": "2026-10-01",
        "provenance": "benchmark",
        "value": 950.0,
    }
    assert deleted.after is None and deleted.kpi_id == card.revenue.pk
    entry = selectors.kpi_history(kpi=card.revenue).entries[1]
    lines = {line.field: (line.before, line.after) for line in entry.lines}
    assert lines["Provenance"] == ("Zero-target (first guess, to review)", "Benchmark")


def test_bulk_values_are_recorded_with_one_bulk_insert(card):
    rows = [
        kpi_services.MeasurementRow(i, kpi, dt.date(2025, month, 1), 10 + month)
        for i, (kpi, month) in enumerate(
            (kpi, month) for kpi in (card.revenue, card.cost) for month in range(1, 13)
        )
    ]
    rows.append(kpi_services.MeasurementRow(len(rows), card.revenue, OCT, 650))  # a correction
    with CaptureQueriesContext(connection) as ctx:
        result = kpi_services.measurement_bulk_record(rows=rows, user=card.world.editor)
    assert (result.created, result.corrected) == (24, 1)
    history_inserts = [q for q in ctx.captured_queries if 'INSERT INTO "audit_change"' in q["sql"]]
    fields = [f for f in Change._meta.concrete_fields if not f.primary_key]
    assert len(history_inserts) == math.ceil(
        25 / connection.ops.bulk_batch_size(fields, [None] * 25)
    )
    assert len(history_inserts) == 1
    recorded = changes(kind="measurement")
    assert len(recorded) == 25
    assert {c.action for c in recorded} == {"recorded", "corrected"}
    correction = next(c for c in recorded if c.action == "corrected")
    assert (correction.before["value"], correction.after["value"]) == (600.0, 650.0)
    assert all(c.actor == card.world.editor and c.kpi_id for c in recorded)


def test_requests_attribute_changes_to_the_signed_in_user(card):
    client = card.world.client_for("editor")
    response = client.post(
        card.url("objective_edit", "grow"),
        {"perspective": card.objective.perspective_id, "name": "Grow sales", "code": "grow",
         "weight": "1"},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:400]
    change = changes(kind="objective")[-1]
    assert change.actor == card.world.editor
    assert change.after == {"name": "Grow sales"}


def test_commands_without_a_user_are_attributed_to_the_system(card):
    strategy_services.scorecard_update(scorecard=card.scorecard, vision="New vision")
    change = changes(kind="scorecard")[-1]
    assert change.actor is None and change.actor_name == ""
    entry = selectors.scorecard_history(scorecard=card.scorecard).entries[0]
    assert entry.who == "The system"
