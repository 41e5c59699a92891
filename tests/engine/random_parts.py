"""Building blocks of the random organizations that agreement tests score two ways: the
engine's period-view shortcut against its general way (tests/engine/test_monthly_shortcut.py)
and the NumPy floor against the engine (tests/bench/test_floor.py). Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scorecard.engine.types import Band, Optimization, Thresholds

#: Sound definitions of every scoring type; each test adds its own broken ones.
SOUND_KINDS: list[tuple[Optimization, dict[str, Any]]] = [
    (Optimization.MAXIMIZE, {"baseline": 100.0, "target": 200.0}),
    (Optimization.MAXIMIZE, {"minimum": 0.0, "maximum": 200.0}),
    (Optimization.MINIMIZE, {"baseline": 50.0, "target": 20.0}),
    (Optimization.MINIMIZE, {"maximum": 200.0, "minimum": 0.0, "baseline": 150.0}),
    (Optimization.BINARY_MAX, {"target": 100.0}),
    (Optimization.BINARY_MIN, {"target": 100.0}),
    (Optimization.EXACT, {"target": 100.0, "tolerance": 30.0}),
    (Optimization.BAND, {"band_low": 90.0, "band_high": 110.0, "tolerance": 20.0}),
    (Optimization.BAND, {"band_low": 90.0, "band_high": 110.0}),
    (Optimization.PERCENT_OF_TARGET, {"target": 120.0, "baseline": 40.0}),
    (Optimization.GOAL_RED_FLAG, {"target": 120.0, "red_flag": 80.0}),
    (Optimization.NONE, {}),
]
#: The default bands, bands of our own, and bands on the value/target ratio.
THRESHOLDS = [
    Thresholds.default(),
    Thresholds((Band("red", -1e9), Band("yellow", 0.5), Band("green", 0.8))),
    Thresholds((Band("red", 0.0), Band("green", 1.0), Band("yellow", 0.9)), basis="target_ratio"),
]
#: Formulas over two earlier KPIs ``a`` and ``b``.
FORMULAS = ["{a} / {b} * 100", "({a} + {b}) / 3", "{a} - {b} * 2", "min({a}, {b})", "-{a} % {b}"]


def months(first: dt.date, count: int) -> list[dt.date]:
    """The first days of ``count`` consecutive months from ``first``'s month."""
    out = []
    for n in range(count):
        index = first.year * 12 + first.month - 1 + n
        out.append(dt.date(index // 12, index % 12 + 1, 1))
    return out
