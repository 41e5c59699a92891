"""Create pages for objectives and KPIs, and the initiative list (editors change structure)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.services import kpi_create, kpi_delete, kpi_update
from scorecard.organizations.models import Membership, Organization, Role, Unit
from scorecard.organizations.services import (
    membership_remove,
    membership_role_change,
    membership_set,
    unit_create,
    unit_delete,
    unit_rename,
)
from scorecard.strategy.models import Objective, ObjectiveLink, Perspective, Scorecard
from scorecard.strategy.services import (
    link_create,
    link_delete,
    objective_create,
    objective_delete,
    objective_move,
    objective_update,
    perspective_create,
    perspective_delete,
    perspective_move,
    perspective_update,
    scorecard_create,
    scorecard_update,
)

from .forms import (
    KpiForm,
    NewScorecardForm,
    ObjectiveForm,
    PerspectiveForm,
    ScorecardForm,
    UnitForm,
    UnitRenameForm,
)
from .views import organization_for, scorecard_for


def _apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
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


# Editing and deleting ---------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    scorecard: Scorecard | None,
    organization: Any,
    membership: Any,
    title: str,
    cancel_url: str,
    submit: str = "Save",
) -> HttpResponse:
    return render(
        request,
        "web/manage/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "submit": submit,
         "scorecard": scorecard, "organization": organization, "membership": membership},
        status=422 if form.errors else 200,
    )  # fmt: skip


def _confirm(
    request: HttpRequest,
    *,
    thing: str,
    name: str,
    losses: list[str],
    cancel_url: str,
    scorecard: Scorecard,
    membership: Any,
    problem: str = "",
) -> HttpResponse:
    return render(
        request,
        "web/manage/confirm_delete.html",
        {"thing": thing, "name": name, "losses": losses, "cancel_url": cancel_url,
         "problem": problem, "scorecard": scorecard, "organization": scorecard.organization,
         "membership": membership},
        status=409 if problem else 200,
    )  # fmt: skip


def _objective(scorecard: Scorecard, code: str) -> Objective:
    objective = Objective.objects.filter(scorecard=scorecard, code=code).first()
    if objective is None:
        raise Http404("No such objective.")
    return objective


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_edit(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Rename a scorecard, write its vision and mission, choose how it rolls up."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    initial = {f: getattr(scorecard, f) for f in ScorecardForm.base_fields}
    form = ScorecardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            scorecard_update(scorecard=scorecard, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Saved the scorecard.")
            return redirect("scorecard_detail", org_slug, sc_slug)
    return _form_page(
        request, form, scorecard=scorecard, organization=scorecard.organization,
        membership=membership, title=f"Edit {scorecard.name}",
        cancel_url=reverse("scorecard_detail", args=[org_slug, sc_slug]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def perspective_new(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Add a perspective at the bottom of the map."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    form = PerspectiveForm(request.POST or None, initial={"kind": "other", "weight": 1})
    if request.method == "POST" and form.is_valid():
        try:
            perspective_create(scorecard=scorecard, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("perspective_list", org_slug, sc_slug)
    return _form_page(
        request, form, scorecard=scorecard, organization=scorecard.organization,
        membership=membership, title="New perspective", submit="Add perspective",
        cancel_url=reverse("perspective_list", args=[org_slug, sc_slug]),
    )  # fmt: skip


@login_required
def perspective_list(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The perspectives in map order, to rename, re-weigh, reorder or delete."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    perspectives = list(
        scorecard.perspectives.annotate(objective_count=Count("objectives")).order_by(
            "position", "id"
        )
    )
    return render(
        request,
        "web/manage/perspectives.html",
        {"scorecard": scorecard, "organization": scorecard.organization,
         "membership": membership, "perspectives": perspectives},
    )  # fmt: skip


def _perspective(scorecard: Scorecard, pk: int) -> Perspective:
    perspective = Perspective.objects.filter(scorecard=scorecard, pk=pk).first()
    if perspective is None:
        raise Http404("No such perspective.")
    return perspective


@login_required
@require_http_methods(["GET", "POST"])
def perspective_edit(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Rename or re-weigh a perspective."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    perspective = _perspective(scorecard, pk)
    initial = {"name": perspective.name, "kind": perspective.kind, "weight": perspective.weight}
    form = PerspectiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            perspective_update(perspective=perspective, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("perspective_list", org_slug, sc_slug)
    return _form_page(
        request, form, scorecard=scorecard, organization=scorecard.organization,
        membership=membership, title=f"Edit {perspective.name}",
        cancel_url=reverse("perspective_list", args=[org_slug, sc_slug]),
    )  # fmt: skip


@login_required
@require_POST
def perspective_move_view(
    request: HttpRequest, org_slug: str, sc_slug: str, pk: int
) -> HttpResponse:
    """Move a perspective up or down the map."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    perspective_move(perspective=_perspective(scorecard, pk), up=request.POST.get("to") == "up")
    return redirect("perspective_list", org_slug, sc_slug)


