"""Objectives: what a scorecard sets out to achieve, in one perspective. Editors change them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scorecard.api.lengths import Name, Text
from scorecard.strategy import services
from scorecard.strategy.models import Objective

from ..access import access_of
from ..common import MAX_POSITION, PageParams, get_or_404, member_or_error, page_schema, paginate
from ..errors import field_error
from .perspectives import scoped_perspectives

router = Router(tags=["objectives"])


class ObjectiveOut(Schema):
    id: int
    scorecard: int
    perspective: int
    code: str
    name: str
    description: str
    owner: int | None = Field(description="User id of the owner.")
    weight: float
    due_date: dt.date | None
    position: int
    created_at: dt.datetime

    @staticmethod
    def resolve_scorecard(obj: Objective) -> int:
        return obj.scorecard_id

    @staticmethod
    def resolve_perspective(obj: Objective) -> int:
        return obj.perspective_id

    @staticmethod
    def resolve_owner(obj: Objective) -> int | None:
        return obj.owner_id


class ObjectiveIn(Schema):
    perspective: int
    name: Name
    code: str = Field("", description="Short name, unique in the scorecard; from the name.")
    description: Text = ""
    owner: int | None = Field(None, description="User id of a member of the organization.")
    weight: float = 1.0
    due_date: dt.date | None = None


class ObjectivePatch(Schema):
    perspective: int | None = Field(None, description="Move to another perspective (same card).")
    name: Name | None = None
    code: str | None = None
    description: Text | None = None
    owner: int | None = None
    weight: float | None = None
    due_date: dt.date | None = None
    position: int | None = Field(None, ge=0, le=MAX_POSITION)


class ObjectiveFilter(PageParams):
    scorecard: int | None = None
    perspective: int | None = None
    code: str | None = None


ObjectivePage = page_schema(ObjectiveOut, "ObjectivePage")


def scoped_objectives(request: HttpRequest) -> QuerySet[Objective]:
    return Objective.objects.select_related("scorecard").filter(
        scorecard__organization_id__in=access_of(request).org_ids
    )


@router.get("/objectives", response=ObjectivePage)
def objective_list(request: HttpRequest, filters: Query[ObjectiveFilter]) -> dict[str, Any]:
    items = scoped_objectives(request)
    if filters.scorecard is not None:
        items = items.filter(scorecard_id=filters.scorecard)
    if filters.perspective is not None:
        items = items.filter(perspective_id=filters.perspective)
    if filters.code:
        items = items.filter(code=filters.code)
    items = items.order_by("scorecard_id", "perspective__position", "position", "id")
    return paginate(items, filters.limit, filters.offset)


@router.get("/objectives/{objective_id}", response=ObjectiveOut)
def objective_get(request: HttpRequest, objective_id: int) -> Objective:
    return get_or_404(scoped_objectives(request), pk=objective_id)


@router.post("/objectives", response={201: ObjectiveOut})
def objective_create(request: HttpRequest, payload: ObjectiveIn) -> Status[Objective]:
    """Add an objective at the end of a perspective (editors)."""
    perspective = get_or_404(scoped_perspectives(request), pk=payload.perspective)
    org_id = perspective.scorecard.organization_id
    access_of(request).require(org_id, "editor")
    objective = services.objective_create(
        perspective=perspective,
        name=payload.name,
        code=payload.code,
        description=payload.description,
        owner=member_or_error(org_id, payload.owner, "owner"),
        weight=payload.weight,
        due_date=payload.due_date,
    )
    return Status(201, objective)


@router.patch("/objectives/{objective_id}", response=ObjectiveOut)
def objective_update(request: HttpRequest, objective_id: int, payload: ObjectivePatch) -> Objective:
    """Change an objective (editors); it may move to another perspective of its scorecard."""
    objective = get_or_404(scoped_objectives(request), pk=objective_id)
    org_id = objective.scorecard.organization_id
    access_of(request).require(org_id, "editor")
    fields = payload.model_dump(exclude_unset=True)
    if "owner" in fields:
        fields["owner"] = member_or_error(org_id, fields["owner"], "owner")
    if "perspective" in fields:
        perspective = scoped_perspectives(request).filter(pk=fields["perspective"]).first()
        if perspective is None or perspective.scorecard_id != objective.scorecard_id:
            raise field_error("perspective", "No such perspective in this scorecard.")
        fields["perspective"] = perspective
    return services.objective_update(objective=objective, **fields)


@router.delete("/objectives/{objective_id}", response={204: None})
def objective_delete(request: HttpRequest, objective_id: int) -> Status[None]:
    """Delete an objective with its KPIs and their data (editors)."""
    objective = get_or_404(scoped_objectives(request), pk=objective_id)
    access_of(request).require(objective.scorecard.organization_id, "editor")
    services.objective_delete(objective=objective)
    return Status(204, None)
