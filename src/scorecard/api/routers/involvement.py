"""Involvement (docs/involvement.md): proposals, pulses with their figures, share links
(never their token or password)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.proposals import selectors as proposal_selectors
from scorecard.proposals import services as proposal_services
from scorecard.proposals.models import Proposal
from scorecard.pulses import selectors as pulse_selectors
from scorecard.pulses.models import Pulse
from scorecard.sharing.models import ShareLink
from scorecard.sharing.selectors import link_state
from scorecard.strategy.models import Objective, Perspective, Scorecard

from ..access import access_of
from ..common import PageParams, get_or_404, page_schema, paginate

router = Router(tags=["involvement"])


class ProposalOut(Schema):
    id: int
    scorecard: int
    kind: Proposal.Kind
    perspective: int | None
    objective: int | None
    kpi: int | None
    initiative: int | None
    name: str
    description: str
    value: float | None
    reason: str
    author: int | None
    author_name: str
    created_at: dt.datetime
    state: Proposal.State
    decided_by: int | None
    decided_at: dt.datetime | None
    decision_reason: str
    result_kind: str
    result_id: int | None

    @staticmethod
    def resolve_scorecard(obj: Proposal) -> int:
        return obj.scorecard_id

    @staticmethod
    def resolve_perspective(obj: Proposal) -> int | None:
        return obj.perspective_id

    @staticmethod
    def resolve_objective(obj: Proposal) -> int | None:
        return obj.objective_id

    @staticmethod
    def resolve_kpi(obj: Proposal) -> int | None:
        return obj.kpi_id

    @staticmethod
    def resolve_initiative(obj: Proposal) -> int | None:
        return obj.initiative_id

    @staticmethod
    def resolve_author(obj: Proposal) -> int | None:
        return obj.author_id

    @staticmethod
    def resolve_decided_by(obj: Proposal) -> int | None:
        return obj.decided_by_id


class ProposalIn(Schema):
    scorecard: int
    kind: Proposal.Kind
    reason: str
    name: str = ""
    description: str = ""
    value: float | None = None
    perspective: int | None = None
    objective: int | None = None
    kpi: int | None = None
    initiative: int | None = None


class DecisionIn(Schema):
    decision: Literal["accept", "decline"]
    reason: str = ""


class ProposalFilter(PageParams):
    scorecard: int | None = None
    state: Proposal.State | None = None


ProposalPage = page_schema(ProposalOut, "ProposalPage")


@router.get("/proposals", response=ProposalPage)
def proposal_list(request: HttpRequest, filters: Query[ProposalFilter]) -> dict[str, Any]:
    """Proposals of the caller's organizations (every member sees them)."""
    items = proposal_selectors.proposals_in(organization_ids=access_of(request).org_ids)
    if filters.scorecard is not None:
        items = items.filter(scorecard_id=filters.scorecard)
    if filters.state:
        items = items.filter(state=filters.state)
    return paginate(items.order_by("-created_at", "-id"), filters.limit, filters.offset)


def _proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    items = proposal_selectors.proposals_in(organization_ids=access_of(request).org_ids)
    return get_or_404(items, pk=proposal_id)


@router.get("/proposals/{proposal_id}", response=ProposalOut)
def proposal_get(request: HttpRequest, proposal_id: int) -> Proposal:
    return _proposal(request, proposal_id)


def _item(model: Any, scorecard: Scorecard, pk: int | None) -> Any:
    return None if pk is None else get_or_404(model.objects.filter(scorecard=scorecard), pk=pk)


@router.post("/proposals", response={201: ProposalOut})
def proposal_create(request: HttpRequest, payload: ProposalIn) -> Status[Proposal]:
    """Propose (any member)."""
    access = access_of(request)
    scorecard = get_or_404(
        Scorecard.objects.filter(organization_id__in=access.org_ids), pk=payload.scorecard
    )
    access.require(scorecard.organization_id, "viewer")
    proposal = proposal_services.proposal_create(
        scorecard=scorecard,
        author=access.user,
        kind=payload.kind,
        reason=payload.reason,
        name=payload.name,
        description=payload.description,
        value=payload.value,
        perspective=_item(Perspective, scorecard, payload.perspective),
        objective=_item(Objective, scorecard, payload.objective),
        kpi=_item(Kpi, scorecard, payload.kpi),
        initiative=_item(Initiative, scorecard, payload.initiative),
    )
    return Status(201, proposal)


