"""Initiative selectors: progress and overdue computed in the database, scoped by scorecard."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.initiatives import selectors
from tests.factories import InitiativeFactory, ObjectiveFactory, ScorecardFactory, TaskFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def test_progress_is_entered_else_share_of_done_tasks_else_none() -> None:
    scorecard = ScorecardFactory()
    entered = InitiativeFactory(scorecard=scorecard, name="Entered", progress=0.9)
    TaskFactory(initiative=entered, state="todo")
    tasks = InitiativeFactory(scorecard=scorecard, name="Tasks")
    for state in ["done", "done", "doing", "todo"]:
        TaskFactory(initiative=tasks, state=state)
    InitiativeFactory(scorecard=scorecard, name="Nothing")
    rows = {i.name: i for i in selectors.initiative_list(scorecard=scorecard, today=TODAY)}
    assert rows["Entered"].shown_progress == pytest.approx(0.9)
    assert rows["Tasks"].shown_progress == pytest.approx(0.5)
    assert (rows["Tasks"].task_count, rows["Tasks"].done_count) == (4, 2)
    assert rows["Nothing"].shown_progress is None


@pytest.mark.parametrize(
    ("deadline", "status", "overdue"),
    [
        (dt.date(2026, 11, 22), "active", True),
        (dt.date(2026, 11, 22), "planned", True),
        (dt.date(2026, 11, 23), "active", False),  # due today is not late yet
        (dt.date(2026, 11, 22), "done", False),
        (dt.date(2026, 11, 22), "cancelled", False),
        (None, "active", False),
    ],
)
def test_overdue(deadline: dt.date | None, status: str, overdue: bool) -> None:
    initiative = InitiativeFactory(deadline=deadline, status=status)
    found = selectors.initiative_get(scorecard=initiative.scorecard, pk=initiative.pk, today=TODAY)
    assert found is not None and found.is_overdue is overdue


def test_list_is_by_deadline_with_undated_last_and_can_filter() -> None:
    scorecard = ScorecardFactory()
    InitiativeFactory(scorecard=scorecard, name="Undated")
    InitiativeFactory(scorecard=scorecard, name="Later", deadline=dt.date(2027, 5, 1))
    InitiativeFactory(
        scorecard=scorecard, name="Soon", deadline=dt.date(2026, 12, 1), status="active"
    )
    names = [i.name for i in selectors.initiative_list(scorecard=scorecard, today=TODAY)]
    assert names == ["Soon", "Later", "Undated"]
    active = selectors.initiative_list(scorecard=scorecard, today=TODAY, status="active")
    assert [i.name for i in active] == ["Soon"]


def test_board_columns_and_cancelled() -> None:
    scorecard = ScorecardFactory()
    for status in ["planned", "active", "active", "on_hold", "done", "cancelled"]:
        InitiativeFactory(scorecard=scorecard, status=status)
    columns, cancelled = selectors.initiative_board(scorecard=scorecard, today=TODAY)
    assert [(c.label, len(c.initiatives)) for c in columns] == [
        ("Planned", 1),
        ("Active", 2),
        ("On hold", 1),
        ("Done", 1),
    ]
    assert len(cancelled) == 1


def test_everything_is_scoped_to_the_scorecard() -> None:
    mine, theirs = InitiativeFactory(), InitiativeFactory()
    assert selectors.initiative_list(scorecard=mine.scorecard, today=TODAY) == [mine]
    assert selectors.initiative_get(scorecard=mine.scorecard, pk=theirs.pk, today=TODAY) is None
    task = TaskFactory(initiative=theirs)
    assert selectors.task_get(scorecard=mine.scorecard, pk=task.pk) is None


def test_initiatives_for_an_objective_count_tasks_once(django_assert_num_queries) -> None:
    objective = ObjectiveFactory()
    other = ObjectiveFactory(perspective=objective.perspective)
    initiative = InitiativeFactory(scorecard=objective.scorecard)
    initiative.objectives.add(objective, other)
    TaskFactory(initiative=initiative, state="done")
    TaskFactory(initiative=initiative)
    with django_assert_num_queries(2):  # the initiatives, then the objectives they serve
        rows = selectors.initiatives_for_objective(objective=objective, today=TODAY)
        assert [len(r.objectives.all()) for r in rows] == [2]
    assert (rows[0].task_count, rows[0].shown_progress) == (2, 0.5)
