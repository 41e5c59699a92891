"""The engine input as JSON and back: every field survives, the scores are identical,
and damaged or newer snapshots are refused with a reason."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from scorecard.engine.evaluate import (
    Contribution,
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    RollupSettings,
    ScorecardInput,
    evaluate_scorecard,
)
from scorecard.engine.snapshot import (
    SNAPSHOT_VERSION,
    SnapshotError,
    input_from_json,
    input_to_json,
)
from scorecard.engine.types import (
    Aggregation,
    Aggregator,
    Band,
    FormulaMode,
    Interval,
    KpiSpec,
    Measurement,
    MissingPolicy,
    Optimization,
    TargetAggregation,
    TargetPath,
    TargetPoint,
    Thresholds,
    View,
)


def months(values: list[float]) -> tuple[Measurement, ...]:
    return tuple(Measurement(dt.date(2026, i + 1, 1), v) for i, v in enumerate(values))


SC = ScorecardInput(
    key="company",
    name="Company",
    perspectives=(
        PerspectiveInput("1", "Financial", 3.0),
        PerspectiveInput("2", "Customer", 1.0),
    ),
    objectives=(
        ObjectiveInput("grow", "Grow", "1", 2.0),
        ObjectiveInput("serve", "Serve", "2", 1.0),
    ),
    kpis=(
        KpiInput(
            KpiSpec("revenue", "Revenue", minimum=0, maximum=1000, target=800, weight=2.0),
            "grow",
            months([500, 600, 700]),
            (TargetPoint(dt.date(2026, 1, 1), 750.0),),
            TargetPath(dt.date(2026, 1, 1), 400.0, dt.date(2026, 12, 31), 900.0),
        ),
        KpiInput(
            KpiSpec("cost", "Cost", optimization=Optimization.NONE), "grow", months([300, 320, 330])
        ),
        KpiInput(
            KpiSpec(
                "margin",
                "Margin",
                minimum=0,
                maximum=100,
                target=50,
                unit="%",
                formula="(revenue - cost) / revenue * 100",
                formula_mode=FormulaMode.EQUATION,
                aggregation=Aggregation.AVERAGE,
                target_aggregation=TargetAggregation.AVERAGE,
                thresholds=Thresholds(
                    (Band("red", -math.inf, "#d64545"), Band("green", 0.9)), "target_ratio"
                ),
            ),
            "grow",
        ),
        KpiInput(
            KpiSpec("nps", "NPS", minimum=-100, maximum=100, target=40, interval=Interval.QUARTER),
            "serve",
            (Measurement(dt.date(2026, 1, 1), 35.0),),
        ),
    ),
    settings=RollupSettings(
        aggregator=Aggregator.WEIGHTED_AVERAGE,
        missing=MissingPolicy.ZERO,
        cap=1.2,
        min_coverage=0.25,
    ),
    fiscal_year_start_month=4,
    contributions=(Contribution("serve", "shop", "Shop", "happy", "Happy customers", 0.7, 0.5),),
)


def test_the_input_survives_json_field_by_field_and_scores_the_same() -> None:
    stored = json.loads(json.dumps(input_to_json(SC), allow_nan=False))
    assert stored["version"] == SNAPSHOT_VERSION
    assert stored["input"]["kpis"][2]["spec"]["thresholds"]["bands"][0]["lower"] == "-inf"
    back = input_from_json(stored)
    assert back == SC
    for view in View:
        assert evaluate_scorecard(back, as_of=dt.date(2026, 4, 15), view=view) == (
            evaluate_scorecard(SC, as_of=dt.date(2026, 4, 15), view=view)
        )


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: {"version": 99, "input": d["input"]}, "format version 99"),
        (lambda d: {"version": 1}, "not a stored engine input"),
        (lambda d: [], "not a stored engine input"),
        (lambda d: _set(d, ["input", "perspectives", 0, "weight"], "three"), "is not a number"),
        (lambda d: _set(d, ["input", "kpis", 0, "spec", "optimization"], "up"), "not a known"),
        (
            lambda d: _set(d, ["input", "kpis", 0, "measurements", 0, "period_start"], "May"),
            "is not a date",
        ),
        (lambda d: _drop(d, ["input", "kpis", 0, "spec"], "code"), "“code” is missing"),
        (lambda d: _set(d, ["input", "objectives"], {}), "expected a list"),
    ],
)
def test_a_damaged_or_newer_snapshot_is_refused_with_a_reason(damage, message) -> None:
    with pytest.raises(SnapshotError, match=message):
        input_from_json(damage(input_to_json(SC)))


def _walk(data, path):
    for step in path:
        data = data[step]
    return data


def _set(data, path, value):
    _walk(data, path[:-1])[path[-1]] = value
    return data


def _drop(data, path, key):
    del _walk(data, path)[key]
    return data
