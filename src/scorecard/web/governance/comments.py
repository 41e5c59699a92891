"""Comments on objectives and initiatives (KPIs have theirs in web/views.py), the list of
notifications of mentions, and a member's page (where a mention links to)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard.audit.models import Notification
from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi
from scorecard.organizations.access import membership_for
from scorecard.organizations.models import Membership, Role
from scorecard.reviews import notifications as selectors
from scorecard.reviews.mentions import notifications_mark_read
from scorecard.reviews.services import comment_add
from scorecard.strategy.models import Objective

from ..manage.common import THINGS, base_context, organization_for, scorecard_for


def _comment(request: HttpRequest, item: Any, url: str) -> HttpResponse:
    try:
        comment_add(
            item=item,
            author=request.user,
            text=request.POST.get("text", ""),
            url=request.build_absolute_uri(url),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{url}#comments")


@login_required
@require_POST
def objective_comment(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Contributors and up comment on an objective; @mentions notify members."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, Role.CONTRIBUTOR)
    objective = Objective.objects.filter(scorecard=scorecard, code=code).first()
    if objective is None:
        raise Http404("No such objective.")
    return _comment(request, objective, reverse("objective_detail", args=[org_slug, sc_slug, code]))


@login_required
@require_POST
def initiative_comment(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Contributors and up comment on an initiative; @mentions notify members."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, Role.CONTRIBUTOR)
    initiative = Initiative.objects.filter(scorecard=scorecard, pk=pk).first()
    if initiative is None:
        raise Http404("No such initiative.")
    return _comment(request, initiative, reverse("initiative_detail", args=[org_slug, sc_slug, pk]))


def notification_url(notification: Notification) -> str:
    """Where a notification leads: the commented item's comments."""
    kind, item, scorecard = selectors.notification_item(notification)
    args = [scorecard.organization.slug, scorecard.slug]
    if kind == "KPI":
        return reverse("kpi_detail", args=[*args, item.code]) + "#comments"
    if kind == "objective":
        return reverse("objective_detail", args=[*args, item.code]) + "#comments"
    return reverse("initiative_detail", args=[*args, item.pk]) + "#comments"


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in user's mentions, newest first; a POST marks them all as read."""
    if request.method == "POST":
        count = notifications_mark_read(user=request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "Marked %(count)s notification as read.",
                    "Marked %(count)s notifications as read.",
                    count,
                )
                % {"count": count},
            )
        return redirect("notifications")
    rows = selectors.notifications_for(user=request.user)
    items = []
    for n in rows:
        kind, item, scorecard = selectors.notification_item(n)
        items.append({"n": n, "kind": THINGS.get(kind, kind), "item": item, "scorecard": scorecard})
    return render(
        request,
        "web/governance/notifications.html",
        {"items": items, "unread": sum(1 for n in rows if n.read_at is None)},
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open what a notification is about, marking it read."""
    found = selectors.notifications_for(user=request.user, limit=1, pk=pk)
    notification = found[0] if found else None
    if notification is None:
        raise Http404("No such notification.")
    notifications_mark_read(user=request.user, ids=[pk])
    return redirect(notification_url(notification))


@login_required
@require_GET
def person_detail(request: HttpRequest, org_slug: str, username: str) -> HttpResponse:
    """A member of the organization: role, and what they own or carry out here."""
    organization, membership = organization_for(request, org_slug, Role.VIEWER)
    person = get_user_model().objects.filter(username=username).first()
    theirs: Membership | None = (
        membership_for(user=person, organization=organization) if person else None
    )
    if person is None or theirs is None:
        raise Http404("No such member.")
    in_org = {"scorecard__organization": organization}
    return render(
        request,
        "web/governance/person.html",
        {
            **base_context(organization, membership),
            "person": person,
            "their_membership": theirs,
            "kpis": list(
                Kpi.objects.filter(**in_org, owner=person)
                .select_related("scorecard")
                .order_by("scorecard__name", "name")
            ),
            "objectives": list(
                Objective.objects.filter(**in_org, owner=person)
                .select_related("scorecard")
                .order_by("scorecard__name", "name")
            ),
            "tasks": list(
                Task.objects.filter(
                    initiative__scorecard__organization=organization, assignee=person
                )
                .exclude(state=Task.State.DONE)
                .select_related("initiative__scorecard")
                .order_by("deadline", "name")
            ),
        },
    )
