"""Scheduled deliveries: the right PDF to the right people, once per schedule day
(locmem e-mail, frozen clock, the real worker in-process), and the pages."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from scorecard import clock
from scorecard.commands.management.commands.worker import schedule
from scorecard.deliveries import services
from scorecard.deliveries.models import Delivery, DeliveryRun, DeliverySend
from scorecard.organizations.models import Membership
from scorecard.web.deliveries.tasks import deliver_run_task, deliveries_sweep
from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory, ScorecardFactory
from tests.jobs.test_tasks import run_worker

pytestmark = pytest.mark.django_db

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True,
        timeout=60,
    ).stdout  # fmt: skip
    return " ".join(out.replace("\u00a0", " ").split())


@pytest.fixture
def cards(world: Any) -> list[Any]:
    """Company (NPS 61) and a second scorecard, Sales (Revenue 1,250)."""
    sales = ScorecardFactory(
        organization=world.organization, unit=world.unit, name="Sales", slug="sales"
    )
    for card, code, name, value in [
        (world.scorecard, "nps", "Net promoter score", 61.0),
        (sales, "revenue", "Monthly revenue", 1250.0),
    ]:
        objective = ObjectiveFactory(perspective__scorecard=card, name=f"{name} up")
        kpi = KpiFactory(objective=objective, code=code, name=name)
        MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 10, 1), value=value)
    return [world.scorecard, sales]


def schedule_monthly(world: Any, cards: list[Any], **kwargs: Any) -> Delivery:
    fields: dict[str, Any] = {
        "organization": world.organization, "user": world.editor, "name": "Board pack",
        "scorecards": cards, "recipients": [world.editor, world.viewer, world.contributor],
        "frequency": "monthly_working_day", "day": 5, "hour": 7,
    }  # fmt: skip
    fields.update(kwargs)
    with clock.frozen_at(dt.date(2026, 11, 20)):
        return services.delivery_create(**fields)


def sweep_on(day: dt.date) -> None:
    with clock.frozen_at(day):
        deliveries_sweep.enqueue()
        run_worker()


@needs_pdftotext
def test_the_report_goes_out_once_on_the_fifth_working_day(
    world: Any, cards: list[Any], tmp_path: Path
) -> None:
    delivery = schedule_monthly(world, cards[:1])
    # The contributor leaves the organization: from then on they get nothing.
    Membership.objects.filter(user=world.contributor).delete()
    # 4 Dec 2026 is the 4th working day of December: nothing yet.
    sweep_on(dt.date(2026, 12, 4))
    assert mail.outbox == []
    # Monday 7 Dec is the 5th: editor and viewer get the Company report as of that day.
    sweep_on(dt.date(2026, 12, 7))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "editor-user@example.com",
        "viewer-user@example.com",
    ]
    for message in mail.outbox:
        assert message.subject == "Board pack — 7 Dec 2026"
        [(name, content, kind)] = message.attachments
        assert kind == "application/pdf" and name.endswith(".pdf")
        text = pdf_text(content, tmp_path)
        assert "Company" in text and "Net promoter score" in text and "61" in text
        assert "Monthly revenue" not in text
    run = DeliveryRun.objects.get()
    assert (run.occurrence, run.as_of, run.state) == (dt.date(2026, 12, 7),) * 2 + ("done",)
    skipped = DeliverySend.objects.get(user=world.contributor)
    assert skipped.state == "skipped" and "no longer a member" in skipped.detail
    # The worker runs twice, the sweep again, and the run's task is enqueued again: no more.
    sweep_on(dt.date(2026, 12, 7))
    deliver_run_task.enqueue(run.pk)
    run_worker()
    sweep_on(dt.date(2026, 12, 8))
    assert len(mail.outbox) == 2
    assert DeliveryRun.objects.count() == 1
    # January's 5th working day is Thursday 7 Jan 2027.
    sweep_on(dt.date(2027, 1, 6))
    assert len(mail.outbox) == 2
    sweep_on(dt.date(2027, 1, 7))
    assert len(mail.outbox) == 4
    assert [r.occurrence for r in delivery.runs.all()] == [
        dt.date(2027, 1, 7),
        dt.date(2026, 12, 7),
    ]


def test_two_workers_sweeping_at_once_record_one_run(world: Any, cards: list[Any]) -> None:
    schedule_monthly(world, cards[:1])
    with clock.frozen_at(dt.date(2026, 12, 7)):
        first = services.runs_due()
        second = services.runs_due()
        claimed = services.run_claim(first[0])
        assert claimed is not None
        # A second worker cannot take the run while the first holds it.
        assert services.run_claim(first[0]) is None
    assert len(first) == 1 and second == []


def test_the_sweep_costs_the_same_queries_for_one_delivery_or_ten(
    world: Any, cards: list[Any], django_assert_max_num_queries: Any
) -> None:
    for n in range(10):
        schedule_monthly(world, cards[:1], name=f"Pack {n}")
    with clock.frozen_at(dt.date(2026, 12, 7)):
        services.runs_due()  # records the ten runs
        with django_assert_max_num_queries(2):  # deliveries, then the runs already there
            assert services.runs_due() == []


def test_nothing_before_the_delivery_existed_and_nothing_while_paused(
    world: Any, cards: list[Any]
) -> None:
    # Created on 20 Nov, after November's 5th working day (6 Nov): November is not sent.
    delivery = schedule_monthly(world, cards[:1])
    sweep_on(dt.date(2026, 11, 21))
    assert mail.outbox == []
    with clock.frozen_at(dt.date(2026, 12, 1)):
        services.delivery_set_active(delivery=delivery, user=world.editor, active=False)
    sweep_on(dt.date(2026, 12, 7))
    assert mail.outbox == []
    # Resumed on the 9th: December's day has passed and is not sent late.
    with clock.frozen_at(dt.date(2026, 12, 9)):
        services.delivery_set_active(delivery=delivery, user=world.editor, active=True)
    sweep_on(dt.date(2026, 12, 10))
    assert mail.outbox == []
    sweep_on(dt.date(2027, 1, 7))
    assert len(mail.outbox) == 3  # editor, viewer, contributor


@needs_pdftotext
def test_a_book_of_two_scorecards_or_a_link(world: Any, cards: list[Any], tmp_path: Path) -> None:
    schedule_monthly(world, cards, recipients=[world.viewer], frequency="weekly", day=0)
    schedule_monthly(
        world, cards, recipients=[world.admin], frequency="weekly", day=0, form="link",
        name="Links", view="ytd",
    )  # fmt: skip
    sweep_on(dt.date(2026, 11, 23))  # a Monday
    by_person = {m.to[0]: m for m in mail.outbox}
    book = by_person["viewer-user@example.com"]
    [(name, content, _)] = book.attachments
    assert name == "northwind-2026-11-23-book.pdf"
    text = pdf_text(content, tmp_path)
    assert text.startswith("Board pack — Northwind Outdoor")
    assert "Net promoter score" in text and "Monthly revenue" in text
    link = by_person["admin-user@example.com"]
    assert link.attachments == []
    assert (
        "http://127.0.0.1:8000/o/northwind/briefing.pdf?scorecards=company%2Csales"
        "&as_of=2026-11-23&view=ytd"
    ) in link.body


def test_bad_choices_are_refused_with_a_message(world: Any, cards: list[Any]) -> None:
    with pytest.raises(Exception) as refused:
        schedule_monthly(world, [], recipients=[world.outsider], frequency="weekly", day=7, hour=24)
    assert refused.value.message_dict == {  # type: ignore[attr-defined]
        "scorecards": ["Choose a saved book or at least one scorecard."],
        "recipients": ["Choose members of this organization."],
        "day": ["The weekday must be between 0 and 6."],
        "hour": ["The hour must be between 0 and 23."],
    }


# --- pages --------------------------------------------------------------------------------


def test_an_editor_schedules_tests_pauses_and_deletes_a_delivery(
    world: Any, cards: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for("editor")
    form = {
        "name": "Board <pack>", "scorecards": [cards[0].pk], "recipients": [world.viewer.pk],
        "frequency": "monthly_working_day", "day": "5", "hour": "7", "form": "attachment",
        "view": "period",
    }  # fmt: skip
    bad = client.post("/o/northwind/deliveries/new/", {**form, "day": "30"})
    assert bad.status_code == 422
    assert "The day must be between 1 and 23." in bad.content.decode()
    answer = client.post("/o/northwind/deliveries/new/", form)
    delivery = Delivery.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/deliveries/{delivery.pk}/")
    page = client.get(answer["Location"]).content.decode()
    assert "Board &lt;pack&gt;" in page and "Monthly, on the 5th working day, at 07:00" in page
    listing = client.get("/o/northwind/deliveries/").content.decode()
    assert "Board &lt;pack&gt;" in listing and "1 member" in listing
    # "Send now" goes to the editor only, as a test, in the background.
    with clock.frozen_at(dt.date(2026, 11, 23)):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/o/northwind/deliveries/{delivery.pk}/send-now/")
        assert mail.outbox == []
        run_worker()
    [message] = mail.outbox
    assert message.to == ["editor-user@example.com"]
    assert message.subject == "[Test] Board <pack> — 23 Nov 2026"
    log = client.get(f"/o/northwind/deliveries/{delivery.pk}/").content.decode()
    assert "editor-user@example.com: Sent" in log
    # Change it: weekly on Friday.
    client.post(
        f"/o/northwind/deliveries/{delivery.pk}/edit/", {**form, "frequency": "weekly", "day": "4"}
    )
    delivery.refresh_from_db()
    assert delivery.schedule_text == "Weekly, on Friday, at 07:00"
    client.post(f"/o/northwind/deliveries/{delivery.pk}/toggle/")
    delivery.refresh_from_db()
    assert delivery.active is False
    client.post(f"/o/northwind/deliveries/{delivery.pk}/delete/")
    assert not Delivery.objects.exists()


def test_viewers_cannot_see_the_deliveries(world: Any) -> None:
    assert world.client_for("viewer").get("/o/northwind/deliveries/").status_code == 403
    assert world.client_for("outsider").get("/o/northwind/deliveries/").status_code == 404


def test_the_worker_keeps_the_deliveries_sweep(settings: Any) -> None:
    settings.SCORECARD_SWEEP_SECONDS = 30
    [entry] = [e for e in schedule() if e.name == "deliveries.sweep"]
    assert entry.task is deliveries_sweep and entry.interval == dt.timedelta(seconds=30)
