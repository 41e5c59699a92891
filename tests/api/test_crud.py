"""Create, read, update and delete through the API; errors, pagination and filters."""

from __future__ import annotations

import datetime as dt

from scorecard.kpis.models import Kpi, Measurement
from scorecard.strategy.models import Scorecard
from tests.factories import KpiFactory, MeasurementFactory, ScorecardFactory, UnitFactory

from .conftest import ApiWorld, Stuff

V1 = "/api/v1"


def test_structure_round_trip(api: ApiWorld) -> None:
    client = api.client("editor")
    world = api.world
    card = client.post(
        f"{V1}/scorecards",
        {"unit": world.unit.pk, "name": "Retail", "vision": "Shops people love."},
    )
    assert card.status_code == 201, card.content
    card = card.json()
    assert card["slug"] == "retail" and card["organization"] == "northwind"
    assert card["aggregator"] == "weighted_average"

    perspectives = client.get(f"{V1}/perspectives", scorecard=card["id"]).json()
    assert [p["name"] for p in perspectives["items"]] == [
        "Financial",
        "Customer",
        "Internal processes",
        "Learning & growth",
    ]
    customer = perspectives["items"][1]

    objective = client.post(
        f"{V1}/objectives",
        {"perspective": customer["id"], "name": "Happy shoppers", "owner": world.contributor.pk,
         "due_date": "2026-12-31"},
    )  # fmt: skip
    assert objective.status_code == 201, objective.content
    objective = objective.json()
    assert objective["code"] == "happy-shoppers"
    assert objective["owner"] == world.contributor.pk
    assert objective["due_date"] == "2026-12-31"

    kpi = client.post(
        f"{V1}/kpis",
        {"objective": objective["id"], "code": "basket", "name": "Basket size", "unit": "€",
         "baseline": 30, "target": 40, "minimum": 0, "maximum": 60, "updater": world.contributor.pk,
         "time_aggregation": "average"},
    )  # fmt: skip
    assert kpi.status_code == 201, kpi.content
    kpi = kpi.json()
    assert kpi["scorecard"] == card["id"] and kpi["updater"] == world.contributor.pk

    changed = client.patch(f"{V1}/kpis/{kpi['id']}", {"target": 45, "unit": None})
    assert changed.status_code == 200, changed.content
    assert changed.json()["target"] == 45 and changed.json()["unit"] == ""
    assert client.get(f"{V1}/kpis/{kpi['id']}").json()["target"] == 45

    renamed = client.patch(f"{V1}/scorecards/{card['id']}", {"name": "Retail stores"})
    assert renamed.json()["name"] == "Retail stores" and renamed.json()["slug"] == "retail"

    assert client.delete(f"{V1}/kpis/{kpi['id']}").status_code == 204
    assert client.get(f"{V1}/kpis/{kpi['id']}").status_code == 404
    assert client.delete(f"{V1}/scorecards/{card['id']}").status_code == 204
    assert not Scorecard.objects.filter(pk=card["id"]).exists()


