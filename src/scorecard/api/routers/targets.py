"""Targets: a KPI's target from one period on, with its source. Editors set them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scorecard.kpis import services
from scorecard.kpis.models import Target

from ..access import access_of
from ..common import PageParams, get_or_404, page_schema, paginate
from ..fields import Day, Id, Number, UserId, text
from .kpis import scoped_kpis

router = Router(tags=["targets"])

Provenance = Target.Provenance


class TargetOut(Schema):
    id: int
    kpi: Id
    period_start: Day
    value: float
    provenance: Provenance
    note: str
    set_by: UserId | None
    set_at: dt.datetime

    @staticmethod
    def resolve_kpi(obj: Target) -> int:
        return obj.kpi_id

    @staticmethod
    def resolve_set_by(obj: Target) -> int | None:
        return obj.set_by_id


class TargetIn(Schema):
    kpi: Id
    period_start: Day = Field(description="First day of one of the KPI's periods.")
    value: Number
    provenance: Provenance = Provenance.ZERO
    note: str = text(Target, "note", "", description="Where the number comes from.")


class TargetFilter(PageParams):
    kpi: Id | None = None
    scorecard: Id | None = None
    period_from: Day | None = Field(None, description="Targets from this date on.")
    period_to: Day | None = Field(None, description="Targets up to this date.")


TargetPage = page_schema(TargetOut, "TargetPage")


def scoped_targets(request: HttpRequest) -> QuerySet[Target]:
    return Target.objects.select_related("kpi__scorecard").filter(
        kpi__scorecard__organization_id__in=access_of(request).org_ids
    )


@router.get("/targets", response=TargetPage)
def target_list(request: HttpRequest, filters: Query[TargetFilter]) -> dict[str, Any]:
    items = scoped_targets(request)
    if filters.kpi is not None:
        items = items.filter(kpi_id=filters.kpi)
    if filters.scorecard is not None:
        items = items.filter(kpi__scorecard_id=filters.scorecard)
    if filters.period_from is not None:
        items = items.filter(period_start__gte=filters.period_from)
    if filters.period_to is not None:
        items = items.filter(period_start__lte=filters.period_to)
    items = items.order_by("kpi_id", "period_start", "id")
    return paginate(items, filters.limit, filters.offset)


@router.get("/targets/{target_id}", response=TargetOut)
def target_get(request: HttpRequest, target_id: int) -> Target:
    return get_or_404(scoped_targets(request), pk=target_id)


@router.put("/targets", response=TargetOut)
def target_set(request: HttpRequest, payload: TargetIn) -> Target:
    """Set (create or replace) a KPI's target from ``period_start`` on (editors)."""
    kpi = get_or_404(scoped_kpis(request), pk=payload.kpi)
    access_of(request).require(kpi.scorecard.organization_id, "editor")
    return services.target_set(
        kpi=kpi,
        period_start=payload.period_start,
        value=payload.value,
        provenance=payload.provenance,
        note=payload.note,
        user=access_of(request).user,
    )


@router.delete("/targets/{target_id}", response={204: None})
def target_delete(request: HttpRequest, target_id: int) -> Status[None]:
    target = get_or_404(scoped_targets(request), pk=target_id)
    access_of(request).require(target.kpi.scorecard.organization_id, "editor")
    services.target_delete(target=target)
    return Status(204, None)
