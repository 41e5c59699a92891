"""Cascading in the engine: objective scores rolled up through alignments (with shares),
and KPI values rolled up across the unit tree (docs/cascading.md, scoring-spec 5.6)."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.engine.cascade import (
    Alignment,
    UnitRollup,
    UnitValue,
    combine,
    default_unit_rollup,
    evaluate_cascade,
    roll_up_values,
)
from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    ScorecardInput,
    evaluate_scorecard,
)
from scorecard.engine.rollup import aligned_rollup
from scorecard.engine.types import (
    Aggregation,
    Interval,
    KpiSpec,
    Measurement,
    MissingPolicy,
)

approx = pytest.approx
AS_OF = dt.date(2026, 11, 23)  # the latest complete month is October 2026


# --- the blend of an objective's own score with its aligned parts ----------------------

BLENDS = [
    # own, has own KPIs, [(aligned score, share)], missing policy, score, own weight, weights
    ("one unit makes up 60 %", 0.8, True, [(0.5, 0.6)], "exclude", 0.62, 0.4, (0.6,)),
    ("two units, 30 % each", 0.8, True, [(0.5, 0.3), (1.0, 0.3)], "exclude", 0.77, 0.4, (0.3, 0.3)),
    ("shares over 1 are scaled down; own KPIs count for nothing", 0.8, True,
     [(0.5, 0.6), (0.9, 0.8)], "exclude", 1.02 / 1.4, 0.0, (0.6 / 1.4, 0.8 / 1.4)),
    ("a share of 1: the unit is the whole objective", 0.8, True, [(0.5, 1.0)], "exclude",
     0.5, 0.0, (1.0,)),
    ("no KPIs of its own: made of its aligned parts", None, False, [(0.5, 0.3)], "exclude",
     0.5, 0.0, (1.0,)),
    ("own KPIs without data, left out", None, True, [(0.5, 0.6)], "exclude", 0.5, 0.0, (1.0,)),
    ("own KPIs without data, as zero", None, True, [(0.5, 0.6)], "zero", 0.3, 0.4, (0.6,)),
    ("own KPIs without data, propagated", None, True, [(0.5, 0.6)], "propagate",
     None, 0.0, (0.0,)),
    ("a unit without a score, left out", 0.8, True, [(None, 0.6)], "exclude", 0.8, 1.0, (0.0,)),
    ("a unit without a score, as zero", 0.8, True, [(None, 0.6)], "zero", 0.32, 0.4, (0.6,)),
    ("nothing aligned: the own score, untouched", 0.8, True, [], "exclude", 0.8, 1.0, ()),
    ("nothing aligned and no data", None, True, [], "propagate", None, 1.0, ()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "own", "has_own", "shares", "missing", "score", "own_weight", "weights"),
    BLENDS,
    ids=[row[0] for row in BLENDS],
)
def test_aligned_objectives_make_up_their_share_of_the_parent(
    label: str,
    own: float | None,
    has_own: bool,
    shares: list[tuple[float | None, float]],
    missing: str,
    score: float | None,
    own_weight: float,
    weights: tuple[float, ...],
) -> None:
    blended = aligned_rollup(own, shares, has_own=has_own, missing=MissingPolicy(missing))
    assert blended.score == (None if score is None else approx(score))
    assert blended.own_weight == approx(own_weight)
    assert blended.weights == approx(weights)


def test_a_runaway_unit_is_held_at_the_cap() -> None:
    assert aligned_rollup(0.5, [(1.8, 0.5)]).score == approx(0.75)
    assert aligned_rollup(0.5, [(1.8, 0.5)], cap=1.2).score == approx(0.85)


# --- scorecards aligned to each other --------------------------------------------------


def _kpi(code: str, objective: str, value: float | None) -> KpiInput:
    """A monthly KPI on a 0–100 scale whose October 2026 value is ``value``."""
    measurements = () if value is None else (Measurement(dt.date(2026, 10, 1), value),)
    spec = KpiSpec(code, code, minimum=0, maximum=100, target=100, aggregation=Aggregation.LAST)
    return KpiInput(spec, objective, measurements)


def _card(key: str, objectives: dict[str, float | None]) -> ScorecardInput:
    """A scorecard with one perspective; each objective measured by one KPI at ``value`` %."""
    return ScorecardInput(
        key,
        key.title(),
        (PerspectiveInput("p", "P"),),
        tuple(ObjectiveInput(code, code.title(), "p") for code in objectives),
        tuple(_kpi(f"{code}_kpi", code, value) for code, value in objectives.items()),
    )


def test_a_units_objective_rolls_up_into_the_company_by_its_share() -> None:
    company = _card("company", {"grow": 80, "cash": 90})
    sales = _card("sales", {"key": 50, "unaligned": 10})
    result = evaluate_cascade(
        [company, sales], [Alignment("sales", "key", "company", "grow", 0.6)], as_of=AS_OF
    )
    grow = result.scorecards["company"].objectives["grow"]
    assert grow.own_score == approx(0.8)
    assert grow.score == approx(0.4 * 0.8 + 0.6 * 0.5)  # 0.62
    assert grow.own_weight == approx(0.4)
    assert [(c.source_scorecard, c.source, c.score, c.weight) for c in grow.contributions] == [
        ("sales", "key", approx(0.5), approx(0.6))
    ]
    # The company's score takes Sales through "grow" only: its unaligned objective
    # (10 %) and its scorecard total are not counted a second time.
    assert result.scorecards["company"].score == approx((0.62 + 0.9) / 2)
    assert result.scorecards["sales"].score == approx(0.3)
    assert result.errors == ()


def test_a_grandchild_counts_once_through_its_parent_unit() -> None:
    company = _card("company", {"grow": 80})
    sales = _card("sales", {"key": 50})
    team = _card("team", {"calls": 100})
    alignments = [
        Alignment("team", "calls", "sales", "key", 0.5),
        Alignment("sales", "key", "company", "grow", 0.6),
    ]
    # Given parents first: the engine orders the units below first by itself.
    result = evaluate_cascade([company, sales, team], alignments, as_of=AS_OF)
    assert result.scorecards["sales"].objectives["key"].score == approx(0.75)
    assert result.scorecards["company"].objectives["grow"].score == approx(0.4 * 0.8 + 0.6 * 0.75)
    assert list(result.scorecards) == ["company", "sales", "team"]


def test_one_objective_may_serve_two_parents() -> None:
    company = _card("company", {"grow": 80, "win": None})
    sales = _card("sales", {"key": 50})
    alignments = [
        Alignment("sales", "key", "company", "grow", 0.5),
        Alignment("sales", "key", "company", "win", 0.5),
    ]
    result = evaluate_cascade([company, sales], alignments, as_of=AS_OF).scorecards["company"]
    assert result.objectives["grow"].score == approx(0.65)
    # "win" has a KPI without data: left out, so the unit's objective is all of it.
    assert result.objectives["win"].score == approx(0.5)


def test_a_scorecard_without_alignments_scores_as_before() -> None:
    company = _card("company", {"grow": 80, "cash": None})
    alone = evaluate_scorecard(company, as_of=AS_OF)
    cascaded = evaluate_cascade([company], [], as_of=AS_OF).scorecards["company"]
    assert cascaded == alone


BAD_ALIGNMENTS = [
    (Alignment("sales", "nope", "company", "grow"), "not among the scorecards scored"),
    (Alignment("sales", "key", "company", "nope"), "company/nope, which is unknown"),
    (Alignment("sales", "key", "sales", "other"), "in its own scorecard"),
    (Alignment("company", "grow", "sales", "key"), "in a loop"),
    (Alignment("sales", "key", "company", "grow", 1.5), "not between 0 and 1"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ALIGNMENTS)
def test_alignments_that_cannot_be_scored_are_left_out_and_named(
    bad: Alignment, message: str
) -> None:
    company = _card("company", {"grow": 80})
    sales = _card("sales", {"key": 50, "other": 20})
    good = Alignment("sales", "key", "company", "grow", 0.5)
    result = evaluate_cascade([company, sales], [good, bad], as_of=AS_OF)
    assert len(result.errors) == 1
    assert message in result.errors[0].message
    assert result.scorecards["company"].objectives["grow"].score == approx(0.65)
    assert result.scorecards["sales"].objectives["key"].score == approx(0.5)


# --- value rollup across the unit tree -------------------------------------------------


def test_worked_example_11_a_ratio_is_rebuilt_from_its_summed_parts() -> None:
    # Unit A: 400 calls at 92 %; unit B: 600 calls at 88 % → 89.6 %, not 90 %.
    formula = "answered / calls * 100"
    nodes = {
        "co.calls": UnitValue("co.calls", None, UnitRollup.SUM, ("a.calls", "b.calls")),
        "co.answered": UnitValue("co.answered", None, UnitRollup.SUM, ("a.ans", "b.ans")),
        "co.level": UnitValue(
            "co.level", None, UnitRollup.EQUATION, ("a.level", "b.level"), formula,
            (("answered", "co.answered"), ("calls", "co.calls")),
        ),
        "a.calls": UnitValue("a.calls", 400), "a.ans": UnitValue("a.ans", 368),
        "a.level": UnitValue("a.level", 92), "b.calls": UnitValue("b.calls", 600),
        "b.ans": UnitValue("b.ans", 528), "b.level": UnitValue("b.level", 88),
    }  # fmt: skip
    rolled = roll_up_values(nodes)
    assert rolled["co.level"].value == approx(89.6)
    assert (rolled["co.level"].reported, rolled["co.level"].units) == (2, 2)
    assert rolled["co.calls"].value == 1000
    assert rolled["a.level"].value == 92 and not rolled["a.level"].rolled
    # Averaging the two percentages would say 90 %: the wrong answer the rule avoids.
    averaged = roll_up_values(
        {
            **nodes,
            "co.level": UnitValue("co.level", None, UnitRollup.AVERAGE, ("a.level", "b.level")),
        }
    )
    assert averaged["co.level"].value == approx(90.0)


COMBINE = [
    # values, rule, result
    ([400, 600, None], UnitRollup.SUM, 1000),
    ([92, 88], UnitRollup.AVERAGE, 90),
    ([92, None, 88], UnitRollup.AVERAGE, 90),
    ([3, 7, 5], UnitRollup.MIN, 3),
    ([3, 7, 5], UnitRollup.MAX, 7),
    ([None, None], UnitRollup.SUM, None),
    ([], UnitRollup.AVERAGE, None),
]


@pytest.mark.parametrize(("values", "rule", "expected"), COMBINE)
def test_combine_units_values(
    values: list[float | None], rule: UnitRollup, expected: float
) -> None:
    assert combine(values, rule) == expected


def test_values_roll_up_through_every_level_and_the_parent_value_is_not_added() -> None:
    nodes = {
        # The company's own recorded 999 is not added: its value comes from the units.
        "co": UnitValue("co", 999, UnitRollup.SUM, ("sales", "ops")),
        "sales": UnitValue("sales", 1, UnitRollup.SUM, ("north", "south")),
        "north": UnitValue("north", 100),
        "south": UnitValue("south", None),
        "ops": UnitValue("ops", 50),
    }
    rolled = roll_up_values(nodes)
    assert rolled["sales"].value == 100
    assert rolled["co"].value == 150
    assert (rolled["co"].reported, rolled["co"].units) == (2, 3)


def test_value_rollup_problems_are_flagged_not_raised() -> None:
    nodes = {
        "x": UnitValue("x", 1, UnitRollup.SUM, ("y",)),
        "y": UnitValue("y", 2, UnitRollup.SUM, ("x",)),
        "plain": UnitValue("plain", 5, UnitRollup.EQUATION, ("x",)),
        "ratio": UnitValue(
            "ratio", None, UnitRollup.EQUATION, (), "a / b", (("a", "sum_a"), ("b", "sum_b"))
        ),
        "sum_a": UnitValue("sum_a", None, UnitRollup.SUM, ("a1",)),
        "sum_b": UnitValue("sum_b", None, UnitRollup.SUM, ("b1",)),
        "a1": UnitValue("a1", 3),
        "b1": UnitValue("b1", 0),
    }
    rolled = roll_up_values(nodes)
    assert rolled["x"].flag == "loop" and rolled["x"].value is None
    assert rolled["plain"].flag == "no_formula"
    assert (rolled["ratio"].value, rolled["ratio"].flag) == (None, "division_by_zero")


def test_an_equation_with_nothing_below_keeps_the_units_own_value() -> None:
    nodes = {
        "level": UnitValue("level", 91, UnitRollup.EQUATION, (), "a / b", (("a", "a"), ("b", "b"))),
        "a": UnitValue("a", 1),
        "b": UnitValue("b", 2),
    }
    assert roll_up_values(nodes)["level"].value == 91


DEFAULT_RULES = [
    (KpiSpec("level", "Level", formula="a / b * 100", unit="%"), UnitRollup.EQUATION),
    (KpiSpec("csat", "Satisfaction", aggregation=Aggregation.AVERAGE), UnitRollup.AVERAGE),
    (KpiSpec("share", "Share", aggregation=Aggregation.LAST, unit="%"), UnitRollup.AVERAGE),
    (KpiSpec("calls", "Calls", interval=Interval.MONTH), UnitRollup.SUM),
    (KpiSpec("staff", "Headcount", aggregation=Aggregation.LAST), UnitRollup.SUM),
]


@pytest.mark.parametrize(("spec", "rule"), DEFAULT_RULES)
def test_default_rule_never_sums_ratios(spec: KpiSpec, rule: UnitRollup) -> None:
    assert default_unit_rollup(spec) is rule
