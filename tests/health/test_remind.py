"""``scorecard remind``: the right people get the right KPIs and tasks (Django's locmem
e-mail backend collects what is sent in ``mail.outbox``)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from scorecard.kpis.models import Measurement
from scorecard.reviews.models import ReminderSnooze
from tests.factories import (
    KpiFactory,
    MeasurementFactory,
    MembershipFactory,
    OrganizationFactory,
    ScorecardFactory,
    TaskFactory,
    UserFactory,
)

from .conftest import Card

pytestmark = pytest.mark.django_db


def remind(*args: str) -> str:
    out = StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def to(address_of: Any) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address_of.email]]


def test_updaters_get_the_values_due_and_assignees_their_overdue_tasks(card: Card) -> None:
    """Today is 23 Nov 2026: October is the last complete month. Revenue has it; DSO
    (last value in May) does not. Both are updated by the contributor."""
    world = card.world
    remind()
    mine = to(world.contributor)
    assert len(mine) == 1
    body = mine[0].body
    assert mine[0].subject == "Northwind Outdoor: 1 value to enter and 1 overdue task"
    assert "Days sales outstanding (Company), for Oct 2026" in body
    assert "/o/northwind/s/company/kpi/dso/?period=2026-10-01#entry" in body
    assert "Revenue" not in body  # its October value is in
    assert "Call dealers (Sales push), due 1 Nov 2026, 22 days late" in body
    assert "/reminders/" in body  # how to pause them


def test_kpis_are_due_by_their_own_interval(card: Card) -> None:
    """A quarterly KPI owes Q3 (Jul–Sep) on 23 Nov; a yearly one owes 2025."""
    world = card.world
    quarterly = KpiFactory(
        objective=card.grow, code="nps", name="NPS", update_interval="quarter",
        updater=world.editor,
    )  # fmt: skip
    MeasurementFactory(kpi=quarterly, period_start=dt.date(2026, 4, 1))
    yearly = KpiFactory(
        objective=card.grow, code="audit", name="Audit", update_interval="year",
        owner=world.editor,
    )  # fmt: skip
    MeasurementFactory(kpi=yearly, period_start=dt.date(2025, 1, 1))
    remind()
    body = to(world.editor)[0].body
    assert "NPS (Company), for Jul–Sep 2026" in body
    assert "Audit" not in body  # 2025 is in


def test_the_updater_is_reminded_not_the_owner(card: Card) -> None:
    card.revenue.measurements.filter(period_start=dt.date(2026, 10, 1)).delete()
    card.revenue.owner = card.world.editor  # the updater stays the contributor
    card.revenue.save()
    remind()
    assert "Revenue (Company)" in to(card.world.contributor)[0].body
    assert not to(card.world.editor)


def test_snoozed_people_get_nothing(card: Card) -> None:
    ReminderSnooze.objects.create(
        user=card.world.contributor, until=dt.date(2026, 11, 23), set_at=dt.datetime.now(dt.UTC)
    )
    out = remind()
    assert not to(card.world.contributor)
    assert "skipped contributor-user (northwind): reminders snoozed" in out


def test_a_snooze_that_ran_out_no_longer_counts(card: Card) -> None:
    ReminderSnooze.objects.create(
        user=card.world.contributor, until=dt.date(2026, 11, 22), set_at=dt.datetime.now(dt.UTC)
    )
    remind()
    assert len(to(card.world.contributor)) == 1


def test_nothing_is_sent_when_all_values_are_in_and_no_task_is_late(card: Card) -> None:
    MeasurementFactory(kpi=card.dso, period_start=dt.date(2026, 10, 1))
    card.initiative.tasks.update(state="done")
    out = remind()
    assert mail.outbox == []
    assert "Nothing to send" in out


def test_admins_get_a_summary_of_who_has_not_updated(card: Card) -> None:
    world = card.world
    orphan = KpiFactory(objective=card.cash, code="cash_days", name="Cash days")
    MeasurementFactory(kpi=orphan, period_start=dt.date(2026, 9, 1))
    remind()
    summary = to(world.admin)
    assert len(summary) == 1
    assert summary[0].subject == "Northwind Outdoor: 1 person has values to enter"
    body = summary[0].body
    assert f"{world.contributor.get_full_name()} (1):" in body
    assert "- Days sales outstanding (Company), for Oct 2026" in body
    assert "KPIs nobody is reminded of" in body and "Cash days (Company)" in body
    # Not sent to the other members.
    assert not to(world.viewer)


def test_a_snoozed_admin_gets_no_summary(card: Card) -> None:
    ReminderSnooze.objects.create(
        user=card.world.admin, until=dt.date(2026, 12, 1), set_at=dt.datetime.now(dt.UTC)
    )
    remind()
    assert not to(card.world.admin)
    assert to(card.world.contributor)  # the others are still reminded


def test_people_without_an_address_or_membership_are_left_out(card: Card) -> None:
    world = card.world
    world.contributor.email = ""
    world.contributor.save()
    stranger = UserFactory(username="gone")  # no membership in the organization
    KpiFactory(objective=card.cash, code="gone_kpi", name="Gone KPI", updater=stranger)
    out = remind()
    assert "skipped contributor-user (northwind): no e-mail address" in out
    assert not [m for m in mail.outbox if m.to == [stranger.email]]
    # The admin's summary still lists what the stranger's KPI lacks, as nobody's.
    body = to(world.admin)[0].body
    assert "Gone KPI" in body[body.index("KPIs nobody is reminded of") :]


def test_an_unassigned_overdue_task_goes_to_the_initiative_owner(card: Card) -> None:
    TaskFactory(initiative=card.initiative, name="Print flyers", deadline=dt.date(2026, 10, 1))
    remind()
    assert "Print flyers (Sales push)" in to(card.world.editor)[0].body


def test_tasks_of_closed_initiatives_are_not_chased(card: Card) -> None:
    card.initiative.status = "cancelled"
    card.initiative.save()
    MeasurementFactory(kpi=card.dso, period_start=dt.date(2026, 10, 1))
    remind()
    assert mail.outbox == []


def test_dry_run_prints_and_sends_nothing(card: Card) -> None:
    out = remind("--dry-run")
    assert mail.outbox == []
    assert f"--- To: {card.world.contributor.email}" in out
    assert "Subject: Northwind Outdoor: 1 value to enter and 1 overdue task" in out
    assert "Days sales outstanding (Company), for Oct 2026" in out
    assert "Dry run: 2 e-mail(s) would be sent." in out  # the contributor and the admin


def test_one_organization_only(card: Card) -> None:
    other = OrganizationFactory(slug="rival-two")
    person = UserFactory(username="rival-person")
    MembershipFactory(user=person, organization=other, role="contributor")
    scorecard = ScorecardFactory(organization=other)
    KpiFactory(objective__perspective__scorecard=scorecard, code="theirs", updater=person)
    remind("--org", "rival-two")
    assert [m.to for m in mail.outbox] == [[person.email]]
    with pytest.raises(CommandError, match="no organization"):
        remind("--org", "nowhere")


def test_links_use_the_configured_address(card: Card, settings: Any) -> None:
    settings.SCORECARD_BASE_URL = "https://scorecard.example.com/"
    remind()
    assert "https://scorecard.example.com/o/northwind/s/company/kpi/dso/" in (
        to(card.world.contributor)[0].body
    )


def test_a_failing_mail_server_is_reported(card: Card, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(CommandError, match="could not be sent"):
        remind()
    assert Measurement.objects.filter(kpi=card.dso).count() == 5  # nothing else touched
