"""POST /api/v1/measurements/bulk: thousands of rows, one transaction, every error at once."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from scorecard.audit.models import Change
from scorecard.kpis.models import Measurement
from scorecard.kpis.services import (
    MeasurementRow,
    MeasurementRowsError,
    measurement_bulk_record,
    measurement_record,
)
from tests.factories import (
    KpiFactory,
    MeasurementFactory,
    MembershipFactory,
    ObjectiveFactory,
    ScorecardFactory,
    UnitFactory,
)

from .conftest import ApiWorld, Stuff

BULK = "/api/v1/measurements/bulk"


def months(count: int, start: dt.date = dt.date(2020, 1, 1)) -> list[dt.date]:
    out, year, month = [], start.year, start.month
    for _ in range(count):
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def make_kpis(api: ApiWorld, count: int) -> list:
    objective = ObjectiveFactory(perspective__scorecard=api.world.scorecard)
    return [KpiFactory(objective=objective, code=f"k{n:03d}") for n in range(count)]


def rows_for(kpis: list, periods: list[dt.date], value: float = 1.0) -> list[dict]:
    return [
        {"kpi": f"company/{k.code}", "period_start": p.isoformat(), "value": value + i}
        for i, (k, p) in enumerate((k, p) for k in kpis for p in periods)
    ]


def non_insert_queries(context: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in context.captured_queries if not q["sql"].startswith("INSERT")]


def test_five_thousand_rows_in_one_call_with_bounded_queries(api: ApiWorld) -> None:
    kpis = make_kpis(api, 50)
    periods = months(100, dt.date(2015, 1, 1))  # all begun: later periods are refused
    rows = rows_for(kpis, periods)
    assert len(rows) == 5000
    # 100 rows are already recorded: 80 with another value (corrections), 20 the same.
    for row in rows[:100]:
        kpi = next(k for k in kpis if row["kpi"] == f"company/{k.code}")
        same = row["value"] if int(row["value"]) % 5 == 0 else -1.0
        MeasurementFactory(kpi=kpi, period_start=row["period_start"], value=same)
    client = api.client("editor")
    client.get("/api/v1/me")  # the token's last use is written once a minute, not per call
    fields = [f for f in Measurement._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * 5000)
    # Every new value also gets its history entry, inserted in bulk too.
    history_fields = [f for f in Change._meta.concrete_fields if not f.primary_key]
    history_batch = connection.ops.bulk_batch_size(history_fields, [None] * 4980)
    # 13: the values' KPIs are held once (kpis.integrity), at most 900 ids a statement.
    bound = 13 + math.ceil(5000 / batch) + math.ceil(4980 / history_batch)
    with CaptureQueriesContext(connection) as big:
        response = client.post(BULK, rows)
    assert response.status_code == 200, response.content[:500]
    assert response.json() == {"rows": 5000, "created": 4900, "corrected": 80, "unchanged": 20}
    assert len(big.captured_queries) <= bound
    assert Measurement.objects.filter(superseded_at__isnull=True).count() == 5000
    assert Measurement.objects.filter(superseded_at__isnull=False).count() == 80

    # A tenth of the rows (all corrections this time) runs the same non-insert queries.
    with CaptureQueriesContext(connection) as small:
        response = client.post(BULK, rows_for(kpis[:5], periods, value=1000.0))
    assert response.json()["corrected"] == 500
    assert len(non_insert_queries(small)) == len(non_insert_queries(big))


def test_three_bad_rows_among_a_thousand_write_nothing(api: ApiWorld) -> None:
    kpis = make_kpis(api, 10)
    rows = rows_for(kpis, months(100, dt.date(2015, 1, 1)))
    rows[17]["kpi"] = "company/no_such_kpi"
    rows[500]["period_start"] = "2021-03-15"
    rows[999]["note"] = "x" * 501
    response = api.client("editor").post(BULK, rows)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "3 row(s) have problems; nothing was written."
    assert [(e["index"], e["field"]) for e in body["errors"]] == [
        (17, "kpi"),
        (500, "period_start"),
        (999, "note"),
    ]
    assert body["errors"][0]["loc"] == ["body", 17, "kpi"]
    assert "2021-03-01" in body["errors"][1]["message"]
    assert Measurement.objects.count() == 0


def test_type_errors_and_other_errors_come_back_together(api: ApiWorld, stuff: Stuff) -> None:
    rows = [
        {"kpi": stuff.kpi.pk, "period_start": "2026-02-01", "value": "lots"},
        {"kpi": stuff.kpi.pk, "period_start": "2026-03-01"},
        {"kpi": stuff.kpi.pk, "period_start": "31.03.2026", "value": 1},
        {"kpi": "nps", "period_start": "2026-04-01", "value": 1},
        "not a row",
        {"kpi": stuff.kpi.pk, "period_start": "2026-05-01", "value": 1},
    ]
    response = api.client("editor").post(BULK, rows)
    assert response.status_code == 422
    found = [(e["index"], e["field"]) for e in response.json()["errors"]]
    assert found == [(0, "value"), (1, "value"), (2, "period_start"), (3, "kpi"), (4, "row")]


def test_duplicates_and_calculated_kpis_are_refused(api: ApiWorld, stuff: Stuff) -> None:
    calculated = KpiFactory(objective=stuff.objective, code="half", formula="nps / 2")
    rows = [
        {"kpi": stuff.kpi.pk, "period_start": "2026-02-01", "value": 1},
        {"kpi": "company/nps", "period_start": "2026-02-01", "value": 2},
        {"kpi": calculated.pk, "period_start": "2026-02-01", "value": 3},
    ]
    response = api.client("editor").post(BULK, rows)
    errors = response.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(1, "period_start"), (2, "kpi")]
    assert "Row 0" in errors[0]["message"]


def test_contributors_write_only_their_kpis(api: ApiWorld, stuff: Stuff) -> None:
    rows = [
        {"kpi": "company/nps", "period_start": "2026-02-01", "value": 1},
        {"kpi": "company/churn", "period_start": "2026-02-01", "value": 2},
    ]
    response = api.client("contributor").post(BULK, rows)
    assert response.status_code == 422
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(1, "kpi")]
    stuff.kpi2.owner = api.world.contributor
    stuff.kpi2.save()
    assert api.client("contributor").post(BULK, rows).status_code == 200


def test_too_many_rows_is_a_clear_error(api: ApiWorld, stuff: Stuff) -> None:
    row = {"kpi": stuff.kpi.pk, "period_start": "2026-02-01", "value": 1}
    response = api.client("editor").post(BULK, [row] * 10_001)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("At most 10,000 rows per call")


def test_body_must_be_a_list(api: ApiWorld) -> None:
    response = api.client("editor").post(BULK, {"rows": []})
    assert response.status_code == 422
    raw = api.client("editor").client.post(BULK, "[{", content_type="application/json")
    assert raw.status_code == 400
    empty = api.client("editor").post(BULK, [])
    assert empty.json() == {"rows": 0, "created": 0, "corrected": 0, "unchanged": 0}


def test_too_large_a_body_is_413(api: ApiWorld, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    rows = [{"kpi": 1, "period_start": "2026-02-01", "value": 1}] * 100
    assert api.client("editor").post(BULK, rows).status_code == 413


def test_ambiguous_references_need_the_organization(api: ApiWorld) -> None:
    """A session user in two organizations with the same scorecard slug names one."""
    world = api.world
    MembershipFactory(user=world.editor, organization=world.other_organization, role="editor")
    rival = ScorecardFactory(
        organization=world.other_organization,
        unit=UnitFactory(organization=world.other_organization),
        slug="company",
    )
    ours = KpiFactory(objective__perspective__scorecard=world.scorecard, code="sales")
    KpiFactory(objective__perspective__scorecard=rival, code="sales")
    client = Client()
    client.force_login(world.editor)
    rows = '[{"kpi": "company/sales", "period_start": "2026-02-01", "value": 5}]'
    response = client.post(BULK, rows, content_type="application/json")
    assert response.status_code == 422
    assert "organization" in response.json()["errors"][0]["message"]
    response = client.post(BULK + "?organization=northwind", rows, content_type="application/json")
    assert response.status_code == 200
    assert Measurement.objects.get().kpi == ours


def test_bulk_matches_one_by_one_recording(world) -> None:  # type: ignore[no-untyped-def]
    """The bulk path ends in the same current values and history as measurement_record."""
    objective = ObjectiveFactory(perspective__scorecard=world.scorecard)
    a, b = KpiFactory(objective=objective, code="a"), KpiFactory(objective=objective, code="b")
    jan, feb = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    steps = [
        [(a, jan, 1.0, ""), (b, jan, 2.0, "")],
        [(a, jan, 1.0, ""), (b, jan, 3.0, "fixed"), (a, feb, 4.0, "")],
        [(b, jan, 3.0, "fixed"), (a, feb, 5.0, "")],
    ]

    def state() -> list[tuple]:
        return sorted(
            (m.kpi.code, m.period_start, m.value, m.note, m.superseded_at is None)
            for m in Measurement.objects.select_related("kpi")
        )

    for step in steps:
        for kpi, period, value, note in step:
            measurement_record(kpi=kpi, period_start=period, value=value, note=note)
    one_by_one = state()
    Measurement.objects.all().delete()
    results = []
    for step in steps:
        rows = [MeasurementRow(i, k, p, v, n) for i, (k, p, v, n) in enumerate(step)]
        results.append(measurement_bulk_record(rows=rows))
    assert state() == one_by_one
    assert [(r.created, r.corrected, r.unchanged) for r in results] == [
        (2, 0, 0),
        (1, 1, 1),
        (0, 1, 1),
    ]


def test_service_refuses_everything_on_one_bad_row(world) -> None:  # type: ignore[no-untyped-def]
    kpi = KpiFactory(objective__perspective__scorecard=world.scorecard)
    rows = [
        MeasurementRow(0, kpi, dt.date(2026, 1, 1), 1.0),
        MeasurementRow(1, kpi, dt.date(2026, 2, 1), float("inf")),
    ]
    with pytest.raises(MeasurementRowsError) as caught:
        measurement_bulk_record(rows=rows)
    assert [(e.index, e.field) for e in caught.value.row_errors] == [(1, "value")]
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize(
    ("period", "value", "field", "fragment"),
    [
        ("2031-01-01", 1, "period_start", "has not begun yet"),
        ("0001-01-01", 1, "period_start", "outside the years 1900–2199"),
        ("9999-12-01", 1, "period_start", "outside the years 1900–2199"),
        ("2026-02-01", 1e20, "value", "too large"),
    ],
)
def test_periods_not_begun_or_off_the_calendar_and_huge_values_are_refused(
    api: ApiWorld, stuff: Stuff, period: str, value: float, field: str, fragment: str
) -> None:
    """A value for 2031 was saved as that period's actual; 0001 and 9999 gave a 500."""
    client = api.client("editor")
    row = {"kpi": stuff.kpi.pk, "period_start": period, "value": value}
    for path, body in [(BULK, [row]), ("/api/v1/measurements", row)]:
        response = client.post(path, body)
        assert response.status_code == 422, (path, response.content)
        assert fragment in str(response.json())
    assert not Measurement.objects.filter(kpi=stuff.kpi, value=value).exists()
