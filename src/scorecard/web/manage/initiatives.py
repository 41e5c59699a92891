"""Action plans: the initiative list and board, an initiative with its tasks.

Everybody reads; editors plan (create, change, delete initiatives and tasks); the
contributor a task is assigned to may move it along (todo → doing → done).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard import clock
from scorecard.initiatives import selectors
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
from scorecard.organizations.models import Membership
from scorecard.strategy.models import Scorecard

from .. import panels
from ..alerts.views import watch_panel
from ..forms import InitiativeForm, TaskForm, TaskStateForm
from ..health.views import initiative_smart
from .common import (
    EDIT,
    READ,
    apply_errors,
    base_context,
    confirm_page,
    form_page,
    is_htmx,
    scorecard_for,
)


def _context(scorecard: Scorecard, membership: Membership) -> dict[str, object]:
    return {**base_context(scorecard.organization, membership, scorecard), "today": clock.today()}


@login_required
@require_GET
def initiative_list(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The scorecard's initiatives as a table (``?layout=board`` shows the board)."""
    if request.GET.get("layout") == "board":
        return initiative_board(request, org_slug, sc_slug)
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, READ)
    status = request.GET.get("status", "")
    if status not in Initiative.Status.values:
        status = ""
    initiatives = selectors.initiative_list(scorecard=scorecard, today=clock.today(), status=status)
    return render(
        request,
        "web/manage/initiative_list.html",
        {**_context(scorecard, membership), "initiatives": initiatives, "status": status,
         "statuses": Initiative.Status.choices},
    )  # fmt: skip


