"""Reads of the planning pages: funnels with their analysis, the target assistant, forecasts,
what-if and the evidence for the strategy map. Each loads in a constant number of queries.

The numbers come from the engine (engine/funnel.py, growth.py, forecast.py, whatif.py,
evidence.py); this module only gathers the inputs and labels the results.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext

from scorecard.engine import evidence as ev
from scorecard.engine import forecast as fc
from scorecard.engine import funnel as fn
from scorecard.engine import growth as gr
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.engine import whatif as wi
from scorecard.engine.evaluate import KpiInput, ScorecardInput, ScorecardResult
from scorecard.engine.periods import Period
from scorecard.engine.text import message
from scorecard.kpis.evaluation import (
    ScorecardRows,
    scorecard_evaluate,
    scorecard_evaluate_with_input,
    scorecard_input,
    scorecard_rows,
)
from scorecard.kpis.models import Kpi, Target
from scorecard.strategy.models import Objective, ObjectiveLink, Scorecard

from .models import Benchmark, ForecastRule, Funnel, FunnelStage

#: Periods per year by interval: the season of a seasonal forecast.
SEASON = {
    et.Interval.WEEK: 52,
    et.Interval.MONTH: 12,
    et.Interval.QUARTER: 4,
    et.Interval.HALF_YEAR: 2,
}
PERIODS_PER_YEAR = {
    et.Interval.DAY: 365.0,
    et.Interval.WEEK: 52.0,
    et.Interval.MONTH: 12.0,
    et.Interval.QUARTER: 4.0,
    et.Interval.HALF_YEAR: 2.0,
    et.Interval.YEAR: 1.0,
}
#: How many past periods the forecast and the history proposals look at.
HISTORY_PERIODS = 60
#: Proposals from history use the latest this-many periods (two years of months).
PROPOSAL_PERIODS = 24
#: How many periods ahead the KPI chart shows the forecast.
FORECAST_STEPS = 6
HIGHER_IS_BETTER = {
    et.Optimization.MAXIMIZE,
    et.Optimization.BINARY_MAX,
    et.Optimization.PERCENT_OF_TARGET,
}
LOWER_IS_BETTER = {et.Optimization.MINIMIZE, et.Optimization.BINARY_MIN}


def higher_is_better(spec: et.KpiSpec, target: float | None = None) -> bool | None:
    """Which way is good for this KPI (None for exact, band and unscored KPIs)."""
    if spec.optimization in HIGHER_IS_BETTER:
        return True
    if spec.optimization in LOWER_IS_BETTER:
        return False
    if spec.optimization is et.Optimization.GOAL_RED_FLAG and spec.red_flag is not None:
        return target is None or target >= spec.red_flag
    return None


# --- funnels -----------------------------------------------------------------------------


def funnels_for(*, scorecard: Scorecard) -> list[Funnel]:
    """The scorecard's funnels with their stages and KPIs (two queries)."""
    return list(Funnel.objects.filter(scorecard=scorecard).prefetch_related(_stages_prefetch()))


def _stages_prefetch() -> Prefetch:
    return Prefetch(
        "stages", queryset=FunnelStage.objects.select_related("kpi").order_by("position")
    )


def funnel_get(*, scorecard: Scorecard, pk: int) -> Funnel | None:
    """One funnel of ``scorecard`` with its stages (two queries)."""
    return (
        Funnel.objects.filter(scorecard=scorecard, pk=pk)
        .select_related("scorecard__organization")
        .prefetch_related(_stages_prefetch())
        .first()
    )


@dataclass
class StageRow:
    """One stage of a funnel with its numbers in the chosen period and the one before."""

    stage: FunnelStage
    kpi: Kpi
    value: float | None
    previous: float | None
    rate: float | None = None
    previous_rate: float | None = None
    target: float | None = None
    part: float | None = None


