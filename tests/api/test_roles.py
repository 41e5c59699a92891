"""The role matrix: every endpoint, every persona, the expected status.

viewer reads; contributor records values of the KPIs they update or own (and moves
tasks assigned to them); editor changes structure and targets; admin changes units.
Outsiders get 404 for our objects (their existence is never confirmed); anonymous
callers and revoked tokens get 401.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import PerspectiveFactory
from tests.security.test_authorization_matrix import API as SECURITY_API
from tests.security.test_authorization_matrix import api_operations

from .conftest import PERSONAS, ApiWorld, Stuff

V1 = "/api/v1"

SIGNED_OUT = {"anonymous": 401, "revoked": 401}
LIST = {"admin": 200, "editor": 200, "contributor": 200, "viewer": 200, "outsider": 200}
READ = {"admin": 200, "editor": 200, "contributor": 200, "viewer": 200, "outsider": 404}


def edit(ok: int) -> dict[str, int]:
    return {"admin": ok, "editor": ok, "contributor": 403, "viewer": 403, "outsider": 404}


def admin_only(ok: int) -> dict[str, int]:
    return {"admin": ok, "editor": 403, "contributor": 403, "viewer": 403, "outsider": 404}


@dataclass
class Endpoint:
    name: str
    method: str
    path: Callable[[Any, Stuff], str]
    expected: dict[str, int]
    body: Callable[[Any, Stuff], Any] | None = None


E = Endpoint
ENDPOINTS = [
    E("me", "GET", lambda w, s: "/me", LIST),
    # units
    E("units list", "GET", lambda w, s: "/units", LIST),
    E("unit get", "GET", lambda w, s: f"/units/{s.unit.pk}", READ),
    E("unit create", "POST", lambda w, s: "/units", admin_only(201),
      lambda w, s: {"parent": w.unit.pk, "name": "Operations"}),
    E("unit rename", "PATCH", lambda w, s: f"/units/{s.unit.pk}", admin_only(200),
      lambda w, s: {"name": "Sales & Marketing"}),
    E("unit delete", "DELETE", lambda w, s: f"/units/{s.unit.pk}", admin_only(204)),
    # scorecards
    E("scorecards list", "GET", lambda w, s: "/scorecards", LIST),
    E("scorecard get", "GET", lambda w, s: f"/scorecards/{w.scorecard.pk}", READ),
    E("scorecard create", "POST", lambda w, s: "/scorecards", edit(201),
      lambda w, s: {"unit": s.unit.pk, "name": "Sales"}),
    E("scorecard update", "PATCH", lambda w, s: f"/scorecards/{w.scorecard.pk}", edit(200),
      lambda w, s: {"vision": "Outdoors for everyone."}),
    E("scorecard delete", "DELETE", lambda w, s: f"/scorecards/{w.scorecard.pk}", edit(204)),
    E("scores", "GET", lambda w, s: f"/scorecards/{w.scorecard.pk}/scores?as_of=2026-01-31",
      READ),
    # perspectives
    E("perspectives list", "GET", lambda w, s: "/perspectives", LIST),
    E("perspective get", "GET", lambda w, s: f"/perspectives/{s.perspective.pk}", READ),
    E("perspective create", "POST", lambda w, s: "/perspectives", edit(201),
      lambda w, s: {"scorecard": w.scorecard.pk, "name": "Sustainability"}),
    E("perspective update", "PATCH", lambda w, s: f"/perspectives/{s.perspective.pk}",
      edit(200), lambda w, s: {"weight": 2}),
    E("perspective delete", "DELETE",
      lambda w, s: f"/perspectives/{PerspectiveFactory(scorecard=w.scorecard).pk}", edit(204)),
    # objectives
    E("objectives list", "GET", lambda w, s: "/objectives", LIST),
    E("objective get", "GET", lambda w, s: f"/objectives/{s.objective.pk}", READ),
    E("objective create", "POST", lambda w, s: "/objectives", edit(201),
      lambda w, s: {"perspective": s.perspective.pk, "name": "Grow loyalty"}),
    E("objective update", "PATCH", lambda w, s: f"/objectives/{s.objective.pk}", edit(200),
      lambda w, s: {"description": "Customers recommend us."}),
    E("objective delete", "DELETE", lambda w, s: f"/objectives/{s.objective2.pk}", edit(204)),
    # links
    E("links list", "GET", lambda w, s: "/links", LIST),
    E("link get", "GET", lambda w, s: f"/links/{s.link.pk}", READ),
    E("link create", "POST", lambda w, s: "/links", edit(201),
      lambda w, s: {"cause": s.objective2.pk, "effect": s.objective.pk}),
    E("link delete", "DELETE", lambda w, s: f"/links/{s.link.pk}", edit(204)),
    # kpis
    E("kpis list", "GET", lambda w, s: "/kpis", LIST),
    E("kpi get", "GET", lambda w, s: f"/kpis/{s.kpi.pk}", READ),
    E("kpi create", "POST", lambda w, s: "/kpis", edit(201),
      lambda w, s: {"objective": s.objective.pk, "code": "csat", "name": "CSAT",
                    "minimum": 0, "maximum": 100, "target": 90}),
    E("kpi update", "PATCH", lambda w, s: f"/kpis/{s.kpi.pk}", edit(200),
      lambda w, s: {"target": 95}),
    E("kpi delete", "DELETE", lambda w, s: f"/kpis/{s.kpi2.pk}", edit(204)),
    # targets
    E("targets list", "GET", lambda w, s: "/targets", LIST),
    E("target get", "GET", lambda w, s: f"/targets/{s.target.pk}", READ),
    E("target set", "PUT", lambda w, s: "/targets", edit(200),
      lambda w, s: {"kpi": s.kpi.pk, "period_start": "2026-02-01", "value": 85,
                    "provenance": "benchmark", "note": "Industry survey"}),
    E("target delete", "DELETE", lambda w, s: f"/targets/{s.target.pk}", edit(204)),
    # measurements
    E("measurements list", "GET", lambda w, s: "/measurements", LIST),
    E("measurement get", "GET", lambda w, s: f"/measurements/{s.measurement.pk}", READ),
    E("measurement record (own KPI)", "POST", lambda w, s: "/measurements",
      {"admin": 201, "editor": 201, "contributor": 201, "viewer": 403, "outsider": 404},
      lambda w, s: {"kpi": s.kpi.pk, "period_start": "2026-02-01", "value": 61}),
    E("measurement record (other KPI)", "POST", lambda w, s: "/measurements",
      {"admin": 201, "editor": 201, "contributor": 403, "viewer": 403, "outsider": 404},
      lambda w, s: {"kpi": "company/churn", "period_start": "2026-02-01", "value": 3}),
    E("measurements bulk (own KPI)", "POST", lambda w, s: "/measurements/bulk",
      {"admin": 200, "editor": 200, "contributor": 200, "viewer": 403, "outsider": 422},
      lambda w, s: [{"kpi": "company/nps", "period_start": "2026-02-01", "value": 61}]),
    E("measurements bulk (other KPI)", "POST", lambda w, s: "/measurements/bulk",
      {"admin": 200, "editor": 200, "contributor": 422, "viewer": 403, "outsider": 422},
      lambda w, s: [{"kpi": s.kpi2.pk, "period_start": "2026-02-01", "value": 3}]),
    # initiatives
    E("initiatives list", "GET", lambda w, s: "/initiatives", LIST),
    E("initiative get", "GET", lambda w, s: f"/initiatives/{s.initiative.pk}", READ),
    E("initiative create", "POST", lambda w, s: "/initiatives", edit(201),
      lambda w, s: {"scorecard": w.scorecard.pk, "name": "Loyalty card",
                    "objectives": [s.objective.pk]}),
    E("initiative update", "PATCH", lambda w, s: f"/initiatives/{s.initiative.pk}", edit(200),
      lambda w, s: {"status": "active"}),
    E("initiative delete", "DELETE", lambda w, s: f"/initiatives/{s.initiative.pk}", edit(204)),
    # tasks
    E("tasks list", "GET", lambda w, s: "/tasks", LIST),
    E("task get", "GET", lambda w, s: f"/tasks/{s.task.pk}", READ),
    E("task create", "POST", lambda w, s: "/tasks", edit(201),
      lambda w, s: {"initiative": s.initiative.pk, "name": "Write the survey"}),
    E("task state (assignee may)", "PATCH", lambda w, s: f"/tasks/{s.task.pk}",
      {"admin": 200, "editor": 200, "contributor": 200, "viewer": 403, "outsider": 404},
      lambda w, s: {"state": "done"}),
    E("task rename", "PATCH", lambda w, s: f"/tasks/{s.task.pk}", edit(200),
      lambda w, s: {"name": "Send the survey"}),
    E("task delete", "DELETE", lambda w, s: f"/tasks/{s.task.pk}", edit(204)),
]  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_role_matrix(api: ApiWorld, stuff: Stuff, endpoint: Endpoint, persona: str) -> None:
    expected = {**endpoint.expected, **SIGNED_OUT}[persona]
    path = V1 + endpoint.path(api.world, stuff)
    body = endpoint.body(api.world, stuff) if endpoint.body else None
    response = api.client(persona).request(endpoint.method, path, body)
    assert response.status_code == expected, response.content
    if expected >= 400:
        payload = response.json()
        assert set(payload) == {"detail", "errors"}
        assert isinstance(payload["detail"], str) and payload["detail"]


def test_every_operation_is_in_the_matrix(api: ApiWorld, stuff: Stuff) -> None:
    """A new endpoint must join the matrix above, or the organization-wide authorization
    matrix (tests/security), which calls every operation as each of the six personas too."""
    schema = api.client("viewer").get("/api/v1/openapi.json").json()
    covered = [(e.method, (V1 + e.path(api.world, stuff)).split("?")[0]) for e in ENDPOINTS]
    in_security_matrix = {(m, path) for m, path, op in api_operations() if op in SECURITY_API}
    for template, operations in schema["paths"].items():
        pattern = re.compile(re.sub(r"\\{\w+\\}", r"\\d+", re.escape(template)) + "$")
        for method in operations:
            if (method.upper(), template) in in_security_matrix:
                continue
            assert any(m == method.upper() and pattern.match(path) for m, path in covered), (
                f"{method.upper()} {template} is missing from ENDPOINTS"
            )
