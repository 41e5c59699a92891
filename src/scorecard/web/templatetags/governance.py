"""Template pieces of the governance features, for pages other helpers own.

``{% load governance %}`` gives:

- ``{% comments_section item %}`` — an item's comments with linked @mentions and the form
- ``{% pending_values kpi %}`` — values of a KPI waiting for its owner's approval
- ``{% notifications_link %}`` — the header's link to the notifications, with the unread count
- ``{% home_governance organization %}`` — the home page's mentions and approvals
- ``{{ text|mentions:members }}`` — escaped text with members' @mentions linked

Each tag runs a fixed number of queries, whatever the number of comments or values.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from scorecard.initiatives.models import Initiative
from scorecard.kpis import selectors as kpi_selectors
from scorecard.kpis.models import Kpi, Measurement
from scorecard.reviews import notifications as selectors
from scorecard.reviews.mentions import MENTION, members_named, mentioned_usernames
from scorecard.reviews.models import Comment
from scorecard.strategy.models import Objective

register = template.Library()
#: How many comments an item's page shows.
COMMENTS_SHOWN = 50


@register.filter
def mentions(text: str, members: dict[str, Any] | None) -> SafeString:
    """Escape ``text``, keep its line breaks and link the @mentions of ``members``
    (a mapping user name → (user, url)); other @words stay plain text."""
    members = members or {}
    out: list[str] = []
    last = 0
    for match in MENTION.finditer(text):
        name = match.group(1)
        if name not in members:
            continue
        user, url = members[name]
        out.append(escape(text[last : match.start()]))
        full = user.get_full_name() or name
        out.append(format_html('<a class="mention" href="{}" title="{}">@{}</a>', url, full, name))
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out).replace("\n", "<br>"))


def mention_targets(organization: Any, texts: list[str]) -> dict[str, Any]:
    """Members mentioned in ``texts`` with the address of their page (one query)."""
    names = {name for text in texts for name in mentioned_usernames(text)}
    found = members_named(organization.pk, names)
    return {
        name: (user, reverse("person_detail", args=[organization.slug, name]))
        for name, user in found.items()
    }


@register.inclusion_tag("web/governance/_comments.html", takes_context=True)
def comments_section(
    context: template.Context, item: Kpi | Objective | Initiative
) -> dict[str, Any]:
    """An item's latest comments (mentions linked) and, for contributors and up, the form."""
    scorecard, organization = context["scorecard"], context["organization"]
    membership = context.get("membership")
    field = {Kpi: "kpi", Objective: "objective", Initiative: "initiative"}[type(item)]
    comments = list(
        Comment.objects.filter(**{field: item}).select_related("author")[:COMMENTS_SHOWN]
    )
    args = [organization.slug, scorecard.slug]
    action = {
        "kpi": lambda: reverse("kpi_comment", args=[*args, item.code]),  # type: ignore[union-attr]
        "objective": lambda: reverse("objective_comment", args=[*args, item.code]),  # type: ignore[union-attr]
        "initiative": lambda: reverse("initiative_comment", args=[*args, item.pk]),
    }[field]()
    return {
        "comments": comments,
        "members": mention_targets(organization, [c.text for c in comments]),
        "can_comment": membership is not None and membership.allows("contributor"),
        "action": action,
        "csrf_token": context.get("csrf_token"),
        "field": field,
    }


@register.inclusion_tag("web/governance/_pending_values.html", takes_context=True)
def pending_values(context: template.Context, kpi: Kpi) -> dict[str, Any]:
    """Values of ``kpi`` waiting for approval, with approve/reject for its owner."""
    membership = context.get("membership")
    user = context["request"].user
    rows: list[Measurement] = kpi_selectors.pending_values(kpi=kpi)
    return {
        "kpi": kpi,
        "rows": rows,
        "can_decide": membership is not None
        and kpi_selectors.user_can_decide(user=user, kpi=kpi, role=membership.role),
        "organization": context["organization"],
        "scorecard": context["scorecard"],
        "csrf_token": context.get("csrf_token"),
        "fiscal": context["organization"].fiscal_year_start_month,
    }


@register.filter
def value_period(measurement: Measurement, fiscal: int = 1) -> Any:
    """The KPI period a value is for (for ``period_label``)."""
    return kpi_selectors.kpi_period(measurement.kpi, measurement.period_start, fiscal)


@register.simple_tag(takes_context=True)
def notifications_link(context: template.Context) -> str:
    """The header's "Mentions" link with the number of unread ones (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return ""
    count = selectors.unread_count(user=user)
    url = reverse("notifications")
    if count:
        return format_html(
            '<a class="notif-link" href="{}">Mentions <span class="count unread" '
            'aria-label="{} unread">{}</span></a>',
            url,
            count,
            count,
        )
    return format_html('<a class="notif-link" href="{}">Mentions</a>', url)


@register.inclusion_tag("web/governance/_home.html", takes_context=True)
def home_governance(context: template.Context, organization: Any) -> dict[str, Any]:
    """Unread mentions and values waiting for the user's approval in ``organization``."""
    user = context["request"].user
    unread = [
        n
        for n in selectors.notifications_for(user=user, limit=20, unread_only=True)
        if selectors.notification_item(n)[2].organization_id == organization.pk
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
        kind, item, scorecard = selectors.notification_item(n)
        items.append({"n": n, "kind": kind, "item": item, "scorecard": scorecard})
    return {
        "organization": organization,
        "mentions": items,
        "mention_count": len(unread),
        "waiting": waiting,
    }
