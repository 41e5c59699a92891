"""Reminder e-mails (``scorecard remind``): who owes which values, whose tasks are overdue.

:func:`reminders_plan` works out, for one day, every e-mail to send — a person's
KPIs that still need a value for their last complete period (by each KPI's update
interval) and their overdue tasks, and for admins a summary of who has not
updated — without sending anything. :func:`reminders_send` sends a plan.

Who is reminded of a KPI: its updater, or its owner when it has no updater. An
overdue task goes to its assignee, or to its initiative's owner when nobody is
assigned. Only members of the organization with an e-mail address are written to,
and nobody whose reminders are snoozed on that day.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scorecard.accounts.models import AccountSettings
from scorecard.accounts.services import languages_of
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi, Measurement
from scorecard.organizations.models import Membership, Organization, Role

from .models import ReminderSnooze

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueValue:
    """A KPI that still needs a value for ``period``."""

    kpi: Kpi
    period: periods.Period


@dataclass
class Email:
    """One e-mail of a plan: to whom, about what, and its text."""

    user: Any
    organization: Organization
    kind: str  # "reminder" or "summary"
    subject: str = ""
    body: str = ""
    due: list[DueValue] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    behind: list[tuple[Any, list[DueValue]]] = field(default_factory=list)
    nobody: list[DueValue] = field(default_factory=list)


@dataclass
class ReminderPlan:
    """What one run would send, and whom it leaves out and why."""

    today: dt.date
    emails: list[Email] = field(default_factory=list)
    #: (user, organization, reason) of people who would have had an e-mail
    skipped: list[tuple[Any, Organization, str]] = field(default_factory=list)


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _due_values(organization: Organization, today: dt.date) -> list[DueValue]:
    """Every data-entry KPI of the organization whose last complete period has no value
    (two queries)."""
    fiscal = organization.fiscal_year_start_month
    kpis = list(
        Kpi.objects.filter(scorecard__organization=organization, formula="")
        .select_related("scorecard", "owner", "updater")
        .order_by("scorecard__name", "objective__position", "position", "pk")
    )
    spans = {
        k.pk: periods.last_complete_period(today, et.Interval(k.update_interval), fiscal)
        for k in kpis
    }
    have = set(
        Measurement.objects.filter(
            kpi__in=kpis,
            superseded_at__isnull=True,
            period_start__in={s.start for s in spans.values()},
        ).values_list("kpi_id", "period_start")
    )
    return [DueValue(k, spans[k.pk]) for k in kpis if (k.pk, spans[k.pk].start) not in have]


def _overdue_tasks(organization: Organization, today: dt.date) -> list[Task]:
    return list(
        Task.objects.filter(
            initiative__scorecard__organization=organization,
            deadline__lt=today,
        )
        .exclude(state=Task.State.DONE)
        .exclude(initiative__status__in=[Initiative.Status.DONE, Initiative.Status.CANCELLED])
        .select_related("initiative__scorecard", "initiative__owner", "assignee")
        .order_by("deadline", "pk")
    )


def reminders_plan(*, today: dt.date, organization: Organization | None = None) -> ReminderPlan:
    """Every reminder and admin summary due ``today`` (nothing is sent).

    A fixed number of queries per organization, whatever the number of KPIs.
    """
    plan = ReminderPlan(today)
    organizations = (
        [organization] if organization is not None else list(Organization.objects.order_by("name"))
    )
    snoozed = set(ReminderSnooze.objects.filter(until__gte=today).values_list("user_id", flat=True))
    # People who turned reminder e-mails off on their "My account" page count as snoozed.
    snoozed |= set(
        AccountSettings.objects.filter(email_reminders=False).values_list("user_id", flat=True)
    )
    for org in organizations:
        _plan_organization(plan, org, today, snoozed)
    return plan


def _plan_organization(
    plan: ReminderPlan, org: Organization, today: dt.date, snoozed: set[int]
) -> None:
    members = {
        m.user_id: m
        for m in Membership.objects.filter(organization=org, user__is_active=True).select_related(
            "user"
        )
    }
    due_by_user: dict[int, list[DueValue]] = defaultdict(list)
    nobody: list[DueValue] = []
    for item in _due_values(org, today):
        person = item.kpi.updater or item.kpi.owner
        if person is None or person.pk not in members:
            nobody.append(item)
        else:
            due_by_user[person.pk].append(item)
    tasks_by_user: dict[int, list[Task]] = defaultdict(list)
    for task in _overdue_tasks(org, today):
        person = task.assignee or task.initiative.owner
        if person is not None and person.pk in members:
            tasks_by_user[person.pk].append(task)

    def usable(user: Any) -> bool:
        if user.pk in snoozed:
            plan.skipped.append((user, org, "reminders snoozed"))
            return False
        if not user.email:
            plan.skipped.append((user, org, "no e-mail address"))
            return False
        return True

    for user_id in sorted(set(due_by_user) | set(tasks_by_user), key=lambda pk: pk):
        user = members[user_id].user
        if usable(user):
            email = Email(user, org, "reminder")
            email.due = due_by_user.get(user_id, [])
            email.tasks = tasks_by_user.get(user_id, [])
            plan.emails.append(email)
    behind = [(members[pk].user, items) for pk, items in due_by_user.items()]
    if behind or nobody:
        behind.sort(key=lambda pair: _name(pair[0]).lower())
        admins = [m.user for m in members.values() if m.role == Role.ADMIN]
        for admin in sorted(admins, key=lambda u: u.pk):
            if usable(admin):
                plan.emails.append(Email(admin, org, "summary", behind=behind, nobody=nobody))
    mine = [email for email in plan.emails if email.organization == org]
    languages = languages_of({email.user.pk for email in mine})
    for email in mine:
        # Each e-mail in its recipient's language (My account), else LANGUAGE_CODE.
        with translation.override(languages[email.user.pk]):
            _render(email, today)


def _absolute(path: str) -> str:
    return str(settings.SCORECARD_BASE_URL).rstrip("/") + path


def _render(email: Email, today: dt.date) -> None:
    org = email.organization
    links = {
        "reminders": _absolute(reverse("reminders")),
        "home": _absolute(reverse("home")) + f"?org={org.slug}",
    }
    due = [
        {
            "item": item,
            "url": _absolute(
                reverse("kpi_detail", args=[org.slug, item.kpi.scorecard.slug, item.kpi.code])
            )
            + f"?period={item.period.start.isoformat()}#entry",
        }
        for item in email.due
    ]
    entry = sorted(
        {
            (
                item.kpi.scorecard.name,
                _absolute(reverse("data_entry", args=[org.slug, item.kpi.scorecard.slug])),
            )
            for item in email.due
        }
    )
    tasks = [
        {
            "task": task,
            "url": _absolute(
                reverse(
                    "initiative_detail",
                    args=[org.slug, task.initiative.scorecard.slug, task.initiative_id],
                )
            ),
            "days_late": (today - task.deadline).days if task.deadline else 0,
        }
        for task in email.tasks
    ]
    context = {
        "name": _name(email.user),
        "organization": org,
        "due": due,
        "entry": entry,
        "tasks": tasks,
        "behind": [(_name(user), items) for user, items in email.behind],
        "nobody": email.nobody,
        "links": links,
        "today": today,
    }
    if email.kind == "reminder":
        values = len(email.due)
        count = len(email.tasks)
        values_text = ngettext("%(count)d value to enter", "%(count)d values to enter", values) % {
            "count": values
        }
        tasks_text = ngettext("%(count)d overdue task", "%(count)d overdue tasks", count) % {
            "count": count
        }
        if email.due and email.tasks:
            what = _("%(values)s and %(tasks)s") % {"values": values_text, "tasks": tasks_text}
        else:
            what = values_text if email.due else tasks_text
        email.subject = _("%(organization)s: %(what)s") % {"organization": org.name, "what": what}
        email.body = render_to_string("reviews/email/reminder.txt", context)
    else:
        people = len(email.behind)
        email.subject = ngettext(
            "%(organization)s: %(count)d person has values to enter",
            "%(organization)s: %(count)d people have values to enter",
            people,
        ) % {"organization": org.name, "count": people}
        email.body = render_to_string("reviews/email/summary.txt", context)


def reminders_send(*, plan: ReminderPlan) -> tuple[int, list[str]]:
    """Send every e-mail of ``plan``; returns (sent, problems). One failure does not stop
    the others: each problem names the recipient and the reason."""
    sent, problems = 0, []
    connection = get_connection()
    for email in plan.emails:
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.user.email],
            connection=connection,
        )
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # SMTP errors come in many types; report each and go on
            logger.warning("reminder to %s failed: %s", email.user.email, exc)
            problems.append(f"{email.user.email}: {exc}")
        else:
            sent += 1
    return sent, problems
