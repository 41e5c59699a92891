"""Engine and database benchmarks.

engine: every score and rollup of the whole organization, recomputed by
``evaluate_scorecard`` for every scorecard with its inputs already in memory; the floor
is one vectorised NumPy pass over the same values (aggregate each KPI's window, score it
on a linear scale, roll up KPIs → objectives → perspectives → scorecards).

database: loading the engine's inputs through the adapter (kpis/scoring.py) for one
scorecard and for every scorecard of the organization, with the number of queries.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from dataclasses import dataclass
from typing import Any

from .generate import AS_OF
from .report import Result


@dataclass
class Loaded:
    """The inputs of every scorecard and what loading them cost."""

    inputs: list[Any]
    seconds: float
    queries: int


def load_inputs(org: Any) -> Loaded:
    """Load every scorecard's engine input through the adapter, counting queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scorecard.kpis.evaluation import scorecard_input
    from scorecard.strategy.models import Scorecard

    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        scorecards = list(Scorecard.objects.filter(organization=org).select_related("organization"))
        inputs = [scorecard_input(sc) for sc in scorecards]
        seconds = time.perf_counter() - start
    return Loaded(inputs, seconds, len(ctx.captured_queries))


def load_one(org: Any) -> tuple[float, int, int]:
    """Best seconds and the queries to load the first scorecard's input, and its KPI count
    (every generated scorecard has the same size)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scorecard.kpis.evaluation import scorecard_input
    from scorecard.strategy.models import Scorecard

    sc = (
        Scorecard.objects.filter(organization=org)
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    assert sc is not None
    best = float("inf")
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            data = scorecard_input(sc)
            best = min(best, time.perf_counter() - start)
    return best, len(ctx.captured_queries), len(data.kpis)


def evaluate_all(inputs: list[Any], view: str = "period") -> list[Any]:
    """Score every scorecard (the engine alone)."""
    from scorecard.engine.evaluate import evaluate_scorecard
    from scorecard.engine.types import View

    return [evaluate_scorecard(sc, as_of=AS_OF, view=View(view)) for sc in inputs]


def time_best(fn: Any, repeat: int) -> float:
    """The best of ``repeat`` wall-clock timings of ``fn()`` (noise only ever adds time)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


class Floor:
    """The same organization as arrays, scored in one vectorised NumPy pass.

    It is what the arithmetic costs when nothing else is done: no per-KPI rules, no
    calendar, no formulas. Building the arrays is not timed (like the engine's inputs).
    """

    def __init__(self, inputs: list[Any]) -> None:
        import numpy as np

        starts = sorted({m.period_start for sc in inputs for k in sc.kpis for m in k.measurements})
        column = {d: n for n, d in enumerate(starts)}
        kpis = [k for sc in inputs for k in sc.kpis]
        self.values = np.full((len(kpis), max(1, len(starts))), np.nan)
        low, high, weight, objective, perspective, card = [], [], [], [], [], []
        objective_ids: dict[tuple[int, str], int] = {}
        perspective_ids: dict[tuple[int, str], int] = {}
        row = 0
        for s, sc in enumerate(inputs):
            where = {o.key: o.perspective for o in sc.objectives}
            for k in sc.kpis:
                for m in k.measurements:
                    self.values[row, column[m.period_start]] = m.value
                spec = k.spec
                lo = spec.minimum if spec.minimum is not None else spec.baseline
                hi = spec.maximum if spec.maximum is not None else spec.target
                low.append(0.0 if lo is None else lo)
                high.append(1.0 if hi is None or hi == lo else hi)
                weight.append(spec.weight)
                o = objective_ids.setdefault((s, k.objective), len(objective_ids))
                p = perspective_ids.setdefault((s, where[k.objective]), len(perspective_ids))
                objective.append(o)
                perspective.append(p)
                card.append(s)
                row += 1
        self.low, self.high, self.weight = np.array(low), np.array(high), np.array(weight)
        self.objective = np.array(objective)
        self.objective_perspective = np.zeros(len(objective_ids), dtype=int)
        self.objective_perspective[self.objective] = np.array(perspective)
        self.perspective_card = np.zeros(len(perspective_ids), dtype=int)
        self.perspective_card[np.array(perspective)] = np.array(card)
        self.cards = len(inputs)

    def run(self, window: int = 1) -> Any:
        """Scores of every scorecard: aggregate the last ``window`` periods, score, roll up."""
        import numpy as np

        actual = np.nansum(self.values[:, -window:], axis=1)
        score = np.clip((actual - self.low) / (self.high - self.low), 0.0, 1.0)
        n_obj = len(self.objective_perspective)
        w = self.weight
        objective = np.bincount(self.objective, w * score, n_obj) / np.bincount(
            self.objective, w, n_obj
        )
        n_p = len(self.perspective_card)
        perspective = np.bincount(self.objective_perspective, objective, n_p) / np.bincount(
            self.objective_perspective, minlength=n_p
        )
        return np.bincount(self.perspective_card, perspective, self.cards) / np.bincount(
            self.perspective_card, minlength=self.cards
        )


