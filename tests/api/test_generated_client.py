"""A client generated from our OpenAPI document with openapi-python-client reads well and works.

The generator runs offline on the document the server serves; the generated package
is imported and drives a live server: list scorecards, record a value, read scores.
Operation ids and schema names are short (``scorecard_list``, ``MeasurementIn``), never
module paths such as ``scorecard_api_routers_scorecards_scorecard_list``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from scorecard.api.services import api_token_create
from scorecard.kpis.models import Measurement
from tests.factories import KpiFactory, ObjectiveFactory, PerspectiveFactory

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "scorecard_client_under_test"


def _document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_operation_ids_and_schema_names_are_short() -> None:
    document = _document()
    ids = {op["operationId"] for ops in document["paths"].values() for op in ops.values()}
    assert {"scorecard_list", "measurement_create", "measurement_bulk", "scorecard_scores",
            "me"} <= ids  # fmt: skip
    for name in ids | set(document["components"]["schemas"]):
        assert "scorecard_api" not in name.lower() and "routers" not in name.lower(), name
        assert len(name) <= 30, name


def _generate(tmp_path: Path) -> Any:
    (tmp_path / "openapi.json").write_text(json.dumps(_document()))
    (tmp_path / "config.yaml").write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\n")
    result = subprocess.run(
        [str(GENERATOR), "generate", "--path", "openapi.json", "--meta", "none",
         "--config", "config.yaml", "--output-path", PACKAGE],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    return importlib.import_module(PACKAGE)


@pytest.fixture
def generated(tmp_path: Path) -> Any:
    package = _generate(tmp_path)
    yield package
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def test_generated_client_lists_records_and_scores(
    transactional_db: None, world: Any, live_server: Any, generated: Any
) -> None:
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Customer", kind="customer")
    objective = ObjectiveFactory(perspective=perspective, code="delight", name="Delight")
    kpi = KpiFactory(objective=objective, code="nps", name="NPS", target=80)
    _, token = api_token_create(user=world.editor, organization=world.organization, name="client")

    scorecard_list = importlib.import_module(f"{PACKAGE}.api.scorecards.scorecard_list")
    measurement_create = importlib.import_module(f"{PACKAGE}.api.measurements.measurement_create")
    scorecard_scores = importlib.import_module(f"{PACKAGE}.api.scores.scorecard_scores")
    models = importlib.import_module(f"{PACKAGE}.models")

    client = generated.AuthenticatedClient(base_url=live_server.url, token=token)
    with client:
        page = scorecard_list.sync(client=client, slug=world.scorecard.slug)
        assert isinstance(page, models.ScorecardPage)
        assert page.count == 1 and page.items[0].id == world.scorecard.pk

        body = models.MeasurementIn(kpi="company/nps", period_start=dt.date(2026, 1, 1), value=72)
        created = measurement_create.sync(client=client, body=body)
        assert isinstance(created, models.MeasurementOut), created
        assert created.kpi == kpi.pk and created.value == 72

        refused = measurement_create.sync_detailed(
            client=client,
            body=models.MeasurementIn(kpi="company/nope", period_start=dt.date(2026, 1, 1),
                                      value=1),
        )  # fmt: skip
        assert refused.status_code == 404
        assert isinstance(refused.parsed, models.ErrorOut)

        scores = scorecard_scores.sync(
            client=client, scorecard_id=world.scorecard.pk, as_of=dt.date(2026, 2, 15)
        )
        assert isinstance(scores, models.ScorecardScoresResponse)
        kpis = scores.additional_properties["kpis"]
        assert [(k["code"], k["value"]) for k in kpis] == [("nps", 72.0)]
    assert Measurement.objects.get().value == 72
