"""Roles are ranked and outsiders see nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from scorecard.organizations.access import can, require_role

ROLES = ["viewer", "contributor", "editor", "admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ROLES)
@pytest.mark.parametrize("needed", ROLES)
def test_roles_include_the_ones_below(world, persona: str, needed: str) -> None:
    user = getattr(world, persona)
    allowed = ROLES.index(persona) >= ROLES.index(needed)
    assert can(user=user, organization=world.organization, role=needed) is allowed
    if allowed:
        assert require_role(user=user, organization=world.organization, role=needed).role == persona
    else:
        with pytest.raises(PermissionDenied):
            require_role(user=user, organization=world.organization, role=needed)


@pytest.mark.django_db
def test_outsider_gets_not_found(world) -> None:
    assert not can(user=world.outsider, organization=world.organization, role="viewer")
    with pytest.raises(Http404):
        require_role(user=world.outsider, organization=world.organization, role="viewer")


@pytest.mark.django_db
def test_anonymous_has_no_role(world) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not can(user=AnonymousUser(), organization=world.organization, role="viewer")
