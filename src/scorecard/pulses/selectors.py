"""Reads of pulses: who is asked, what their work serves, the awareness figures, and
which answers a member may read."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from scorecard.engine.quality import OPEN_STATUSES
from scorecard.initiatives.models import Initiative, Task
from scorecard.organizations.models import Membership, Organization, Role, Unit
from scorecard.strategy.models import Objective

from .figures import AnswerFacts, Awareness, awareness
from .models import Answer, Invitation, Pulse

NO_UNIT = "No unit"


def units_below(unit: Unit) -> set[int]:
    """The unit and every unit under it (one query)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Unit.objects.filter(organization_id=unit.organization_id).values_list(
        "pk", "parent_id"
    ):
        children[parent].append(pk)
    found, todo = set(), [unit.pk]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children[current])
    return found


def audience(pulse: Pulse) -> list[Membership]:
    """The members a pulse asks: everyone, or the members of its unit and the units below."""
    rows = Membership.objects.filter(organization_id=pulse.organization_id).select_related(
        "user", "unit"
    )
    if pulse.unit is not None:
        rows = rows.filter(unit_id__in=units_below(pulse.unit))
    return [m for m in rows if m.user.is_active]


@dataclass(frozen=True)
class Work:
    """A member's open tasks and initiatives and the objectives they serve."""

    tasks: list[Task]
    initiatives: list[Initiative]
    objective_ids: set[int]


def work_of(*, user: Any, organization: Organization) -> Work:
    """The user's open tasks (not done, in an open initiative) and the open initiatives
    they own, in the organization, with the objectives those serve."""
    tasks = list(
        Task.objects.filter(
            assignee=user,
            initiative__scorecard__organization=organization,
            initiative__status__in=OPEN_STATUSES,
        )
        .exclude(state=Task.State.DONE)
        .select_related("initiative")
    )
    initiatives = list(
        Initiative.objects.filter(
            owner=user, scorecard__organization=organization, status__in=OPEN_STATUSES
        )
    )
    initiative_ids = {i.pk for i in initiatives} | {t.initiative_id for t in tasks}
    served = Initiative.objectives.through.objects.filter(initiative_id__in=initiative_ids)
    return Work(tasks, initiatives, set(served.values_list("objective_id", flat=True)))


def objective_choices(*, organization: Organization, suggested: set[int]) -> list[Objective]:
    """Every objective of the organization, those the person's work serves first."""
    rows = list(
        Objective.objects.filter(scorecard__organization=organization).select_related("scorecard")
    )
    return sorted(rows, key=lambda o: (o.pk not in suggested, o.scorecard.name, o.position, o.pk))


def pulses_of(*, organization: Organization) -> list[Pulse]:
    return list(Pulse.objects.filter(organization=organization).select_related("unit", "kpi"))


def pulse_get(*, organization: Organization, pk: int) -> Pulse | None:
    return Pulse.objects.filter(organization=organization, pk=pk).select_related("unit").first()


def open_invitations(*, user: Any, organization: Organization, today: dt.date) -> list[Invitation]:
    """The pulses waiting for the user's answer today."""
    return list(
        Invitation.objects.filter(
            user=user,
            pulse__organization=organization,
            answered_at__isnull=True,
            pulse__opens_on__lte=today,
            pulse__closes_on__gte=today,
        ).select_related("pulse")
    )


def invitation_for(*, pulse: Pulse, user: Any) -> Invitation | None:
    return Invitation.objects.filter(pulse=pulse, user=user).first()


def pulse_awareness(pulse: Pulse) -> list[Awareness]:
    """The figures of one pulse by unit (the unit each person had when asked), and in all."""
    asked: dict[str, int] = defaultdict(int)
    for invitation in Invitation.objects.filter(pulse=pulse).select_related("unit"):
        asked[invitation.unit.name if invitation.unit else NO_UNIT] += 1
    answers = Answer.objects.filter(pulse=pulse).select_related("unit")
    linked = set(
        Answer.objects.filter(pulse=pulse, objectives__isnull=False).values_list("pk", flat=True)
    )
    facts = [
        AnswerFacts(a.unit.name if a.unit else NO_UNIT, a.pk in linked, a.agrees) for a in answers
    ]
    return awareness(dict(asked), facts)


def awareness_over_time(*, organization: Organization) -> list[tuple[Pulse, Awareness]]:
    """Each sent pulse's total figures, oldest first (the trend)."""
    pulses = Pulse.objects.filter(organization=organization, sent_at__isnull=False)
    return [(p, pulse_awareness(p)[-1]) for p in pulses.order_by("opens_on", "pk")]


def is_manager_of(membership: Membership, unit_id: int | None) -> bool:
    """Admins manage everyone; an editor manages the people of their unit and below."""
    if membership.allows(Role.ADMIN):
        return True
    unit = membership.unit
    if not membership.allows(Role.EDITOR) or unit is None or unit_id is None:
        return False
    return unit_id in units_below(unit)


def answers_visible(*, pulse: Pulse, membership: Membership) -> QuerySet[Answer]:
    """The answers ``membership`` may read: admins all, editors those of their units."""
    rows = Answer.objects.filter(pulse=pulse).select_related("user", "unit")
    rows = rows.prefetch_related("objectives")
    if membership.allows(Role.ADMIN):
        return rows
    unit = membership.unit
    if not membership.allows(Role.EDITOR) or unit is None:
        return rows.none()
    return rows.filter(unit_id__in=units_below(unit))