@dataclass
class FunnelAnalysis:
    """Everything the funnel page shows; ``problems`` say in words what could not be done."""

    funnel: Funnel
    stages: list[StageRow]
    window: Period | None
    previous_window: Period | None
    result: float | None
    final_target: float | None
    target_from_kpi: bool
    split: fn.GapSplit | None = None
    levers: list[fn.Lever] = field(default_factory=list)
    attribution: fn.Attribution | None = None
    points: float = 0.01
    relative: float = 0.10
    problems: list[str] = field(default_factory=list)
    attribution_problem: str | None = None

    @property
    def change(self) -> float | None:
        """The last stage's change since the period before, as recorded (no rounding noise)."""
        last = self.stages[-1] if self.stages else None
        if last is None or last.value is None or last.previous is None:
            return None
        return last.value - last.previous

    @property
    def target_gap(self) -> float | None:
        """How much the target lies above (or below) today's result, as a fraction."""
        if self.split is None:
            return None
        return self.split.factor - 1

    @property
    def costs_known(self) -> bool:
        """True when every lever has a cost (then levers are ranked by gain per cost)."""
        return bool(self.levers) and all(lv.cost is not None for lv in self.levers)


def funnel_analysis(
    *,
    funnel: Funnel,
    as_of: dt.date,
    target: float | None = None,
    points: float = 0.01,
    relative: float = 0.10,
    result: ScorecardResult | None = None,
    compare: dt.date | None = None,
) -> FunnelAnalysis:
    """The funnel's stage volumes and rates in each KPI's latest complete period as of
    ``as_of``; back-cascaded stage targets, the gap split, the levers, and the LMDI
    split of the change since the period before (or since the latest complete period
    as of ``compare``, an earlier date)."""
    if result is None:
        result = scorecard_evaluate(scorecard=funnel.scorecard, as_of=as_of)
    earlier = (
        scorecard_evaluate(scorecard=funnel.scorecard, as_of=compare)
        if compare is not None
        else None
    )
    stages = list(funnel.stages.all())
    rows = []
    for stage in stages:
        kpi_result = result.kpis.get(stage.kpi.code)
        previous = kpi_result.previous_value if kpi_result else None
        if earlier is not None:
            then = earlier.kpis.get(stage.kpi.code)
            previous = then.value if then else None
        rows.append(StageRow(stage, stage.kpi, kpi_result.value if kpi_result else None, previous))
    analysis = FunnelAnalysis(
        funnel=funnel,
        stages=rows,
        window=None,
        previous_window=None,
        result=None,
        final_target=None,
        target_from_kpi=target is None,
        points=points,
        relative=relative,
    )
    if len(rows) < 2:
        analysis.problems.append(gettext("This funnel has fewer than two stages left; edit it."))
        return analysis
    last = result.kpis.get(rows[-1].kpi.code)
    if last is not None:
        analysis.window = last.window
        if earlier is not None:
            then = earlier.kpis.get(rows[-1].kpi.code)
            analysis.previous_window = then.window if then else None
        else:
            fy = funnel.scorecard.organization.fiscal_year_start_month
            analysis.previous_window = periods.previous_period(
                last.window, et.Interval(rows[-1].kpi.update_interval), fy
            )
        interval = rows[-1].kpi.update_interval
        if any(r.kpi.update_interval != interval for r in rows):
            analysis.problems.append(
                gettext(
                    "The stages are measured at different intervals, so their periods differ; "
                    "give every stage the same update interval."
                )
            )
    analysis.final_target = target if target is not None else (last.target if last else None)
    for upper, lower in itertools.pairwise(rows):
        if upper.value and lower.value is not None:
            lower.rate = lower.value / upper.value
        if upper.previous and lower.previous is not None:
            lower.previous_rate = lower.previous / upper.previous
    try:
        rates = fn.rates_from_volumes([r.value for r in rows])
        analysis.result = fn.chain_result(rows[0].value or 0.0, rates)
        analysis.levers = fn.levers(
            rows[0].value or 0.0,
            rates,
            points=points,
            relative=relative,
            # A stage's cost is per percentage point; the engine wants the cost of the step tried.
            costs=[
                r.stage.cost * points * 100 if r.stage.cost is not None else None for r in rows[1:]
            ],
        )
        if analysis.final_target is not None:
            cascade = fn.back_cascade(analysis.final_target, rates)
            for row, value in zip(rows, cascade, strict=True):
                row.target = value
            if analysis.final_target > 0:
                analysis.split = fn.gap_split(rows[0].value or 0.0, rates, analysis.final_target)
        else:
            analysis.problems.append(
                gettext(
                    "“%(name)s” has no target for this period: enter one above "
                    "to see each stage's target."
                )
                % {"name": rows[-1].kpi.name}
            )
    except fn.FunnelError as exc:
        analysis.problems.append(message(exc))
    try:
        before = fn.funnel_factors([r.previous for r in rows])
        after = fn.funnel_factors([r.value for r in rows])
        analysis.attribution = fn.lmdi(before, after)
        for row, part in zip(rows, analysis.attribution.parts, strict=True):
            row.part = part
    except fn.FunnelError as exc:
        analysis.attribution_problem = message(exc)
    if analysis.attribution is not None and analysis.attribution.change == 0:
        analysis.attribution_problem = gettext(
            "The result did not change since the period before; the parts below show "
            "which stages moved and cancel each other out."
        )
    return analysis


