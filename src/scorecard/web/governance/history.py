"""History pages of a scorecard, objective, KPI and initiative, and approving values.

Every member reads the history; the owner of a KPI approves or rejects values
waiting for approval.
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
from django.views.decorators.http import require_GET, require_POST

from scorecard.initiatives.models import Initiative
from scorecard.kpis import selectors as kpi_selectors
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.services import measurement_decide
from scorecard.organizations.models import Membership, Role
from scorecard.strategy.models import Objective, Scorecard
from scorecard.web.governance import history_pages as selectors

from ..manage.common import THINGS, base_context, scorecard_for

READ = Role.VIEWER


def _before(request: HttpRequest) -> int | None:
    raw = request.GET.get("before", "")
    return int(raw) if raw.isdigit() else None


def _render(
    request: HttpRequest,
    scorecard: Scorecard,
    membership: Membership,
    *,
    page: selectors.HistoryPage,
    thing: str,
    name: str,
    item_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    query = request.GET.copy()
    older_url = ""
    if page.older is not None:
        query["before"] = str(page.older)
        older_url = f"?{query.urlencode()}"
    return render(
        request,
        "web/governance/history.html",
        {
            **base_context(scorecard.organization, membership, scorecard),
            "page": page,
            "thing": THINGS.get(thing, thing),
            "thing_key": thing,
            "name": name,
            "item_url": item_url,
            "older_url": older_url,
            "is_older": _before(request) is not None,
            **(extra or {}),
        },
    )


@login_required
@require_GET
def scorecard_history(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Everything that changed in a scorecard, newest first; filter structure or values."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, READ)
    show = request.GET.get("show", "all")
    if show not in dict(selectors.SHOW_CHOICES):
        show = "all"
    page = selectors.scorecard_history(scorecard=scorecard, show=show, before_id=_before(request))
    return _render(
        request, scorecard, membership, page=page, thing="scorecard", name=scorecard.name,
        item_url=reverse("scorecard_detail", args=[org_slug, sc_slug]),
        extra={"show": show, "show_choices": selectors.SHOW_CHOICES},
    )  # fmt: skip


@login_required
@require_GET
def objective_history(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """The objective, its cause-effect links and its KPIs' definitions over time."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, READ)
    objective = Objective.objects.filter(scorecard=scorecard, code=code).first()
    if objective is None:
        raise Http404("No such objective.")
    page = selectors.objective_history(objective=objective, before_id=_before(request))
    return _render(
        request, scorecard, membership, page=page, thing="objective", name=objective.name,
        item_url=reverse("objective_detail", args=[org_slug, sc_slug, code]),
    )  # fmt: skip


@login_required
@require_GET
def kpi_history(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """The KPI's definition, targets and values over time; a correction shows both values."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, READ)
    kpi = Kpi.objects.filter(scorecard=scorecard, code=code).first()
    if kpi is None:
        raise Http404("No such KPI.")
    page = selectors.kpi_history(kpi=kpi, before_id=_before(request))
    return _render(
        request, scorecard, membership, page=page, thing="KPI", name=kpi.name,
        item_url=reverse("kpi_detail", args=[org_slug, sc_slug, code]),
    )  # fmt: skip


@login_required
@require_GET
def initiative_history(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """The initiative and its tasks over time."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, READ)
    initiative = Initiative.objects.filter(scorecard=scorecard, pk=pk).first()
    if initiative is None:
        raise Http404("No such initiative.")
    page = selectors.initiative_history(initiative=initiative, before_id=_before(request))
    return _render(
        request, scorecard, membership, page=page, thing="initiative", name=initiative.name,
        item_url=reverse("initiative_detail", args=[org_slug, sc_slug, pk]),
    )  # fmt: skip


@login_required
@require_POST
def value_decide(
    request: HttpRequest, org_slug: str, sc_slug: str, code: str, pk: int
) -> HttpResponse:
    """The KPI's owner approves or rejects a value waiting for approval."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, Role.CONTRIBUTOR)
    kpi = Kpi.objects.filter(scorecard=scorecard, code=code).first()
    measurement = (
        Measurement.objects.filter(kpi=kpi, pk=pk).select_related("kpi").first() if kpi else None
    )
    if kpi is None or measurement is None:
        raise Http404("No such value.")
    if not kpi_selectors.user_can_decide(user=request.user, kpi=kpi, role=membership.role):
        return HttpResponse(_("Only the KPI's owner approves its values."), status=403)
    decision = request.POST.get("decision", "")
    if decision not in {"approve", "reject"}:
        messages.error(request, _("Choose to approve or to reject the value."))
    else:
        try:
            measurement_decide(
                measurement=measurement, approve=decision == "approve", user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            done = (
                _("Approved the value of %(name)s.")
                if decision == "approve"
                else _("Rejected the value of %(name)s.")
            )
            messages.success(request, done % {"name": kpi.name})
    return redirect(reverse("kpi_detail", args=[org_slug, sc_slug, code]) + "#approval")