@router.post("/proposals/{proposal_id}/decision", response=ProposalOut)
def proposal_decide(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> Proposal:
    """Accept or decline (editors); declining needs a reason."""
    proposal = _proposal(request, proposal_id)
    access = access_of(request)
    access.require(proposal.scorecard.organization_id, "editor")
    if payload.decision == "accept":
        return proposal_services.proposal_accept(
            proposal=proposal, user=access.user, reason=payload.reason
        )
    return proposal_services.proposal_decline(
        proposal=proposal, user=access.user, reason=payload.reason
    )


class AwarenessOut(Schema):
    unit: str
    asked: int
    answered: int
    linked: int
    comparable: int
    agreeing: int
    linked_share: float | None
    agreeing_share: float | None


class AnswerOut(Schema):
    id: int
    user: int | None
    unit: str | None
    objectives: list[int]
    sentence: str
    answered_at: dt.datetime
    agrees: bool | None


class PulseOut(Schema):
    id: int
    organization: int
    unit: int | None
    question: str
    opens_on: dt.date
    closes_on: dt.date
    anonymous: bool
    kpi: int | None
    kpi_figure: Pulse.Figure
    sent_at: dt.datetime | None

    @staticmethod
    def resolve_organization(obj: Pulse) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_unit(obj: Pulse) -> int | None:
        return obj.unit_id

    @staticmethod
    def resolve_kpi(obj: Pulse) -> int | None:
        return obj.kpi_id


class PulseResultsOut(Schema):
    pulse: PulseOut
    awareness: list[AwarenessOut]
    answers: list[AnswerOut]


def _pulses(request: HttpRequest) -> Any:
    access = access_of(request)
    managed = [org for org in access.org_ids if access.can(org, "editor")]
    return Pulse.objects.filter(organization_id__in=managed).select_related("unit")


@router.get("/pulses", response=list[PulseOut])
def pulse_list(request: HttpRequest) -> Any:
    """Pulses of the organizations where the caller is an editor or admin."""
    return list(_pulses(request).order_by("-opens_on", "-id")[:500])


@router.get("/pulses/{pulse_id}", response=PulseResultsOut)
def pulse_results(request: HttpRequest, pulse_id: int) -> dict[str, Any]:
    """A pulse's awareness by unit and the answers the caller may read."""
    access = access_of(request)
    pulse = Pulse.objects.filter(organization_id__in=access.org_ids, pk=pulse_id).first()
    if pulse is None:
        pulse = get_or_404(Pulse.objects.none(), pk=pulse_id)
    membership = access.require(pulse.organization_id, "editor")
    rows = pulse_selectors.pulse_awareness(pulse)
    answers = pulse_selectors.answers_visible(pulse=pulse, membership=membership)
    return {
        "pulse": pulse,
        "awareness": [
            {**r.__dict__, "linked_share": r.linked_share, "agreeing_share": r.agreeing_share}
            for r in rows
        ],
        "answers": [
            {
                "id": a.pk,
                "user": a.user_id,
                "unit": a.unit.name if a.unit else None,
                "objectives": sorted(o.pk for o in a.objectives.all()),
                "sentence": a.sentence,
                "answered_at": a.answered_at,
                "agrees": a.agrees,
            }
            for a in answers
        ],
    }


class ShareLinkOut(Schema):
    id: int
    scorecard: int
    what: ShareLink.What
    label: str
    expires_on: dt.date
    frozen_on: dt.date | None
    has_password: bool
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    state: str
    views: int

    @staticmethod
    def resolve_scorecard(obj: ShareLink) -> int:
        return obj.scorecard_id

    @staticmethod
    def resolve_state(obj: ShareLink) -> str:
        return str(link_state(obj))

    @staticmethod
    def resolve_views(obj: ShareLink) -> int:
        return obj.views.count()


@router.get("/share-links", response=list[ShareLinkOut])
def share_link_list(request: HttpRequest) -> Any:
    """Share links of the scorecards the caller edits (without their secrets)."""
    access = access_of(request)
    managed = [org for org in access.org_ids if access.can(org, "editor")]
    if not managed and access.org_ids:
        raise PermissionDenied("This needs the editor role or higher.")
    return list(ShareLink.objects.filter(scorecard__organization_id__in=managed)[:500])
