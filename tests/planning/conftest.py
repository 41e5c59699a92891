"""A company scorecard with a sales funnel (example 15 of docs/scoring.md in its data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings

TODAY = "2026-11-23"  # October 2026 is the latest complete month
SEP, OCT = dt.date(2026, 9, 1), dt.date(2026, 10, 1)


@dataclass
class Sales:
    world: Any
    scorecard: Any
    financial: Any
    internal: Any
    objective: Any
    kpis: dict[str, Any]
    funnel: Any

    def url(self, name: str, *args: Any) -> str:
        from django.urls import reverse

        return reverse(name, args=["northwind", "company", *args])


@pytest.fixture(autouse=True)
def _frozen_today() -> Any:
    with override_settings(SCORECARD_TODAY=TODAY):
        yield


@pytest.fixture
def sales(world) -> Sales:
    from scorecard.kpis.models import Measurement, Target
    from scorecard.planning.services import funnel_create
    from tests.factories import KpiFactory, ObjectiveFactory, PerspectiveFactory

    scorecard = world.scorecard
    financial = PerspectiveFactory(
        scorecard=scorecard, name="Financial", kind="financial", position=0
    )
    internal = PerspectiveFactory(scorecard=scorecard, name="Internal", kind="internal", position=1)
    objective = ObjectiveFactory(perspective=financial, code="win", name="Win partners")
    ObjectiveFactory(perspective=internal, code="ops", name="Run well")
    history = {
        # visitors 5000 → 6000, sign-up rate 4 % → 4.5 %, 10 % and 10 % after: 2 → 2.7 deals
        "visitors": (5000, 6000),
        "signups": (200, 270),
        "leads": (20, 27),
        "deals": (2, 2.7),
    }
    kpis = {}
    recorded = dt.datetime(2026, 11, 5, tzinfo=dt.UTC)
    for position, (code, (sep, oct_)) in enumerate(history.items()):
        kpi = KpiFactory(
            objective=objective, code=code, name=code.title(), unit="", minimum=0,
            maximum=None, baseline=None, target=10_000 if code == "visitors" else 400,
            time_aggregation="sum", position=position,
        )  # fmt: skip
        Measurement.objects.create(kpi=kpi, period_start=SEP, value=sep, recorded_at=recorded)
        Measurement.objects.create(kpi=kpi, period_start=OCT, value=oct_, recorded_at=recorded)
        kpis[code] = kpi
    Target.objects.create(
        kpi=kpis["deals"], period_start=dt.date(2026, 1, 1), value=3, provenance="zero",
        note="first guess", set_at=recorded,
    )  # fmt: skip
    funnel = funnel_create(
        scorecard=scorecard,
        name="Sales funnel",
        kpis=[kpis["visitors"], kpis["signups"], kpis["leads"], kpis["deals"]],
    )
    return Sales(world, scorecard, financial, internal, objective, kpis, funnel)
