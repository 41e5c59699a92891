"""Writes of proposals: propose, accept (through the normal services), decline.

Accepting runs the domain service that creates or changes the item *as the proposer*
(``audit.context.acting_as``), so the history credits them with the item; the decision
itself is a history entry of the proposal, credited to the editor who took it.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.accounts.models import AccountSettings
from scorecard.audit.context import acting_as
from scorecard.audit.models import Change
from scorecard.audit.services import person_label, record_change, snapshot
from scorecard.initiatives import services as initiative_services
from scorecard.initiatives.models import Initiative
from scorecard.kpis import services as kpi_services
from scorecard.kpis.models import Kpi, Optimization
from scorecard.organizations.access import can, membership_for
from scorecard.organizations.models import Role
from scorecard.strategy import services as strategy_services
from scorecard.strategy.models import Objective, Perspective, Scorecard

from .models import Proposal, ProposalNotice

Kind = Proposal.Kind
#: What the history keeps of a proposal.
HISTORY_FIELDS = (
    "kind", "name", "description", "value", "reason", "author", "state", "decided_by",
    "decision_reason",
)  # fmt: skip
#: Kinds that name a new thing (and so need a name).
NEW_KINDS = {Kind.NEW_OBJECTIVE, Kind.NEW_KPI, Kind.NEW_INITIATIVE, Kind.NEW_TASK}
MAX_TEXT = 2000


def _number(value: Any, field: str = "value") -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {field: _("“%(value)s” is not a number.") % {"value": value}}
        ) from None
    if not math.isfinite(number):
        raise ValidationError({field: _("The value must be a finite number.")})
    return number


def _same_scorecard(scorecard: Scorecard, *items: Any) -> None:
    for item in items:
        if item is not None and getattr(item, "scorecard_id", scorecard.pk) != scorecard.pk:
            raise ValidationError({"__all__": _("That item belongs to another scorecard.")})


def _check(
    kind: str,
    *,
    name: str,
    value: float | None,
    perspective: Perspective | None,
    objective: Objective | None,
    kpi: Kpi | None,
    initiative: Initiative | None,
) -> None:
    """Refuse a proposal that names too little to be carried out."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown kind of proposal “%(kind)s”.") % {"kind": kind}})
    if kind in NEW_KINDS and not name:
        raise ValidationError({"name": _("Name the new item.")})
    needs = {
        Kind.NEW_OBJECTIVE: (
            "perspective",
            perspective,
            _("Choose the perspective it belongs to."),
        ),
        Kind.NEW_KPI: ("objective", objective, _("Choose the objective the KPI measures.")),
        Kind.NEW_TASK: ("initiative", initiative, _("Choose the initiative the task belongs to.")),
        Kind.CHANGE_TARGET: ("kpi", kpi, _("Choose the KPI whose target should change.")),
        Kind.RETIRE_KPI: ("kpi", kpi, _("Choose the KPI to retire.")),
    }
    if kind in needs:
        field, item, message = needs[Kind(kind)]
        if item is None:
            raise ValidationError({field: message})
    if kind == Kind.CHANGE_WEIGHT and kpi is None and objective is None:
        raise ValidationError({"kpi": _("Choose the KPI or objective whose weight should change.")})
    if kind in (Kind.CHANGE_TARGET, Kind.CHANGE_WEIGHT) and value is None:
        raise ValidationError({"value": _("Give the new value.")})
    if kind == Kind.CHANGE_WEIGHT and value is not None and not value > 0:
        raise ValidationError({"value": _("A weight must be greater than zero.")})


