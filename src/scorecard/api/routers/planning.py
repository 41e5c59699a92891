"""Planning numbers: funnels, forecasts, growth paths, benchmarks and target proposals.

Every number comes from the selectors behind the planning pages (through
interchange/planning.py, which ``scorecard plan`` shares) at full precision: the pages
round only when they display. Reading needs membership of the organization, like
every other read (viewers and up); strangers get 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from scorecard import clock
from scorecard.engine.types import View
from scorecard.interchange import planning as plan
from scorecard.planning.models import Funnel
from scorecard.presentation.planning import word_planning

from ..access import access_of
from ..common import get_or_404
from ..errors import ApiError
from ..fields import Day, Number
from .kpis import scoped_kpis
from .scorecards import scoped_scorecards

router = Router(tags=["planning"])


# --- answers -----------------------------------------------------------------------------


class PlanPeriodOut(Schema):
    start: str
    end: str


class PlanKpiRef(Schema):
    id: int
    code: str
    name: str
    unit: str


class PlanFunnelRef(Schema):
    id: int
    name: str
    scorecard: int


class PlanStageOut(Schema):
    position: int = Field(description="0 is the first stage (the volume).")
    kpi: PlanKpiRef
    value: float | None
    previous: float | None = Field(description="The value in the period compared with.")
    rate: float | None = Field(description="Conversion into this stage (a fraction).")
    previous_rate: float | None
    target: float | None = Field(description="Needed for the final target at today's rates.")
    part: float | None = Field(description="This factor's part of the change (LMDI).")
    cost: float | None = Field(description="Cost of one percentage point on this rate.")


class PlanRateNeedOut(Schema):
    position: int
    current: float
    needed: float
    possible: bool


class PlanSplitOut(Schema):
    result: float
    target: float
    factor: float
    volume: float
    volume_needed: float = Field(description="First-stage volume that reaches the target.")
    each_rate_factor: float = Field(description="Every rate times this reaches the target.")
    single_rate: list[PlanRateNeedOut] = Field(description="Or one rate alone (position ≥ 1).")


class PlanLeverOut(Schema):
    position: int
    conversion: str
    from_stage: str
    to_stage: str
    rate: float
    new_rate: float
    result_points: float = Field(description="The result with the rate + points.")
    gain_points: float
    result_relative: float = Field(description="The result with the rate + relative × rate.")
    gain_relative: float
    cost: float | None
    gain_per_cost: float | None
    cost_per_gain: float | None


class PlanAttributionPartOut(Schema):
    factor: str = Field(description="“volume” (the first stage) or “rate”.")
    stage: str
    part: float


class PlanAttributionOut(Schema):
    before: float
    after: float
    change: float
    parts: list[PlanAttributionPartOut]


class FunnelPlanOut(Schema):
    funnel: PlanFunnelRef
    as_of: str
    window: PlanPeriodOut | None
    previous_window: PlanPeriodOut | None
    stages: list[PlanStageOut]
    result: float | None
    final_target: float | None
    target_from_kpi: bool
    target_gap: float | None = Field(description="Target / result − 1.")
    split: PlanSplitOut | None
    points: float
    relative: float
    costs_known: bool
    levers: list[PlanLeverOut] = Field(description="Strongest first.")
    best_lever: PlanLeverOut | None
    change: float | None
    attribution: PlanAttributionOut | None
    attribution_problem: str | None
    problems: list[str]


class PlanFunnelListOut(Schema):
    items: list[PlanFunnelRef]


class FunnelPlansOut(Schema):
    items: list[FunnelPlanOut]


class PlanHistoryPointOut(Schema):
    period: PlanPeriodOut
    x: float
    value: float | None


class PlanModelOut(Schema):
    slope: float = Field(description="Change per period.")
    intercept: float = Field(description="The line's value at x = 0 (the period x0).")
    x0: PlanPeriodOut
    seasonal: list[float] = Field(description="Offsets by position in the season (x mod m).")
    sigma: float | None = Field(description="Residual standard error.")
    degrees_of_freedom: int
    values: int


class PlanForecastPointOut(Schema):
    period: PlanPeriodOut
    x: float | None
    value: float
    low: float | None
    high: float | None
    standard_error: float | None
    target: float | None


class PlanForecastOut(Schema):
    kpi: PlanKpiRef
    as_of: str
    interval: str
    direction: str | None = Field(description="“higher” or “lower” is better; null: neither.")
    history: list[PlanHistoryPointOut]
    model: PlanModelOut
    level: float = Field(description="Width of the interval (0.8: four times out of five).")
    points: list[PlanForecastPointOut]
    chance: float | None = Field(description="Chance of meeting the running period's target.")
    chance_period: PlanPeriodOut | None
    chance_target: float | None
    at_risk: bool
    risk_threshold: float | None


class PlanPathPointOut(Schema):
    period: PlanPeriodOut
    value: float


class PlanProposalAtOut(Schema):
    period: PlanPeriodOut
    value: float


class PlanGrowthOut(Schema):
    kpi: PlanKpiRef
    as_of: str
    start: float
    start_period: PlanPeriodOut
    end: float
    years: float
    yearly_rate: float
    rate_per_period: float
    periods_per_year: float
    proposal: PlanProposalAtOut
    path: list[PlanPathPointOut]


class PlanBenchmarkOut(Schema):
    id: int
    value: float
    percentile: float | None
    source: str
    as_of: str
    note: str


class PlanBenchmarksOut(Schema):
    kpi: PlanKpiRef
    benchmarks: list[PlanBenchmarkOut]


class PlanCheckOut(Schema):
    ok: bool
    z: float | None
    low: float | None
    high: float | None
    best_limit: float
    warnings: list[str]


class PlanProposalOut(Schema):
    kind: str
    label: str
    value: float
    provenance: str
    basis: str
    facts: dict[str, Any]
    check: PlanCheckOut | None
    warnings: list[str]


class PlanTargetInForceOut(Schema):
    value: float
    period_start: str
    provenance: str
    note: str


class PlanProposalsOut(Schema):
    kpi: PlanKpiRef
    as_of: str
    direction: str | None
    target_in_force: PlanTargetInForceOut | None
    first_guess: bool
    stats: dict[str, Any] | None
    proposals: list[PlanProposalOut]
    check: PlanProposalOut | None
    growth_problem: str | None
    accept_periods: list[PlanPeriodOut]


# --- questions ---------------------------------------------------------------------------


class PlanFunnelParams(Schema):
    as_of: Day | None = Field(None, description="The day to plan as of (default: today).")
    target: Number | None = Field(
        None, description="The final stage's target (default: its KPI's)."
    )
    points: Number = Field(
        0.01, description="The lever step in points, a fraction (0.01 = 1 point)."
    )
    relative: Number = Field(0.10, description="The lever step relative to a rate (0.10 = +10 %).")
    compare: Day | None = Field(None, description="Explain the change since this earlier day.")


class KpiPlanParams(Schema):
    as_of: Day | None = Field(None, description="The day to plan as of (default: today).")
    view: View = Field(View.PERIOD, description="Window whose target counts as in force.")


class PlanGrowthParams(KpiPlanParams):
    end: Number = Field(description="The level to reach.")
    years: Number = Field(description="In how many years.")


class PlanProposalParams(KpiPlanParams):
    check: Number | None = Field(None, description="A number of your own to check.")
    growth_end: Number | None = Field(None, description="With growth_years: add a growth path.")
    growth_years: Number | None = None


def _answer(error: plan.PlanningInputError) -> ApiError:
    """404 with the reason in ``detail`` (nothing to plan), or a 422 that breaks a rule
    the OpenAPI document cannot say (``code`` "invalid")."""
    if error.status == 404:
        return ApiError(404, str(error))
    return ApiError(
        error.status, str(error), [{"loc": ["query"], "message": str(error), "code": "invalid"}]
    )


def _funnel_plan(funnel: Funnel, params: PlanFunnelParams) -> dict[str, Any]:
    as_of = params.as_of or clock.today()
    try:
        analysis = plan.funnel_analysis(
            funnel,
            as_of=as_of,
            target=params.target,
            points=params.points,
            relative=params.relative,
            compare=params.compare,
        )
    except plan.PlanningInputError as exc:
        raise _answer(exc) from None
    return plan.funnel_as_dict(analysis, as_of=as_of)


# --- operations --------------------------------------------------------------------------


@router.get("/scorecards/{scorecard_id}/funnels", response=PlanFunnelListOut)
def plan_funnel_list(request: HttpRequest, scorecard_id: int) -> dict[str, Any]:
    """The scorecard's funnels (ids for /funnels/{funnel_id}/plan)."""
    scorecard = get_or_404(scoped_scorecards(request), pk=scorecard_id)
    from_db = Funnel.objects.filter(scorecard=scorecard).order_by("name", "pk")
    return {"items": [{"id": f.pk, "name": f.name, "scorecard": f.scorecard_id} for f in from_db]}


