"""One way for every page to find what its URL names and check who may see it.

A page's URL names an organization (and often a scorecard); these helpers resolve them
once, inside the user's own organizations only, and check the member's role. Unknown
items and other tenants' items both answer 404; members below the role answer 403.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from scorecard.kpis import selectors as kpi_selectors
from scorecard.kpis.models import Kpi
from scorecard.organizations.access import accept_membership, organization_with_role
from scorecard.organizations.models import Membership, Organization, Role
from scorecard.strategy import selectors as strategy_selectors
from scorecard.strategy.models import Scorecard


def organization_for(
    request: HttpRequest, org_slug: str, role: str = Role.VIEWER
) -> tuple[Organization, Membership]:
    """The organization in the URL and the user's membership, if it allows ``role``."""
    return organization_with_role(user=request.user, org_slug=org_slug, role=role)


def scorecard_for(
    request: HttpRequest, org_slug: str, sc_slug: str, role: str = Role.VIEWER
) -> tuple[Scorecard, Membership]:
    """The scorecard in the URL, looked up inside the user's organization only."""
    organization, membership = organization_for(request, org_slug, role)
    scorecard = strategy_selectors.scorecard_get(organization=organization, slug=sc_slug)
    if scorecard is None:
        raise Http404("No such scorecard.")
    return scorecard, membership


def member_scorecard_for(
    request: HttpRequest, org_slug: str, sc_slug: str, role: str = Role.VIEWER
) -> strategy_selectors.MemberScorecard:
    """:func:`scorecard_for` in one query, with the header's unread count (the scorecard
    page: issue 16). The same answers: an unknown organization or scorecard and an
    outsider get 404, a member below ``role`` 403; the membership is read afresh."""
    found = strategy_selectors.scorecard_of_member(
        user=request.user, org_slug=org_slug, slug=sc_slug
    )
    if found is None:
        raise Http404("No such item in your organizations.")
    accept_membership(user=request.user, membership=found.membership, role=role)
    return found


def is_htmx(request: HttpRequest) -> bool:
    """True for a request made by htmx (it wants a partial, not a full page)."""
    return bool(getattr(request, "htmx", False))


def kpi_for(scorecard: Scorecard, code: str) -> Kpi:
    """The KPI in the URL, inside a scorecard already checked by :func:`scorecard_for`."""
    kpi = kpi_selectors.kpi_get(scorecard=scorecard, code=code)
    if kpi is None:
        raise Http404("No such KPI.")
    return kpi
