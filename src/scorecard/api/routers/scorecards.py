"""Scorecards: one unit's Balanced Scorecard. Editors create and change them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scorecard.api.lengths import Name, Text
from scorecard.organizations.models import Unit
from scorecard.strategy import services
from scorecard.strategy.models import Scorecard

from ..access import access_of
from ..common import PageParams, get_or_404, page_schema, paginate
from ..errors import field_error

router = Router(tags=["scorecards"])

Aggregator = Scorecard.Aggregator
Missing = Scorecard.MissingPolicy


class ScorecardOut(Schema):
    id: int
    organization: str
    unit: int
    parent: int | None
    name: str
    slug: str
    vision: str
    mission: str
    aggregator: Aggregator
    missing_policy: Missing
    score_cap: float
    min_coverage: float = Field(
        description="Least share of the weight (0 to 1) with data for a score to be shown; "
        "below it a score is null (not enough data)."
    )
    created_at: dt.datetime

    @staticmethod
    def resolve_organization(obj: Scorecard) -> str:
        return obj.organization.slug

    @staticmethod
    def resolve_unit(obj: Scorecard) -> int:
        return obj.unit_id

    @staticmethod
    def resolve_parent(obj: Scorecard) -> int | None:
        return obj.parent_id


class ScorecardIn(Schema):
    unit: int = Field(description="The unit whose scorecard this is.")
    name: Name
    slug: str = Field("", description="Short name, unique in the organization; from the name.")
    vision: Text = ""
    mission: Text = ""
    parent: int | None = Field(None, description="The scorecard this one is cascaded from.")
    with_default_perspectives: bool = Field(
        True, description="Start with the four classic perspectives."
    )


class ScorecardPatch(Schema):
    name: Name | None = None
    vision: Text | None = None
    mission: Text | None = None
    aggregator: Aggregator | None = None
    missing_policy: Missing | None = None
    score_cap: float | None = None
    min_coverage: float | None = Field(None, ge=0, le=1)


class ScorecardFilter(PageParams):
    organization: str | None = Field(None, description="Only this organization (slug).")
    unit: int | None = None
    parent: int | None = None
    slug: str | None = None


ScorecardPage = page_schema(ScorecardOut, "ScorecardPage")


def scoped_scorecards(request: HttpRequest) -> QuerySet[Scorecard]:
    """Scorecards of the caller's organizations."""
    return Scorecard.objects.select_related("organization").filter(
        organization_id__in=access_of(request).org_ids
    )


@router.get("/scorecards", response=ScorecardPage)
def scorecard_list(request: HttpRequest, filters: Query[ScorecardFilter]) -> dict[str, Any]:
    cards = scoped_scorecards(request)
    if filters.organization:
        cards = cards.filter(organization__slug=filters.organization)
    if filters.unit is not None:
        cards = cards.filter(unit_id=filters.unit)
    if filters.parent is not None:
        cards = cards.filter(parent_id=filters.parent)
    if filters.slug:
        cards = cards.filter(slug=filters.slug)
    return paginate(cards.order_by("organization_id", "name", "id"), filters.limit, filters.offset)


@router.get("/scorecards/{scorecard_id}", response=ScorecardOut)
def scorecard_get(request: HttpRequest, scorecard_id: int) -> Scorecard:
    return get_or_404(scoped_scorecards(request), pk=scorecard_id)


@router.post("/scorecards", response={201: ScorecardOut})
def scorecard_create(request: HttpRequest, payload: ScorecardIn) -> Status[Scorecard]:
    """Start a unit's scorecard (editors)."""
    access = access_of(request)
    unit = get_or_404(
        Unit.objects.select_related("organization").filter(organization_id__in=access.org_ids),
        pk=payload.unit,
    )
    access.require(unit.organization_id, "editor")
    parent = None
    if payload.parent is not None:
        parent = scoped_scorecards(request).filter(pk=payload.parent).first()
        if parent is None or parent.organization_id != unit.organization_id:
            raise field_error("parent", "No such scorecard in this organization.")
    scorecard = services.scorecard_create(
        organization=unit.organization,
        unit=unit,
        name=payload.name,
        slug=payload.slug,
        vision=payload.vision,
        mission=payload.mission,
        parent=parent,
        with_default_perspectives=payload.with_default_perspectives,
    )
    return Status(201, scorecard)


@router.patch("/scorecards/{scorecard_id}", response=ScorecardOut)
def scorecard_update(request: HttpRequest, scorecard_id: int, payload: ScorecardPatch) -> Scorecard:
    """Change name, vision, mission or rollup settings (editors)."""
    scorecard = get_or_404(scoped_scorecards(request), pk=scorecard_id)
    access_of(request).require(scorecard.organization_id, "editor")
    fields = payload.model_dump(exclude_unset=True)
    return services.scorecard_update(scorecard=scorecard, **fields)


@router.delete("/scorecards/{scorecard_id}", response={204: None})
def scorecard_delete(request: HttpRequest, scorecard_id: int) -> Status[None]:
    """Delete a scorecard and everything in it (editors)."""
    scorecard = get_or_404(scoped_scorecards(request), pk=scorecard_id)
    access_of(request).require(scorecard.organization_id, "editor")
    services.scorecard_delete(scorecard=scorecard)
    return Status(204, None)
