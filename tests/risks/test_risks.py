"""The risk register: services with their checks, the heat map, the health check's
"high risk with no mitigation", the pages and the API (docs/risks.md)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from scorecard.health.checks import scorecard_health
from scorecard.risks.models import Risk, level_of
from scorecard.risks.selectors import heat_map, risks_for_objective, unmitigated_high_risks
from scorecard.risks.services import risk_create, risk_delete, risk_update
from tests.api.conftest import ApiWorld
from tests.conftest import World
from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    ScorecardFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(world: World) -> dict[str, Any]:
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Internal")
    objective = ObjectiveFactory(perspective=perspective, code="supply", name="Reliable supply")
    kpi = KpiFactory(objective=objective, code="otd", name="On-time delivery")
    plan = InitiativeFactory(scorecard=world.scorecard, name="Second supplier")
    return {"objective": objective, "kpi": kpi, "initiative": plan}


@pytest.mark.parametrize(
    ("score", "level"),
    [(1, "low"), (4, "low"), (5, "medium"), (9, "medium"), (10, "high"), (16, "high"),
     (20, "critical"), (25, "critical"), (None, "")],
)  # fmt: skip
def test_levels(score: int | None, level: str) -> None:
    assert level_of(score) == level


def test_create_update_delete(world: World, things: dict[str, Any]) -> None:
    risk = risk_create(
        scorecard=world.scorecard, title="  Supplier goes bankrupt ", cause="One supplier",
        consequence="No stock", owner=world.editor, likelihood=3, impact=5,
        objectives=[things["objective"]], kpis=[things["kpi"]], review_on=dt.date(2027, 3, 1),
    )  # fmt: skip
    assert (risk.title, risk.score, risk.level, risk.score_after) == (
        "Supplier goes bankrupt", 15, "high", None,
    )  # fmt: skip
    assert risks_for_objective(objective=things["objective"]) == [risk]
    risk_update(risk=risk, likelihood_after=1, impact_after=4, initiatives=[things["initiative"]])
    risk.refresh_from_db()
    assert (risk.score_after, risk.level_after) == (4, "low")
    assert list(risk.objectives.all()) == [things["objective"]]  # links not given stay
    assert list(risk.initiatives.all()) == [things["initiative"]]
    risk_delete(risk=risk)
    assert not Risk.objects.exists()
    assert things["objective"].pk and things["initiative"].pk  # the links' rows stay


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": " "}, "title", "Give the risk a title"),
        ({"likelihood": 6}, "likelihood", "rated from 1 to 5, not “6”"),
        ({"impact": None}, "impact", "Rate the impact from 1 to 5"),
        ({"likelihood_after": 2}, "impact_after", "or neither"),
        ({"review_on": "soon"}, "review_on", "must be a date"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    world: World, fields: dict[str, Any], field: str, message: str
) -> None:
    data = {"title": "Storm", "likelihood": 2, "impact": 2, **fields}
    with pytest.raises(ValidationError) as caught:
        risk_create(scorecard=world.scorecard, **data)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Risk.objects.exists()


def test_links_and_owner_must_belong_to_the_scorecard(world: World, things: dict[str, Any]) -> None:
    other = ScorecardFactory(organization=world.organization, unit=world.unit, slug="sales")
    foreign = InitiativeFactory(scorecard=other, name="Elsewhere")
    with pytest.raises(ValidationError) as caught:
        risk_create(
            scorecard=world.scorecard, title="Storm", likelihood=2, impact=2,
            initiatives=[foreign], owner=world.outsider,
        )  # fmt: skip
    errors = caught.value.message_dict
    assert "Elsewhere" in errors["initiatives"][0]
    assert "member of the organization" in errors["owner"][0]


def test_heat_map_places_each_risk_by_likelihood_and_impact(world: World) -> None:
    a = risk_create(scorecard=world.scorecard, title="A", likelihood=5, impact=1)
    b = risk_create(
        scorecard=world.scorecard, title="B", likelihood=5, impact=1, likelihood_after=1,
        impact_after=1,
    )  # fmt: skip
    c = risk_create(scorecard=world.scorecard, title="C", likelihood=2, impact=4)
    before = heat_map([a, b, c])
    top_likelihood, _, cells = before.rows[0]
    assert top_likelihood == 5 and [len(cell.risks) for cell in cells] == [2, 0, 0, 0, 0]
    assert cells[0].level == "medium"  # 5 × 1
    assert {cell.impact: cell.risks for cell in before.rows[3][2]}[4] == (c,)
    after = heat_map([a, b, c], after=True)
    assert after.unrated == 2 and after.rows[-1][2][0].risks == (b,)


def test_health_check_flags_a_high_risk_with_no_mitigation(
    world: World, things: dict[str, Any]
) -> None:
    high = risk_create(
        scorecard=world.scorecard, title="Key supplier fails", likelihood=4, impact=4
    )
    risk_create(scorecard=world.scorecard, title="Small thing", likelihood=2, impact=2)
    assert unmitigated_high_risks(scorecard=world.scorecard) == [high]
    report = scorecard_health(scorecard=world.scorecard, today=dt.date(2026, 12, 1))
    found = [f for f in report.findings if f.code == "risk.high_no_mitigation"]
    assert [f.name for f in found] == ["Key supplier fails"]
    assert "4 × impact 4 = 16" in found[0].message and "no initiative" in found[0].message
    page = world.client_for("editor").get("/o/northwind/s/company/health/").content.decode()
    assert "Key supplier fails" in page and "Open the risk register" in page
    risk_update(risk=high, initiatives=[things["initiative"]])
    report = scorecard_health(scorecard=world.scorecard, today=dt.date(2026, 12, 1))
    assert not [f for f in report.findings if f.code == "risk.high_no_mitigation"]


def test_editor_adds_a_risk_in_the_browser_and_it_shows_everywhere(
    world: World, things: dict[str, Any]
) -> None:
    editor = world.client_for("editor")
    base = "/o/northwind/s/company/risks/"
    bad = editor.post(f"{base}new/", {"title": "", "likelihood": "9", "impact": "3"})
    assert bad.status_code == 422
    assert "This field is required" in bad.content.decode()  # the title
    assert "Select a valid choice. 9 is not one of the available choices." in bad.content.decode()
    response = editor.post(
        f"{base}new/",
        {"title": "Supplier fails", "cause": "One source", "likelihood": "4", "impact": "5",
         "owner": world.editor.pk, "objectives": [things["objective"].pk],
         "kpis": [things["kpi"].pk], "review_on": "2027-01-15"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == base
    page = world.client_for("viewer").get(base).content.decode()
    assert "Supplier fails" in page and "4 × 5 = 20 · critical" in page
    assert "High, no mitigation" in page
    cell = re.search(
        r'<td class="critical" data-likelihood="4" data-impact="5"[^>]*>(\d*)</td>', page
    )
    assert cell and cell.group(1) == "1"
    assert 'href="/o/northwind/s/company/risks/new/"' not in page  # viewers only read
    objective = world.client_for("viewer").get("/o/northwind/s/company/objective/supply/")
    assert objective.status_code == 200
    assert "Risks to it" in objective.content.decode()
    assert "Supplier fails" in objective.content.decode()
    risk = Risk.objects.get()
    edit = editor.post(
        f"{base}{risk.pk}/edit/",
        {"title": "Supplier fails", "likelihood": "4", "impact": "5", "likelihood_after": "2",
         "impact_after": "2", "initiatives": [things["initiative"].pk]},
    )  # fmt: skip
    assert edit.status_code == 302
    risk.refresh_from_db()
    assert risk.score_after == 4 and list(risk.initiatives.all()) == [things["initiative"]]
    assert editor.post(f"{base}{risk.pk}/delete/").status_code == 302
    assert not Risk.objects.exists()


def test_api_creates_reads_changes_and_refuses_bad_risks(
    api: ApiWorld, things: dict[str, Any]
) -> None:
    editor = api.client("editor")
    made = editor.post(
        "/api/v1/risks",
        {"scorecard": api.world.scorecard.pk, "title": "Storm", "likelihood": 3, "impact": 4,
         "objectives": [things["objective"].pk], "owner": api.world.contributor.pk},
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["score"], body["level"], body["objectives"]) == (
        12,
        "high",
        [things["objective"].pk],
    )
    changed = editor.patch(
        f"/api/v1/risks/{body['id']}", {"initiatives": [things["initiative"].pk]}
    )
    assert changed.json()["initiatives"] == [things["initiative"].pk]
    listed = api.client("viewer").get("/api/v1/risks", scorecard=api.world.scorecard.pk).json()
    assert [r["title"] for r in listed["items"]] == ["Storm"]
    bad = editor.post(
        "/api/v1/risks",
        {"scorecard": api.world.scorecard.pk, "title": "X", "likelihood": 7, "impact": 1},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"][-1] == "likelihood"
    foreign = editor.post(
        "/api/v1/risks",
        {"scorecard": api.world.scorecard.pk, "title": "X", "likelihood": 1, "impact": 1,
         "kpis": [999999]},
    )  # fmt: skip
    assert (
        foreign.status_code == 422 and "Not in this scorecard: 999999" in foreign.json()["detail"]
    )
    half = editor.patch(f"/api/v1/risks/{body['id']}", {"likelihood_after": 2})
    assert half.status_code == 422 and "or neither" in half.content.decode()
    assert api.client("viewer").delete(f"/api/v1/risks/{body['id']}").status_code == 403
    assert editor.delete(f"/api/v1/risks/{body['id']}").status_code == 204
