"""KPIs: how an objective is measured. Editors define them; the engine validates every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scorecard.api.lengths import Name, Text
from scorecard.kpis import services
from scorecard.kpis.models import (
    Aggregation,
    FormulaMode,
    Indicator,
    Interval,
    Kpi,
    Optimization,
    TargetAggregation,
    UnitRollup,
)

from ..access import access_of
from ..common import MAX_POSITION, PageParams, get_or_404, member_or_error, page_schema, paginate
from ..errors import field_error
from .objectives import scoped_objectives

router = Router(tags=["kpis"])


class KpiFields(Schema):
    """The definition fields shared by reading, creating and changing a KPI."""

    description: str = ""
    unit: str = Field("", description="Unit of measure: %, €, h ...")
    data_source: str = ""
    optimization: Optimization = Optimization.MAXIMIZE
    baseline: float | None = None
    baseline_date: dt.date | None = None
    minimum: float | None = None
    maximum: float | None = None
    target: float | None = Field(None, description="Default target per period.")
    target_date: dt.date | None = None
    tolerance: float | None = None
    band_low: float | None = None
    band_high: float | None = None
    red_flag: float | None = None
    weight: float = 1.0
    update_interval: Interval = Interval.MONTH
    time_aggregation: Aggregation = Aggregation.SUM
    indicator: Indicator = Indicator.LAGGING
    formula: str = Field("", description="Calculated KPI, e.g. deals / leads * 100.")
    formula_mode: FormulaMode = FormulaMode.EQUATION
    target_aggregation: TargetAggregation = Field(
        TargetAggregation.AUTO,
        description="How the target over a quarter, a year or year to date is made "
        "(docs/scoring.md, Window targets).",
    )
    unit_rollup: UnitRollup = Field(
        UnitRollup.AUTO,
        description="How this KPI's values in the units below combine into its value here.",
    )
    thresholds: list[dict[str, Any]] | None = Field(
        None, description='Custom bands: [{"status": "red", "lower": null, "color": "#d64545"}].'
    )


class KpiOut(KpiFields):
    id: int
    scorecard: int
    objective: int
    code: str
    name: str
    owner: int | None
    updater: int | None
    position: int
    created_at: dt.datetime

    @staticmethod
    def resolve_scorecard(obj: Kpi) -> int:
        return obj.scorecard_id

    @staticmethod
    def resolve_objective(obj: Kpi) -> int:
        return obj.objective_id

    @staticmethod
    def resolve_owner(obj: Kpi) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_updater(obj: Kpi) -> int | None:
        return obj.updater_id


class KpiIn(KpiFields):
    objective: int
    code: str = Field(description="Short name used in formulas and references, e.g. on_time.")
    name: Name
    owner: int | None = Field(None, description="User id of a member.")
    updater: int | None = Field(None, description="User id of the member who records values.")


class KpiPatch(Schema):
    objective: int | None = None
    code: str | None = None
    name: Name | None = None
    description: Text | None = None
    unit: str | None = None
    data_source: str | None = None
    optimization: Optimization | None = None
    baseline: float | None = None
    baseline_date: dt.date | None = None
    minimum: float | None = None
    maximum: float | None = None
    target: float | None = None
    target_date: dt.date | None = None
    tolerance: float | None = None
    band_low: float | None = None
    band_high: float | None = None
    red_flag: float | None = None
    weight: float | None = None
    update_interval: Interval | None = None
    time_aggregation: Aggregation | None = None
    indicator: Indicator | None = None
    formula: str | None = None
    formula_mode: FormulaMode | None = None
    target_aggregation: TargetAggregation | None = None
    unit_rollup: UnitRollup | None = None
    thresholds: list[dict[str, Any]] | None = None
    owner: int | None = None
    updater: int | None = None
    position: int | None = Field(None, ge=0, le=MAX_POSITION)


class KpiFilter(PageParams):
    organization: str | None = Field(None, description="Only this organization (slug).")
    unit: int | None = Field(None, description="Only KPIs of this unit's scorecards.")
    scorecard: int | None = None
    objective: int | None = None
    code: str | None = None


KpiPage = page_schema(KpiOut, "KpiPage")


def scoped_kpis(request: HttpRequest) -> QuerySet[Kpi]:
    return Kpi.objects.select_related("scorecard").filter(
        scorecard__organization_id__in=access_of(request).org_ids
    )


@router.get("/kpis", response=KpiPage)
def kpi_list(request: HttpRequest, filters: Query[KpiFilter]) -> dict[str, Any]:
    items = scoped_kpis(request)
    if filters.organization:
        items = items.filter(scorecard__organization__slug=filters.organization)
    if filters.unit is not None:
        items = items.filter(scorecard__unit_id=filters.unit)
    if filters.scorecard is not None:
        items = items.filter(scorecard_id=filters.scorecard)
    if filters.objective is not None:
        items = items.filter(objective_id=filters.objective)
    if filters.code:
        items = items.filter(code=filters.code)
    return paginate(items.order_by("scorecard_id", "id"), filters.limit, filters.offset)


@router.get("/kpis/{kpi_id}", response=KpiOut)
def kpi_get(request: HttpRequest, kpi_id: int) -> Kpi:
    return get_or_404(scoped_kpis(request), pk=kpi_id)


def _people(org_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    for field in ("owner", "updater"):
        if field in fields:
            fields[field] = member_or_error(org_id, fields[field], field)
    return fields


@router.post("/kpis", response={201: KpiOut})
def kpi_create(request: HttpRequest, payload: KpiIn) -> Status[Kpi]:
    """Define a KPI measuring an objective (editors); invalid scales or formulas give 422."""
    objective = get_or_404(scoped_objectives(request), pk=payload.objective)
    org_id = objective.scorecard.organization_id
    access_of(request).require(org_id, "editor")
    fields = _people(org_id, payload.model_dump(exclude={"objective"}))
    kpi = services.kpi_create(objective=objective, **fields)
    return Status(201, kpi)


@router.patch("/kpis/{kpi_id}", response=KpiOut)
def kpi_update(request: HttpRequest, kpi_id: int, payload: KpiPatch) -> Kpi:
    """Change a KPI's definition (editors); nothing is saved unless the result is valid."""
    kpi = get_or_404(scoped_kpis(request), pk=kpi_id)
    org_id = kpi.scorecard.organization_id
    access_of(request).require(org_id, "editor")
    fields = _people(org_id, payload.model_dump(exclude_unset=True))
    if "objective" in fields:
        objective = scoped_objectives(request).filter(pk=fields["objective"]).first()
        if objective is None or objective.scorecard_id != kpi.scorecard_id:
            raise field_error("objective", "No such objective in this scorecard.")
        fields["objective"] = objective
    for text in ("description", "unit", "data_source", "formula"):
        if text in fields and fields[text] is None:
            fields[text] = ""
    return services.kpi_update(kpi=kpi, **fields)


@router.delete("/kpis/{kpi_id}", response={204: None})
def kpi_delete(request: HttpRequest, kpi_id: int) -> Status[None]:
    """Delete a KPI with its data (editors), unless a calculated KPI uses it (422)."""
    kpi = get_or_404(scoped_kpis(request), pk=kpi_id)
    access_of(request).require(kpi.scorecard.organization_id, "editor")
    services.kpi_delete(kpi=kpi)
    return Status(204, None)
