"""Writes for cascading: a unit's scorecard made from its parent's, and alignments.

See docs/cascading.md. A cascaded scorecard gets the parent's perspectives, one
objective per chosen parent objective (aligned to it with a contribution share)
and, on request, copies of those objectives' KPIs with their targets (each aligned
to the KPI it was copied from, so values can roll up across the unit tree).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from scorecard import clock
from scorecard.audit.services import record_change, snapshot
from scorecard.engine.formulas import FormulaError, references
from scorecard.kpis.models import Kpi, KpiAlignment, Target
from scorecard.naming import slug_check, slug_for_name
from scorecard.organizations.models import Unit
from scorecard.strategy.models import Objective, ObjectiveAlignment, Perspective, Scorecard
from scorecard.strategy.services import scorecard_create

#: The share a cascaded objective makes up of its parent objective unless told otherwise:
#: half, so the parent's own KPIs keep counting for the other half.
DEFAULT_SHARE = 0.5
#: KPI fields that stay with the parent: who owns and updates a unit's KPI is the unit's call.
_KPI_FIELDS_NOT_COPIED = {"id", "scorecard", "objective", "owner", "updater", "created_at"}


def share_value(raw: Any, *, label: str = "The share") -> float:
    """A contribution share from user input: a number above 0 and at most 1."""
    try:
        share = float(raw)
    except (TypeError, ValueError):
        raise ValidationError({"share": f"{label} “{raw}” is not a number."}) from None
    if not math.isfinite(share) or not 0 < share <= 1:
        raise ValidationError(
            {"share": f"{label} must be more than 0 and at most 1 (100 %); “{raw}” is not."}
        )
    return share


def is_below(unit: Unit, ancestor: Unit) -> bool:
    """True when ``unit`` sits somewhere under ``ancestor`` in the unit tree (one query)."""
    parents = dict(
        Unit.objects.filter(organization_id=ancestor.organization_id).values_list("pk", "parent_id")
    )
    seen: set[int] = set()
    current = parents.get(unit.pk)
    while current is not None and current not in seen:
        if current == ancestor.pk:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _scorecard_above(child: Scorecard, parent: Scorecard) -> bool:
    """True when ``parent`` is ``child``'s parent scorecard, or that one's, and so on."""
    cards = dict(
        Scorecard.objects.filter(organization_id=child.organization_id).values_list(
            "pk", "parent_id"
        )
    )
    seen: set[int] = set()
    current = cards.get(child.pk)
    while current is not None and current not in seen:
        if current == parent.pk:
            return True
        seen.add(current)
        current = cards.get(current)
    return False


@transaction.atomic
def alignment_create(
    *, child: Objective, parent: Objective, share: Any = 1.0
) -> ObjectiveAlignment:
    """Align a unit's objective to an objective of a scorecard above it.

    ``share`` is the part of the parent objective the child makes up (0 < share <= 1).
    Scores flow one way only, from a scorecard to the ones it is cascaded from, so an
    alignment can never make a loop.
    """
    value = share_value(share)
    if child.scorecard.organization_id != parent.scorecard.organization_id:
        raise ValidationError({"parent": "The objective belongs to another organization."})
    if child.scorecard_id == parent.scorecard_id:
        raise ValidationError(
            {"parent": "An objective can only be aligned to one of a scorecard above it."}
        )
    if not _scorecard_above(child.scorecard, parent.scorecard):
        raise ValidationError(
            {
                "parent": f"“{parent.scorecard.name}” is not a scorecard that "
                f"“{child.scorecard.name}” is cascaded from."
            }
        )
    if ObjectiveAlignment.objects.filter(child=child, parent=parent).exists():
        raise ValidationError({"parent": f"“{child.name}” is aligned to “{parent.name}” already."})
    alignment = ObjectiveAlignment.objects.create(child=child, parent=parent, share=value)
    record_change(obj=alignment, before=None, after=snapshot(alignment))
    return alignment


@transaction.atomic
def alignment_update(*, alignment: ObjectiveAlignment, share: Any) -> ObjectiveAlignment:
    """Change the share an aligned objective makes up of its parent objective (kept in
    the history: a share changes the parent's score)."""
    before = snapshot(alignment)
    alignment.share = share_value(share)
    alignment.save(update_fields=["share"])
    record_change(obj=alignment, before=before, after=snapshot(alignment))
    return alignment


@transaction.atomic
def alignment_delete(*, alignment: ObjectiveAlignment) -> None:
    """Stop an objective counting towards the one above (both objectives stay)."""
    record_change(obj=alignment, before=snapshot(alignment), after=None)
    alignment.delete()


@dataclass
class CascadeOutcome:
    """What :func:`scorecard_cascade` made, for the message the user sees."""

    scorecard: Scorecard
    objectives: int = 0
    kpis: int = 0
    targets: int = 0
    left_out: list[str] = field(default_factory=list)


def _check(
    parent: Scorecard, unit: Unit, objectives: Sequence[Objective], name: str, slug: str
) -> None:
    if unit.organization_id != parent.organization_id:
        raise ValidationError({"unit": "The unit belongs to another organization."})
    if unit.pk == parent.unit_id or not is_below(unit, parent.unit):
        raise ValidationError(
            {
                "unit": f"Choose a unit below {parent.unit.name}: a scorecard is cascaded "
                "down the unit tree."
            }
        )
    if not objectives:
        raise ValidationError({"objectives": "Choose at least one objective to cascade."})
    foreign = [o.name for o in objectives if o.scorecard_id != parent.pk]
    if foreign:
        raise ValidationError(
            {"objectives": f"“{foreign[0]}” is not an objective of “{parent.name}”."}
        )
    if not name:
        raise ValidationError({"name": "The new scorecard needs a name."})
    slug_check(slug, field="slug", label="short name")
    clash = (
        Scorecard.objects.filter(organization_id=parent.organization_id, slug=slug)
        .select_related("unit")
        .first()
    )
    if clash is not None:
        where = "this unit" if clash.unit_id == unit.pk else clash.unit.name
        raise ValidationError(
            {
                "slug": f"{where[0].upper()}{where[1:]} already has a scorecard with the short "
                f"name “{slug}” (“{clash.name}”). Choose another name or short name."
            }
        )


@transaction.atomic
def scorecard_cascade(
    *,
    parent: Scorecard,
    unit: Unit,
    objectives: Sequence[Objective],
    shares: Mapping[int, Any] | None = None,
    copy_kpis: bool = False,
    name: str = "",
    slug: str = "",
    user: Any = None,
) -> CascadeOutcome:
    """Make ``unit``'s scorecard from ``parent``, in one transaction (all or nothing).

    The new scorecard is cascaded from ``parent``: it gets the same perspectives and
    rollup settings, and one objective per chosen objective, aligned to it with the
    share from ``shares`` (objective id → 0 < share <= 1, default :data:`DEFAULT_SHARE`).
    With ``copy_kpis`` each chosen objective's KPIs are copied with their targets
    (not their values: the unit records its own) and aligned to the parent's KPIs.
    A calculated KPI whose formula uses a KPI that is not copied is left out, and
    named in the outcome.
    """
    shares = shares or {}
    name = (name or "").strip() or f"{unit.name} – {parent.name}"
    slug = (slug or "").strip() or slug_for_name(
        name,
        scope=Scorecard.objects.filter(organization_id=parent.organization_id),
        prefix="scorecard",
    )
    _check(parent, unit, objectives, name, slug)
    objectives = list(
        Objective.objects.filter(scorecard=parent, pk__in=[o.pk for o in objectives])
        .select_related("perspective")
        .order_by("perspective__position", "perspective_id", "position", "id")
    )
    checked = {
        o.pk: share_value(shares.get(o.pk, DEFAULT_SHARE), label=f"The share of “{o.name}”")
        for o in objectives
    }

    card = scorecard_create(
        organization=parent.organization,
        unit=unit,
        name=name,
        slug=slug,
        parent=parent,
        with_default_perspectives=False,
    )
    card.aggregator, card.missing_policy = parent.aggregator, parent.missing_policy
    card.score_cap, card.min_coverage = parent.score_cap, parent.min_coverage
    card.save(update_fields=["aggregator", "missing_policy", "score_cap", "min_coverage"])
    outcome = CascadeOutcome(scorecard=card)

    perspectives = {
        p.pk: Perspective.objects.create(
            scorecard=card, name=p.name, kind=p.kind, position=p.position, weight=p.weight
        )
        for p in Perspective.objects.filter(scorecard=parent).order_by("position", "id")
    }
    copies: dict[int, Objective] = {}
    for objective in objectives:
        copies[objective.pk] = Objective.objects.create(
            scorecard=card,
            perspective=perspectives[objective.perspective_id],
            code=objective.code,
            name=objective.name,
            description=objective.description,
            weight=objective.weight,
            due_date=objective.due_date,
            position=objective.position,
        )
        alignment = ObjectiveAlignment.objects.create(
            child=copies[objective.pk], parent=objective, share=checked[objective.pk]
        )
        record_change(obj=alignment, before=None, after=snapshot(alignment))
    outcome.objectives = len(copies)
    if copy_kpis:
        _copy_kpis(copies, card, outcome, user)
    return outcome


def _references(formula: str) -> frozenset[str]:
    try:
        return references(formula)
    except FormulaError:
        return frozenset({"?"})  # a broken formula cannot be copied on its own


def _copy_kpis(
    copies: Mapping[int, Objective], card: Scorecard, outcome: CascadeOutcome, user: Any
) -> None:
    """Copy the chosen objectives' KPIs and targets into ``card``, each aligned to its source."""
    sources = list(
        Kpi.objects.filter(objective_id__in=list(copies)).order_by("objective_id", "position", "id")
    )
    keep = {kpi.code: kpi for kpi in sources}
    # A calculated KPI needs every KPI its formula uses; leaving one out may strand
    # another calculated KPI in turn, so repeat until nothing changes.
    changed = True
    while changed:
        changed = False
        for code, kpi in list(keep.items()):
            if kpi.is_calculated and not _references(kpi.formula) <= keep.keys():
                del keep[code]
                outcome.left_out.append(
                    f"“{kpi.name}” (its formula uses KPIs of objectives not cascaded)"
                )
                changed = True
    fields = [f.name for f in Kpi._meta.concrete_fields if f.name not in _KPI_FIELDS_NOT_COPIED]
    made: dict[int, Kpi] = {}
    for kpi in sources:
        if kpi.code not in keep:
            continue
        copy = Kpi(scorecard=card, objective=copies[kpi.objective_id])
        for name in fields:
            setattr(copy, name, getattr(kpi, name))
        copy.save()
        made[kpi.pk] = copy
    KpiAlignment.objects.bulk_create(
        KpiAlignment(child=copy, parent_id=source_id) for source_id, copy in made.items()
    )
    now = clock.now()
    targets = [
        Target(
            kpi=made[t.kpi_id],
            period_start=t.period_start,
            value=t.value,
            provenance=t.provenance,
            note=t.note,
            set_by=user if getattr(user, "is_authenticated", False) else None,
            set_at=now,
        )
        for t in Target.objects.filter(kpi_id__in=list(made)).order_by("kpi_id", "period_start")
    ]
    Target.objects.bulk_create(targets)
    outcome.kpis, outcome.targets = len(made), len(targets)