@login_required
@require_http_methods(["GET", "POST"])
def perspective_delete_view(
    request: HttpRequest, org_slug: str, sc_slug: str, pk: int
) -> HttpResponse:
    """Delete an empty perspective (one with objectives is refused)."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    perspective = _perspective(scorecard, pk)
    count = perspective.objectives.count()
    problem = (
        f"“{perspective.name}” still has {_plural(count, 'objective')}; move or delete them first."
        if count
        else ""
    )
    if request.method == "POST" and not problem:
        perspective_delete(perspective=perspective)
        messages.success(request, f"Deleted the perspective “{perspective.name}”.")
        return redirect("perspective_list", org_slug, sc_slug)
    return _confirm(
        request, thing="perspective", name=perspective.name, losses=[], problem=problem,
        cancel_url=reverse("perspective_list", args=[org_slug, sc_slug]),
        scorecard=scorecard, membership=membership,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Change an objective's name, perspective, owner, weight or due date."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    objective = _objective(scorecard, code)
    initial = {
        "perspective": objective.perspective_id, "name": objective.name,
        "description": objective.description, "owner": objective.owner_id,
        "weight": objective.weight, "due_date": objective.due_date,
    }  # fmt: skip
    form = ObjectiveForm(request.POST or None, scorecard=scorecard, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            objective_update(objective=objective, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Saved the objective.")
            return redirect("objective_detail", org_slug, sc_slug, objective.code)
    return _form_page(
        request, form, scorecard=scorecard, organization=scorecard.organization,
        membership=membership, title=f"Edit {objective.name}",
        cancel_url=reverse("objective_detail", args=[org_slug, sc_slug, code]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def objective_delete_view(
    request: HttpRequest, org_slug: str, sc_slug: str, code: str
) -> HttpResponse:
    """Delete an objective after saying what goes with it."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    objective = _objective(scorecard, code)
    kpis = list(objective.kpis.values_list("name", flat=True))
    values = Measurement.objects.filter(kpi__objective=objective).count()
    if request.method == "POST":
        objective_delete(objective=objective)
        messages.success(request, f"Deleted the objective “{objective.name}”.")
        return redirect("scorecard_detail", org_slug, sc_slug)
    losses = [f"the KPI “{name}”" for name in kpis]
    if values:
        losses.append(f"{_plural(values, 'recorded value')} of those KPIs")
    return _confirm(
        request, thing="objective", name=objective.name, losses=losses,
        cancel_url=reverse("objective_detail", args=[org_slug, sc_slug, code]),
        scorecard=scorecard, membership=membership,
    )  # fmt: skip


def _kpi(scorecard: Scorecard, code: str) -> Kpi:
    kpi = Kpi.objects.select_related("objective").filter(scorecard=scorecard, code=code).first()
    if kpi is None:
        raise Http404("No such KPI.")
    return kpi


