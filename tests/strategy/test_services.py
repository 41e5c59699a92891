"""Strategy services: scorecards, perspectives, objectives, links and their ordering."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from scorecard.kpis.models import Kpi
from scorecard.strategy.models import Objective, ObjectiveLink, Perspective, Scorecard
from scorecard.strategy.services import (
    link_create,
    link_delete,
    objective_create,
    objective_delete,
    objective_move,
    objective_update,
    perspective_create,
    perspective_delete,
    perspective_move,
    perspective_update,
    scorecard_create,
    scorecard_delete,
    scorecard_update,
)
from tests.factories import (
    KpiFactory,
    ObjectiveFactory,
    OrganizationFactory,
    PerspectiveFactory,
    ScorecardFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def test_scorecard_create_with_default_perspectives_in_order() -> None:
    unit = UnitFactory()
    scorecard = scorecard_create(organization=unit.organization, unit=unit, name="Sales 2027")
    assert scorecard.slug == "sales-2027"
    assert list(scorecard.perspectives.values_list("name", "position")) == [
        ("Financial", 0),
        ("Customer", 1),
        ("Internal processes", 2),
        ("Learning & growth", 3),
    ]


def test_scorecard_create_refuses_foreign_units_and_taken_names() -> None:
    unit = UnitFactory()
    with pytest.raises(ValidationError, match="another organization"):
        scorecard_create(organization=OrganizationFactory(), unit=unit, name="X")
    scorecard_create(organization=unit.organization, unit=unit, name="Company")
    with pytest.raises(ValidationError, match="exists already"):
        scorecard_create(organization=unit.organization, unit=unit, name="Company")
    assert Scorecard.objects.count() == 1


def test_scorecard_update_validates_the_cap() -> None:
    scorecard = ScorecardFactory()
    with pytest.raises(ValidationError):
        scorecard_update(scorecard=scorecard, score_cap=0.5)
    scorecard.refresh_from_db()
    assert scorecard.score_cap == 1.0
    scorecard_update(scorecard=scorecard, name="Renamed", aggregator="min")
    scorecard.refresh_from_db()
    assert (scorecard.name, scorecard.aggregator) == ("Renamed", "min")


def test_scorecard_delete_takes_everything_but_keeps_children() -> None:
    kpi = KpiFactory()
    scorecard = kpi.scorecard
    child = ScorecardFactory(organization=scorecard.organization, parent=scorecard)
    scorecard_delete(scorecard=scorecard)
    assert not Kpi.objects.exists()
    assert not Perspective.objects.filter(scorecard__slug=scorecard.slug).exists()
    child.refresh_from_db()
    assert child.parent is None


def test_perspective_weights_and_names() -> None:
    scorecard = ScorecardFactory()
    with pytest.raises(ValidationError, match="greater than zero"):
        perspective_create(scorecard=scorecard, name="Zero", weight=0)
    first = perspective_create(scorecard=scorecard, name="Money")
    with pytest.raises(ValidationError, match="already has"):
        perspective_create(scorecard=scorecard, name="Money")
    with pytest.raises(ValidationError, match="greater than zero"):
        perspective_update(perspective=first, weight=-1)
    perspective_update(perspective=first, name="Finance", weight=2)
    first.refresh_from_db()
    assert (first.name, first.weight) == ("Finance", 2)


def test_perspective_with_objectives_is_not_deleted() -> None:
    objective = ObjectiveFactory()
    with pytest.raises(ValidationError, match="still has 1 objective"):
        perspective_delete(perspective=objective.perspective)
    objective_delete(objective=objective)
    perspective_delete(perspective=objective.perspective)
    assert not Perspective.objects.exists()


def test_moving_perspectives_and_objectives_renumbers_them() -> None:
    scorecard = ScorecardFactory()
    a, b, c = (
        PerspectiveFactory(scorecard=scorecard, name=n, position=i * 5) for i, n in enumerate("abc")
    )
    perspective_move(perspective=c, up=True)
    perspective_move(perspective=a, up=True)  # already on top: nothing happens
    names = list(scorecard.perspectives.order_by("position").values_list("name", "position"))
    assert names == [("a", 0), ("c", 1), ("b", 2)]
    x = objective_create(perspective=b, name="X")
    y = objective_create(perspective=b, name="Y")
    objective_move(objective=x, up=False)
    assert list(b.objectives.order_by("position").values_list("code", flat=True)) == ["y", "x"]
    objective_move(objective=x, up=False)  # already last
    y.refresh_from_db()
    assert y.position == 0


def test_objective_codes_and_weights() -> None:
    perspective = PerspectiveFactory()
    objective = objective_create(perspective=perspective, name="Grow revenue", weight=2)
    assert objective.code == "grow-revenue"
    with pytest.raises(ValidationError, match="uses the code"):
        objective_create(perspective=perspective, name="Grow revenue")
    with pytest.raises(ValidationError, match="greater than zero"):
        objective_create(perspective=perspective, name="Other", weight=0)
    with pytest.raises(ValidationError, match="another scorecard"):
        objective_update(objective=objective, perspective=PerspectiveFactory())
    assert Objective.objects.count() == 1


def test_links_between_objectives_of_one_map() -> None:
    cause = ObjectiveFactory()
    effect = ObjectiveFactory(perspective=cause.perspective)
    link = link_create(cause=cause, effect=effect)
    with pytest.raises(ValidationError, match="already leads"):
        link_create(cause=cause, effect=effect)
    with pytest.raises(ValidationError, match="cannot cause itself"):
        link_create(cause=cause, effect=cause)
    with pytest.raises(ValidationError, match="same strategy map"):
        link_create(cause=cause, effect=ObjectiveFactory())
    link_delete(link=link)
    assert not ObjectiveLink.objects.exists()
