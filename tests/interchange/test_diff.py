"""``scorecard diff``: what changed between two documents, in words (tables of changes)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from scorecard.interchange.diff import document_diff, format_changes, number_text
from scorecard.interchange.document import parse_document

from .documents import MINIMAL, card, kpi, mutate, objective, sales_kpi, write

ROOT = Path(__file__).resolve().parents[2]
Change = Callable[[dict[str, Any]], Any]


def texts(change: Change, start: str = MINIMAL) -> list[str]:
    old = parse_document(start)
    new = parse_document(mutate(change, start))
    return [c.text for c in document_diff(old, new)]


def _add_objective(d: dict[str, Any]) -> None:
    card(d)["perspectives"][0]["objectives"].append({"code": "grow-rev", "name": "Grow revenue"})


def _move_objective(d: dict[str, Any]) -> None:
    moved = card(d)["perspectives"][0]["objectives"].pop(1)
    card(d)["perspectives"][1]["objectives"].append(moved)


def _series_as_list(d: dict[str, Any]) -> None:
    kpi(d)["measurements"] = [
        {"period": "2026-01", "value": 10},
        {"period": "2026-02-01", "value": 20},
        {"period": "2026-04", "value": 40.0},
    ]


def _measurements(d: dict[str, Any]) -> None:
    kpi(d)["measurements"] = {"start": "2026-01", "values": [10, 21, 30, 40, 50, 60]}


def _add_task(d: dict[str, Any]) -> None:
    card(d)["initiatives"][0]["tasks"].append({"name": "Print", "state": "doing"})


def _remove_card(d: dict[str, Any]) -> None:
    d["scorecards"].pop(1)


#: Starting points other than MINIMAL for some cases.
ALIGNED = mutate(lambda d: sales_kpi(d).update(aligned_to="main/sales"))
BENCHMARKED = mutate(
    lambda d: kpi(d).update(
        benchmarks=[{"value": 90, "percentile": 75, "source": "Peer study", "date": "2026-06-30"}]
    )
)
FUNNEL = mutate(
    lambda d: card(d).update(
        funnels=[{"name": "Sales to cost", "stages": ["sales", "cost"], "costs": [None, 50]}]
    )
)

CASES: list[tuple[Any, ...]] = [
    ("same data written another way", _series_as_list, []),
    ("defaults written out", lambda d: kpi(d).update(weight=1.0, optimization="maximize"), []),
    (
        "objective added",
        _add_objective,
        ["objective “Grow revenue” added to perspective Financial"],
    ),
    (
        "objective removed with its KPI and link",
        lambda d: card(d)["perspectives"][1]["objectives"].pop(0) and card(d)["links"].pop(1),
        [
            "objective “Happy customers” removed from perspective Customer",
            "link happy → grow removed",
            "KPI nps (“NPS”) removed from objective happy",
        ],
    ),
    (
        "objective moved",
        _move_objective,
        ["objective “Better margin” moved from perspective Financial to Customer"],
    ),
    (
        "objective renamed and re-weighted",
        lambda d: objective(d).update(name="Grow sales", weight=2),
        [
            "objective “Grow sales”: name “Grow” → “Grow sales”",
            "objective “Grow sales”: weight 1 → 2",
        ],
    ),
    (
        "target raised",
        lambda d: kpi(d)["targets"][0].update(value=85),
        ["target of KPI sales from 2026-01 raised from 80 to 85"],
    ),
    (
        "target lowered, provenance changed",
        lambda d: kpi(d)["targets"][0].update(value=70.5, provenance="benchmark"),
        [
            "target of KPI sales from 2026-01 lowered from 80 to 70.5",
            "target of KPI sales from 2026-01: provenance history → benchmark",
        ],
    ),
    (
        "target added in a quarter",
        lambda d: (
            kpi(d, 0).update(unit="%")
            or kpi(d, 0)["targets"].append(
                {"period": "2026-07", "value": 12, "provenance": "growth"}
            )
        ),
        [
            "KPI sales (“Sales”): unit none → “%”",
            "target of KPI sales from 2026-07 added: 12 % (growth)",
        ],
    ),
    (
        "target removed",
        lambda d: kpi(d)["targets"].clear(),
        ["target of KPI sales from 2026-01 removed (was 80)"],
    ),
    (
        "KPI weight and scale",
        lambda d: kpi(d).update(weight=3, maximum=120, unit="€"),
        [
            "KPI sales (“Sales”): unit none → “€”",
            "KPI sales (“Sales”): maximum 100 € → 120 €",
            "KPI sales (“Sales”): weight 1 → 3",
        ],
    ),
    (
        "KPI moved to another objective",
        lambda d: objective(d, 1)["kpis"].append(objective(d)["kpis"].pop(1)),
        ["KPI cost (“Cost”) moved from objective grow to margin-up"],
    ),
    (
        "formula and thresholds",
        lambda d: objective(d, 1)["kpis"][0].update(
            formula="sales / cost", thresholds=[{"status": "red"}, {"status": "ok", "lower": 0.5}]
        ),
        [
            "KPI margin (“Margin”): formula “(sales - cost) / sales * 100” → “sales / cost”",
            "KPI margin (“Margin”): status thresholds changed",
        ],
    ),
    (
        "link removed and added",
        lambda d: card(d).update(
            links=[
                {"cause": "margin-up", "effect": "grow"},
                {"cause": "happy", "effect": "margin-up"},
            ]
        ),
        ["link happy → grow removed", "link happy → margin-up added"],
    ),
    (
        "measurements counted per KPI",
        _measurements,
        ["KPI sales: 3 measurements added, 1 changed"],
    ),
    (
        "a note on a value is a change",
        lambda d: kpi(d, 1)["measurements"][0].update(note="restated"),
        ["KPI cost: 1 measurement changed"],
    ),
    (
        "measurements removed",
        lambda d: kpi(d, 1).update(measurements=[]),
        ["KPI cost: 1 measurement removed"],
    ),
    (
        "alignment share",
        lambda d: card(d, 1)["perspectives"][0]["objectives"][0]["aligned_to"][0].update(share=0.6),
        ["objective “Key accounts”: share of the alignment to main/grow 50 % → 60 %"],
    ),
    (
        "perspective weight and order",
        lambda d: card(d)["perspectives"].reverse() or card(d)["perspectives"][0].update(weight=2),
        [
            "perspective Customer: weight 1 → 2",
            "perspectives reordered: Financial, Customer → Customer, Financial",
        ],
    ),
    (
        "scorecard settings and vision",
        lambda d: card(d).update(vision="Tools for life", settings={"aggregator": "min"}),
        ["vision changed", "rollup aggregator “weighted_average” → “min”"],
    ),
    (
        "initiative status, progress, objectives and a new task",
        lambda d: (
            card(d)["initiatives"][0].update(status="done", progress=1, objectives=["grow"])
            or _add_task(d)
        ),
        [
            "initiative “Price list”: progress none → 100 %",
            "initiative “Price list”: status “active” → “done”",
            "initiative “Price list” no longer serves objective margin-up",
            "initiative “Price list”: task “Print” added",
        ],
    ),
    (
        "task done",
        lambda d: card(d)["initiatives"][0]["tasks"][1].update(state="done"),
        ["initiative “Price list”: task “Decide” state “todo” → “done”"],
    ),
    (
        "scorecard removed",
        _remove_card,
        ["scorecard “Sales” (sales-card) removed with 1 perspective, 1 objective and 1 KPI"],
    ),
    (
        "user role and new unit",
        lambda d: (
            d["users"][1].update(role="editor")
            or d["units"].append({"slug": "ops", "name": "Operations", "parent": "hq"})
        ),
        ["unit ops (“Operations”) added under hq", "user bo: role “contributor” → “editor”"],
    ),
    (
        "organization",
        lambda d: d["organization"].update(name="Acme Tools"),
        ["organization: name “Acme” → “Acme Tools”"],
    ),
    (
        "KPI aligned to the scorecard above, rolling up by sum",
        lambda d: sales_kpi(d).update(aligned_to="main/sales") or kpi(d).update(unit_rollup="sum"),
        [
            "KPI sales (“Sales”) now rolls up across units by sum (was automatically)",
            "KPI accounts (“Accounts”) now aligned to KPI main/sales",
        ],
    ),
    (
        "KPI alignment changed and removed",
        lambda d: sales_kpi(d).update(aligned_to=None),
        ["KPI accounts (“Accounts”) no longer aligned to KPI main/sales"],
        ALIGNED,
    ),
    (
        "KPI alignment moved to another KPI",
        lambda d: sales_kpi(d).update(aligned_to="main/cost"),
        ["KPI accounts (“Accounts”) now aligned to KPI main/cost instead of main/sales"],
        ALIGNED,
    ),
    (
        "values need approval",
        lambda d: kpi(d).update(values_need_approval=True),
        ["KPI sales (“Sales”) values now need the owner's approval"],
    ),
    (
        "at-risk rule",
        lambda d: card(d).update(settings={"at_risk_below": 0.4}),
        [
            "KPIs now shown at risk when the chance of meeting the target is below 40 %",
        ],
    ),
    (
        "benchmarks added, changed and removed",
        lambda d: kpi(d).update(
            benchmarks=[
                {"value": 95, "source": "Peer study", "date": "2026-06-30", "percentile": 90},
                {"value": 60, "source": "Trade body", "date": "2025-12-31"},
            ]
        ),
        [
            "benchmark of KPI sales from “Trade body” (2025-12-31) added: 60",
            "benchmark of KPI sales from “Peer study” (2026-06-30): value 90 → 95",
            "benchmark of KPI sales from “Peer study” (2026-06-30): percentile 75 → 90",
        ],
        BENCHMARKED,
    ),
    (
        "funnel added",
        lambda d: card(d).update(funnels=[{"name": "Sales to cost", "stages": ["sales", "cost"]}]),
        ["funnel “Sales to cost” added: sales → cost"],
    ),
    (
        "funnel stages, costs and description",
        lambda d: card(d)["funnels"][0].update(costs=[None, 80], description="Why"),
        [
            "funnel “Sales to cost”: costs of more conversion changed",
            "funnel “Sales to cost”: description changed",
        ],
        FUNNEL,
    ),
    (
        "funnel: the first stage's cost is never used",
        lambda d: card(d)["funnels"][0].update(costs=[7, 50]),
        [],
        FUNNEL,
    ),
    (
        "funnel removed",
        lambda d: card(d).update(funnels=[]),
        ["funnel “Sales to cost” removed"],
        FUNNEL,
    ),
]


@pytest.mark.parametrize(
    ("change", "expected", "start"),
    [(c[1], c[2], c[3] if len(c) > 3 else MINIMAL) for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_changes_in_words(change: Change, expected: list[str], start: str) -> None:
    assert texts(change, start) == expected


def test_changes_are_grouped_and_sorted() -> None:
    def several(d: dict[str, Any]) -> None:
        kpi(d)["targets"][0]["value"] = 90
        card(d)["links"].pop(0)
        _add_objective(d)
        card(d, 1)["perspectives"][0]["objectives"][0]["kpis"][0]["weight"] = 2
        d["users"][0]["email"] = "ann@acme.test"

    old, new = parse_document(MINIMAL), parse_document(mutate(several))
    assert format_changes(document_diff(old, new), old, new) == (
        "Users\n"
        "  user ann: email “ann@acme.example” → “ann@acme.test”\n"
        "\n"
        "Scorecard main (“Main”)\n"
        "  Objectives\n"
        "    objective “Grow revenue” added to perspective Financial\n"
        "  Links\n"
        "    link margin-up → grow removed\n"
        "  Targets\n"
        "    target of KPI sales from 2026-01 raised from 80 to 90\n"
        "\n"
        "Scorecard sales-card (“Sales”)\n"
        "  KPIs\n"
        "    KPI accounts (“Accounts”): weight 1 → 2\n"
    )


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (2300000.0, "€", "2,300,000 €"),
        (12.5, "%", "12.5 %"),
        (1200, "$", "$1,200"),
        (0.125, "", "0.125"),
        (None, "€", "none"),
    ],
)
def test_number_text(value: float | None, unit: str, text: str) -> None:
    assert number_text(value, unit) == text


# --- the command ---------------------------------------------------------------------------


def test_command_prints_nothing_for_equal_documents(tmp_path: Path) -> None:
    a = write(tmp_path, MINIMAL, "a.yaml")
    b = write(tmp_path, mutate(_series_as_list), "b.yaml")
    out = StringIO()
    call_command("diff", str(a), str(b), stdout=out)  # returns: exit status 0
    assert out.getvalue() == ""


def test_command_exits_1_when_different(tmp_path: Path) -> None:
    a = write(tmp_path, MINIMAL, "a.yaml")
    b = write(tmp_path, mutate(_add_objective), "b.yaml")
    out = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("diff", str(a), str(b), stdout=out)
    assert caught.value.code == 1
    assert "objective “Grow revenue” added to perspective Financial" in out.getvalue()


def test_command_reports_an_invalid_document(tmp_path: Path) -> None:
    a = write(tmp_path, MINIMAL, "a.yaml")
    b = write(tmp_path, mutate(lambda d: kpi(d).update(optimization="most")), "b.yaml")
    err = StringIO()
    with pytest.raises(CommandError, match="cannot compare") as caught:
        call_command("diff", str(a), str(b), stdout=StringIO(), stderr=err)
    assert caught.value.returncode == 2
    assert "optimization: must be one of" in err.getvalue()


@pytest.mark.parametrize(
    ("second", "status"), [(MINIMAL, 0), (mutate(_remove_card), 1), ("x: [", 2)]
)
def test_exit_status_like_diff(tmp_path: Path, second: str, status: int) -> None:
    """Run as a program, as a script or CI job would."""
    a = write(tmp_path, MINIMAL, "a.yaml")
    b = write(tmp_path, second, "b.yaml")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "PYTHONPATH": str(ROOT / "src"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "scorecard.cli", "diff", str(a), str(b)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == status, result.stderr
