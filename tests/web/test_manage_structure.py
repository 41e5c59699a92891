"""Scorecards, perspectives, objectives and cause-effect links through real requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.strategy.models import Objective, ObjectiveLink, Perspective, Scorecard
from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    MeasurementFactory,
    ObjectiveFactory,
    ScorecardFactory,
)
from tests.web.test_manage_access import ORG, SC, build_card, count_queries

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


@pytest.fixture
def card(world: Any) -> Any:
    return build_card(world)


@pytest.fixture
def editor(card: Any) -> Any:
    return card.world.client_for("editor")


# Scorecards ---------------------------------------------------------------------------


def test_create_a_scorecard_with_four_perspectives(card: Any, editor: Any) -> None:
    response = editor.post(
        reverse("scorecard_new", args=[ORG]),
        {
            "name": "Sales 2027",
            "unit": card.sales.pk,
            "parent": card.world.scorecard.pk,
            "vision": "Every shop a friend",
        },
    )
    assert response.status_code == 302
    scorecard = Scorecard.objects.get(slug="sales-2027")
    assert (scorecard.unit, scorecard.parent) == (card.sales, card.world.scorecard)
    assert list(scorecard.perspectives.values_list("name", flat=True)) == [
        "Financial",
        "Customer",
        "Internal processes",
        "Learning & growth",
    ]


def test_scorecard_name_must_be_free(card: Any, editor: Any) -> None:
    response = editor.post(
        reverse("scorecard_new", args=[ORG]), {"name": "Company", "unit": card.sales.pk}
    )
    assert response.status_code == 422
    assert "exists already" in response.content.decode()
    assert Scorecard.objects.count() == 1


def test_edit_vision_mission_and_rollup(card: Any, editor: Any) -> None:
    response = editor.post(
        reverse("scorecard_edit", args=[ORG, SC]),
        {
            "name": "Company 2027",
            "vision": "Outdoors for all",
            "mission": "Gear that lasts",
            "aggregator": "worst_child",
            "missing_policy": "zero",
            "score_cap": "1.2",
        },
    )
    assert response.status_code == 302
    scorecard = Scorecard.objects.get(pk=card.world.scorecard.pk)
    assert (scorecard.name, scorecard.vision, scorecard.aggregator, scorecard.score_cap) == (
        "Company 2027",
        "Outdoors for all",
        "worst_child",
        1.2,
    )
    assert scorecard.slug == "company"  # addresses stay


def test_score_cap_below_one_is_refused(card: Any, editor: Any) -> None:
    response = editor.post(
        reverse("scorecard_edit", args=[ORG, SC]),
        {
            "name": "Company",
            "aggregator": "average",
            "missing_policy": "exclude",
            "score_cap": "0.5",
        },
    )
    assert response.status_code == 422
    assert "greater than or equal to 1" in response.content.decode()
    assert Scorecard.objects.get().aggregator == "weighted_average"


def test_delete_scorecard_says_what_is_lost(card: Any, editor: Any) -> None:
    MeasurementFactory(kpi=card.revenue)
    child = ScorecardFactory(
        organization=card.world.organization, unit=card.sales, parent=card.world.scorecard
    )
    url = reverse("scorecard_delete", args=[ORG, SC])
    page = editor.get(url).content.decode()
    for loss in [
        "3 perspectives",
        "3 objectives",
        "3 KPIs",
        "1 recorded value",
        "1 initiative",
        "1 cascaded scorecard",
    ]:
        assert loss in page, loss
    assert editor.post(url).status_code == 302
    assert not Scorecard.objects.filter(pk=card.world.scorecard.pk).exists()
    assert Kpi.objects.count() == 0 and Initiative.objects.count() == 0
    child.refresh_from_db()
    assert child.parent is None


# Perspectives --------------------------------------------------------------------------


def test_add_rename_and_reweigh_a_perspective(card: Any, editor: Any) -> None:
    editor.post(
        reverse("perspective_new", args=[ORG, SC]),
        {"name": "Planet", "kind": "other", "weight": "0.5"},
    )
    planet = Perspective.objects.get(name="Planet")
    assert (planet.position, planet.weight) == (3, 0.5)
    response = editor.post(
        reverse("perspective_edit", args=[ORG, SC, planet.pk]),
        {"name": "Planet & people", "kind": "other", "weight": "2"},
    )
    assert response.status_code == 302
    planet.refresh_from_db()
    assert (planet.name, planet.weight) == ("Planet & people", 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Planet", "kind": "other", "weight": "0"}, "greater than zero"),
        ({"name": "Planet", "kind": "other", "weight": "-2"}, "greater than zero"),
        ({"name": "Customer", "kind": "other", "weight": "1"}, "already has a perspective"),
        ({"name": "", "kind": "other", "weight": "1"}, "This field is required"),
    ],
)
def test_perspective_problems_are_explained(card: Any, editor: Any, data: dict, message: str):
    response = editor.post(reverse("perspective_new", args=[ORG, SC]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Perspective.objects.count() == 3


def test_reorder_perspectives_with_htmx(card: Any, editor: Any) -> None:
    url = reverse("perspective_move", args=[ORG, SC, card.cus.pk])
    response = editor.post(url, {"to": "up"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="structure"' in html
    assert html.index("Customer") < html.index("Financial")
    order = list(Perspective.objects.order_by("position").values_list("name", flat=True))
    assert order == ["Customer", "Financial", "Spare"]
    # Without JavaScript the same form posts and comes back to the page.
    response = editor.post(url, {"to": "down"})
    assert response.status_code == 302
    assert Perspective.objects.order_by("position").first().name == "Financial"


def test_top_perspective_cannot_move_further_up(card: Any, editor: Any) -> None:
    editor.post(reverse("perspective_move", args=[ORG, SC, card.fin.pk]), {"to": "up"})
    names = list(Perspective.objects.order_by("position").values_list("name", flat=True))
    assert names == ["Financial", "Customer", "Spare"]


def test_perspective_with_objectives_cannot_be_deleted(card: Any, editor: Any) -> None:
    url = reverse("perspective_delete", args=[ORG, SC, card.fin.pk])
    page = editor.get(url)
    assert page.status_code == 409
    assert "still has 2 objectives" in page.content.decode()
    response = editor.post(url)
    assert response.status_code == 409
    assert Perspective.objects.filter(pk=card.fin.pk).exists()
    assert (
        editor.post(reverse("perspective_delete", args=[ORG, SC, card.spare.pk])).status_code == 302
    )
    assert not Perspective.objects.filter(pk=card.spare.pk).exists()


# Objectives ----------------------------------------------------------------------------


def test_create_an_objective(card: Any, editor: Any) -> None:
    response = editor.post(
        reverse("objective_new", args=[ORG, SC]),
        {
            "perspective": card.cus.pk,
            "name": "Win partners",
            "owner": card.world.editor.pk,
            "weight": "2",
            "due_date": "2027-06-30",
            "description": "Ten partners by summer",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("objective_detail", args=[ORG, SC, "win-partners"])
    objective = Objective.objects.get(code="win-partners")
    assert (objective.perspective, objective.owner, objective.weight, objective.due_date) == (
        card.cus,
        card.world.editor,
        2,
        dt.date(2027, 6, 30),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weight": "0"}, "A weight must be greater than zero."),
        ({"weight": "heavy"}, "Enter a number."),
        ({"name": ""}, "This field is required."),
        ({"code": "grow"}, "uses the code “grow”"),
        ({"due_date": "30.06.2027"}, "Enter a valid date."),
        ({"perspective": "999999"}, "Select a valid choice."),
    ],
)
def test_objective_problems_are_shown_next_to_the_field(card: Any, editor: Any, change, message):
    data = {"perspective": card.cus.pk, "name": "Win partners", "weight": "1", **change}
    response = editor.post(reverse("objective_new", args=[ORG, SC]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert Objective.objects.count() == 3


def test_owner_must_be_a_member(card: Any, editor: Any) -> None:
    data = {
        "perspective": card.cus.pk,
        "name": "Win",
        "weight": "1",
        "owner": card.world.outsider.pk,
    }
    response = editor.post(reverse("objective_new", args=[ORG, SC]), data)
    assert response.status_code == 422
    assert "outsider" not in response.content.decode()


def test_edit_an_objective_and_move_it_to_another_perspective(card: Any, editor: Any) -> None:
    response = editor.post(
        reverse("objective_edit", args=[ORG, SC, "grow"]),
        {"perspective": card.cus.pk, "name": "Grow profitably", "weight": "3", "code": "grow"},
    )
    assert response.status_code == 302
    card.grow.refresh_from_db()
    assert (card.grow.name, card.grow.perspective, card.grow.weight) == (
        "Grow profitably",
        card.cus,
        3,
    )


def test_reorder_objectives_with_htmx(card: Any, editor: Any) -> None:
    response = editor.post(
        reverse("objective_move", args=[ORG, SC, "lean"]), {"to": "up"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.index("Stay lean") < html.index(">Grow<")
    codes = list(Objective.objects.filter(perspective=card.fin).values_list("code", flat=True))
    assert codes == ["lean", "grow"]


def test_move_without_htmx_returns_to_the_page_it_came_from(card: Any, editor: Any) -> None:
    back = reverse("perspective_list", args=[ORG, SC])
    response = editor.post(
        reverse("objective_move", args=[ORG, SC, "lean"]), {"to": "up", "next": back}
    )
    assert response["Location"] == back
    response = editor.post(
        reverse("objective_move", args=[ORG, SC, "lean"]),
        {"to": "up", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith(reverse("scorecard_detail", args=[ORG, SC]))


def test_delete_objective_lists_kpis_values_and_links(card: Any, editor: Any) -> None:
    MeasurementFactory(kpi=card.revenue)
    url = reverse("objective_delete", args=[ORG, SC, "grow"])
    page = editor.get(url).content.decode()
    for loss in [
        "the KPI “Revenue”",
        "the KPI “Margin”",
        "1 recorded value",
        "1 cause-effect link",
    ]:
        assert loss in page
    assert editor.post(url).status_code == 302
    assert not Objective.objects.filter(code="grow").exists()
    assert not Kpi.objects.filter(code__in=["revenue", "margin"]).exists()
    assert ObjectiveLink.objects.count() == 0


def test_objective_page_shows_facts_kpis_links_and_initiatives(card: Any) -> None:
    card.grow.description = "Sell more, sell better"
    card.grow.owner = card.world.editor
    card.grow.due_date = dt.date(2027, 12, 31)
    card.grow.save()
    html = (
        card.world.client_for("viewer")
        .get(reverse("objective_detail", args=[ORG, SC, "grow"]))
        .content.decode()
    )
    for text in [
        "Sell more, sell better",
        card.world.editor.get_full_name(),
        "31 Dec 2027",
        "Revenue",
        "Margin",
        "Happy customers",
        "New shop",
    ]:
        assert text in html, text
    assert "Add a KPI" not in html and "Add link" not in html  # viewers only read


def test_bad_period_parameters_are_explained_on_the_objective_page(card: Any) -> None:
    html = (
        card.world.client_for("viewer")
        .get(reverse("objective_detail", args=[ORG, SC, "grow"]) + "?as_of=soon&view=decade")
        .content.decode()
    )
    assert "is not a date" in html and "is not a period choice" in html


# Cause-effect links -------------------------------------------------------------------


def test_add_links_in_both_directions_and_remove_one(card: Any, editor: Any) -> None:
    url = reverse("link_add", args=[ORG, SC, "grow"])
    assert editor.post(url, {"direction": "drives", "other": card.lean.pk}).status_code == 302
    assert ObjectiveLink.objects.filter(cause=card.grow, effect=card.lean).exists()
    extra = ObjectiveFactory(perspective=card.cus, code="reach", name="Reach")
    assert editor.post(url, {"direction": "driven_by", "other": extra.pk}).status_code == 302
    link = ObjectiveLink.objects.get(cause=extra, effect=card.grow)
    page = editor.get(reverse("objective_detail", args=[ORG, SC, "grow"])).content.decode()
    assert "Reach" in page and "Stay lean" in page
    response = editor.post(
        reverse("link_remove", args=[ORG, SC, link.pk]),
        {"next": reverse("objective_detail", args=[ORG, SC, "grow"])},
    )
    assert response["Location"] == reverse("objective_detail", args=[ORG, SC, "grow"])
    assert not ObjectiveLink.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize(
    ("other", "message"),
    [
        ("self", "Select a valid choice"),  # not offered: an objective cannot cause itself
        ("happy", "Select a valid choice"),  # already linked
        ("foreign", "Select a valid choice"),  # another scorecard's objective
        ("", "This field is required"),
    ],
)
def test_bad_links_are_refused_next_to_the_select(card: Any, editor: Any, other: str, message):
    foreign = ObjectiveFactory(code="elsewhere")
    ids = {"self": card.grow.pk, "happy": card.happy.pk, "foreign": foreign.pk, "": ""}
    response = editor.post(
        reverse("link_add", args=[ORG, SC, "grow"]), {"direction": "driven_by", "other": ids[other]}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and 'id="id_other_error"' in html
    assert ObjectiveLink.objects.count() == 1


def test_link_of_another_scorecard_is_not_found(card: Any, editor: Any) -> None:
    theirs = ObjectiveLink.objects.create(cause=ObjectiveFactory(), effect=ObjectiveFactory())
    response = editor.post(reverse("link_remove", args=[ORG, SC, theirs.pk]))
    assert response.status_code == 404
    assert ObjectiveLink.objects.filter(pk=theirs.pk).exists()


# Escaping and queries ------------------------------------------------------------------


def test_user_text_is_escaped_on_every_manage_page(card: Any) -> None:
    for item in [card.grow, card.fin, card.revenue, card.initiative, card.task]:
        item.name = XSS
        item.save()
    card.grow.description = XSS
    card.grow.save()
    client = card.world.client_for("editor")
    pages = [
        reverse("objective_detail", args=[ORG, SC, "grow"]),
        reverse("objective_detail", args=[ORG, SC, "happy"]),
        reverse("objective_edit", args=[ORG, SC, "grow"]),
        reverse("objective_delete", args=[ORG, SC, "grow"]),
        reverse("perspective_list", args=[ORG, SC]),
        reverse("kpi_edit", args=[ORG, SC, "revenue"]),
        reverse("initiative_list", args=[ORG, SC]),
        reverse("initiative_board", args=[ORG, SC]),
        reverse("initiative_detail", args=[ORG, SC, card.initiative.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert XSS not in html, url
        assert "&lt;script&gt;" in html, url


def test_objective_page_in_constant_queries(card: Any) -> None:
    client = card.world.client_for("editor")
    url = reverse("objective_detail", args=[ORG, SC, "grow"])
    few = count_queries(client, url)
    others = [ObjectiveFactory(perspective=card.cus, code=f"o{i}") for i in range(25)]
    for i, other in enumerate(others):
        ObjectiveLink.objects.create(cause=other, effect=card.grow)
        KpiFactory(objective=card.grow, code=f"k{i}", owner=card.world.viewer)
        MeasurementFactory(kpi=Kpi.objects.get(code=f"k{i}"))
        initiative = InitiativeFactory(scorecard=card.world.scorecard, owner=card.world.editor)
        initiative.objectives.add(card.grow, other)
    many = count_queries(client, url)
    assert many == few, (few, many)
    html = client.get(url).content.decode()
    assert html.count("/initiatives/") >= 26


def test_structure_page_in_constant_queries(card: Any) -> None:
    client = card.world.client_for("editor")
    url = reverse("perspective_list", args=[ORG, SC])
    few = count_queries(client, url)
    for i in range(30):
        objective = ObjectiveFactory(perspective=card.cus, code=f"x{i}")
        KpiFactory(objective=objective, code=f"kx{i}")
    assert count_queries(client, url) == few
