"""Reads for health alerts and reminders, always scoped by scorecard or organization."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef

from scorecard.initiatives.models import Initiative
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Objective, Scorecard

from .models import ReminderSnooze


@dataclass(frozen=True)
class UnplannedRed:
    """A red KPI whose objective has no active initiative: nobody is acting on it."""

    kpi: Any
    objective: Objective
    result: Any
    scorecard_slug: str


def _objectives_without_active_plan(**scope: Any) -> dict[int, Objective]:
    """Objectives in ``scope`` that no active initiative serves, by id (one query, always
    run, so that a page's query count does not depend on whether anything is red)."""
    active = Initiative.objects.filter(objectives=OuterRef("pk"), status=Initiative.Status.ACTIVE)
    rows = Objective.objects.filter(**scope).annotate(planned=Exists(active)).filter(planned=False)
    return {o.pk: o for o in rows.only("pk", "code", "name", "scorecard_id")}


def unplanned_red_on_page(*, page: Any) -> list[UnplannedRed]:
    """Red KPIs of a scorecard page (strategy.selectors.ScorecardPage) whose objective no
    active initiative serves (one query)."""
    scorecard: Scorecard = page.scorecard
    unplanned = _objectives_without_active_plan(scorecard=scorecard)
    return [
        UnplannedRed(row.kpi, o.objective, row.result, scorecard.slug)
        for p in page.perspectives
        for o in p.objectives
        for row in o.kpis
        if row.result.status == "red" and o.objective.pk in unplanned
    ]


def unplanned_red_of(*, red_kpis: Iterable[Any], organization: Organization) -> list[UnplannedRed]:
    """Of the home page's red KPIs (kpis.selectors.RedKpi), those whose objective no active
    initiative serves (one query)."""
    unplanned = _objectives_without_active_plan(scorecard__organization=organization)
    return [
        UnplannedRed(red.kpi, unplanned[red.kpi.objective_id], red.result, red.kpi.scorecard.slug)
        for red in red_kpis
        if red.kpi.objective_id in unplanned
    ]


def snooze_for(*, user: Any) -> ReminderSnooze | None:
    """The user's reminder snooze, if any (it may have run out already)."""
    return ReminderSnooze.objects.filter(user=user).first()
