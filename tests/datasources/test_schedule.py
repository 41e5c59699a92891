"""A scheduled pull fills a KPI's missing period without anyone typing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.management import call_command
from django_tasks_db.management.commands import db_worker

from scorecard import clock
from scorecard.commands.management.commands.worker import schedule
from scorecard.datasources import services
from scorecard.datasources.models import DataSource, Run
from scorecard.jobs.services import schedule_due
from scorecard.kpis.models import Measurement

from .conftest import Kpis

QUERY = "SELECT month, amount FROM sales WHERE kpi = 'revenue'"


def run_worker() -> None:
    """Run every task that is ready now, as `scorecard worker --batch` does."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("worker", batch=True, verbosity=0)


def test_the_schedule_pulls_a_missing_period_by_itself(
    world: Any, kpis: Kpis, sqlite_file: Path, settings: Any
) -> None:
    settings.SCORECARD_TODAY = "2026-11-03"
    connection = services.connection_save(
        organization=world.organization, name="Finance", kind="sql",
        url=f"sqlite:///{sqlite_file}",
    )  # fmt: skip
    source = services.source_save(
        organization=world.organization, connection=connection, scorecard=world.scorecard,
        name="Revenue", kpi=kpis.revenue, query=QUERY,
    )  # fmt: skip
    assert source.schedule == DataSource.Schedule.FOLLOW_KPI
    assert source.next_run_at == clock.now()  # the first pull is due at once
    assert not Measurement.objects.filter(kpi=kpis.revenue, period_start=dt.date(2026, 10, 1))

    entry = next(e for e in schedule() if e.name == "datasources.pull")
    assert schedule_due([entry]) == ["datasources.pull"]
    run_worker()

    october = Measurement.objects.get(kpi=kpis.revenue, period_start=dt.date(2026, 10, 1))
    assert october.value == 498.25 and october.recorded_by is None
    run = Run.objects.get()
    assert (run.trigger, run.ok, run.new) == ("schedule", True, 3)
    # A monthly KPI: the next pull is on the first day of the next month.
    source.refresh_from_db()
    assert source.next_run_at == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert source.lease_until is None
    # Until then the schedule leaves it alone.
    assert services.run_due(now=clock.now()) == {"ok": 0, "failed": 0}
    settings.SCORECARD_TODAY = "2026-12-01"
    assert services.run_due(now=clock.now()) == {"ok": 1, "failed": 0}
    assert Run.objects.count() == 2


def test_a_failed_pull_is_tried_again_within_the_hour_and_manual_sources_wait(
    world: Any, kpis: Kpis, sqlite_file: Path, settings: Any
) -> None:
    settings.SCORECARD_TODAY = "2026-11-03"
    connection = services.connection_save(
        organization=world.organization, name="Finance", kind="sql",
        url=f"sqlite:///{sqlite_file}",
    )  # fmt: skip
    services.source_save(
        organization=world.organization, connection=connection, scorecard=world.scorecard,
        name="Broken", kpi=kpis.revenue, query="SELECT month, amount FROM nowhere",
    )  # fmt: skip
    services.source_save(
        organization=world.organization, connection=connection, scorecard=world.scorecard,
        name="By hand", kpi=kpis.nps, query="SELECT month, amount FROM sales WHERE kpi = 'nps'",
        schedule=DataSource.Schedule.MANUAL,
    )  # fmt: skip
    assert services.run_due(now=clock.now()) == {"ok": 0, "failed": 1}
    broken = DataSource.objects.get(name="Broken")
    assert broken.next_run_at == clock.now() + services.RETRY_AFTER
    assert DataSource.objects.get(name="By hand").next_run_at is None
    assert Measurement.objects.count() == 0


def test_schedules_and_their_next_runs() -> None:
    now = dt.datetime(2026, 11, 3, 12, 0, tzinfo=dt.UTC)
    source = DataSource(schedule=DataSource.Schedule.DAILY)
    assert services.next_run(source, now=now) == now + dt.timedelta(days=1)
    source.schedule = DataSource.Schedule.HOURLY
    assert services.next_run(source, now=now) == now + dt.timedelta(hours=1)
    source.schedule = DataSource.Schedule.WEEKLY
    assert services.next_run(source, now=now) == now + dt.timedelta(days=7)
    source.schedule = DataSource.Schedule.MANUAL
    assert services.next_run(source, now=now) is None
