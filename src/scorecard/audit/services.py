"""Writes of the change history.

Every service that changes the strategy, a target or a value calls
:func:`record_change` (or :func:`record_changes` for many at once) inside its own
transaction, so a change and its history entry are saved together or not at all.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from scorecard import clock

from .context import current_actor
from .integrity import person_hold
from .models import Change

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
    "strategy.objectivealignment": ItemKind(
        "alignment",
        lambda o: {
            "scorecard_id": o.child.scorecard_id,
            "objective_id": o.child_id,
            "related_objective_id": o.parent_id,
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
    "commentary.commentary": ItemKind("commentary", lambda o: {"scorecard_id": o.scorecard_id}),
    "meetings.reviewmeeting": ItemKind("meeting", lambda o: {"scorecard_id": o.scorecard_id}),
    "meetings.decision": ItemKind(
        "decision",
        lambda o: {
            "scorecard_id": o.meeting.scorecard_id,
            "initiative_id": o.task.initiative_id if o.task_id else None,
        },
    ),
    # Involvement (proposals, pulses, share links): registered by name, no import needed.
    "proposals.proposal": ItemKind(
        "proposal",
        lambda o: {
            "scorecard_id": o.scorecard_id,
            "objective_id": o.objective_id,
            "kpi_id": o.kpi_id,
            "initiative_id": o.initiative_id,
        },
    ),
    "pulses.pulse": ItemKind("pulse", lambda o: {}),
    "sharing.sharelink": ItemKind("share link", lambda o: {"scorecard_id": o.scorecard_id}),
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
                out[field.name] = {
                    "id": related_id,
                    "label": person_label(getattr(obj, field.name)),
                }
            continue
        out[field.name] = json_value(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        if wanted is not None and field.name in wanted and obj.pk is not None:
            related = sorted(getattr(obj, field.name).all(), key=lambda r: r.pk)
            out[field.name] = [{"id": r.pk, "label": person_label(r)} for r in related]
    return out


def person_label(obj: Any) -> str:
    """A short name for a person or item, as history entries and e-mails show it."""
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
        actor_name=person_label(user) if user else "",
        action=action,
        kind=item.kind,
        object_id=obj.pk,
        label=(label or person_label(obj))[:300],
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
        person_hold(change.actor_id)  # the actor is a plain id (audit.integrity)
        change.save()
    return change


def record_changes(changes: Iterable[Change | None]) -> int:
    """Save many history entries with one bulk insert (bulk value entry)."""
    rows = [c for c in changes if c is not None]
    for actor_id in sorted({c.actor_id for c in rows if c.actor_id is not None}):
        person_hold(actor_id)  # once per person, not per entry (audit.integrity)
    Change.objects.bulk_create(rows)
    return len(rows)
