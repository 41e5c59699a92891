"""``evaluate.kpi_result`` makes the same object as ``KpiResult(...)``: every field, equality,
hash, repr, pickle, and still frozen."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

import pytest

from scorecard.engine.evaluate import KpiResult, kpi_result
from scorecard.engine.periods import Period
from scorecard.engine.types import Indicator

HISTORY = ((dt.date(2025, 11, 1), 1.5, None), (dt.date(2025, 12, 1), None, -0.0))
WINDOW = Period(dt.date(2025, 12, 1), dt.date(2025, 12, 31))

# code, name, objective, window, value, target, performance, progress, status,
# previous_value, trend, absolute_weight, error, flag, history, indicator, unit
CASES = [
    ("k1", "Sales", "o1", WINDOW, 10.0, 20.0, 0.5, 0.25, "yellow", 9.0, "up", 0.1, None, None,
     HISTORY, Indicator.LAGGING, "EUR"),
    ("k2", "Ratio", "o2", WINDOW, None, None, None, None, "no_data", None, None, 0.0,
     "broken", "division_by_zero", (), Indicator.LEADING, ""),
    ("k3", "Zero", "o1", WINDOW, -0.0, 0.0, float("inf"), -1e308, "green", 1e-310, "flat",
     1.0, None, None, HISTORY, Indicator.LAGGING, "%"),
]  # fmt: skip


@pytest.mark.parametrize("fields", CASES)
def test_same_as_the_dataclass(fields: tuple[object, ...]) -> None:
    made = kpi_result(*fields)  # type: ignore[arg-type]
    expected = KpiResult(*fields)  # type: ignore[arg-type]
    assert made == expected
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    assert vars(made) == vars(expected)
    assert list(vars(made)) == [f.name for f in dataclasses.fields(KpiResult)]
    assert pickle.loads(pickle.dumps(made)) == expected
    assert dataclasses.replace(made, unit="x") == dataclasses.replace(expected, unit="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.value = 1.0  # type: ignore[misc]


def test_every_field_is_a_parameter() -> None:
    """A field added to KpiResult must be added to kpi_result too (same names, same order)."""
    import inspect

    assert list(inspect.signature(kpi_result).parameters) == [
        f.name for f in dataclasses.fields(KpiResult)
    ]
