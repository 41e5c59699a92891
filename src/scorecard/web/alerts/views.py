"""My alerts (the feed), my alert preferences, and the watch button on items' pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecard.accounts.models import AlertDelivery
from scorecard.accounts.services import account_settings
from scorecard.alerts import selectors, services
from scorecard.alerts.models import Alert, Kind
from scorecard.alerts.services import Watched
from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.strategy.models import Objective

from ..access import is_htmx, organization_for


@login_required
@require_http_methods(["GET", "POST"])
def alerts(request: HttpRequest) -> HttpResponse:
    """The signed-in user's alerts, newest first; a POST marks them all as read."""
    if request.method == "POST":
        count = services.alerts_mark_read(user=request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "Marked %(count)s alert as read.", "Marked %(count)s alerts as read.", count
                )
                % {"count": count},
            )
        return redirect("alerts")
    rows = selectors.feed_for(user=request.user)
    return render(
        request,
        "web/alerts/feed.html",
        {"rows": rows, "unread": sum(1 for a in rows if a.read_at is None)},
    )


@login_required
@require_POST
def alert_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one alert read and go to what it is about."""
    alert = Alert.objects.filter(user_id=int(request.user.pk or 0), pk=pk).first()
    if alert is None:
        raise Http404("No such alert.")
    services.alerts_mark_read(user=request.user, ids=[alert.pk])
    return redirect(alert.url or "alerts")


@login_required
@require_http_methods(["GET", "POST"])
def alert_settings(request: HttpRequest) -> HttpResponse:
    """How I want each kind of alert: at once, in the daily digest, or off."""
    current = account_settings(request.user)
    if request.method == "POST":
        choices = {k: request.POST[k] for k in Kind.values if k in request.POST}
        try:
            services.alert_preferences_set(user=request.user, **choices)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, gettext("Saved your alert settings."))
            return redirect("alert_settings")
    rows = [
        {
            "kind": kind,
            "label": getattr(
                current._meta.get_field(services.PREFERENCE_FIELD[kind]), "help_text", kind.label
            ),
            "value": services.delivery_of(current, kind),
        }
        for kind in Kind
    ]
    return render(
        request,
        "web/alerts/settings.html",
        {"rows": rows, "choices": AlertDelivery.choices, "has_email": bool(request.user.email)},  # type: ignore[union-attr]
    )


@login_required
@require_POST
def watch(request: HttpRequest, org_slug: str, kind: str, pk: int) -> HttpResponse:
    """Watch (``watch=1``) or stop watching an item of the organization; htmx gets the button."""
    organization, _ = organization_for(request, org_slug)
    if kind == "kpi":
        kpi = Kpi.objects.filter(pk=pk, scorecard__organization=organization).first()
        item = Watched(kpi=kpi)
        found = kpi is not None
    elif kind == "objective":
        objective = Objective.objects.filter(pk=pk, scorecard__organization=organization).first()
        item = Watched(objective=objective)
        found = objective is not None
    elif kind == "initiative":
        initiative = Initiative.objects.filter(pk=pk, scorecard__organization=organization).first()
        item = Watched(initiative=initiative)
        found = initiative is not None
    else:
        raise Http404("No such kind of item.")
    if not found:
        raise Http404("No such item.")
    watching = services.watch_set(
        user=request.user, item=item, watching=request.POST.get("watch") == "1"
    )
    context = {"watch": {"organization": organization, "kind": kind, "pk": pk, "on": watching}}
    if is_htmx(request):
        return render(request, "web/alerts/_watch.html", context)
    messages.success(
        request, gettext("You now watch it.") if watching else gettext("You no longer watch it.")
    )
    return redirect(request.POST.get("next") or "alerts")


def watch_panel(
    request: HttpRequest, organization: object, kind: str, item: object
) -> dict[str, object]:
    """What the watch button of an item's page needs (views put it in ``watch``)."""
    watched = Watched(**{kind: item})  # type: ignore[arg-type]
    return {
        "organization": organization,
        "kind": kind,
        "pk": getattr(item, "pk", None),
        "on": selectors.is_watching(user=request.user, item=watched),
    }
