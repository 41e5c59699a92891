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
    """The scorecard in the URL, looked up inside the user's organization only, and the
    user's membership, in one query (:func:`member_scorecard_for`). The header's unread
    count read with them is kept for this request (:func:`unread_known`)."""
    found = member_scorecard_for(request, org_slug, sc_slug, role)
    return found.scorecard, found.membership


def member_scorecard_for(
    request: HttpRequest, org_slug: str, sc_slug: str, role: str = Role.VIEWER
) -> strategy_selectors.MemberScorecard:
    """The scorecard, the membership and the header's unread count in one query
    (issue 16). An unknown organization or scorecard and an outsider get 404, a member
    below ``role`` 403 (``accept_membership`` judges and remembers the membership); the
    membership is read afresh on every request."""
    found = strategy_selectors.scorecard_of_member(
        user=request.user, org_slug=org_slug, slug=sc_slug
    )
    if found is None:
        raise Http404("No such item in your organizations.")
    accept_membership(user=request.user, membership=found.membership, role=role)
    # The header asks for the same count later in this request: no second query.
    request.__dict__[_UNREAD] = found.unread
    return found


#: Where the unread count read with the scorecard waits for the header (one request).
_UNREAD = "_scorecard_unread_mentions"


def unread_known(request: HttpRequest) -> int | None:
    """The signed-in person's unread count if this request already read it with its
    scorecard (:func:`member_scorecard_for`), else None."""
    known: int | None = request.__dict__.get(_UNREAD)
    return known


def is_htmx(request: HttpRequest) -> bool:
    """True for a request made by htmx (it wants a partial, not a full page)."""
    return bool(getattr(request, "htmx", False))


def kpi_for(scorecard: Scorecard, code: str) -> Kpi:
    """The KPI in the URL, inside a scorecard already checked by :func:`scorecard_for`."""
    kpi = kpi_selectors.kpi_get(scorecard=scorecard, code=code)
    if kpi is None:
        raise Http404("No such KPI.")
    return kpi
