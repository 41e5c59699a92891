"""Reads about organizations, always scoped to the asking user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet

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


@dataclass
class HomePage:
    """The start page: the user's organizations, the chosen one's scorecards, and the
    user's work there (values to enter, red KPIs of their area, open tasks)."""

    memberships: list[Membership]
    current: Membership | None
    today: dt.date
    scorecards: list[Any] = field(default_factory=list)
    due_kpis: list[Any] = field(default_factory=list)
    red_kpis: list[Any] = field(default_factory=list)
    tasks: list[Any] = field(default_factory=list)


def home_page(*, user: Any, wanted: str | None, remembered: str | None, today: dt.date) -> HomePage:
    """Everything the home page shows for ``user``, scoped to the chosen organization.

    A fixed number of queries, plus one scorecard evaluation per scorecard that holds
    a red-KPI candidate of the user's area (never one per KPI).
    """
    # Imported here: organizations is the bottom layer; the apps above it import it.
    from scorecard.initiatives.models import Task
    from scorecard.kpis.selectors import kpis_due_for_user, red_kpis_for_user
    from scorecard.strategy.selectors import scorecard_list

    memberships = list(membership_list_for_user(user=user).order_by("organization__name"))
    current = membership_choose(memberships=memberships, wanted=wanted, remembered=remembered)
    page = HomePage(memberships=memberships, current=current, today=today)
    if current is None:
        return page
    organization = current.organization
    page.scorecards = scorecard_list(organization=organization)
    page.due_kpis = kpis_due_for_user(user=user, organization=organization, today=today)
    page.red_kpis = red_kpis_for_user(
        user=user, organization=organization, unit_id=current.unit_id, today=today
    )
    page.tasks = list(
        Task.objects.filter(assignee_id=user.pk, initiative__scorecard__organization=organization)
        .exclude(state=Task.State.DONE)
        .select_related("initiative__scorecard")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )
    return page
