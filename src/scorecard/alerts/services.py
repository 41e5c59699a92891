"""Raising alerts, watching items, and the daily digest.

An alert is raised for each person concerned whose preference for its kind is not
"off": a row in their feed, and an e-mail once the change is committed when the
preference is "at once" (mentions excepted: the comments feature already e-mails
them). "Daily digest" alerts wait for :func:`digest_send`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.accounts.models import AccountSettings, AlertDelivery
from scorecard.accounts.services import language_for, languages_of
from scorecard.engine.text import kept_columns
from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Objective

from . import titles
from .models import Alert, Kind, Watch

#: The AccountSettings field holding each kind's preference.
PREFERENCE_FIELD = {
    Kind.STATUS: "alert_status",
    Kind.APPROVAL: "alert_approval",
    Kind.TASK: "alert_task",
    Kind.MENTION: "alert_mention",
    Kind.DECISION: "alert_decision",
}
#: Kinds whose "at once" e-mail another feature already sends.
EMAILED_ELSEWHERE = {Kind.MENTION}


def absolute_url(path: str) -> str:
    """``path`` under the site's address (SCORECARD_BASE_URL), for e-mails."""
    return str(settings.SCORECARD_BASE_URL).rstrip("/") + path


def kpi_url(kpi: Kpi) -> str:
    """The KPI page."""
    return reverse(
        "kpi_detail", args=[kpi.scorecard.organization.slug, kpi.scorecard.slug, kpi.code]
    )


def task_url(task: Task) -> str:
    """The page of the task's initiative."""
    initiative = task.initiative
    return reverse(
        "initiative_detail",
        args=[initiative.scorecard.organization.slug, initiative.scorecard.slug, initiative.pk],
    )


def preferences(users: Iterable[Any]) -> dict[int, AccountSettings]:
    """Each user's settings (unsaved defaults for those who never saved any), one query."""
    people = {u.pk: u for u in users}
    found = {s.user_id: s for s in AccountSettings.objects.filter(user_id__in=people)}
    return {pk: found.get(pk) or AccountSettings(user=u) for pk, u in people.items()}


def delivery_of(account: AccountSettings, kind: str) -> str:
    """The person's preference for ``kind``: "now", "digest" or "off"."""
    return str(getattr(account, PREFERENCE_FIELD[Kind(kind)]))


@dataclass(frozen=True)
class Notice:
    """One event to tell ``users`` about (see :func:`alerts_raise_many`)."""

    users: list[Any]
    title: str
    url: str
    key: str


@transaction.atomic
def alerts_raise(
    *,
    users: Iterable[Any],
    kind: str,
    organization: Organization,
    title: str,
    url: str = "",
    key: str,
) -> list[Alert]:
    """Put an alert in the feed of each of ``users`` who wants this kind (see the module).

    ``key`` names the event: raising the same key again for a person does nothing.
    Inactive people and people no longer members of ``organization`` are skipped.
    """
    return alerts_raise_many(
        kind=kind, organization=organization,
        notices=[Notice(list(users), title, url, key)],
    )  # fmt: skip


@transaction.atomic
def alerts_raise_many(
    *, kind: str, organization: Organization, notices: list[Notice]
) -> list[Alert]:
    """:func:`alerts_raise` for many events of one kind at once, in four queries."""
    candidates = {u.pk for n in notices for u in n.users if u is not None}
    if not candidates:
        return []
    people = {
        u.pk: u
        for u in get_user_model()
        .objects.filter(pk__in=candidates, is_active=True, memberships__organization=organization)
        .distinct()
    }
    if not people:
        return []
    prefs = preferences(people.values())
    wanted = {pk for pk in people if delivery_of(prefs[pk], kind) != AlertDelivery.OFF}
    keys = {n.key[:200] for n in notices}
    taken = set(
        Alert.objects.filter(user_id__in=wanted, key__in=keys).values_list("user_id", "key")
    )
    now = clock.now()
    new: list[Alert] = []
    for notice in notices:
        key = notice.key[:200]
        title_columns = kept_columns("title", notice.title, 300)
        for pk in dict.fromkeys(u.pk for u in notice.users if u is not None):
            if pk not in wanted or (pk, key) in taken:
                continue
            taken.add((pk, key))
            new.append(
                Alert(user=people[pk], organization=organization, kind=kind,
                      **title_columns,
                      url=notice.url, key=key, created_at=now,
                      emailed_at=now if _emailed_elsewhere(prefs[pk], kind) else None)
            )  # fmt: skip
    created = Alert.objects.bulk_create(new)
    at_once = [
        a.pk
        for a in created
        if delivery_of(prefs[a.user_id], kind) == AlertDelivery.AT_ONCE
        and kind not in EMAILED_ELSEWHERE
    ]
    if at_once:
        transaction.on_commit(lambda: alerts_email(ids=at_once))
    return created


def _emailed_elsewhere(account: AccountSettings, kind: str) -> bool:
    return kind in EMAILED_ELSEWHERE and delivery_of(account, kind) == AlertDelivery.AT_ONCE


def alerts_email(*, ids: list[int]) -> int:
    """E-mail each of these alerts (still existing, not yet e-mailed) to its person."""
    rows = list(Alert.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("user"))
    languages = languages_of({a.user_id for a in rows})
    messages = []
    for a in rows:
        if a.user.email:
            # Each e-mail in its recipient's language (My account), else LANGUAGE_CODE.
            with translation.override(languages[a.user_id]):
                messages.append(
                    (a.shown_title, _body([a]), settings.DEFAULT_FROM_EMAIL, [a.user.email])
                )
    Alert.objects.filter(pk__in=[a.pk for a in rows]).update(emailed_at=clock.now())
    if messages:
        send_mass_mail(messages, fail_silently=True)
    return len(messages)