@login_required
@require_GET
def initiative_board(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The initiatives in columns by status: planned, active, on hold, done."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, READ)
    columns, cancelled = selectors.initiative_board(scorecard=scorecard, today=clock.today())
    return render(
        request,
        "web/manage/initiative_board.html",
        {**_context(scorecard, membership), "columns": columns, "cancelled": cancelled},
    )


def _initiative(scorecard: Scorecard, pk: int) -> Initiative:
    found = selectors.initiative_get(scorecard=scorecard, pk=pk, today=clock.today())
    if found is None:
        raise Http404("No such initiative.")
    return found


def _detail_response(
    request: HttpRequest,
    scorecard: Scorecard,
    membership: Membership,
    initiative: Initiative,
    *,
    task_form: TaskForm | None = None,
) -> HttpResponse:
    task_form = task_form or TaskForm(scorecard=scorecard, auto_id="task-%s")
    return render(
        request,
        "web/manage/initiative_detail.html",
        {**_context(scorecard, membership), "initiative": initiative,
         "tasks": selectors.task_list(initiative=initiative), "task_form": task_form,
         "states": Task.State.choices,
         "smart": initiative_smart(initiative=initiative, scorecard=scorecard,
                                   membership=membership),
         "why": panels.why_panel(scorecard.organization, initiative=initiative),
         "comments_panel": panels.comments_panel(scorecard, membership, initiative),
         "watch": watch_panel(request, scorecard.organization, "initiative", initiative)},
        status=422 if task_form.errors else 200,
    )  # fmt: skip


@login_required
@require_GET
def initiative_detail(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """An initiative: owner, dates, money, progress, the objectives it serves and its tasks."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, READ)
    return _detail_response(request, scorecard, membership, _initiative(scorecard, pk))


@login_required
@require_http_methods(["GET", "POST"])
def initiative_new(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Start an action plan, optionally for one objective (``?objective=<code>``)."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    objective = scorecard.objectives.filter(code=request.GET.get("objective", "")).first()
    initial = {"status": "planned", "objectives": [objective.pk] if objective else []}
    form = InitiativeForm(request.POST or None, scorecard=scorecard, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_create(scorecard=scorecard, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Created the initiative “%(name)s”.") % {"name": initiative.name}
            )
            return redirect("initiative_detail", org_slug, sc_slug, initiative.pk)
    return form_page(
        request, form, context=_context(scorecard, membership), title=_("New initiative"),
        submit=_("Create initiative"),
        cancel_url=reverse("initiative_list", args=[org_slug, sc_slug]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Change an initiative: its plan, status, money, progress and objectives."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    initiative = _initiative(scorecard, pk)
    title = _("Edit the initiative “%(name)s”") % {"name": initiative.name}
    form = InitiativeForm(
        request.POST or None, scorecard=scorecard, initial=InitiativeForm.initial_for(initiative)
    )
    if request.method == "POST" and form.is_valid():
        try:
            initiative_update(initiative=initiative, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Saved the initiative “%(name)s”.") % {"name": initiative.name}
            )
            return redirect("initiative_detail", org_slug, sc_slug, pk)
    return form_page(
        request, form, context=_context(scorecard, membership), title=title,
        cancel_url=reverse("initiative_detail", args=[org_slug, sc_slug, pk]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def initiative_delete_view(
    request: HttpRequest, org_slug: str, sc_slug: str, pk: int
) -> HttpResponse:
    """Delete an initiative with its tasks, after saying how many there are."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    initiative = _initiative(scorecard, pk)
    if request.method == "POST":
        initiative_delete(initiative=initiative)
        messages.success(
            request, _("Deleted the initiative “%(name)s”.") % {"name": initiative.name}
        )
        return redirect("initiative_list", org_slug, sc_slug)
    tasks, comments = initiative.tasks.count(), initiative.comments.count()
    counted = [
        (tasks, ngettext("%(count)s task", "%(count)s tasks", tasks)),
        (comments, ngettext("%(count)s comment", "%(count)s comments", comments)),
    ]
    return confirm_page(
        request, context=_context(scorecard, membership), thing="initiative",
        name=initiative.name, losses=[words % {"count": n} for n, words in counted if n],
        cancel_url=reverse("initiative_detail", args=[org_slug, sc_slug, pk]),
    )  # fmt: skip


# Tasks ----------------------------------------------------------------------------------


def _task(scorecard: Scorecard, pk: int) -> Task:
    found = selectors.task_get(scorecard=scorecard, pk=pk)
    if found is None:
        raise Http404("No such task.")
    return found


@login_required
@require_POST
def task_add(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Add a task at the end of an initiative; a bad form comes back with its messages."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    initiative = _initiative(scorecard, pk)
    form = TaskForm(request.POST, scorecard=scorecard, auto_id="task-%s")
    if form.is_valid():
        try:
            task = task_create(initiative=initiative, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Added the task “%(name)s”.") % {"name": task.name})
            return redirect("initiative_detail", org_slug, sc_slug, pk)
    return _detail_response(request, scorecard, membership, initiative, task_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Rename a task, give it to someone else or move its deadline."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    task = _task(scorecard, pk)
    title = _("Edit the task “%(name)s”") % {"name": task.name}
    initial = {"name": task.name, "assignee": task.assignee_id, "deadline": task.deadline}
    form = TaskForm(request.POST or None, scorecard=scorecard, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task_update(task=task, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved the task “%(name)s”.") % {"name": task.name})
            return redirect("initiative_detail", org_slug, sc_slug, task.initiative_id)
    return form_page(
        request, form, context=_context(scorecard, membership), title=title,
        cancel_url=reverse("initiative_detail", args=[org_slug, sc_slug, task.initiative_id]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def task_remove(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Delete a task (GET asks first, for people without JavaScript)."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    task = _task(scorecard, pk)
    back = reverse("initiative_detail", args=[org_slug, sc_slug, task.initiative_id])
    if request.method == "POST":
        task_delete(task=task)
        messages.success(request, _("Deleted the task “%(name)s”.") % {"name": task.name})
        return redirect(back)
    return confirm_page(
        request, context=_context(scorecard, membership), thing="task", name=task.name,
        losses=[], cancel_url=back,
    )  # fmt: skip


@login_required
@require_POST
def task_state(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Move a task to another state; htmx gets the task's row back, others a redirect.

    Editors move any task; a contributor moves the tasks assigned to them.
    """
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "contributor")
    task = _task(scorecard, pk)
    if not membership.allows(EDIT) and task.assignee_id != request.user.pk:
        return HttpResponse(
            _("Only editors and the person the task is assigned to may change it."), status=403
        )
    form = TaskStateForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose one of: to do, in progress, done."), status=422)
    task_state_set(task=task, state=form.cleaned_data["state"])
    if is_htmx(request):
        # The row is swapped in place; the progress box (share of done tasks) out of band.
        return render(
            request,
            "web/manage/_task_state_response.html",
            {**_context(scorecard, membership), "task": task, "states": Task.State.choices,
             "initiative": _initiative(scorecard, task.initiative_id)},
        )  # fmt: skip
    messages.success(
        request,
        _("“%(name)s” is now %(state)s.")
        % {"name": task.name, "state": task.get_state_display().lower()},
    )
    return redirect("initiative_detail", org_slug, sc_slug, task.initiative_id)
