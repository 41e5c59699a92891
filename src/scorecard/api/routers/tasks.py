"""Tasks: the steps of an initiative. Editors plan them; the assignee may move their state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scorecard.api.lengths import Name
from scorecard.initiatives import services
from scorecard.initiatives.models import Task

from ..access import access_of
from ..common import PageParams, get_or_404, member_or_error, page_schema, paginate
from .initiatives import scoped_initiatives

router = Router(tags=["tasks"])

State = Task.State


class TaskOut(Schema):
    id: int
    initiative: int
    name: str
    assignee: int | None
    deadline: dt.date | None
    state: State
    position: int

    @staticmethod
    def resolve_initiative(obj: Task) -> int:
        return obj.initiative_id

    @staticmethod
    def resolve_assignee(obj: Task) -> int | None:
        return obj.assignee_id


class TaskIn(Schema):
    initiative: int
    name: Name
    assignee: int | None = Field(None, description="User id of a member.")
    deadline: dt.date | None = None
    state: State = State.TODO


class TaskPatch(Schema):
    name: Name | None = None
    assignee: int | None = None
    deadline: dt.date | None = None
    state: State | None = Field(None, description="The assignee (a contributor) may set this.")


class TaskFilter(PageParams):
    initiative: int | None = None
    scorecard: int | None = None
    assignee: int | None = None
    state: State | None = None


TaskPage = page_schema(TaskOut, "TaskPage")


def scoped_tasks(request: HttpRequest) -> QuerySet[Task]:
    return Task.objects.select_related("initiative__scorecard").filter(
        initiative__scorecard__organization_id__in=access_of(request).org_ids
    )


@router.get("/tasks", response=TaskPage)
def task_list(request: HttpRequest, filters: Query[TaskFilter]) -> dict[str, Any]:
    items = scoped_tasks(request)
    if filters.initiative is not None:
        items = items.filter(initiative_id=filters.initiative)
    if filters.scorecard is not None:
        items = items.filter(initiative__scorecard_id=filters.scorecard)
    if filters.assignee is not None:
        items = items.filter(assignee_id=filters.assignee)
    if filters.state:
        items = items.filter(state=filters.state)
    items = items.order_by("initiative_id", "position", "id")
    return paginate(items, filters.limit, filters.offset)


@router.get("/tasks/{task_id}", response=TaskOut)
def task_get(request: HttpRequest, task_id: int) -> Task:
    return get_or_404(scoped_tasks(request), pk=task_id)


@router.post("/tasks", response={201: TaskOut})
def task_create(request: HttpRequest, payload: TaskIn) -> Status[Task]:
    """Add a task at the end of an initiative (editors)."""
    initiative = get_or_404(scoped_initiatives(request), pk=payload.initiative)
    org_id = initiative.scorecard.organization_id
    access_of(request).require(org_id, "editor")
    task = services.task_create(
        initiative=initiative,
        name=payload.name,
        assignee=member_or_error(org_id, payload.assignee, "assignee"),
        deadline=payload.deadline,
    )
    if payload.state != State.TODO:
        task = services.task_state_set(task=task, state=payload.state)
    return Status(201, task)


@router.patch("/tasks/{task_id}", response=TaskOut)
def task_update(request: HttpRequest, task_id: int, payload: TaskPatch) -> Task:
    """Change a task (editors). Its assignee, as a contributor, may change only ``state``."""
    task = get_or_404(scoped_tasks(request), pk=task_id)
    org_id = task.initiative.scorecard.organization_id
    access = access_of(request)
    fields = payload.model_dump(exclude_unset=True)
    membership = access.require(org_id, "contributor")
    if not membership.allows("editor"):
        if task.assignee_id != access.user.pk:
            raise PermissionDenied("Only editors and the task's assignee may change it.")
        if set(fields) - {"state"}:
            raise PermissionDenied("The assignee may change only the task's state.")
    if {"name", "assignee", "deadline"} & set(fields):
        assignee = task.assignee
        if "assignee" in fields:
            assignee = member_or_error(org_id, fields["assignee"], "assignee")
        task = services.task_update(
            task=task,
            name=fields.get("name", task.name) or "",
            assignee=assignee,
            deadline=fields.get("deadline", task.deadline),
        )
    if fields.get("state") is not None:
        task = services.task_state_set(task=task, state=fields["state"])
    return task


@router.delete("/tasks/{task_id}", response={204: None})
def task_delete(request: HttpRequest, task_id: int) -> Status[None]:
    task = get_or_404(scoped_tasks(request), pk=task_id)
    access_of(request).require(task.initiative.scorecard.organization_id, "editor")
    services.task_delete(task=task)
    return Status(204, None)
