"""The window-target rule, the unit rollup rule, creation dates and the minimum coverage
through the API (issue 13)."""

from __future__ import annotations

from scorecard.kpis.models import Kpi
from scorecard.strategy.models import Scorecard

from .conftest import ApiWorld, Stuff

V1 = "/api/v1"


def test_a_kpi_gets_and_changes_its_rules(api: ApiWorld, stuff: Stuff) -> None:
    client = api.client("editor")
    made = client.post(
        f"{V1}/kpis",
        {"objective": stuff.objective.pk, "code": "share", "name": "Share", "unit": "%",
         "minimum": 0, "target": 40, "time_aggregation": "average"},
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["target_aggregation"], body["unit_rollup"]) == ("auto", "auto")
    assert body["created_at"].startswith("2026-")  # made now (the clock's "now")
    changed = client.patch(
        f"{V1}/kpis/{body['id']}", {"target_aggregation": "last", "unit_rollup": "max"}
    )
    assert changed.status_code == 200, changed.json()
    kpi = Kpi.objects.get(pk=body["id"])
    assert (kpi.target_aggregation, kpi.unit_rollup) == ("last", "max")


def test_equation_needs_a_formula(api: ApiWorld, stuff: Stuff) -> None:
    response = api.client("editor").post(
        f"{V1}/kpis",
        {"objective": stuff.objective.pk, "code": "plain", "name": "Plain", "minimum": 0,
         "target": 5, "target_aggregation": "equation"},
    )  # fmt: skip
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["loc"] == ["body", "target_aggregation"]
    assert "needs a formula" in str(error)
    assert not Kpi.objects.filter(code="plain").exists()


def test_unknown_rule_is_refused(api: ApiWorld, stuff: Stuff) -> None:
    response = api.client("editor").patch(
        f"{V1}/kpis/{stuff.kpi.pk}", {"target_aggregation": "median"}
    )
    assert response.status_code == 422


def test_minimum_coverage_of_a_scorecard(api: ApiWorld, stuff: Stuff) -> None:
    card = stuff.kpi.scorecard
    client = api.client("admin")
    assert client.get(f"{V1}/scorecards/{card.pk}").json()["min_coverage"] == 0
    assert client.patch(f"{V1}/scorecards/{card.pk}", {"min_coverage": 0.5}).status_code == 200
    assert Scorecard.objects.get(pk=card.pk).min_coverage == 0.5
    too_much = client.patch(f"{V1}/scorecards/{card.pk}", {"min_coverage": 1.5})
    assert too_much.status_code == 422
    assert Scorecard.objects.get(pk=card.pk).min_coverage == 0.5


def test_objectives_show_their_creation_date(api: ApiWorld, stuff: Stuff) -> None:
    body = api.client("viewer").get(f"{V1}/objectives/{stuff.objective.pk}").json()
    assert body["created_at"]
