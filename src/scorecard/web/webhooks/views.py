"""The webhooks page of an organization (admins only): register, pause, delete, retry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecard.organizations.models import Role
from scorecard.web.access import organization_for
from scorecard.webhooks import services
from scorecard.webhooks.models import Delivery, Event, Webhook

RECENT_DELIVERIES = 50


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organization's webhooks and recent deliveries; POST registers a webhook."""
    organization, membership = organization_for(request, org_slug, Role.ADMIN)
    errors: dict[str, list[str]] = {}
    created: Webhook | None = None
    form: dict[str, object] = {"url": "", "description": "", "events": list(Event.values)}
    if request.method == "POST":
        url = request.POST.get("url", "")
        description = request.POST.get("description", "")
        events = request.POST.getlist("events")
        form = {"url": url, "description": description, "events": events}
        try:
            created = services.webhook_create(
                organization=organization,
                url=url,
                events=events,
                description=description,
                user=request.user,
            )
            form = {"url": "", "description": "", "events": list(Event.values)}
        except ValidationError as exc:
            errors = exc.message_dict
    hooks = list(Webhook.objects.filter(organization=organization))
    deliveries = list(
        Delivery.objects.filter(webhook__organization=organization).select_related("webhook")[
            :RECENT_DELIVERIES
        ]
    )
    return render(
        request,
        "webhooks/list.html",
        {
            "organization": organization,
            "membership": membership,
            "hooks": hooks,
            "deliveries": deliveries,
            "events": Event.choices,
            "form": form,
            "errors": errors,
            "created": created,
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def webhook_toggle(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Pause an active webhook or resume a paused one."""
    organization, _ = organization_for(request, org_slug, Role.ADMIN)
    hook = get_object_or_404(Webhook, pk=pk, organization=organization)
    services.webhook_set_active(webhook=hook, active=not hook.active)
    if hook.active:
        messages.success(request, gettext("Resumed the webhook %(url)s.") % {"url": hook.url})
    else:
        messages.success(request, gettext("Paused the webhook %(url)s.") % {"url": hook.url})
    return redirect("webhook_list", org_slug)


@login_required
@require_POST
def webhook_delete(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Delete a webhook with its delivery log."""
    organization, _ = organization_for(request, org_slug, Role.ADMIN)
    hook = get_object_or_404(Webhook, pk=pk, organization=organization)
    services.webhook_delete(webhook=hook)
    messages.success(request, gettext("Deleted the webhook %(url)s.") % {"url": hook.url})
    return redirect("webhook_list", org_slug)


@login_required
@require_POST
def delivery_retry(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Queue a delivery again (e.g. after the receiver was fixed)."""
    organization, _ = organization_for(request, org_slug, Role.ADMIN)
    delivery = get_object_or_404(Delivery, pk=pk, webhook__organization=organization)
    services.delivery_retry(delivery=delivery)
    messages.success(
        request, gettext("Delivery #%(number)s will be tried again.") % {"number": delivery.pk}
    )
    return redirect("webhook_list", org_slug)