def funnels_with_kpi(*, kpi: Kpi) -> list[Funnel]:
    """The funnels ``kpi`` is a stage of (two queries)."""
    return list(
        Funnel.objects.filter(stages__kpi=kpi)
        .distinct()
        .prefetch_related(_stages_prefetch())
        .select_related("scorecard__organization")
    )


# --- the target assistant and the forecast -----------------------------------------------


@dataclass
class Proposal:
    """A target the assistant proposes, the facts it rests on and the history check.

    ``facts`` holds the numbers and names behind the proposal (by kind: the span of
    history, the benchmark's source, the funnel, the growth path); the presentation
    layer (presentation/planning.py) writes ``label``, ``basis``, ``note`` and
    ``warnings`` from them.
    """

    kind: str
    value: float
    provenance: str
    facts: dict[str, Any] = field(default_factory=dict)
    check: gr.Achievability | None = None
    label: str = ""
    basis: str = ""
    note: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class ForecastPoint:
    """One future period: the forecast, its interval, and that period's target."""

    period: Period
    value: float
    low: float | None
    high: float | None
    target: float | None
    #: The period's index in the fitted model (0 is the first period of the history)
    #: and the forecast's standard error.
    x: float | None = None
    se: float | None = None


@dataclass
class KpiPlanning:
    """What the KPI page adds: the target in force and where it came from, the
    assistant's proposals, benchmarks, and the forecast with the chance of meeting
    the running period's target."""

    kpi: Kpi
    target_row: Target | None
    zero_target: bool
    upcoming: list[Target]
    history: list[tuple[Period, float | None]]
    stats: gr.HistoryStats | None
    proposals: list[Proposal]
    benchmarks: list[Benchmark]
    forecast: list[ForecastPoint]
    seasonal: bool
    chance: float | None
    chance_period: Period | None
    chance_target: float | None
    at_risk: bool
    risk_threshold: float | None
    accept_periods: list[Period]
    direction: bool | None
    growth: Proposal | None = None
    growth_problem: str | None = None
    check: Proposal | None = None
    #: The fitted line (slope, intercept, seasonal offsets) behind ``forecast``.
    forecast_model: fc.Fit | None = None


@dataclass
class KpiForecast:
    """A KPI's history up to the last complete period, the forecast of the periods from
    the running one on, and the chance of meeting the running period's target."""

    history: list[tuple[Period, float | None]]
    running: Period
    direction: bool | None
    points: list[ForecastPoint] = field(default_factory=list)
    seasonal: bool = False
    chance: float | None = None
    chance_period: Period | None = None
    chance_target: float | None = None
    #: The fitted line (and seasonal offsets); x = 0 is the first period of ``history``.
    model: fc.Fit | None = None