@transaction.atomic
def proposal_create(
    *,
    scorecard: Scorecard,
    author: Any,
    kind: str,
    reason: str,
    name: str = "",
    description: str = "",
    value: Any = None,
    perspective: Perspective | None = None,
    objective: Objective | None = None,
    kpi: Kpi | None = None,
    initiative: Initiative | None = None,
) -> Proposal:
    """Propose a change to ``scorecard``; any member of its organization may."""
    if membership_for(user=author, organization=scorecard.organization_id) is None:
        raise PermissionDenied(_("Only members of the organization can propose."))
    reason, name, description = reason.strip(), name.strip(), description.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: a proposal needs a reason.")})
    if len(reason) > MAX_TEXT or len(description) > MAX_TEXT:
        raise ValidationError(
            {"reason": _("Keep it under %(count)s characters.") % {"count": MAX_TEXT}}
        )
    if len(name) > 200:
        raise ValidationError({"name": _("A name can be at most 200 characters.")})
    number = None if value in (None, "") else _number(value)
    _same_scorecard(scorecard, perspective, objective, kpi, initiative)
    _check(
        kind, name=name, value=number, perspective=perspective, objective=objective, kpi=kpi,
        initiative=initiative,
    )  # fmt: skip
    if kind == Kind.NEW_TASK and initiative is not None:
        objective = None
    if kind not in NEW_KINDS:  # keep the name of what it is about, should it go away
        about = kpi or objective
        name = about.name if about is not None else name
    proposal = Proposal.objects.create(
        scorecard=scorecard,
        kind=kind,
        perspective=perspective,
        objective=objective,
        kpi=kpi,
        initiative=initiative,
        name=name,
        description=description,
        value=number,
        reason=reason,
        author=author,
        author_name=person_label(author),
        created_at=clock.now(),
    )
    record_change(
        obj=proposal, before=None, after=snapshot(proposal, HISTORY_FIELDS), actor=author,
        label=str(proposal),
    )  # fmt: skip
    return proposal


def _kpi_code(scorecard_id: int, name: str) -> str:
    base = (slugify(name).replace("-", "_") or "kpi")[:70]
    taken = set(Kpi.objects.filter(scorecard_id=scorecard_id).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def _objective_code(scorecard_id: int, name: str) -> str:
    base = (slugify(name) or "objective")[:70]
    taken = set(Objective.objects.filter(scorecard_id=scorecard_id).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def _carry_out(proposal: Proposal) -> tuple[str, int | None]:
    """Create or change the item through the domain services; (kind, id) of the result."""
    p = proposal
    gone = ValidationError({"__all__": _("The item this proposal is about no longer exists.")})
    if p.kind == Kind.NEW_OBJECTIVE:
        if p.perspective is None:
            raise gone
        objective = strategy_services.objective_create(
            perspective=p.perspective, name=p.name, description=p.description,
            code=_objective_code(p.scorecard_id, p.name),
        )  # fmt: skip
        return "objective", objective.pk
    if p.kind == Kind.NEW_KPI:
        if p.objective is None:
            raise gone
        # A first scale the editors refine: from zero to the proposed target, or
        # information only (not scored) when no target was proposed.
        fields: dict[str, Any] = {"description": p.description}
        if p.value is not None:
            fields.update(baseline=0.0, target=p.value)
        else:
            fields["optimization"] = Optimization.NONE
        kpi = kpi_services.kpi_create(
            objective=p.objective, code=_kpi_code(p.scorecard_id, p.name), name=p.name, **fields
        )
        return "kpi", kpi.pk
    if p.kind == Kind.NEW_INITIATIVE:
        initiative = initiative_services.initiative_create(
            scorecard=p.scorecard, name=p.name, description=p.description,
            objectives=[p.objective] if p.objective else [],
        )  # fmt: skip
        return "initiative", initiative.pk
    if p.kind == Kind.NEW_TASK:
        if p.initiative is None:
            raise gone
        task = initiative_services.task_create(initiative=p.initiative, name=p.name)
        return "task", task.pk
    if p.kind in (Kind.CHANGE_TARGET, Kind.RETIRE_KPI) or p.kpi_id:
        if p.kpi is None:
            raise gone
        if p.kind == Kind.RETIRE_KPI:
            kpi_id = p.kpi.pk
            kpi_services.kpi_delete(kpi=p.kpi)
            p.kpi = None  # gone: the proposal keeps its name and the history its id
            return "kpi", kpi_id
        field = "target" if p.kind == Kind.CHANGE_TARGET else "weight"
        kpi_services.kpi_update(kpi=p.kpi, **{field: p.value})
        return "kpi", p.kpi.pk
    if p.objective is None:
        raise gone
    strategy_services.objective_update(objective=p.objective, weight=p.value)
    return "objective", p.objective.pk


def _notify(proposal: Proposal, url: str) -> None:
    author = proposal.author
    if author is None:
        return
    ProposalNotice.objects.create(user=author, proposal=proposal, created_at=clock.now())
    if not author.email:
        return
    chosen = AccountSettings.objects.filter(user=author).values_list("language", flat=True)
    # In the proposer's language (their choice in My account, else the site's).
    with translation.override(next(iter(chosen), "") or settings.LANGUAGE_CODE):
        subject, body = _notice_text(proposal, url)
    recipient = [author.email]
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipient, fail_silently=True)
    )


