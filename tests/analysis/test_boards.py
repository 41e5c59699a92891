"""SWOT and PESTEL boards: items with their checks, and items turned into objectives that
keep the link (shown on the objective's page)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from scorecard.analysis.models import AnalysisItem
from scorecard.analysis.selectors import board_columns, items_of_objective
from scorecard.analysis.services import item_add, item_delete, item_to_objective
from scorecard.strategy.models import Objective
from tests.conftest import World
from tests.factories import PerspectiveFactory, ScorecardFactory

pytestmark = pytest.mark.django_db


def test_items_go_to_their_category_in_order(world: World) -> None:
    first = item_add(scorecard=world.scorecard, board="swot", category="strength", text=" Brand ")
    second = item_add(scorecard=world.scorecard, board="swot", category="strength", text="Shops")
    threat = item_add(scorecard=world.scorecard, board="swot", category="threat", text="Rival")
    columns = board_columns(scorecard=world.scorecard, board="swot")
    assert [c.label for c in columns] == ["Strengths", "Weaknesses", "Opportunities", "Threats"]
    assert columns[0].items == [first, second] and columns[3].items == [threat]
    assert first.text == "Brand"
    pestel = board_columns(scorecard=world.scorecard, board="pestel")
    assert [c.category for c in pestel] == [
        "political", "economic", "social", "technological", "environmental", "legal",
    ]  # fmt: skip
    item_delete(item=second)
    assert board_columns(scorecard=world.scorecard, board="swot")[0].items == [first]


@pytest.mark.parametrize(
    ("board", "category", "text", "message"),
    [
        ("bcg", "star", "x", "“bcg” is not a board"),
        ("swot", "economic", "x", "A SWOT board has no “economic”"),
        ("pestel", "legal", "  ", "Write what the item says"),
        ("swot", "threat", "x" * 501, "at most 500 characters"),
    ],
)
def test_bad_items_are_refused(
    world: World, board: str, category: str, text: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        item_add(scorecard=world.scorecard, board=board, category=category, text=text)
    assert message in str(caught.value)
    assert not AnalysisItem.objects.exists()


def test_an_item_becomes_an_objective_that_keeps_the_link(world: World) -> None:
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Customer")
    item = item_add(
        scorecard=world.scorecard, board="pestel", category="environmental",
        text="Customers want repairable gear",
    )  # fmt: skip
    objective = item_to_objective(item=item, perspective=perspective, name="Offer repairs")
    assert objective.scorecard_id == world.scorecard.pk and objective.perspective == perspective
    assert "From the PESTEL analysis (Environmental)" in objective.description
    assert items_of_objective(objective=objective) == [item]
    with pytest.raises(ValidationError, match="already made"):
        item_to_objective(item=item, perspective=perspective)
    sales = ScorecardFactory(organization=world.organization, unit=world.unit, slug="sales")
    other = PerspectiveFactory(scorecard=sales)
    fresh = item_add(scorecard=world.scorecard, board="swot", category="weakness", text="Slow")
    with pytest.raises(ValidationError, match="perspective of the item's scorecard"):
        item_to_objective(item=fresh, perspective=other)
    # Deleting the objective keeps the item (without its link); deleting the item keeps the
    # objective.
    Objective.objects.filter(pk=objective.pk).delete()
    item.refresh_from_db()
    assert item.objective is None


def test_board_pages_and_making_an_objective_in_the_browser(world: World) -> None:
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Customer")
    editor = world.client_for("editor")
    base = "/o/northwind/s/company/analysis/"
    assert (
        editor.post(f"{base}swot/add/", {"category": "opportunity", "text": "Rental market"})[
            "Location"
        ]
        == f"{base}swot/"
    )
    refused = editor.post(f"{base}swot/add/", {"category": "opportunity", "text": ""}, follow=True)
    assert "Write what the item says." in refused.content.decode()
    page = world.client_for("viewer").get(f"{base}swot/").content.decode()
    assert "Rental market" in page and "Make an objective" not in page  # viewers only read
    assert world.client_for("viewer").get(f"{base}bcg/").status_code == 404
    item = AnalysisItem.objects.get()
    made = editor.post(f"{base}items/{item.pk}/objective/", {"perspective": perspective.pk})
    objective = Objective.objects.get(scorecard=world.scorecard)
    assert made["Location"] == f"/o/northwind/s/company/objective/{objective.code}/"
    shown = world.client_for("viewer").get(made["Location"]).content.decode()
    assert "Where it comes from" in shown and "SWOT · Opportunities" in shown
    assert "Rental market" in shown
    board = world.client_for("viewer").get(f"{base}swot/").content.decode()
    assert f"/objective/{objective.code}/" in board
