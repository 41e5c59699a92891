"""Writes for initiatives (action plans) and their tasks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from scorecard.audit.services import record_change, snapshot
from scorecard.limits import checked_create, lengths_check
from scorecard.strategy.models import Objective, Scorecard

from .models import Initiative, Task

INITIATIVE_FIELDS = {
    "name", "description", "owner", "start_date", "deadline", "budget", "spent", "status",
    "progress",
}  # fmt: skip
#: What the history keeps of a task (its place in the list is left out).
TASK_SNAPSHOT = ("name", "assignee", "deadline", "state")
#: What the history keeps of an initiative (its fields and the objectives it serves).
INITIATIVE_SNAPSHOT = (*INITIATIVE_FIELDS, "objectives")


def _check_objectives(scorecard: Scorecard, objectives: list[Objective]) -> None:
    if any(o.scorecard_id != scorecard.pk for o in objectives):
        raise ValidationError({"objectives": _("An objective belongs to another scorecard.")})


def _validate(initiative: Initiative) -> None:
    if not initiative.name.strip():
        raise ValidationError({"name": _("An initiative needs a name.")})
    if (
        initiative.start_date
        and initiative.deadline
        and initiative.deadline < initiative.start_date
    ):
        raise ValidationError({"deadline": _("The deadline is before the start date.")})
    if initiative.progress is not None and not 0 <= initiative.progress <= 1:
        raise ValidationError({"progress": _("Progress runs from 0 to 1 (0 % to 100 %).")})
    for field in ("budget", "spent"):
        value = getattr(initiative, field)
        if value is not None and value < 0:
            raise ValidationError({field: _("Money amounts cannot be negative.")})


@transaction.atomic
def initiative_create(
    *, scorecard: Scorecard, name: str, objectives: list[Objective] | None = None, **fields: Any
) -> Initiative:
    """Start an action plan serving ``objectives``."""
    unknown = set(fields) - INITIATIVE_FIELDS
    if unknown:
        raise TypeError(f"Unknown initiative fields: {', '.join(sorted(unknown))}")
    objectives = objectives or []
    _check_objectives(scorecard, objectives)
    initiative = Initiative(scorecard=scorecard, name=name.strip(), **fields)
    _validate(initiative)
    lengths_check(initiative)
    initiative.save()
    initiative.objectives.set(objectives)
    record_change(obj=initiative, before=None, after=snapshot(initiative, INITIATIVE_SNAPSHOT))
    return initiative


@transaction.atomic
def initiative_update(
    *, initiative: Initiative, objectives: list[Objective] | None = None, **fields: Any
) -> Initiative:
    """Change an initiative; nothing is saved unless the result is valid."""
    unknown = set(fields) - INITIATIVE_FIELDS
    if unknown:
        raise TypeError(f"Unknown initiative fields: {', '.join(sorted(unknown))}")
    before = snapshot(initiative, INITIATIVE_SNAPSHOT)
    for field, value in fields.items():
        setattr(initiative, field, value)
    _validate(initiative)
    lengths_check(initiative)
    initiative.save()
    if objectives is not None:
        _check_objectives(initiative.scorecard, objectives)
        initiative.objectives.set(objectives)
    record_change(obj=initiative, before=before, after=snapshot(initiative, INITIATIVE_SNAPSHOT))
    return initiative


@transaction.atomic
def initiative_delete(*, initiative: Initiative) -> None:
    """Delete an initiative and its tasks."""
    record_change(obj=initiative, before=snapshot(initiative, INITIATIVE_SNAPSHOT), after=None)
    initiative.delete()


@transaction.atomic
def task_create(
    *, initiative: Initiative, name: str, assignee: Any = None, deadline: Any = None
) -> Task:
    """Add a task at the end of the initiative."""
    if not name.strip():
        raise ValidationError({"name": _("A task needs a name.")})
    last = Task.objects.filter(initiative=initiative).aggregate(m=Max("position"))["m"]
    task = checked_create(
        Task,
        initiative=initiative,
        name=name.strip(),
        assignee=assignee,
        deadline=deadline,
        position=0 if last is None else last + 1,
    )
    record_change(obj=task, before=None, after=snapshot(task, TASK_SNAPSHOT))
    return task


@transaction.atomic
def task_state_set(*, task: Task, state: str) -> Task:
    """Move a task to "todo", "doing" or "done"."""
    if state not in Task.State.values:
        raise ValidationError({"state": _("Unknown task state “%(state)s”.") % {"state": state}})
    before = {"state": task.state}
    task.state = state
    task.save(update_fields=["state"])
    record_change(obj=task, before=before, after={"state": state})
    return task


@transaction.atomic
def task_delete(*, task: Task) -> None:
    """Remove a task."""
    record_change(obj=task, before=snapshot(task, TASK_SNAPSHOT), after=None)
    task.delete()


@transaction.atomic
def task_update(*, task: Task, name: str, assignee: Any = None, deadline: Any = None) -> Task:
    """Rename a task, give it to someone else or move its deadline."""
    if not name.strip():
        raise ValidationError({"name": _("A task needs a name.")})
    before = snapshot(task, TASK_SNAPSHOT)
    task.name, task.assignee, task.deadline = name.strip(), assignee, deadline
    lengths_check(task)
    task.save(update_fields=["name", "assignee", "deadline"])
    record_change(obj=task, before=before, after=snapshot(task, TASK_SNAPSHOT))
    return task
