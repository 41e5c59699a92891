"""Who may open and post to every structure-editing and action-plan view.

Declared as one table in the NetBox spirit: (view, method) → the expected status for
each persona: admin, editor, contributor, viewer, outsider (another organization's
admin) and anonymous. Every case runs on a fresh database, so a successful write by
one persona never changes what the next one sees.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Membership, Unit
from scorecard.strategy.models import Objective, ObjectiveLink, Perspective, Scorecard
from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "editor", "contributor", "viewer", "outsider", "anonymous"]
ORG, SC = "northwind", "company"

# Expected statuses, in PERSONAS order.
READ = (200, 200, 200, 200, 404, 302)
EDIT = (200, 200, 403, 403, 404, 302)
ADMIN = (200, 403, 403, 403, 404, 302)
EDIT_POST = (302, 302, 403, 403, 404, 302)
ADMIN_POST = (302, 403, 403, 403, 404, 302)
REFUSED = (409, 409, 403, 403, 404, 302)  # the service says no, and the page says why


@dataclass
class Card:
    """The world's scorecard filled with one of everything the manage views touch."""

    world: Any
    sales: Unit
    fin: Perspective
    cus: Perspective
    spare: Perspective
    grow: Objective
    happy: Objective
    lean: Objective
    revenue: Kpi
    margin: Kpi
    initiative: Initiative
    task: Task
    link: ObjectiveLink


def build_card(world: Any) -> Card:
    """Perspectives, objectives, KPIs (one calculated), a link, an initiative with a task."""
    sales = UnitFactory(
        organization=world.organization, parent=world.unit, name="Sales", slug="sales"
    )
    fin = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    cus = PerspectiveFactory(scorecard=world.scorecard, name="Customer", position=1)
    spare = PerspectiveFactory(scorecard=world.scorecard, name="Spare", position=2)
    grow = ObjectiveFactory(perspective=fin, code="grow", name="Grow", position=0)
    lean = ObjectiveFactory(perspective=fin, code="lean", name="Stay lean", position=1)
    happy = ObjectiveFactory(perspective=cus, code="happy", name="Happy customers")
    revenue = KpiFactory(objective=grow, code="revenue", name="Revenue")
    margin = KpiFactory(objective=grow, code="margin", name="Margin", formula="revenue * 2")
    KpiFactory(objective=happy, code="nps", name="NPS")
    initiative = InitiativeFactory(scorecard=world.scorecard, name="New shop")
    initiative.objectives.add(grow)
    task = TaskFactory(initiative=initiative, name="Pick platform", assignee=world.contributor)
    link = ObjectiveLink.objects.create(cause=happy, effect=grow)
    return Card(
        world, sales, fin, cus, spare, grow, happy, lean, revenue, margin, initiative, task, link
    )


@pytest.fixture
def card(world: Any) -> Card:
    return build_card(world)


