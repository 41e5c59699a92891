"""Who uses the scorecard: members who opened, updated, commented or proposed in a window.

* **opened**: a KPI or objective page (reviews' usage records, one row a person a day);
* **updated**: any change in the history (audit ``Change`` rows with them as the actor);
* **commented**: a comment on a KPI, objective or initiative;
* **proposed**: a proposal.

A window of N days ends today and includes it (30 days: today and the 29 before).
People count in their home unit; members without one count under "No unit".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q

from scorecard.audit.models import Change
from scorecard.organizations.models import Membership, Organization
from scorecard.proposals.models import Proposal
from scorecard.pulses.selectors import units_below
from scorecard.reviews.models import Comment, KpiView, ObjectiveView
from scorecard.strategy.models import Scorecard

WINDOWS = (30, 90)
#: How many 30-day windows the trend goes back (the latest first is today's).
TREND_POINTS = 6
ACTIVITIES = ("opened", "updated", "commented", "proposed")
NO_UNIT = "No unit"
#: History entries that are not updates of the scorecard (proposing counts as proposing).
NOT_UPDATES = ("proposal", "pulse", "share link")


def activity(*, organization: Organization, start: dt.date, end: dt.date) -> dict[int, set[str]]:
    """user id → what they did in the organization from ``start`` to ``end`` (inclusive)."""
    found: dict[int, set[str]] = defaultdict(set)
    org = organization.pk
    days = (start, end)
    for user_id in KpiView.objects.filter(
        kpi__scorecard__organization_id=org, day__range=days
    ).values_list("user_id", flat=True):
        found[user_id].add("opened")
    for user_id in ObjectiveView.objects.filter(
        objective__scorecard__organization_id=org, day__range=days
    ).values_list("user_id", flat=True):
        found[user_id].add("opened")
    scorecards = Scorecard.objects.filter(organization_id=org).values("pk")
    updates = Change.objects.filter(
        scorecard_id__in=scorecards, actor__isnull=False, at__date__range=days
    ).exclude(kind__in=NOT_UPDATES)
    for user_id in updates.values_list("actor_id", flat=True):
        found[user_id].add("updated")
    in_org = (
        Q(kpi__scorecard__organization_id=org)
        | Q(objective__scorecard__organization_id=org)
        | Q(initiative__scorecard__organization_id=org)
    )
    for user_id in Comment.objects.filter(
        in_org, author__isnull=False, created_at__date__range=days
    ).values_list("author_id", flat=True):
        found[user_id].add("commented")
    for user_id in Proposal.objects.filter(
        scorecard__organization_id=org, author__isnull=False, created_at__date__range=days
    ).values_list("author_id", flat=True):
        found[user_id].add("proposed")
    return found


def window(today: dt.date, days: int) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=days - 1), today


@dataclass
class UnitRow:
    """One unit's members and how many of them were active in each window."""

    unit: str
    members: int = 0
    active: dict[int, int] = field(default_factory=dict)

    def share(self, days: int) -> float | None:
        return self.active.get(days, 0) / self.members if self.members else None

    @property
    def share_30(self) -> float | None:
        return self.share(30)

    @property
    def share_90(self) -> float | None:
        return self.share(90)


@dataclass
class PersonRow:
    membership: Membership
    unit: str
    did: dict[int, list[str]]  # window → activities, in ACTIVITIES order


@dataclass
class AdoptionReport:
    today: dt.date
    units: list[UnitRow]
    total: UnitRow
    people: list[PersonRow]
    trend: list[tuple[dt.date, dt.date, float | None]]  # start, end, share active

    def idle_units(self) -> list[str]:
        """Units with members of whom nobody was active in the last 30 days."""
        return [u.unit for u in self.units if u.members and not u.active.get(30)]


def _members(organization: Organization, unit_ids: set[int] | None) -> list[Membership]:
    rows = Membership.objects.filter(organization=organization).select_related("user", "unit")
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return sorted(
        (m for m in rows if m.user.is_active),
        key=lambda m: (m.unit.name if m.unit else "~", m.user.get_username()),
    )


def share_active(
    *, organization: Organization, start: dt.date, end: dt.date, unit_ids: set[int] | None = None
) -> float | None:
    """The share of (current) members active from ``start`` to ``end``."""
    members = _members(organization, unit_ids)
    if not members:
        return None
    active = activity(organization=organization, start=start, end=end)
    return sum(m.user_id in active for m in members) / len(members)


def idle_units(*, organization: Organization, today: dt.date, unit: Any = None) -> list[str]:
    """Units (the unit and below, or all) with members of whom nobody was active in the
    last 30 days, by name. For the health check: one query (two below a sub-unit)."""
    start, _ = window(today, 30)
    org, days = organization.pk, (start, today)
    user = OuterRef("user_id")
    scorecards = Scorecard.objects.filter(organization_id=org).values("pk")
    in_org = (
        Q(kpi__scorecard__organization_id=org)
        | Q(objective__scorecard__organization_id=org)
        | Q(initiative__scorecard__organization_id=org)
    )
    used = (
        Exists(KpiView.objects.filter(user=user, kpi__scorecard__organization_id=org,
                                      day__range=days))
        | Exists(ObjectiveView.objects.filter(user=user, day__range=days,
                                              objective__scorecard__organization_id=org))
        | Exists(Change.objects.filter(actor=user, scorecard_id__in=scorecards,
                                       at__date__range=days).exclude(kind__in=NOT_UPDATES))
        | Exists(Comment.objects.filter(in_org, author=user, created_at__date__range=days))
        | Exists(Proposal.objects.filter(author=user, scorecard__organization_id=org,
                                         created_at__date__range=days))
    )  # fmt: skip
    rows = Membership.objects.filter(organization=organization, user__is_active=True)
    if unit is not None and unit.parent_id is not None:  # the root unit holds everyone
        rows = rows.filter(unit_id__in=units_below(unit))
    units: dict[str, bool] = {}
    for name, active in rows.annotate(used=used).values_list("unit__name", "used"):
        name = name or NO_UNIT
        units[name] = units.get(name, False) or bool(active)
    return sorted(name for name, active in units.items() if not active)


def adoption(*, organization: Organization, today: dt.date, unit: Any = None) -> AdoptionReport:
    """Who was active in the last 30 and 90 days, by unit, and the 30-day trend."""
    unit_ids = units_below(unit) if unit is not None else None
    members = _members(organization, unit_ids)
    by_window = {
        days: activity(organization=organization, start=window(today, days)[0], end=today)
        for days in WINDOWS
    }
    units: dict[str, UnitRow] = {}
    total = UnitRow("All units")
    people = []
    for m in members:
        name = m.unit.name if m.unit else NO_UNIT
        row = units.setdefault(name, UnitRow(name))
        row.members += 1
        total.members += 1
        did = {
            days: [a for a in ACTIVITIES if a in by_window[days].get(m.user_id, set())]
            for days in WINDOWS
        }
        for days in WINDOWS:
            if did[days]:
                row.active[days] = row.active.get(days, 0) + 1
                total.active[days] = total.active.get(days, 0) + 1
        people.append(PersonRow(m, name, did))
    trend = []
    for back in range(TREND_POINTS - 1, -1, -1):
        end = today - dt.timedelta(days=30 * back)
        start = window(end, 30)[0]
        share = share_active(organization=organization, start=start, end=end, unit_ids=unit_ids)
        trend.append((start, end, share))
    return AdoptionReport(today, sorted(units.values(), key=lambda u: u.unit), total, people, trend)
