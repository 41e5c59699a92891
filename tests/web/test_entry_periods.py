"""The multi-period entry grid: only the cells the user may fill, the shared number rule,
all or nothing, corrections keep the note."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from scorecard.kpis.models import Measurement
from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

URL = reverse("data_entry_periods", args=["northwind", "company"])


@pytest.fixture
def kpis(world: Any, settings: Any) -> dict[str, Any]:
    settings.SCORECARD_TODAY = "2026-11-23"
    objective = ObjectiveFactory(perspective__scorecard=world.scorecard)
    revenue = KpiFactory(objective=objective, code="revenue", name="Revenue", maximum=5_000_000.0,
                         target=3_000_000.0, updater=world.contributor)  # fmt: skip
    nps = KpiFactory(objective=objective, code="nps", name="NPS", update_interval="quarter")
    KpiFactory(objective=objective, code="double", name="Double", formula="revenue * 2")
    MeasurementFactory(kpi=revenue, period_start=dt.date(2026, 9, 1), value=10.0, note="ERP")
    return {"revenue": revenue, "nps": nps}


def _cell(kpi: Any, start: str) -> str:
    return f"v-{kpi.pk}-{start}"


def test_the_grid_shows_the_last_periods_of_the_kpis_i_may_fill(world: Any, kpis: Any) -> None:
    page = world.client_for("editor").get(URL + "?periods=3").content.decode()
    for start in ("2026-08-01", "2026-09-01", "2026-10-01"):
        assert f'name="{_cell(kpis["revenue"], start)}"' in page
    for start in ("2026-01-01", "2026-04-01", "2026-07-01"):
        assert f'name="{_cell(kpis["nps"], start)}"' in page
    assert f'name="{_cell(kpis["revenue"], "2026-09-01")}" value="10"' in page
    assert "Double" not in page  # calculated: nobody types it
    mine = world.client_for("contributor").get(URL).content.decode()
    assert "Revenue" in mine and "NPS" not in mine  # contributors: the KPIs they update
    assert world.client_for("viewer").get(URL).status_code == 403


def test_a_grid_save_records_every_changed_cell(world: Any, kpis: Any) -> None:
    revenue, nps = kpis["revenue"], kpis["nps"]
    response = world.client_for("editor").post(URL + "?periods=3", {
        _cell(revenue, "2026-08-01"): "2,105,000",
        _cell(revenue, "2026-09-01"): "12",  # a correction: the note stays
        _cell(revenue, "2026-10-01"): "",  # empty: nothing
        _cell(nps, "2026-07-01"): "61.5",
    })  # fmt: skip
    assert response.status_code == 302
    current = {
        (m.kpi.code, m.period_start.isoformat()): (m.value, m.note)
        for m in Measurement.objects.filter(superseded_at__isnull=True)
    }
    assert current == {
        ("revenue", "2026-08-01"): (2105000.0, ""),
        ("revenue", "2026-09-01"): (12.0, "ERP"),
        ("nps", "2026-07-01"): (61.5, ""),
    }
    assert Measurement.objects.count() == 4  # the earlier 10 is kept in the history


def test_one_wrong_cell_saves_nothing_and_says_why(world: Any, kpis: Any) -> None:
    revenue, nps = kpis["revenue"], kpis["nps"]
    response = world.client_for("editor").post(URL + "?periods=3", {
        _cell(revenue, "2026-08-01"): "1,5",
        _cell(nps, "2026-07-01"): "61",
    })  # fmt: skip
    assert response.status_code == 422
    page = response.content.decode()
    assert "1 cell to fix; nothing was saved." in page
    assert "&#x27;1,5&#x27; is not a number (use a point for decimals" in page
    assert 'value="61"' in page  # what was typed is kept
    assert Measurement.objects.count() == 1


def test_cells_not_offered_are_ignored(world: Any, kpis: Any) -> None:
    # A contributor posting a cell of a KPI they do not update: nothing is recorded.
    world.client_for("contributor").post(URL, {_cell(kpis["nps"], "2026-07-01"): "5"})
    assert not Measurement.objects.filter(kpi=kpis["nps"]).exists()
