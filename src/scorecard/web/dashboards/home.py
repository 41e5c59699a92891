"""A dashboard as a member's home page: ``/`` opens the dashboard the member chose for
the organization they look at, while they may still read it (docs/dashboards.md).
``/?start=1`` always shows the normal start page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from scorecard.dashboards.selectors import home_dashboard
from scorecard.organizations.models import Membership
from scorecard.organizations.selectors import membership_choose
from scorecard.web.home import remember_organization


def home_dashboard_redirect(
    request: HttpRequest, *, remembered: str | None, memberships: list[Membership]
) -> HttpResponse | None:
    """A redirect to the member's home dashboard, or None for the normal home page
    (``memberships``: the user's, as the home page reads them)."""
    if request.GET.get("start"):
        return None
    current = membership_choose(
        memberships=memberships,
        wanted=request.GET.get("org"),
        remembered=remembered,
    )
    if current is None:
        return None
    dashboard = home_dashboard(organization=current.organization, user=request.user)
    if dashboard is None:
        return None
    remember_organization(request, current.organization.slug)
    return redirect("dashboard_detail", current.organization.slug, dashboard.pk)