@router.get("/funnels/{funnel_id}/plan", response=FunnelPlanOut)
def plan_funnel(
    request: HttpRequest, funnel_id: int, params: Query[PlanFunnelParams]
) -> dict[str, Any]:
    """A funnel as its page shows it, unrounded: stage volumes, rates and targets, the
    gap split, the levers (best first) and the split of the change (LMDI)."""
    funnel = get_or_404(
        Funnel.objects.select_related("scorecard__organization").filter(
            scorecard__organization_id__in=access_of(request).org_ids
        ),
        pk=funnel_id,
    )
    return _funnel_plan(funnel, params)


@router.get("/kpis/{kpi_id}/plan/funnels", response=FunnelPlansOut)
def plan_kpi_funnels(
    request: HttpRequest, kpi_id: int, params: Query[PlanFunnelParams]
) -> dict[str, Any]:
    """Every funnel the KPI is a stage of, planned; 404 when it is in none."""
    kpi = get_or_404(scoped_kpis(request), pk=kpi_id)
    try:
        funnels = plan.funnels_of_kpi(kpi)
    except plan.PlanningInputError as exc:
        raise _answer(exc) from None
    return {"items": [_funnel_plan(funnel, params) for funnel in funnels]}


@router.get("/kpis/{kpi_id}/plan/forecast", response=PlanForecastOut)
def plan_forecast(
    request: HttpRequest, kpi_id: int, params: Query[KpiPlanParams]
) -> dict[str, Any]:
    """The KPI page's forecast: the fitted line (slope, intercept), the next periods
    with their 80 % interval, and the chance of meeting the running period's target.
    422 when there is too little history."""
    kpi = get_or_404(scoped_kpis(request), pk=kpi_id)
    as_of = params.as_of or clock.today()
    planning = plan.kpi_planning(kpi, as_of=as_of, view=params.view.value)
    try:
        return plan.forecast_as_dict(planning, as_of=as_of)
    except plan.PlanningInputError as exc:
        raise _answer(exc) from None


