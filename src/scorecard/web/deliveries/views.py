"""Pages of scheduled deliveries (editors and admins): list, create, change, pause,
delete, "send now" and the log of sends (docs/reports.md, "Scheduled delivery")."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecard.deliveries import selectors, services
from scorecard.deliveries.models import Delivery
from scorecard.jobs.services import enqueue_after_commit
from scorecard.organizations.models import Organization, Role
from scorecard.web.access import organization_for

from .forms import DeliveryForm
from .tasks import deliver_run_task


def _delivery(organization: Organization, pk: int) -> Delivery:
    delivery = selectors.delivery_get(organization, pk)
    if delivery is None:
        raise Http404(gettext("No such delivery."))
    return delivery


@login_required
def delivery_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organization's scheduled deliveries."""
    organization, membership = organization_for(request, org_slug, Role.EDITOR)
    return render(
        request,
        "deliveries/list.html",
        {
            "organization": organization,
            "membership": membership,
            "deliveries": list(selectors.deliveries_of(organization)),
        },
    )


def _save(request: HttpRequest, organization: Organization, delivery: Delivery | None) -> Any:
    form = DeliveryForm(request.POST, organization=organization)
    if not form.is_valid():
        return form
    data = form.cleaned_data
    fields = {
        "user": request.user, "name": data["name"], "scorecards": data["scorecards"],
        "recipients": data["recipients"], "frequency": data["frequency"], "day": data["day"],
        "hour": data["hour"], "form": data["form"], "view": data["view"], "book": data["book"],
    }  # fmt: skip
    try:
        if delivery is None:
            return services.delivery_create(organization=organization, **fields)
        return services.delivery_update(delivery=delivery, **fields)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return form


@login_required
@require_http_methods(["GET", "POST"])
def delivery_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Schedule a new delivery."""
    organization, membership = organization_for(request, org_slug, Role.EDITOR)
    form = DeliveryForm(
        organization=organization,
        initial={"frequency": Delivery.Frequency.MONTHLY_WORKING_DAY, "day": 5, "hour": 7},
    )
    if request.method == "POST":
        saved = _save(request, organization, None)
        if isinstance(saved, Delivery):
            messages.success(
                request,
                gettext("Scheduled “%(name)s”: %(schedule)s.")
                % {"name": saved.name, "schedule": saved.schedule_text},
            )
            return redirect("delivery_detail", org_slug, saved.pk)
        form = saved
    return render(
        request,
        "deliveries/form.html",
        {"organization": organization, "membership": membership, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delivery_edit(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Change a delivery."""
    organization, membership = organization_for(request, org_slug, Role.EDITOR)
    delivery = _delivery(organization, pk)
    form = DeliveryForm(organization=organization, initial=DeliveryForm.initial_of(delivery))
    if request.method == "POST":
        saved = _save(request, organization, delivery)
        if isinstance(saved, Delivery):
            messages.success(request, gettext("Saved “%(name)s”.") % {"name": saved.name})
            return redirect("delivery_detail", org_slug, saved.pk)
        form = saved
    return render(
        request,
        "deliveries/form.html",
        {"organization": organization, "membership": membership, "form": form,
         "delivery": delivery},
        status=422 if form.errors else 200,
    )  # fmt: skip


@login_required
def delivery_detail(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """A delivery, its schedule and the log of its sends."""
    organization, membership = organization_for(request, org_slug, Role.EDITOR)
    delivery = _delivery(organization, pk)
    return render(
        request,
        "deliveries/detail.html",
        {
            "organization": organization,
            "membership": membership,
            "delivery": delivery,
            "runs": selectors.delivery_log(delivery),
        },
    )


@login_required
@require_POST
def delivery_toggle(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Pause an active delivery or resume a paused one (from its next day on)."""
    organization, _ = organization_for(request, org_slug, Role.EDITOR)
    delivery = _delivery(organization, pk)
    services.delivery_set_active(delivery=delivery, user=request.user, active=not delivery.active)
    messages.success(request, f"{'Resumed' if delivery.active else 'Paused'} “{delivery.name}”.")
    return redirect("delivery_detail", org_slug, pk)


@login_required
@require_POST
def delivery_delete(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Delete a delivery with its log."""
    organization, _ = organization_for(request, org_slug, Role.EDITOR)
    delivery = _delivery(organization, pk)
    services.delivery_delete(delivery=delivery, user=request.user)
    messages.success(request, gettext("Deleted “%(name)s”.") % {"name": delivery.name})
    return redirect("delivery_list", org_slug)


@login_required
@require_POST
def delivery_send_now(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Send today's report to the member asking only, as a test (in the background)."""
    organization, _ = organization_for(request, org_slug, Role.EDITOR)
    delivery = _delivery(organization, pk)
    run = services.run_test_create(delivery=delivery, user=request.user)
    enqueue_after_commit(deliver_run_task, run.pk)
    messages.success(
        request,
        gettext("A test of “%(name)s” is on its way to %(email)s (see the log below).")
        % {"name": delivery.name, "email": getattr(request.user, "email", "") or gettext("you")},
    )
    return redirect("delivery_detail", org_slug, pk)