def kpi_forecast(
    kpi_input: KpiInput,
    values: dict[Period, float],
    *,
    as_of: dt.date,
    fy: int,
    current_target: float | None,
) -> KpiForecast:
    """The forecast of one KPI from its ``values`` per period (from ev.kpi_values) as
    of ``as_of``; ``current_target`` (the target shown for the KPI) decides which way
    is good for KPIs scored against a red flag. No queries: the KPI page and the
    "at risk" marks of the scorecard page share it."""
    spec = kpi_input.spec
    interval = spec.interval
    last = periods.last_complete_period(as_of, interval, fy)
    out = KpiForecast(
        history=_series(values, interval, last, fy),
        running=periods.next_period(last, interval, fy),
        direction=higher_is_better(spec, current_target),
    )
    if not out.history:
        return out
    # Fill the stretch between the last listed period and the running one with gaps.
    series = [v for _, v in out.history]
    period = out.history[-1][0]
    while periods.next_period(period, interval, fy) < out.running:
        period = periods.next_period(period, interval, fy)
        series.append(None)
    model, predictions = fc.forecast_series(
        series, FORECAST_STEPS, season_length=SEASON.get(interval)
    )
    if model is None:
        return out
    out.model = model
    out.seasonal = bool(model.seasonal)
    period = out.running
    for prediction in predictions:
        target = periods.target_for_period(period, kpi_input.targets, kpi_input.path, spec.target)
        out.points.append(
            ForecastPoint(
                period,
                prediction.value,
                prediction.low,
                prediction.high,
                target,
                x=prediction.x,
                se=prediction.se,
            )
        )
        period = periods.next_period(period, interval, fy)
    first = out.points[0]
    out.chance_period, out.chance_target = first.period, first.target
    if out.direction is not None and first.target is not None:
        out.chance = fc.chance_of_meeting(
            predictions[0], first.target, higher_is_better=out.direction
        )
    return out


def _series(
    values: dict[Period, float], interval: et.Interval, last: Period, fy: int
) -> list[tuple[Period, float | None]]:
    """The KPI's periods from its first value up to ``last``, gaps as None (at most
    HISTORY_PERIODS of them)."""
    if not values:
        return []
    first = min(values)
    out: list[tuple[Period, float | None]] = []
    period = last
    while period >= first and len(out) < HISTORY_PERIODS:
        out.append((period, values.get(period)))
        period = periods.previous_period(period, interval, fy)
    out.reverse()
    # Leading gaps say nothing.
    while out and out[0][1] is None:
        out.pop(0)
    return out


def _target_rows(kpi: Kpi, period_start: dt.date) -> tuple[Target | None, list[Target]]:
    """The target row in force in the period starting ``period_start`` and the ones
    set for later periods (one query)."""
    rows = list(Target.objects.filter(kpi=kpi).order_by("period_start"))
    current = None
    for row in rows:
        if row.period_start <= period_start:
            current = row
    return current, [row for row in rows if row.period_start > period_start]


