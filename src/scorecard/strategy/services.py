"""Writes for scorecards, perspectives, objectives and the strategy map."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scorecard.audit.services import record_change, snapshot
from scorecard.limits import checked_create, lengths_check
from scorecard.naming import name_check, slug_check, slug_for_name
from scorecard.organizations.models import Organization, Unit

from .models import (
    DEFAULT_PERSPECTIVES,
    Objective,
    ObjectiveLink,
    Perspective,
    Scorecard,
)


def _weight(value: Any, field: str = "weight") -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {field: _("“%(value)s” is not a number.") % {"value": value}}
        ) from None
    if not number > 0:
        raise ValidationError({field: _("A weight must be greater than zero.")})
    return number


@transaction.atomic
def scorecard_create(
    *,
    organization: Organization,
    unit: Unit,
    name: str,
    slug: str = "",
    vision: str = "",
    mission: str = "",
    parent: Scorecard | None = None,
    with_default_perspectives: bool = True,
) -> Scorecard:
    """Create a unit's scorecard, with the four classic perspectives unless told otherwise."""
    if unit.organization_id != organization.pk:
        raise ValidationError({"unit": _("The unit belongs to another organization.")})
    if parent is not None and parent.organization_id != organization.pk:
        raise ValidationError(
            {"parent": _("The parent scorecard belongs to another organization.")}
        )
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A scorecard needs a name.")})
    cards = Scorecard.objects.filter(organization=organization)
    if slug:
        slug_check(slug, field="slug", label="short name")
    slug = slug or slug_for_name(name, scope=cards, prefix="scorecard")
    if cards.filter(slug=slug).exists():
        raise ValidationError(
            {
                "name": _("A scorecard with the short name “%(slug)s” exists already.")
                % {"slug": slug}
            }
        )
    scorecard = checked_create(
        Scorecard,
        organization=organization,
        unit=unit,
        name=name,
        slug=slug,
        vision=vision,
        mission=mission,
        parent=parent,
    )
    if with_default_perspectives:
        Perspective.objects.bulk_create(
            Perspective(scorecard=scorecard, kind=kind, name=str(label), position=index)
            for index, (kind, label) in enumerate(DEFAULT_PERSPECTIVES)
        )
    record_change(obj=scorecard, before=None, after=snapshot(scorecard))
    return scorecard


@transaction.atomic
def scorecard_update(*, scorecard: Scorecard, **fields: Any) -> Scorecard:
    """Change a scorecard's name, vision, mission or rollup settings."""
    allowed = {
        "name", "vision", "mission", "aggregator", "missing_policy", "score_cap", "min_coverage",
    }  # fmt: skip
    before = snapshot(scorecard)
    if "name" in fields:
        fields["name"] = name_check(fields["name"], what="A scorecard")
    for field, value in fields.items():
        if field not in allowed:
            raise TypeError(f"Unknown scorecard field: {field}")
        setattr(scorecard, field, value)
    scorecard.full_clean(exclude=["organization", "unit", "parent", "slug"])
    lengths_check(scorecard)
    scorecard.save()
    record_change(obj=scorecard, before=before, after=snapshot(scorecard))
    return scorecard


@transaction.atomic
def perspective_create(
    *, scorecard: Scorecard, name: str, kind: str = "other", weight: float = 1.0
) -> Perspective:
    """Add a perspective at the bottom of the scorecard."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A perspective needs a name.")})
    if Perspective.objects.filter(scorecard=scorecard, name=name).exists():
        raise ValidationError(
            {"name": _("This scorecard already has a perspective “%(name)s”.") % {"name": name}}
        )
    last = Perspective.objects.filter(scorecard=scorecard).aggregate(m=Max("position"))["m"]
    perspective = checked_create(
        Perspective,
        scorecard=scorecard,
        name=name,
        kind=kind,
        weight=_weight(weight),
        position=0 if last is None else last + 1,
    )
    record_change(obj=perspective, before=None, after=snapshot(perspective))
    return perspective


@transaction.atomic
def perspective_update(*, perspective: Perspective, **fields: Any) -> Perspective:
    """Rename or re-weigh a perspective."""
    before = snapshot(perspective)
    if "weight" in fields:
        fields["weight"] = _weight(fields["weight"])
    if "name" in fields:
        name = str(fields["name"]).strip()
        clash = Perspective.objects.filter(scorecard_id=perspective.scorecard_id, name=name)
        if not name:
            raise ValidationError({"name": _("A perspective needs a name.")})
        if clash.exclude(pk=perspective.pk).exists():
            raise ValidationError(
                {"name": _("This scorecard already has a perspective “%(name)s”.") % {"name": name}}
            )
        fields["name"] = name
    for field, value in fields.items():
        if field not in {"name", "kind", "weight", "position"}:
            raise TypeError(f"Unknown perspective field: {field}")
        setattr(perspective, field, value)
    lengths_check(perspective)
    perspective.save()
    record_change(obj=perspective, before=before, after=snapshot(perspective))
    return perspective


@transaction.atomic
def perspective_delete(*, perspective: Perspective) -> None:
    """Delete an empty perspective; one with objectives is refused, nothing is lost."""
    count = perspective.objectives.count()
    if count:
        raise ValidationError(
            {
                "__all__": ngettext(
                    "“%(name)s” still has %(count)s objective; move or delete it first.",
                    "“%(name)s” still has %(count)s objectives; move or delete them first.",
                    count,
                )
                % {"name": perspective.name, "count": count}
            }
        )
    record_change(obj=perspective, before=snapshot(perspective), after=None)
    perspective.delete()


@transaction.atomic
def objective_create(
    *,
    perspective: Perspective,
    name: str,
    code: str = "",
    description: str = "",
    owner: Any = None,
    weight: float = 1.0,
    due_date: Any = None,
) -> Objective:
    """Add an objective at the end of ``perspective``."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("An objective needs a name.")})
    objectives = Objective.objects.filter(scorecard_id=perspective.scorecard_id)
    if code:
        slug_check(code, field="code", label="code")
    code = code or slug_for_name(name, scope=objectives, prefix="objective", field="code")
    if objectives.filter(code=code).exists():
        raise ValidationError(
            {
                "code": _("Another objective in this scorecard uses the code “%(code)s”.")
                % {"code": code}
            }
        )
    last = Objective.objects.filter(perspective=perspective).aggregate(m=Max("position"))["m"]
    objective = checked_create(
        Objective,
        scorecard_id=perspective.scorecard_id,
        perspective=perspective,
        code=code,
        name=name,
        description=description,
        owner=owner,
        weight=_weight(weight),
        due_date=due_date,
        position=0 if last is None else last + 1,
    )
    record_change(obj=objective, before=None, after=snapshot(objective))
    return objective


