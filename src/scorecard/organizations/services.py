"""Writes about organizations, units and memberships."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scorecard.limits import checked_create, lengths_check
from scorecard.naming import slug_check, slug_for_name, slug_from

from .models import Membership, Organization, Role, Unit


@transaction.atomic
def organization_create(*, name: str, slug: str = "", root_unit_name: str = "") -> Organization:
    """Create an organization with its root unit (the company itself)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("An organization needs a name.")})
    if slug:
        slug_check(slug, field="slug", label="short name")
    slug = slug or slug_for_name(name, scope=Organization.objects.all(), prefix="organization")
    if Organization.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": _("An organization with the short name '%(slug)s' exists.") % {"slug": slug}}
        )
    organization = checked_create(Organization, name=name, slug=slug)
    root_name = root_unit_name.strip() or name
    checked_create(
        Unit, organization=organization, name=root_name, slug=slug_from(root_name) or "company"
    )
    return organization


@transaction.atomic
def unit_create(
    *, organization: Organization, name: str, parent: Unit | None, slug: str = ""
) -> Unit:
    """Add a unit (department, team) under ``parent``."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A unit needs a name.")})
    if parent is not None and parent.organization_id != organization.pk:
        raise ValidationError({"parent": _("The parent unit belongs to another organization.")})
    units = Unit.objects.filter(organization=organization)
    if slug:
        slug_check(slug, field="slug", label="short name")
    slug = slug or slug_for_name(name, scope=units, prefix="unit")
    if units.filter(slug=slug).exists():
        raise ValidationError(
            {"name": _("A unit with the short name '%(slug)s' exists already.") % {"slug": slug}}
        )
    return checked_create(Unit, organization=organization, parent=parent, name=name, slug=slug)


@transaction.atomic
def membership_set(
    *, organization: Organization, user: Any, role: str, unit: Unit | None = None
) -> Membership:
    """Give ``user`` a role in ``organization`` (create or change the membership)."""
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role '%(role)s'. Use one of %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    if unit is not None and unit.organization_id != organization.pk:
        raise ValidationError({"unit": _("The unit belongs to another organization.")})
    membership, _created = Membership.objects.update_or_create(
        organization=organization, user=user, defaults={"role": role, "unit": unit}
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take a user out of an organization; the last admin cannot be removed."""
    _keep_an_admin(membership, new_role=None)
    membership.delete()


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str) -> Membership:
    """Change a member's role; the last admin cannot be demoted."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role '%(role)s'.") % {"role": role}})
    _keep_an_admin(membership, new_role=role)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def _keep_an_admin(membership: Membership, new_role: str | None) -> None:
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    admins = Membership.objects.select_for_update().filter(
        organization_id=membership.organization_id, role=Role.ADMIN
    )
    if admins.count() <= 1:
        raise ValidationError(
            {"role": _("This is the organization's last admin; make someone else admin first.")}
        )


@transaction.atomic
def unit_rename(*, unit: Unit, name: str) -> Unit:
    """Give a unit a new name (its short name in URLs stays)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A unit needs a name.")})
    unit.name = name
    lengths_check(unit)
    unit.save(update_fields=["name"])
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit) -> None:
    """Delete a unit that has no sub-units and no scorecards; anything else is refused."""
    if unit.parent_id is None:
        raise ValidationError({"__all__": _("The top unit is the organization itself; it stays.")})
    if unit.children.exists():
        raise ValidationError(
            {
                "__all__": _("“%(name)s” still has sub-units; remove them first.")
                % {"name": unit.name}
            }
        )
    if unit.scorecards.exists():
        raise ValidationError(
            {
                "__all__": _("“%(name)s” still has scorecards; delete or move them first.")
                % {"name": unit.name}
            }
        )
    unit.delete()


@transaction.atomic
def unit_move(*, unit: Unit, parent: Unit) -> Unit:
    """Hang ``unit`` (with its sub-units) under another ``parent`` of the same organization.

    Refused for the top unit, for a parent in another organization, and for a parent
    inside the unit's own branch (that would cut the branch off the tree).
    """
    if unit.parent_id is None:
        raise ValidationError(
            {"parent": _("The top unit is the organization itself; it stays on top.")}
        )
    if parent.organization_id != unit.organization_id:
        raise ValidationError({"parent": _("The new parent belongs to another organization.")})
    parents = dict(
        Unit.objects.filter(organization_id=unit.organization_id).values_list("pk", "parent_id")
    )
    ancestor: int | None = parent.pk
    while ancestor is not None:
        if ancestor == unit.pk:
            raise ValidationError(
                {
                    "parent": _("“%(name)s” lies inside “%(unit_name)s”; choose a unit outside it.")
                    % {"name": parent.name, "unit_name": unit.name}
                }
            )
        ancestor = parents.get(ancestor)
    unit.parent = parent
    unit.save(update_fields=["parent"])
    return unit
