"""Reads for scorecard pages, always scoped to one organization."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from scorecard.audit.models import Notification
from scorecard.organizations.models import Membership, Organization

from .models import Scorecard


def scorecard_get(*, organization: Organization, slug: str) -> Scorecard | None:
    """One scorecard of ``organization`` by its short name (its ``organization`` is the
    one given, not read again)."""
    scorecard = (
        Scorecard.objects.select_related("unit", "parent")
        .filter(organization=organization, slug=slug)
        .first()
    )
    if scorecard is not None:
        scorecard.organization = organization
    return scorecard


def scorecard_list(*, organization: Organization) -> list[Scorecard]:
    """The organization's scorecards, parents before their children."""
    cards = list(
        Scorecard.objects.filter(organization=organization).select_related("unit").order_by("name")
    )
    return sorted(cards, key=lambda c: (c.parent_id is not None, c.name))


@dataclass(frozen=True)
class MemberScorecard:
    """A scorecard as one member reaches it: the scorecard (with its organization and
    unit), the member's membership (with the same organization) and how many of the
    member's notifications are unread (the header's "Mentions")."""

    scorecard: Scorecard
    membership: Membership
    unread: int


#: The membership's columns read with the scorecard (``Membership.from_db`` builds it).
_MEMBER_FIELDS = ("id", "user_id", "organization_id", "unit_id", "role")


def scorecard_of_member(*, user: Any, org_slug: str, slug: str) -> MemberScorecard | None:
    """The scorecard ``slug`` of the organization ``org_slug`` if ``user`` is a member of
    it, with the membership and the unread count, in **one query** (the scorecard page
    on a cache hit: issue 16). None for an unknown organization or scorecard and for an
    outsider alike. The membership is read afresh, as ``organization_with_role`` reads
    it: a removed member or a changed role counts on the very next request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    unread = (
        Notification.objects.filter(user=user, read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    # The membership join and the filter on its user are in one filter() call, so the
    # annotations below read that same membership row (never another member's).
    row = (
        Scorecard.objects.select_related("organization", "unit", "parent")
        .filter(
            organization__slug=org_slug,
            slug=slug,
            organization__memberships__user=user,
        )
        .annotate(
            member_id=F("organization__memberships__id"),
            member_unit_id=F("organization__memberships__unit_id"),
            member_role=F("organization__memberships__role"),
            unread_count=Coalesce(Subquery(unread), Value(0), output_field=IntegerField()),
        )
        .first()
    )
    if row is None:
        return None
    organization = row.organization
    values = (row.member_id, user.pk, organization.pk, row.member_unit_id, row.member_role)
    membership = Membership.from_db(row._state.db, _MEMBER_FIELDS, values)
    membership.organization = organization
    membership.user = user
    return MemberScorecard(scorecard=row, membership=membership, unread=row.unread_count)
