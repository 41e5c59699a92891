"""Initiatives (action plans) serving a scorecard's objectives. Editors plan them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scorecard.api.lengths import Name, Text
from scorecard.initiatives import services
from scorecard.initiatives.models import Initiative
from scorecard.strategy.models import Objective

from ..access import access_of
from ..common import PageParams, get_or_404, member_or_error, page_schema, paginate
from ..errors import field_error
from .scorecards import scoped_scorecards

router = Router(tags=["initiatives"])

PlanStatus = Initiative.Status


class InitiativeOut(Schema):
    id: int
    scorecard: int
    name: str
    description: str
    owner: int | None
    objectives: list[int]
    start_date: dt.date | None
    deadline: dt.date | None
    budget: float | None
    spent: float | None
    status: PlanStatus
    progress: float | None = Field(description="Entered progress 0–1 (null: from tasks).")

    @staticmethod
    def resolve_scorecard(obj: Initiative) -> int:
        return obj.scorecard_id

    @staticmethod
    def resolve_owner(obj: Initiative) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_objectives(obj: Initiative) -> list[int]:
        return sorted(o.pk for o in obj.objectives.all())


class InitiativeIn(Schema):
    scorecard: int
    name: Name
    description: Text = ""
    owner: int | None = Field(None, description="User id of a member.")
    objectives: list[int] = Field([], description="Ids of objectives of the same scorecard.")
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    budget: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    spent: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    status: PlanStatus = PlanStatus.PLANNED
    progress: float | None = None


class InitiativePatch(Schema):
    name: Name | None = None
    description: Text | None = None
    owner: int | None = None
    objectives: list[int] | None = None
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    budget: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    spent: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    status: PlanStatus | None = None
    progress: float | None = None


class InitiativeFilter(PageParams):
    scorecard: int | None = None
    objective: int | None = None
    status: PlanStatus | None = None


InitiativePage = page_schema(InitiativeOut, "InitiativePage")


def scoped_initiatives(request: HttpRequest) -> QuerySet[Initiative]:
    return (
        Initiative.objects.select_related("scorecard")
        .prefetch_related("objectives")
        .filter(scorecard__organization_id__in=access_of(request).org_ids)
    )


def _objectives(scorecard_id: int, ids: list[int]) -> list[Objective]:
    found = list(Objective.objects.filter(scorecard_id=scorecard_id, pk__in=ids))
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        raise field_error(
            "objectives", f"No objective with id {missing[0]} in this initiative's scorecard."
        )
    return found


@router.get("/initiatives", response=InitiativePage)
def initiative_list(request: HttpRequest, filters: Query[InitiativeFilter]) -> dict[str, Any]:
    items = scoped_initiatives(request)
    if filters.scorecard is not None:
        items = items.filter(scorecard_id=filters.scorecard)
    if filters.objective is not None:
        items = items.filter(objectives__id=filters.objective)
    if filters.status:
        items = items.filter(status=filters.status)
    return paginate(items.order_by("scorecard_id", "id"), filters.limit, filters.offset)


@router.get("/initiatives/{initiative_id}", response=InitiativeOut)
def initiative_get(request: HttpRequest, initiative_id: int) -> Initiative:
    return get_or_404(scoped_initiatives(request), pk=initiative_id)


@router.post("/initiatives", response={201: InitiativeOut})
def initiative_create(request: HttpRequest, payload: InitiativeIn) -> Status[Initiative]:
    """Start an action plan (editors)."""
    scorecard = get_or_404(scoped_scorecards(request), pk=payload.scorecard)
    org_id = scorecard.organization_id
    access_of(request).require(org_id, "editor")
    fields = payload.model_dump(exclude={"scorecard", "objectives", "name"})
    fields["owner"] = member_or_error(org_id, fields["owner"], "owner")
    initiative = services.initiative_create(
        scorecard=scorecard,
        name=payload.name,
        objectives=_objectives(scorecard.pk, payload.objectives),
        **fields,
    )
    return Status(201, get_or_404(scoped_initiatives(request), pk=initiative.pk))


@router.patch("/initiatives/{initiative_id}", response=InitiativeOut)
def initiative_update(
    request: HttpRequest, initiative_id: int, payload: InitiativePatch
) -> Initiative:
    """Change an initiative (editors); ``objectives`` replaces the whole list."""
    initiative = get_or_404(scoped_initiatives(request), pk=initiative_id)
    org_id = initiative.scorecard.organization_id
    access_of(request).require(org_id, "editor")
    fields = payload.model_dump(exclude_unset=True)
    if "owner" in fields:
        fields["owner"] = member_or_error(org_id, fields["owner"], "owner")
    ids = fields.pop("objectives", None)
    objectives = None if ids is None else _objectives(initiative.scorecard_id, ids)
    if fields.get("description", "") is None:
        fields["description"] = ""
    services.initiative_update(initiative=initiative, objectives=objectives, **fields)
    return get_or_404(scoped_initiatives(request), pk=initiative.pk)


@router.delete("/initiatives/{initiative_id}", response={204: None})
def initiative_delete(request: HttpRequest, initiative_id: int) -> Status[None]:
    """Delete an initiative with its tasks (editors)."""
    initiative = get_or_404(scoped_initiatives(request), pk=initiative_id)
    access_of(request).require(initiative.scorecard.organization_id, "editor")
    services.initiative_delete(initiative=initiative)
    return Status(204, None)
