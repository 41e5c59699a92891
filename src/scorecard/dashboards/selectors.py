"""Reads of dashboards: which a member sees, and the numbers of one widget.

Each widget is read on its own (the page loads each as an htmx fragment) in a constant
number of queries: the widget, its scorecard scored once for the period (the same
scorecard_page the scorecard page uses), and for initiatives one query more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from scorecard.engine.evaluate import KpiResult
from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.kpis.scorecard_selectors import ScorecardPage, scorecard_page
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.planning.models import Funnel
from scorecard.planning.selectors import FunnelAnalysis, funnel_analysis, funnel_get
from scorecard.risks.models import Risk
from scorecard.risks.selectors import HeatMap, heat_map, risks_of
from scorecard.strategy.models import Perspective

from .models import Dashboard, HomeDashboard, Widget


def _readable_by(user: Any, organization: Organization) -> Q:
    """Who reads a dashboard: its owner; every member once it is shared with the
    organization; the members of a unit and of its sub-units once shared with that unit
    (two queries: the member's unit, and the unit tree to walk up from it)."""
    readable = Q(owner=user) | Q(shared=True)
    unit_id = (
        Membership.objects.filter(user=user, organization=organization)
        .values_list("unit_id", flat=True)
        .first()
    )
    if unit_id is None:
        return readable
    parents = dict(Unit.objects.filter(organization=organization).values_list("pk", "parent_id"))
    line: list[int] = []
    while unit_id is not None and unit_id not in line:  # the unit and its ancestors
        line.append(unit_id)
        unit_id = parents.get(unit_id)
    return readable | Q(unit_id__in=line)


def dashboards_visible(*, organization: Organization, user: Any) -> list[Dashboard]:
    """The member's own dashboards and those shared with the organization (one query)."""
    return list(
        Dashboard.objects.filter(organization=organization)
        .filter(_readable_by(user, organization))
        .select_related("owner", "unit")
    )


def dashboard_get(*, organization: Organization, pk: int, user: Any) -> Dashboard | None:
    """The dashboard if the user may read it (owner, or shared), else None."""
    return (
        Dashboard.objects.filter(organization=organization, pk=pk)
        .filter(_readable_by(user, organization))
        .select_related("owner", "organization", "unit")
        .first()
    )


def home_dashboard(*, organization: Organization, user: Any) -> Dashboard | None:
    """The dashboard the member chose as home page here, while they may still read it;
    None means the normal home page (one query for the many who chose none)."""
    chosen = (
        HomeDashboard.objects.filter(organization=organization, user=user)
        .values_list("dashboard_id", flat=True)
        .first()
    )
    if chosen is None:
        return None
    return (
        Dashboard.objects.filter(organization=organization, pk=chosen)
        .filter(_readable_by(user, organization))
        .first()
    )


def is_home(*, dashboard: Dashboard, user: Any) -> bool:
    return HomeDashboard.objects.filter(dashboard=dashboard, user=user).exists()


def widgets_of(dashboard: Dashboard) -> list[Widget]:
    """The widgets in order, with what they show (one query)."""
    return list(
        dashboard.widgets.select_related("scorecard", "kpi", "perspective", "funnel").order_by(
            "position", "id"
        )
    )


def widget_get(*, dashboard: Dashboard, pk: int) -> Widget | None:
    return (
        dashboard.widgets.filter(pk=pk)
        .select_related("scorecard", "kpi", "perspective", "funnel", "scorecard__organization")
        .first()
    )


@dataclass
class WidgetData:
    """What one widget shows, for the period of the page."""

    widget: Widget
    page: ScorecardPage | None = None
    kpi: Kpi | None = None
    result: KpiResult | None = None
    #: Initiatives by status: (status label, [initiatives]).
    initiatives: list[tuple[str, list[Initiative]]] = field(default_factory=list)
    #: Funnel: the stages with their values and rates (planning's analysis).
    funnel: FunnelAnalysis | None = None
    #: Top risks: the worst few, how many at each level, and the heat map.
    risks: list[Risk] = field(default_factory=list)
    risk_levels: list[tuple[str, int]] = field(default_factory=list)
    heat: HeatMap | None = None


#: How many risks the top-risks widget lists; the levels, worst first.
TOP_RISKS = 5
RISK_LEVELS = ("critical", "high", "medium", "low")


def widget_data(
    *, widget: Widget, as_of: dt.date, view: str, known_at: dt.datetime | None = None
) -> WidgetData:
    """The numbers of one widget as of ``as_of`` for ``view`` (and as known at
    ``known_at``); a note needs none."""
    data = WidgetData(widget)
    if widget.scorecard is None or widget.kind == Widget.Kind.NOTE:
        return data
    if widget.kind == Widget.Kind.INITIATIVES:
        groups: dict[str, list[Initiative]] = {}
        for item in Initiative.objects.filter(scorecard=widget.scorecard).order_by("name", "id"):
            groups.setdefault(item.status, []).append(item)
        data.initiatives = [
            (str(label), groups[value])
            for value, label in Initiative.Status.choices
            if value in groups
        ]
        return data
    if widget.kind == Widget.Kind.RISKS:
        risks = sorted(risks_of(scorecard=widget.scorecard), key=lambda r: (-r.score, r.title))
        data.risks = risks[:TOP_RISKS]
        data.risk_levels = [
            (level, sum(1 for r in risks if r.level == level)) for level in RISK_LEVELS
        ]
        data.heat = heat_map(risks)
        return data
    data.page = scorecard_page(
        scorecard=widget.scorecard, as_of=as_of, view=view, known_at=known_at
    )
    if widget.kind == Widget.Kind.FUNNEL:
        funnel = funnel_get(scorecard=widget.scorecard, pk=widget.funnel_id or 0)
        if funnel is not None:
            # The page's scoring (period view, as known then) feeds the stages.
            data.funnel = funnel_analysis(funnel=funnel, as_of=as_of, result=data.page.result)
        return data
    if widget.kpi is not None:
        # The KPI's own row (with its owner) from the rows the page already read.
        data.kpi = next((k for k in data.page.rows.kpis if k.pk == widget.kpi_id), widget.kpi)
        data.result = data.page.result.kpis.get(widget.kpi.code)
    return data


def widget_choices(*, organization: Organization) -> dict[str, Any]:
    """What the "add a widget" form offers: the organization's scorecards, their
    perspectives, KPIs and funnels (four queries)."""
    scorecards = list(organization.scorecards.order_by("name", "id"))
    kpis = list(
        Kpi.objects.filter(scorecard__organization=organization)
        .select_related("scorecard")
        .order_by("scorecard__name", "name", "id")
    )
    perspectives = list(
        Perspective.objects.filter(scorecard__organization=organization)
        .select_related("scorecard")
        .order_by("scorecard__name", "position", "id")
    )
    funnels = list(
        Funnel.objects.filter(scorecard__organization=organization)
        .select_related("scorecard")
        .order_by("scorecard__name", "name", "id")
    )
    return {
        "scorecards": scorecards,
        "kpis": kpis,
        "perspectives": perspectives,
        "funnels": funnels,
    }
