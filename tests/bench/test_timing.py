"""The engine line's timing (bench/engine.py): the engine and its floor timed in turn, one
of each per round, each the best of its rounds."""

from __future__ import annotations

from bench.engine import time_alternately


def test_engine_and_floor_are_timed_in_turn_best_of_each() -> None:
    calls: list[str] = []
    now = [0.0]
    # Each call advances a fake clock: the engine by 5, 3, 4 units, the floor by 2, 1, 2.
    costs = {"engine": iter([5.0, 3.0, 4.0]), "floor": iter([2.0, 1.0, 2.0])}

    def run(name: str) -> None:
        calls.append(name)
        now[0] += next(costs[name])

    best = time_alternately(lambda: run("engine"), lambda: run("floor"), 3, lambda: now[0])
    assert best == (3.0, 1.0)
    assert calls == ["engine", "floor"] * 3