def test_initiative_and_task_round_trip(api: ApiWorld, stuff: Stuff) -> None:
    client = api.client("editor")
    created = client.post(
        f"{V1}/initiatives",
        {"scorecard": api.world.scorecard.pk, "name": "Loyalty card", "budget": "1500.50",
         "objectives": [stuff.objective.pk, stuff.objective2.pk], "start_date": "2026-01-01",
         "deadline": "2026-06-30"},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    initiative = created.json()
    assert initiative["budget"] == 1500.5
    assert initiative["objectives"] == sorted([stuff.objective.pk, stuff.objective2.pk])
    changed = client.patch(
        f"{V1}/initiatives/{initiative['id']}",
        {"objectives": [stuff.objective.pk], "progress": 0.5},
    )
    assert changed.json()["objectives"] == [stuff.objective.pk]
    assert changed.json()["progress"] == 0.5
    bad = client.patch(f"{V1}/initiatives/{initiative['id']}", {"deadline": "2025-01-01"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["body", "deadline"]

    task = client.post(
        f"{V1}/tasks",
        {
            "initiative": initiative["id"],
            "name": "Design the card",
            "assignee": api.world.contributor.pk,
        },
    )
    assert task.status_code == 201, task.content
    task = task.json()
    assert task["state"] == "todo" and task["position"] == 0
    moved = api.client("contributor").patch(f"{V1}/tasks/{task['id']}", {"state": "doing"})
    assert moved.status_code == 200 and moved.json()["state"] == "doing"
    renamed = client.patch(
        f"{V1}/tasks/{task['id']}", {"name": "Design it", "deadline": "2026-03-01"}
    )
    assert renamed.json()["name"] == "Design it"
    assert renamed.json()["assignee"] == api.world.contributor.pk  # kept
    assert client.get(f"{V1}/tasks", initiative=initiative["id"]).json()["count"] == 1
    assert client.delete(f"{V1}/initiatives/{initiative['id']}").status_code == 204
    assert client.get(f"{V1}/tasks/{task['id']}").status_code == 404


def test_units_round_trip(api: ApiWorld) -> None:
    client = api.client("admin")
    unit = client.post(f"{V1}/units", {"parent": api.world.unit.pk, "name": "Logistics"}).json()
    assert unit["parent"] == api.world.unit.pk and unit["slug"] == "logistics"
    child = client.post(f"{V1}/units", {"parent": unit["id"], "name": "Warehouse"}).json()
    refused = client.delete(f"{V1}/units/{unit['id']}")
    assert refused.status_code == 422
    assert "sub-units" in refused.json()["detail"]
    assert client.delete(f"{V1}/units/{child['id']}").status_code == 204
    assert client.patch(f"{V1}/units/{unit['id']}", {"name": "Supply"}).json()["name"] == "Supply"
    listed = client.get(f"{V1}/units", parent=api.world.unit.pk).json()
    assert [u["name"] for u in listed["items"]] == ["Supply"]


def test_links_and_targets(api: ApiWorld, stuff: Stuff) -> None:
    client = api.client("editor")
    again = client.post(f"{V1}/links", {"cause": stuff.objective.pk, "effect": stuff.objective2.pk})
    assert again.status_code == 422
    assert again.json()["errors"][0]["loc"] == ["body", "effect"]
    to_self = client.post(
        f"{V1}/links", {"cause": stuff.objective.pk, "effect": stuff.objective.pk}
    )
    assert to_self.status_code == 422
    links = client.get(f"{V1}/links", objective=stuff.objective2.pk).json()
    assert [(link["cause"], link["effect"]) for link in links["items"]] == [
        (stuff.objective.pk, stuff.objective2.pk)
    ]

    target = client.put(
        f"{V1}/targets",
        {"kpi": stuff.kpi.pk, "period_start": "2026-03-01", "value": 90, "provenance": "benchmark"},
    )
    assert target.status_code == 200
    replaced = client.put(
        f"{V1}/targets", {"kpi": stuff.kpi.pk, "period_start": "2026-03-01", "value": 92}
    ).json()
    assert replaced["id"] == target.json()["id"] and replaced["value"] == 92
    misaligned = client.put(
        f"{V1}/targets", {"kpi": stuff.kpi.pk, "period_start": "2026-03-15", "value": 90}
    )
    assert misaligned.status_code == 422
    assert misaligned.json()["errors"][0]["loc"] == ["body", "period_start"]
    listed = client.get(f"{V1}/targets", kpi=stuff.kpi.pk, period_from="2026-02-01").json()
    assert [t["period_start"] for t in listed["items"]] == ["2026-03-01"]


def test_measurement_correction_keeps_history(api: ApiWorld, stuff: Stuff) -> None:
    client = api.client("contributor")
    first = client.post(
        f"{V1}/measurements", {"kpi": "company/nps", "period_start": "2026-02-01", "value": 40}
    )
    assert first.status_code == 201, first.content
    assert first.json()["kpi_ref"] == "company/nps"
    assert first.json()["recorded_by"] == api.world.contributor.pk
    second = client.post(
        f"{V1}/measurements",
        {"kpi": stuff.kpi.pk, "period_start": "2026-02-01", "value": 42, "note": "late survey"},
    )
    assert second.status_code == 201
    current = client.get(f"{V1}/measurements", kpi=stuff.kpi.pk, period_from="2026-02-01").json()
    assert [(m["value"], m["superseded_at"]) for m in current["items"]] == [(42.0, None)]
    history = client.get(
        f"{V1}/measurements", kpi=stuff.kpi.pk, period_from="2026-02-01", history="true"
    ).json()
    assert [m["value"] for m in history["items"]] == [40.0, 42.0]
    assert history["items"][0]["superseded_at"] is not None


def test_measurement_errors(api: ApiWorld, stuff: Stuff) -> None:
    client = api.client("editor")
    misaligned = client.post(
        f"{V1}/measurements", {"kpi": stuff.kpi.pk, "period_start": "2026-02-03", "value": 1}
    )
    assert misaligned.status_code == 422
    assert "2026-02-01" in misaligned.json()["detail"]
    not_a_date = client.post(
        f"{V1}/measurements", {"kpi": stuff.kpi.pk, "period_start": "03/02/2026", "value": 1}
    )
    assert not_a_date.status_code == 422
    assert not_a_date.json()["errors"][0]["loc"] == ["body", "period_start"]
    calculated = KpiFactory(objective=stuff.objective, code="ratio", formula="nps / 2")
    refused = client.post(
        f"{V1}/measurements", {"kpi": calculated.pk, "period_start": "2026-02-01", "value": 1}
    )
    assert refused.status_code == 422
    unknown = client.post(
        f"{V1}/measurements", {"kpi": "company/nope", "period_start": "2026-02-01", "value": 1}
    )
    assert unknown.status_code == 404


def test_error_format_for_each_status(api: ApiWorld, stuff: Stuff) -> None:
    bad_json = api.client("editor").client.post(
        f"{V1}/perspectives", data="{not json", content_type="application/json"
    )
    assert bad_json.status_code == 400
    assert bad_json.json() == {"detail": "Cannot parse request body", "errors": []}
    missing = api.client("editor").post(f"{V1}/perspectives", {"name": "No card"})
    assert missing.status_code == 422
    body = missing.json()
    assert body["errors"] == [{"loc": ["body", "scorecard"], "message": "Field required"}]
    forbidden = api.client("viewer").delete(f"{V1}/kpis/{stuff.kpi.pk}")
    assert forbidden.status_code == 403
    assert forbidden.json() == {"detail": "This needs the editor role or higher.", "errors": []}


def test_other_organizations_objects_look_absent(api: ApiWorld, stuff: Stuff) -> None:
    """An outsider's 404 for an existing KPI equals the 404 for an id that does not exist."""
    client = api.client("outsider")
    existing = client.get(f"{V1}/kpis/{stuff.kpi.pk}")
    missing = client.get(f"{V1}/kpis/999999")
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()
    for path in ["/kpis", "/scorecards", "/measurements", "/units", "/tasks", "/links"]:
        assert client.get(V1 + path).json()["count"] == 0, path
    # References in a body are scoped too.
    sneaky = client.post(f"{V1}/kpis", {"objective": stuff.objective.pk, "code": "x", "name": "X"})
    assert sneaky.status_code == 404
    assert not Kpi.objects.filter(code="x").exists()


def test_people_must_be_members(api: ApiWorld, stuff: Stuff) -> None:
    response = api.client("editor").patch(
        f"{V1}/objectives/{stuff.objective.pk}", {"owner": api.world.outsider.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "owner"]


def test_kpi_definition_is_validated_by_the_engine(api: ApiWorld, stuff: Stuff) -> None:
    client = api.client("editor")
    bad_formula = client.post(
        f"{V1}/kpis",
        {"objective": stuff.objective.pk, "code": "loop", "name": "Loop", "formula": "loop + 1"},
    )
    assert bad_formula.status_code == 422
    duplicate = client.post(
        f"{V1}/kpis", {"objective": stuff.objective.pk, "code": "nps", "name": "NPS again"}
    )
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0]["loc"] == ["body", "code"]


def test_pagination(api: ApiWorld, stuff: Stuff) -> None:
    for n in range(12):
        KpiFactory(objective=stuff.objective, code=f"extra_{n:02d}")
    client = api.client("viewer")
    first = client.get(f"{V1}/kpis", limit=5).json()
    assert first["count"] == 14 and first["limit"] == 5 and len(first["items"]) == 5
    rest = client.get(f"{V1}/kpis", limit=5, offset=10).json()
    assert len(rest["items"]) == 4
    everything = [
        k["id"]
        for o in (0, 5, 10)
        for k in client.get(f"{V1}/kpis", limit=5, offset=o).json()["items"]
    ]
    assert len(set(everything)) == 14
    too_many = client.get(f"{V1}/kpis", limit=501)
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["loc"] == ["query", "limit"]
    assert client.get(f"{V1}/kpis", offset=-1).status_code == 422


def test_filters(api: ApiWorld, stuff: Stuff) -> None:
    world = api.world
    sales_unit = UnitFactory(organization=world.organization, slug="sales-team")
    sales = ScorecardFactory(organization=world.organization, unit=sales_unit, slug="sales")
    other_kpi = KpiFactory(objective__perspective__scorecard=sales, code="deals")
    for month in (1, 2, 3):
        MeasurementFactory(kpi=other_kpi, period_start=dt.date(2026, month, 1), value=month)
    client = api.client("viewer")
    by_unit = client.get(f"{V1}/kpis", unit=sales_unit.pk).json()
    assert [k["code"] for k in by_unit["items"]] == ["deals"]
    by_card = client.get(f"{V1}/measurements", scorecard=sales.pk).json()
    assert by_card["count"] == 3
    ranged = client.get(
        f"{V1}/measurements", unit=sales_unit.pk, period_from="2026-02-01", period_to="2026-02-28"
    ).json()
    assert [m["value"] for m in ranged["items"]] == [2.0]
    assert client.get(f"{V1}/measurements", period_from="next week").status_code == 422
    assert client.get(f"{V1}/scorecards", slug="sales").json()["items"][0]["id"] == sales.pk
    assert Measurement.objects.count() == 4