@transaction.atomic
def objective_update(*, objective: Objective, **fields: Any) -> Objective:
    """Change an objective; moving it to another scorecard's perspective is refused."""
    allowed = {
        "name",
        "code",
        "description",
        "owner",
        "weight",
        "due_date",
        "perspective",
        "position",
    }
    before = snapshot(objective)
    if "name" in fields:
        fields["name"] = name_check(fields["name"], what="An objective")
    perspective = fields.get("perspective")
    if perspective is not None and perspective.scorecard_id != objective.scorecard_id:
        raise ValidationError({"perspective": _("The perspective belongs to another scorecard.")})
    if "weight" in fields:
        fields["weight"] = _weight(fields["weight"])
    code = fields.get("code")
    if (
        code
        and code != objective.code
        and Objective.objects.filter(scorecard_id=objective.scorecard_id, code=code).exists()
    ):
        raise ValidationError(
            {
                "code": _("Another objective in this scorecard uses the code “%(code)s”.")
                % {"code": code}
            }
        )
    for field, value in fields.items():
        if field not in allowed:
            raise TypeError(f"Unknown objective field: {field}")
        setattr(objective, field, value)
    objective.full_clean(exclude=["scorecard", "perspective", "owner"])
    lengths_check(objective)
    objective.save()
    record_change(obj=objective, before=before, after=snapshot(objective))
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective) -> None:
    """Delete an objective with its KPIs and their data (callers confirm first)."""
    record_change(obj=objective, before=snapshot(objective), after=None)
    objective.delete()


@transaction.atomic
def link_create(*, cause: Objective, effect: Objective, note: str = "") -> ObjectiveLink:
    """Draw a cause → effect arrow between two objectives of the same scorecard."""
    if cause.pk == effect.pk:
        raise ValidationError({"effect": _("An objective cannot cause itself.")})
    if cause.scorecard_id != effect.scorecard_id:
        raise ValidationError({"effect": _("Both objectives must be on the same strategy map.")})
    if ObjectiveLink.objects.filter(cause=cause, effect=effect).exists():
        raise ValidationError(
            {
                "effect": _("“%(name)s” already leads to “%(effect_name)s”.")
                % {"name": cause.name, "effect_name": effect.name}
            }
        )
    link = ObjectiveLink.objects.create(cause=cause, effect=effect, note=note.strip())
    record_change(obj=link, before=None, after=snapshot(link))
    return link


@transaction.atomic
def link_delete(*, link: ObjectiveLink) -> None:
    """Remove an arrow from the strategy map."""
    record_change(obj=link, before=snapshot(link), after=None)
    link.delete()


def _move(item: Any, siblings: list[Any], up: bool) -> None:
    """Swap ``item`` with its neighbour and renumber positions 0, 1, 2 ... ."""
    siblings.sort(key=lambda p: (p.position, p.pk))
    index = next(i for i, p in enumerate(siblings) if p.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            before = {"position": sibling.position}
            sibling.position = position
            sibling.save(update_fields=["position"])
            record_change(obj=sibling, before=before, after={"position": position})


@transaction.atomic
def perspective_move(*, perspective: Perspective, up: bool) -> None:
    """Swap a perspective with its neighbour above (``up``) or below."""
    _move(perspective, list(Perspective.objects.filter(scorecard_id=perspective.scorecard_id)), up)


@transaction.atomic
def objective_move(*, objective: Objective, up: bool) -> None:
    """Swap an objective with its neighbour within its perspective."""
    _move(objective, list(Objective.objects.filter(perspective_id=objective.perspective_id)), up)


@transaction.atomic
def scorecard_delete(*, scorecard: Scorecard) -> None:
    """Delete a scorecard with everything in it (callers confirm first).

    Scorecards cascaded from it stay; they lose their parent link.
    """
    record_change(obj=scorecard, before=snapshot(scorecard), after=None)
    # Objectives protect their perspectives, so they (with their KPIs and data) go first.
    Objective.objects.filter(scorecard=scorecard).delete()
    scorecard.delete()