@router.get("/kpis/{kpi_id}/plan/growth-path", response=PlanGrowthOut)
def plan_growth_path(
    request: HttpRequest, kpi_id: int, params: Query[PlanGrowthParams]
) -> dict[str, Any]:
    """From the latest value to ``end`` in ``years`` at a constant growth rate."""
    kpi = get_or_404(scoped_kpis(request), pk=kpi_id)
    as_of = params.as_of or clock.today()
    planning = plan.kpi_planning(
        kpi, as_of=as_of, view=params.view.value, growth_end=params.end, growth_years=params.years
    )
    try:
        return plan.growth_as_dict(planning, as_of=as_of)
    except plan.PlanningInputError as exc:
        raise _answer(exc) from None


@router.get("/kpis/{kpi_id}/plan/benchmarks", response=PlanBenchmarksOut)
def plan_benchmarks(
    request: HttpRequest, kpi_id: int, params: Query[KpiPlanParams]
) -> dict[str, Any]:
    """The KPI's benchmark library."""
    kpi = get_or_404(scoped_kpis(request), pk=kpi_id)
    as_of = params.as_of or clock.today()
    return plan.benchmarks_as_dict(plan.kpi_planning(kpi, as_of=as_of, view=params.view.value))


@router.get("/kpis/{kpi_id}/plan/proposals", response=PlanProposalsOut)
def plan_target_proposals(
    request: HttpRequest, kpi_id: int, params: Query[PlanProposalParams]
) -> dict[str, Any]:
    """The target assistant's proposals with the facts they rest on and the history check."""
    kpi = get_or_404(scoped_kpis(request), pk=kpi_id)
    as_of = params.as_of or clock.today()
    planning = word_planning(
        plan.kpi_planning(
            kpi,
            as_of=as_of,
            view=params.view.value,
            growth_end=params.growth_end,
            growth_years=params.growth_years,
            check_value=params.check,
        )
    )
    return plan.proposals_as_dict(planning, as_of=as_of)
