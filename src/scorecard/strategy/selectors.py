"""Reads for scorecard pages, always scoped to one organization."""

from __future__ import annotations

from scorecard.organizations.models import Organization

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
