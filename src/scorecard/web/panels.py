"""The data of the panels several pages share: the "why" chain, an objective's alignment,
a unit's rolled-up values, comments, values waiting for approval and the home page's
mentions. Views call these and hand the result to the ``{% panel %}`` tag, which only
renders (no queries run inside templates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scorecard.alignment import selectors as alignment_selectors
from scorecard.alignment.selectors import Step
from scorecard.initiatives.models import Initiative
from scorecard.kpis import selectors as kpi_selectors
from scorecard.kpis.models import Kpi, Measurement
from scorecard.organizations.models import Membership, Organization, Role
from scorecard.reviews import notifications
from scorecard.reviews.mentions import members_named, mentioned_usernames
from scorecard.reviews.models import Comment
from scorecard.strategy.models import Objective, Scorecard
from scorecard.web.manage.common import THINGS

#: How many comments an item's page shows.
COMMENTS_SHOWN = 50
#: What each kind of step of the "why" chain is called on the page.
KIND_LABELS = {
    "task": _("Tasks"),
    "initiative": _("Initiative"),
    "kpi": _("KPI"),
    "objective": _("Objective"),
    "perspective": _("Perspective"),
    "scorecard": _("Scorecard"),
    "vision": _("Vision"),
}


def step_url(org_slug: str, step: Step) -> str:
    """Where a step of the chain links to ('' for none)."""
    if step.kind == "kpi":
        return reverse("kpi_detail", args=[org_slug, step.scorecard, step.key])
    if step.kind == "objective":
        return reverse("objective_detail", args=[org_slug, step.scorecard, step.key])
    if step.kind == "initiative":
        return reverse("initiative_detail", args=[org_slug, step.scorecard, step.key])
    if step.kind == "task":
        url = reverse("initiative_detail", args=[org_slug, step.scorecard, step.key])
        return url + "#tasks-heading"
    if step.kind in {"scorecard", "vision"}:
        return reverse("scorecard_detail", args=[org_slug, step.scorecard])
    return ""


def why_panel(
    organization: Organization, *, kpi: Kpi | None = None, initiative: Initiative | None = None
) -> dict[str, Any]:
    """ "Why am I doing this?": every path from this KPI or initiative up to the vision."""
    if kpi is not None:
        paths = alignment_selectors.kpi_chain(kpi=kpi)
        subject = gettext("this KPI")
    else:
        paths = alignment_selectors.initiative_chain(initiative=initiative)
        subject = gettext("this initiative and its tasks")
    return {
        "subject": subject,
        "paths": [
            [
                {
                    "step": s,
                    "label": str(KIND_LABELS[s.kind]),
                    "url": step_url(organization.slug, s),
                }
                for s in path
            ]
            for path in paths
        ],
    }


def alignment_panel(
    organization: Organization, objective: Objective, *, as_of: dt.date, view: str, can_edit: bool
) -> dict[str, Any]:
    """The objective's place in the cascade, scored for the page's own as-of date and view."""
    return {
        "organization": organization,
        "objective": objective,
        "can_edit": can_edit,
        "alignment": alignment_selectors.objective_alignment(
            objective=objective, as_of=as_of, view=view
        ),
        "choices": alignment_selectors.alignment_choices(objective=objective) if can_edit else None,
    }


def unit_rollups_panel(organization: Organization, unit: Any, *, as_of: dt.date) -> dict[str, Any]:
    """KPIs of the unit's scorecards whose values roll up from the units below it."""
    return {
        "organization": organization,
        "rollups": alignment_selectors.unit_rollups(
            organization=organization, unit=unit, as_of=as_of
        ),
    }


def mention_targets(organization: Organization, texts: list[str]) -> dict[str, Any]:
    """Members mentioned in ``texts`` with the address of their page (one query)."""
    names = {name for text in texts for name in mentioned_usernames(text)}
    found = members_named(organization.pk, names)
    return {
        name: (user, reverse("person_detail", args=[organization.slug, name]))
        for name, user in found.items()
    }


def comments_panel(
    scorecard: Scorecard, membership: Membership | None, item: Kpi | Objective | Initiative
) -> dict[str, Any]:
    """An item's latest comments (mentions linked) and, for contributors and up, the form."""
    organization = scorecard.organization
    field = {Kpi: "kpi", Objective: "objective", Initiative: "initiative"}[type(item)]
    comments = list(
        Comment.objects.filter(**{field: item}).select_related("author")[:COMMENTS_SHOWN]
    )
    args = [organization.slug, scorecard.slug]
    if isinstance(item, Kpi):
        action = reverse("kpi_comment", args=[*args, item.code])
    elif isinstance(item, Objective):
        action = reverse("objective_comment", args=[*args, item.code])
    else:
        action = reverse("initiative_comment", args=[*args, item.pk])
    return {
        "comments": comments,
        "members": mention_targets(organization, [c.text for c in comments]),
        "can_comment": membership is not None and membership.allows(Role.CONTRIBUTOR),
        "action": action,
        "field": field,
    }


def pending_panel(
    user: Any, scorecard: Scorecard, membership: Membership | None, kpi: Kpi
) -> dict[str, Any]:
    """Values of ``kpi`` waiting for approval, with approve/reject for its owner."""
    rows: list[Measurement] = kpi_selectors.pending_values(kpi=kpi)
    return {
        "kpi": kpi,
        "rows": rows,
        "can_decide": membership is not None
        and kpi_selectors.user_can_decide(user=user, kpi=kpi, role=membership.role),
        "organization": scorecard.organization,
        "scorecard": scorecard,
        "fiscal": scorecard.organization.fiscal_year_start_month,
    }


def home_governance_panel(user: Any, organization: Organization) -> dict[str, Any]:
    """Unread mentions and values waiting for the user's approval in ``organization``."""
    unread = [
        n
        for n in notifications.notifications_for(user=user, limit=20, unread_only=True)
        if notifications.notification_item(n)[2].organization_id == organization.pk
    ]
    waiting = list(
        Measurement.objects.filter(
            kpi__scorecard__organization=organization,
            kpi__owner=user,
            approval=Measurement.Approval.PENDING,
            superseded_at__isnull=True,
        )
        .select_related("kpi__scorecard", "recorded_by")
        .order_by("recorded_at")[:50]
    )
    items = []
    for n in unread[:5]:
        kind, item, scorecard = notifications.notification_item(n)
        items.append({"n": n, "kind": THINGS.get(kind, kind), "item": item, "scorecard": scorecard})
    return {
        "organization": organization,
        "mentions": items,
        "mention_count": len(unread),
        "waiting": waiting,
    }
