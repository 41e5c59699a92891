"""Dashboards people build: the list, one dashboard with its period selector, and each
widget as its own htmx fragment; composing (add, remove, reorder, share) for its owner.

Access: every member reads the dashboards shared with the organization and their own;
editors and admins compose their own; admins change any. Others' private dashboards
answer 404, changes by a reader 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from scorecard.dashboards import selectors, services
from scorecard.dashboards.models import Dashboard, Widget
from scorecard.kpis.evaluation import kpi_spec
from scorecard.maps.selectors import map_positions
from scorecard.organizations.models import Membership, Organization, Role
from scorecard.organizations.selectors import unit_tree
from scorecard.presentation.charts import history_chart, sparkline, status_zones, value_range
from scorecard.presentation.map_parts import map_bands, map_links
from scorecard.presentation.numbers import format_number
from scorecard.presentation.strategy_map import render_map
from scorecard.web.access import is_htmx, organization_for
from scorecard.web.queries import VIEW_LABELS, PeriodQuery, period_query


def _dashboard(
    request: HttpRequest, org_slug: str, pk: int
) -> tuple[Organization, Membership, Dashboard]:
    organization, membership = organization_for(request, org_slug)
    dashboard = selectors.dashboard_get(organization=organization, pk=pk, user=request.user)
    if dashboard is None:
        raise Http404(_("No such dashboard."))
    return organization, membership, dashboard


def _detail_url(org_slug: str, pk: int, query: str = "") -> str:
    return reverse("dashboard_detail", args=[org_slug, pk]) + query


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The dashboards the member sees; editors create one here."""
    organization, membership = organization_for(request, org_slug)
    status, error = 200, ""
    if request.method == "POST":
        try:
            dashboard = services.dashboard_create(
                membership=membership,
                name=request.POST.get("name", ""),
                shared=request.POST.get("shared") == "on",
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            status, error = 422, _errors(exc)
        else:
            messages.success(
                request, _("Created the dashboard “%(name)s”.") % {"name": dashboard.name}
            )
            return redirect("dashboard_detail", org_slug, dashboard.pk)
    return render(
        request,
        "web/dashboards/list.html",
        {
            "organization": organization,
            "membership": membership,
            "dashboards": selectors.dashboards_visible(
                organization=organization, user=request.user
            ),
            "can_create": membership.allows(Role.EDITOR),
            "error": error,
            "name": request.POST.get("name", ""),
        },
        status=status,
    )


@login_required
def dashboard_detail(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """One dashboard: the period selector and a grid of widget slots (each loads itself)."""
    organization, membership, dashboard = _dashboard(request, org_slug, pk)
    query = PeriodQuery.from_request(request)
    may_change = services.may_change(dashboard=dashboard, membership=membership)
    return render(
        request,
        "web/dashboards/detail.html",
        {
            "organization": organization,
            "membership": membership,
            "dashboard": dashboard,
            "widgets": selectors.widgets_of(dashboard),
            "may_change": may_change,
            "is_home": selectors.is_home(dashboard=dashboard, user=request.user),
            "choices": selectors.widget_choices(organization=organization) if may_change else None,
            "units": unit_tree(organization=organization) if may_change else [],
            "kinds": Widget.Kind.choices,
            "as_of": query.as_of,
            "view": query.view,
            "views": VIEW_LABELS,
            "known": query.known,
            "known_at": query.known_at,
            "param_errors": query.errors,
            "period_query": period_query(query.as_of, query.view, query.known),
        },
    )


def _changing(
    request: HttpRequest, org_slug: str, pk: int
) -> tuple[Organization, Membership, Dashboard]:
    organization, membership, dashboard = _dashboard(request, org_slug, pk)
    if not services.may_change(dashboard=dashboard, membership=membership):
        raise PermissionDenied(_("Only the dashboard's owner or an admin can change it."))
    return organization, membership, dashboard


@login_required
@require_POST
def dashboard_settings(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Rename the dashboard, share it with the organization or make it private."""
    _org, membership, dashboard = _changing(request, org_slug, pk)
    try:
        services.dashboard_update(
            dashboard=dashboard,
            membership=membership,
            name=request.POST.get("name", ""),
            shared=request.POST.get("shared") == "on",
            unit_id=request.POST.get("unit"),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if dashboard.shared:
            saved = _("Saved: “%(name)s” is shared with the organization.")
        elif dashboard.unit is not None:
            saved = _("Saved: “%(name)s” is shared with %(unit)s and its sub-units.")
        else:
            saved = _("Saved: “%(name)s” is private.")
        unit = dashboard.unit.name if dashboard.unit is not None else ""
        messages.success(request, saved % {"name": dashboard.name, "unit": unit})
    return redirect("dashboard_detail", org_slug, pk)


@login_required
@require_POST
def dashboard_home(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Use this dashboard as my home page (``use=on``) or stop using it (any reader)."""
    _org, membership, dashboard = _dashboard(request, org_slug, pk)
    use = request.POST.get("use") == "on"
    services.home_set(dashboard=dashboard, membership=membership, use=use)
    if use:
        messages.success(request, _("“%(name)s” is now your home page.") % {"name": dashboard.name})
    else:
        messages.success(request, _("Your home page is the normal start page again."))
    return redirect("dashboard_detail", org_slug, pk)


@login_required
@require_POST
def dashboard_delete(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    _org, membership, dashboard = _changing(request, org_slug, pk)
    services.dashboard_delete(dashboard=dashboard, membership=membership)
    messages.success(request, _("Deleted the dashboard “%(name)s”.") % {"name": dashboard.name})
    return redirect("dashboard_list", org_slug)


@login_required
@require_POST
def widget_add(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Add a widget at the end of the dashboard."""
    _org, membership, dashboard = _changing(request, org_slug, pk)
    try:
        widget = services.widget_add(
            dashboard=dashboard,
            membership=membership,
            kind=request.POST.get("kind", ""),
            kpi_id=request.POST.get("kpi"),
            scorecard_id=request.POST.get("scorecard"),
            perspective_id=request.POST.get("perspective"),
            funnel_id=request.POST.get("funnel"),
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
        )
    except ValidationError as exc:
        messages.error(
            request, _("The widget was not added: %(errors)s") % {"errors": _errors(exc)}
        )
    else:
        messages.success(
            request, _("Added a widget: %(kind)s.") % {"kind": widget.get_kind_display()}
        )
    return redirect("dashboard_detail", org_slug, pk)


def _widget(dashboard: Dashboard, widget_pk: int) -> Widget:
    widget = selectors.widget_get(dashboard=dashboard, pk=widget_pk)
    if widget is None:
        raise Http404(_("No such widget."))
    return widget


@login_required
@require_POST
def widget_remove(request: HttpRequest, org_slug: str, pk: int, widget_pk: int) -> HttpResponse:
    _org, membership, dashboard = _changing(request, org_slug, pk)
    services.widget_remove(widget=_widget(dashboard, widget_pk), membership=membership)
    messages.success(request, _("Removed the widget."))
    return redirect("dashboard_detail", org_slug, pk)


@login_required
@require_POST
def widget_move(request: HttpRequest, org_slug: str, pk: int, widget_pk: int) -> HttpResponse:
    """Move a widget one place up or down (the buttons: the keyboard way of dragging)."""
    _org, membership, dashboard = _changing(request, org_slug, pk)
    try:
        services.widget_move(
            widget=_widget(dashboard, widget_pk),
            membership=membership,
            direction=request.POST.get("direction", ""),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(_detail_url(org_slug, pk) + f"#widget-{widget_pk}")


@login_required
@require_POST
def dashboard_order(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """The new order after dragging: ``order`` = the widget ids, comma-separated."""
    _org, membership, dashboard = _changing(request, org_slug, pk)
    order = [part for part in request.POST.get("order", "").split(",") if part.strip()]
    try:
        services.widgets_reorder(dashboard=dashboard, membership=membership, order=order)
    except ValidationError as exc:
        return HttpResponse(_errors(exc), status=422, content_type="text/plain")
    if is_htmx(request):
        return HttpResponse(status=204)
    return redirect("dashboard_detail", org_slug, pk)


def _map_svg(data: selectors.WidgetData, org_slug: str, query: str) -> str:
    page = data.page
    assert page is not None
    sc_slug = page.scorecard.slug
    bands = map_bands(
        page.perspectives,
        lambda o: reverse("objective_detail", args=[org_slug, sc_slug, o.objective.code]) + query,
    )
    links = map_links(page)
    return render_map(
        bands,
        links,
        title=_("Strategy map of %(name)s") % {"name": page.scorecard.name},
        positions=map_positions(scorecard=page.scorecard),  # the layout the editors arranged
    )


def _widget_context(data: selectors.WidgetData, org_slug: str, query: str) -> dict[str, Any]:
    widget = data.widget
    out: dict[str, Any] = {}
    if data.result is not None and data.kpi is not None:
        result, kpi = data.result, data.kpi
        history = list(result.history)
        out["spark"] = sparkline([v for _, v, _ in history])
        if widget.kind == Widget.Kind.KPI_CHART and history:
            latest = next((t for _, _, t in reversed(history) if t is not None), None)
            low, high = value_range(history)
            out["chart"] = history_chart(
                history,
                title=_("History of %(name)s: values, targets and status zones")
                % {"name": kpi.name},
                formatter=lambda v: format_number(v, kpi.unit),
                zones=status_zones(kpi_spec(kpi), latest, low, high),
                y_range=(low, high),
                size=(520, 260),
            )
        if widget.kind == Widget.Kind.GAUGE:
            # The gauge reads the score: 0 to 100 % of target, red/yellow/green bands.
            out["gauge"] = min(max(result.performance or 0.0, 0.0), 1.2)
    if widget.kind == Widget.Kind.STRATEGY_MAP and data.page is not None:
        out["svg"] = _map_svg(data, org_slug, query)
    if widget.kind == Widget.Kind.SCORECARD_TABLE and data.page is not None:
        out["perspectives"] = [
            p
            for p in data.page.perspectives
            if widget.perspective_id is None or p.perspective.pk == widget.perspective_id
        ]
    return out


@login_required
def widget_fragment(request: HttpRequest, org_slug: str, pk: int, widget_pk: int) -> HttpResponse:
    """One widget's content for the page's period (the dashboard loads each with htmx)."""
    organization, membership, dashboard = _dashboard(request, org_slug, pk)
    widget = _widget(dashboard, widget_pk)
    query = PeriodQuery.from_request(request)
    data = selectors.widget_data(
        widget=widget, as_of=query.as_of, view=query.view, known_at=query.known_at
    )
    keep = period_query(query.as_of, query.view, query.known)
    context = {
        "organization": organization,
        "membership": membership,
        "dashboard": dashboard,
        "widget": widget,
        "data": data,
        "period_query": keep,
        **_widget_context(data, organization.slug, keep),
    }
    template = (
        "web/dashboards/_widget_body.html" if is_htmx(request) else "web/dashboards/widget.html"
    )
    return render(request, template, context)
