"""An honest engine floor: the engine's work for a view, done in vectorised NumPy passes.

The engine benchmark (bench/engine.py) recomputes every scorecard of the organization
with ``evaluate_scorecard``. This module does **the same work** on arrays and checks
that it gets the same numbers, so that the ratio between the two says how far the
engine is from what the arithmetic costs, not how much less the floor does:

- **Windows and aggregation**: each KPI's value over the view's window (the latest
  complete month for ``period``; the fiscal year so far for ``ytd``), aggregated by its
  time aggregation (sum as ``v·d/d`` like the engine, average, last with carry-forward,
  min, max, count) from a KPI × month matrix; measurements of months starting after
  the as-of date are not used.
- **Targets**: each month's target is the latest target point on or before it (a
  ``searchsorted`` over all points), else the planned straight path at the month's end
  (the engine's month arithmetic, vectorised), else the KPI's default target; window
  targets follow the KPI's window-target rule (its aggregation, or its formula over the
  inputs' targets for a calculated KPI without targets of its own).
- **Calculated KPIs**: formulas are evaluated on whole arrays, level by level in
  dependency order, grouped by *shape* (``k0001 / k0006 * 100`` and
  ``k0011 / k0016 * 100`` are one NumPy expression over two index arrays). Missing
  inputs, division by zero and non-finite results give no value and the engine's flag,
  in the engine's order of evaluation. Like the engine, each formula is evaluated over
  every month its inputs have data (the KPI's series, used by its history and by
  ``aggregate_results`` mode) and over the window. Formulas that call functions
  (``min``, ``if`` …) are evaluated one value at a time with the engine's own compiled
  formula, inside the timed pass (there are none in the benchmark organization);
  formulas with KPI functions (``value(x, -1)``, ``ytd(x)`` …) are not supported:
  :class:`Unsupported` is raised.
- **Scores and statuses**: performance and progress by optimization type (maximize,
  minimize, yes/no, exact, band, percent of target, goal/red flag, information only)
  with the engine's checks of a window's target (a KPI that cannot be scored is an
  error), statuses by each KPI's threshold bands (on the score or on value ÷ target),
  the previous window's value and the trend arrow, and the twelve-row history (value
  and target of each of the last twelve months).
- **Rollups**: absolute weights, then KPIs → objectives → perspectives → scorecards
  with each scorecard's aggregator (weighted average, average, min/worst child, max,
  sum), missing-data policy (exclude, zero, propagate), score cap and minimum coverage
  ("not enough data"), coverage, leading and lagging scores — ``np.bincount`` over
  index arrays, adding in the engine's order.

What is **not** timed: building the arrays from the engine's input (:class:`Floor`'s
constructor), like the engine's inputs, which are loaded before it is timed. That
includes work the engine repeats on every evaluation and a real floor would keep with
the definitions: the KPIs' definition checks (``validate_spec``) and the formulas'
parsing and dependency order, the month calendar (days per month, the view's window
columns), and indexing each KPI's target points by month.

What it does **not** do: KPIs updated other than monthly, custom windows and the
calendar views (month, quarter …), objective alignments (contributions of the units
below; the benchmark scores each scorecard alone, as the engine benchmark does) and
the error messages' text — all raise :class:`Unsupported` or are not compared.
"""

from __future__ import annotations

import ast
import calendar
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scorecard.engine import periods as pr
from scorecard.engine.evaluate import (
    HISTORY_LENGTH,
    ScorecardInput,
    ScorecardResult,
    evaluate_scorecard,
    kpi_window,
)
from scorecard.engine.formulas import Context, compiled, parse, plan, run
from scorecard.engine.nature import nature_aggregation, window_target_rule
from scorecard.engine.scoring import validate_spec
from scorecard.engine.types import (
    ERROR,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_ENOUGH_DATA,
    Aggregation,
    Aggregator,
    FormulaMode,
    Indicator,
    Interval,
    MissingPolicy,
    Optimization,
    Thresholds,
    View,
)

NAN = math.nan
#: Aggregation codes (also the window-target rules; EQUATION: by the formula).
SUM, AVERAGE, LAST, MIN, MAX, COUNT, EQUATION = range(7)
AGGREGATIONS = {
    Aggregation.SUM: SUM,
    Aggregation.AVERAGE: AVERAGE,
    Aggregation.LAST: LAST,
    Aggregation.MIN: MIN,
    Aggregation.MAX: MAX,
    Aggregation.COUNT: COUNT,
}
OPTIMIZATIONS = {o: n for n, o in enumerate(Optimization)}
#: Statuses that are not bands; bands' names follow.
FIXED_STATUSES = (NO_DATA, ERROR, NOT_APPLICABLE, NOT_ENOUGH_DATA)
S_NO_DATA, S_ERROR, S_NOT_APPLICABLE, S_NOT_ENOUGH = range(4)
#: Formula outcomes per element, first one wins (the engine stops at the first).
F_OK, F_MISSING, F_DIVISION, F_RANGE = range(4)
FLAGS = {F_DIVISION: "division_by_zero", F_RANGE: "out_of_range"}
TRENDS = (None, "flat", "up", "down")


class Unsupported(Exception):
    """The organization uses something the floor does not do (the message says what)."""


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _opt(value: float | None) -> float:
    return NAN if value is None else float(value)


# --- formulas on arrays -----------------------------------------------------------------