def kpi_planning(
    *,
    kpi: Kpi,
    as_of: dt.date,
    window: Period,
    current_target: float | None,
    growth_end: float | None = None,
    growth_years: float | None = None,
    check_value: float | None = None,
    sc: ScorecardInput | None = None,
    result: ScorecardResult | None = None,
) -> KpiPlanning:
    """The KPI page's planning panel (a constant number of queries)."""
    scorecard = kpi.scorecard
    fy = scorecard.organization.fiscal_year_start_month
    sc = sc or scorecard_input(scorecard)
    kpi_input = next(k for k in sc.kpis if k.spec.code == kpi.code)
    interval = kpi_input.spec.interval
    forecast = kpi_forecast(
        kpi_input,
        ev.kpi_values(sc, as_of)[kpi.code],
        as_of=as_of,
        fy=fy,
        current_target=current_target,
    )
    history, running, direction = forecast.history, forecast.running, forecast.direction
    known = [v for _, v in history[-PROPOSAL_PERIODS:] if v is not None]
    target_row, upcoming = _target_rows(kpi, window.start)
    accept_periods = [running]
    for _ in range(11):
        accept_periods.append(periods.next_period(accept_periods[-1], interval, fy))
    planning = KpiPlanning(
        kpi=kpi,
        target_row=target_row,
        # A first guess stays flagged until a target from a real source replaces it,
        # now or from a later period on.
        zero_target=target_row is not None
        and target_row.provenance == Target.Provenance.ZERO
        and all(row.provenance == Target.Provenance.ZERO for row in upcoming),
        upcoming=upcoming,
        history=history,
        stats=None,
        proposals=[],
        benchmarks=list(Benchmark.objects.filter(kpi=kpi).select_related("added_by")),
        forecast=forecast.points,
        seasonal=forecast.seasonal,
        chance=forecast.chance,
        chance_period=forecast.chance_period,
        chance_target=forecast.chance_target,
        at_risk=False,
        risk_threshold=None,
        accept_periods=accept_periods,
        direction=direction,
        forecast_model=forecast.model,
    )
    unit = kpi.unit
    stats = None
    if known:
        try:
            stats = gr.history_stats(known, higher_is_better=direction is not False)
        except gr.GrowthError:  # values too large to average: no proposals from history
            stats = None
    if stats is not None:
        planning.stats = stats
        span = {
            "count": len(known),
            "first": history[max(0, len(history) - PROPOSAL_PERIODS)][0],
            "last": history[-1][0],
            "growth": stats.growth,
        }
        for proposal in gr.history_proposals(stats):
            planning.proposals.append(
                Proposal(proposal.kind, proposal.value, proposal.provenance, dict(span))
            )
    for benchmark in planning.benchmarks:
        planning.proposals.append(
            Proposal(
                "benchmark",
                benchmark.value,
                Target.Provenance.BENCHMARK,
                {
                    "percentile": benchmark.percentile,
                    "source": benchmark.source,
                    "as_of": benchmark.as_of,
                },
            )
        )
    planning.proposals += _chain_proposals(kpi, as_of, result)
    if growth_end is not None or growth_years is not None:
        planning.growth, planning.growth_problem = _growth_proposal(
            history, growth_end, growth_years, interval, running, fy, unit
        )
        if planning.growth is not None:
            planning.proposals.append(planning.growth)
    if check_value is not None:
        planning.check = Proposal("own", check_value, Target.Provenance.ZERO)
    if planning.stats is not None:
        for shown in [*planning.proposals, *([planning.check] if planning.check else [])]:
            shown.check = gr.achievability(
                shown.value, planning.stats, higher_is_better=direction is not False
            )
    rule = forecast_rule_of(scorecard)
    planning.risk_threshold = rule.at_risk_below if rule else None
    planning.at_risk = fc.at_risk(planning.chance, planning.risk_threshold)
    return planning


def _chain_proposals(kpi: Kpi, as_of: dt.date, result: ScorecardResult | None) -> list[Proposal]:
    out = []
    for funnel in funnels_with_kpi(kpi=kpi):
        analysis = funnel_analysis(funnel=funnel, as_of=as_of, result=result)
        row = next((r for r in analysis.stages if r.kpi.pk == kpi.pk), None)
        if row is None or row is analysis.stages[-1] or row.target is None:
            continue
        final = analysis.stages[-1]
        facts = {
            "funnel": funnel.name,
            "final_target": analysis.final_target,
            "final_unit": final.kpi.unit,
            "final_name": final.kpi.name,
        }
        out.append(Proposal("chain", row.target, Target.Provenance.CHAIN, facts))
    return out


