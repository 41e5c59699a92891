"""A script that uses only the API: build a scorecard, push a year of data, read the scores."""

from __future__ import annotations

import datetime as dt

from scorecard.interchange.scores import result_as_dict
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.strategy.models import Scorecard

from .conftest import ApiWorld, JsonClient


def test_a_script_using_only_the_api(api: ApiWorld) -> None:
    http = JsonClient(api.tokens["editor"])

    def call(method: str, path: str, body=None, expect: int = 200, **params):  # type: ignore[no-untyped-def]
        response = http.request(method, "/api/v1" + path, body, **params)
        assert response.status_code == expect, (path, response.content)
        return response.json() if response.content else None

    me = call("GET", "/me")
    org = me["memberships"][0]["organization"]
    root = call("GET", "/units", organization=org)["items"][0]
    card = call(
        "POST",
        "/scorecards",
        {"unit": root["id"], "name": "Webshop", "with_default_perspectives": False},
        expect=201,
    )
    money = call(
        "POST",
        "/perspectives",
        {"scorecard": card["id"], "name": "Money", "kind": "financial", "weight": 2},
        expect=201,
    )
    people = call(
        "POST",
        "/perspectives",
        {"scorecard": card["id"], "name": "People", "kind": "customer"},
        expect=201,
    )
    grow = call(
        "POST", "/objectives", {"perspective": money["id"], "name": "Grow revenue"}, expect=201
    )
    happy = call(
        "POST", "/objectives", {"perspective": people["id"], "name": "Happy buyers"}, expect=201
    )
    call("POST", "/links", {"cause": happy["id"], "effect": grow["id"]}, expect=201)
    call(
        "POST",
        "/kpis",
        {
            "objective": grow["id"],
            "code": "revenue",
            "name": "Revenue",
            "unit": "k€",
            "baseline": 0,
            "target": 120,
            "minimum": 0,
            "time_aggregation": "sum",
        },
        expect=201,
    )
    call(
        "POST",
        "/kpis",
        {
            "objective": happy["id"],
            "code": "nps",
            "name": "NPS",
            "minimum": -100,
            "maximum": 100,
            "baseline": 0,
            "target": 50,
            "time_aggregation": "average",
        },
        expect=201,
    )
    call(
        "PUT",
        "/targets",
        {
            "kpi": call("GET", "/kpis", code="revenue")["items"][0]["id"],
            "period_start": "2026-07-01",
            "value": 150,
            "provenance": "growth",
            "note": "Summer campaign",
        },
    )

    rows = []
    for month in range(1, 13):
        start = dt.date(2026, month, 1).isoformat()
        rows.append({"kpi": "webshop/revenue", "period_start": start, "value": 90 + 5 * month})
        rows.append(
            {
                "kpi": "webshop/nps",
                "period_start": start,
                "value": 20 + 2 * month,
                "note": "monthly survey",
            }
        )
    result = call("POST", "/measurements/bulk", rows)
    assert result == {"rows": 24, "created": 24, "corrected": 0, "unchanged": 0}

    scores = call("GET", f"/scorecards/{card['id']}/scores", as_of="2026-12-31", view="year")
    assert scores["key"] == "webshop"
    assert [p["name"] for p in scores["perspectives"]] == ["Money", "People"]
    assert {k["code"]: k["value"] for k in scores["kpis"]} == {
        "revenue": sum(90 + 5 * m for m in range(1, 13)),
        "nps": sum(20 + 2 * m for m in range(1, 13)) / 12,
    }
    assert scores["score"] is not None
    # The same numbers the engine gives directly.
    scorecard = Scorecard.objects.get(pk=card["id"])
    direct = scorecard_evaluate(scorecard=scorecard, as_of=dt.date(2026, 12, 31), view="year")
    assert scores["score"] == result_as_dict(direct)["score"]

    values = call("GET", "/measurements", scorecard=card["id"], limit=500)
    assert values["count"] == 24
