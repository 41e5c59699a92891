"""Action plans: the list, the board, an initiative with its tasks, through real requests."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from scorecard.initiatives.models import Initiative, Task
from tests.factories import InitiativeFactory, ObjectiveFactory, TaskFactory
from tests.web.test_manage_access import ORG, SC, build_card, count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def frozen_today():
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        yield


@pytest.fixture
def card(world: Any) -> Any:
    return build_card(world)


@pytest.fixture
def editor(card: Any) -> Any:
    return card.world.client_for("editor")


def test_create_an_initiative_serving_two_objectives(card: Any, editor: Any) -> None:
    response = editor.post(
        reverse("initiative_new", args=[ORG, SC]),
        {
            "name": "Partner days",
            "description": "Four events",
            "owner": card.world.editor.pk,
            "objectives": [card.grow.pk, card.happy.pk],
            "status": "active",
            "start_date": "2026-09-01",
            "deadline": "2027-03-31",
            "budget": "12000",
            "spent": "2500.50",
            "progress": "25",
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(name="Partner days")
    assert set(initiative.objectives.all()) == {card.grow, card.happy}
    assert (initiative.budget, initiative.spent, initiative.progress, initiative.owner) == (
        Decimal("12000.00"),
        Decimal("2500.50"),
        0.25,
        card.world.editor,
    )
    assert response["Location"] == reverse("initiative_detail", args=[ORG, SC, initiative.pk])


def test_new_initiative_for_an_objective_preselects_it(card: Any, editor: Any) -> None:
    html = editor.get(
        reverse("initiative_new", args=[ORG, SC]) + "?objective=happy"
    ).content.decode()
    assert re.search(rf'value="{card.happy.pk}" id="id_objectives_\d+" checked', html)
    assert not re.search(rf'value="{card.grow.pk}" id="id_objectives_\d+" checked', html)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"start_date": "2027-05-01", "deadline": "2027-01-01"}, "before the start date"),
        ({"budget": "-5"}, "greater than or equal to 0"),
        ({"spent": "-1"}, "greater than or equal to 0"),
        ({"progress": "150"}, "less than or equal to 100"),
        ({"deadline": "tomorrow"}, "Enter a valid date."),
        ({"status": "dreaming"}, "Select a valid choice."),
        ({"objectives": ["999999"]}, "Select a valid choice."),
    ],
)
def test_initiative_problems_are_explained(card: Any, editor: Any, change: dict, message: str):
    data = {"name": "Partner days", "status": "planned", **change}
    response = editor.post(reverse("initiative_new", args=[ORG, SC]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Initiative.objects.count() == 1


def test_objective_of_another_scorecard_cannot_be_served(card: Any, editor: Any) -> None:
    foreign = ObjectiveFactory()
    data = {"name": "Sneaky", "status": "planned", "objectives": [foreign.pk]}
    response = editor.post(reverse("initiative_new", args=[ORG, SC]), data)
    assert response.status_code == 422
    assert Initiative.objects.count() == 1


def test_edit_an_initiative(card: Any, editor: Any) -> None:
    url = reverse("initiative_edit", args=[ORG, SC, card.initiative.pk])
    card.initiative.progress = 0.4
    card.initiative.save()
    assert 'name="progress" value="40.0"' in editor.get(url).content.decode()
    response = editor.post(
        url,
        {"name": "Web shop", "status": "on_hold", "objectives": [card.happy.pk], "progress": ""},
    )
    assert response.status_code == 302
    card.initiative.refresh_from_db()
    assert (card.initiative.name, card.initiative.status, card.initiative.progress) == (
        "Web shop",
        "on_hold",
        None,
    )
    assert list(card.initiative.objectives.all()) == [card.happy]


def test_delete_an_initiative_with_its_tasks(card: Any, editor: Any) -> None:
    url = reverse("initiative_delete", args=[ORG, SC, card.initiative.pk])
    assert "1 task" in editor.get(url).content.decode()
    assert editor.post(url).status_code == 302
    assert Initiative.objects.count() == 0 and Task.objects.count() == 0


def test_list_shows_owner_deadline_progress_money_and_objectives(card: Any) -> None:
    late = InitiativeFactory(
        scorecard=card.world.scorecard,
        name="Late one",
        status="active",
        deadline=dt.date(2026, 10, 1),
        owner=card.world.editor,
        budget=Decimal("10000"),
        spent=Decimal("2500"),
    )
    late.objectives.add(card.happy)
    TaskFactory(initiative=late, state="done")
    TaskFactory(initiative=late, state="done")
    TaskFactory(initiative=late, state="todo")
    InitiativeFactory(
        scorecard=card.world.scorecard,
        name="Finished late",
        status="done",
        deadline=dt.date(2026, 1, 1),
    )
    html = (
        card.world.client_for("viewer")
        .get(reverse("initiative_list", args=[ORG, SC]))
        .content.decode()
    )
    row = html[html.index("Late one") :]
    row = row[: row.index("</tr>")]
    assert "1 Oct 2026" in row and "overdue" in row
    assert "66.7\u00a0%" in row  # two of three tasks done
    assert "10,000" in row and "2,500" in row and "Happy customers" in row
    assert card.world.editor.get_full_name() in row
    done_row = html[html.index("Finished late") :]
    assert "overdue" not in done_row[: done_row.index("</tr>")]  # done is never overdue
    assert html.count('<tr class="overdue">') == 1


def test_entered_progress_wins_over_tasks(card: Any) -> None:
    card.initiative.progress = 0.9
    card.initiative.save()
    TaskFactory(initiative=card.initiative, state="done")  # 1 of 2 done = 50 %
    html = (
        card.world.client_for("viewer")
        .get(reverse("initiative_detail", args=[ORG, SC, card.initiative.pk]))
        .content.decode()
    )
    assert "90.0\u00a0%" in html and "50.0\u00a0%" not in html


def test_status_filter(card: Any) -> None:
    InitiativeFactory(scorecard=card.world.scorecard, name="Running", status="active")
    client = card.world.client_for("viewer")
    html = client.get(
        reverse("initiative_list", args=[ORG, SC]) + "?status=active"
    ).content.decode()
    assert "Running" in html and "New shop" not in html
    html = client.get(
        reverse("initiative_list", args=[ORG, SC]) + "?status=nonsense"
    ).content.decode()
    assert "Running" in html and "New shop" in html


def test_board_has_a_column_per_status(card: Any) -> None:
    for status in ["active", "on_hold", "done", "cancelled"]:
        InitiativeFactory(scorecard=card.world.scorecard, name=f"Plan {status}", status=status)
    html = (
        card.world.client_for("viewer")
        .get(reverse("initiative_board", args=[ORG, SC]))
        .content.decode()
    )
    headings = ["Planned", "Active", "On hold", "Done", "Cancelled"]
    positions = [
        html.index(f">{h} <span") if h != "Cancelled" else html.index(">Cancelled<")
        for h in headings
    ]
    assert positions == sorted(positions)
    assert html.index("New shop") < html.index("Plan active") < html.index("Plan on_hold")
    # The old address of the board still works.
    old = card.world.client_for("viewer").get(
        reverse("initiative_list", args=[ORG, SC]) + "?layout=board"
    )
    assert "Plan on_hold" in old.content.decode() and 'class="board"' in old.content.decode()


@pytest.mark.parametrize("name", ["initiative_list", "initiative_board"])
def test_list_and_board_in_constant_queries(card: Any, name: str) -> None:
    client = card.world.client_for("viewer")
    url = reverse(name, args=[ORG, SC])
    few = count_queries(client, url)
    for i in range(40):
        initiative = InitiativeFactory(
            scorecard=card.world.scorecard,
            owner=card.world.editor,
            status=["planned", "active", "on_hold", "done"][i % 4],
            deadline=dt.date(2026, 1 + i % 12, 1),
        )
        initiative.objectives.add(card.grow, card.happy)
        TaskFactory(initiative=initiative, state="done")
        TaskFactory(initiative=initiative)
    assert count_queries(client, url) == few


def test_initiative_page_in_constant_queries(card: Any) -> None:
    client = card.world.client_for("editor")
    url = reverse("initiative_detail", args=[ORG, SC, card.initiative.pk])
    few = count_queries(client, url)
    for _ in range(30):
        TaskFactory(initiative=card.initiative, assignee=card.world.viewer)
    card.initiative.objectives.add(card.happy, card.lean)
    assert count_queries(client, url) == few


# Tasks -------------------------------------------------------------------------------------


def test_add_edit_and_delete_a_task(card: Any, editor: Any) -> None:
    add = reverse("task_add", args=[ORG, SC, card.initiative.pk])
    response = editor.post(
        add, {"name": "Sign contract", "assignee": card.world.viewer.pk, "deadline": "2026-12-15"}
    )
    assert response.status_code == 302
    task = Task.objects.get(name="Sign contract")
    assert (task.assignee, task.deadline, task.position) == (
        card.world.viewer,
        dt.date(2026, 12, 15),
        1,
    )
    response = editor.post(
        reverse("task_edit", args=[ORG, SC, task.pk]), {"name": "Sign the contract", "deadline": ""}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.name, task.assignee, task.deadline) == ("Sign the contract", None, None)
    assert editor.post(reverse("task_remove", args=[ORG, SC, task.pk])).status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()


def test_a_bad_task_comes_back_with_its_message(card: Any, editor: Any) -> None:
    response = editor.post(
        reverse("task_add", args=[ORG, SC, card.initiative.pk]), {"name": "", "deadline": "someday"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html and "Enter a valid date." in html
    assert 'id="task-name_error"' in html
    assert Task.objects.count() == 1


def test_task_state_button_with_htmx_returns_the_row(card: Any) -> None:
    client = card.world.client_for("contributor")  # the assignee
    response = client.post(
        reverse("task_state", args=[ORG, SC, card.task.pk]),
        {"state": "done"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith("<tr") and f'id="task-{card.task.pk}"' in html
    assert "<del><bdi>Pick platform</bdi></del>" in html
    # The progress box follows out of band: the only task is done now.
    assert 'id="initiative-progress" hx-swap-oob="true"' in html and "100.0\u00a0%" in html
    card.task.refresh_from_db()
    assert card.task.state == "done"


def test_task_state_rules(card: Any) -> None:
    url = reverse("task_state", args=[ORG, SC, card.task.pk])
    other = TaskFactory(initiative=card.initiative, assignee=card.world.editor)
    contributor = card.world.client_for("contributor")
    assert (
        contributor.post(
            reverse("task_state", args=[ORG, SC, other.pk]), {"state": "done"}
        ).status_code
        == 403
    )  # not theirs
    assert contributor.post(url, {"state": "finished"}).status_code == 422
    other.refresh_from_db()
    card.task.refresh_from_db()
    assert other.state == card.task.state == "todo"


def test_initiative_page_shows_state_buttons_only_to_who_may_press_them(card: Any) -> None:
    url = reverse("initiative_detail", args=[ORG, SC, card.initiative.pk])
    viewer = card.world.client_for("viewer").get(url).content.decode()
    contributor = card.world.client_for("contributor").get(url).content.decode()
    editor = card.world.client_for("editor").get(url).content.decode()
    button = 'aria-label="Mark “Pick platform” as done"'
    assert button not in viewer and button in contributor and button in editor
    assert "Add task" not in contributor and "Add task" in editor


def test_overdue_task_is_marked(card: Any) -> None:
    card.task.deadline = dt.date(2026, 11, 1)
    card.task.save()
    html = (
        card.world.client_for("viewer")
        .get(reverse("initiative_detail", args=[ORG, SC, card.initiative.pk]))
        .content.decode()
    )
    assert 'class="overdue"' in html and "overdue</span>" in html
