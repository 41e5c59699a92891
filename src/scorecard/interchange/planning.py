"""The planning tools' numbers as plain JSON-ready dictionaries, at full precision.

The API (api/routers/planning.py) and ``scorecard plan`` (commands) both answer with
these; the numbers come from the same selectors the planning pages use
(:func:`planning.selectors.funnel_analysis`, :func:`planning.selectors.kpi_planning`),
so a page, the API and the command line never disagree. Pages round for display;
nothing here rounds.

Inputs that cannot be planned (a KPI in no funnel, too little history for a forecast,
a growth path without a start) raise :class:`PlanningInputError` with a sentence for
people: the API answers 404 or 422 with it, the command line a CommandError.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from scorecard.engine import forecast as fc
from scorecard.engine import growth as gr
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.engine.periods import Period
from scorecard.kpis.evaluation import scorecard_evaluate_with_input, scorecard_rows
from scorecard.kpis.models import Kpi
from scorecard.planning import selectors
from scorecard.planning.models import Funnel
from scorecard.planning.selectors import FunnelAnalysis, KpiPlanning, Proposal

from .scores import _plain


class PlanningInputError(ValueError):
    """The request cannot be planned; ``status`` is 404 (nothing to plan) or 422."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def _period(period: Period | None) -> dict[str, str] | None:
    if period is None:
        return None
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _kpi(kpi: Kpi) -> dict[str, Any]:
    return {"id": kpi.pk, "code": kpi.code, "name": kpi.name, "unit": kpi.unit}


# --- funnels -----------------------------------------------------------------------------


def funnels_of_kpi(kpi: Kpi) -> list[Funnel]:
    """The funnels ``kpi`` is a stage of; PlanningInputError (404) when there is none."""
    found = selectors.funnels_with_kpi(kpi=kpi)
    if not found:
        raise PlanningInputError(
            f"The KPI “{kpi.code}” is not a stage of any funnel; "
            "add it to one on the planning page first.",
            status=404,
        )
    return found


def funnel_analysis(
    funnel: Funnel,
    *,
    as_of: dt.date,
    target: float | None = None,
    points: float = 0.01,
    relative: float = 0.10,
    compare: dt.date | None = None,
) -> FunnelAnalysis:
    """The funnel page's analysis (the same selector), after checking the inputs the
    page checks; ``points`` and ``relative`` are fractions (0.01 is one point)."""
    if target is not None and not (math.isfinite(target) and target > 0):
        raise PlanningInputError("A target must be a number above zero.")
    for name, value in (("points", points), ("relative", relative)):
        if not (math.isfinite(value) and 0 < value <= 1):
            raise PlanningInputError(
                f"“{name}” must lie above 0 and at most 1 (0.01 is one percentage point)."
            )
    if compare is not None and compare >= as_of:
        raise PlanningInputError("“compare” must be a day before “as_of”.")
    return selectors.funnel_analysis(
        funnel=funnel,
        as_of=as_of,
        target=target,
        points=points,
        relative=relative,
        compare=compare,
    )


