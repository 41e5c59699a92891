"""Who may see and do what: every view, API call and CLI command asks here.

A user sees an organization only through a Membership; roles are ranked
(viewer < contributor < editor < admin) and each includes the ones below.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy

from .models import Membership, Organization, Role

#: The refusal when a person's role is too low, one whole sentence per role.
ROLE_NEEDED = {
    Role.ADMIN: gettext_lazy("This needs the admin role or higher."),
    Role.EDITOR: gettext_lazy("This needs the editor role or higher."),
    Role.CONTRIBUTOR: gettext_lazy("This needs the contributor role or higher."),
    Role.VIEWER: gettext_lazy("This needs the viewer role or higher."),
}


def membership_for(*, user: Any, organization: Organization | int) -> Membership | None:
    """Return ``user``'s membership of ``organization`` or None (anonymous users have none)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    org_id = organization if isinstance(organization, int) else organization.pk
    cache = _memberships_known(user)
    if org_id not in cache:
        cache[org_id] = (
            Membership.objects.select_related("organization")
            .filter(user=user, organization_id=org_id)
            .first()
        )
    return cache[org_id]


def require_role(*, user: Any, organization: Organization | int, role: str) -> Membership:
    """Return the membership if ``user`` has at least ``role``.

    Outsiders get a 404 (we do not confirm that another organization's item exists);
    members without the role get a 403.
    """
    membership = membership_for(user=user, organization=organization)
    if membership is None:
        raise Http404("No such item in your organizations.")
    if not membership.allows(role):
        raise PermissionDenied(str(ROLE_NEEDED[Role(role)]))
    return membership


def can(*, user: Any, organization: Organization | int, role: str) -> bool:
    """True when ``user`` has at least ``role`` in ``organization``."""
    membership = membership_for(user=user, organization=organization)
    return membership is not None and membership.allows(role)


def organization_with_role(
    *, user: Any, org_slug: str, role: str
) -> tuple[Organization, Membership]:
    """The organization named ``org_slug`` and ``user``'s membership, if it allows ``role``.

    Unknown organizations and outsiders get the same 404 (we never confirm that another
    tenant exists); members below ``role`` get a 403. Pages reach it through
    web/access.py; the API checks the memberships its authentication loaded.
    """
    # One query: the membership with its organization (unknown organizations and
    # outsiders both find none).
    membership = None
    if user is not None and getattr(user, "is_authenticated", False):
        membership = (
            Membership.objects.select_related("organization")
            .filter(user=user, organization__slug=org_slug)
            .first()
        )
    accepted = accept_membership(user=user, membership=membership, role=role)
    return accepted.organization, accepted


def _memberships_known(user: Any) -> dict[int, Membership | None]:
    """The memberships this request has already read, by organization (kept on the user
    object, which lives as long as the request)."""
    known: dict[int, Membership | None] = user.__dict__.setdefault("_membership_cache", {})
    return known


def remember_memberships(*, user: Any, memberships: Iterable[Membership]) -> None:
    """Let later checks of this request (:func:`membership_for`, :func:`can`) reuse
    memberships read some other way (with a token, with the scorecard)."""
    _memberships_known(user).update((m.organization_id, m) for m in memberships)


def accept_membership(*, user: Any, membership: Membership | None, role: str) -> Membership:
    """The one place a membership read for a request is judged: none (an outsider or an
    unknown organization) is a 404, a role below ``role`` a 403; an accepted membership
    is remembered for the rest of the request."""
    if membership is None:
        raise Http404("No such item in your organizations.")
    remember_memberships(user=user, memberships=[membership])
    if not membership.allows(role):
        raise PermissionDenied(str(ROLE_NEEDED[Role(role)]))
    return membership
