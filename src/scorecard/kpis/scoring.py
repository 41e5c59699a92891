"""The one adapter between ORM rows and the engine's plain dataclasses.

Everything that needs scores (pages, API, CLI, reports) calls
:func:`scorecard_evaluate`; it loads one scorecard's inputs in a constant number
of queries and hands them to :func:`scorecard.engine.evaluate.evaluate_scorecard`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from scorecard.engine import types as et
from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    RollupSettings,
    ScorecardInput,
    ScorecardResult,
    evaluate_scorecard,
)
from scorecard.strategy.models import Objective, Perspective, Scorecard

from .models import Kpi, Measurement, Target


def thresholds_from_json(raw: Any) -> et.Thresholds:
    """Turn a KPI's stored band list into engine thresholds (default bands when empty)."""
    if not raw:
        return et.Thresholds.default()
    bands = []
    for band in raw:
        lower = band.get("lower")
        bands.append(
            et.Band(
                status=str(band["status"]),
                lower=-math.inf if lower is None else float(lower),
                color=str(band.get("color", "#888888")),
            )
        )
    return et.Thresholds(bands=tuple(sorted(bands, key=lambda b: b.lower)))


def kpi_spec(kpi: Kpi) -> et.KpiSpec:
    """The engine's view of one KPI's definition."""
    return et.KpiSpec(
        code=kpi.code,
        name=kpi.name,
        optimization=et.Optimization(kpi.optimization),
        baseline=kpi.baseline,
        minimum=kpi.minimum,
        maximum=kpi.maximum,
        target=kpi.target,
        tolerance=kpi.tolerance,
        band_low=kpi.band_low,
        band_high=kpi.band_high,
        red_flag=kpi.red_flag,
        weight=kpi.weight,
        interval=et.Interval(kpi.update_interval),
        aggregation=et.Aggregation(kpi.time_aggregation),
        indicator=et.Indicator(kpi.indicator),
        thresholds=thresholds_from_json(kpi.thresholds),
        formula=kpi.formula.strip() or None,
        formula_mode=et.FormulaMode(kpi.formula_mode),
        unit=kpi.unit,
    )


def target_path(kpi: Kpi) -> et.TargetPath | None:
    """A planned path from baseline (at its date) to target (at its date), when both are set."""
    if (
        kpi.baseline is None
        or kpi.target is None
        or kpi.baseline_date is None
        or kpi.target_date is None
    ):
        return None
    return et.TargetPath(
        start=kpi.baseline_date,
        start_value=kpi.baseline,
        end=kpi.target_date,
        end_value=kpi.target,
    )


def known_measurements(kpi_ids: list[int], known_at: dt.datetime | None) -> Any:
    """Measurements that counted at ``known_at`` (the ones that count now when None).

    Values waiting for approval, and rejected ones, never count; an approved value
    counts from its approval (``decided_at``) on, not from when it was entered.
    """
    rows = Measurement.objects.filter(
        kpi_id__in=kpi_ids, approval=Measurement.Approval.APPROVED
    )
    if known_at is None:
        return rows.filter(superseded_at__isnull=True)
    return rows.filter(
        Q(recorded_at__lte=known_at),
        Q(decided_at__isnull=True) | Q(decided_at__lte=known_at),
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=known_at),
    )


@dataclass(frozen=True)
class ScorecardRows:
    """The ORM rows of one scorecard, in display order (pages show them beside the scores)."""

    perspectives: list[Perspective]
    objectives: list[Objective]
    kpis: list[Kpi]


def scorecard_rows(scorecard: Scorecard) -> ScorecardRows:
    """Perspectives, objectives and KPIs (with owners) of one scorecard in three queries."""
    perspectives = list(Perspective.objects.filter(scorecard=scorecard).order_by("position", "id"))
    objectives = list(
        Objective.objects.filter(scorecard=scorecard).order_by(
            "perspective__position", "perspective_id", "position", "id"
        )
    )
    kpis = list(
        Kpi.objects.filter(scorecard=scorecard)
        .select_related("owner", "updater")
        .order_by(
            "objective__perspective__position",
            "objective__perspective_id",
            "objective__position",
            "objective_id",
            "position",
            "id",
        )
    )
    return ScorecardRows(perspectives, objectives, kpis)


def scorecard_input(
    scorecard: Scorecard,
    *,
    known_at: dt.datetime | None = None,
    rows: ScorecardRows | None = None,
) -> ScorecardInput:
    """Load one scorecard's definitions and data into engine input (five queries)."""
    rows = rows or scorecard_rows(scorecard)
    perspectives, objectives, kpis = rows.perspectives, rows.objectives, rows.kpis
    kpi_ids = [kpi.pk for kpi in kpis]

    values: dict[int, list[et.Measurement]] = defaultdict(list)
    for kpi_id, period_start, value in known_measurements(kpi_ids, known_at).values_list(
        "kpi_id", "period_start", "value"
    ):
        values[kpi_id].append(et.Measurement(period_start=period_start, value=value))
    targets: dict[int, list[et.TargetPoint]] = defaultdict(list)
    target_rows = Target.objects.filter(kpi_id__in=kpi_ids)
    if known_at is not None:
        target_rows = target_rows.filter(set_at__lte=known_at)
    for kpi_id, period_start, value in target_rows.values_list("kpi_id", "period_start", "value"):
        targets[kpi_id].append(et.TargetPoint(period_start=period_start, value=value))

    objective_keys = {objective.pk: objective.code for objective in objectives}
    return ScorecardInput(
        key=scorecard.slug,
        name=scorecard.name,
        perspectives=tuple(
            PerspectiveInput(key=str(p.pk), name=p.name, weight=p.weight) for p in perspectives
        ),
        objectives=tuple(
            ObjectiveInput(
                key=o.code, name=o.name, perspective=str(o.perspective_id), weight=o.weight
            )
            for o in objectives
        ),
        kpis=tuple(
            KpiInput(
                spec=kpi_spec(kpi),
                objective=objective_keys[kpi.objective_id],
                measurements=tuple(sorted(values[kpi.pk], key=lambda m: m.period_start)),
                targets=tuple(sorted(targets[kpi.pk], key=lambda t: t.period_start)),
                path=target_path(kpi),
            )
            for kpi in kpis
        ),
        settings=RollupSettings(
            aggregator=et.Aggregator(scorecard.aggregator),
            missing=et.MissingPolicy(scorecard.missing_policy),
            cap=scorecard.score_cap,
        ),
        fiscal_year_start_month=scorecard.organization.fiscal_year_start_month,
    )


def scorecard_evaluate(
    *,
    scorecard: Scorecard,
    as_of: dt.date,
    view: str = "period",
    known_at: dt.datetime | None = None,
    rows: ScorecardRows | None = None,
) -> ScorecardResult:
    """Every score and status of ``scorecard`` for the period ``view`` as of ``as_of``.

    ``known_at`` reproduces the numbers as they were known at that moment
    (corrections made later are ignored); by default the current values count.
    """
    return evaluate_scorecard(
        scorecard_input(scorecard, known_at=known_at, rows=rows), as_of=as_of, view=et.View(view)
    )