def funnel_as_dict(analysis: FunnelAnalysis, *, as_of: dt.date) -> dict[str, Any]:
    """Stage volumes, rates and targets, the gap split, the levers (best first) and the
    split of the change since the period before, unrounded."""
    stages = analysis.stages
    names = [s.kpi.name for s in stages]
    levers = [
        {
            "position": lv.index,
            "conversion": f"{names[lv.index - 1]} → {names[lv.index]}",
            "from_stage": stages[lv.index - 1].kpi.code,
            "to_stage": stages[lv.index].kpi.code,
            "rate": lv.rate,
            "new_rate": lv.new_rate,
            "result_points": lv.result_points,
            "gain_points": lv.gain_points,
            "result_relative": lv.result_relative,
            "gain_relative": lv.gain_relative,
            "cost": lv.cost,
            "gain_per_cost": lv.gain_per_cost,
            "cost_per_gain": lv.cost_per_gain,
        }
        for lv in analysis.levers
    ]
    split = analysis.split
    attribution = analysis.attribution
    return {
        "funnel": {
            "id": analysis.funnel.pk,
            "name": analysis.funnel.name,
            "scorecard": analysis.funnel.scorecard_id,
        },
        "as_of": as_of.isoformat(),
        "window": _period(analysis.window),
        "previous_window": _period(analysis.previous_window),
        "stages": [
            {
                "position": position,
                "kpi": _kpi(row.kpi),
                "value": row.value,
                "previous": row.previous,
                "rate": row.rate,
                "previous_rate": row.previous_rate,
                "target": row.target,
                "part": row.part,
                "cost": row.stage.cost,
            }
            for position, row in enumerate(stages)
        ],
        "result": analysis.result,
        "final_target": analysis.final_target,
        "target_from_kpi": analysis.target_from_kpi,
        "target_gap": analysis.target_gap,
        "split": None
        if split is None
        else {
            "result": split.result,
            "target": split.target,
            "factor": split.factor,
            "volume": split.volume,
            "volume_needed": split.volume_needed,
            "each_rate_factor": split.each_rate_factor,
            "single_rate": [
                {
                    "position": need.index,
                    "current": need.current,
                    "needed": need.needed,
                    "possible": need.possible,
                }
                for need in split.single_rate
            ],
        },
        "points": analysis.points,
        "relative": analysis.relative,
        "costs_known": analysis.costs_known,
        "levers": levers,
        "best_lever": levers[0] if levers else None,
        "change": analysis.change,
        "attribution": None
        if attribution is None
        else {
            "before": attribution.before,
            "after": attribution.after,
            "change": attribution.change,
            "parts": [
                {
                    "factor": "volume" if position == 0 else "rate",
                    "stage": row.kpi.code,
                    "part": part,
                }
                for position, (row, part) in enumerate(zip(stages, attribution.parts, strict=True))
            ],
        },
        "attribution_problem": analysis.attribution_problem,
        "problems": list(analysis.problems),
    }


# --- the KPI's planning: forecast, growth path, benchmarks, proposals ----------------------


def kpi_planning(
    kpi: Kpi,
    *,
    as_of: dt.date,
    view: str = et.View.PERIOD.value,
    growth_end: float | None = None,
    growth_years: float | None = None,
    check_value: float | None = None,
) -> KpiPlanning:
    """The KPI page's planning panel for ``as_of`` and ``view``: the scorecard scored
    as the page scores it, then :func:`planning.selectors.kpi_planning` with the
    window and target the page passes."""
    scorecard = kpi.scorecard
    rows = scorecard_rows(scorecard)
    result, sc = scorecard_evaluate_with_input(
        scorecard=scorecard, as_of=as_of, view=view, rows=rows
    )
    shown = result.kpis[kpi.code]
    return selectors.kpi_planning(
        kpi=kpi,
        as_of=as_of,
        window=shown.window,
        current_target=shown.target,
        growth_end=growth_end,
        growth_years=growth_years,
        check_value=check_value,
        sc=sc,
    )


def _direction(direction: bool | None) -> str | None:
    return None if direction is None else ("higher" if direction else "lower")


def forecast_as_dict(planning: KpiPlanning, *, as_of: dt.date) -> dict[str, Any]:
    """The history, the fitted line (slope and intercept per period, x = 0 the first
    period of the history), each future period's forecast with its 80 % interval and
    target, and the chance of meeting the running period's target. PlanningInputError
    (422) when there is too little history for a line."""
    model = planning.forecast_model
    if model is None:
        known = sum(1 for _, v in planning.history if v is not None)
        raise PlanningInputError(
            f"Not enough history to forecast “{planning.kpi.code}”: a forecast needs values "
            f"in at least two periods, and it has {known}."
        )
    return {
        "kpi": _kpi(planning.kpi),
        "as_of": as_of.isoformat(),
        "interval": planning.kpi.update_interval,
        "direction": _direction(planning.direction),
        "history": [
            {"period": _period(period), "x": float(x), "value": value}
            for x, (period, value) in enumerate(planning.history)
        ],
        "model": {
            "slope": model.slope,
            "intercept": model.intercept,
            "x0": _period(planning.history[0][0]),
            "seasonal": list(model.seasonal),
            "sigma": model.sigma,
            "degrees_of_freedom": model.dof,
            "values": model.n,
        },
        "level": fc.LEVEL,
        "points": [
            {
                "period": _period(point.period),
                "x": point.x,
                "value": point.value,
                "low": point.low,
                "high": point.high,
                "standard_error": point.se,
                "target": point.target,
            }
            for point in planning.forecast
        ],
        "chance": planning.chance,
        "chance_period": _period(planning.chance_period),
        "chance_target": planning.chance_target,
        "at_risk": planning.at_risk,
        "risk_threshold": planning.risk_threshold,
    }


