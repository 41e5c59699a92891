"""Writes of the planning app: funnels, benchmarks, accepted targets, levers turned into
objectives, and the forecast rule. Views, the document loader and tests call these."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from scorecard import clock
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.kpis.models import Kpi, Target
from scorecard.kpis.services import kpi_create, target_set
from scorecard.limits import checked_create, lengths_check
from scorecard.strategy.models import Objective, Perspective, Scorecard
from scorecard.strategy.services import objective_create

from .models import Benchmark, ForecastRule, Funnel, FunnelStage

#: Units that say a KPI is a rate, not a volume a funnel can chain.
RATE_UNITS = {"%", "percent", "pct"}


def _number(value: Any, field: str, *, positive: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: f"“{value}” is not a number."}) from None
    if not math.isfinite(number):
        raise ValidationError({field: gettext("Enter a finite number.")})
    if positive and number <= 0:
        raise ValidationError({field: gettext("Enter a number above zero.")})
    return number


def _stages_check(scorecard: Scorecard, kpis: list[Kpi]) -> None:
    if len(kpis) < 2:
        raise ValidationError({"stages": "A funnel needs at least two stages."})
    seen: set[int] = set()
    for kpi in kpis:
        if kpi.scorecard_id != scorecard.pk:
            raise ValidationError({"stages": f"“{kpi.name}” belongs to another scorecard."})
        if kpi.pk in seen:
            raise ValidationError({"stages": f"“{kpi.name}” is in the funnel twice."})
        seen.add(kpi.pk)
        if kpi.unit.strip().lower() in RATE_UNITS:
            raise ValidationError(
                {
                    "stages": f"“{kpi.name}” is measured in {kpi.unit}: a funnel stage is a "
                    "volume (visitors, leads, deals); the rates between stages are worked out."
                }
            )


def _costs(costs: list[Any] | None, count: int) -> list[float | None]:
    if costs is None:
        return [None] * count
    if len(costs) != count:
        raise ValidationError({"costs": gettext("Give one cost per stage (or leave them empty).")})
    out: list[float | None] = []
    for cost in costs:
        if cost is None or str(cost).strip() == "":
            out.append(None)
        else:
            out.append(_number(cost, "costs", positive=True))
    return out


def _name_check(scorecard: Scorecard, name: str, exclude: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A funnel needs a name."})
    if len(name) > 200:
        raise ValidationError({"name": "A name can be at most 200 characters."})
    clash = Funnel.objects.filter(scorecard=scorecard, name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError(
            {
                "name": gettext("This scorecard already has a funnel called “%(name)s”.")
                % {"name": name}
            }
        )
    return name


@transaction.atomic
def funnel_create(
    *,
    scorecard: Scorecard,
    name: str,
    kpis: list[Kpi],
    description: str = "",
    costs: list[Any] | None = None,
) -> Funnel:
    """Create a funnel of ``kpis`` in order (top of the funnel first).

    ``costs`` optionally gives, per stage, the cost of one percentage point more
    conversion into that stage (the first stage's cost is not used).
    """
    name = _name_check(scorecard, name)
    _stages_check(scorecard, kpis)
    stage_costs = _costs(costs, len(kpis))
    funnel = checked_create(
        Funnel,
        scorecard=scorecard,
        name=name,
        description=description.strip(),
        created_at=clock.now(),
    )
    FunnelStage.objects.bulk_create(
        FunnelStage(funnel=funnel, kpi=kpi, position=i, cost=stage_costs[i] if i else None)
        for i, kpi in enumerate(kpis)
    )
    return funnel


@transaction.atomic
def funnel_update(
    *,
    funnel: Funnel,
    name: str,
    kpis: list[Kpi],
    description: str = "",
    costs: list[Any] | None = None,
) -> Funnel:
    """Rename a funnel and replace its stages."""
    scorecard = funnel.scorecard
    funnel.name = _name_check(scorecard, name, exclude=funnel.pk)
    funnel.description = description.strip()
    _stages_check(scorecard, kpis)
    stage_costs = _costs(costs, len(kpis))
    lengths_check(funnel)
    funnel.save(update_fields=["name", "description"])
    funnel.stages.all().delete()
    FunnelStage.objects.bulk_create(
        FunnelStage(funnel=funnel, kpi=kpi, position=i, cost=stage_costs[i] if i else None)
        for i, kpi in enumerate(kpis)
    )
    return funnel


@transaction.atomic
def funnel_delete(*, funnel: Funnel) -> None:
    """Delete a funnel; its KPIs and their data stay."""
    funnel.delete()


@transaction.atomic
def benchmark_add(
    *,
    kpi: Kpi,
    value: Any,
    source: str,
    as_of: dt.date | None,
    percentile: Any = None,
    note: str = "",
    user: Any = None,
) -> Benchmark:
    """Record what peers achieve on ``kpi``: value, peer percentile, source and date."""
    errors: dict[str, str] = {}
    number = pct = None
    try:
        number = _number(value, "value")
    except ValidationError as exc:
        errors["value"] = " ".join(exc.messages)
    if percentile is not None and str(percentile).strip() != "":
        try:
            pct = _number(percentile, "percentile")
        except ValidationError as exc:
            errors["percentile"] = " ".join(exc.messages)
        else:
            if not 0 <= pct <= 100:
                errors["percentile"] = "A percentile lies between 0 and 100."
    source = source.strip()
    if not source:
        errors["source"] = gettext(
            "Say where the benchmark comes from (a study, an association …)."
        )
    elif len(source) > 300:
        errors["source"] = "A source can be at most 300 characters."
    if as_of is None:
        errors["as_of"] = gettext("Give the date of the benchmark (e.g. 2026-06-30).")
    if len(note.strip()) > 500:
        errors["note"] = "A note can be at most 500 characters."
    if errors:
        raise ValidationError(errors)
    assert number is not None and as_of is not None
    return Benchmark.objects.create(
        kpi=kpi,
        value=number,
        percentile=pct,
        source=source,
        as_of=as_of,
        note=note.strip(),
        added_by=user if getattr(user, "is_authenticated", False) else None,
        added_at=clock.now(),
    )


@transaction.atomic
def benchmark_delete(*, benchmark: Benchmark) -> None:
    """Remove a benchmark from a KPI's library."""
    benchmark.delete()


@transaction.atomic
def target_accept(
    *,
    kpi: Kpi,
    period_start: dt.date,
    value: Any,
    provenance: str,
    note: str,
    user: Any = None,
) -> Target:
    """Save a proposed target from ``period_start`` on, with where it comes from.

    Goes through kpis.services.target_set (one place decides what a valid target is).
    """
    number = _number(value, "value")
    note = note.strip()
    if len(note) > 500:
        note = note[:499] + "…"
    return target_set(
        kpi=kpi,
        period_start=period_start,
        value=number,
        provenance=provenance,
        note=note,
        user=user,
    )


def _free_code(taken: set[str], wanted: str, limit: int = 80) -> str:
    base = wanted[:limit] or "item"
    code, n = base, 2
    while code in taken:
        suffix = f"-{n}" if "-" in base else f"_{n}"
        code = base[: limit - len(suffix)] + suffix
        n += 1
    return code


@transaction.atomic
def lever_to_objective(
    *,
    funnel: Funnel,
    stage_position: int,
    new_rate: float,
    current_rate: float,
    note: str,
    as_of: dt.date,
    user: Any = None,
) -> tuple[Objective, Kpi]:
    """Turn a lever into strategy: an objective "Raise conversion into <stage>" with a
    calculated conversion-rate KPI (stage ÷ previous stage × 100) and its target.

    The objective goes into the scorecard's internal-processes perspective (else
    the perspective of the funnel's last stage). The target is saved from the
    KPI's running period on, with the provenance "conversion chain".
    """
    stages = list(funnel.stages.select_related("kpi__objective__perspective").order_by("position"))
    if not 0 < stage_position < len(stages):
        raise ValidationError({"__all__": gettext("That stage has no conversion rate into it.")})
    if not (math.isfinite(new_rate) and new_rate > 0) or new_rate <= current_rate:
        raise ValidationError({"__all__": gettext("The new rate must be above today's rate.")})
    before, after = stages[stage_position - 1].kpi, stages[stage_position].kpi
    scorecard = funnel.scorecard
    perspective = (
        Perspective.objects.filter(scorecard=scorecard, kind=Perspective.Kind.INTERNAL)
        .order_by("position")
        .first()
    ) or stages[-1].kpi.objective.perspective
    objective_codes = set(
        Objective.objects.filter(scorecard=scorecard).values_list("code", flat=True)
    )
    objective = objective_create(
        perspective=perspective,
        name=f"Raise conversion from {before.name} to {after.name}"[:200],
        code=_free_code(objective_codes, slugify(f"convert {after.code}")),
        description=note,
        owner=after.owner,
    )
    kpi_codes = set(Kpi.objects.filter(scorecard=scorecard).values_list("code", flat=True))
    code = _free_code(kpi_codes, f"{before.code}_to_{after.code}_rate".replace("-", "_"))
    kpi = kpi_create(
        objective=objective,
        code=code,
        name=f"{before.name} → {after.name} conversion"[:200],
        description=note,
        unit="%",
        optimization="maximize",
        baseline=round(current_rate * 100, 4),
        target=round(new_rate * 100, 4),
        update_interval=after.update_interval,
        time_aggregation="average",
        indicator="leading",
        formula=f"{after.code} / {before.code} * 100",
        owner=after.owner,
    )
    fiscal = scorecard.organization.fiscal_year_start_month
    running = periods.period_containing(as_of, et.Interval(kpi.update_interval), fiscal)
    target_set(
        kpi=kpi,
        period_start=running.start,
        value=round(new_rate * 100, 4),
        provenance=Target.Provenance.CHAIN,
        note=note[:500],
        user=user,
    )
    return objective, kpi


@transaction.atomic
def forecast_rule_set(*, scorecard: Scorecard, at_risk_below: Any) -> ForecastRule | None:
    """Set (or with an empty value remove) the "at risk" threshold, a chance in percent."""
    if at_risk_below is None or str(at_risk_below).strip() == "":
        ForecastRule.objects.filter(scorecard=scorecard).delete()
        return None
    percent = _number(at_risk_below, "at_risk_below")
    if not 0 < percent < 100:
        raise ValidationError(
            {"at_risk_below": gettext("Give a chance between 1 and 99 percent, e.g. 50.")}
        )
    rule, _ = ForecastRule.objects.update_or_create(
        scorecard=scorecard, defaults={"at_risk_below": percent / 100}
    )
    return rule
