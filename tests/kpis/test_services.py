"""KPI definition services: the engine checks scales and formulas before anything is saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from scorecard.kpis.models import Kpi
from scorecard.kpis.services import kpi_create, kpi_delete, kpi_update
from tests.factories import KpiFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def scale(**fields):
    return {"minimum": 0.0, "maximum": 100.0, **fields}


def test_create_a_kpi() -> None:
    objective = ObjectiveFactory()
    kpi = kpi_create(objective=objective, code="nps", name="NPS", target=60.0, **scale())
    assert (kpi.scorecard_id, kpi.objective_id, kpi.target) == (
        objective.scorecard_id,
        objective.pk,
        60.0,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (scale(minimum=5.0, maximum=5.0), "nothing to measure on"),
        (scale(optimization="percent_of_target", target=0.0), "target above zero"),
        (scale(weight=0.0), "weight"),
        (scale(formula="ghost * 2"), "unknown KPI code(s): ghost"),
        (scale(formula="1 +"), "cannot be read"),
    ],
)
def test_create_refuses_what_the_engine_cannot_score(fields: dict, message: str) -> None:
    objective = ObjectiveFactory()
    with pytest.raises(ValidationError) as caught:
        kpi_create(objective=objective, code="new", name="New KPI", **fields)
    text = " ".join(caught.value.messages)
    assert message in text
    assert Kpi.objects.count() == 0


def test_formula_messages_name_the_kpi() -> None:
    objective = ObjectiveFactory()
    with pytest.raises(ValidationError, match="New KPI"):
        kpi_create(objective=objective, code="new", name="New KPI", formula="1 +", **scale())


def test_codes_are_unique_per_scorecard() -> None:
    existing = KpiFactory(code="revenue")
    with pytest.raises(ValidationError, match="uses the code"):
        kpi_create(objective=existing.objective, code="revenue", name="Again", **scale())
    # Another scorecard may use the same code.
    kpi_create(objective=ObjectiveFactory(), code="revenue", name="Theirs", **scale())


def test_update_refuses_a_cycle_and_saves_nothing() -> None:
    revenue = KpiFactory(code="revenue")
    KpiFactory(objective=revenue.objective, code="margin", formula="revenue * 2")
    with pytest.raises(ValidationError, match="cycle"):
        kpi_update(kpi=revenue, formula="margin / 2", name="Changed")
    assert Kpi.objects.get(code="revenue").formula == ""
    assert Kpi.objects.get(code="revenue").name != "Changed"


def test_update_cannot_move_to_another_scorecard() -> None:
    kpi = KpiFactory()
    with pytest.raises(ValidationError, match="another scorecard"):
        kpi_update(kpi=kpi, objective=ObjectiveFactory())


def test_delete_refuses_while_a_formula_uses_it() -> None:
    revenue = KpiFactory(code="revenue", name="Revenue")
    margin = KpiFactory(
        objective=revenue.objective, code="margin", name="Margin", formula="revenue * 2"
    )
    with pytest.raises(ValidationError, match="used in the formula of: Margin"):
        kpi_delete(kpi=revenue)
    kpi_delete(kpi=margin)
    kpi_delete(kpi=revenue)
    assert not Kpi.objects.exists()
