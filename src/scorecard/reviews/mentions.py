"""Mentions in comments: who is named as ``@username``, their notifications and e-mails.

A comment (reviews) that names members notifies them; the notifications themselves are
rows of the audit app's Notification model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction

from scorecard import clock
from scorecard.audit.models import Notification
from scorecard.audit.services import person_label

from .models import Comment

#: ``@username``: Django user names are letters, digits and @ . + - _; a trailing
#: full stop ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*[\w+-])")


def mentioned_usernames(text: str) -> list[str]:
    """User names mentioned in ``text``, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def members_named(organization_id: int, usernames: Iterable[str]) -> dict[str, Any]:
    """Members of the organization among ``usernames`` (one query), by user name."""
    names = list(usernames)
    if not names:
        return {}
    users = get_user_model().objects.filter(
        username__in=names, memberships__organization_id=organization_id, is_active=True
    )
    return {u.get_username(): u for u in users}


def _comment_place(comment: Comment) -> tuple[int, str, str]:
    """The comment's organization, the item's name and its kind, for a notification."""
    if comment.kpi_id:
        item: Any = comment.kpi
        return item.scorecard.organization_id, item.name, "KPI"
    if comment.objective_id:
        item = comment.objective
        return item.scorecard.organization_id, item.name, "objective"
    item = comment.initiative
    return item.scorecard.organization_id, item.name, "initiative"


@transaction.atomic
def mentions_notify(*, comment: Comment, url: str = "") -> list[Notification]:
    """Notify the members of the comment's organization that it mentions.

    Names that are not members (or are the author) are ignored: the comment is
    saved all the same and shows them as plain text. Each person mentioned gets one
    notification and one e-mail (when they have an address), sent once the
    comment is committed.
    """
    usernames = mentioned_usernames(comment.text)
    if not usernames:
        return []
    organization_id, item_name, item_kind = _comment_place(comment)
    members = members_named(organization_id, usernames)
    people = [u for u in members.values() if u.pk != comment.author_id]
    now = clock.now()
    notifications = Notification.objects.bulk_create(
        [Notification(user=u, comment=comment, created_at=now) for u in people],
        ignore_conflicts=True,
    )
    author = person_label(comment.author) if comment.author else "Someone"
    subject = f"{author} mentioned you on the {item_kind} “{item_name}”"
    link = f"\n\nOpen it: {url}" if url else ""
    messages = [
        (subject, f"{author} wrote:\n\n{comment.text}{link}\n", settings.DEFAULT_FROM_EMAIL,
         [u.email])
        for u in people
        if u.email
    ]  # fmt: skip
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return notifications


@transaction.atomic
def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all, or those in ``ids``) as read."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=clock.now())
