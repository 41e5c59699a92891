"""Reads for health alerts and reminders, always scoped by scorecard or organization."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
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


def unplanned_red_of_scores(*, scorecard: Scorecard, result: Any) -> list[UnplannedRed]:
    """:func:`unplanned_red_on_page` from the scores alone (an engine ScorecardResult),
    for a page whose rows come from the cache: two queries, the red KPIs' names read
    only for those whose objective no active initiative serves."""
    unplanned = _objectives_without_active_plan(scorecard=scorecard)
    red = [code for code, found in result.kpis.items() if found.status == "red"]
    # A code and an id that cannot exist keep the lists non-empty: Django would skip the
    # query for an empty one, and a page's query count must not depend on what is red.
    kpis = (
        Kpi.objects.filter(
            scorecard=scorecard, code__in=[*red, ""], objective_id__in=[*unplanned, 0]
        )
        .order_by(*KPI_ORDER)
        .only("pk", "code", "name", "objective_id", "scorecard_id")
    )
    return [
        UnplannedRed(kpi, unplanned[kpi.objective_id], result.kpis[kpi.code], scorecard.slug)
        for kpi in kpis
    ]


#: The scorecard page's order of KPIs (kpis.evaluation.scorecards_rows).
KPI_ORDER = (
    "objective__perspective__position",
    "objective__perspective_id",
    "objective__position",
    "objective_id",
    "position",
    "id",
)


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
