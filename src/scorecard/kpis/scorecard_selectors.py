"""Reads of a scored scorecard: its perspectives, objectives and KPIs with every number,
for the scorecard page, the strategy map, the reports and the planning pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max

from scorecard.engine.evaluate import (
    KpiResult,
    NodeResult,
    ScorecardInput,
    ScorecardResult,
    evaluate_scorecard,
)
from scorecard.engine.types import View
from scorecard.strategy.models import Objective, ObjectiveLink, Perspective, Scorecard

from .evaluation import (
    ScorecardRows,
    scorecard_evaluate,
    scorecard_evaluate_with_input,
    scorecard_rows,
)
from .models import Kpi, Measurement


@dataclass
class KpiRow:
    """A KPI with its computed numbers and when it last got a value."""

    kpi: Kpi
    result: KpiResult
    last_update: dt.datetime | None


@dataclass
class ObjectiveRow:
    objective: Objective
    result: NodeResult
    kpis: list[KpiRow] = field(default_factory=list)


@dataclass
class PerspectiveRow:
    perspective: Perspective
    result: NodeResult
    objectives: list[ObjectiveRow] = field(default_factory=list)


@dataclass
class ScorecardPage:
    """Everything the scorecard page shows, loaded in a constant number of queries."""

    scorecard: Scorecard
    result: ScorecardResult
    perspectives: list[PerspectiveRow]
    rows: ScorecardRows
    links: list[tuple[int, int]]
    #: The engine input that was scored (values and targets), for forecasts on the page.
    input: ScorecardInput | None = None


def last_updates(kpi_ids: list[int], known_at: dt.datetime | None = None) -> dict[int, Any]:
    """When each KPI last got a value recorded (by ``known_at`` when given; one query)."""
    values = Measurement.objects.filter(kpi_id__in=kpi_ids, approval=Measurement.Approval.APPROVED)
    if known_at is not None:
        values = values.filter(recorded_at__lte=known_at)
    return dict(
        values.values("kpi_id").annotate(last=Max("recorded_at")).values_list("kpi_id", "last")
    )


def scorecard_page(
    *,
    scorecard: Scorecard,
    as_of: dt.date,
    view: str,
    known_at: dt.datetime | None = None,
    frozen: ScorecardInput | None = None,
    version: int | None = None,
    with_input: bool = True,
    tree: bool = True,
) -> ScorecardPage:
    """The scorecard's tree with every score, for the scorecard page and the map.

    With ``known_at`` the numbers are those known at that moment (later entries and
    corrections are left out), so a past report can be shown again as it was.
    With ``frozen`` (the input a review meeting kept) that input is scored instead of
    today's: the numbers are the meeting's, structure and values; items added since
    are left out, and items removed since are missing from the rows (not the scores).
    ``version``: the organization's data version, when the caller has just read it.
    Without ``with_input`` the page's ``input`` is None: the cached engine input (every
    value and target) is not read, for callers that show no forecasts. Without
    ``tree`` only the scores are read (``perspectives``, ``rows`` and ``links`` are
    empty): the scorecard page when its rows come from the cache.
    """
    if not tree:
        result = scorecard_evaluate(
            scorecard=scorecard, as_of=as_of, view=view, known_at=known_at, version=version
        )
        return ScorecardPage(scorecard, result, [], ScorecardRows([], [], []), [], None)
    rows = scorecard_rows(scorecard)
    sc: ScorecardInput | None
    if frozen is not None:
        sc = frozen
        result = evaluate_scorecard(frozen, as_of=as_of, view=View(view))
    elif with_input:
        result, sc = scorecard_evaluate_with_input(
            scorecard=scorecard,
            as_of=as_of,
            view=view,
            rows=rows,
            known_at=known_at,
            version=version,
        )
    else:
        sc = None
        result = scorecard_evaluate(
            scorecard=scorecard,
            as_of=as_of,
            view=view,
            rows=rows,
            known_at=known_at,
            version=version,
        )
    updates = last_updates([k.pk for k in rows.kpis], known_at)
    kpis_by_objective: dict[int, list[KpiRow]] = {}
    for kpi in rows.kpis:
        if kpi.code in result.kpis:
            kpis_by_objective.setdefault(kpi.objective_id, []).append(
                KpiRow(kpi, result.kpis[kpi.code], updates.get(kpi.pk))
            )
    perspectives = []
    for perspective in rows.perspectives:
        if str(perspective.pk) not in result.perspectives:
            continue
        objectives = [
            ObjectiveRow(o, result.objectives[o.code], kpis_by_objective.get(o.pk, []))
            for o in rows.objectives
            if o.perspective_id == perspective.pk and o.code in result.objectives
        ]
        perspectives.append(
            PerspectiveRow(perspective, result.perspectives[str(perspective.pk)], objectives)
        )
    links = list(
        ObjectiveLink.objects.filter(cause__scorecard=scorecard).values_list(
            "cause_id", "effect_id"
        )
    )
    return ScorecardPage(scorecard, result, perspectives, rows, links, sc)
