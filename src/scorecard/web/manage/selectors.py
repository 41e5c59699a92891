"""Reads for the manage pages that span several apps, scoped by organization or scorecard.

Each function loads its page in a constant number of queries, whatever the number
of units, members, objectives, KPIs or links.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from scorecard.engine import formulas
from scorecard.initiatives.models import Initiative
from scorecard.initiatives.selectors import initiatives_for_objective
from scorecard.kpis import scorecard_selectors
from scorecard.kpis.models import Kpi, Measurement
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.organizations.selectors import unit_tree
from scorecard.strategy.models import Objective, ObjectiveLink, Perspective, Scorecard


@dataclass
class UnitRow:
    """A unit in tree order with its depth and its scorecards."""

    unit: Unit
    depth: int
    scorecards: list[Scorecard] = field(default_factory=list)
    child_count: int = 0


def organization_tree(*, organization: Organization) -> list[UnitRow]:
    """Every unit of ``organization`` in tree order, each with its scorecards (two queries)."""
    rows = [UnitRow(unit, depth) for unit, depth in unit_tree(organization=organization)]
    by_unit = {row.unit.pk: row for row in rows}
    for row in rows:
        if row.unit.parent_id in by_unit:
            by_unit[row.unit.parent_id].child_count += 1
    for scorecard in Scorecard.objects.filter(organization=organization).order_by("name"):
        by_unit[scorecard.unit_id].scorecards.append(scorecard)
    return rows


def member_list(*, organization: Organization) -> list[Membership]:
    """The organization's members with their users and home units (one query)."""
    return list(
        Membership.objects.filter(organization=organization)
        .select_related("user", "unit")
        .order_by("user__username")
    )


def admin_count(*, organization: Organization) -> int:
    """How many admins ``organization`` has (the last one may not be removed or demoted)."""
    return Membership.objects.filter(organization=organization, role="admin").count()


@dataclass
class UnitPage:
    unit: Unit
    ancestors: list[Unit]
    children: list[Unit]
    scorecards: list[Scorecard]
    members: list[Membership]


def unit_page(*, organization: Organization, slug: str) -> UnitPage | None:
    """A unit with its path from the top, sub-units, scorecards and home members."""
    units = {u.pk: u for u in Unit.objects.filter(organization=organization)}
    unit = next((u for u in units.values() if u.slug == slug), None)
    if unit is None:
        return None
    ancestors: list[Unit] = []
    parent_id = unit.parent_id
    while parent_id is not None and parent_id in units and len(ancestors) < len(units):
        ancestors.insert(0, units[parent_id])
        parent_id = units[parent_id].parent_id
    return UnitPage(
        unit=unit,
        ancestors=ancestors,
        children=sorted((u for u in units.values() if u.parent_id == unit.pk), key=str),
        scorecards=list(
            Scorecard.objects.filter(organization=organization, unit=unit).order_by("name")
        ),
        members=list(
            Membership.objects.filter(organization=organization, unit=unit)
            .select_related("user")
            .order_by("user__username")
        ),
    )


@dataclass
class StructurePerspective:
    perspective: Perspective
    objectives: list[Objective]


def scorecard_structure(*, scorecard: Scorecard) -> list[StructurePerspective]:
    """Perspectives in map order with their objectives and KPI counts (two queries)."""
    perspectives = list(Perspective.objects.filter(scorecard=scorecard).order_by("position", "id"))
    objectives = list(
        Objective.objects.filter(scorecard=scorecard)
        .annotate(kpi_count=Count("kpis"))
        .order_by("position", "id")
    )
    return [
        StructurePerspective(p, [o for o in objectives if o.perspective_id == p.pk])
        for p in perspectives
    ]


def scorecard_losses(*, scorecard: Scorecard) -> dict[str, int]:
    """What deleting ``scorecard`` would take with it, counted (one query)."""
    counts = Scorecard.objects.filter(pk=scorecard.pk).aggregate(
        perspectives=Count("perspectives", distinct=True),
        objectives=Count("objectives", distinct=True),
        kpis=Count("kpis", distinct=True),
        initiatives=Count("initiatives", distinct=True),
    )
    counts["values"] = Measurement.objects.filter(kpi__scorecard=scorecard).count()
    counts["children"] = Scorecard.objects.filter(parent=scorecard).count()
    return counts


@dataclass
class ObjectivePage:
    """Everything the objective page shows."""

    objective: Objective
    perspective: Perspective
    result: Any  # the engine's NodeResult for this objective
    kpis: list[Any]  # strategy.selectors.KpiRow: the KPI with its numbers
    causes: list[tuple[ObjectiveLink, Objective]]
    effects: list[tuple[ObjectiveLink, Objective]]
    candidates: list[Objective]
    perspective_names: dict[int, str]
    initiatives: list[Initiative]
    as_of: dt.date


def objective_page(
    *, scorecard: Scorecard, code: str, as_of: dt.date, view: str = "period"
) -> ObjectivePage | None:
    """One objective with its scored KPIs, its causes and effects and the initiatives serving it.

    The scores come from the scorecard's one evaluation (strategy.selectors), so the
    page costs the same few queries however many KPIs, links and initiatives there are.
    """
    page = scorecard_selectors.scorecard_page(scorecard=scorecard, as_of=as_of, view=view)
    found = next(
        ((p, o) for p in page.perspectives for o in p.objectives if o.objective.code == code),
        None,
    )
    if found is None:
        return None
    perspective_row, row = found
    objective = row.objective
    by_id = {o.pk: o for o in page.rows.objectives}
    links = list(ObjectiveLink.objects.filter(Q(cause=objective) | Q(effect=objective)))
    causes = [(link, by_id[link.cause_id]) for link in links if link.effect_id == objective.pk]
    effects = [(link, by_id[link.effect_id]) for link in links if link.cause_id == objective.pk]
    linked = {o.pk for _, o in causes} | {o.pk for _, o in effects} | {objective.pk}
    return ObjectivePage(
        objective=objective,
        perspective=perspective_row.perspective,
        result=row.result,
        kpis=row.kpis,
        causes=causes,
        effects=effects,
        candidates=[o for o in page.rows.objectives if o.pk not in linked],
        perspective_names={p.pk: p.name for p in page.rows.perspectives},
        initiatives=initiatives_for_objective(objective=objective, today=as_of),
        as_of=as_of,
    )


def kpi_formula_users(*, kpi: Kpi) -> list[str]:
    """Names of the calculated KPIs whose formulas use ``kpi`` (for the delete page)."""
    return [
        k.name
        for k in Kpi.objects.filter(scorecard_id=kpi.scorecard_id).exclude(formula="")
        if kpi.code in formulas.references(k.formula)
    ]
