"""Initiative pages: create, edit, delete, and their tasks (editors plan; assignees move tasks)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from scorecard.initiatives.models import Initiative, Task
from scorecard.initiatives.services import (
    initiative_create,
    initiative_delete,
    initiative_update,
    task_create,
    task_delete,
    task_state_set,
    task_update,
)
from scorecard.strategy.models import Scorecard

from .forms import InitiativeForm, TaskForm
from .manage_views import _apply_errors, _confirm, _form_page
from .views import is_htmx, scorecard_for


def _initiative(scorecard: Scorecard, pk: int) -> Initiative:
    initiative = (
        Initiative.objects.select_related("owner").filter(scorecard=scorecard, pk=pk).first()
    )
    if initiative is None:
        raise Http404("No such initiative.")
    return initiative


def _fields(form: InitiativeForm) -> dict[str, object]:
    data = dict(form.cleaned_data)
    data.pop("objectives")
    return data


@login_required
@require_http_methods(["GET", "POST"])
def initiative_new(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Start an action plan."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    form = InitiativeForm(request.POST or None, scorecard=scorecard, initial={"status": "planned"})
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_create(
                scorecard=scorecard, objectives=list(form.cleaned_data["objectives"]),
                **_fields(form),  # type: ignore[arg-type]
            )  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("initiative_detail", org_slug, sc_slug, initiative.pk)
    return _form_page(
        request, form, scorecard=scorecard, organization=scorecard.organization,
        membership=membership, title="New initiative", submit="Create initiative",
        cancel_url=reverse("initiative_list", args=[org_slug, sc_slug]),
    )  # fmt: skip


@login_required
def initiative_detail(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """An initiative with its tasks."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    initiative = _initiative(scorecard, pk)
    tasks = list(initiative.tasks.select_related("assignee").order_by("position", "id"))
    done = sum(1 for t in tasks if t.state == Task.State.DONE)
    progress = initiative.progress
    if progress is None and tasks:
        progress = done / len(tasks)
    return render(
        request,
        "web/initiative.html",
        {"scorecard": scorecard, "organization": scorecard.organization,
         "membership": membership, "initiative": initiative, "tasks": tasks,
         "objectives": list(initiative.objectives.all()), "progress": progress,
         "task_form": TaskForm(scorecard=scorecard), "states": Task.State.choices,
         "can_edit": membership.allows("editor")},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Change an initiative."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    initiative = _initiative(scorecard, pk)
    initial = {f: getattr(initiative, f) for f in InitiativeForm.base_fields if f != "objectives"}
    initial["owner"] = initiative.owner_id
    initial["objectives"] = list(initiative.objectives.values_list("pk", flat=True))
    form = InitiativeForm(request.POST or None, scorecard=scorecard, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            initiative_update(
                initiative=initiative, objectives=list(form.cleaned_data["objectives"]),
                **_fields(form),
            )  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("initiative_detail", org_slug, sc_slug, pk)
    return _form_page(
        request, form, scorecard=scorecard, organization=scorecard.organization,
        membership=membership, title=f"Edit {initiative.name}",
        cancel_url=reverse("initiative_detail", args=[org_slug, sc_slug, pk]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def initiative_delete_view(
    request: HttpRequest, org_slug: str, sc_slug: str, pk: int
) -> HttpResponse:
    """Delete an initiative and its tasks."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    initiative = _initiative(scorecard, pk)
    if request.method == "POST":
        initiative_delete(initiative=initiative)
        messages.success(request, f"Deleted the initiative “{initiative.name}”.")
        return redirect("initiative_list", org_slug, sc_slug)
    tasks = initiative.tasks.count()
    return _confirm(
        request, thing="initiative", name=initiative.name,
        losses=[f"{tasks} task{'s' if tasks != 1 else ''}"] if tasks else [],
        cancel_url=reverse("initiative_detail", args=[org_slug, sc_slug, pk]),
        scorecard=scorecard, membership=membership,
    )  # fmt: skip


@login_required
@require_POST
def task_add(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Add a task to an initiative."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    initiative = _initiative(scorecard, pk)
    form = TaskForm(request.POST, scorecard=scorecard)
    if form.is_valid():
        task_create(initiative=initiative, **form.cleaned_data)
    else:
        messages.error(request, "The task needs a name; dates look like 2026-12-31.")
    return redirect("initiative_detail", org_slug, sc_slug, pk)


def _task(scorecard: Scorecard, pk: int) -> Task:
    task = (
        Task.objects.select_related("initiative")
        .filter(initiative__scorecard=scorecard, pk=pk)
        .first()
    )
    if task is None:
        raise Http404("No such task.")
    return task


@login_required
@require_POST
def task_state(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Move a task along; editors, and the contributor it is assigned to, may."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "contributor")
    task = _task(scorecard, pk)
    if not membership.allows("editor") and task.assignee_id != request.user.pk:
        return HttpResponse("Only editors and the task's assignee may change it.", status=403)
    try:
        task_state_set(task=task, state=request.POST.get("state", ""))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=422)
    if is_htmx(request):
        return render(
            request,
            "web/partials/task_row.html",
            {"task": task, "states": Task.State.choices, "scorecard": scorecard,
             "organization": scorecard.organization, "can_move": True},
        )  # fmt: skip
    return redirect("initiative_detail", org_slug, sc_slug, task.initiative_id)


@login_required
@require_POST
def task_remove(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Delete a task."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    task = _task(scorecard, pk)
    task_delete(task=task)
    return redirect("initiative_detail", org_slug, sc_slug, task.initiative_id)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Change a task's name, assignee or deadline."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    task = _task(scorecard, pk)
    initial = {"name": task.name, "assignee": task.assignee_id, "deadline": task.deadline}
    form = TaskForm(request.POST or None, scorecard=scorecard, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task_update(task=task, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("initiative_detail", org_slug, sc_slug, task.initiative_id)
    return _form_page(
        request, form, scorecard=scorecard, organization=scorecard.organization,
        membership=membership, title=f"Edit task “{task.name}”",
        cancel_url=reverse("initiative_detail", args=[org_slug, sc_slug, task.initiative_id]),
    )  # fmt: skip
