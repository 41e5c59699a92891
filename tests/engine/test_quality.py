"""Quality checks (engine/quality.py): each row is a small scorecard and what must be found.

A row names the finding codes expected about one subject, and often the codes that
must *not* be found, so that a check that fires on everything fails as surely as
one that fires on nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from scorecard.engine.quality import (
    Finding,
    InitiativeFacts,
    KpiFacts,
    ObjectiveFacts,
    PerspectiveFacts,
    Rules,
    ScorecardFacts,
    Severity,
    Subject,
    check_scorecard,
    findings_about,
)
from scorecard.engine.types import Indicator, Interval, KpiSpec, Optimization

AS_OF = dt.date(2026, 11, 23)


def spec(code: str = "sales", **fields: Any) -> KpiSpec:
    base: dict[str, Any] = {"name": code.replace("_", " ").title(), "unit": "€", "minimum": 0.0}
    base.update(fields)
    return KpiSpec(code=code, **base)


_SAME = object()


def kpi(
    code: str = "sales",
    objective: str | None = "grow",
    *,
    target: float | None = 100.0,
    spec_target: Any = _SAME,
    **fields: Any,
) -> KpiFacts:
    """A healthy monthly KPI unless told otherwise (owner, source, fresh value, target).

    ``target`` is the target in force; the definition's default target is the same
    unless ``spec_target`` says otherwise. Fields of KpiSpec go to the definition.
    """
    spec_fields = {k: fields.pop(k) for k in list(fields) if k in KpiSpec.__dataclass_fields__}
    spec_fields["target"] = target if spec_target is _SAME else spec_target
    base: dict[str, Any] = {
        "description": "Invoiced revenue.",
        "data_source": "ERP",
        "owner": "ann",
        "last_period": dt.date(2026, 10, 1),
    }
    base.update(fields)
    return KpiFacts(spec=spec(code, **spec_fields), objective=objective, target=target, **base)


def objective(code: str = "grow", perspective: str = "fin", **fields: Any) -> ObjectiveFacts:
    base: dict[str, Any] = {
        "name": code.title(),
        "description": "Grow.",
        "owner": "ann",
        "due_date": dt.date(2027, 12, 31),
        "linked": True,
    }
    base.update(fields)
    return ObjectiveFacts(code=code, perspective=perspective, **base)


def plan(key: str = "1", objectives: tuple[str, ...] = ("grow",), **fields: Any) -> InitiativeFacts:
    base: dict[str, Any] = {
        "name": f"Plan {key}",
        "description": "Do it.",
        "owner": "ann",
        "deadline": dt.date(2027, 6, 30),
        "tasks": 2,
        "status": "active",
    }
    base.update(fields)
    return InitiativeFacts(key=key, objectives=objectives, **base)


def card(**fields: Any) -> ScorecardFacts:
    """One perspective, one objective with a leading and a lagging KPI, and a plan."""
    base: dict[str, Any] = {
        "name": "Company",
        "perspectives": (PerspectiveFacts("fin", "Financial"),),
        "objectives": (objective(),),
        "kpis": (
            kpi("sales", indicator=Indicator.LAGGING),
            kpi("calls", indicator=Indicator.LEADING),
        ),
        "initiatives": (plan(),),
    }
    base.update(fields)
    return ScorecardFacts(**base)


def codes(
    findings: list[Finding], subject: Subject | None = None, key: str | None = None
) -> set[str]:
    return {
        f.code
        for f in findings
        if (subject is None or f.subject is subject) and (key is None or f.key == key)
    }


def test_a_healthy_scorecard_has_no_findings() -> None:
    assert check_scorecard(card(), AS_OF) == []


def _kpis(*items: KpiFacts) -> dict[str, Any]:
    return {"kpis": items}


LEAD = {"indicator": Indicator.LEADING}

# (what, scorecard fields, subject, key, expected codes, codes that must not appear)
CASES: list[tuple[str, dict[str, Any], Subject, str, set[str], set[str]]] = [
    # --- S: specific --------------------------------------------------------------------
    (
        "no description",
        _kpis(kpi(description=" "), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.no_description"},
        {"kpi.no_unit"},
    ),
    (
        "no unit",
        _kpis(kpi(unit=""), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.no_unit"},
        {"kpi.no_description"},
    ),
    (
        "a yes/no KPI needs no unit",
        _kpis(kpi(unit="", optimization=Optimization.BINARY_MAX, target=1.0), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.no_unit"},
    ),
    # --- M: measurable ------------------------------------------------------------------
    (
        "no data source",
        _kpis(kpi(data_source=""), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.no_data_source"},
        set(),
    ),
    (
        "a calculated KPI needs no data source",
        _kpis(kpi(data_source="", formula="calls * 2"), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.no_data_source", "kpi.no_values", "kpi.stale"},
    ),
    (
        "no target anywhere",
        _kpis(kpi(target=None), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.no_target"},
        set(),
    ),
    (
        "a per-period target counts",
        _kpis(kpi(target=80.0, spec_target=None), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.no_target"},
    ),
    (
        "a band KPI's target is its band",
        _kpis(
            kpi(optimization=Optimization.BAND, band_low=5.0, band_high=7.0, target=None),
            kpi("calls", **LEAD),
        ),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.no_target"},
    ),
    (
        "an unscored KPI needs no target",
        _kpis(kpi(optimization=Optimization.NONE, target=None), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.no_target"},
    ),
    (
        "a broken scale is an error",
        _kpis(kpi(optimization=Optimization.EXACT, tolerance=None), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.scale"},
        set(),
    ),
    # --- A: achievable ------------------------------------------------------------------
    # history 60..70: mean 65, σ ≈ 3.4, best 70 → reach max(71.8, 70 × 1.5) = 105
    (
        "target beyond mean+2σ and best+50 %",
        _kpis(
            kpi(target=110.0, history=(60.0, 62.0, 64.0, 66.0, 68.0, 70.0)), kpi("calls", **LEAD)
        ),
        Subject.KPI,
        "sales",
        {"kpi.target_out_of_reach"},
        set(),
    ),
    (
        "target within best+50 %",
        _kpis(
            kpi(target=105.0, history=(60.0, 62.0, 64.0, 66.0, 68.0, 70.0)), kpi("calls", **LEAD)
        ),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.target_out_of_reach"},
    ),
    (
        "values near the float limit are not judged (their mean overflowed)",
        _kpis(
            kpi(target=110.0, history=(1e308, 1e308, 1e308, 1e308, 1e308, 1e308)),
            kpi("calls", **LEAD),
        ),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.target_out_of_reach"},
    ),
    (
        "too little history to judge",
        _kpis(kpi(target=500.0, history=(60.0, 62.0, 64.0)), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.target_out_of_reach"},
    ),
    # minimize: history 20..30, best 20 → reach min(mean − 2σ ≈ 18.2, 20 / 1.5) ≈ 13.3
    (
        "minimized target below best / 1.5",
        _kpis(
            kpi(
                optimization=Optimization.MINIMIZE,
                maximum=40.0,
                minimum=0.0,
                target=12.0,
                history=(30.0, 28.0, 26.0, 24.0, 22.0, 20.0),
            ),
            kpi("calls", **LEAD),
        ),
        Subject.KPI,
        "sales",
        {"kpi.target_out_of_reach"},
        set(),
    ),
    (
        "minimized target within reach",
        _kpis(
            kpi(
                optimization=Optimization.MINIMIZE,
                maximum=40.0,
                minimum=0.0,
                target=14.0,
                history=(30.0, 28.0, 26.0, 24.0, 22.0, 20.0),
            ),
            kpi("calls", **LEAD),
        ),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.target_out_of_reach"},
    ),
    (
        "exact KPIs are not judged by history",
        _kpis(
            kpi(
                optimization=Optimization.EXACT,
                tolerance=5.0,
                target=500.0,
                history=(60.0, 62.0, 64.0, 66.0),
            ),
            kpi("calls", **LEAD),
        ),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.target_out_of_reach"},
    ),
    (
        "zero-target",
        _kpis(kpi(target_provenance="zero"), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.zero_target"},
        set(),
    ),
    (
        "benchmark target is fine",
        _kpis(kpi(target_provenance="benchmark"), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.zero_target"},
    ),
    (
        "no owner",
        _kpis(kpi(owner=None), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.no_owner"},
        set(),
    ),
    # --- R: relevant --------------------------------------------------------------------
    (
        "KPI of no objective",
        _kpis(kpi(objective=None), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.no_objective"},
        set(),
    ),
    (
        "KPI of an unknown objective",
        _kpis(kpi(objective="ghost"), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.no_objective"},
        set(),
    ),
    # --- T: time-bound and fresh --------------------------------------------------------
    # Monthly, as of 23 Nov: October was due by 14 Nov (30 Nov + 14 days is for November).
    (
        "September is the last value: October is missing",
        _kpis(kpi(last_period=dt.date(2026, 9, 1)), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.stale"},
        set(),
    ),
    (
        "October is the last value: fresh",
        _kpis(kpi(last_period=dt.date(2026, 10, 1)), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.stale"},
    ),
    (
        "quarterly: Q3 is the latest complete quarter",
        _kpis(
            kpi(interval=Interval.QUARTER, last_period=dt.date(2026, 7, 1)), kpi("calls", **LEAD)
        ),
        Subject.KPI,
        "sales",
        set(),
        {"kpi.stale"},
    ),
    (
        "quarterly: Q2 only, Q3 due by 14 Oct",
        _kpis(
            kpi(interval=Interval.QUARTER, last_period=dt.date(2026, 4, 1)), kpi("calls", **LEAD)
        ),
        Subject.KPI,
        "sales",
        {"kpi.stale"},
        set(),
    ),
    (
        "no values at all",
        _kpis(kpi(last_period=None), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.no_values"},
        {"kpi.stale"},
    ),
    # --- balance ------------------------------------------------------------------------
    (
        "perspective without objectives",
        {
            "perspectives": (
                PerspectiveFacts("fin", "Financial"),
                PerspectiveFacts("cus", "Customer"),
            )
        },
        Subject.PERSPECTIVE,
        "cus",
        {"perspective.empty"},
        set(),
    ),
    (
        "objective without KPIs",
        _kpis(),
        Subject.OBJECTIVE,
        "grow",
        {"objective.no_kpi"},
        {"objective.no_leading"},
    ),
    (
        "objective with only lagging KPIs",
        _kpis(kpi()),
        Subject.OBJECTIVE,
        "grow",
        {"objective.no_leading"},
        {"objective.no_lagging", "objective.no_kpi"},
    ),
    (
        "objective with only leading KPIs",
        _kpis(kpi(**LEAD)),
        Subject.OBJECTIVE,
        "grow",
        {"objective.no_lagging"},
        {"objective.no_leading"},
    ),
    (
        "objective without owner",
        {"objectives": (objective(owner=None),)},
        Subject.OBJECTIVE,
        "grow",
        {"objective.no_owner"},
        set(),
    ),
    (
        "objective without initiative",
        {"initiatives": ()},
        Subject.OBJECTIVE,
        "grow",
        {"objective.no_initiative"},
        set(),
    ),
    (
        "a cancelled initiative is no plan",
        {"initiatives": (plan(status="cancelled"),)},
        Subject.OBJECTIVE,
        "grow",
        {"objective.no_initiative"},
        set(),
    ),
    (
        "a done initiative still shows a plan",
        {"initiatives": (plan(status="done"),)},
        Subject.OBJECTIVE,
        "grow",
        set(),
        {"objective.no_initiative"},
    ),
    (
        "objective without due date or description",
        {"objectives": (objective(due_date=None, description=""),)},
        Subject.OBJECTIVE,
        "grow",
        {"objective.no_due_date", "objective.no_description"},
        set(),
    ),
    (
        "objective off a map that others use",
        {"objectives": (objective(), objective("keep", linked=False))},
        Subject.OBJECTIVE,
        "keep",
        {"objective.not_on_map"},
        set(),
    ),
    (
        "no map at all: one finding for the scorecard",
        {"objectives": (objective(linked=False), objective("keep", linked=False))},
        Subject.SCORECARD,
        "",
        {"scorecard.no_map"},
        set(),
    ),
    # --- initiatives --------------------------------------------------------------------
    (
        "initiative without owner, objective, deadline",
        {"initiatives": (plan(), plan("2", (), owner=None, deadline=None))},
        Subject.INITIATIVE,
        "2",
        {"initiative.no_owner", "initiative.no_objective", "initiative.no_deadline"},
        set(),
    ),
    (
        "initiative past its deadline",
        {"initiatives": (plan(deadline=dt.date(2026, 10, 31)),)},
        Subject.INITIATIVE,
        "1",
        {"initiative.overdue"},
        set(),
    ),
    (
        "a done initiative past its deadline is fine",
        {"initiatives": (plan(deadline=dt.date(2026, 10, 31), status="done"),)},
        Subject.INITIATIVE,
        "1",
        set(),
        {"initiative.overdue"},
    ),
    (
        "initiative with nothing to measure progress by",
        {"initiatives": (plan(tasks=0, description=""),)},
        Subject.INITIATIVE,
        "1",
        {"initiative.no_progress", "initiative.no_description"},
        set(),
    ),
    (
        "entered progress is enough",
        {"initiatives": (plan(tasks=0, progress=0.4),)},
        Subject.INITIATIVE,
        "1",
        set(),
        {"initiative.no_progress"},
    ),
    # --- formulas -----------------------------------------------------------------------
    (
        "formula naming an unknown KPI",
        _kpis(kpi(formula="ghost * 2"), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.formula"},
        set(),
    ),
    (
        "formula cycle",
        _kpis(kpi(formula="calls + 1"), kpi("calls", formula="sales - 1", **LEAD)),
        Subject.KPI,
        "calls",
        {"kpi.formula"},
        set(),
    ),
    (
        "formula that cannot be read",
        _kpis(kpi(formula="calls +"), kpi("calls", **LEAD)),
        Subject.KPI,
        "sales",
        {"kpi.formula"},
        set(),
    ),
]


@pytest.mark.parametrize(
    ("fields", "subject", "key", "expected", "absent"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_checks(
    fields: dict[str, Any], subject: Subject, key: str, expected: set[str], absent: set[str]
) -> None:
    found = codes(check_scorecard(card(**fields), AS_OF), subject, key)
    assert expected <= found, found
    assert not (absent & found), found


# Weights -----------------------------------------------------------------------------

WEIGHT_CASES = [
    # (weights of the KPIs of one objective, expected codes)
    ((1.0, 1.0, 1.0), set()),
    ((2.0, 1.0, 1.0), set()),
    ((10.0, 1.0, 1.0), {"weights.dominant"}),  # 83 %
    ((8.0, 1.0, 1.0), set()),  # 80 % exactly is allowed
    ((9.0, 1.0), set()),  # two KPIs: a 9:1 split is a choice, not an accident
    ((50.0, 30.0, 15.0), {"weights.sum"}),  # percentages adding up to 95
    ((50.0, 30.0, 20.0), set()),
    ((0.5, 0.3, 0.15), {"weights.sum"}),  # shares adding up to 0.95
    ((0.5, 0.3, 0.2), set()),
    ((3.0, 2.0, 1.0), set()),  # plain ratios
    ((0.0, 0.0), {"weights.zero"}),
]


@pytest.mark.parametrize(("weights", "expected"), WEIGHT_CASES)
def test_weights(weights: tuple[float, ...], expected: set[str]) -> None:
    items = tuple(
        kpi(f"k{i}", weight=w, indicator=Indicator.LEADING if i == 0 else Indicator.LAGGING)
        for i, w in enumerate(weights)
    )
    found = codes(check_scorecard(card(kpis=items), AS_OF), Subject.OBJECTIVE, "grow")
    assert {c for c in found if c.startswith("weights.")} == expected


def test_perspective_weights_are_checked_too() -> None:
    perspectives = tuple(
        PerspectiveFacts(key, key.title(), weight)
        for key, weight in (("fin", 40.0), ("cus", 30.0), ("int", 20.0), ("lea", 5.0))
    )
    objectives = tuple(objective(f"o-{p.key}", p.key) for p in perspectives)
    facts = card(perspectives=perspectives, objectives=objectives, kpis=(), initiatives=())
    found = check_scorecard(facts, AS_OF)
    weights = [f for f in found if f.code == "weights.sum"]
    assert [(f.subject, f.severity) for f in weights] == [(Subject.SCORECARD, Severity.INFO)]
    assert "95" in weights[0].message


# Usage -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("usage", "calculated", "unused"),
    [
        # Monthly, as of 23 Nov 2026, three intervals back: the window starts on 1 Aug.
        ({"last_recorded": None, "last_viewed": None}, False, True),
        ({"last_recorded": dt.date(2026, 7, 31), "last_viewed": dt.date(2026, 7, 1)}, False, True),
        ({"last_recorded": dt.date(2026, 8, 1), "last_viewed": None}, False, False),
        ({"last_recorded": None, "last_viewed": dt.date(2026, 11, 2)}, False, False),
        # A calculated KPI is never entered: only views count.
        ({"last_recorded": dt.date(2026, 11, 1), "last_viewed": None}, True, True),
    ],
)
def test_unused_kpis(usage: dict[str, Any], calculated: bool, unused: bool) -> None:
    extra = {"formula": "calls * 1"} if calculated else {}
    item = kpi(**usage, views=0, **extra)
    calls = kpi("calls", last_viewed=AS_OF, views=3, **LEAD)
    facts = card(kpis=(item, calls), usage_since=dt.date(2026, 1, 1))
    found = codes(check_scorecard(facts, AS_OF), Subject.KPI, "sales")
    assert ("kpi.unused" in found) is unused
    assert "kpi.unused" not in codes(check_scorecard(facts, AS_OF), Subject.KPI, "calls")


@pytest.mark.parametrize("since", [None, dt.date(2026, 8, 2)])
def test_usage_is_not_judged_where_it_is_unknown(since: dt.date | None) -> None:
    """Not tracked at all (a document), or not for the whole window (1 Aug – today)."""
    facts = card(kpis=(kpi(last_recorded=None), kpi("calls", **LEAD)), usage_since=since)
    assert "kpi.unused" not in codes(check_scorecard(facts, AS_OF))
    tracked = replace(facts, usage_since=dt.date(2026, 8, 1))
    assert "kpi.unused" in codes(check_scorecard(tracked, AS_OF))


# Shape of the results ----------------------------------------------------------------


def test_findings_are_sorted_worst_first_and_say_how_to_fix() -> None:
    facts = card(
        kpis=(kpi(owner=None, description="", formula="ghost"), kpi("calls", **LEAD)),
        initiatives=(),
    )
    found = check_scorecard(facts, AS_OF)
    severities = [f.severity for f in found]
    assert severities == sorted(
        severities, key=[Severity.ERROR, Severity.WARNING, Severity.INFO].index
    )
    assert severities[0] is Severity.ERROR
    assert all(f.message and f.fix for f in found)
    about_kpi = findings_about(found, Subject.KPI, "sales")
    assert {f.code for f in about_kpi} >= {"kpi.formula", "kpi.no_owner", "kpi.no_description"}
    owner = next(f for f in about_kpi if f.code == "kpi.no_owner")
    assert (owner.field, owner.letter, owner.name) == ("owner", "A", "Sales")


def test_rules_can_be_tightened() -> None:
    facts = card(kpis=(kpi(last_period=dt.date(2026, 10, 1)), kpi("calls", **LEAD)))
    # With no grace at all, November's value is not due before 30 Nov either: still fresh.
    assert "kpi.stale" not in codes(check_scorecard(facts, AS_OF, Rules(grace_days=0)))
    later = dt.date(2026, 12, 20)
    assert "kpi.stale" not in codes(check_scorecard(facts, later, Rules(grace_days=30)))
    assert "kpi.stale" in codes(check_scorecard(facts, later, Rules(grace_days=10)))


def test_facts_are_values() -> None:
    item = kpi()
    assert replace(item, owner=None) != item
    assert item.code == "sales" and not item.calculated


@pytest.mark.parametrize(("map_in_use", "expected"), [(None, False), (True, True), (False, False)])
def test_part_of_a_scorecard_can_say_whether_its_map_is_used(
    map_in_use: bool | None, expected: bool
) -> None:
    """One objective's checklist holds only that objective: the caller says whether the
    rest of the map has links, so an unlinked objective is still found."""
    facts = card(objectives=(objective(linked=False),), map_in_use=map_in_use)
    found = codes(check_scorecard(facts, AS_OF), Subject.OBJECTIVE, "grow")
    assert ("objective.not_on_map" in found) is expected
