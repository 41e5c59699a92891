"""Reads for initiatives (action plans) and tasks, always scoped to one scorecard.

Progress is computed in the database: the entered progress when there is one, else
the share of done tasks. The list, the board and the objective page therefore load
any number of initiatives in two queries (the rows, then the objectives they serve).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from scorecard.strategy.models import Objective, Scorecard

from .models import Initiative, Task

#: The board's columns, left to right; cancelled plans are listed under the board.
BOARD_STATUSES = [
    Initiative.Status.PLANNED,
    Initiative.Status.ACTIVE,
    Initiative.Status.ON_HOLD,
    Initiative.Status.DONE,
]


def _annotated(queryset: QuerySet[Initiative], *, today: dt.date) -> QuerySet[Initiative]:
    """Add task counts, ``shown_progress`` and ``is_overdue`` to each initiative."""
    task_share = Case(
        When(task_count=0, then=Value(None, output_field=FloatField())),
        default=Cast(F("done_count"), FloatField()) / Cast(F("task_count"), FloatField()),
        output_field=FloatField(),
    )
    return (
        queryset.select_related("owner")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("position", "name"))
        )
        .annotate(
            task_count=Count("tasks", distinct=True),
            done_count=Count("tasks", filter=Q(tasks__state=Task.State.DONE), distinct=True),
        )
        .annotate(
            shown_progress=Coalesce(F("progress"), task_share, output_field=FloatField()),
            # Overdue: past its deadline and neither finished nor called off.
            is_overdue=Case(
                When(
                    Q(deadline__lt=today)
                    & ~Q(status__in=[Initiative.Status.DONE, Initiative.Status.CANCELLED]),
                    then=Value(True),
                ),
                default=Value(False),
            ),
        )
    )


def initiative_list(*, scorecard: Scorecard, today: dt.date, status: str = "") -> list[Initiative]:
    """The scorecard's initiatives by deadline (undated last), optionally of one status."""
    queryset = Initiative.objects.filter(scorecard=scorecard)
    if status:
        queryset = queryset.filter(status=status)
    return list(
        _annotated(queryset, today=today).order_by(F("deadline").asc(nulls_last=True), "name")
    )


@dataclass
class BoardColumn:
    """One column of the board: a status and its initiatives."""

    status: str
    label: str
    initiatives: list[Initiative]


def initiative_board(
    *, scorecard: Scorecard, today: dt.date
) -> tuple[list[BoardColumn], list[Initiative]]:
    """The board's columns (planned, active, on hold, done) and the cancelled initiatives."""
    initiatives = initiative_list(scorecard=scorecard, today=today)
    labels = dict(Initiative.Status.choices)
    columns = [
        BoardColumn(status, str(labels[status]), [i for i in initiatives if i.status == status])
        for status in BOARD_STATUSES
    ]
    cancelled = [i for i in initiatives if i.status == Initiative.Status.CANCELLED]
    return columns, cancelled


def initiative_get(*, scorecard: Scorecard, pk: int, today: dt.date) -> Initiative | None:
    """One initiative of ``scorecard`` with its progress, or None."""
    return _annotated(Initiative.objects.filter(scorecard=scorecard, pk=pk), today=today).first()


def initiatives_for_objective(*, objective: Objective, today: dt.date) -> list[Initiative]:
    """The initiatives serving ``objective`` (within its own scorecard)."""
    queryset = Initiative.objects.filter(scorecard_id=objective.scorecard_id, objectives=objective)
    return list(
        _annotated(queryset, today=today).order_by(F("deadline").asc(nulls_last=True), "name")
    )


def task_list(*, initiative: Initiative) -> list[Task]:
    """An initiative's tasks in their order, with their assignees (one query)."""
    return list(initiative.tasks.select_related("assignee").order_by("position", "id"))


def task_get(*, scorecard: Scorecard, pk: int) -> Task | None:
    """One task of one of ``scorecard``'s initiatives, or None."""
    return (
        Task.objects.select_related("initiative", "assignee")
        .filter(initiative__scorecard=scorecard, pk=pk)
        .first()
    )
