"""Who am I: the caller, the token used and the role in each organization."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from ..access import access_of

router = Router(tags=["me"])


class MembershipOut(Schema):
    organization_id: int
    organization: str
    organization_name: str
    role: str


class TokenOut(Schema):
    name: str
    prefix: str
    organization: str
    created_at: dt.datetime


class MeOut(Schema):
    id: int
    username: str
    name: str
    token: TokenOut | None
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, object]:
    """The calling user and the organizations (with roles) this request may use."""
    access = access_of(request)
    token = access.token
    return {
        "id": access.user.pk,
        "username": access.user.get_username(),
        "name": access.user.get_full_name(),
        "token": None
        if token is None
        else {
            "name": token.name,
            "prefix": token.display_prefix,
            "organization": token.organization.slug,
            "created_at": token.created_at,
        },
        "memberships": [
            {
                "organization_id": m.organization_id,
                "organization": m.organization.slug,
                "organization_name": m.organization.name,
                "role": m.role,
            }
            for m in sorted(access.memberships.values(), key=lambda m: m.organization.name)
        ],
    }
