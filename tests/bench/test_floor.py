"""The honest engine floor (bench/floor.py) gives the engine's numbers.

``make bench`` compares the two on the benchmark organization on every run; these tests
do it on a small generated organization (through the adapter, as the benchmark loads it)
and on random organizations built from the engine's types that use what the generated
one does not: missing values, every aggregation, optimization and rollup setting,
broken definitions, formulas over formulas, division by zero, targets from points,
paths and formulas, other fiscal years and as-of dates. No timings are asserted.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from bench.floor import Floor, Unsupported, compare, evaluate_all
from bench.generate import AS_OF as BENCH_AS_OF
from bench.generate import Size, generate

from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    RollupSettings,
    ScorecardInput,
)
from scorecard.engine.types import (
    Aggregation,
    Aggregator,
    FormulaMode,
    Indicator,
    Interval,
    KpiSpec,
    Measurement,
    MissingPolicy,
    Optimization,
    TargetAggregation,
    TargetPath,
    TargetPoint,
    View,
)
from scorecard.kpis.evaluation import scorecards_input
from scorecard.strategy.models import Scorecard
from tests.engine.random_parts import FORMULAS, SOUND_KINDS, THRESHOLDS, months

AS_OF = dt.date(2025, 12, 31)


def assert_equal(inputs: list[ScorecardInput], as_of: dt.date, view: View) -> None:
    floor = Floor(inputs, as_of)
    checked = compare(floor, floor.run(view), evaluate_all(inputs, as_of, view))
    assert checked.checked > 0
    assert checked.mismatches == []


@pytest.mark.django_db
@pytest.mark.parametrize("view", [View.PERIOD, View.YTD])
def test_floor_equals_engine_on_a_generated_organization(view: View) -> None:
    org = generate(Size(units=2, kpis=20, periods=14), progress=False)
    cards = list(
        Scorecard.objects.filter(organization=org).select_related("organization").order_by("pk")
    )
    inputs = list(scorecards_input(cards).values())
    assert sum(len(sc.kpis) for sc in inputs) == 40
    assert_equal(inputs, BENCH_AS_OF, view)


KINDS = [
    *SOUND_KINDS,
    # Broken or target-dependent definitions.
    (Optimization.MAXIMIZE, {"baseline": 100.0}),  # scored only where a target is set
    (Optimization.EXACT, {"target": 100.0}),  # no tolerance: an error
    (Optimization.MAXIMIZE, {"baseline": 100.0, "target": 100.0}),  # empty scale
    (Optimization.PERCENT_OF_TARGET, {}),  # needs targets per period
]


def random_scorecard(rng: random.Random, s: int) -> ScorecardInput:
    perspectives = tuple(
        PerspectiveInput(f"p{i}", f"Perspective {i}", rng.choice([1.0, 1.0, 2.0, 0.0]))
        for i in range(4)
    )
    objectives = tuple(
        ObjectiveInput(f"o{j}", f"Objective {j}", f"p{j % 5}", rng.choice([1.0, 2.0, 3.0]))
        for j in range(8)  # p4 does not exist: those objectives roll up nowhere
    )
    days = months(dt.date(2023, 1, 1), 38)  # to February 2026: later months are ignored
    kpis: list[KpiInput] = []
    for i in range(36):
        code = f"k{i:02d}"
        optimization, fields = rng.choice(KINDS)
        aggregation = rng.choice(list(Aggregation))
        formula = None
        if i >= 10 and rng.random() < 0.3:
            a, b = rng.sample([k.spec.code for k in kpis], 2)
            formula = rng.choice(FORMULAS).format(a=a, b=b)
        measurements = tuple(
            Measurement(
                day if rng.random() < 0.9 else day + dt.timedelta(days=3),
                rng.choice([0.0, 50.0, 80.0, 100.0, 100.0, 120.0, 150.0, 210.0])
                * rng.uniform(0.9, 1.1),
            )
            for day in days
            if rng.random() < (0.0 if i % 11 == 5 else 0.75)
        )
        targets = tuple(
            TargetPoint(
                dt.date(year, rng.choice([1, 1, 4, 7]), rng.choice([1, 1, 15])),
                rng.choice([0.0, 90.0, 110.0, 150.0]),
            )
            for year in (2023, 2024, 2025)
            if rng.random() < 0.25
        )
        path = None
        if rng.random() < 0.15:
            path = TargetPath(dt.date(2024, 1, 15), 80.0, dt.date(2025, 12, 31), 160.0)
        spec = KpiSpec(
            code=code,
            name=f"KPI {i}",
            optimization=optimization,
            weight=rng.choice([1.0, 2.0, 0.5, 1.0, 1.0, 0.0 if i % 17 == 3 else 1.0]),
            interval=Interval.MONTH,
            aggregation=aggregation,
            indicator=rng.choice(list(Indicator)),
            thresholds=rng.choice(THRESHOLDS),
            formula=formula,
            formula_mode=rng.choice(
                [FormulaMode.EQUATION, FormulaMode.EQUATION, FormulaMode.AGGREGATE_RESULTS]
            ),
            unit=rng.choice(["", "%", "k€"]),
            target_aggregation=rng.choice(
                [TargetAggregation.AUTO] * 4 + [TargetAggregation.EQUATION, TargetAggregation.SUM]
            ),
            **fields,  # type: ignore[arg-type]
        )
        if formula and rng.random() < 0.5:
            spec = KpiSpec(**{**spec.__dict__, "target": None})
        kpis.append(KpiInput(spec, f"o{rng.randrange(9)}", measurements, targets, path))
    settings = RollupSettings(
        aggregator=rng.choice(list(Aggregator)),
        missing=rng.choice(list(MissingPolicy)),
        cap=rng.choice([1.0, 1.0, 1.5]),
        min_coverage=rng.choice([0.0, 0.0, 0.5, 0.9]),
    )
    return ScorecardInput(
        key=f"sc{s}",
        name=f"Scorecard {s}",
        perspectives=perspectives,
        objectives=objectives,
        kpis=tuple(kpis),
        settings=settings,
        fiscal_year_start_month=rng.choice([1, 1, 4, 7]),
    )


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("view", [View.PERIOD, View.YTD])
@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2025, 12, 15), dt.date(2025, 1, 31)])
def test_floor_equals_engine_on_random_organizations(seed: int, view: View, as_of: dt.date) -> None:
    rng = random.Random(seed)
    assert_equal([random_scorecard(rng, s) for s in range(4)], as_of, view)


def test_what_the_floor_does_not_do_is_refused() -> None:
    rng = random.Random(1)
    card = random_scorecard(rng, 0)
    weekly = KpiInput(KpiSpec("w", "Weekly", interval=Interval.WEEK), "o0")
    with pytest.raises(Unsupported, match="monthly"):
        Floor([ScorecardInput(**{**card.__dict__, "kpis": (*card.kpis, weekly)})], AS_OF)
    uses_history = KpiInput(KpiSpec("h", "History", formula="value(k00, -1)"), "o0")
    with pytest.raises(Unsupported, match="KPI functions"):
        Floor([ScorecardInput(**{**card.__dict__, "kpis": (*card.kpis, uses_history)})], AS_OF)
