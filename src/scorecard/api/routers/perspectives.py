"""Perspectives: the bands of a scorecard. Editors add, rename, re-weigh and remove them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scorecard.api.lengths import Name
from scorecard.strategy import services
from scorecard.strategy.models import Perspective

from ..access import access_of
from ..common import MAX_POSITION, PageParams, get_or_404, page_schema, paginate
from .scorecards import scoped_scorecards

router = Router(tags=["perspectives"])

Kind = Perspective.Kind


class PerspectiveOut(Schema):
    id: int
    scorecard: int
    name: str
    kind: Kind
    position: int
    weight: float

    @staticmethod
    def resolve_scorecard(obj: Perspective) -> int:
        return obj.scorecard_id


class PerspectiveIn(Schema):
    scorecard: int
    name: Name
    kind: Kind = Kind.OTHER
    weight: float = 1.0


class PerspectivePatch(Schema):
    name: Name | None = None
    kind: Kind | None = None
    weight: float | None = None
    position: int | None = Field(None, ge=0, le=MAX_POSITION)


class PerspectiveFilter(PageParams):
    scorecard: int | None = None


PerspectivePage = page_schema(PerspectiveOut, "PerspectivePage")


def scoped_perspectives(request: HttpRequest) -> QuerySet[Perspective]:
    return Perspective.objects.select_related("scorecard").filter(
        scorecard__organization_id__in=access_of(request).org_ids
    )


@router.get("/perspectives", response=PerspectivePage)
def perspective_list(request: HttpRequest, filters: Query[PerspectiveFilter]) -> dict[str, Any]:
    items = scoped_perspectives(request)
    if filters.scorecard is not None:
        items = items.filter(scorecard_id=filters.scorecard)
    items = items.order_by("scorecard_id", "position", "id")
    return paginate(items, filters.limit, filters.offset)


@router.get("/perspectives/{perspective_id}", response=PerspectiveOut)
def perspective_get(request: HttpRequest, perspective_id: int) -> Perspective:
    return get_or_404(scoped_perspectives(request), pk=perspective_id)


@router.post("/perspectives", response={201: PerspectiveOut})
def perspective_create(request: HttpRequest, payload: PerspectiveIn) -> Status[Perspective]:
    """Add a perspective at the bottom of a scorecard (editors)."""
    scorecard = get_or_404(scoped_scorecards(request), pk=payload.scorecard)
    access_of(request).require(scorecard.organization_id, "editor")
    perspective = services.perspective_create(
        scorecard=scorecard, name=payload.name, kind=payload.kind, weight=payload.weight
    )
    return Status(201, perspective)


@router.patch("/perspectives/{perspective_id}", response=PerspectiveOut)
def perspective_update(
    request: HttpRequest, perspective_id: int, payload: PerspectivePatch
) -> Perspective:
    """Rename, re-kind, re-weigh or re-position a perspective (editors)."""
    perspective = get_or_404(scoped_perspectives(request), pk=perspective_id)
    access_of(request).require(perspective.scorecard.organization_id, "editor")
    return services.perspective_update(
        perspective=perspective, **payload.model_dump(exclude_unset=True)
    )


@router.delete("/perspectives/{perspective_id}", response={204: None})
def perspective_delete(request: HttpRequest, perspective_id: int) -> Status[None]:
    """Delete an empty perspective (editors); one with objectives is refused (422)."""
    perspective = get_or_404(scoped_perspectives(request), pk=perspective_id)
    access_of(request).require(perspective.scorecard.organization_id, "editor")
    services.perspective_delete(perspective=perspective)
    return Status(204, None)