def _growth_proposal(
    history: list[tuple[Period, float | None]],
    end: float | None,
    years: float | None,
    interval: et.Interval,
    running: Period,
    fy: int,
    unit: str,
) -> tuple[Proposal | None, str | None]:
    if end is None or years is None:
        return None, gettext("Give both the level to reach and the number of years.")
    latest = next(((p, v) for p, v in reversed(history) if v is not None), None)
    if latest is None:
        return None, gettext("A growth path starts from the latest value, and there is none yet.")
    start_period, start = latest
    if start <= 0 or end <= 0:
        return None, gettext(
            "A growth rate needs a starting value and a target above zero (they are "
            "%(start)s and %(end)s)."
        ) % {"start": f"{start:g}", "end": f"{end:g}"}
    if years <= 0:
        return None, gettext("The number of years must be above zero.")
    try:
        yearly = gr.growth_rate(start, end, years)
        per_period = gr.rate_per_period(yearly, PERIODS_PER_YEAR[interval])
    except gr.GrowthError as exc:
        return None, message(exc)
    steps = 0
    period = start_period
    while period < running:
        period = periods.next_period(period, interval, fy)
        steps += 1
    value = gr.growth_path(start, per_period, steps)[-1]
    facts = {
        "start": start,
        "start_period": start_period,
        "end": end,
        "years": years,
        "yearly": yearly,
        "per_period": per_period,
        "unit": unit,
        "steps": steps,
        "periods_per_year": PERIODS_PER_YEAR[interval],
    }
    return Proposal("growth_path", value, Target.Provenance.GROWTH, facts), None


def forecast_rule_of(scorecard: Scorecard) -> ForecastRule | None:
    """The scorecard's "at risk" rule, or None when it is off (one query)."""
    return ForecastRule.objects.filter(scorecard=scorecard).first()


@dataclass(frozen=True)
class RiskMark:
    """A KPI that the "at risk" rule marks: its chance of meeting the running period's
    target is below the scorecard's threshold."""

    chance: float
    period: Period
    target: float
    threshold: float
    unit: str = ""


def at_risk_marks(
    *, scorecard: Scorecard, sc: ScorecardInput, result: ScorecardResult, as_of: dt.date
) -> dict[str, RiskMark]:
    """KPI code → mark for the KPIs the scorecard's "at risk" rule flags as of ``as_of``.

    ``sc`` and ``result`` are what the page already loaded and scored, so this costs
    one query (the rule) whatever the number of KPIs, and nothing more when the rule
    is off. The forecasts are those of the KPI page (:func:`kpi_forecast`).
    """
    rule = forecast_rule_of(scorecard)
    if rule is None:
        return {}
    values = ev.kpi_values(sc, as_of)
    marks = {}
    for kpi_input in sc.kpis:
        code = kpi_input.spec.code
        shown = result.kpis.get(code)
        if shown is None or shown.error:
            continue
        forecast = kpi_forecast(
            kpi_input,
            values.get(code, {}),
            as_of=as_of,
            fy=sc.fiscal_year_start_month,
            current_target=shown.target,
        )
        if (
            fc.at_risk(forecast.chance, rule.at_risk_below)
            and forecast.chance is not None
            and forecast.chance_period is not None
            and forecast.chance_target is not None
        ):
            marks[code] = RiskMark(
                forecast.chance,
                forecast.chance_period,
                forecast.chance_target,
                rule.at_risk_below,
                kpi_input.spec.unit,
            )
    return marks


# --- what-if -----------------------------------------------------------------------------


@dataclass
class WhatIfPage:
    """The scorecard as it is and as it would be with the changes."""

    input: ScorecardInput
    base: ScorecardResult
    changed: ScorecardResult | None
    sensitivity: list[wi.Sensitivity]
    rows: Any


def whatif_page(*, scorecard: Scorecard, as_of: dt.date, changes: wi.Changes) -> WhatIfPage:
    """Base and changed scores, and each KPI's pull on the top score.

    The base is the scorecard page's evaluation (:func:`scorecard_evaluate_with_input`,
    with the shares the units below contribute to aligned objectives), so "now" here is
    the number the scorecard page shows; the changes are applied to that same input.
    Raises WhatIfError for changes that cannot be applied. Nothing is written.
    """
    rows = scorecard_rows(scorecard)
    base, sc = scorecard_evaluate_with_input(scorecard=scorecard, as_of=as_of, rows=rows)
    changed = wi.what_if(sc, changes, as_of=as_of) if changes else None
    return WhatIfPage(
        input=sc,
        base=base,
        changed=changed,
        sensitivity=wi.sensitivity(sc, changed or base),
        rows=rows,
    )


# --- evidence for the strategy map -------------------------------------------------------