def count_queries(client: Client, path: str) -> int:
    """Queries one GET of ``path`` makes once warm (a first visit also saves the session)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def kpi_form(**change: str) -> dict[str, str]:
    """A valid KPI form, with ``change`` applied."""
    return {
        "name": "Partners signed",
        "code": "partners",
        "optimization": "maximize",
        "minimum": "0",
        "maximum": "50",
        "weight": "1",
        "update_interval": "month",
        "time_aggregation": "sum",
        "indicator": "lagging",
        "formula_mode": "equation",
        **change,
    }


Url = Callable[[Card], str]
Data = Callable[[Card], dict[str, Any]]


def url(name: str, *args: Any) -> Url:
    """A URL builder: ``args`` may be callables taking the card (for primary keys)."""
    return lambda c: reverse(name, args=[a(c) if callable(a) else a for a in args])


def none(c: Card) -> dict[str, Any]:
    return {}


# (name, method, url, data, expected statuses)
CASES: list[tuple[str, str, Url, Data, tuple[int, ...]]] = [
    # Organization, units, members
    ("organization", "get", url("organization_detail", ORG), none, READ),
    ("unit", "get", url("unit_detail", ORG, "sales"), none, READ),
    ("unit_new", "get", url("unit_new", ORG), none, ADMIN),
    (
        "unit_new",
        "post",
        url("unit_new", ORG),
        lambda c: {"name": "Ops", "parent": c.world.unit.pk},
        ADMIN_POST,
    ),
    ("unit_edit", "get", url("unit_edit", ORG, "sales"), none, ADMIN),
    (
        "unit_edit",
        "post",
        url("unit_edit", ORG, "sales"),
        lambda c: {"name": "Sales & service", "parent": c.world.unit.pk},
        ADMIN_POST,
    ),
    ("unit_delete", "get", url("unit_delete", ORG, "sales"), none, ADMIN),
    ("unit_delete", "post", url("unit_delete", ORG, "sales"), none, ADMIN_POST),
    (
        "unit_delete_refused",
        "get",
        url("unit_delete", ORG, "northwind"),
        none,
        (409, 403, 403, 403, 404, 302),
    ),
    ("members", "get", url("members", ORG), none, ADMIN_POST),
    (
        "member_add",
        "post",
        url("member_add", ORG),
        lambda c: {"login": "newcomer", "role": "viewer"},
        ADMIN_POST,
    ),
    (
        "member_role",
        "post",
        url("member_role", ORG, lambda c: Membership.objects.get(user=c.world.viewer).pk),
        lambda c: {"role": "contributor"},
        ADMIN_POST,
    ),
    (
        "member_remove",
        "post",
        url("member_remove", ORG, lambda c: Membership.objects.get(user=c.world.viewer).pk),
        none,
        ADMIN_POST,
    ),
    # Scorecards
    ("scorecard_new", "get", url("scorecard_new", ORG), none, EDIT),
    (
        "scorecard_new",
        "post",
        url("scorecard_new", ORG),
        lambda c: {"name": "Sales 2027", "unit": c.sales.pk},
        EDIT_POST,
    ),
    ("scorecard_edit", "get", url("scorecard_edit", ORG, SC), none, EDIT),
    (
        "scorecard_edit",
        "post",
        url("scorecard_edit", ORG, SC),
        lambda c: {
            "name": "Company",
            "aggregator": "average",
            "missing_policy": "exclude",
            "score_cap": "1",
        },
        EDIT_POST,
    ),
    ("scorecard_delete", "get", url("scorecard_delete", ORG, SC), none, EDIT),
    ("scorecard_delete", "post", url("scorecard_delete", ORG, SC), none, EDIT_POST),
    # Perspectives
    ("perspective_list", "get", url("perspective_list", ORG, SC), none, READ),
    ("perspective_new", "get", url("perspective_new", ORG, SC), none, EDIT),
    (
        "perspective_new",
        "post",
        url("perspective_new", ORG, SC),
        lambda c: {"name": "Planet", "kind": "other", "weight": "1"},
        EDIT_POST,
    ),
    ("perspective_edit", "get", url("perspective_edit", ORG, SC, lambda c: c.fin.pk), none, EDIT),
    (
        "perspective_edit",
        "post",
        url("perspective_edit", ORG, SC, lambda c: c.fin.pk),
        lambda c: {"name": "Money", "kind": "financial", "weight": "2"},
        EDIT_POST,
    ),
    (
        "perspective_move",
        "post",
        url("perspective_move", ORG, SC, lambda c: c.fin.pk),
        lambda c: {"to": "down"},
        EDIT_POST,
    ),
    (
        "perspective_move",
        "get",
        url("perspective_move", ORG, SC, lambda c: c.fin.pk),
        none,
        (405, 405, 405, 405, 405, 302),
    ),
    (
        "perspective_delete",
        "get",
        url("perspective_delete", ORG, SC, lambda c: c.spare.pk),
        none,
        EDIT,
    ),
    (
        "perspective_delete",
        "post",
        url("perspective_delete", ORG, SC, lambda c: c.spare.pk),
        none,
        EDIT_POST,
    ),
    (
        "perspective_delete_refused",
        "post",
        url("perspective_delete", ORG, SC, lambda c: c.fin.pk),
        none,
        REFUSED,
    ),
    # Objectives and links
    ("objective", "get", url("objective_detail", ORG, SC, "grow"), none, READ),
    ("objective_new", "get", url("objective_new", ORG, SC), none, EDIT),
    (
        "objective_new",
        "post",
        url("objective_new", ORG, SC),
        lambda c: {"perspective": c.cus.pk, "name": "Win partners", "weight": "1"},
        EDIT_POST,
    ),
    ("objective_edit", "get", url("objective_edit", ORG, SC, "grow"), none, EDIT),
    (
        "objective_edit",
        "post",
        url("objective_edit", ORG, SC, "grow"),
        lambda c: {"perspective": c.fin.pk, "name": "Grow more", "weight": "2"},
        EDIT_POST,
    ),
    (
        "objective_move",
        "post",
        url("objective_move", ORG, SC, "lean"),
        lambda c: {"to": "up"},
        EDIT_POST,
    ),
    ("objective_delete", "get", url("objective_delete", ORG, SC, "grow"), none, EDIT),
    ("objective_delete", "post", url("objective_delete", ORG, SC, "grow"), none, EDIT_POST),
    (
        "link_add",
        "post",
        url("link_add", ORG, SC, "grow"),
        lambda c: {"direction": "drives", "other": c.lean.pk},
        EDIT_POST,
    ),
    ("link_remove", "post", url("link_remove", ORG, SC, lambda c: c.link.pk), none, EDIT_POST),
    (
        "link_remove",
        "get",
        url("link_remove", ORG, SC, lambda c: c.link.pk),
        none,
        (405, 405, 405, 405, 405, 302),
    ),
    # KPIs
    ("kpi_new", "get", url("kpi_new", ORG, SC, "grow"), none, EDIT),
    ("kpi_new", "post", url("kpi_new", ORG, SC, "grow"), lambda c: kpi_form(), EDIT_POST),
    ("kpi_edit", "get", url("kpi_edit", ORG, SC, "revenue"), none, EDIT),
    (
        "kpi_edit",
        "post",
        url("kpi_edit", ORG, SC, "revenue"),
        lambda c: kpi_form(name="Revenue", code="revenue"),
        EDIT_POST,
    ),
    ("kpi_delete", "get", url("kpi_delete", ORG, SC, "margin"), none, EDIT),
    ("kpi_delete", "post", url("kpi_delete", ORG, SC, "margin"), none, EDIT_POST),
    ("kpi_delete_refused", "post", url("kpi_delete", ORG, SC, "revenue"), none, REFUSED),
    # Initiatives and tasks
    ("initiative_list", "get", url("initiative_list", ORG, SC), none, READ),
    ("initiative_board", "get", url("initiative_board", ORG, SC), none, READ),
    ("initiative", "get", url("initiative_detail", ORG, SC, lambda c: c.initiative.pk), none, READ),
    ("initiative_new", "get", url("initiative_new", ORG, SC), none, EDIT),
    (
        "initiative_new",
        "post",
        url("initiative_new", ORG, SC),
        lambda c: {"name": "Partner days", "status": "active"},
        EDIT_POST,
    ),
    (
        "initiative_edit",
        "get",
        url("initiative_edit", ORG, SC, lambda c: c.initiative.pk),
        none,
        EDIT,
    ),
    (
        "initiative_edit",
        "post",
        url("initiative_edit", ORG, SC, lambda c: c.initiative.pk),
        lambda c: {"name": "New web shop", "status": "active"},
        EDIT_POST,
    ),
    (
        "initiative_delete",
        "get",
        url("initiative_delete", ORG, SC, lambda c: c.initiative.pk),
        none,
        EDIT,
    ),
    (
        "initiative_delete",
        "post",
        url("initiative_delete", ORG, SC, lambda c: c.initiative.pk),
        none,
        EDIT_POST,
    ),
    (
        "task_add",
        "post",
        url("task_add", ORG, SC, lambda c: c.initiative.pk),
        lambda c: {"name": "Sign contract"},
        EDIT_POST,
    ),
    ("task_edit", "get", url("task_edit", ORG, SC, lambda c: c.task.pk), none, EDIT),
    (
        "task_edit",
        "post",
        url("task_edit", ORG, SC, lambda c: c.task.pk),
        lambda c: {"name": "Choose platform"},
        EDIT_POST,
    ),
    ("task_remove", "get", url("task_remove", ORG, SC, lambda c: c.task.pk), none, EDIT),
    ("task_remove", "post", url("task_remove", ORG, SC, lambda c: c.task.pk), none, EDIT_POST),
    # The contributor is the task's assignee: they may move it along, a viewer may not.
    (
        "task_state",
        "post",
        url("task_state", ORG, SC, lambda c: c.task.pk),
        lambda c: {"state": "doing"},
        (302, 302, 302, 403, 404, 302),
    ),
]


def _id(case: tuple[Any, ...], persona: str) -> str:
    return f"{case[0]}-{case[1]}-{persona}"


@pytest.mark.parametrize(
    ("case", "persona"),
    [
        pytest.param(case, persona, id=_id(case, persona))
        for case, persona in itertools.product(CASES, PERSONAS)
    ],
)
def test_access(card: Card, case: tuple[Any, ...], persona: str) -> None:
    if persona == "admin":
        # "newcomer" exists for member_add; making them here keeps other cases unaffected.
        UserFactory(username="newcomer")
    _, method, make_url, make_data, expected = case
    client = card.world.client_for(persona)
    response = getattr(client, method)(make_url(card), make_data(card))
    wanted = expected[PERSONAS.index(persona)]
    assert response.status_code == wanted, response.content.decode()[:600]
    if persona == "anonymous" and wanted == 302:
        assert response["Location"].startswith("/login/")


def test_every_manage_url_is_in_the_table() -> None:
    """A new view without a row in CASES fails here, so access is never left untested."""
    from scorecard.web.manage import urls as manage_urls

    names = {p.name for p in manage_urls.urlpatterns}
    covered = {case[0].removesuffix("_refused") for case in CASES}
    aliases = {
        "organization": "organization_detail",
        "unit": "unit_detail",
        "objective": "objective_detail",
        "initiative": "initiative_detail",
    }
    covered = {aliases.get(name, name) for name in covered}
    assert names - covered == set()


def test_refused_writes_change_nothing(card: Card) -> None:
    """Contributors, viewers and outsiders post everywhere; the database stays as it was."""
    before = (
        Scorecard.objects.count(),
        Perspective.objects.count(),
        Objective.objects.count(),
        Kpi.objects.count(),
        ObjectiveLink.objects.count(),
        Initiative.objects.count(),
        Task.objects.count(),
        Unit.objects.count(),
        Membership.objects.count(),
    )
    for persona in ["contributor", "viewer", "outsider"]:
        client = card.world.client_for(persona)
        for name, method, make_url, make_data, _ in CASES:
            if method == "post" and name != "task_state":
                client.post(make_url(card), make_data(card))
    after = (
        Scorecard.objects.count(),
        Perspective.objects.count(),
        Objective.objects.count(),
        Kpi.objects.count(),
        ObjectiveLink.objects.count(),
        Initiative.objects.count(),
        Task.objects.count(),
        Unit.objects.count(),
        Membership.objects.count(),
    )
    assert after == before
    card.grow.refresh_from_db()
    assert card.grow.name == "Grow"


def test_posts_need_the_csrf_token(card: Card) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(card.world.editor)
    response = client.post(reverse("objective_delete", args=[ORG, SC, "grow"]))
    assert response.status_code == 403
    assert Objective.objects.filter(code="grow").exists()


def test_another_organizations_items_are_not_found(card: Card) -> None:
    """An admin of Rival Gear guessing Northwind's ids and codes gets 404 everywhere."""
    client = card.world.client_for("outsider")
    for path in [
        f"/o/rival/s/{SC}/objective/grow/",
        reverse("initiative_detail", args=[ORG, SC, card.initiative.pk]),
        reverse("unit_detail", args=["rival", "sales"]),
    ]:
        assert client.get(path).status_code == 404, path
