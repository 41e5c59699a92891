"""Initiative and task services: validation with clear messages, nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

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
from tests.factories import InitiativeFactory, ObjectiveFactory, ScorecardFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_create_with_objectives_and_fields() -> None:
    objective = ObjectiveFactory()
    initiative = initiative_create(
        scorecard=objective.scorecard,
        name="  Partner days ",
        objectives=[objective],
        status="active",
        budget=Decimal("100"),
        deadline=dt.date(2027, 1, 31),
    )
    assert initiative.name == "Partner days"
    assert list(initiative.objectives.all()) == [objective]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": " "}, "name", "needs a name"),
        (
            {"start_date": dt.date(2027, 2, 1), "deadline": dt.date(2027, 1, 1)},
            "deadline",
            "before the start date",
        ),
        ({"progress": 1.5}, "progress", "0 to 1"),
        ({"budget": Decimal("-1")}, "budget", "cannot be negative"),
        ({"spent": Decimal("-1")}, "spent", "cannot be negative"),
    ],
)
def test_create_refuses_bad_values(fields: dict, field: str, message: str) -> None:
    scorecard = ScorecardFactory()
    data = {"name": "Plan", **fields}
    with pytest.raises(ValidationError) as caught:
        initiative_create(scorecard=scorecard, **data)
    assert message in " ".join(caught.value.message_dict[field])
    assert Initiative.objects.count() == 0


def test_objectives_must_be_of_the_same_scorecard() -> None:
    scorecard = ScorecardFactory()
    with pytest.raises(ValidationError, match="another scorecard"):
        initiative_create(scorecard=scorecard, name="Plan", objectives=[ObjectiveFactory()])
    assert Initiative.objects.count() == 0


def test_unknown_fields_are_a_programming_error() -> None:
    with pytest.raises(TypeError, match="colour"):
        initiative_create(scorecard=ScorecardFactory(), name="Plan", colour="red")


def test_update_checks_before_saving() -> None:
    initiative = InitiativeFactory(name="Plan")
    with pytest.raises(ValidationError):
        initiative_update(initiative=initiative, name="New", progress=2.0)
    initiative.refresh_from_db()
    assert initiative.name == "Plan"
    initiative_update(initiative=initiative, name="New", status="done", objectives=[])
    initiative.refresh_from_db()
    assert (initiative.name, initiative.status) == ("New", "done")


def test_delete_takes_the_tasks() -> None:
    task = TaskFactory()
    initiative_delete(initiative=task.initiative)
    assert Task.objects.count() == 0


def test_tasks_are_appended_in_order_and_can_change() -> None:
    initiative = InitiativeFactory()
    first = task_create(initiative=initiative, name="One")
    second = task_create(initiative=initiative, name=" Two ")
    assert (first.position, second.position, second.name) == (0, 1, "Two")
    with pytest.raises(ValidationError, match="needs a name"):
        task_create(initiative=initiative, name="  ")
    task_update(task=second, name="Two b", deadline=dt.date(2027, 1, 1))
    second.refresh_from_db()
    assert (second.name, second.deadline) == ("Two b", dt.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="needs a name"):
        task_update(task=second, name="")
    task_state_set(task=first, state="doing")
    with pytest.raises(ValidationError, match="Unknown task state"):
        task_state_set(task=first, state="finished")
    first.refresh_from_db()
    assert first.state == "doing"
    task_delete(task=first)
    assert list(initiative.tasks.values_list("name", flat=True)) == ["Two b"]
