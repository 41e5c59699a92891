"""Reads of proposals: the editors' queue, the proposals about one item, one's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from scorecard.organizations.models import Membership, Organization, Role
from scorecard.strategy.models import Scorecard

from .models import Proposal, ProposalNotice

#: Roles that shape a scorecard anyway; proposals from them do not count as "from outside".
EDITOR_ROLES = (Role.EDITOR, Role.ADMIN)


def _rows(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return queryset.select_related(
        "scorecard__organization", "author", "decided_by", "objective", "kpi", "initiative",
        "perspective",
    )  # fmt: skip


def proposal_list(
    *,
    scorecard: Scorecard,
    state: str | None = None,
    objective_id: int | None = None,
    kpi_id: int | None = None,
    initiative_id: int | None = None,
) -> list[Proposal]:
    """The scorecard's proposals (open ones first, newest first), optionally about one item."""
    rows = Proposal.objects.filter(scorecard=scorecard)
    if state:
        rows = rows.filter(state=state)
    if objective_id is not None:
        rows = rows.filter(objective_id=objective_id)
    if kpi_id is not None:
        rows = rows.filter(kpi_id=kpi_id)
    if initiative_id is not None:
        rows = rows.filter(initiative_id=initiative_id)
    items = list(_rows(rows))
    items.sort(key=lambda p: p.state != Proposal.State.OPEN)  # stable: newest first within
    return items


def proposal_get(*, organization: Organization, pk: int) -> Proposal | None:
    """One proposal of the organization, or None."""
    return _rows(Proposal.objects.filter(scorecard__organization=organization, pk=pk)).first()


def proposals_in(*, organization_ids: list[int]) -> QuerySet[Proposal]:
    """Every proposal of these organizations (the API's scope)."""
    return _rows(Proposal.objects.filter(scorecard__organization_id__in=organization_ids))


def open_count(*, scorecard: Scorecard) -> int:
    return Proposal.objects.filter(scorecard=scorecard, state=Proposal.State.OPEN).count()


def notices_for(*, user: Any, organization: Organization) -> list[ProposalNotice]:
    """The user's notices about their proposals in the organization, newest first."""
    return list(
        ProposalNotice.objects.filter(
            user=user, proposal__scorecard__organization=organization
        ).select_related("proposal__scorecard", "proposal__decided_by")[:100]
    )


def proposals_by(*, user: Any, organization: Organization) -> list[Proposal]:
    """What the user proposed in the organization, newest first."""
    return list(_rows(Proposal.objects.filter(author=user, scorecard__organization=organization)))


def accepted_from_outside(*, scorecard: Scorecard, since: dt.datetime) -> int:
    """Accepted proposals decided since ``since`` whose author is not (now) an editor or
    admin of the organization: the sign that people beyond the top shaped the scorecard."""
    editors = Membership.objects.filter(
        organization_id=scorecard.organization_id, role__in=EDITOR_ROLES
    ).values("user_id")
    return (
        Proposal.objects.filter(
            scorecard=scorecard, state=Proposal.State.ACCEPTED, decided_at__gte=since
        )
        .exclude(author_id__in=editors)
        .exclude(author__isnull=True)
        .count()
    )
