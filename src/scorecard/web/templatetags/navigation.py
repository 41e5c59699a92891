"""``{% scorecard_tabs %}``: the tab bar every scorecard page shows under the header.

Which tab is current follows from the page's URL name; the tab bar itself is one partial
(web/partials/scorecard_tabs.html) that base.html includes on every page that names a
scorecard. The tag only renders what the view put in the context; it never queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise  # translated when shown
    url_name: str
    pages: frozenset[str]
    editors_only: bool = False


def _tab(
    key: str, label: str | Promise, url_name: str, *pages: str, editors_only: bool = False
) -> Tab:
    return Tab(key, label, url_name, frozenset({url_name, *pages}), editors_only)


TABS: tuple[Tab, ...] = (
    _tab(
        "overview",
        _("Overview"),
        "scorecard_detail",
        "objective_detail",
        "objective_new",
        "objective_edit",
        "objective_move",
        "perspective_list",
        "perspective_new",
        "perspective_edit",
        "scorecard_edit",
        "scorecard_delete",
        "cascade_new",
    ),
    _tab("map", _("Strategy map"), "strategy_map", "link_evidence"),
    _tab(
        "kpis",
        _("KPIs & entry"),
        "data_entry",
        "kpi_detail",
        "kpi_new",
        "kpi_edit",
        "kpi_delete",
        "kpi_history",
        "kpi_record",
        editors_only=True,
    ),
    _tab(
        "initiatives",
        _("Initiatives"),
        "initiative_list",
        "initiative_board",
        "initiative_new",
        "initiative_detail",
        "initiative_edit",
    ),
    _tab(
        "planning",
        _("Planning"),
        "planning_home",
        "funnel_new",
        "funnel_detail",
        "funnel_edit",
        "funnel_delete",
        "whatif",
    ),
    _tab(
        "risks",
        _("Risks & analysis"),
        "risk_list",
        "risk_new",
        "risk_edit",
        "risk_delete",
        "analysis_board",
    ),
    _tab("reviews", _("Reviews"), "meeting_list", "meeting_detail"),
    _tab("health", _("Health"), "scorecard_health"),
    _tab("history", _("History"), "scorecard_history"),
    _tab(
        "files",
        _("Reports & files"),
        "scorecard_files",
        "values_import",
        "values_import_preview",
        "values_import_run",
    ),
)


def tabs_for(*, here: str, org_slug: str, sc_slug: str, role: str | None) -> list[dict[str, Any]]:
    """The tabs a member with ``role`` sees, each with its URL and whether it is current.

    Viewers do not see the data entry grid (it would answer 403); they read KPIs on the
    overview and open each KPI from there.
    """
    rows = []
    for tab in TABS:
        if tab.editors_only and role == "viewer":
            continue
        rows.append(
            {
                "key": tab.key,
                "label": str(tab.label),
                "url": reverse(tab.url_name, args=[org_slug, sc_slug]),
                "current": here in tab.pages,
            }
        )
    return rows


@register.simple_tag(takes_context=True)
def scorecard_tabs(context: template.Context) -> SafeString:
    """The tab bar of the scorecard in the context (nothing on other pages)."""
    scorecard = context.get("scorecard")
    organization = context.get("organization")
    request = context.get("request")
    if scorecard is None or organization is None or request is None:
        return SafeString("")
    if not getattr(scorecard, "slug", None) or not getattr(organization, "slug", None):
        return SafeString("")
    match = getattr(request, "resolver_match", None)
    here = match.url_name if match is not None else ""
    membership = context.get("membership")
    role = getattr(membership, "role", None)
    tabs = tabs_for(here=here or "", org_slug=organization.slug, sc_slug=scorecard.slug, role=role)
    partial = context.template.engine.get_template("web/partials/scorecard_tabs.html")  # type: ignore[union-attr]
    return SafeString(partial.render(context.new({"tabs": tabs, "scorecard": scorecard})))
