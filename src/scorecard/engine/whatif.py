"""What-if: score a scorecard with changed values, targets or weights; goal seek; sensitivity.

Nothing here stores anything: a change makes a new :class:`ScorecardInput` and
the ordinary :func:`evaluate_scorecard` scores it. Values and targets are changed
for the period each KPI is scored over in the ``period`` view (its latest
complete period as of the date).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import periods as pr
from .evaluate import (
    KpiInput,
    ScorecardInput,
    ScorecardResult,
    _objectives,
    _perspectives,
    _roll,
    _weights,
    evaluate_scorecard,
    kpi_window,
)
from .scoring import value_at_score
from .text import Text, gettext_noop
from .types import Measurement, Optimization, TargetPoint, View

#: Goal seek stops when the score it searches is known to this precision.
PRECISION = 1e-7
#: Optimizations whose value can be worked out from a score (goal seek, sensitivity).
SEEKABLE = (
    Optimization.MAXIMIZE,
    Optimization.MINIMIZE,
    Optimization.PERCENT_OF_TARGET,
    Optimization.GOAL_RED_FLAG,
)


class WhatIfError(ValueError):
    """A change or a question that cannot be answered; the message says why."""


@dataclass(frozen=True)
class Changes:
    """Temporary changes: KPI values and targets (by KPI code) and weights.

    Weights are keyed by KPI code, objective key and perspective key.
    """

    values: Mapping[str, float] = field(default_factory=dict)
    targets: Mapping[str, float] = field(default_factory=dict)
    kpi_weights: Mapping[str, float] = field(default_factory=dict)
    objective_weights: Mapping[str, float] = field(default_factory=dict)
    perspective_weights: Mapping[str, float] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(
            (
                self.values,
                self.targets,
                self.kpi_weights,
                self.objective_weights,
                self.perspective_weights,
            )
        )


def _check_number(value: float, problem: Text) -> None:
    if not math.isfinite(value):
        raise WhatIfError(problem)


def _changed_kpi(kpi: KpiInput, changes: Changes, as_of: dt.date, fy: int) -> KpiInput:
    code = kpi.spec.code
    spec = kpi.spec
    window = kpi_window(spec, as_of, View.PERIOD, fy)
    measurements, targets = kpi.measurements, kpi.targets
    if code in changes.values:
        if spec.formula:
            raise WhatIfError(
                gettext_noop(
                    "“%(name)s” is calculated from its formula; change its inputs instead.",
                    name=spec.name,
                )
            )
        value = changes.values[code]
        _check_number(
            value, gettext_noop("The value of “%(name)s” must be a number.", name=spec.name)
        )
        period = pr.period_containing(window.start, spec.interval, fy)
        kept = [
            m
            for m in measurements
            if pr.period_containing(m.period_start, spec.interval, fy) != period
        ]
        measurements = (*kept, Measurement(period.start, value))
    if code in changes.targets:
        value = changes.targets[code]
        _check_number(
            value, gettext_noop("The target of “%(name)s” must be a number.", name=spec.name)
        )
        others = [t for t in targets if t.period_start != window.start]
        targets = (*others, TargetPoint(window.start, value))
    if code in changes.kpi_weights:
        weight = changes.kpi_weights[code]
        _check_number(
            weight, gettext_noop("The weight of “%(name)s” must be a number.", name=spec.name)
        )
        if weight <= 0:
            raise WhatIfError(
                gettext_noop("The weight of “%(name)s” must be above zero.", name=spec.name)
            )
        spec = dataclasses.replace(spec, weight=weight)
    return dataclasses.replace(kpi, spec=spec, measurements=measurements, targets=targets)


def apply_changes(sc: ScorecardInput, changes: Changes, *, as_of: dt.date) -> ScorecardInput:
    """A copy of ``sc`` with ``changes`` applied (``sc`` itself is left as it was)."""
    fy = sc.fiscal_year_start_month
    codes = {k.spec.code for k in sc.kpis}
    unknown = (set(changes.values) | set(changes.targets) | set(changes.kpi_weights)) - codes
    if unknown:
        raise WhatIfError(
            gettext_noop("No KPI with the code(s) %(codes)s.", codes=", ".join(sorted(unknown)))
        )
    for key, weight in changes.objective_weights.items():
        _check_number(
            weight, gettext_noop("The weight of objective “%(key)s” must be a number.", key=key)
        )
        if weight <= 0:
            raise WhatIfError(
                gettext_noop("The weight of objective “%(key)s” must be above zero.", key=key)
            )
    for key, weight in changes.perspective_weights.items():
        _check_number(
            weight,
            gettext_noop("The weight of perspective “%(key)s” must be a number.", key=key),
        )
        if weight <= 0:
            raise WhatIfError(
                gettext_noop("The weight of perspective “%(key)s” must be above zero.", key=key)
            )
    kpis = tuple(_changed_kpi(k, changes, as_of, fy) for k in sc.kpis)
    objectives = tuple(
        dataclasses.replace(o, weight=changes.objective_weights[o.key])
        if o.key in changes.objective_weights
        else o
        for o in sc.objectives
    )
    perspectives = tuple(
        dataclasses.replace(p, weight=changes.perspective_weights[p.key])
        if p.key in changes.perspective_weights
        else p
        for p in sc.perspectives
    )
    return dataclasses.replace(sc, kpis=kpis, objectives=objectives, perspectives=perspectives)


def what_if(sc: ScorecardInput, changes: Changes, *, as_of: dt.date) -> ScorecardResult:
    """Every score of the scorecard with ``changes`` applied, in the period view."""
    return evaluate_scorecard(apply_changes(sc, changes, as_of=as_of), as_of=as_of)


def value_for_performance(kpi: KpiInput, performance: float, target: float | None) -> float:
    """The value of ``kpi`` that earns ``performance`` against ``target``."""
    spec = kpi.spec
    opt = spec.optimization
    if opt in (Optimization.MAXIMIZE, Optimization.MINIMIZE):
        value = value_at_score(spec, performance, target)
        if value is None:
            raise WhatIfError(
                gettext_noop("“%(name)s” has no usable scale to work back from.", name=spec.name)
            )
        return value
    if opt is Optimization.PERCENT_OF_TARGET:
        if not target or target <= 0:
            raise WhatIfError(gettext_noop("“%(name)s” needs a target above zero.", name=spec.name))
        return performance * target
    if opt is Optimization.GOAL_RED_FLAG:
        if target is None or spec.red_flag is None or target == spec.red_flag:
            raise WhatIfError(
                gettext_noop("“%(name)s” needs a goal and a red flag.", name=spec.name)
            )
        d = target - spec.red_flag
        return spec.red_flag - d + 3 * d * performance
    raise WhatIfError(
        gettext_noop(
            "“%(name)s” is scored as %(scoring)s; "
            "only KPIs on a sliding scale can be worked back from a score.",
            name=spec.name,
            scoring=opt.value.replace("_", " "),
        )
    )


def node_score(result: ScorecardResult, node: tuple[str, str]) -> float | None:
    """The score of ``("objective", key)``, ``("perspective", key)`` or ``("scorecard", "")``."""
    kind, key = node
    if kind == "objective":
        return result.objectives[key].score
    if kind == "perspective":
        return result.perspectives[key].score
    return result.score


def green_from(sc: ScorecardInput) -> float:
    """The lowest score that is green (the top band's start when no band is called green)."""
    bands = sorted(sc.settings.thresholds.bands, key=lambda b: b.lower)
    green = [b for b in bands if b.status == "green"]
    return (green[0] if green else bands[-1]).lower


@dataclass(frozen=True)
class GoalSeek:
    """The answer of goal seek.

    ``value`` is the KPI value that brings the node's score to ``needed`` (None when
    it cannot); ``reason`` says why not: ``already`` (the node reaches it even at
    the KPI's worst), ``unreachable`` (not even at the top of the KPI's scale).
    ``score`` is the node's score with that value, worked out again by the engine.
    """

    value: float | None
    needed: float
    score: float | None
    current_value: float | None
    reason: str | None = None


def goal_seek(
    sc: ScorecardInput,
    *,
    as_of: dt.date,
    kpi_code: str,
    node: tuple[str, str],
    needed: float | None = None,
) -> GoalSeek:
    """Which value of one KPI brings ``node`` to the score ``needed`` (default: green)?

    Bisection over the KPI's performance between 0 and the rollup cap (beyond the
    cap the rollup does not notice): the node's score never falls when one child
    gets better, so the smallest sufficient score is found to PRECISION and
    turned back into a value.
    """
    kpi = next((k for k in sc.kpis if k.spec.code == kpi_code), None)
    if kpi is None:
        raise WhatIfError(gettext_noop("No KPI with the code %(code)s.", code=kpi_code))
    if kpi.spec.formula:
        raise WhatIfError(
            gettext_noop(
                "“%(name)s” is calculated from its formula; seek one of its inputs instead.",
                name=kpi.spec.name,
            )
        )
    if kpi.spec.optimization not in SEEKABLE:
        value_for_performance(kpi, 0.0, None)  # raises the plain explanation
    goal = green_from(sc) if needed is None else needed
    base = evaluate_scorecard(sc, as_of=as_of)
    if node[0] == "objective" and node[1] not in base.objectives:
        raise WhatIfError(gettext_noop("No objective with the code %(code)s.", code=node[1]))
    if node[0] == "perspective" and node[1] not in base.perspectives:
        raise WhatIfError(gettext_noop("No such perspective."))
    target = base.kpis[kpi_code].target
    current = base.kpis[kpi_code].value

    def score_with(performance: float) -> tuple[float, float | None]:
        value = value_for_performance(kpi, performance, target)
        changed = apply_changes(sc, Changes(values={kpi_code: value}), as_of=as_of)
        return value, node_score(evaluate_scorecard(changed, as_of=as_of), node)

    low, high = 0.0, sc.settings.cap
    value_low, score_low = score_with(low)
    if score_low is not None and score_low >= goal:
        return GoalSeek(value_low, goal, score_low, current, "already")
    value_high, score_high = score_with(high)
    if score_high is None or score_high < goal:
        return GoalSeek(None, goal, score_high, current, "unreachable")
    best_value, best_score = value_high, score_high
    while high - low > PRECISION:
        middle = (low + high) / 2
        value, score = score_with(middle)
        if score is not None and score >= goal:
            high, best_value, best_score = middle, value, score
        else:
            low = middle
    return GoalSeek(best_value, goal, best_score, current)


@dataclass(frozen=True)
class Sensitivity:
    """How much the scorecard's score moves when one KPI's score rises by ``step``."""

    code: str
    name: str
    performance: float | None
    gain: float


def sensitivity(
    sc: ScorecardInput, result: ScorecardResult, *, step: float = 0.1
) -> list[Sensitivity]:
    """For every scored KPI, the change of the top score when its performance rises
    by ``step`` (0.1 = ten points of its scale), biggest first.

    The rollup is redone with that one KPI's score changed and every other KPI as it
    is (a calculated KPI that uses it is not recomputed): the KPI's own leverage.
    A KPI without a value counts from zero.
    """
    weights = _weights(sc)
    base = result.score or 0.0
    out = []
    for kpi in sc.kpis:
        code = kpi.spec.code
        own = result.kpis[code]
        if own.status in ("error", "not_applicable") or kpi.spec.optimization is Optimization.NONE:
            continue
        performance = own.performance
        bumped = dataclasses.replace(own, performance=(performance or 0.0) + step)
        kpis = {**result.kpis, code: bumped}
        objectives = _objectives(sc, kpis, weights)
        perspectives = _perspectives(sc, objectives, weights)
        top = _roll([(perspectives[p.key].score, p.weight) for p in sc.perspectives], sc.settings)
        out.append(Sensitivity(code, kpi.spec.name, performance, (top or 0.0) - base))
    return sorted(out, key=lambda s: (-s.gain, s.name))