def _body(alerts: list[Alert]) -> str:
    lines = []
    for alert in alerts:
        lines.append(f"- {alert.shown_title}")
        if alert.url:
            lines.append(f"  {absolute_url(alert.url)}")
    feed = absolute_url(reverse("alerts"))
    return "\n".join(lines) + "\n\n" + _("All your alerts: %(url)s") % {"url": feed} + "\n"


# Watching ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Watched:
    """The one item a watch is about: a KPI, an objective or an initiative."""

    kpi: Kpi | None = None
    objective: Objective | None = None
    initiative: Initiative | None = None

    def filter(self) -> dict[str, Any]:
        if self.kpi is not None:
            return {"kpi": self.kpi}
        if self.objective is not None:
            return {"objective": self.objective}
        return {"initiative": self.initiative}


@transaction.atomic
def watch_set(*, user: Any, item: Watched, watching: bool) -> bool:
    """Start or stop watching ``item``; returns whether the user now watches it."""
    if watching:
        Watch.objects.get_or_create(
            user=user, **item.filter(), defaults={"created_at": clock.now()}
        )
    else:
        Watch.objects.filter(user=user, **item.filter()).delete()
    return watching


# Feed ---------------------------------------------------------------------------------


@transaction.atomic
def alerts_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's alerts (all, or those in ``ids``) as read."""
    rows = Alert.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=clock.now())


# Overdue tasks and the daily digest ---------------------------------------------------


def overdue_tasks_raise(*, today: dt.date) -> int:
    """Alert the assignee (and the initiative's watchers) of each open task past its deadline.

    Once per task and deadline: moving the deadline and missing it again alerts again.
    """
    tasks = (
        Task.objects.filter(deadline__lt=today, assignee__isnull=False)
        .exclude(state=Task.State.DONE)
        .select_related("initiative__scorecard__organization", "assignee")
    )
    watchers: dict[int, list[Any]] = defaultdict(list)
    for watch in Watch.objects.filter(
        initiative__in={t.initiative_id for t in tasks}
    ).select_related("user"):
        watchers[watch.initiative_id].append(watch.user)  # type: ignore[index]
    raised = 0
    for task in tasks:
        initiative = task.initiative
        raised += len(
            alerts_raise(
                users=[task.assignee, *watchers[initiative.pk]],
                kind=Kind.TASK,
                organization=initiative.scorecard.organization,
                title=titles.task_overdue(
                    task=task.name,
                    initiative=initiative.name,
                    deadline=task.deadline or today,  # the query keeps tasks with one
                ),
                url=task_url(task),
                key=f"task-overdue:{task.pk}:{task.deadline}",
            )
        )
    return raised


@dataclass(frozen=True)
class DigestResult:
    people: int
    alerts: int


def digest_send(*, now: dt.datetime | None = None) -> DigestResult:
    """Raise overdue-task alerts, then e-mail each person who chose the daily digest
    one message with their alerts not yet e-mailed. Running it twice sends nothing new.
    """
    now = now or clock.now()
    overdue_tasks_raise(today=clock.today())
    pending = list(
        Alert.objects.filter(emailed_at__isnull=True, created_at__lte=now)
        .select_related("user")
        .order_by("user_id", "created_at", "id")
    )
    by_user: dict[int, list[Alert]] = defaultdict(list)
    for alert in pending:
        by_user[alert.user_id].append(alert)
    prefs = preferences(get_user_model().objects.filter(pk__in=by_user))
    messages = []
    sent: list[int] = []
    for user_id, alerts in by_user.items():
        mine = [a for a in alerts if delivery_of(prefs[user_id], a.kind) == AlertDelivery.DIGEST]
        user = alerts[0].user
        if not mine or not user.email or not user.is_active:
            continue
        with translation.override(language_for(prefs[user_id].language)):
            subject = ngettext(
                "Scorecard: %(count)d alert since yesterday",
                "Scorecard: %(count)d alerts since yesterday",
                len(mine),
            ) % {"count": len(mine)}
            messages.append((subject, _body(mine), settings.DEFAULT_FROM_EMAIL, [user.email]))
        sent.extend(a.pk for a in mine)
    Alert.objects.filter(pk__in=sent).update(emailed_at=now)
    if messages:
        send_mass_mail(messages, fail_silently=True)
    return DigestResult(people=len(messages), alerts=len(sent))


@transaction.atomic
def alert_preferences_set(*, user: Any, **choices: str) -> AccountSettings:
    """Save the person's delivery choice per kind (``status="digest"`` …).

    The mention choice also sets the comments feature's ``email_mentions`` (it sends
    mention e-mails at once), so the two never disagree.
    """
    errors = {}
    values: dict[str, Any] = {}
    for kind, choice in choices.items():
        if kind not in Kind.values:
            errors[kind] = gettext("Unknown kind of alert.")
        elif choice not in AlertDelivery.values:
            errors[kind] = gettext("Choose at once, daily digest or off.")
        else:
            values[PREFERENCE_FIELD[Kind(kind)]] = choice
    if errors:
        raise ValidationError(errors)
    if "alert_mention" in values:
        values["email_mentions"] = values["alert_mention"] == AlertDelivery.AT_ONCE
    account, _ = AccountSettings.objects.update_or_create(user=user, defaults=values)
    return account
