"""Writes about organizations, units and memberships."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from .models import Membership, Organization, Role, Unit


@transaction.atomic
def organization_create(*, name: str, slug: str = "", root_unit_name: str = "") -> Organization:
    """Create an organization with its root unit (the company itself)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "An organization needs a name."})
    slug = slug or slugify(name)
    if Organization.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"An organization with the short name '{slug}' exists."})
    organization = Organization.objects.create(name=name, slug=slug)
    Unit.objects.create(
        organization=organization, name=root_unit_name or name, slug=slugify(root_unit_name or name)
    )
    return organization


@transaction.atomic
def unit_create(
    *, organization: Organization, name: str, parent: Unit | None, slug: str = ""
) -> Unit:
    """Add a unit (department, team) under ``parent``."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A unit needs a name."})
    if parent is not None and parent.organization_id != organization.pk:
        raise ValidationError({"parent": "The parent unit belongs to another organization."})
    slug = slug or slugify(name)
    if Unit.objects.filter(organization=organization, slug=slug).exists():
        raise ValidationError({"name": f"A unit with the short name '{slug}' exists already."})
    return Unit.objects.create(organization=organization, parent=parent, name=name, slug=slug)


@transaction.atomic
def membership_set(
    *, organization: Organization, user: Any, role: str, unit: Unit | None = None
) -> Membership:
    """Give ``user`` a role in ``organization`` (create or change the membership)."""
    if role not in Role.values:
        raise ValidationError(
            {"role": f"Unknown role '{role}'. Use one of {', '.join(Role.values)}."}
        )
    if unit is not None and unit.organization_id != organization.pk:
        raise ValidationError({"unit": "The unit belongs to another organization."})
    membership, _ = Membership.objects.update_or_create(
        organization=organization, user=user, defaults={"role": role, "unit": unit}
    )
    return membership
