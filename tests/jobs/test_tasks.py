"""Background work on the database task backend, run by the real worker in-process:
webhook deliveries and their retries, the schedule, report jobs, the admins' page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import task
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from scorecard import clock
from scorecard.commands.management.commands.worker import schedule
from scorecard.jobs import services as jobs
from scorecard.jobs.models import ReportJob, ScheduledRun
from scorecard.kpis.services import measurement_record
from scorecard.web.reports.tasks import report_jobs_sweep
from scorecard.webhooks import services as webhooks
from scorecard.webhooks.models import Delivery
from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory, UserFactory
from tests.webhooks.test_webhooks import Receiver

pytestmark = pytest.mark.django_db


def run_worker() -> None:
    """Run every task that is ready now, as `scorecard worker --batch` does.

    The worker's own check for stale connections would close the test's transaction on
    PostgreSQL (it sees autocommit off); here the connection stays the test's.
    """
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("worker", batch=True, verbosity=0)


@pytest.fixture(autouse=True)
def _loopback_receivers(settings: Any) -> None:
    """The test receivers listen on loopback, which webhooks refuse unless allowed."""
    settings.SCORECARD_WEBHOOK_ALLOW_HOSTS = ["127.0.0.0/8"]


@pytest.fixture
def receiver() -> Any:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def kpi(world: Any) -> Any:
    objective = ObjectiveFactory(perspective__scorecard=world.scorecard, name="Delight")
    return KpiFactory(objective=objective, code="nps", name="NPS", minimum=0.0, maximum=100.0)


def test_a_recorded_value_is_delivered_by_the_worker_once(
    world: Any, kpi: Any, receiver: Receiver, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WEBHOOKS_DELIVER_AT_ONCE = True
    webhooks.webhook_create(
        organization=world.organization, url=receiver.url, events=["measurement.recorded"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42, user=world.editor)
    # Nothing is sent in the request: a task waits for the worker.
    assert receiver.calls == []
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "scorecard.webhooks.services.deliver_webhooks_task"
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.lease_until) == ("delivered", 1, None)
    assert len(receiver.calls) == 1
    # The same task enqueued again (a duplicate, or a retry racing it) sends nothing more.
    webhooks.deliver_webhooks_task.enqueue([delivery.pk])
    run_worker()
    assert len(receiver.calls) == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_a_failed_delivery_is_retried_as_a_task_after_its_back_off(
    world: Any, kpi: Any, receiver: Receiver, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WEBHOOKS_DELIVER_AT_ONCE = True
    receiver.status = 500
    webhooks.webhook_create(
        organization=world.organization, url=receiver.url, events=["measurement.recorded"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42, user=world.editor)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert "500" in delivery.last_error
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["args"] == [[delivery.pk]]
    wait = retry.run_after - clock.wall_now()
    assert dt.timedelta(seconds=50) < wait <= webhooks.RETRY_DELAYS[0]
    # Not due yet: the worker leaves it.
    run_worker()
    assert len(receiver.calls) == 1


def test_a_delivery_held_by_another_worker_is_left_to_it(
    world: Any, kpi: Any, receiver: Receiver
) -> None:
    hook = webhooks.webhook_create(
        organization=world.organization, url=receiver.url, events=["measurement.recorded"]
    )
    now = clock.now()
    delivery = Delivery.objects.create(
        webhook=hook, event="measurement.recorded", payload={}, created_at=now,
        next_attempt_at=now, lease_until=clock.wall_now() + dt.timedelta(seconds=60),
    )  # fmt: skip
    assert webhooks.deliver_due() == {"delivered": 0, "retrying": 0, "failed": 0}
    assert receiver.calls == []
    # Its lease runs out (the worker died): the next sweep delivers it.
    Delivery.objects.filter(pk=delivery.pk).update(
        lease_until=clock.wall_now() - dt.timedelta(seconds=1)
    )
    assert webhooks.deliver_due()["delivered"] == 1
    assert len(receiver.calls) == 1


def test_each_scheduled_run_is_enqueued_once_however_many_workers(settings: Any) -> None:
    entry = jobs.Every("webhooks.sweep", webhooks.deliver_webhooks_sweep, dt.timedelta(minutes=1))
    now = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
    assert jobs.schedule_due([entry], now=now) == ["webhooks.sweep"]
    # A second worker looking at the same moment, or a few seconds later, finds it taken.
    assert jobs.schedule_due([entry], now=now) == []
    assert jobs.schedule_due([entry], now=now + dt.timedelta(seconds=30)) == []
    assert jobs.schedule_due([entry], now=now + dt.timedelta(minutes=1)) == ["webhooks.sweep"]
    assert DBTaskResult.objects.count() == 2
    slot = ScheduledRun.objects.get()
    assert slot.next_run_at == now + dt.timedelta(minutes=2)


def test_reminders_are_scheduled_for_their_hour_and_can_be_turned_off(settings: Any) -> None:
    settings.SCORECARD_REMINDERS_HOUR = 7
    reminders = next(e for e in schedule() if e.name == "reminders")
    at_nine = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    assert reminders.first(at_nine) == dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC)
    assert reminders.interval == dt.timedelta(days=7)
    settings.SCORECARD_REMINDERS_EVERY_DAYS = 0
    reminders = next(e for e in schedule() if e.name == "reminders")
    assert jobs.schedule_due([reminders], now=at_nine) == []


FAILS: list[int] = []


@task()
def flaky_task(attempt: int = 1) -> str:
    try:
        raise RuntimeError(f"try {attempt} broke")
    except RuntimeError as exc:
        FAILS.append(attempt)
        jobs.retry_or_raise(flaky_task, exc, attempt=attempt)
    return "never"


def test_a_failing_task_is_retried_with_back_off_then_shown_to_site_admins(
    world: Any, client: Any
) -> None:
    flaky_task.enqueue()
    run_worker()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "try 1 broke" in failed.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > clock.wall_now() + dt.timedelta(seconds=5)
    # The last try enqueues nothing more.
    assert jobs.retry_delay(len(jobs.TASK_RETRY_DELAYS) + 1) is None

    url = reverse("background_tasks")
    assert world.client_for("admin").get(url).status_code == 404  # an organization's admin
    staff = UserFactory(username="site-admin", is_staff=True)
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "flaky_task" in page and "RuntimeError: try 1 broke" in page


def test_a_report_is_made_by_the_worker_and_its_page_shows_progress(
    world: Any, kpi: Any, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 9, 1), value=55)
    client = world.client_for("viewer")
    start = reverse("scorecard_report_start_xlsx", args=["northwind", "company"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start + "?as_of=2026-10-31&view=ytd")
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/reports/{job.pk}/")
    # The asker's language is kept with the job: the worker writes the report in it.
    assert job.params == {
        "as_of": "2026-10-31", "view": "ytd", "known": "", "known_at": None, "language": "en",
    }  # fmt: skip
    page = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "Waiting for a worker" in page and 'hx-trigger="every 1s"' in page
    # Someone else in the organization does not see it.
    assert world.client_for("editor").get(response["Location"]).status_code == 404

    run_worker()
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == ("done", 100, 1)
    page = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "Your report is ready" in page and "hx-trigger" not in page
    download = client.get(
        reverse("scorecard_report_job_download", args=["northwind", "company", job.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an XLSX is a zip
    # Enqueued again, the finished job is left alone.
    assert jobs.report_job_claim(job.pk) is None


def test_a_report_job_whose_worker_died_is_taken_over_by_the_sweep(
    world: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    job = jobs.report_job_create(
        scorecard=world.scorecard, user=world.viewer, file_format="xlsx",
        params={"as_of": "2026-10-31", "view": "period", "known": "", "known_at": None},
    )  # fmt: skip
    # A worker took it and died: its lease ran out a while ago.
    ReportJob.objects.filter(pk=job.pk).update(
        state="running", attempts=1, created_at=clock.wall_now() - dt.timedelta(minutes=5),
        lease_until=clock.wall_now() - dt.timedelta(seconds=1),
    )  # fmt: skip
    assert report_jobs_sweep.call() == 1
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 2)
