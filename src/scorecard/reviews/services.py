"""Writes for comments, usage (who opened what) and reminder snoozes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.besteffort import bookkeeping
from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.strategy.models import Objective

from .mentions import mentions_notify
from .models import Comment, KpiView, ObjectiveView, ReminderSnooze

MAX_COMMENT = 4000


@transaction.atomic
def comment_add(
    *, item: Kpi | Objective | Initiative, author: Any, text: str, url: str = ""
) -> Comment:
    """Add a member's comment to a KPI, an objective or an initiative.

    Members mentioned as ``@username`` are notified (see reviews.mentions.mentions_notify);
    ``url`` is the item's address for the e-mail.
    """
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write something first.")})
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            {
                "text": _("A comment can be at most %(MAX_COMMENT)s characters.")
                % {"MAX_COMMENT": MAX_COMMENT}
            }
        )
    field = {Kpi: "kpi", Objective: "objective", Initiative: "initiative"}[type(item)]
    comment = Comment.objects.create(
        **{field: item}, author=author, text=text, created_at=clock.now()
    )
    mentions_notify(comment=comment, url=url)
    return comment


def comment_add_to_kpi(*, kpi: Kpi, author: Any, text: str, url: str = "") -> Comment:
    """Add a member's comment to a KPI."""
    return comment_add(item=kpi, author=author, text=text, url=url)


def usage_record_view(
    *, user: Any, kpi: Kpi | None = None, objective: Objective | None = None
) -> None:
    """Note that ``user`` opened a KPI's or an objective's page today.

    One INSERT that ignores a duplicate (one row per person, item and day), so a
    page pays one query however often it is opened. Anonymous users leave no trace.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return
    now = clock.now()
    day = clock.today()
    # Bookkeeping: skipped rather than making the page wait for a busy database.
    if kpi is not None:
        bookkeeping(
            lambda: KpiView.objects.bulk_create(
                [KpiView(kpi=kpi, user=user, day=day, first_seen_at=now)], ignore_conflicts=True
            ),
            what="A KPI page view",
        )
    if objective is not None:
        bookkeeping(
            lambda: ObjectiveView.objects.bulk_create(
                [ObjectiveView(objective=objective, user=user, day=day, first_seen_at=now)],
                ignore_conflicts=True,
            ),
            what="An objective page view",
        )


#: Longest snooze a person may ask for (a quarter, so nobody drops out for good by accident).
MAX_SNOOZE_DAYS = 92


@transaction.atomic
def reminders_snooze(*, user: Any, days: int | str) -> ReminderSnooze:
    """Pause ``user``'s reminder e-mails for ``days`` days from today (inclusive)."""
    try:
        count = int(str(days).strip())
    except ValueError:
        raise ValidationError({"days": _("Enter a whole number of days, e.g. 7.")}) from None
    if not 1 <= count <= MAX_SNOOZE_DAYS:
        raise ValidationError(
            {
                "days": _("Choose between 1 and %(MAX_SNOOZE_DAYS)s days.")
                % {"MAX_SNOOZE_DAYS": MAX_SNOOZE_DAYS}
            }
        )
    until = clock.today() + dt.timedelta(days=count - 1)
    snooze, _created = ReminderSnooze.objects.update_or_create(
        user=user, defaults={"until": until, "set_at": clock.now()}
    )
    return snooze


def reminders_resume(*, user: Any) -> None:
    """End ``user``'s snooze: reminders come again from the next run."""
    ReminderSnooze.objects.filter(user=user).delete()
