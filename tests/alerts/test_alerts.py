"""Alerts: a KPI turning red, values waiting for approval, tasks, decisions, mentions,
preferences (at once, daily digest, off), watching, the feed and the digest command."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from scorecard.accounts.models import AccountSettings
from scorecard.alerts import selectors, services
from scorecard.alerts.models import Alert, Kind, Watch
from scorecard.alerts.services import Watched
from scorecard.alerts.tasks import send_digest_task
from scorecard.clock import now as clock_now
from scorecard.commands.management.commands.worker import schedule
from scorecard.initiatives.services import task_create, task_update
from scorecard.kpis.services import MeasurementRow, measurement_bulk_record, measurement_record
from scorecard.reviews.services import comment_add
from tests.factories import InitiativeFactory, KpiFactory, ObjectiveFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _running_clock(settings: Any) -> None:
    # "Before" a write is what was known just before it: that takes a running clock.
    settings.SCORECARD_TODAY = ""


@pytest.fixture
def kpi(world: Any) -> Any:
    objective = ObjectiveFactory(perspective__scorecard=world.scorecard, name="Delight customers")
    return KpiFactory(
        objective=objective, code="nps", name="Net promoter score", owner=world.editor,
        minimum=0.0, maximum=100.0, target=60.0,
    )  # fmt: skip


def _emails(world: Any) -> None:
    for persona in ["admin", "editor", "contributor", "viewer", "outsider"]:
        user = getattr(world, persona)
        user.email = f"{persona}@example.org"
        user.save()


def test_a_kpi_turning_red_alerts_its_owner_and_watchers_and_nobody_else(
    world: Any, kpi: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _emails(world)
    services.watch_set(user=world.viewer, item=Watched(kpi=kpi), watching=True)
    services.watch_set(user=world.outsider, item=Watched(kpi=kpi), watching=True)  # not a member
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=95, user=world.editor)
    assert not Alert.objects.exists()  # green: nothing to say
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=5, user=world.editor)

    alerts = Alert.objects.order_by("user__username")
    assert [(a.user.username, a.kind) for a in alerts] == [
        ("editor-user", Kind.STATUS),
        ("viewer-user", Kind.STATUS),
    ]
    assert "“Net promoter score” turned red" in alerts[0].title
    assert alerts[0].url == "/o/northwind/s/company/kpi/nps/"
    assert sorted(m.to[0] for m in mail.outbox) == ["editor@example.org", "viewer@example.org"]
    assert "turned red" in mail.outbox[0].subject
    assert "/o/northwind/s/company/kpi/nps/" in mail.outbox[0].body
    # The feed shows it, with the unread count in the header.
    assert selectors.unread_count(user=world.viewer) == 1
    assert selectors.unread_count(user=world.admin) == 0
    page = world.client_for("viewer").get("/alerts/")
    assert "Net promoter score" in page.content.decode()
    assert "Net promoter score" not in world.client_for("admin").get("/alerts/").content.decode()


def test_at_risk_alerts_but_getting_better_does_not(
    world: Any, kpi: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=95)
        measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=45)  # yellow
    [alert] = Alert.objects.all()
    assert "is at risk" in alert.title
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=5)  # red
        measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=45)  # better
    assert [a.title.split(" (")[0] for a in Alert.objects.order_by("id")] == [
        "“Net promoter score” is at risk",
        "“Net promoter score” turned red",
    ]


def test_watching_the_objective_alerts_about_its_kpis(world: Any, kpi: Any) -> None:
    services.watch_set(user=world.admin, item=Watched(objective=kpi.objective), watching=True)
    measurement_bulk_record(
        rows=[MeasurementRow(index=0, kpi=kpi, period_start=dt.date(2026, 10, 1), value=5)]
    )
    assert sorted(a.user.username for a in Alert.objects.all()) == ["admin-user", "editor-user"]


def test_preferences_digest_and_off(
    world: Any, kpi: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _emails(world)
    services.watch_set(user=world.viewer, item=Watched(kpi=kpi), watching=True)
    services.alert_preferences_set(user=world.editor, status="off")
    services.alert_preferences_set(user=world.viewer, status="digest")
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=5)
    # Off: not even in the feed. Digest: in the feed, no e-mail yet.
    assert [a.user for a in Alert.objects.all()] == [world.viewer]
    assert mail.outbox == []
    call_command("digest")
    [digest] = mail.outbox
    assert digest.to == ["viewer@example.org"]
    assert digest.subject == "Scorecard: 1 alert since yesterday"
    assert "Net promoter score" in digest.body
    call_command("digest")  # nothing new
    assert len(mail.outbox) == 1


def test_the_worker_sends_the_digest_daily_at_the_reminders_hour(
    world: Any, kpi: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SCORECARD_REMINDERS_HOUR = 7
    entry = next(e for e in schedule() if e.name == "alerts.digest")
    at_nine = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    assert entry.first(at_nine) == dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC)
    assert entry.interval == dt.timedelta(days=1)
    _emails(world)
    services.alert_preferences_set(user=world.editor, status="digest")
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=5)
    assert send_digest_task.call() == {"people": 1, "alerts": 1}
    assert send_digest_task.call() == {"people": 0, "alerts": 0}
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]


def test_bad_preferences_are_refused(world: Any) -> None:
    client = world.client_for("viewer")
    response = client.post("/alerts/settings/", {"status": "hourly"}, follow=True)
    assert "Choose at once, daily digest or off." in response.content.decode()
    assert not AccountSettings.objects.filter(user=world.viewer).exists()
    client.post("/alerts/settings/", {"mention": "digest", "task": "off"})
    saved = AccountSettings.objects.get(user=world.viewer)
    assert (saved.alert_mention, saved.alert_task, saved.email_mentions) == ("digest", "off", False)


def test_a_value_waiting_for_approval_alerts_the_owner(world: Any, kpi: Any) -> None:
    kpi.values_need_approval = True
    kpi.save()
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42, user=world.contributor)
    measurement_bulk_record(
        rows=[MeasurementRow(index=0, kpi=kpi, period_start=dt.date(2026, 9, 1), value=41)],
        user=world.contributor,
    )
    alerts = Alert.objects.filter(kind=Kind.APPROVAL)
    assert [a.user for a in alerts] == [world.editor, world.editor]
    assert "waits for your approval" in alerts[0].title


def test_tasks_assigned_and_overdue(world: Any, settings: Any) -> None:
    initiative = InitiativeFactory(scorecard=world.scorecard, name="New shop")
    task = task_create(initiative=initiative, name="Sign the lease", assignee=world.contributor,
                       deadline=dt.date(2026, 11, 1))  # fmt: skip
    task_update(task=task, name="Sign the lease", assignee=world.contributor,
                deadline=dt.date(2026, 11, 1))  # fmt: skip
    [assigned] = Alert.objects.all()
    assert assigned.user == world.contributor
    assert "was assigned to you" in assigned.title
    services.watch_set(user=world.viewer, item=Watched(initiative=initiative), watching=True)
    settings.SCORECARD_TODAY = "2026-11-10"
    services.digest_send()
    overdue = Alert.objects.filter(key__startswith="task-overdue")
    assert sorted(a.user.username for a in overdue) == ["contributor-user", "viewer-user"]
    services.digest_send()
    assert overdue.count() == 2  # once per task and deadline


def test_a_mention_is_in_the_feed(world: Any, kpi: Any) -> None:
    comment_add(item=kpi, author=world.admin, text="@viewer-user please look, @outsider too")
    [alert] = Alert.objects.all()
    assert (alert.user, alert.kind) == (world.viewer, Kind.MENTION)
    assert alert.emailed_at is not None  # the comments feature e-mails mentions itself


def test_watch_button_and_cross_organization_items(world: Any, kpi: Any) -> None:
    client = world.client_for("viewer")
    page = client.get("/o/northwind/s/company/kpi/nps/").content.decode()
    assert f"/o/northwind/watch/kpi/{kpi.pk}/" in page
    response = client.post(
        f"/o/northwind/watch/kpi/{kpi.pk}/", {"watch": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Watching" in response.content.decode()
    assert Watch.objects.filter(user=world.viewer, kpi=kpi).exists()
    client.post(f"/o/northwind/watch/kpi/{kpi.pk}/", {"watch": "0"})
    assert not Watch.objects.exists()
    # Another organization's item answers 404, and so does a stranger.
    assert (
        world.client_for("outsider")
        .post(f"/o/rival/watch/kpi/{kpi.pk}/", {"watch": "1"})
        .status_code
        == 404
    )
    assert (
        world.client_for("outsider")
        .post(f"/o/northwind/watch/kpi/{kpi.pk}/", {"watch": "1"})
        .status_code
        == 404
    )
    objective = kpi.objective
    assert (
        client.post(f"/o/northwind/watch/objective/{objective.pk}/", {"watch": "1"}).status_code
        == 302
    )
    assert (
        client.post(f"/o/northwind/watch/team/{objective.pk}/", {"watch": "1"}).status_code == 404
    )


def test_others_cannot_open_my_alerts(world: Any, kpi: Any) -> None:
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=5)
    [alert] = Alert.objects.all()
    assert world.client_for("viewer").post(f"/alerts/{alert.pk}/open/").status_code == 404
    response = world.client_for("editor").post(f"/alerts/{alert.pk}/open/")
    assert response.status_code == 302 and response["Location"] == alert.url
    alert.refresh_from_db()
    assert alert.read_at is not None


def test_an_unknown_user_is_not_alerted(world: Any, kpi: Any) -> None:
    stranger = UserFactory(username="nobody")
    raised = services.alerts_raise(
        users=[stranger, None], kind=Kind.STATUS, organization=world.organization,
        title="x", key="k",
    )  # fmt: skip
    assert raised == []


def test_each_person_reads_an_alert_in_their_own_language(
    world: Any, kpi: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # One event, two readers: the owner reads German, the watcher English; the stored
    # English title stays for the admin and logs.
    _emails(world)
    AccountSettings.objects.update_or_create(user=world.editor, defaults={"language": "de"})
    services.watch_set(user=world.viewer, item=Watched(kpi=kpi), watching=True)
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(kpi=kpi, period_start=dt.date(2026, 3, 1), value=5, user=world.editor)
    english = "“Net promoter score” turned red (Company, 1 Mar 2026 to 31 Mar 2026)"
    german = "„Net promoter score“ ist rot geworden (Company, 1 Mär 2026 bis 31 Mär 2026)"
    alerts = {a.user.username: a for a in Alert.objects.all()}
    assert alerts["editor-user"].title == english == alerts["viewer-user"].title
    mails = {m.to[0]: m for m in mail.outbox}
    assert mails["editor@example.org"].subject == german
    assert mails["viewer@example.org"].subject == english
    assert f"- {german}" in mails["editor@example.org"].body
    feed = world.client_for("editor").get("/alerts/", HTTP_ACCEPT_LANGUAGE="de")
    assert german in feed.content.decode()
    feed = world.client_for("viewer").get("/alerts/", HTTP_ACCEPT_LANGUAGE="fr")
    assert (
        "« Net promoter score » est passé au rouge (Company, du 1 mars 2026 au 31 mars 2026)"
        in (feed.content.decode())
    )


def test_an_alert_title_without_a_sentence_is_shown_as_it_was_stored(world: Any) -> None:
    # Alerts raised before titles kept their sentence (and any plain title) read as stored.
    old = Alert.objects.create(
        user=world.viewer, organization=world.organization, kind=Kind.TASK,
        title="Task “Sign” of “Shop” was assigned to you", key="old", created_at=clock_now(),
    )  # fmt: skip
    feed = world.client_for("viewer").get("/alerts/", HTTP_ACCEPT_LANGUAGE="de")
    assert old.title.replace("“", "&ldquo;") in feed.content.decode() or (
        old.title in feed.content.decode()
    )
    broken = Alert(title="English", title_template="“%(kpi)s” turned red", title_values={})
    assert broken.shown_title == "English"  # values lost: the English sentence, not an error
