"""API test helpers: a JSON client per persona, authenticated by personal tokens."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from scorecard.api.services import api_token_create, api_token_revoke
from scorecard.kpis.models import Target
from scorecard.strategy.models import ObjectiveLink
from tests.conftest import World
from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    TaskFactory,
    UnitFactory,
)

PERSONAS = ["admin", "editor", "contributor", "viewer", "outsider", "anonymous", "revoked"]


class JsonClient:
    """Django's test client speaking JSON, with an optional bearer token."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = client or Client(headers=headers)

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        if params:
            from urllib.parse import urlencode

            path = f"{path}?{urlencode(params)}"
        call = getattr(self.client, method.lower())
        if body is None:
            return call(path)
        return call(path, data=json.dumps(body), content_type="application/json")

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, **params)

    def post(self, path: str, body: Any, **params: Any) -> Any:
        return self.request("POST", path, body, **params)

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.request("PATCH", path, body)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)


@dataclass
class ApiWorld:
    world: World
    tokens: dict[str, str]

    def client(self, persona: str) -> JsonClient:
        """A JSON client for ``persona`` ("anonymous" has no token)."""
        return JsonClient(self.tokens.get(persona))


@pytest.fixture
def api(world: World) -> ApiWorld:
    tokens = {}
    for persona in ["admin", "editor", "contributor", "viewer"]:
        _, tokens[persona] = api_token_create(
            user=getattr(world, persona), organization=world.organization, name=f"{persona} script"
        )
    _, tokens["outsider"] = api_token_create(
        user=world.outsider, organization=world.other_organization, name="outsider script"
    )
    revoked, tokens["revoked"] = api_token_create(
        user=world.admin, organization=world.organization, name="old script"
    )
    api_token_revoke(token=revoked)
    return ApiWorld(world, tokens)


@dataclass
class Stuff:
    """One of everything in the world's scorecard, for endpoint tests."""

    unit: Any
    perspective: Any
    objective: Any
    objective2: Any
    kpi: Any  # the contributor updates this one
    kpi2: Any  # nobody's
    link: Any
    target: Any
    measurement: Any
    initiative: Any
    task: Any  # assigned to the contributor


@pytest.fixture
def stuff(world: World) -> Stuff:
    sc = world.scorecard
    perspective = PerspectiveFactory(scorecard=sc, name="Customer", kind="customer")
    objective = ObjectiveFactory(perspective=perspective, code="delight", name="Delight")
    objective2 = ObjectiveFactory(perspective=perspective, code="keep", name="Keep")
    kpi = KpiFactory(objective=objective, code="nps", name="NPS", updater=world.contributor)
    kpi2 = KpiFactory(objective=objective2, code="churn", name="Churn", optimization="minimize")
    link = ObjectiveLink.objects.create(cause=objective, effect=objective2)
    import datetime as dt

    target = Target.objects.create(
        kpi=kpi,
        period_start=dt.date(2026, 1, 1),
        value=80,
        set_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    measurement = MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 1, 1), value=50)
    initiative = InitiativeFactory(scorecard=sc, name="Survey")
    task = TaskFactory(initiative=initiative, assignee=world.contributor)
    unit = UnitFactory(
        organization=world.organization, parent=world.unit, name="Sales", slug="sales"
    )
    return Stuff(
        unit, perspective, objective, objective2, kpi, kpi2, link, target, measurement,
        initiative, task,
    )  # fmt: skip
