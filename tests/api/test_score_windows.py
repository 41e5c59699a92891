"""GET /api/v1/scorecards/{id}/scores?from=…&to=…: a custom window, the engine's numbers,
and 422s that say which date is wrong."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import override_settings

from scorecard.engine.windows import CustomWindow
from scorecard.interchange.scores import result_as_dict
from scorecard.kpis.evaluation import scorecard_evaluate

from .conftest import ApiWorld
from .test_scores import scored  # noqa: F401 (the fixture)

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        yield


def _path(api: ApiWorld) -> str:
    return f"/api/v1/scorecards/{api.world.scorecard.pk}/scores"


def test_a_custom_window_gives_the_engines_numbers(scored: ApiWorld) -> None:  # noqa: F811
    response = scored.client("viewer").get(
        _path(scored), **{"from": "2026-03-16", "to": "2026-04-30"}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    window = CustomWindow(dt.date(2026, 3, 16), dt.date(2026, 4, 30))
    expected = result_as_dict(
        scorecard_evaluate(scorecard=scored.world.scorecard, as_of=window.end, view=window.code)
    )
    assert data == json.loads(json.dumps(expected))
    assert data["view"] == "custom"
    assert data["window"] == {"start": "2026-03-16", "end": "2026-04-30"}
    assert data["as_of"] == "2026-04-30"  # the window's end (it ended before today)
    sales, returns = data["kpis"]
    assert sales["window"] == {"start": "2026-03-16", "end": "2026-04-30"}
    # March (85) for 16 of its 31 days and April (90); targets 100 and, from April, 110.
    assert sales["value"] == pytest.approx(85 * 16 / 31 + 90)
    assert sales["target"] == pytest.approx(100 * 16 / 31 + 110)
    # An average weighs the months by their days in the window: March 9, April 8.
    assert returns["value"] == pytest.approx((9 * 16 + 8 * 30) / 46)


def test_whole_months_spanning_a_window(scored: ApiWorld) -> None:  # noqa: F811
    data = (
        scored.client("viewer")
        .get(_path(scored), **{"from": "2026-02-01", "to": "2026-03-31"})
        .json()
    )
    sales = data["kpis"][0]
    assert (sales["value"], sales["target"]) == (165, 200)  # 80 + 85 against 2 · 100
    assert sales["previous_value"] == 75  # December (none) and January (75)


BAD = [
    ({"from": "2026-03-31", "to": "2026-02-01"}, "to", "The window ends (1 Feb 2026) before"),
    ({"from": "2026-02-01"}, "to", "the to date is missing"),
    ({"to": "2026-02-01"}, "from", "the from date is missing"),
    ({"from": "2026-12-01", "to": "2026-12-31"}, "from", "The window starts in the future"),
    ({"from": "2006-01-01", "to": "2026-03-31"}, "to", "is longer than 10 years"),
    ({"from": "2026-02-01", "to": "2026-03-31", "view": "ytd"}, "view", "either a view or"),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD, ids=[b[2] for b in BAD])
def test_bad_windows_are_422s_that_say_why(
    scored: ApiWorld,  # noqa: F811
    query: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = scored.client("viewer").get(_path(scored), **query)
    assert response.status_code == 422
    body = response.json()
    assert message in body["detail"]
    assert body["errors"][0]["loc"] == ["query", field]


def test_an_unreadable_date_is_a_422(scored: ApiWorld) -> None:  # noqa: F811
    response = scored.client("viewer").get(
        _path(scored), **{"from": "1.2.2026", "to": "2026-03-31"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "from"]
