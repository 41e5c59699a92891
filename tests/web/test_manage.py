"""Structure editing and action plans: a declarative access table, then the behaviour."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Unit
from scorecard.strategy.models import Objective, ObjectiveLink, Perspective
from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "editor", "contributor", "viewer", "outsider", "anonymous"]
EDITORS = [200, 200, 403, 403, 404, 302]
READERS = [200, 200, 200, 200, 404, 302]
ADMINS = [200, 403, 403, 403, 404, 302]


@pytest.fixture
def setup(world):
    fin = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    cus = PerspectiveFactory(scorecard=world.scorecard, name="Customer", position=1)
    grow = ObjectiveFactory(perspective=fin, code="grow", name="Grow")
    happy = ObjectiveFactory(perspective=cus, code="happy", name="Happy customers")
    KpiFactory(objective=grow, code="revenue", name="Revenue")
    KpiFactory(objective=grow, code="margin", name="Margin", formula="revenue * 2")
    initiative = InitiativeFactory(scorecard=world.scorecard, name="New shop")
    initiative.objectives.add(grow)
    task = TaskFactory(initiative=initiative, name="Pick platform", assignee=world.contributor)
    link = ObjectiveLink.objects.create(cause=happy, effect=grow)
    return world, fin, grow, happy, initiative, task, link


def get_pages(world, fin, initiative):
    o, s = "northwind", "company"
    return {
        "scorecard_edit": (reverse("scorecard_edit", args=[o, s]), EDITORS),
        "perspective_list": (reverse("perspective_list", args=[o, s]), READERS),
        "perspective_new": (reverse("perspective_new", args=[o, s]), EDITORS),
        "perspective_edit": (reverse("perspective_edit", args=[o, s, fin.pk]), EDITORS),
        "perspective_delete": (
            reverse("perspective_delete", args=[o, s, fin.pk]), [409, 409, 403, 403, 404, 302]
        ),
        "objective_edit": (reverse("objective_edit", args=[o, s, "grow"]), EDITORS),
        "objective_delete": (reverse("objective_delete", args=[o, s, "grow"]), EDITORS),
        "kpi_edit": (reverse("kpi_edit", args=[o, s, "revenue"]), EDITORS),
        "kpi_delete": (reverse("kpi_delete", args=[o, s, "revenue"]), EDITORS),
        "initiative_new": (reverse("initiative_new", args=[o, s]), EDITORS),
        "initiative_detail": (reverse("initiative_detail", args=[o, s, initiative.pk]), READERS),
        "initiative_edit": (reverse("initiative_edit", args=[o, s, initiative.pk]), EDITORS),
        "initiative_delete": (reverse("initiative_delete", args=[o, s, initiative.pk]), EDITORS),
        "initiative_board": (reverse("initiative_list", args=[o, s]) + "?layout=board", READERS),
        "unit_new": (reverse("unit_new", args=[o]), ADMINS),
    }  # fmt: skip


PAGES = [
    "scorecard_edit", "perspective_list", "perspective_new", "perspective_edit",
    "perspective_delete", "objective_edit", "objective_delete", "kpi_edit", "kpi_delete",
    "initiative_new", "initiative_detail", "initiative_edit", "initiative_delete",
    "initiative_board", "unit_new",
]  # fmt: skip


@pytest.mark.parametrize(("page", "persona"), list(itertools.product(PAGES, PERSONAS)))
def test_get_access(setup, page, persona) -> None:
    world, fin, _, _, initiative, _, _ = setup
    url, expected = get_pages(world, fin, initiative)[page]
    assert world.client_for(persona).get(url).status_code == expected[PERSONAS.index(persona)]


@pytest.mark.parametrize("persona", ["contributor", "viewer", "outsider"])
def test_writes_are_refused_below_editor(setup, persona) -> None:
    world, fin, _, happy, initiative, task, link = setup
    client = world.client_for(persona)
    o, s = "northwind", "company"
    posts = [
        (reverse("objective_delete", args=[o, s, "grow"]), {}),
        (reverse("kpi_delete", args=[o, s, "revenue"]), {}),
        (reverse("perspective_move", args=[o, s, fin.pk]), {"to": "down"}),
        (reverse("link_add", args=[o, s, "grow"]), {"effect": happy.pk}),
        (reverse("link_remove", args=[o, s, link.pk]), {}),
        (reverse("initiative_delete", args=[o, s, initiative.pk]), {}),
        (reverse("task_add", args=[o, s, initiative.pk]), {"name": "x"}),
        (reverse("task_remove", args=[o, s, task.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code in {403, 404}, url
    assert Objective.objects.filter(code="grow").exists()
    assert Kpi.objects.filter(code="revenue").exists()
    assert ObjectiveLink.objects.count() == 1
    assert Task.objects.count() == 1 and Initiative.objects.count() == 1


def test_edit_objective_and_move_it(setup) -> None:
    world, _, grow, happy, *_ = setup
    cus = happy.perspective
    url = reverse("objective_edit", args=["northwind", "company", "grow"])
    data = {"perspective": cus.pk, "name": "Grow profitably", "weight": "3"}
    assert world.client_for("editor").post(url, data).status_code == 302
    grow.refresh_from_db()
    assert (grow.name, grow.perspective_id, grow.weight) == ("Grow profitably", cus.pk, 3)


def test_edit_objective_bad_weight(setup) -> None:
    world, fin, *_ = setup
    url = reverse("objective_edit", args=["northwind", "company", "grow"])
    response = world.client_for("editor").post(
        url, {"perspective": fin.pk, "name": "Grow", "weight": "-1"}
    )
    assert response.status_code == 422
    assert "greater than zero" in response.content.decode()


def test_delete_objective_says_what_goes_and_deletes(setup) -> None:
    world, *_ = setup
    url = reverse("objective_delete", args=["northwind", "company", "grow"])
    client = world.client_for("editor")
    page = client.get(url).content.decode()
    assert "the KPI “Revenue”" in page
    assert client.post(url).status_code == 302
    assert not Objective.objects.filter(code="grow").exists()
    assert not Kpi.objects.filter(code="revenue").exists()


def test_kpi_used_in_a_formula_cannot_be_deleted(setup) -> None:
    world, *_ = setup
    url = reverse("kpi_delete", args=["northwind", "company", "revenue"])
    response = world.client_for("editor").post(url)
    assert response.status_code == 409
    assert "used in the formula of: Margin" in response.content.decode()
    assert Kpi.objects.filter(code="revenue").exists()


def test_edit_kpi_refuses_a_formula_cycle(setup) -> None:
    world, *_ = setup
    url = reverse("kpi_edit", args=["northwind", "company", "revenue"])
    form = {"name": "Revenue", "code": "revenue", "optimization": "maximize", "minimum": "0",
            "maximum": "100", "weight": "1", "update_interval": "month",
            "time_aggregation": "sum", "indicator": "lagging", "formula": "margin + 1"}  # fmt: skip
    response = world.client_for("editor").post(url, form)
    assert response.status_code == 422
    assert "Formula cycle" in response.content.decode()
    assert Kpi.objects.get(code="revenue").formula == ""


def test_perspective_rename_reorder_and_delete(setup) -> None:
    world, fin, *_ = setup
    client = world.client_for("editor")
    o, s = "northwind", "company"
    client.post(reverse("perspective_move", args=[o, s, fin.pk]), {"to": "down"})
    names = list(Perspective.objects.order_by("position").values_list("name", flat=True))
    assert names == ["Customer", "Financial"]
    response = client.post(
        reverse("perspective_edit", args=[o, s, fin.pk]),
        {"name": "Customer", "kind": "financial", "weight": "1"},
    )
    assert response.status_code == 422 and "already has a perspective" in response.content.decode()
    client.post(reverse("perspective_new", args=[o, s]), {"name": "Partners", "kind": "other",
                                                         "weight": "1"})  # fmt: skip
    empty = Perspective.objects.get(name="Partners")
    assert client.post(reverse("perspective_delete", args=[o, s, empty.pk])).status_code == 302
    assert client.post(reverse("perspective_delete", args=[o, s, fin.pk])).status_code == 409
    assert Perspective.objects.filter(pk=fin.pk).exists()


def test_links_add_and_remove(setup) -> None:
    world, _, grow, happy, _, _, link = setup
    client = world.client_for("editor")
    o, s = "northwind", "company"
    client.post(reverse("link_add", args=[o, s, "grow"]), {"effect": happy.pk})
    assert ObjectiveLink.objects.filter(cause=grow, effect=happy).exists()
    response = client.post(reverse("link_add", args=[o, s, "grow"]), {"effect": grow.pk},
                           follow=True)  # fmt: skip
    assert "cannot cause itself" in response.content.decode()
    client.post(reverse("link_remove", args=[o, s, link.pk]))
    assert not ObjectiveLink.objects.filter(pk=link.pk).exists()


def test_initiative_lifecycle(setup) -> None:
    world, _, grow, *_ = setup
    client = world.client_for("editor")
    o, s = "northwind", "company"
    response = client.post(reverse("initiative_new", args=[o, s]), {
        "name": "Lean warehouse", "status": "active", "objectives": [grow.pk],
        "start_date": "2026-01-01", "deadline": "2025-12-31",
    })  # fmt: skip
    assert response.status_code == 422
    assert "before the start date" in response.content.decode()
    response = client.post(reverse("initiative_new", args=[o, s]), {
        "name": "Lean warehouse", "status": "active", "objectives": [grow.pk],
        "deadline": "2026-12-31", "budget": "1500",
    })  # fmt: skip
    initiative = Initiative.objects.get(name="Lean warehouse")
    assert response.status_code == 302 and list(initiative.objectives.all()) == [grow]
    client.post(reverse("task_add", args=[o, s, initiative.pk]), {"name": "Map the flow"})
    task = initiative.tasks.get()
    response = client.post(reverse("task_state", args=[o, s, task.pk]), {"state": "done"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200 and "selected>Done" in response.content.decode()
    page = client.get(reverse("initiative_detail", args=[o, s, initiative.pk])).content.decode()
    assert "100.0\u00a0%" in page


def test_assignee_moves_own_task_but_not_others(setup) -> None:
    world, _, _, _, initiative, task, _ = setup
    other = TaskFactory(initiative=initiative, name="Not mine", assignee=world.editor)
    client = world.client_for("contributor")
    o, s = "northwind", "company"
    assert (
        client.post(reverse("task_state", args=[o, s, task.pk]), {"state": "doing"}).status_code
        == 302
    )
    assert (
        client.post(reverse("task_state", args=[o, s, other.pk]), {"state": "done"}).status_code
        == 403
    )
    assert (
        client.post(reverse("task_state", args=[o, s, task.pk]), {"state": "maybe"}).status_code
        == 422
    )
    task.refresh_from_db()
    other.refresh_from_db()
    assert (task.state, other.state) == ("doing", "todo")


def test_admin_adds_a_unit(setup) -> None:
    world, *_ = setup
    url = reverse("unit_new", args=["northwind"])
    client = world.client_for("admin")
    assert client.post(url, {"name": "Sales", "parent": world.unit.pk}).status_code == 302
    assert Unit.objects.get(name="Sales").parent == world.unit
    response = client.post(url, {"name": "Sales", "parent": world.unit.pk})
    assert response.status_code == 422 and "exists already" in response.content.decode()


def test_scorecard_edit(setup) -> None:
    world, *_ = setup
    url = reverse("scorecard_edit", args=["northwind", "company"])
    data = {"name": "Company 2027", "vision": "Gear for life", "mission": "", "score_cap": "1.2",
            "aggregator": "weighted_average", "missing_policy": "exclude"}  # fmt: skip
    assert world.client_for("editor").post(url, data).status_code == 302
    world.scorecard.refresh_from_db()
    assert (world.scorecard.name, world.scorecard.score_cap) == ("Company 2027", 1.2)
    data["score_cap"] = "0.5"
    assert world.client_for("editor").post(url, data).status_code == 422


def test_initiative_list_and_board_constant_queries(world, django_assert_max_num_queries) -> None:
    perspective = PerspectiveFactory(scorecard=world.scorecard)
    objective = ObjectiveFactory(perspective=perspective)
    for n in range(30):
        initiative = InitiativeFactory(
            scorecard=world.scorecard, deadline=dt.date(2027, 1, n % 28 + 1)
        )
        initiative.objectives.add(objective)
        TaskFactory(initiative=initiative, state="done")
        TaskFactory(initiative=initiative)
    client = world.client_for("viewer")
    for layout in ["", "?layout=board"]:
        with django_assert_max_num_queries(10):
            page = client.get(reverse("initiative_list", args=["northwind", "company"]) + layout)
        assert page.status_code == 200 and "50.0\u00a0%" in page.content.decode()


@pytest.mark.parametrize(("persona", "status"), list(zip(PERSONAS, ADMINS, strict=True)))
def test_members_page_access(world, persona, status) -> None:
    assert world.client_for(persona).get("/o/northwind/members/").status_code == status


def test_admin_manages_members_and_keeps_one_admin(world) -> None:
    from scorecard.organizations.models import Membership
    from tests.factories import UserFactory

    client = world.client_for("admin")
    newcomer = UserFactory(username="newcomer", email="new@example.com")
    client.post("/o/northwind/members/", {"action": "add", "who": "NEW@example.com",
                                          "role": "contributor"})  # fmt: skip
    assert Membership.objects.get(user=newcomer).role == "contributor"
    mine = Membership.objects.get(user=world.admin)
    page = client.post("/o/northwind/members/", {"action": "role", "membership": mine.pk,
                                                 "role": "viewer"}, follow=True)  # fmt: skip
    assert "last admin" in page.content.decode()
    page = client.post("/o/northwind/members/", {"action": "remove", "membership": mine.pk},
                       follow=True)  # fmt: skip
    assert "last admin" in page.content.decode()
    assert Membership.objects.get(user=world.admin).role == "admin"
    page = client.post("/o/northwind/members/", {"action": "add", "who": "ghost", "role": "viewer"},
                       follow=True)  # fmt: skip
    assert "No user “ghost”" in page.content.decode()
    other = Membership.objects.get(user=newcomer)
    client.post("/o/northwind/members/", {"action": "remove", "membership": other.pk})
    assert not Membership.objects.filter(user=newcomer).exists()


def test_objectives_reorder_within_their_perspective(setup) -> None:
    world, fin, grow, *_ = setup
    second = ObjectiveFactory(perspective=fin, code="save", name="Save cash", position=5)
    client = world.client_for("editor")
    url = reverse("objective_move", args=["northwind", "company", "save"])
    assert client.post(url, {"to": "up"}).status_code == 302
    order = list(Objective.objects.filter(perspective=fin).order_by("position"))
    assert order == [second, grow]
    assert world.client_for("viewer").post(url, {"to": "down"}).status_code == 403


def test_create_a_cascaded_scorecard(world) -> None:
    from scorecard.strategy.models import Scorecard

    url = reverse("scorecard_new", args=["northwind"])
    assert world.client_for("contributor").get(url).status_code == 403
    client = world.client_for("editor")
    data = {"name": "Sales 2027", "unit": world.unit.pk, "parent": world.scorecard.pk}
    response = client.post(url, data)
    assert response.status_code == 302
    sales = Scorecard.objects.get(name="Sales 2027")
    assert sales.parent == world.scorecard
    assert [p.name for p in sales.perspectives.order_by("position")] == [
        "Financial", "Customer", "Internal processes", "Learning & growth",
    ]  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 422 and "exists already" in response.content.decode()


def test_unit_page_rename_and_delete(world) -> None:
    from tests.factories import UnitFactory

    child = UnitFactory(organization=world.organization, parent=world.unit, name="Ops", slug="ops")
    assert world.client_for("viewer").get("/o/northwind/u/ops/").status_code == 200
    assert world.client_for("outsider").get("/o/northwind/u/ops/").status_code == 404
    assert world.client_for("editor").get("/o/northwind/u/ops/edit/").status_code == 403
    admin = world.client_for("admin")
    admin.post("/o/northwind/u/ops/edit/", {"name": "Operations"})
    child.refresh_from_db()
    assert child.name == "Operations"
    page = admin.post("/o/northwind/u/northwind/edit/", {"action": "delete"}, follow=True)
    assert "top unit" in page.content.decode()  # the root unit has the company scorecard too
    admin.post("/o/northwind/u/ops/edit/", {"action": "delete"})
    assert not Unit.objects.filter(pk=child.pk).exists()


def test_task_edit(setup) -> None:
    world, _, _, _, _, task, _ = setup
    url = reverse("task_edit", args=["northwind", "company", task.pk])
    assert world.client_for("contributor").get(url).status_code == 403
    client = world.client_for("editor")
    assert client.post(url, {"name": "", "assignee": ""}).status_code == 422
    client.post(url, {"name": "Choose platform", "assignee": world.editor.pk,
                      "deadline": "2027-01-31"})  # fmt: skip
    task.refresh_from_db()
    assert (task.name, task.assignee, str(task.deadline)) == (
        "Choose platform", world.editor, "2027-01-31",
    )  # fmt: skip