@dataclass
class LinkEvidence:
    """A cause → effect link, the two KPIs compared, and what their histories say."""

    link: ObjectiveLink
    leading: Kpi | None
    lagging: Kpi | None
    evidence: ev.Evidence | None
    reason: str = ""

    @property
    def verdict(self) -> str:
        return self.evidence.verdict if self.evidence else "untested"

    @property
    def r_text(self) -> str:
        """The correlation with two decimals, keeping the sign of a tiny negative one
        (−0.00 explains a "contradicted" better than 0.00)."""
        if self.evidence is None or self.evidence.r is None:
            return "—"
        return f"{self.evidence.r:.2f}".replace("-", "\u2212")


def _representative(kpis: list[Kpi], indicator: str) -> Kpi | None:
    scored = [k for k in kpis if k.optimization != "none"]
    preferred = [k for k in scored if k.indicator == indicator]
    chosen = preferred or scored
    return chosen[0] if chosen else None


def link_evidence(
    *,
    scorecard: Scorecard,
    as_of: dt.date,
    rows: ScorecardRows | None = None,
    links: list[tuple[int, int]] | None = None,
) -> list[LinkEvidence]:
    """For each link between objectives with KPIs: the cause's leading KPI against the
    effect's lagging KPI, lags 0–6, in the coarser of their two intervals.

    Six queries, or two when the caller already has the scorecard's ``rows`` and
    its ``links`` as (cause id, effect id) pairs (the strategy map has both).
    """
    rows = rows or scorecard_rows(scorecard)
    sc = scorecard_input(scorecard, rows=rows)
    values = ev.kpi_values(sc, as_of)
    specs = {k.spec.code: k.spec for k in sc.kpis}
    fy = scorecard.organization.fiscal_year_start_month
    by_objective: dict[int, list[Kpi]] = {}
    for kpi in rows.kpis:
        by_objective.setdefault(kpi.objective_id, []).append(kpi)
    if links is None:
        link_rows = list(
            ObjectiveLink.objects.filter(cause__scorecard=scorecard)
            .select_related("cause__perspective", "effect__perspective")
            .order_by("cause__perspective__position", "cause__position", "effect__position", "pk")
        )
    else:
        # Unsaved link objects built from the pairs: no query needed.
        objectives = {o.pk: o for o in rows.objectives}
        link_rows = [
            ObjectiveLink(cause=objectives[c], effect=objectives[e])
            for c, e in links
            if c in objectives and e in objectives
        ]
    out = []
    for link in link_rows:
        leading = _representative(by_objective.get(link.cause_id, []), "leading")
        lagging = _representative(by_objective.get(link.effect_id, []), "lagging")
        if leading is None or lagging is None:
            missing = link.cause if leading is None else link.effect
            out.append(
                LinkEvidence(
                    link,
                    leading,
                    lagging,
                    None,
                    gettext("“%(name)s” has no KPI.") % {"name": missing.name},
                )
            )
            continue
        a, b = specs[leading.code], specs[lagging.code]
        ranks = list(et.Interval)
        interval = max(a.interval, b.interval, key=ranks.index)
        last = periods.last_complete_period(as_of, interval, fy)
        windows = [last]
        for _ in range(HISTORY_PERIODS - 1):
            windows.append(periods.previous_period(windows[-1], interval, fy))
        windows.reverse()
        lead_values = ev.aligned(values[leading.code], a.aggregation, windows)
        lag_values = ev.aligned(values[lagging.code], b.aggregation, windows)
        way_a, way_b = higher_is_better(a), higher_is_better(b)
        same = way_a is None or way_b is None or way_a == way_b
        out.append(
            LinkEvidence(
                link,
                leading,
                lagging,
                ev.lagged_correlation(lead_values, lag_values, same_direction=same),
            )
        )
    return out


def objectives_of(scorecard: Scorecard) -> list[Objective]:
    """The scorecard's objectives in map order (one query)."""
    return list(
        Objective.objects.filter(scorecard=scorecard)
        .select_related("perspective")
        .order_by("perspective__position", "position", "pk")
    )