def growth_as_dict(planning: KpiPlanning, *, as_of: dt.date) -> dict[str, Any]:
    """The growth path from the latest value to ``end`` in ``years``: the yearly and
    per-period rates, the value it proposes for the running period, and the path
    period by period from the one after the latest value to the end.
    PlanningInputError (422) when no path can be drawn."""
    proposal = planning.growth
    if proposal is None:
        raise PlanningInputError(planning.growth_problem or "Give the level and the years.")
    f = proposal.facts
    interval = et.Interval(planning.kpi.update_interval)
    fy = planning.kpi.scorecard.organization.fiscal_year_start_month
    horizon = max(f["steps"], math.ceil(f["years"] * f["periods_per_year"] - 1e-9))
    path = []
    period = f["start_period"]
    for value in gr.growth_path(f["start"], f["per_period"], horizon):
        period = periods.next_period(period, interval, fy)
        path.append({"period": _period(period), "value": value})
    running = path[f["steps"] - 1]
    return {
        "kpi": _kpi(planning.kpi),
        "as_of": as_of.isoformat(),
        "start": f["start"],
        "start_period": _period(f["start_period"]),
        "end": f["end"],
        "years": f["years"],
        "yearly_rate": f["yearly"],
        "rate_per_period": f["per_period"],
        "periods_per_year": f["periods_per_year"],
        "proposal": {"period": running["period"], "value": proposal.value},
        "path": path,
    }


def benchmarks_as_dict(planning: KpiPlanning) -> dict[str, Any]:
    """The KPI's benchmark library, newest first as the page lists it."""
    return {
        "kpi": _kpi(planning.kpi),
        "benchmarks": [
            {
                "id": b.pk,
                "value": b.value,
                "percentile": b.percentile,
                "source": b.source,
                "as_of": b.as_of.isoformat(),
                "note": b.note,
            }
            for b in planning.benchmarks
        ],
    }


def _proposal(proposal: Proposal) -> dict[str, Any]:
    check = proposal.check
    return {
        "kind": proposal.kind,
        "label": proposal.label,
        "value": proposal.value,
        "provenance": proposal.provenance,
        "basis": proposal.basis,
        "facts": _plain(
            {k: _period(v) if isinstance(v, Period) else v for k, v in proposal.facts.items()}
        ),
        "check": None
        if check is None
        else {
            "ok": check.ok,
            "z": check.z,
            "low": check.low,
            "high": check.high,
            "best_limit": check.best_limit,
            "warnings": list(check.warnings),
        },
        "warnings": list(proposal.warnings),
    }


def proposals_as_dict(planning: KpiPlanning, *, as_of: dt.date) -> dict[str, Any]:
    """The target assistant: the target in force, the history's statistics and every
    proposal (history, benchmarks, conversion chains, growth path, your own number)
    with its achievability check. Words (label, basis, warnings) are filled in when
    the caller passed the planning through presentation.planning.word_planning."""
    row = planning.target_row
    stats = planning.stats
    return {
        "kpi": _kpi(planning.kpi),
        "as_of": as_of.isoformat(),
        "direction": _direction(planning.direction),
        "target_in_force": None
        if row is None
        else {
            "value": row.value,
            "period_start": row.period_start.isoformat(),
            "provenance": row.provenance,
            "note": row.note,
        },
        "first_guess": planning.zero_target,
        "stats": _plain(stats) if stats is not None else None,
        "proposals": [_proposal(p) for p in planning.proposals],
        "check": _proposal(planning.check) if planning.check is not None else None,
        "growth_problem": planning.growth_problem,
        "accept_periods": [_period(p) for p in planning.accept_periods],
    }