def profile(inputs: list[Any], view: str, lines: int = 25) -> str:
    """cProfile's top functions (by own time) for one recompute."""
    profiler = cProfile.Profile()
    profiler.enable()
    evaluate_all(inputs, view)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def raw_rows(scorecard_ids: list[int]) -> tuple[float, int]:
    """The database floor: the scorecards' current values fetched with one plain SQL query
    by KPI (the KPIs' ids are looked up first, untimed, as the adapter has them too)."""
    from django.db import connection

    from scorecard.kpis.models import Kpi

    kpi_ids = list(Kpi.objects.filter(scorecard_id__in=scorecard_ids).values_list("pk", flat=True))
    marks = ", ".join(["%s"] * len(kpi_ids))
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kpi_id, period_start, value FROM kpis_measurement "
            f"WHERE kpi_id IN ({marks}) AND superseded_at IS NULL",
            kpi_ids,
        )
        rows = len(cursor.fetchall())
    return time.perf_counter() - start, rows


def run(org: Any, *, repeat: int = 3, show_profile: bool = False) -> tuple[list[Result], Any]:
    """The engine and database results; also returns the loaded inputs for reuse."""
    from scorecard.strategy.models import Scorecard

    results: list[Result] = []
    ids = list(
        Scorecard.objects.filter(organization=org).order_by("pk").values_list("pk", flat=True)
    )
    seconds, queries, kpi_count = load_one(org)
    one_floor = min(raw_rows(ids[:1])[0] for _ in range(5))  # best of: noise only adds
    results.append(
        Result.against(
            "database",
            f"load one scorecard's inputs ({kpi_count} KPIs)",
            seconds,
            "one SQL query",
            one_floor,
            f"{queries} queries",
        )
    )
    loaded = load_inputs(org)
    all_floor = min(raw_rows(ids)[0] for _ in range(3))
    kpis = sum(len(sc.kpis) for sc in loaded.inputs)
    values = sum(len(k.measurements) for sc in loaded.inputs for k in sc.kpis)
    results.append(
        Result.against(
            "database",
            f"load the organization's inputs ({len(loaded.inputs)} scorecards)",
            loaded.seconds,
            "one SQL query",
            all_floor,
            f"{loaded.queries} queries, {values:,} values",
        )
    )
    floor = Floor(loaded.inputs)
    for view, window in (("period", 1), ("ytd", 12)):
        engine = time_best(lambda v=view: evaluate_all(loaded.inputs, v), repeat)
        numpy = time_best(lambda w=window: floor.run(w), max(repeat, 5))
        results.append(
            Result.against(
                "engine",
                f"recompute all {kpis:,} KPIs and rollups, view={view}",
                engine,
                "NumPy pass",
                numpy,
                f"best of {repeat}, one core",
            )
        )
    if show_profile:
        print(profile(loaded.inputs, "period"))
    return results, loaded
