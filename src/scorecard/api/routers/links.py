"""Cause → effect links between objectives: the strategy map. Editors draw them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from scorecard.strategy import services
from scorecard.strategy.models import ObjectiveLink

from ..access import access_of
from ..common import PageParams, get_or_404, page_schema, paginate
from ..errors import field_error
from ..fields import Id, text
from .objectives import scoped_objectives

router = Router(tags=["links"])


class LinkOut(Schema):
    id: int
    scorecard: Id
    cause: Id
    effect: Id
    note: str

    @staticmethod
    def resolve_scorecard(obj: ObjectiveLink) -> int:
        return obj.cause.scorecard_id

    @staticmethod
    def resolve_cause(obj: ObjectiveLink) -> int:
        return obj.cause_id

    @staticmethod
    def resolve_effect(obj: ObjectiveLink) -> int:
        return obj.effect_id


class LinkIn(Schema):
    cause: Id
    effect: Id
    note: str = text(ObjectiveLink, "note", "")


class LinkFilter(PageParams):
    scorecard: Id | None = None
    objective: Id | None = None


LinkPage = page_schema(LinkOut, "LinkPage")


def scoped_links(request: HttpRequest) -> QuerySet[ObjectiveLink]:
    return ObjectiveLink.objects.select_related("cause__scorecard").filter(
        cause__scorecard__organization_id__in=access_of(request).org_ids
    )


@router.get("/links", response=LinkPage)
def link_list(request: HttpRequest, filters: Query[LinkFilter]) -> dict[str, Any]:
    """Links of your organizations; ``objective`` matches either end."""
    items = scoped_links(request)
    if filters.scorecard is not None:
        items = items.filter(cause__scorecard_id=filters.scorecard)
    if filters.objective is not None:
        items = items.filter(cause_id=filters.objective) | items.filter(effect_id=filters.objective)
    return paginate(items.order_by("id"), filters.limit, filters.offset)


@router.get("/links/{link_id}", response=LinkOut)
def link_get(request: HttpRequest, link_id: int) -> ObjectiveLink:
    return get_or_404(scoped_links(request), pk=link_id)


@router.post("/links", response={201: LinkOut})
def link_create(request: HttpRequest, payload: LinkIn) -> Status[ObjectiveLink]:
    """Draw an arrow from ``cause`` to ``effect`` (editors; same scorecard)."""
    cause = get_or_404(scoped_objectives(request), pk=payload.cause)
    access_of(request).require(cause.scorecard.organization_id, "editor")
    effect = scoped_objectives(request).filter(pk=payload.effect).first()
    if effect is None:
        raise field_error("effect", "No such objective in your organizations.")
    return Status(201, services.link_create(cause=cause, effect=effect, note=payload.note))


@router.delete("/links/{link_id}", response={204: None})
def link_delete(request: HttpRequest, link_id: int) -> Status[None]:
    link = get_or_404(scoped_links(request), pk=link_id)
    access_of(request).require(link.cause.scorecard.organization_id, "editor")
    services.link_delete(link=link)
    return Status(204, None)