class _Shape:
    """A formula with its KPI codes replaced by argument positions, evaluated on arrays."""

    def __init__(self, tree: ast.Expression, names: list[str]) -> None:
        self.tree = tree
        self.names = names  # argument position → placeholder name
        self.vectorised = all(
            isinstance(
                node,
                ast.Expression
                | ast.BinOp
                | ast.UnaryOp
                | ast.Name
                | ast.Constant
                | ast.Load
                | ast.Add
                | ast.Sub
                | ast.Mult
                | ast.Div
                | ast.Mod
                | ast.USub
                | ast.UAdd,
            )
            for node in ast.walk(tree)
        )

    def evaluate(self, args: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(values, outcome codes) of the formula over arrays of its inputs (NaN = missing)."""
        state = np.zeros(args[0].shape, dtype=np.int8)
        with np.errstate(all="ignore"):
            result = np.asarray(self._eval(self.tree.body, args, state), dtype=float)
            ok = state == F_OK
            state[ok & ~np.isfinite(result)] = F_RANGE
        return np.where(state == F_OK, result, NAN), state

    def _eval(self, node: ast.AST, args: Sequence[np.ndarray], state: np.ndarray) -> Any:
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            value = args[self.names.index(node.id)]
            state[(state == F_OK) & np.isnan(value)] = F_MISSING
            return value
        if isinstance(node, ast.UnaryOp):
            operand = self._eval(node.operand, args, state)
            return -operand if isinstance(node.op, ast.USub) else +operand
        assert isinstance(node, ast.BinOp)
        left = self._eval(node.left, args, state)
        right = self._eval(node.right, args, state)
        op = node.op
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        state[(state == F_OK) & (right == 0)] = F_DIVISION
        if isinstance(op, ast.Div):
            return left / right
        return np.remainder(left, right)


def _shape_of(formula: str) -> tuple[str, _Shape, list[str]]:
    """The formula's shape key, its shape and its KPI codes in argument order."""
    tree = ast.parse(ast.unparse(parse(formula).tree), mode="eval")
    functions = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    # Rename in order of appearance in the source, so equal shapes get equal keys.
    ordered = sorted(
        (n for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in functions),
        key=lambda n: (n.lineno, n.col_offset),
    )
    codes = list(dict.fromkeys(n.id for n in ordered))
    for node in ordered:
        node.id = f"_a{codes.index(node.id)}"
    names = [f"_a{n}" for n in range(len(codes))]
    return ast.dump(tree), _Shape(tree, names), codes


@dataclass
class _Group:
    """Calculated KPIs of one dependency level that share a formula shape."""

    shape: _Shape
    rows: np.ndarray  # the KPIs' rows
    inputs: np.ndarray  # rows × arguments: the inputs' rows
    formulas: list[Any]  # compiled formulas (for shapes evaluated one value at a time)
    codes: list[list[str]]

    def evaluate(self, source: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The formula over ``source`` (1-D: one number per KPI; 2-D: KPI × month)."""
        args = [source[self.inputs[:, i]] for i in range(self.inputs.shape[1])]
        if self.shape.vectorised:
            return self.shape.evaluate(args)
        # One value at a time with the engine's compiled formula.
        out = np.full(args[0].shape, NAN)
        state = np.zeros(args[0].shape, dtype=np.int8)
        for g, function in enumerate(self.formulas):
            codes = self.codes[g]
            for index in np.ndindex(*args[0].shape[1:]):
                values = {
                    code: (None if math.isnan(v) else float(v))
                    for code, v in zip(codes, (a[(g, *index)] for a in args), strict=True)
                }
                value, flag = run(function, Context(values))
                if value is not None:
                    out[(g, *index)] = value
                else:
                    state[(g, *index)] = (
                        F_DIVISION if flag == "division_by_zero" else F_RANGE if flag else F_MISSING
                    )
        return out, state


# --- the floor ------------------------------------------------------------------------


@dataclass
class FloorResult:
    """Every number of every scorecard, as arrays in the order of :class:`Floor`'s rows."""

    value: np.ndarray
    target: np.ndarray
    performance: np.ndarray
    progress: np.ndarray
    status: np.ndarray
    flag: np.ndarray
    previous: np.ndarray
    trend: np.ndarray
    history_value: np.ndarray
    history_target: np.ndarray
    absolute_weight: np.ndarray
    objective_score: np.ndarray
    objective_status: np.ndarray
    objective_coverage: np.ndarray
    perspective_score: np.ndarray
    perspective_status: np.ndarray
    perspective_coverage: np.ndarray
    card_score: np.ndarray
    card_status: np.ndarray
    card_leading: np.ndarray
    card_lagging: np.ndarray
    card_coverage: np.ndarray
    card_scored: np.ndarray
    card_counted: np.ndarray


class Floor:
    """The organization's scorecards as arrays (built here, untimed); :meth:`run` is the
    timed pass for a view as of a date."""

    def __init__(self, inputs: Sequence[ScorecardInput], as_of: dt.date) -> None:
        self.inputs = list(inputs)
        self.as_of = as_of
        kpis = [(s, k) for s, sc in enumerate(self.inputs) for k in sc.kpis]
        self.n = n = len(kpis)
        for sc in self.inputs:
            if sc.contributions:
                raise Unsupported("objective alignments (contributions) are not in the floor")
        for _, k in kpis:
            if k.spec.interval is not Interval.MONTH:
                raise Unsupported(f"KPI {k.spec.code} is not monthly; the floor does months only")
        # The month grid: from well before the data (history, previous year) to as_of.
        last = month_index(as_of)
        first = min(
            [last - 2 * HISTORY_LENGTH - 1]
            + [month_index(m.period_start) for _, k in kpis for m in k.measurements]
        )
        self.first = first
        self.columns = columns = last - first + 1
        starts = [dt.date((first + j) // 12, (first + j) % 12 + 1, 1) for j in range(columns)]
        self.days = np.array([calendar.monthrange(d.year, d.month)[1] for d in starts], float)
        # The first day after each month (a path's target is read at the end of the month).
        after = [pr.add_months(d, 1) for d in starts]
        self.after_ordinal = np.array([d.toordinal() for d in after])
        self.after_month = np.array([month_index(d) for d in after])
        self.after_days = np.array([calendar.monthrange(d.year, d.month)[1] for d in after], float)

        # Values: KPI × month (NaN: none); a calculated KPI's entered values are ignored.
        self.values = np.full((n, columns), NAN)
        for row, (_, k) in enumerate(kpis):
            if k.spec.formula:
                continue
            for m in k.measurements:
                if m.period_start <= as_of:
                    self.values[row, month_index(m.period_start) - first] = m.value

        specs = [k.spec for _, k in kpis]
        self.card = np.array([s for s, _ in kpis], dtype=np.intp)
        self.opt = np.array([OPTIMIZATIONS[s.optimization] for s in specs])
        self.agg = np.array([AGGREGATIONS[s.aggregation] for s in specs])
        for name in (
            "baseline", "minimum", "maximum", "target", "tolerance", "band_low", "band_high",
            "red_flag",
        ):  # fmt: skip
            setattr(self, name, np.array([_opt(getattr(s, name)) for s in specs]))
        self.weight = np.array([s.weight for s in specs])
        self.leading = np.array([s.indicator is Indicator.LEADING for s in specs])
        self.lagging = np.array([s.indicator is Indicator.LAGGING for s in specs])
        self.none = self.opt == OPTIMIZATIONS[Optimization.NONE]

        # Definition checks and formulas (what the engine re-checks on every evaluation).
        self.broken = np.zeros(n, dtype=bool)
        row_of: list[dict[str, int]] = [{} for _ in self.inputs]
        for row, (s, k) in enumerate(kpis):
            row_of[s][k.spec.code] = row
            if validate_spec(k.spec):
                self.broken[row] = True
        self.mode_equation = np.zeros(n, dtype=bool)
        self.calculated = np.zeros(n, dtype=bool)
        # (level, shape) → shape, rows, their inputs' rows, compiled formulas, input codes.
        levels: dict[tuple[int, str], tuple[_Shape, list[int], list[list[int]], list[Any], Any]]
        levels = {}
        for s, sc in enumerate(self.inputs):
            formula_plan = plan(k.spec for k in sc.kpis)
            for code in formula_plan.problems:
                self.broken[row_of[s][code]] = True
            level: dict[str, int] = {}
            by_code = {k.spec.code: k for k in sc.kpis}
            for code in formula_plan.order:
                spec = by_code[code].spec
                if not spec.formula:
                    level[code] = 0
                    continue
                if parse(spec.formula).uses_kpi_functions:
                    raise Unsupported(f"KPI {code}: formulas with KPI functions")
                key, shape, refs = _shape_of(spec.formula)
                level[code] = 1 + max((level[r] for r in refs), default=0)
                row = row_of[s][code]
                self.calculated[row] = True
                self.mode_equation[row] = spec.formula_mode is FormulaMode.EQUATION
                group = levels.setdefault((level[code], key), (shape, [], [], [], []))
                group[1].append(row)
                group[2].append([row_of[s][r] for r in refs])
                group[3].append(compiled(parse(spec.formula)))
                group[4].append(refs)
        self.groups = [
            _Group(shape, np.array(rows), np.array(ins, dtype=np.intp), formulas, codes)
            for (_, _), (shape, rows, ins, formulas, codes) in sorted(
                levels.items(), key=lambda item: item[0][0]
            )
        ]
        self.aggregated = ~(self.calculated & self.mode_equation)  # value by its aggregation

        # Window-target rules (EQUATION: the formula), and the rule a formula falls back to.
        rules, fallback = [], []
        for _, k in kpis:
            own = bool(k.targets) or k.path is not None or k.spec.target is not None
            rule = window_target_rule(k.spec, has_own_target=own)
            rules.append(EQUATION if rule is None else AGGREGATIONS[rule])
            fallback.append(AGGREGATIONS[nature_aggregation(k.spec)])
        self.rule = np.array(rules)
        self.fallback = np.array(fallback)
        # The rule used where a formula cannot make the target.
        self.own_rule = np.where(self.rule == EQUATION, self.fallback, self.rule)
        self.by_rule = {r: np.flatnonzero(self.rule == r) for r in range(7)}
        self.by_agg = {a: np.flatnonzero(self.agg == a) for a in range(6)}

        # Target points: (row, first month it holds in) → value, the engine's choice among
        # points of one month (the latest day; among points of one day the first given).
        keys, point_values = [], []
        for row, (_, k) in enumerate(kpis):
            chosen: dict[int, float] = {}
            day_value: dict[dt.date, float] = {}
            for p in sorted(k.targets, key=lambda p: p.period_start):
                day_value.setdefault(p.period_start, p.value)
            for day, value in day_value.items():
                column = month_index(day) - first + (0 if day.day == 1 else 1)
                if column < columns:  # a later point holds in no month of the grid
                    chosen[max(0, column)] = value
            for column, value in sorted(chosen.items()):
                keys.append(row * (columns + 1) + column)
                point_values.append(value)
        self.point_keys = np.array(keys, dtype=np.int64)
        self.point_values = np.array(point_values)
        self.point_rows = np.flatnonzero(np.array([bool(k.targets) for _, k in kpis]))
        # Planned paths.
        paths = [(row, k.path) for row, (_, k) in enumerate(kpis) if k.path is not None]
        self.path_rows = np.array([row for row, _ in paths], dtype=np.intp)
        self.path = {
            "start": np.array([p.start.toordinal() for _, p in paths]),
            "end": np.array([(p.end + pr.ONE_DAY).toordinal() for _, p in paths]),
            "start_month": np.array([month_index(p.start) for _, p in paths]),
            "start_day": np.array([p.start.day for _, p in paths], float),
            "end_month": np.array([month_index(p.end + pr.ONE_DAY) for _, p in paths]),
            "end_day": np.array([(p.end + pr.ONE_DAY).day for _, p in paths], float),
            "end_dim": np.array(
                [
                    calendar.monthrange((p.end + pr.ONE_DAY).year, (p.end + pr.ONE_DAY).month)[1]
                    for _, p in paths
                ],
                float,
            ),
            "start_value": np.array([p.start_value for _, p in paths]),
            "end_value": np.array([p.end_value for _, p in paths]),
        }

        # Status bands: one group per distinct set of bands.
        self.status_names = list(FIXED_STATUSES)
        band_sets: dict[Thresholds, list[int]] = {}
        for row, spec in enumerate(specs):
            band_sets.setdefault(spec.thresholds, []).append(row)
        self.bands = [
            (np.array(rows), *self._bands(thresholds), thresholds.basis == "target_ratio")
            for thresholds, rows in band_sets.items()
        ]

        # Structure: objectives and perspectives of every scorecard, index arrays.
        objective_rows: dict[tuple[int, str], int] = {}
        perspective_rows: dict[tuple[int, str], int] = {}
        o_perspective, o_weight, p_card, p_weight = [], [], [], []
        for s, sc in enumerate(self.inputs):
            for p in sc.perspectives:
                perspective_rows[(s, p.key)] = len(p_card)
                p_card.append(s)
                p_weight.append(p.weight)
        outside = len(p_card)  # objectives of no listed perspective roll up nowhere
        for s, sc in enumerate(self.inputs):
            for o in sc.objectives:
                objective_rows[(s, o.key)] = len(o_perspective)
                o_perspective.append(perspective_rows.get((s, o.perspective), outside))
                o_weight.append(o.weight)
        self.n_objectives, self.n_perspectives = len(o_perspective), len(p_card)
        self.objective = np.array(
            [objective_rows.get((s, k.objective), self.n_objectives) for s, k in kpis],
            dtype=np.intp,
        )
        self.o_perspective = np.array(o_perspective, dtype=np.intp)
        self.o_weight = np.array(o_weight)
        self.p_card = np.array(p_card, dtype=np.intp)
        self.p_weight = np.array(p_weight)
        self.objective_keys = list(objective_rows)
        self.o_card = np.array([s for s, _ in self.objective_keys], dtype=np.intp)
        self.perspective_keys = list(perspective_rows)
        self.codes = [(s, k.spec.code) for s, k in kpis]
        # Each scorecard's rollup settings, and its bands for nodes.
        cards = self.inputs
        self.aggregator = np.array([list(Aggregator).index(c.settings.aggregator) for c in cards])
        self.missing = np.array([list(MissingPolicy).index(c.settings.missing) for c in cards])
        self.cap = np.array([c.settings.cap for c in cards])
        self.min_coverage = np.array([c.settings.min_coverage for c in cards])
        node_sets: dict[Thresholds, list[int]] = {}
        for s, c in enumerate(cards):
            node_sets.setdefault(c.settings.thresholds, []).append(s)
        self.node_bands = [
            (np.array(s), *self._bands(thresholds)) for thresholds, s in node_sets.items()
        ]
        # The view's window columns per scorecard (fiscal years may differ): first, last.
        self.windows: dict[View, tuple[np.ndarray, int]] = {}
        for view in (View.PERIOD, View.YTD):
            spans = []
            for sc in cards:
                if not sc.kpis:
                    spans.append((-1, -1))  # no KPI row reads it
                    continue
                window = kpi_window(sc.kpis[0].spec, as_of, view, sc.fiscal_year_start_month)
                spans.append((month_index(window.start) - first, month_index(window.end) - first))
            ends = {e for _, e in spans if e >= 0}
            if len(ends) > 1:
                raise Unsupported("windows ending in different months")
            self.windows[view] = (np.array([a for a, _ in spans])[self.card], ends.pop())

    def _bands(self, thresholds: Thresholds) -> tuple[np.ndarray, np.ndarray]:
        ordered = sorted(thresholds.bands, key=lambda b: b.lower)
        ids = []
        for band in ordered:
            if band.status not in self.status_names:
                self.status_names.append(band.status)
            ids.append(self.status_names.index(band.status))
        if not ordered:
            return np.array([-math.inf]), np.array([S_NO_DATA])
        return np.array([b.lower for b in ordered]), np.array(ids)

    # --- the timed pass ---------------------------------------------------------------

    def run(self, view: View = View.PERIOD) -> FloorResult:
        """Every score of every scorecard for ``view`` (period or ytd)."""
        start, c = self.windows[view]
        d = self.days
        h = slice(c - HISTORY_LENGTH + 1, c + 1)

        # 1. Each KPI's stored per-month series (calculated ones filled in level by level)
        #    and its value over each month alone ("per" – the engine's value(code, month)).
        # Calculated rows are written over entirely on every run (never copied).
        stored = self.values
        per = self._per_month(stored, np.arange(self.n))
        formula_state = np.zeros(stored.shape, dtype=np.int8)
        for group in self.groups:
            result, state = group.evaluate(per)
            rows = group.rows
            # The KPI's series holds the months any input has a value in.
            has_input = np.zeros(result.shape, dtype=bool)
            for i in range(group.inputs.shape[1]):
                has_input |= ~np.isnan(stored[group.inputs[:, i]])
            stored[rows] = np.where(has_input, result, NAN)
            formula_state[rows] = np.where(has_input, state, F_OK)
            equation = self.mode_equation[rows]
            if equation.all():
                per[rows] = result
            else:
                per[rows] = np.where(equation[:, None], result, self._per_month(stored, rows))
            formula_state[rows[equation]] = state[equation]  # window flags come from here

        # 2. Targets of the history's months: points, else the path, else the default.
        point = self._month_targets(c)
        hist_target = self._rule_targets(point, d[h], self.own_rule)
        for group in self.groups:
            rows = group.rows
            equation_rows = self.rule[rows] == EQUATION
            if not equation_rows.any():
                continue
            made, _ = group.evaluate(hist_target)
            inputs_known = np.ones(made.shape, dtype=bool)
            for i in range(group.inputs.shape[1]):
                inputs_known &= ~np.isnan(hist_target[group.inputs[:, i]])
            own = hist_target[rows]
            chosen = np.where(inputs_known, made, own)
            hist_target[rows] = np.where(equation_rows[:, None], chosen, hist_target[rows])

        # 3. The window's value and target (and the previous window's value).
        if view is View.PERIOD:
            value = per[:, c].copy()
            target = hist_target[:, -1].copy()
            previous = per[:, c - 1].copy()
            flag_state = formula_state[:, c]
        else:
            value = self._window_values(stored, per, start, c)
            previous = self._window_values(stored, per, start - 12, c - 12)
            target = self._window_targets(point, start, c)
            flag_state = np.zeros(self.n, dtype=np.int8)  # ytd flags: not compared
        flag_state = np.where(self.broken, F_OK, flag_state)
        value[self.broken] = NAN
        target[self.broken] = NAN
        previous[self.broken] = NAN

        # 4. Scores and statuses.
        performance, progress, status = self._score(value, target)
        trend = _trend(previous, value)
        trend[self.broken] = 0

        # 5. Weights and rollups.
        return self._rollups(
            value, target, performance, progress, status, flag_state, previous, trend,
            stored[:, h], hist_target,
        )  # fmt: skip

    def _per_month(self, stored: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The value of each month alone, as the engine's actual() gives it."""
        out = stored[rows].copy()
        agg = self.agg[rows]
        sums = agg == SUM
        out[sums] = out[sums] * self.days / self.days
        counts = agg == COUNT
        out[counts] = np.where(np.isnan(out[counts]), NAN, 1.0)
        lasts = np.flatnonzero(agg == LAST)
        if lasts.size:
            block = out[lasts]
            # Carry the latest value forward: index of the latest month with a value.
            index = np.where(~np.isnan(block), np.arange(block.shape[1]), 0)
            np.maximum.accumulate(index, axis=1, out=index)
            filled = block[np.arange(len(lasts))[:, None], index]
            out[lasts] = filled
        return out

    def _month_targets(self, c: int) -> np.ndarray:
        """Each KPI's target of each history month before aggregation (NaN: none)."""
        columns = np.arange(c - HISTORY_LENGTH + 1, c + 1)
        out = np.repeat(self.target[:, None], HISTORY_LENGTH, axis=1)
        chosen = np.zeros(out.shape, dtype=bool)
        if self.point_keys.size:
            rows = self.point_rows
            keys = rows[:, None] * (self.columns + 1) + columns[None, :]
            found = np.searchsorted(self.point_keys, keys, side="right") - 1
            valid = (found >= 0) & (self.point_keys[found] // (self.columns + 1) == rows[:, None])
            out[rows] = np.where(valid, self.point_values[found], out[rows])
            chosen[rows] = valid
        if self.path_rows.size:
            p = self.path
            rows = self.path_rows
            moment = self.after_ordinal[columns][None, :]
            months = self.after_month[columns][None, :]
            done = (months - p["start_month"][:, None]) + (
                1.0 - p["start_day"][:, None]
            ) / self.after_days[columns][None, :]
            whole = (p["end_month"] - p["start_month"]) + (p["end_day"] - p["start_day"]) / p[
                "end_dim"
            ]
            share = done / whole[:, None]
            on_path = p["start_value"][:, None] + share * (
                p["end_value"][:, None] - p["start_value"][:, None]
            )
            on_path = np.where(moment <= p["start"][:, None], p["start_value"][:, None], on_path)
            on_path = np.where(moment >= p["end"][:, None], p["end_value"][:, None], on_path)
            out[rows] = np.where(chosen[rows], out[rows], on_path)
        return out

    @staticmethod
    def _rule_targets(point: np.ndarray, days: np.ndarray, rule: np.ndarray) -> np.ndarray:
        """Each month's target as the engine's whole_periods() gives it, by rule."""
        out = point.copy()
        sums = rule == SUM
        out[sums] = point[sums] * days / days
        counts = rule == COUNT
        out[counts] = np.where(np.isnan(point[counts]), NAN, 1.0)
        return out

    def _window_values(
        self, stored: np.ndarray, per: np.ndarray, start: np.ndarray, c: int
    ) -> np.ndarray:
        """Values over windows of whole months [start, c] (year to date)."""
        columns = np.arange(stored.shape[1])
        inside = (columns[None, :] >= start[:, None]) & (columns[None, :] <= c)
        block = np.where(inside, stored, NAN)
        present = ~np.isnan(block)
        n = present.sum(axis=1)
        out = np.full(self.n, NAN)
        some = n > 0
        with np.errstate(all="ignore"):
            for agg, rows in self.by_agg.items():
                rows = rows[self.aggregated[rows]]
                if not rows.size:
                    continue
                b = block[rows]
                if agg == SUM:
                    r = np.nansum(b * self.days / self.days, axis=1)
                elif agg == AVERAGE:
                    r = np.nansum(b, axis=1) / n[rows]
                elif agg == MIN:
                    r = np.fmin.reduce(b, axis=1)
                elif agg == MAX:
                    r = np.fmax.reduce(b, axis=1)
                elif agg == COUNT:
                    r = n[rows].astype(float)
                else:
                    r = per[rows, c]  # last: carried forward to the window's end
                    out[rows] = r
                    continue
                out[rows] = np.where(some[rows], r, NAN)
        for group in self.groups:
            rows = group.rows[self.mode_equation[group.rows]]
            if rows.size:
                result, _ = group.evaluate(out)
                out[rows] = result[self.mode_equation[group.rows]]
        return out

    def _window_targets(self, point: np.ndarray, start: np.ndarray, c: int) -> np.ndarray:
        """Targets over windows of whole months [start, c] within the history's months."""
        columns = np.arange(c - HISTORY_LENGTH + 1, c + 1)
        inside = columns[None, :] >= start[:, None]

        def by(rule: np.ndarray, rows: np.ndarray) -> np.ndarray:
            block = np.where(inside[rows], point[rows], NAN)
            missing = (inside[rows] & np.isnan(point[rows])).any(axis=1)
            n = inside[rows].sum(axis=1)
            out = np.full(len(rows), NAN)
            d = self.days[columns]
            with np.errstate(all="ignore"):
                for r in (SUM, AVERAGE, LAST, MIN, MAX, COUNT):
                    sel = rule == r
                    if not sel.any():
                        continue
                    b = block[sel]
                    if r == SUM:
                        out[sel] = np.nansum(b * d / d, axis=1)
                    elif r == AVERAGE:
                        out[sel] = np.nansum(b, axis=1) / n[sel]
                    elif r == LAST:
                        out[sel] = b[:, -1]
                    elif r == MIN:
                        out[sel] = np.fmin.reduce(b, axis=1)
                    elif r == MAX:
                        out[sel] = np.fmax.reduce(b, axis=1)
                    else:
                        out[sel] = n[sel].astype(float)
            return np.where(missing, NAN, out)

        everyone = np.arange(self.n)
        out = by(self.own_rule, everyone)
        for group in self.groups:
            rows = group.rows
            equation_rows = self.rule[rows] == EQUATION
            if not equation_rows.any():
                continue
            made, _ = group.evaluate(out)
            known = np.ones(len(rows), dtype=bool)
            for i in range(group.inputs.shape[1]):
                known &= ~np.isnan(out[group.inputs[:, i]])
            own = out[rows]
            out[rows] = np.where(equation_rows, np.where(known, made, own), out[rows])
        return out

    def _score(self, value: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, ...]:
        """Performance, progress and status codes (scoring.score_value, vectorised)."""
        o = self.opt
        t = target
        is_ = {name: o == OPTIMIZATIONS[name] for name in Optimization}
        maximize, minimize = is_[Optimization.MAXIMIZE], is_[Optimization.MINIMIZE]
        binary = is_[Optimization.BINARY_MAX] | is_[Optimization.BINARY_MIN]
        low = np.where(
            minimize,
            np.where(np.isnan(self.maximum), self.baseline, self.maximum),
            np.where(np.isnan(self.minimum), self.baseline, self.minimum),
        )
        high = np.where(
            minimize,
            np.where(np.isnan(self.minimum), t, self.minimum),
            np.where(np.isnan(self.maximum), t, self.maximum),
        )
        linear = maximize | minimize
        problem = linear & (
            np.isnan(low)
            | np.isnan(high)
            | (low == high)
            | (minimize & (low < high))
            | (maximize & (low > high))
        )
        problem |= binary & np.isnan(t)
        tol = self.tolerance
        exact = is_[Optimization.EXACT]
        problem |= exact & (np.isnan(t) | np.isnan(tol) | ~(tol > 0))
        band = is_[Optimization.BAND]
        problem |= band & (
            np.isnan(self.band_low)
            | np.isnan(self.band_high)
            | (self.band_low > self.band_high)
            | (tol < 0)
        )
        percent = is_[Optimization.PERCENT_OF_TARGET]
        problem |= percent & (np.isnan(t) | ~(t > 0))
        goal = is_[Optimization.GOAL_RED_FLAG]
        problem |= goal & (np.isnan(t) | np.isnan(self.red_flag) | (t == self.red_flag))

        v = value
        perf = np.full(self.n, NAN)
        with np.errstate(all="ignore"):
            perf = np.where(linear, (v - low) / (high - low), perf)
            perf = np.where(is_[Optimization.BINARY_MAX], np.where(v >= t, 1.0, 0.0), perf)
            perf = np.where(is_[Optimization.BINARY_MIN], np.where(v <= t, 1.0, 0.0), perf)
            perf = np.where(exact, np.maximum(0.0, 1.0 - np.abs(v - t) / tol), perf)
            lo, hi = self.band_low, self.band_high
            band_tol = np.where(np.isnan(tol), 0.0, tol)
            distance = np.where(v < lo, lo - v, v - hi)
            inside = (lo <= v) & (v <= hi)
            band_score = np.where(
                inside,
                1.0,
                np.where(band_tol == 0, 0.0, np.maximum(0.0, 1.0 - distance / band_tol)),
            )
            perf = np.where(band, band_score, perf)
            perf = np.where(percent, v / t, perf)
            gap = t - self.red_flag
            perf = np.where(goal, (v - (self.red_flag - gap)) / (3 * gap), perf)
            b = self.baseline
            progress = np.where(
                (linear | percent) & ~np.isnan(b) & ~np.isnan(t) & (b != t),
                (v - b) / (t - b),
                NAN,
            )
            progress = np.where(binary, perf, progress)

        status = np.full(self.n, S_NO_DATA, dtype=np.intp)
        has_value = ~np.isnan(v)
        scored = has_value & ~problem & ~self.none
        perf = np.where(scored, perf, NAN)
        progress = np.where(scored, progress, NAN)
        for rows, lowers, ids, ratio in self.bands:
            sel = rows[scored[rows]]
            if not sel.size:
                continue
            with np.errstate(all="ignore"):
                number = v[sel] / target[sel] if ratio else perf[sel]
            where = np.maximum(np.searchsorted(lowers, number, side="right") - 1, 0)
            status[sel] = ids[where]
            if ratio:
                status[sel[~(target[sel] != 0) | np.isnan(target[sel])]] = S_ERROR
        status[problem] = S_ERROR
        status[self.none] = S_NOT_APPLICABLE
        status[self.broken] = S_ERROR
        perf[self.broken] = NAN
        progress[self.broken] = NAN
        return perf, progress, status

    def _rollups(
        self,
        value: np.ndarray,
        target: np.ndarray,
        performance: np.ndarray,
        progress: np.ndarray,
        status: np.ndarray,
        flag: np.ndarray,
        previous: np.ndarray,
        trend: np.ndarray,
        history_value: np.ndarray,
        history_target: np.ndarray,
    ) -> FloorResult:
        n_o, n_p, n_c = self.n_objectives, self.n_perspectives, len(self.inputs)
        # Absolute weights: perspective share × objective share × KPI share.
        p_total = np.bincount(self.p_card, self.p_weight, n_c)
        p_share = _share(self.p_weight, p_total[self.p_card])
        o_total = np.bincount(self.o_perspective, self.o_weight, n_p + 1)
        o_share = _share(self.o_weight, o_total[self.o_perspective])
        k_weight = np.where(self.none, 0.0, self.weight)
        k_total = np.bincount(self.objective, k_weight, n_o + 1)
        k_share = _share(k_weight, k_total[self.objective])
        o_p_share = np.append(p_share, 0.0)[self.o_perspective]
        absolute = np.append(o_p_share * o_share, 0.0)[self.objective] * k_share
        absolute[self.none] = 0.0

        scored = (status != S_ERROR) & (status != S_NOT_APPLICABLE)
        # KPIs → objectives.
        k_card = self.card
        kids = np.flatnonzero(scored & (self.objective < n_o))
        o_card = self.o_card
        o_score, o_cov, _ = self._roll(
            self.objective[kids], performance[kids], self.weight[kids], n_o, o_card
        )
        o_status = self._node_status(o_score, o_cov, o_card, np.zeros(n_o, dtype=bool))
        # Objectives → perspectives.
        obj = np.flatnonzero(self.o_perspective < n_p)
        p_score, p_cov, _ = self._roll(
            self.o_perspective[obj], o_score[obj], self.o_weight[obj], n_p, self.p_card
        )
        starved = np.bincount(
            self.o_perspective[obj], (o_status[obj] == S_NOT_ENOUGH).astype(float), n_p
        )
        p_status = self._node_status(p_score, p_cov, self.p_card, starved > 0)
        # Perspectives → scorecards.
        cards = np.arange(n_c)
        c_score, c_cov, _ = self._roll(self.p_card, p_score, self.p_weight, n_c, cards)
        starved = np.bincount(self.p_card, (p_status == S_NOT_ENOUGH).astype(float), n_c)
        c_status = self._node_status(c_score, c_cov, cards, starved > 0)
        # Leading and lagging scores; coverage of the scorecard.
        indicator = []
        for which in (self.leading, self.lagging):
            rows = np.flatnonzero(which & scored & (absolute > 0))
            score, _, _ = self._roll(k_card[rows], performance[rows], absolute[rows], n_c, cards)
            indicator.append(score)
        counted = absolute > 0
        has = ~np.isnan(performance)
        c_total = np.bincount(k_card, np.where(counted, absolute, 0.0), n_c)
        c_present = np.bincount(k_card, np.where(counted & has, absolute, 0.0), n_c)
        with np.errstate(all="ignore"):
            coverage = np.where(c_total == 0, 1.0, c_present / c_total)
        return FloorResult(
            value=value,
            target=target,
            performance=performance,
            progress=progress,
            status=status,
            flag=flag,
            previous=previous,
            trend=trend,
            history_value=history_value,
            history_target=history_target,
            absolute_weight=absolute,
            objective_score=o_score,
            objective_status=o_status,
            objective_coverage=o_cov,
            perspective_score=p_score,
            perspective_status=p_status,
            perspective_coverage=p_cov,
            card_score=c_score,
            card_status=c_status,
            card_leading=indicator[0],
            card_lagging=indicator[1],
            card_coverage=coverage,
            card_scored=np.bincount(k_card, counted & has, n_c),
            card_counted=np.bincount(k_card, counted, n_c),
        )

    def _roll(
        self,
        parent: np.ndarray,
        score: np.ndarray,
        weight: np.ndarray,
        n: int,
        card_of_parent: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """rollup.rollup of each parent's (score, weight) children, and coverage."""
        card = card_of_parent[parent]
        present = ~np.isnan(score)
        total = np.bincount(parent, weight, n)
        present_weight = np.bincount(parent, np.where(present, weight, 0.0), n)
        children = np.bincount(parent, minlength=n)
        missing_children = np.bincount(parent, ~present, n)
        policy = self.missing[card_of_parent]
        zero = self.missing[card] == list(MissingPolicy).index(MissingPolicy.ZERO)
        clamped = np.minimum(np.maximum(score, 0.0), self.cap[card])
        included = present | zero
        s = np.where(present, clamped, 0.0)
        w = np.where(included, weight, 0.0)
        count = np.bincount(parent, included, n)
        aggregator = self.aggregator[card_of_parent]
        out = np.full(n, NAN)
        kinds = list(Aggregator)
        with np.errstate(all="ignore"):
            used = set(aggregator.tolist())
            if kinds.index(Aggregator.WEIGHTED_AVERAGE) in used:
                w_total = np.bincount(parent, w, n)
                share = _share(w, w_total[parent])
                mean = np.bincount(parent, np.where(included, s * share, 0.0), n)
                pick = aggregator == kinds.index(Aggregator.WEIGHTED_AVERAGE)
                out[pick] = mean[pick]
            if kinds.index(Aggregator.AVERAGE) in used:
                plain = np.bincount(parent, np.where(included, s, 0.0), n) / count
                pick = aggregator == kinds.index(Aggregator.AVERAGE)
                out[pick] = plain[pick]
            if kinds.index(Aggregator.SUM) in used:
                total_score = np.bincount(parent, np.where(included, s, 0.0), n)
                pick = aggregator == kinds.index(Aggregator.SUM)
                out[pick] = total_score[pick]
            lowest = {kinds.index(Aggregator.MIN), kinds.index(Aggregator.WORST_CHILD)}
            if lowest & used:
                low = np.full(n, np.inf)
                np.minimum.at(low, parent[included], s[included])
                pick = np.isin(aggregator, list(lowest))
                out[pick] = low[pick]
            if kinds.index(Aggregator.MAX) in used:
                high = np.full(n, -np.inf)
                np.maximum.at(high, parent[included], s[included])
                pick = aggregator == kinds.index(Aggregator.MAX)
                out[pick] = high[pick]
            coverage = np.where(total == 0, 1.0, present_weight / total)
            short = (total > 0) & (present_weight / total < self.min_coverage[card_of_parent])
        propagate = policy == list(MissingPolicy).index(MissingPolicy.PROPAGATE)
        out[(children == 0) | (count == 0) | short | (propagate & (missing_children > 0))] = NAN
        return out, coverage, children

    def _node_status(
        self, score: np.ndarray, coverage: np.ndarray, card: np.ndarray, starved: np.ndarray
    ) -> np.ndarray:
        """evaluate._covered_status of nodes of the scorecards ``card``."""
        status = np.full(len(score), S_NO_DATA, dtype=np.intp)
        known = ~np.isnan(score)
        for cards, lowers, ids in self.node_bands:
            rows = np.flatnonzero(known & np.isin(card, cards))
            where = np.maximum(np.searchsorted(lowers, score[rows], side="right") - 1, 0)
            status[rows] = ids[where]
        minimum = self.min_coverage[card]
        short = ~known & (minimum > 0) & (starved | ((coverage > 0) & (coverage < minimum)))
        status[short] = S_NOT_ENOUGH
        return status


def _share(weight: np.ndarray, total: np.ndarray) -> np.ndarray:
    """rollup.normalised: each weight over its group's total (0 when the total is 0)."""
    with np.errstate(all="ignore"):
        return np.where(total != 0, weight / total, 0.0)


def _trend(previous: np.ndarray, current: np.ndarray) -> np.ndarray:
    """trend.direction as codes into TRENDS (0: none)."""
    out = np.zeros(len(current), dtype=np.int8)
    with np.errstate(all="ignore"):
        change = (current - previous) / np.abs(previous)
    both = ~np.isnan(previous) & ~np.isnan(current)
    zero = previous == 0
    sign = np.where(current > 0, 2, 3)
    out = np.where(both & zero, np.where(current == 0, 1, sign), out)
    moved = np.where(np.abs(change) < 0.02, 1, np.where(change > 0, 2, 3))
    return np.where(both & ~zero, moved, out).astype(np.int8)


# --- checking against the engine --------------------------------------------------------


def _same(a: float | None, b: float, tolerance: float = 1e-9) -> bool:
    if a is None:
        return bool(np.isnan(b))
    if np.isnan(b):
        return False
    return abs(a - b) <= tolerance * max(1.0, abs(a))


@dataclass
class Comparison:
    """How many numbers and statuses were compared, and every difference found."""

    checked: int
    mismatches: list[str]


def compare(floor: Floor, result: FloorResult, engine: Sequence[ScorecardResult]) -> Comparison:
    """Every difference between the floor's numbers and the engine's (empty: equal to
    1e-9): each KPI's value, target, performance, progress, status, flag (period view),
    previous value, trend, history and absolute weight; each objective's, perspective's
    and scorecard's score, status and coverage; leading, lagging and KPI counts."""
    names = floor.status_names
    out: list[str] = []
    checked = [0]

    def check(where: str, what: str, theirs: Any, ours: Any) -> None:
        checked[0] += 1
        if isinstance(ours, str) or ours is None or isinstance(theirs, str):
            if theirs != ours:
                out.append(f"{where} {what}: engine {theirs!r}, floor {ours!r}")
        elif not _same(theirs, float(ours)):
            out.append(f"{where} {what}: engine {theirs!r}, floor {float(ours)!r}")

    for row, (s, code) in enumerate(floor.codes):
        r = engine[s].kpis[code]
        where = f"{engine[s].key}/{code}"
        check(where, "value", r.value, result.value[row])
        check(where, "target", r.target, result.target[row])
        check(where, "performance", r.performance, result.performance[row])
        check(where, "progress", r.progress, result.progress[row])
        check(where, "status", r.status, names[result.status[row]])
        check(where, "previous", r.previous_value, result.previous[row])
        check(where, "trend", r.trend, TRENDS[result.trend[row]])
        check(where, "absolute weight", r.absolute_weight, result.absolute_weight[row])
        if engine[s].view is View.PERIOD:
            check(where, "flag", r.flag, FLAGS.get(int(result.flag[row])))
        for n, (_, v, t) in enumerate(r.history):
            check(where, f"history {n} value", v, result.history_value[row, n])
            check(where, f"history {n} target", t, result.history_target[row, n])
    for row, (s, key) in enumerate(floor.objective_keys):
        o = engine[s].objectives[key]
        where = f"{engine[s].key}/objective {key}"
        check(where, "score", o.score, result.objective_score[row])
        check(where, "status", o.status, names[result.objective_status[row]])
        check(where, "coverage", o.coverage, result.objective_coverage[row])
    for row, (s, key) in enumerate(floor.perspective_keys):
        p = engine[s].perspectives[key]
        where = f"{engine[s].key}/perspective {key}"
        check(where, "score", p.score, result.perspective_score[row])
        check(where, "status", p.status, names[result.perspective_status[row]])
        check(where, "coverage", p.coverage, result.perspective_coverage[row])
    for s, card in enumerate(engine):
        where = card.key
        check(where, "score", card.score, result.card_score[s])
        check(where, "status", card.status, names[result.card_status[s]])
        check(where, "leading", card.leading, result.card_leading[s])
        check(where, "lagging", card.lagging, result.card_lagging[s])
        check(where, "coverage", card.coverage, result.card_coverage[s])
        check(where, "KPIs scored", card.kpis_scored, result.card_scored[s])
        check(where, "KPIs counted", card.kpis_counted, result.card_counted[s])
    return Comparison(checked[0], out)


def evaluate_all(
    inputs: Sequence[ScorecardInput], as_of: dt.date, view: View
) -> list[ScorecardResult]:
    """The engine's results for every scorecard (what the floor is checked against)."""
    return [evaluate_scorecard(sc, as_of=as_of, view=view) for sc in inputs]
