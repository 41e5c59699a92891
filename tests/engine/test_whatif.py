"""What-if, goal seek and sensitivity on a small scorecard (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.engine import evidence as ev
from scorecard.engine import whatif as wi
from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    ScorecardInput,
    evaluate_scorecard,
)
from scorecard.engine.types import Aggregation, KpiSpec, Measurement, Optimization, TargetPoint

approx = pytest.approx
AS_OF = dt.date(2026, 11, 23)  # the latest complete month is October
OCT = dt.date(2026, 10, 1)


def kpi(code: str, objective: str, value: float | None, **spec: object) -> KpiInput:
    fields: dict[str, object] = {"minimum": 0.0, "maximum": 100.0, "aggregation": Aggregation.LAST}
    fields.update(spec)
    return KpiInput(
        spec=KpiSpec(code, code.title(), **fields),  # type: ignore[arg-type]
        objective=objective,
        measurements=() if value is None else (Measurement(OCT, value),),
    )


def scorecard(*kpis: KpiInput) -> ScorecardInput:
    return ScorecardInput(
        key="sc",
        name="Test",
        perspectives=(
            PerspectiveInput("fin", "Financial", 1),
            PerspectiveInput("cus", "Customer", 1),
        ),
        objectives=(
            ObjectiveInput("grow", "Grow", "fin"),
            ObjectiveInput("keep", "Keep", "cus"),
        ),
        kpis=kpis,
    )


BASE = scorecard(
    kpi("sales", "grow", 40),
    kpi("margin", "grow", 80, weight=3),
    kpi("nps", "keep", 50),
    kpi("complaints", "keep", 30, optimization=Optimization.MINIMIZE, minimum=0, maximum=60),
)


def test_base_scores() -> None:
    result = evaluate_scorecard(BASE, as_of=AS_OF)
    assert result.objectives["grow"].score == approx(0.7)  # (40 + 3·80) / 4
    assert result.objectives["keep"].score == approx(0.5)
    assert result.score == approx(0.6)


@pytest.mark.parametrize(
    ("changes", "grow", "keep", "top"),
    [
        (wi.Changes(values={"sales": 80}), 0.8, 0.5, 0.65),
        (wi.Changes(values={"complaints": 0}), 0.7, 0.75, 0.725),
        (wi.Changes(kpi_weights={"margin": 1}), 0.6, 0.5, 0.55),
        (wi.Changes(perspective_weights={"fin": 3}), 0.7, 0.5, 0.65),
        (wi.Changes(objective_weights={"grow": 2}), 0.7, 0.5, 0.6),  # alone in its perspective
        # Scale of sales 0..target when the maximum is absent: target 50 makes 40 → 80 %.
        (wi.Changes(targets={"nps": 100}), 0.7, 0.5, 0.6),
    ],
)
def test_what_if_changes(changes: wi.Changes, grow: float, keep: float, top: float) -> None:
    result = wi.what_if(BASE, changes, as_of=AS_OF)
    assert result.objectives["grow"].score == approx(grow)
    assert result.objectives["keep"].score == approx(keep)
    assert result.score == approx(top)


def test_a_target_change_counts_where_the_target_sets_the_scale() -> None:
    card = scorecard(kpi("sales", "grow", 40, maximum=None, target=80), kpi("nps", "keep", 50))
    before = evaluate_scorecard(card, as_of=AS_OF)
    after = wi.what_if(card, wi.Changes(targets={"sales": 50}), as_of=AS_OF)
    assert before.kpis["sales"].performance == approx(0.5)
    assert after.kpis["sales"].target == 50
    assert after.kpis["sales"].performance == approx(0.8)


def test_a_value_change_replaces_only_the_scored_period() -> None:
    earlier = dt.date(2026, 9, 1)
    card = scorecard(
        KpiInput(
            KpiSpec("sales", "Sales", minimum=0, maximum=100, aggregation=Aggregation.SUM),
            "grow",
            measurements=(Measurement(earlier, 10), Measurement(OCT, 40)),
            targets=(TargetPoint(OCT, 60),),
        ),
        kpi("nps", "keep", 50),
    )
    changed = wi.apply_changes(card, wi.Changes(values={"sales": 90}), as_of=AS_OF)
    assert changed.kpis[0].measurements == (Measurement(earlier, 10), Measurement(OCT, 90))
    assert card.kpis[0].measurements == (Measurement(earlier, 10), Measurement(OCT, 40))
    result = evaluate_scorecard(changed, as_of=AS_OF)
    assert result.kpis["sales"].value == 90 and result.kpis["sales"].previous_value == 10


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (wi.Changes(values={"nope": 1}), "No KPI with the code"),
        (wi.Changes(kpi_weights={"sales": 0}), "must be above zero"),
        (wi.Changes(perspective_weights={"fin": -1}), "must be above zero"),
        (wi.Changes(values={"sales": float("nan")}), "must be a number"),
    ],
)
def test_bad_changes_are_refused(changes: wi.Changes, message: str) -> None:
    with pytest.raises(wi.WhatIfError, match=message):
        wi.apply_changes(BASE, changes, as_of=AS_OF)


def test_calculated_kpis_are_changed_through_their_inputs() -> None:
    card = scorecard(kpi("sales", "grow", 40), kpi("double", "keep", None, formula="sales * 2"))
    with pytest.raises(wi.WhatIfError, match="calculated"):
        wi.apply_changes(card, wi.Changes(values={"double": 5}), as_of=AS_OF)
    result = wi.what_if(card, wi.Changes(values={"sales": 45}), as_of=AS_OF)
    assert result.kpis["double"].value == 90


# --- goal seek ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kpi_code", "node", "value"),
    [
        # keep = (nps + (60 − complaints)/60) / 2 ≥ 2/3 with complaints at 50 %: nps ≥ 83.3
        ("nps", ("objective", "keep"), 83.3333),
        # complaints are lower-is-better: (60 − c)/60 ≥ 5/6 → at most 10
        ("complaints", ("objective", "keep"), 10.0),
        # the whole scorecard: (0.7 + keep) / 2 ≥ 2/3 → keep ≥ 0.6333 → nps ≥ 76.67
        ("nps", ("scorecard", ""), 76.6667),
        # grow = (sales + 3 · 0.8) / 4 ≥ 2/3 → sales ≥ 26.67 (less than today's 40)
        ("sales", ("perspective", "fin"), 26.6667),
        # (0.4 + 3m) / 4 ≥ 2/3 → margin ≥ 75.56
        ("margin", ("objective", "grow"), 75.5556),
    ],
)
def test_goal_seek(kpi_code: str, node: tuple[str, str], value: float) -> None:
    answer = wi.goal_seek(BASE, as_of=AS_OF, kpi_code=kpi_code, node=node)
    assert answer.reason is None
    assert answer.value == approx(value, abs=1e-3)
    assert answer.score is not None and answer.score >= answer.needed
    assert answer.score == approx(answer.needed, abs=1e-5)
    check = wi.what_if(BASE, wi.Changes(values={kpi_code: answer.value}), as_of=AS_OF)
    assert wi.node_score(check, node) == approx(answer.score)


def test_goal_seek_unreachable() -> None:
    # Even sales at 100 gives (1 + 2.4)/4 = 0.85 and a top score of 0.675.
    answer = wi.goal_seek(BASE, as_of=AS_OF, kpi_code="sales", node=("scorecard", ""), needed=0.9)
    assert answer.reason == "unreachable" and answer.value is None
    assert answer.score == approx(0.675)


def test_goal_seek_already_green() -> None:
    answer = wi.goal_seek(BASE, as_of=AS_OF, kpi_code="nps", node=("objective", "grow"))
    assert answer.reason == "already" and answer.value == approx(0)


@pytest.mark.parametrize(
    ("kpi_input", "message"),
    [
        (kpi("flag", "keep", 1, optimization=Optimization.BINARY_MAX, target=1), "yes/no|binary"),
        (kpi("calc", "keep", None, formula="nps * 2"), "calculated"),
    ],
)
def test_goal_seek_refuses_what_it_cannot_work_back(kpi_input: KpiInput, message: str) -> None:
    card = scorecard(kpi("nps", "keep", 50), kpi_input)
    with pytest.raises(wi.WhatIfError, match=message):
        wi.goal_seek(card, as_of=AS_OF, kpi_code=kpi_input.spec.code, node=("objective", "keep"))


# --- sensitivity -------------------------------------------------------------------------


def test_sensitivity_ranks_kpis_by_their_pull_on_the_top_score() -> None:
    result = evaluate_scorecard(BASE, as_of=AS_OF)
    ranked = wi.sensitivity(BASE, result, step=0.1)
    gains = {s.code: s.gain for s in ranked}
    # Absolute weights: margin 3/8, sales 1/8, nps 1/4, complaints 1/4.
    assert gains == {
        "margin": approx(0.0375),
        "nps": approx(0.025),
        "complaints": approx(0.025),
        "sales": approx(0.0125),
    }
    assert ranked[0].code == "margin"


def test_sensitivity_stops_at_the_cap() -> None:
    card = scorecard(kpi("sales", "grow", 100), kpi("nps", "keep", 50))
    gains = {s.code: s.gain for s in wi.sensitivity(card, evaluate_scorecard(card, as_of=AS_OF))}
    assert gains["sales"] == approx(0)  # already at 100 %: a better value changes nothing
    assert gains["nps"] == approx(0.05)


# --- evidence: lagged correlation --------------------------------------------------------


def test_lagged_correlation_finds_the_lag() -> None:
    leading = [float(v) for v in [1, 5, 2, 8, 3, 9, 4, 7, 6, 2, 8, 1, 5, 9, 3, 6]]
    lagging: list[float | None] = [None, None, *[10 * v for v in leading[:-2]]]
    found = ev.lagged_correlation(leading, lagging)
    assert found.best_lag == 2 and found.r == approx(1.0) and found.verdict == "supported"


def test_opposite_directions_expect_a_negative_correlation() -> None:
    leading = [float(v) + (v % 3) for v in range(14)]  # rising, with a wobble
    lagging: list[float | None] = [-v for v in leading]
    assert ev.lagged_correlation(leading, lagging).verdict == "contradicted"
    found = ev.lagged_correlation(leading, lagging, same_direction=False)
    assert found.verdict == "supported" and found.best_lag == 0


@pytest.mark.parametrize(
    ("leading", "lagging", "verdict"),
    [
        ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], "untested"),  # three periods tell nothing
        ([1.0] * 12, [float(i) for i in range(12)], "untested"),  # a flat line cannot correlate
        ([None] * 12, [float(i) for i in range(12)], "untested"),
    ],
)
def test_too_little_data_leaves_a_link_untested(leading, lagging, verdict) -> None:
    assert ev.lagged_correlation(leading, lagging).verdict == verdict


def test_pearson_examples() -> None:
    assert ev.pearson([(1, 2), (2, 4), (3, 6)]) == approx(1)
    assert ev.pearson([(1, 3), (2, 2), (3, 1)]) == approx(-1)
    assert ev.pearson([(1, 1), (2, 1)]) is None
