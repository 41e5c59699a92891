"""Cascading: scores that roll up from units' scorecards into their parents' objectives,
and KPI values that roll up across the unit tree (docs/cascading.md).

Two separate rollups (scoring-spec.md 5.6):

* **Scores** follow objective alignments. A unit's objective makes up a *share* of
  the parent objective it is aligned to; :func:`evaluate_cascade` scores the units
  below first and blends their objective scores into their parents' objectives
  (:func:`scorecard.engine.rollup.aligned_rollup`).
* **Values** follow KPI alignments: the same KPI in several units combines by a rule
  (sum, average, min, max) or, for a calculated KPI, by its equation over the
  rolled-up inputs, so a ratio is rebuilt from summed parts and never averaged
  (:func:`roll_up_values`). Value rollups are shown, never scored, so the units'
  performance is not counted a second time through the parent's KPIs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .evaluate import Contribution, ScorecardInput, ScorecardResult, evaluate_scorecard
from .formulas import Context, FormulaError, evaluate, parse
from .nature import is_additive
from .types import ConfigError, KpiSpec, View
from .windows import CustomWindow

# --- score rollup through objective alignments ------------------------------------------


@dataclass(frozen=True)
class Alignment:
    """An objective of one scorecard making up ``share`` of an objective of another."""

    child_scorecard: str
    child_objective: str
    parent_scorecard: str
    parent_objective: str
    share: float = 1.0


@dataclass(frozen=True)
class CascadeResult:
    """Every scorecard's result, and the alignments that were left out and why.

    ``inputs`` holds the input each scorecard was scored with: its own, with the
    contributions of the units below filled in. Scoring one of them again with
    :func:`~scorecard.engine.evaluate.evaluate_scorecard` gives the same result, so a
    what-if can change it and stay comparable with the scorecard page.
    """

    scorecards: dict[str, ScorecardResult]
    errors: tuple[ConfigError, ...]
    inputs: dict[str, ScorecardInput] = field(default_factory=dict)


def _usable(
    cards: Mapping[str, ScorecardInput], alignments: Sequence[Alignment]
) -> tuple[list[Alignment], list[ConfigError]]:
    """The alignments that can be scored, in order; the others as errors.

    Left out: unknown scorecards or objectives, a share outside (0, 1], an objective
    aligned inside its own scorecard, and any alignment that would close a loop
    between scorecards (scores must flow one way, from the units up).
    """
    kept: list[Alignment] = []
    errors: list[ConfigError] = []
    feeds: dict[str, set[str]] = {}  # scorecard → scorecards it feeds into

    def reaches(start: str, goal: str) -> bool:
        seen, stack = set(), [start]
        while stack:
            key = stack.pop()
            if key == goal:
                return True
            if key not in seen:
                seen.add(key)
                stack.extend(feeds.get(key, ()))
        return False

    for a in alignments:
        label = f"{a.child_scorecard}/{a.child_objective}"
        child, parent = cards.get(a.child_scorecard), cards.get(a.parent_scorecard)
        problem = None
        if child is None or not any(o.key == a.child_objective for o in child.objectives):
            problem = "the aligned objective is not among the scorecards scored"
        elif parent is None or not any(o.key == a.parent_objective for o in parent.objectives):
            problem = (
                f"it is aligned to {a.parent_scorecard}/{a.parent_objective}, which is unknown"
            )
        elif not 0 < a.share <= 1:
            problem = f"its share {a.share} is not between 0 and 1"
        elif a.child_scorecard == a.parent_scorecard:
            problem = "an objective cannot be aligned to one in its own scorecard"
        elif reaches(a.parent_scorecard, a.child_scorecard):
            problem = (
                f"aligning it to {a.parent_scorecard}/{a.parent_objective} would make "
                "scores go round in a loop"
            )
        if problem is None:
            kept.append(a)
            feeds.setdefault(a.child_scorecard, set()).add(a.parent_scorecard)
        else:
            errors.append(ConfigError(label, label, f"Alignment left out: {problem}."))
    return kept, errors


def _order(keys: Sequence[str], alignments: Sequence[Alignment]) -> list[str]:
    """Scorecards with the units below before the scorecards they feed (loops removed)."""
    below: dict[str, list[str]] = {}
    for a in alignments:
        below.setdefault(a.parent_scorecard, []).append(a.child_scorecard)
    ordered: list[str] = []
    done: set[str] = set()

    def visit(key: str) -> None:
        if key in done:
            return
        done.add(key)
        for child in below.get(key, ()):
            visit(child)
        ordered.append(key)

    for key in keys:
        visit(key)
    return ordered


def evaluate_cascade(
    cards: Sequence[ScorecardInput],
    alignments: Sequence[Alignment],
    *,
    as_of: dt.date,
    view: View | CustomWindow = View.PERIOD,
) -> CascadeResult:
    """Score several scorecards whose objectives are aligned, the units below first.

    Each parent objective gets its aligned objectives' scores as
    :class:`~scorecard.engine.evaluate.Contribution`; an objective's score already
    holds the units below it, so a grandchild counts once, through its parent unit.
    Objectives that are not aligned do not count in the parent at all.
    """
    by_key = {card.key: card for card in cards}
    kept, errors = _usable(by_key, alignments)
    names = {(c.key, o.key): o.name for c in cards for o in c.objectives}
    results: dict[str, ScorecardResult] = {}
    inputs: dict[str, ScorecardInput] = {}
    for key in _order([c.key for c in cards], kept):
        card = by_key[key]
        contributions = tuple(
            Contribution(
                objective=a.parent_objective,
                source_scorecard=a.child_scorecard,
                source_scorecard_name=by_key[a.child_scorecard].name,
                source=a.child_objective,
                name=names[(a.child_scorecard, a.child_objective)],
                score=results[a.child_scorecard].objectives[a.child_objective].score,
                share=a.share,
            )
            for a in kept
            if a.parent_scorecard == key
        )
        inputs[key] = replace(card, contributions=card.contributions + contributions)
        results[key] = evaluate_scorecard(inputs[key], as_of=as_of, view=view)
    return CascadeResult(
        {c.key: results[c.key] for c in cards},
        tuple(errors),
        {c.key: inputs[c.key] for c in cards},
    )


# --- value rollup across the unit tree --------------------------------------------------


class UnitRollup(StrEnum):
    """How the values of the same KPI in the units below combine into the parent's."""

    SUM = "sum"
    AVERAGE = "average"
    MIN = "min"
    MAX = "max"
    EQUATION = "equation"


