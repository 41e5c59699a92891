"""Writes of the history and of notifications.

Every service that changes the strategy, a target or a value calls
:func:`record_change` (or :func:`record_changes` for many at once) inside its own
transaction, so a change and its history entry are saved together or not at all.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import models, transaction

from scorecard import clock
from scorecard.accounts.models import AccountSettings
from scorecard.reviews.models import Comment

from .context import current_actor
from .models import Change, Notification

#: Fields never kept in the history: the item's place is kept in Change's own columns,
#: and creation stamps say nothing a history entry does not.
SKIPPED_FIELDS = {"id", "scorecard", "organization", "created_at", "created_by"}
#: Fields that say which period a value or target is for: kept even when unchanged.
IDENTIFYING_FIELDS = {"period_start"}


@dataclass(frozen=True)
class ItemKind:
    """How a model appears in the history: its kind and where it sits."""

    kind: str
    where: Callable[[Any], dict[str, int | None]]


def _kpi_place(kpi: Any) -> dict[str, int | None]:
    return {"scorecard_id": kpi.scorecard_id, "objective_id": kpi.objective_id, "kpi_id": kpi.pk}


#: Models whose changes are kept, by ``app_label.model_name``.
KINDS: dict[str, ItemKind] = {
    "strategy.scorecard": ItemKind("scorecard", lambda o: {"scorecard_id": o.pk}),
    "strategy.perspective": ItemKind("perspective", lambda o: {"scorecard_id": o.scorecard_id}),
    "strategy.objective": ItemKind(
        "objective", lambda o: {"scorecard_id": o.scorecard_id, "objective_id": o.pk}
    ),
    "strategy.objectivelink": ItemKind(
        "link",
        lambda o: {
            "scorecard_id": o.cause.scorecard_id,
            "objective_id": o.cause_id,
            "related_objective_id": o.effect_id,
        },
    ),
    "kpis.kpi": ItemKind("kpi", _kpi_place),
    "kpis.target": ItemKind("target", lambda o: _kpi_place(o.kpi)),
    "kpis.measurement": ItemKind("measurement", lambda o: _kpi_place(o.kpi)),
    "initiatives.initiative": ItemKind(
        "initiative", lambda o: {"scorecard_id": o.scorecard_id, "initiative_id": o.pk}
    ),
    "initiatives.task": ItemKind(
        "task",
        lambda o: {
            "scorecard_id": o.initiative.scorecard_id,
            "initiative_id": o.initiative_id,
        },
    ),
    "meetings.reviewmeeting": ItemKind("meeting", lambda o: {"scorecard_id": o.scorecard_id}),
    "meetings.decision": ItemKind(
        "decision",
        lambda o: {
            "scorecard_id": o.meeting.scorecard_id,
            "initiative_id": o.task.initiative_id if o.task_id else None,
        },
    ),
}


def kind_of(obj: Any) -> ItemKind:
    """The history kind of a model instance (a KeyError names a model nobody registered)."""
    return KINDS[obj._meta.label_lower]


def json_value(value: Any) -> Any:
    """A field value as JSON: dates as ISO text, money as text, the rest as is."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(obj: Any, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The item's fields as JSON, for ``before``/``after``.

    A foreign key becomes ``{"id": .., "label": ..}`` (the label is what people read in
    the history, the id what a program can follow); a many-to-many field named in
    ``fields`` becomes a list of those.
    """
    wanted = set(fields) if fields is not None else None
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS or (wanted is not None and field.name not in wanted):
            continue
        if isinstance(field, models.ForeignKey):
            related_id = getattr(obj, field.attname)
            if related_id is None:
                out[field.name] = None
            else:
                out[field.name] = {"id": related_id, "label": _label(getattr(obj, field.name))}
            continue
        out[field.name] = json_value(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        if wanted is not None and field.name in wanted and obj.pk is not None:
            related = sorted(getattr(obj, field.name).all(), key=lambda r: r.pk)
            out[field.name] = [{"id": r.pk, "label": _label(r)} for r in related]
    return out


def _label(obj: Any) -> str:
    if obj is None:
        return ""
    if hasattr(obj, "get_full_name"):
        return str(obj.get_full_name() or obj.get_username())
    return str(obj)[:300]


def _differences(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Only the fields that changed (all of them for a creation or deletion)."""
    if before is None or after is None:
        return before, after
    changed = [k for k in {*before, *after} if before.get(k) != after.get(k)]
    if not changed:
        return None, None
    kept = sorted({*changed, *(IDENTIFYING_FIELDS & {*before, *after})})
    return {k: before.get(k) for k in kept}, {k: after.get(k) for k in kept}


def _actor(actor: Any) -> Any:
    actor = actor if actor is not None else current_actor()
    return actor if getattr(actor, "is_authenticated", False) else None


def build_change(
    *,
    obj: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    action: str | None = None,
    actor: Any = None,
    at: dt.datetime | None = None,
    label: str | None = None,
) -> Change | None:
    """An unsaved history entry for ``obj``, or None when nothing changed."""
    before, after = _differences(before, after)
    if before == after:
        return None
    if action is None:
        action = (
            Change.Action.CREATED
            if before is None
            else Change.Action.DELETED
            if after is None
            else Change.Action.CHANGED
        )
    item = kind_of(obj)
    user = _actor(actor)
    return Change(
        at=at or clock.now(),
        actor=user,
        actor_name=_label(user) if user else "",
        action=action,
        kind=item.kind,
        object_id=obj.pk,
        label=(label or _label(obj))[:300],
        before=before,
        after=after,
        **item.where(obj),
    )


def record_change(
    *,
    obj: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    action: str | None = None,
    actor: Any = None,
    label: str | None = None,
) -> Change | None:
    """Keep one change of ``obj``: ``before`` None for a creation, ``after`` None for a
    deletion; otherwise only the fields that differ are kept, and nothing at all when
    none does. The actor defaults to whoever is signed in for this request.

    Call it before deleting ``obj`` (its id is needed) and after creating it.
    """
    change = build_change(
        obj=obj, before=before, after=after, action=action, actor=actor, label=label
    )
    if change is not None:
        change.save()
    return change


def record_changes(changes: Iterable[Change | None]) -> int:
    """Save many history entries with one bulk insert (bulk value entry)."""
    rows = [c for c in changes if c is not None]
    Change.objects.bulk_create(rows)
    return len(rows)


# --- mentions ------------------------------------------------------------------------------

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
    author = _label(comment.author) if comment.author else "Someone"
    subject = f"{author} mentioned you on the {item_kind} “{item_name}”"
    link = f"\n\nOpen it: {url}" if url else ""
    # People who turned mention e-mails off still get the notification in the app.
    quiet = set(
        AccountSettings.objects.filter(user__in=people, email_mentions=False).values_list(
            "user_id", flat=True
        )
    )
    messages = [
        (subject, f"{author} wrote:\n\n{comment.text}{link}\n", settings.DEFAULT_FROM_EMAIL,
         [u.email])
        for u in people
        if u.email and u.pk not in quiet
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
