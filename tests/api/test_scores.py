"""GET /api/v1/scorecards/{id}/scores gives exactly what the engine (and the page) gives."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import override_settings

from scorecard.engine.types import View
from scorecard.interchange.scores import result_as_dict
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.kpis.services import measurement_record, target_set
from tests.factories import KpiFactory, ObjectiveFactory

from .conftest import ApiWorld


@pytest.fixture
def scored(api: ApiWorld) -> ApiWorld:
    card = api.world.scorecard
    objective = ObjectiveFactory(perspective__scorecard=card, code="grow")
    sales = KpiFactory(objective=objective, code="sales", time_aggregation="sum", target=100)
    returns = KpiFactory(
        objective=objective, code="returns", optimization="minimize", minimum=0, maximum=20,
        target=5, baseline=10, time_aggregation="average",
    )  # fmt: skip
    for month in range(1, 7):
        start = dt.date(2026, month, 1)
        measurement_record(kpi=sales, period_start=start, value=70 + 5 * month)
        measurement_record(kpi=returns, period_start=start, value=12 - month)
    target_set(kpi=sales, period_start=dt.date(2026, 4, 1), value=110)
    return api


@pytest.mark.parametrize("view", [v.value for v in View])
def test_scores_equal_the_engine(scored: ApiWorld, view: str) -> None:
    card = scored.world.scorecard
    response = scored.client("viewer").get(
        f"/api/v1/scorecards/{card.pk}/scores", as_of="2026-05-20", view=view
    )
    assert response.status_code == 200, response.content
    expected = result_as_dict(
        scorecard_evaluate(scorecard=card, as_of=dt.date(2026, 5, 20), view=view)
    )
    assert response.json() == json.loads(json.dumps(expected))
    assert [k["code"] for k in response.json()["kpis"]] == ["sales", "returns"]


@override_settings(SCORECARD_TODAY="2026-03-15")
def test_scores_default_to_today_and_the_latest_period(scored: ApiWorld) -> None:
    card = scored.world.scorecard
    response = scored.client("viewer").get(f"/api/v1/scorecards/{card.pk}/scores")
    expected = result_as_dict(scorecard_evaluate(scorecard=card, as_of=dt.date(2026, 3, 15)))
    assert response.json() == json.loads(json.dumps(expected))


def test_scores_as_known_at(scored: ApiWorld) -> None:
    card = scored.world.scorecard
    known_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # before anything was recorded
    response = scored.client("viewer").get(
        f"/api/v1/scorecards/{card.pk}/scores", as_of="2026-05-20", known_at=known_at.isoformat()
    )
    expected = result_as_dict(
        scorecard_evaluate(scorecard=card, as_of=dt.date(2026, 5, 20), known_at=known_at)
    )
    # An earlier moment also says whether today's structure differs from then's
    # (the factories record no changes, so it does not).
    assert response.json() == {**json.loads(json.dumps(expected)), "structure_note": ""}
    assert all(k["value"] is None for k in response.json()["kpis"])


def test_scores_match_the_web_page(scored: ApiWorld) -> None:
    """The page shows the same overall score for the same as-of date and view."""
    from django.test import Client

    from scorecard.kpis.scorecard_selectors import scorecard_page

    card = scored.world.scorecard
    api_score = (
        scored.client("viewer")
        .get(f"/api/v1/scorecards/{card.pk}/scores", as_of="2026-05-20", view="ytd")
        .json()["score"]
    )
    page = scorecard_page(scorecard=card, as_of=dt.date(2026, 5, 20), view="ytd")
    assert api_score == page.result.score
    client = Client()
    client.force_login(scored.world.viewer)
    html = client.get("/o/northwind/s/company/?as_of=2026-05-20&view=ytd")
    assert html.status_code == 200


def test_bad_parameters(scored: ApiWorld) -> None:
    path = f"/api/v1/scorecards/{scored.world.scorecard.pk}/scores"
    client = scored.client("viewer")
    bad_view = client.get(path, view="fortnight")
    assert bad_view.status_code == 422
    assert bad_view.json()["errors"][0]["loc"] == ["query", "view"]
    assert client.get(path, as_of="20.05.2026").status_code == 422
