"""KPI definitions: editors create, change and delete them.

Every check that needs the engine (scales, formulas, cycles) happens in
kpis.services.kpi_validate; its messages appear next to the field they concern.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from scorecard.kpis.models import Kpi
from scorecard.kpis.services import kpi_create, kpi_delete, kpi_update
from scorecard.strategy.models import Objective, Scorecard

from ..forms import KpiForm
from . import selectors
from .common import (
    EDIT,
    apply_errors,
    base_context,
    confirm_page,
    form_page,
    scorecard_for,
)

TEMPLATE = "web/manage/kpi_form.html"


def _kpi(scorecard: Scorecard, code: str) -> Kpi:
    found = Kpi.objects.select_related("objective").filter(scorecard=scorecard, code=code).first()
    if found is None:
        raise Http404("No such KPI.")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def kpi_new(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Add a KPI measuring the objective ``code``."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    objective = Objective.objects.filter(scorecard=scorecard, code=code).first()
    if objective is None:
        raise Http404("No such objective.")
    form = KpiForm(request.POST or None, scorecard=scorecard)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            kpi = kpi_create(
                objective=objective, code=fields.pop("code"), name=fields.pop("name"), **fields
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Added the KPI “%(name)s”.") % {"name": kpi.name})
            return redirect("objective_detail", org_slug, sc_slug, objective.code)
    context = {
        **base_context(scorecard.organization, membership, scorecard),
        "objective": objective,
    }
    return form_page(
        request, form, context=context,
        title=_("New KPI for “%(name)s”") % {"name": objective.name},
        submit=_("Add KPI"), template=TEMPLATE,
        cancel_url=reverse("objective_detail", args=[org_slug, sc_slug, code]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def kpi_edit(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Change a KPI's definition; nothing is saved unless scale and formula check out."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    kpi = _kpi(scorecard, code)
    title = _("Edit the KPI “%(name)s”") % {"name": kpi.name}
    # The form gets its own copy: a refused save must not leave half-changed fields on ``kpi``.
    form = KpiForm(request.POST or None, scorecard=scorecard, instance=_kpi(scorecard, code))
    if request.method == "POST" and form.is_valid():
        try:
            kpi_update(kpi=kpi, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved the KPI “%(name)s”.") % {"name": kpi.name})
            return redirect("kpi_detail", org_slug, sc_slug, kpi.code)
    context = {**base_context(scorecard.organization, membership, scorecard),
               "objective": kpi.objective}  # fmt: skip
    return form_page(
        request, form, context=context, title=title, template=TEMPLATE,
        cancel_url=reverse("kpi_detail", args=[org_slug, sc_slug, code]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def kpi_delete_view(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Delete a KPI with its targets and values; refused while a formula uses it."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    kpi = _kpi(scorecard, code)
    problem = ""
    if request.method == "POST":
        try:
            kpi_delete(kpi=kpi)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(request, _("Deleted the KPI “%(name)s”.") % {"name": kpi.name})
            return redirect("objective_detail", org_slug, sc_slug, kpi.objective.code)
    else:
        users = selectors.kpi_formula_users(kpi=kpi)
        if users:
            problem = _(
                "“%(name)s” is used in the formula of: %(users)s. Change those formulas first."
            ) % {"name": kpi.name, "users": ", ".join(users)}
    values = kpi.measurements.count()
    counted = [
        (values, ngettext("%(count)s recorded value", "%(count)s recorded values", values)),
        (n := kpi.targets.count(), ngettext("%(count)s target", "%(count)s targets", n)),
        (n := kpi.comments.count(), ngettext("%(count)s comment", "%(count)s comments", n)),
    ]
    losses = [words % {"count": n} for n, words in counted if n]
    return confirm_page(
        request, context=base_context(scorecard.organization, membership, scorecard),
        thing="KPI", name=kpi.name, problem=problem, losses=losses,
        cancel_url=reverse("kpi_detail", args=[org_slug, sc_slug, code]),
    )  # fmt: skip
