"""Pulses: admins schedule the magic question, members answer it, admins and managers
read the strategy awareness by unit and over time."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard import clock
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Organization, Role, Unit
from scorecard.pulses import selectors, services
from scorecard.pulses.models import MAGIC_QUESTION, Pulse
from scorecard.strategy.models import Objective

from ..access import organization_for


def _pulse(organization: Organization, pk: int) -> Pulse:
    pulse = selectors.pulse_get(organization=organization, pk=pk)
    if pulse is None:
        raise Http404(gettext("No such pulse."))
    return pulse


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            {field: gettext("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}}
        ) from None


@login_required
@require_GET
def pulse_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Pulses waiting for my answer; for admins and editors, every pulse and the trend."""
    organization, membership = organization_for(request, org_slug, Role.VIEWER)
    managers = membership.allows(Role.EDITOR)
    return render(
        request,
        "web/pulses/list.html",
        {
            "organization": organization,
            "membership": membership,
            "waiting": selectors.open_invitations(
                user=request.user, organization=organization, today=clock.today()
            ),
            "trend": selectors.awareness_over_time(organization=organization) if managers else [],
            "pulses": selectors.pulses_of(organization=organization) if managers else [],
            "is_admin": membership.allows(Role.ADMIN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pulse_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Schedule a pulse to everyone or a unit, named or anonymous, optionally feeding a KPI."""
    organization, membership = organization_for(request, org_slug, Role.ADMIN)
    today = clock.today()
    data = request.POST if request.method == "POST" else {}
    errors: list[str] = []
    if request.method == "POST":
        try:
            unit_id, kpi_id = data.get("unit", ""), data.get("kpi", "")
            unit = (
                Unit.objects.filter(organization=organization, pk=unit_id).first()
                if unit_id.isdigit()
                else None
            )
            kpi = (
                Kpi.objects.filter(scorecard__organization=organization, pk=kpi_id).first()
                if kpi_id.isdigit()
                else None
            )
            pulse = services.pulse_schedule(
                organization=organization,
                user=request.user,
                unit=unit,
                opens_on=_date(data.get("opens_on", ""), "opens_on"),
                closes_on=_date(data.get("closes_on", ""), "closes_on"),
                anonymous=data.get("anonymous") == "on",
                question=data.get("question", ""),
                kpi=kpi,
                kpi_figure=data.get("kpi_figure", Pulse.Figure.LINKED),
                url=request.build_absolute_uri(reverse("pulse_list", args=[org_slug])),
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            if pulse.sent_at:
                messages.success(request, gettext("Pulse scheduled. It went out."))
            else:
                messages.success(
                    request, gettext("Pulse scheduled. It goes out on its opening day.")
                )
            return redirect("pulse_results", org_slug, pulse.pk)
    return render(
        request,
        "web/pulses/new.html",
        {
            "organization": organization,
            "membership": membership,
            "units": Unit.objects.filter(organization=organization),
            "kpis": Kpi.objects.filter(scorecard__organization=organization, formula=""),
            "figures": Pulse.Figure.choices,
            "data": data,
            "errors": errors,
            "question": gettext(MAGIC_QUESTION),
            "today": today,
            "closes": today + dt.timedelta(days=14),
        },
        status=422 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pulse_answer(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Answer in under a minute: pick objectives (my own work's first), write a sentence."""
    organization, membership = organization_for(request, org_slug, Role.VIEWER)
    pulse = _pulse(organization, pk)
    invitation = selectors.invitation_for(pulse=pulse, user=request.user)
    if invitation is None:
        raise Http404(gettext("This pulse did not ask you."))
    errors: list[str] = []
    if request.method == "POST":
        ids = [i for i in request.POST.getlist("objectives") if i.isdigit()]
        chosen = list(
            Objective.objects.filter(
                scorecard__organization=organization, pk__in=ids
            ).select_related("scorecard")
        )
        try:
            services.answer_submit(
                pulse=pulse, user=request.user, objectives=chosen,
                sentence=request.POST.get("sentence", ""),
            )  # fmt: skip
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, gettext("Thank you for your answer."))
            return redirect("pulse_list", org_slug)
    work = selectors.work_of(user=request.user, organization=organization)
    return render(
        request,
        "web/pulses/answer.html",
        {
            "organization": organization,
            "membership": membership,
            "pulse": pulse,
            "invitation": invitation,
            "work": work,
            "objectives": selectors.objective_choices(
                organization=organization, suggested=work.objective_ids
            ),
            "errors": errors,
            "is_open": pulse.opens_on <= clock.today() <= pulse.closes_on,
        },
        status=422 if errors else 200,
    )


@login_required
@require_GET
def pulse_results(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Awareness by unit; the answers an admin or the person's managers may read."""
    organization, membership = organization_for(request, org_slug, Role.EDITOR)
    pulse = _pulse(organization, pk)
    return render(
        request,
        "web/pulses/results.html",
        {
            "organization": organization,
            "membership": membership,
            "pulse": pulse,
            "rows": selectors.pulse_awareness(pulse),
            "answers": selectors.answers_visible(pulse=pulse, membership=membership),
            "is_admin": membership.allows(Role.ADMIN),
        },
    )


@login_required
@require_POST
def pulse_record(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Record the pulse's figure as its KPI's value."""
    organization, _ = organization_for(request, org_slug, Role.ADMIN)
    pulse = _pulse(organization, pk)
    try:
        measurement = services.pulse_record_kpi(pulse=pulse, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            gettext("Recorded %(value)s %% in “%(name)s”.")
            % {"value": measurement.value, "name": measurement.kpi.name},
        )
    return redirect("pulse_results", org_slug, pulse.pk)