@login_required
@require_http_methods(["GET", "POST"])
def kpi_edit(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Change a KPI's definition; scales and formulas are checked before saving."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    kpi = _kpi(scorecard, code)
    form = KpiForm(request.POST or None, scorecard=scorecard, instance=Kpi.objects.get(pk=kpi.pk))
    if request.method == "POST" and form.is_valid():
        try:
            kpi_update(kpi=kpi, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Saved the KPI.")
            return redirect("kpi_detail", org_slug, sc_slug, kpi.code)
    return _form_page(
        request, form, scorecard=scorecard, organization=scorecard.organization,
        membership=membership, title=f"Edit {kpi.name}",
        cancel_url=reverse("kpi_detail", args=[org_slug, sc_slug, code]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def kpi_delete_view(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Delete a KPI and its history; refused while a formula uses it."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    kpi = _kpi(scorecard, code)
    problem = ""
    if request.method == "POST":
        try:
            kpi_delete(kpi=kpi)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(request, f"Deleted the KPI “{kpi.name}”.")
            return redirect("objective_detail", org_slug, sc_slug, kpi.objective.code)
    values = kpi.measurements.count()
    return _confirm(
        request, thing="KPI", name=kpi.name, problem=problem,
        losses=[_plural(values, "recorded value")] if values else [],
        cancel_url=reverse("kpi_detail", args=[org_slug, sc_slug, code]),
        scorecard=scorecard, membership=membership,
    )  # fmt: skip


@login_required
@require_POST
def link_add(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Draw an arrow from this objective to the chosen effect."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    cause = _objective(scorecard, code)
    raw = request.POST.get("effect", "")
    effect = (
        Objective.objects.filter(scorecard=scorecard, pk=int(raw)).first()
        if raw.isdigit()
        else None
    )
    if effect is None:
        messages.error(request, "Choose the objective this one drives.")
    else:
        try:
            link_create(cause=cause, effect=effect)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"“{cause.name}” now drives “{effect.name}”.")
    return redirect("objective_detail", org_slug, sc_slug, code)


@login_required
@require_POST
def link_remove(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Remove an arrow from the map."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    link = (
        ObjectiveLink.objects.select_related("cause")
        .filter(cause__scorecard=scorecard, pk=pk)
        .first()
    )
    if link is None:
        raise Http404("No such link.")
    link_delete(link=link)
    return redirect("objective_detail", org_slug, sc_slug, link.cause.code)


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Admins add a department or team to the unit tree."""
    organization, membership = organization_for(request, org_slug, "admin")
    form = UnitForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            unit_create(organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Added the unit “{form.cleaned_data['name']}”.")
            return redirect("organization_detail", org_slug)
    return _form_page(
        request, form, scorecard=None, organization=organization, membership=membership,
        title="New unit", submit="Add unit",
        cancel_url=reverse("organization_detail", args=[org_slug]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Admins add existing users by user name or e-mail, change roles and remove members."""
    organization, membership = organization_for(request, org_slug, "admin")
    if request.method == "POST":
        _members_post(request, organization)
        return redirect("members", org_slug)
    rows = list(
        Membership.objects.filter(organization=organization)
        .select_related("user", "unit")
        .order_by("user__username")
    )
    return render(
        request,
        "web/manage/members.html",
        {"organization": organization, "membership": membership, "rows": rows,
         "roles": Role.choices},
    )  # fmt: skip


def _members_post(request: HttpRequest, organization: Organization) -> None:
    action = request.POST.get("action")
    try:
        if action == "add":
            who = request.POST.get("who", "").strip()
            user = (
                get_user_model()
                .objects.filter(Q(username__iexact=who) | Q(email__iexact=who))
                .first()
                if who
                else None
            )
            if user is None:
                messages.error(request, f"No user “{who}”; they need an account first.")
                return
            if Membership.objects.filter(organization=organization, user=user).exists():
                messages.error(request, f"{user.username} is a member already.")
                return
            membership_set(organization=organization, user=user, role=request.POST.get("role", ""))
            messages.success(request, f"Added {user.username}.")
            return
        target = Membership.objects.filter(
            organization=organization, pk=request.POST.get("membership", "0") or 0
        ).first()
        if target is None:
            messages.error(request, "No such member.")
        elif action == "role":
            membership_role_change(membership=target, role=request.POST.get("role", ""))
            messages.success(request, f"{target.user.username} is now {target.get_role_display()}.")
        elif action == "remove":
            membership_remove(membership=target)
            messages.success(request, f"Removed {target.user.username}.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def objective_move_view(
    request: HttpRequest, org_slug: str, sc_slug: str, code: str
) -> HttpResponse:
    """Move an objective up or down within its perspective."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    objective_move(objective=_objective(scorecard, code), up=request.POST.get("to") == "up")
    return redirect(f"{reverse('scorecard_detail', args=[org_slug, sc_slug])}#objective-{code}")


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Editors start a unit's scorecard with the four classic perspectives."""
    organization, membership = organization_for(request, org_slug, "editor")
    form = NewScorecardForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            scorecard = scorecard_create(organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Created “{scorecard.name}” with four perspectives.")
            return redirect("scorecard_detail", org_slug, scorecard.slug)
    return _form_page(
        request, form, scorecard=None, organization=organization, membership=membership,
        title="New scorecard", submit="Create scorecard",
        cancel_url=reverse("organization_detail", args=[org_slug]),
    )  # fmt: skip


def _unit(organization: Organization, slug: str) -> Unit:
    unit = Unit.objects.filter(organization=organization, slug=slug).first()
    if unit is None:
        raise Http404("No such unit.")
    return unit


@login_required
def unit_detail(request: HttpRequest, org_slug: str, unit_slug: str) -> HttpResponse:
    """A unit: its scorecards, sub-units and members."""
    organization, membership = organization_for(request, org_slug, "viewer")
    unit = _unit(organization, unit_slug)
    return render(
        request,
        "web/unit.html",
        {"organization": organization, "membership": membership, "unit": unit,
         "scorecards": list(unit.scorecards.order_by("name")),
         "children": list(unit.children.order_by("name")),
         "members": list(Membership.objects.filter(unit=unit).select_related("user"))},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, org_slug: str, unit_slug: str) -> HttpResponse:
    """Admins rename a unit, or delete it when it is empty."""
    organization, membership = organization_for(request, org_slug, "admin")
    unit = _unit(organization, unit_slug)
    form = UnitRenameForm(request.POST or None, initial={"name": unit.name})
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            unit_delete(unit=unit)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("unit_edit", org_slug, unit_slug)
        messages.success(request, f"Deleted the unit “{unit.name}”.")
        return redirect("organization_detail", org_slug)
    if request.method == "POST" and form.is_valid():
        unit_rename(unit=unit, name=form.cleaned_data["name"])
        return redirect("unit_detail", org_slug, unit_slug)
    return render(
        request,
        "web/manage/unit_form.html",
        {"organization": organization, "membership": membership, "unit": unit, "form": form},
        status=422 if form.errors else 200,
    )
