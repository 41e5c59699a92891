"""The home page's content: the user's organizations, the chosen one's scorecards and the
user's own work there. It gathers several domain selectors, so it lives with the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
from django.http import HttpRequest

from scorecard.initiatives.models import Task
from scorecard.kpis.evaluation import organization_evaluate
from scorecard.kpis.selectors import kpis_due_for_user, red_kpis_for_user
from scorecard.organizations.models import Membership
from scorecard.organizations.selectors import membership_choose, membership_list_for_user
from scorecard.strategy.selectors import scorecard_list


@dataclass
class HomePage:
    """The start page: the user's organizations, the chosen one's scorecards, and the
    user's work there (values to enter, red KPIs of their area, open tasks)."""

    memberships: list[Membership]
    current: Membership | None
    today: dt.date
    scorecards: list[Any] = field(default_factory=list)
    due_kpis: list[Any] = field(default_factory=list)
    red_kpis: list[Any] = field(default_factory=list)
    tasks: list[Any] = field(default_factory=list)
    scores: dict[int, Any] = field(default_factory=dict)


#: The session key remembering the organization a member looked at last.
SESSION_ORG = "organization"


def remember_organization(request: HttpRequest, slug: str) -> None:
    """Remember the organization looked at, so the start page opens on it. Setting a
    session key always writes the session, so it is set only when it changes."""
    if request.session.get(SESSION_ORG) != slug:
        request.session[SESSION_ORG] = slug


def home_memberships(*, user: Any) -> list[Any]:
    """The user's memberships, by organization name (read once per home page)."""
    return list(membership_list_for_user(user=user).order_by("organization__name"))


def home_page(
    *,
    user: Any,
    wanted: str | None,
    remembered: str | None,
    today: dt.date,
    memberships: list[Any],
) -> HomePage:
    """Everything the home page shows for ``user``, scoped to the chosen organization.

    ``memberships`` are :func:`home_memberships`'s, read once by the view (the home
    dashboard's check needs them first). A fixed number of queries: the overall score of
    every scorecard and the red KPIs of the user's area come from the cached
    organization-wide evaluation (one query while the data has not changed).
    """
    current = membership_choose(memberships=memberships, wanted=wanted, remembered=remembered)
    page = HomePage(memberships=memberships, current=current, today=today)
    if current is None:
        return page
    organization = current.organization
    page.scorecards = scorecard_list(organization=organization)
    if page.scorecards:
        # Every scorecard scored together: a fixed number of queries however many.
        scored = organization_evaluate(organization_id=organization.pk, as_of=today)
        page.scores = scored.results
    page.due_kpis = kpis_due_for_user(user=user, organization=organization, today=today)
    page.red_kpis = red_kpis_for_user(
        user=user, organization=organization, unit_id=current.unit_id, today=today
    )
    page.tasks = list(
        Task.objects.filter(assignee_id=user.pk, initiative__scorecard__organization=organization)
        .exclude(state=Task.State.DONE)
        .select_related("initiative__scorecard")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )
    return page
