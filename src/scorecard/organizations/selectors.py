"""Reads about organizations, always scoped to the asking user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Membership, Organization, Unit


def organization_list_for_user(*, user: Any) -> QuerySet[Organization]:
    """Organizations ``user`` belongs to."""
    return Organization.objects.filter(memberships__user=user).order_by("name")


def membership_list_for_user(*, user: Any) -> QuerySet[Membership]:
    """The user's memberships with their organizations, for the switcher."""
    return Membership.objects.filter(user=user).select_related("organization", "unit")


def unit_tree(*, organization: Organization) -> list[tuple[Unit, int]]:
    """All units of ``organization`` in tree order with their depth (one query)."""
    units = list(Unit.objects.filter(organization=organization).order_by("name"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def membership_choose(
    *, memberships: list[Membership], wanted: str | None, remembered: str | None
) -> Membership | None:
    """The membership whose organization the user is looking at.

    ``wanted`` (an organization slug the user just picked) wins over ``remembered``
    (the one kept in the session); else the first of the user's organizations.
    A slug of an organization the user does not belong to is ignored.
    """
    by_slug = {m.organization.slug: m for m in memberships}
    for slug in (wanted, remembered):
        if slug and slug in by_slug:
            return by_slug[slug]
    return memberships[0] if memberships else None
