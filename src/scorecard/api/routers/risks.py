"""Risks: a scorecard's risk register (docs/risks.md). Members read; editors write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.risks import services
from scorecard.risks.models import Risk
from scorecard.strategy.models import Objective, Scorecard

from ..access import access_of
from ..common import PageParams, get_or_404, member_or_error, page_schema, paginate
from ..errors import field_error
from .scorecards import scoped_scorecards

router = Router(tags=["risks"])

Rating = Field(ge=1, le=5, description="1 (rare, minor) to 5 (almost certain, severe).")


class RiskOut(Schema):
    id: int
    scorecard: int
    title: str
    cause: str
    consequence: str
    owner: int | None
    likelihood: int
    impact: int
    score: int = Field(description="Likelihood × impact before mitigation.")
    level: str = Field(description="low, medium, high or critical.")
    likelihood_after: int | None
    impact_after: int | None
    score_after: int | None
    level_after: str
    objectives: list[int]
    kpis: list[int]
    initiatives: list[int] = Field(description="Mitigating initiatives.")
    review_on: dt.date | None

    @staticmethod
    def resolve_scorecard(obj: Risk) -> int:
        return obj.scorecard_id

    @staticmethod
    def resolve_owner(obj: Risk) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_objectives(obj: Risk) -> list[int]:
        return [o.pk for o in obj.objectives.all()]

    @staticmethod
    def resolve_kpis(obj: Risk) -> list[int]:
        return [k.pk for k in obj.kpis.all()]

    @staticmethod
    def resolve_initiatives(obj: Risk) -> list[int]:
        return [i.pk for i in obj.initiatives.all()]


class RiskIn(Schema):
    scorecard: int
    title: str
    cause: str = ""
    consequence: str = ""
    owner: int | None = None
    likelihood: int = Rating
    impact: int = Rating
    likelihood_after: int | None = Field(None, ge=1, le=5)
    impact_after: int | None = Field(None, ge=1, le=5)
    objectives: list[int] = Field(default_factory=list, max_length=1000)
    kpis: list[int] = Field(default_factory=list, max_length=1000)
    initiatives: list[int] = Field(default_factory=list, max_length=1000)
    review_on: dt.date | None = None


class RiskPatch(Schema):
    title: str | None = None
    cause: str | None = None
    consequence: str | None = None
    owner: int | None = None
    likelihood: int | None = Field(None, ge=1, le=5)
    impact: int | None = Field(None, ge=1, le=5)
    likelihood_after: int | None = Field(None, ge=1, le=5)
    impact_after: int | None = Field(None, ge=1, le=5)
    objectives: list[int] | None = Field(None, max_length=1000)
    kpis: list[int] | None = Field(None, max_length=1000)
    initiatives: list[int] | None = Field(None, max_length=1000)
    review_on: dt.date | None = None


class RiskFilter(PageParams):
    scorecard: int | None = None


RiskPage = page_schema(RiskOut, "RiskPage")
LINKED: dict[str, Any] = {"objectives": Objective, "kpis": Kpi, "initiatives": Initiative}


def scoped_risks(request: HttpRequest) -> QuerySet[Risk]:
    return (
        Risk.objects.select_related("scorecard")
        .prefetch_related("objectives", "kpis", "initiatives")
        .filter(scorecard__organization_id__in=access_of(request).org_ids)
    )


def _links(scorecard: Scorecard, fields: dict[str, Any]) -> None:
    """Ids of objectives, KPIs and initiatives → the scorecard's rows (else 422)."""
    for name, model in LINKED.items():
        if fields.get(name) is None:
            fields.pop(name, None)
            continue
        ids = set(fields[name])
        found = list(model.objects.filter(scorecard=scorecard, pk__in=ids))
        missing = sorted(ids - {item.pk for item in found})
        if missing:
            raise field_error(name, f"Not in this scorecard: {', '.join(map(str, missing))}.")
        fields[name] = found


@router.get("/risks", response=RiskPage)
def risk_list(request: HttpRequest, filters: Query[RiskFilter]) -> dict[str, Any]:
    """Risks of your organizations' scorecards, worst first."""
    items = scoped_risks(request)
    if filters.scorecard is not None:
        items = items.filter(scorecard_id=filters.scorecard)
    items = items.order_by("scorecard_id", "-likelihood", "-impact", "title", "id")
    return paginate(items, filters.limit, filters.offset)


@router.get("/risks/{risk_id}", response=RiskOut)
def risk_get(request: HttpRequest, risk_id: int) -> Risk:
    return get_or_404(scoped_risks(request), pk=risk_id)


@router.post("/risks", response={201: RiskOut})
def risk_create(request: HttpRequest, payload: RiskIn) -> Status[Risk]:
    """Add a risk to a scorecard's register (editors)."""
    scorecard = get_or_404(scoped_scorecards(request), pk=payload.scorecard)
    access_of(request).require(scorecard.organization_id, "editor")
    fields = payload.model_dump(exclude={"scorecard"})
    fields["owner"] = member_or_error(scorecard.organization_id, fields["owner"], "owner")
    _links(scorecard, fields)
    risk = services.risk_create(scorecard=scorecard, **fields)
    return Status(201, get_or_404(scoped_risks(request), pk=risk.pk))


@router.patch("/risks/{risk_id}", response=RiskOut)
def risk_update(request: HttpRequest, risk_id: int, payload: RiskPatch) -> Risk:
    """Change a risk's fields, ratings or links (editors); lists replace the links."""
    risk = get_or_404(scoped_risks(request), pk=risk_id)
    access_of(request).require(risk.scorecard.organization_id, "editor")
    fields = payload.model_dump(exclude_unset=True)
    if "owner" in fields:
        fields["owner"] = member_or_error(risk.scorecard.organization_id, fields["owner"], "owner")
    _links(risk.scorecard, fields)
    services.risk_update(risk=risk, **fields)
    return get_or_404(scoped_risks(request), pk=risk.pk)


@router.delete("/risks/{risk_id}", response={204: None})
def risk_delete(request: HttpRequest, risk_id: int) -> Status[None]:
    """Remove a risk from the register (editors)."""
    risk = get_or_404(scoped_risks(request), pk=risk_id)
    access_of(request).require(risk.scorecard.organization_id, "editor")
    services.risk_delete(risk=risk)
    return Status(204, None)
