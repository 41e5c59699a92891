"""Helpers every router shares: pagination, scoped lookups, references to members."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, create_model

from scorecard.organizations.models import Membership

from .access import NOT_FOUND
from .errors import field_error

#: Largest page a list endpoint returns; ask with ?limit= and walk with ?offset=.
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
#: Positions are stored as 32-bit integers (PostgreSQL's ``integer``).
MAX_POSITION = 2**31 - 1
#: Larger offsets are no use (no table has that many rows) and overflow the database.
MAX_OFFSET = 10**9

M = TypeVar("M", bound=Model)


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The envelope of a list endpoint: {"count", "limit", "offset", "items": [...]}."""
    return create_model(
        name,
        __base__=Schema,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),  # type: ignore[valid-type]
    )


def paginate(queryset: QuerySet[M], limit: int, offset: int) -> dict[str, Any]:
    """One page of ``queryset`` (ordered by the caller, with id last for a stable order)."""
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "items": list(queryset[offset : offset + limit]),
    }


def get_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """The one object matching ``lookup`` in an already scoped queryset, else 404."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj


def member_or_error(org_id: int, user_id: int | None, field: str) -> Any:
    """The user ``user_id`` if they are a member of ``org_id`` (None stays None); else 422."""
    if user_id is None:
        return None
    membership = (
        Membership.objects.select_related("user")
        .filter(organization_id=org_id, user_id=user_id)
        .first()
    )
    if membership is None:
        raise field_error(
            field,
            _("No member of this organization has the user id %(id)s.") % {"id": user_id},
        )
    return membership.user


class PageParams(Schema):
    """limit/offset paging (limit at most MAX_LIMIT)."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")