def default_unit_rollup(spec: KpiSpec) -> UnitRollup:
    """The rule a KPI gets when none is chosen.

    A calculated KPI is rebuilt from its rolled-up inputs (its equation); a KPI that
    does not add up (engine.nature.is_additive: a ratio, a percentage, an index, a
    score, a level such as a net promoter score, a KPI averaged over time) is
    averaged; an amount or a count is summed.
    """
    if spec.formula:
        return UnitRollup.EQUATION
    if not is_additive(spec):
        return UnitRollup.AVERAGE
    return UnitRollup.SUM


def combine(values: Sequence[float | None], rule: UnitRollup) -> float | None:
    """Sum, average, min or max of the values that are there (None when none is)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if rule is UnitRollup.SUM:
        return sum(present)
    if rule is UnitRollup.AVERAGE:
        return sum(present) / len(present)
    if rule is UnitRollup.MIN:
        return min(present)
    if rule is UnitRollup.MAX:
        return max(present)
    raise ValueError(f"{rule} is not a rule that combines values one by one")


@dataclass(frozen=True)
class UnitValue:
    """One unit's KPI for the value rollup.

    ``children`` are the keys of the same KPI in the units below (KPI alignments).
    With the EQUATION rule, ``formula`` is the KPI's formula and ``inputs`` maps each
    KPI code it uses to the key of that KPI in the same unit.
    """

    key: str
    value: float | None
    rule: UnitRollup = UnitRollup.SUM
    children: tuple[str, ...] = ()
    formula: str | None = None
    inputs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RolledValue:
    """A KPI's value rolled up from the units below.

    ``rolled`` is False for a unit with nothing below it (``value`` is then its own).
    ``reported`` of ``units`` leaf units had a value; ``flag`` names a problem
    (``division_by_zero``, ``out_of_range``, ``no_formula``, ``loop``).
    """

    key: str
    value: float | None
    rolled: bool
    reported: int
    units: int
    flag: str | None = None


_Visit = Callable[[str], RolledValue]
_Leaf = Callable[[UnitValue], RolledValue]


def roll_up_values(nodes: Mapping[str, UnitValue]) -> dict[str, RolledValue]:
    """Every KPI's value rolled up from the units below (scoring-spec 5.6).

    A KPI with units below takes its value from them only, never adding its own
    recorded value as well (that would count the units twice); a unit with activity
    of its own reports it as a unit of its own. Worked example 11: calls 400 and 600,
    answered 368 and 528, service level = answered / calls * 100 → 89.6 %, not the
    90 % that averaging 92 % and 88 % gives.
    """
    out: dict[str, RolledValue] = {}
    visiting: set[str] = set()

    def leaf(node: UnitValue) -> RolledValue:
        return RolledValue(node.key, node.value, False, int(node.value is not None), 1)

    def visit(key: str) -> RolledValue:
        if key in out:
            return out[key]
        node = nodes[key]
        if key in visiting:
            return RolledValue(key, None, True, 0, 0, "loop")
        visiting.add(key)
        try:
            result = _roll_node(node, visit, leaf)
        finally:
            visiting.discard(key)
        out[key] = result
        return result

    for key in nodes:
        visit(key)
    return {key: out[key] for key in nodes}


def _roll_node(node: UnitValue, visit: _Visit, leaf: _Leaf) -> RolledValue:
    if node.rule is UnitRollup.EQUATION:
        return _roll_equation(node, visit, leaf)
    if not node.children:
        return leaf(node)
    parts = [visit(child) for child in node.children]
    if any(p.flag == "loop" for p in parts):
        return RolledValue(node.key, None, True, 0, 0, "loop")
    return RolledValue(
        node.key,
        combine([p.value for p in parts], node.rule),
        True,
        sum(p.reported for p in parts),
        sum(p.units for p in parts),
    )


def _roll_equation(node: UnitValue, visit: _Visit, leaf: _Leaf) -> RolledValue:
    if not node.formula:
        # Only a calculated KPI has an equation to rebuild it from its parts.
        return (
            RolledValue(node.key, None, True, 0, 0, "no_formula") if node.children else leaf(node)
        )
    inputs = {code: visit(key) for code, key in node.inputs}
    if not any(part.rolled for part in inputs.values()):
        # Nothing below feeds its inputs: the unit's own value stands.
        return leaf(node)
    if any(part.flag == "loop" for part in inputs.values()):
        return RolledValue(node.key, None, True, 0, 0, "loop")
    try:
        parsed = parse(node.formula)
    except FormulaError:
        return RolledValue(node.key, None, True, 0, 0, "no_formula")
    value, flag = evaluate(parsed, Context({c: p.value for c, p in inputs.items()}))
    rolled = [p for p in inputs.values() if p.rolled]
    return RolledValue(
        node.key,
        value,
        True,
        min(p.reported for p in rolled),
        max(p.units for p in rolled),
        flag,
    )


__all__ = [
    "Alignment",
    "CascadeResult",
    "RolledValue",
    "UnitRollup",
    "UnitValue",
    "combine",
    "default_unit_rollup",
    "evaluate_cascade",
    "roll_up_values",
]
