"""Units: the organization's tree (company, departments, teams). Admins change it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scorecard.api.lengths import Name
from scorecard.organizations import services
from scorecard.organizations.models import Unit

from ..access import access_of
from ..common import PageParams, get_or_404, page_schema, paginate

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    organization: str = Field(description="The organization's short name (slug).")
    parent: int | None
    name: str
    slug: str

    @staticmethod
    def resolve_organization(obj: Unit) -> str:
        return obj.organization.slug

    @staticmethod
    def resolve_parent(obj: Unit) -> int | None:
        return obj.parent_id


class UnitIn(Schema):
    parent: int = Field(description="The unit this one sits under (its organization's tree).")
    name: Name
    slug: str = Field("", description="Short name; made from the name when empty.")


class UnitPatch(Schema):
    name: Name


class UnitFilter(PageParams):
    organization: str | None = Field(None, description="Only this organization (slug).")
    parent: int | None = None


UnitPage = page_schema(UnitOut, "UnitPage")


def _units(request: HttpRequest) -> QuerySet[Unit]:
    access = access_of(request)
    return Unit.objects.select_related("organization").filter(organization_id__in=access.org_ids)


@router.get("/units", response=UnitPage)
def unit_list(request: HttpRequest, filters: Query[UnitFilter]) -> dict[str, Any]:
    """Units of your organizations, by name."""
    units = _units(request)
    if filters.organization:
        units = units.filter(organization__slug=filters.organization)
    if filters.parent is not None:
        units = units.filter(parent_id=filters.parent)
    return paginate(units.order_by("organization_id", "name", "id"), filters.limit, filters.offset)


@router.get("/units/{unit_id}", response=UnitOut)
def unit_get(request: HttpRequest, unit_id: int) -> Unit:
    return get_or_404(_units(request), pk=unit_id)


@router.post("/units", response={201: UnitOut})
def unit_create(request: HttpRequest, payload: UnitIn) -> Status[Unit]:
    """Add a unit under ``parent`` (admins)."""
    parent = get_or_404(_units(request), pk=payload.parent)
    access_of(request).require(parent.organization_id, "admin")
    unit = services.unit_create(
        organization=parent.organization, parent=parent, name=payload.name, slug=payload.slug
    )
    return Status(201, unit)


@router.patch("/units/{unit_id}", response=UnitOut)
def unit_update(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Unit:
    """Rename a unit (admins); its short name stays."""
    unit = get_or_404(_units(request), pk=unit_id)
    access_of(request).require(unit.organization_id, "admin")
    return services.unit_rename(unit=unit, name=payload.name)


@router.delete("/units/{unit_id}", response={204: None})
def unit_delete(request: HttpRequest, unit_id: int) -> Status[None]:
    """Delete an empty unit (admins): no sub-units, no scorecards."""
    unit = get_or_404(_units(request), pk=unit_id)
    access_of(request).require(unit.organization_id, "admin")
    services.unit_delete(unit=unit)
    return Status(204, None)
