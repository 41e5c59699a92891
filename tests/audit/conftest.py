"""A small scorecard for the governance tests (history, approval, mentions, meetings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings

from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory, PerspectiveFactory

TODAY = "2026-11-23"


@dataclass
class Card:
    """The world's scorecard with one objective and two KPIs with some values."""

    world: Any
    objective: Any
    revenue: Any
    cost: Any

    @property
    def scorecard(self) -> Any:
        return self.world.scorecard

    def url(self, name: str, *args: Any) -> str:
        from django.urls import reverse

        return reverse(name, args=["northwind", "company", *args])


@pytest.fixture
def frozen_today():
    with override_settings(SCORECARD_TODAY=TODAY):
        yield


@pytest.fixture
def card(world, frozen_today) -> Card:
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    objective = ObjectiveFactory(perspective=perspective, code="grow", name="Grow revenue")
    revenue = KpiFactory(
        objective=objective, code="revenue", name="Revenue", unit="€", minimum=0,
        maximum=1000, target=800, time_aggregation="last", owner=world.editor,
        updater=world.contributor,
    )  # fmt: skip
    cost = KpiFactory(
        objective=objective, code="cost", name="Cost", optimization="minimize", minimum=0,
        maximum=100, target=20, time_aggregation="last",
    )  # fmt: skip
    for month, value in [(9, 500), (10, 600)]:
        MeasurementFactory(kpi=revenue, period_start=dt.date(2026, month, 1), value=value)
    MeasurementFactory(kpi=cost, period_start=dt.date(2026, 10, 1), value=40)
    return Card(world, objective, revenue, cost)
