"""Proposals: any member proposes from the page it concerns; editors accept or decline.

The panel (``proposal_panel``) is fetched by the objective, KPI, initiative and
scorecard pages with htmx, so those pages' views stay as they are.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Role
from scorecard.proposals import selectors, services
from scorecard.proposals.models import Proposal
from scorecard.strategy.models import Objective, Perspective, Scorecard

from ..access import organization_for, scorecard_for


def _items(scorecard: Scorecard) -> dict[str, Any]:
    return {
        "perspectives": list(Perspective.objects.filter(scorecard=scorecard)),
        "objectives": list(Objective.objects.filter(scorecard=scorecard)),
        "kpis": list(Kpi.objects.filter(scorecard=scorecard).select_related("objective")),
        "initiatives": list(Initiative.objects.filter(scorecard=scorecard)),
    }


def _pick(model: Any, scorecard: Scorecard, field: str, value: str | None) -> Any:
    """The item of this scorecard named by ``value`` (a code or an id), or None."""
    if not value:
        return None
    rows = model.objects.filter(scorecard=scorecard)
    found = rows.filter(**{field: value}).first() if field == "code" or value.isdigit() else None
    if found is None:
        raise ValidationError({model._meta.model_name: _("Choose one of this scorecard's items.")})
    return found


def _page_of(proposal: Proposal) -> str:
    """The page a proposal concerns (where the proposer comes back to)."""
    args = [proposal.scorecard.organization.slug, proposal.scorecard.slug]
    if proposal.kpi is not None:
        return reverse("kpi_detail", args=[*args, proposal.kpi.code])
    if proposal.initiative is not None:
        return reverse("initiative_detail", args=[*args, proposal.initiative.pk])
    if proposal.objective is not None:
        return reverse("objective_detail", args=[*args, proposal.objective.code])
    return reverse("scorecard_detail", args=args)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Propose a new objective, KPI, initiative or task, or a change; every member may."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, Role.VIEWER)
    data = request.POST if request.method == "POST" else request.GET
    errors: list[str] = []
    if request.method == "POST":
        try:
            proposal = services.proposal_create(
                scorecard=scorecard,
                author=request.user,
                kind=data.get("kind", ""),
                reason=data.get("reason", ""),
                name=data.get("name", ""),
                description=data.get("description", ""),
                value=data.get("value", "").strip() or None,
                perspective=_pick(Perspective, scorecard, "pk", data.get("perspective")),
                objective=_pick(Objective, scorecard, "code", data.get("objective")),
                kpi=_pick(Kpi, scorecard, "code", data.get("kpi")),
                initiative=_pick(Initiative, scorecard, "pk", data.get("initiative")),
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request, _("Thank you: your proposal is with the editors. You will hear back.")
            )
            return redirect(_page_of(proposal))
    return render(
        request,
        "web/proposals/new.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "kinds": Proposal.Kind.choices,
            "data": data,
            "errors": errors,
            **_items(scorecard),
        },
        status=422 if errors else 200,
    )


@login_required
@require_GET
def proposal_list(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The scorecard's proposals; editors decide the open ones here (the queue)."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, Role.VIEWER)
    return render(
        request,
        "web/proposals/list.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "can_decide": membership.allows(Role.EDITOR),
            "proposals": selectors.proposal_list(scorecard=scorecard),
        },
    )


@login_required
@require_GET
def proposal_panel(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The proposals about one item (or the whole scorecard), for that item's page."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, Role.VIEWER)
    about: dict[str, Any] = {}
    query = ""
    if code := request.GET.get("kpi"):
        kpi = Kpi.objects.filter(scorecard=scorecard, code=code).first()
        about = {"kpi_id": kpi.pk if kpi else 0}
        query = f"?kpi={code}&kind=change_target"
    elif code := request.GET.get("objective"):
        objective = Objective.objects.filter(scorecard=scorecard, code=code).first()
        about = {"objective_id": objective.pk if objective else 0}
        query = f"?objective={code}&kind=new_kpi"
    elif (pk := request.GET.get("initiative", "")).isdigit():
        about = {"initiative_id": int(pk)}
        query = f"?initiative={pk}&kind=new_task"
    else:
        query = "?kind=new_objective"
    proposals = selectors.proposal_list(scorecard=scorecard, **about)
    if not about:
        proposals = [p for p in proposals if p.state == Proposal.State.OPEN]
    return render(
        request,
        "web/proposals/_panel.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "proposals": proposals,
            "can_decide": membership.allows(Role.EDITOR),
            "new_url": reverse("proposal_new", args=[org_slug, sc_slug]) + query,
            "whole": not about,
        },
    )


@login_required
@require_POST
def proposal_decide(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Accept (carry it out, the proposer credited) or decline with a reason."""
    scorecard, _membership = scorecard_for(request, org_slug, sc_slug, Role.EDITOR)
    proposal = selectors.proposal_get(organization=scorecard.organization, pk=pk)
    if proposal is None or proposal.scorecard_id != scorecard.pk:
        raise Http404(_("No such proposal."))
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    url = request.build_absolute_uri(reverse("my_proposals", args=[org_slug]))
    try:
        if decision == "accept":
            services.proposal_accept(proposal=proposal, user=request.user, reason=reason, url=url)
            messages.success(
                request,
                _("Accepted: “%(subject)s”. The proposer is told.") % {"subject": proposal.subject},
            )
        elif decision == "decline":
            services.proposal_decline(proposal=proposal, user=request.user, reason=reason, url=url)
            messages.success(
                request,
                _("Declined: “%(subject)s”. The proposer is told.") % {"subject": proposal.subject},
            )
        else:
            messages.error(request, _("Choose to accept or to decline."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("proposal_list", args=[org_slug, sc_slug])
    return redirect(back)


@login_required
@require_GET
def my_proposals(request: HttpRequest, org_slug: str) -> HttpResponse:
    """What I proposed and what became of it; opening the page marks the notices read."""
    organization, membership = organization_for(request, org_slug, Role.VIEWER)
    notices = selectors.notices_for(user=request.user, organization=organization)
    unread = {n.proposal_id for n in notices if n.read_at is None}
    services.notices_mark_read(user=request.user)
    return render(
        request,
        "web/proposals/mine.html",
        {
            "organization": organization,
            "membership": membership,
            "proposals": selectors.proposals_by(user=request.user, organization=organization),
            "unread": unread,
        },
    )