def _notice_text(proposal: Proposal, url: str) -> tuple[str, str]:
    """The subject and body of the e-mail that tells the proposer the decision."""
    accepted = proposal.state == Proposal.State.ACCEPTED
    words = {
        "subject": proposal.subject,
        "decider": person_label(proposal.decided_by) or _("An editor"),
        "kind": proposal.get_kind_display(),
    }
    if accepted:
        subject = _("Your proposal “%(subject)s” was accepted") % words
        body = _("%(decider)s accepted your proposal (%(kind)s).") % words
    else:
        subject = _("Your proposal “%(subject)s” was declined") % words
        body = _("%(decider)s declined your proposal (%(kind)s).") % words
    if proposal.decision_reason:
        body += "\n\n" + _("Their reason: %(reason)s") % {"reason": proposal.decision_reason}
    if url:
        body += "\n\n" + _("See it: %(url)s") % {"url": url}
    return subject, body + "\n"


def _decide(proposal: Proposal, user: Any) -> None:
    """Refuse a decision by a non-editor or on a proposal decided already."""
    if not can(user=user, organization=proposal.scorecard.organization_id, role=Role.EDITOR):
        raise PermissionDenied(_("Only editors decide on proposals."))
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.state != Proposal.State.OPEN:
        if locked.state == Proposal.State.ACCEPTED:
            raise ValidationError({"__all__": _("This proposal was accepted already.")})
        raise ValidationError({"__all__": _("This proposal was declined already.")})


@transaction.atomic
def proposal_accept(*, proposal: Proposal, user: Any, reason: str = "", url: str = "") -> Proposal:
    """Carry the proposal out, credited to its author in the history, and tell them."""
    _decide(proposal, user)
    before = snapshot(proposal, HISTORY_FIELDS)
    with acting_as(proposal.author):
        proposal.result_kind, proposal.result_id = _carry_out(proposal)
    proposal.state = Proposal.State.ACCEPTED
    proposal.decided_by, proposal.decided_at = user, clock.now()
    proposal.decision_reason = reason.strip()[:MAX_TEXT]
    proposal.save()
    record_change(
        obj=proposal, before=before, after=snapshot(proposal, HISTORY_FIELDS),
        action=Change.Action.APPROVED, actor=user, label=str(proposal),
    )  # fmt: skip
    _notify(proposal, url)
    return proposal


@transaction.atomic
def proposal_decline(*, proposal: Proposal, user: Any, reason: str, url: str = "") -> Proposal:
    """Decline with a reason (required: the proposer deserves one), and tell the proposer."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the proposal is declined.")})
    _decide(proposal, user)
    before = snapshot(proposal, HISTORY_FIELDS)
    proposal.state = Proposal.State.DECLINED
    proposal.decided_by, proposal.decided_at = user, clock.now()
    proposal.decision_reason = reason[:MAX_TEXT]
    proposal.save()
    record_change(
        obj=proposal, before=before, after=snapshot(proposal, HISTORY_FIELDS),
        action=Change.Action.REJECTED, actor=user, label=str(proposal),
    )  # fmt: skip
    _notify(proposal, url)
    return proposal


@transaction.atomic
def notices_mark_read(*, user: Any) -> int:
    """Mark all of the user's proposal notices as read."""
    return ProposalNotice.objects.filter(user=user, read_at__isnull=True).update(
        read_at=clock.now()
    )
