"""A small scorecard with known problems, on the personas of tests/conftest.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings

from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    TaskFactory,
)

TODAY = "2026-11-23"
ORG, SC = "northwind", "company"
#: When the card's KPIs were created: long before the checks look at them.
CREATED = dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC)


@dataclass
class Card:
    """The scorecard of ``world`` with two objectives.

    ``grow`` is healthy enough: owned, with a fresh, owned KPI (``revenue``) and an
    active initiative. ``cash`` has no owner and no initiative; its KPI
    ``dso`` is stale (last value May 2026), has no owner, and is red.
    """

    world: Any
    fin: Any
    grow: Any
    cash: Any
    revenue: Any
    dso: Any
    initiative: Any


@pytest.fixture(autouse=True)
def _today() -> Any:
    with override_settings(SCORECARD_TODAY=TODAY):
        yield


def build_card(world: Any) -> Card:
    fin = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    grow = ObjectiveFactory(
        perspective=fin, code="grow", name="Grow revenue", owner=world.editor,
        description="More sales.", due_date=dt.date(2027, 12, 31),
    )  # fmt: skip
    cash = ObjectiveFactory(perspective=fin, code="cash", name="Keep cash healthy")
    revenue = KpiFactory(
        objective=grow, code="revenue", name="Revenue", owner=world.contributor,
        updater=world.contributor, data_source="ERP", description="Invoiced.",
        created_at=CREATED,
    )  # fmt: skip
    dso = KpiFactory(
        objective=cash, code="dso", name="Days sales outstanding", updater=world.contributor,
        optimization="minimize", minimum=30.0, maximum=90.0, target=45.0, unit="days",
        created_at=CREATED,
    )  # fmt: skip
    for month in range(1, 11):
        MeasurementFactory(kpi=revenue, period_start=dt.date(2026, month, 1), value=80.0)
    for month in range(1, 6):
        MeasurementFactory(kpi=dso, period_start=dt.date(2026, month, 1), value=85.0)
    initiative = InitiativeFactory(
        scorecard=world.scorecard, name="Sales push", owner=world.editor, status="active",
        deadline=dt.date(2027, 3, 31), description="Push.",
    )  # fmt: skip
    initiative.objectives.add(grow)
    TaskFactory(initiative=initiative, name="Call dealers", assignee=world.contributor,
                deadline=dt.date(2026, 11, 1))  # fmt: skip
    return Card(world, fin, grow, cash, revenue, dso, initiative)


@pytest.fixture
def card(world: Any) -> Card:
    return build_card(world)
