"""Create pages for objectives and KPIs, and the initiative list (editors change structure)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from scorecard.initiatives.models import Initiative
from scorecard.kpis.services import kpi_create
from scorecard.strategy.models import Objective
from scorecard.strategy.services import objective_create

from .forms import KpiForm, ObjectiveForm
from .views import scorecard_for


def _apply_errors(form: ObjectiveForm | KpiForm, exc: ValidationError) -> None:
    for field, problems in exc.message_dict.items():
        target = field if field in form.fields else None
        for problem in problems:
            form.add_error(target, problem)


@login_required
@require_http_methods(["GET", "POST"])
def objective_new(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Add an objective to the scorecard."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    form = ObjectiveForm(request.POST or None, scorecard=scorecard)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objective = objective_create(
                perspective=data["perspective"],
                name=data["name"],
                description=data["description"],
                owner=data["owner"],
                weight=data["weight"],
                due_date=data["due_date"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Added the objective “{objective.name}”.")
            return redirect("objective_detail", org_slug, sc_slug, objective.code)
    return render(
        request,
        "web/manage/objective_form.html",
        {"scorecard": scorecard, "organization": scorecard.organization, "form": form,
         "membership": membership},
        status=422 if form.errors else 200,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def kpi_new(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Add a KPI to an objective."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    objective = Objective.objects.filter(scorecard=scorecard, code=code).first()
    if objective is None:
        raise Http404("No such objective.")
    form = KpiForm(request.POST or None, scorecard=scorecard)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            kpi = kpi_create(
                objective=objective, code=data.pop("code"), name=data.pop("name"), **data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Added the KPI “{kpi.name}”.")
            return redirect("objective_detail", org_slug, sc_slug, objective.code)
    return render(
        request,
        "web/manage/kpi_form.html",
        {"scorecard": scorecard, "organization": scorecard.organization, "form": form,
         "objective": objective, "membership": membership},
        status=422 if form.errors else 200,
    )  # fmt: skip


@login_required
def initiative_list(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Initiatives of the scorecard as a list and as a board by status."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    initiatives = list(
        Initiative.objects.filter(scorecard=scorecard)
        .select_related("owner")
        .prefetch_related("objectives")
        .annotate(
            task_count=Count("tasks"), done_count=Count("tasks", filter=Q(tasks__state="done"))
        )
        .order_by("deadline", "name")
    )
    for initiative in initiatives:
        # Entered progress wins; otherwise the share of tasks done.
        done, total = initiative.done_count, initiative.task_count
        share = done / total if total else None
        shown = initiative.progress if initiative.progress is not None else share
        setattr(initiative, "shown_progress", shown)  # noqa: B010
    columns = [
        (label, [i for i in initiatives if i.status == status])
        for status, label in Initiative.Status.choices
    ]
    return render(
        request,
        "web/initiatives.html",
        {"scorecard": scorecard, "organization": scorecard.organization, "membership": membership,
         "initiatives": initiatives, "columns": columns,
         "board": request.GET.get("layout") == "board"},
    )  # fmt: skip
