"""The ``scorecard load`` and ``scorecard score`` commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Organization

from .documents import GROW, MINIMAL, SALES, kpi, mutate, objective, sales_kpi, write

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def run_load(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_prints_the_summary(tmp_path: Path) -> None:
    out, err = run_load(str(write(tmp_path, MINIMAL)))
    assert out.startswith("Loaded organization “acme”: 2 units, 2 users,")
    assert "5 kpis" in out and "8 measurements" in out
    assert err == ""


def test_load_prints_every_error_and_writes_nothing(tmp_path: Path) -> None:
    def two_problems(d: dict) -> None:
        kpi(d).update(optimization="biggest")
        objective(d).update(colour="blue")

    bad = write(tmp_path, mutate(two_problems))
    err = StringIO()
    with pytest.raises(CommandError, match="2 problems; nothing was loaded"):
        call_command("load", str(bad), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert sorted(lines) == [
        f"{GROW}.colour: unknown field (check the spelling; see docs/scorecard-format.md).",
        f"{SALES}.optimization: must be one of 'maximize', 'minimize', 'binary_max', "
        "'binary_min', 'exact', 'band', 'percent_of_target', 'goal_red_flag' or 'none'.",
    ]
    assert Organization.objects.count() == 0


def test_load_twice_fails_clearly_and_replace_succeeds(tmp_path: Path) -> None:
    path = str(write(tmp_path, MINIMAL))
    run_load(path)
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem; nothing was loaded"):
        call_command("load", path, stdout=StringIO(), stderr=err)
    assert "Organization “acme” already exists; use --replace to overwrite it." in err.getvalue()
    out, _ = run_load(path, "--replace")
    assert out.startswith("Loaded organization “acme”")
    assert Kpi.objects.count() == 5


def test_load_missing_file() -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load", "/no/such/file.yaml", stdout=StringIO(), stderr=err)
    assert err.getvalue() == "there is no file /no/such/file.yaml.\n"


def test_load_exits_with_status_1(tmp_path: Path) -> None:
    """Run as a program: the errors go to standard error and the exit status is 1."""
    bad = write(tmp_path, mutate(lambda d: objective(d).update(owner="eve")))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "SCORECARD_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "load", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 1
    assert f"{GROW}.owner: no user “eve” in users." in result.stderr
    assert result.stdout == ""


def test_score_command_json_reproduces_worked_example_3(tmp_path: Path) -> None:
    """Example 3 of docs/scoring.md, loaded from a document and scored from the CLI."""
    doc = write(
        tmp_path,
        """
version: 1
organization: {name: Service desk, slug: desk}
units: [{slug: desk, name: Service desk}]
scorecards:
  - slug: desk
    name: Service desk
    unit: desk
    perspectives:
      - name: Customer
        objectives:
          - code: fast-help
            name: Fast, complete help
            kpis:
              - {code: time_to_answer, name: Time to answer, optimization: minimize,
                 minimum: 0, maximum: 48, weight: 3, time_aggregation: last,
                 measurements: [{period: 2026-10, value: 12}]}
              - {code: first_call_resolution, name: First-call resolution, minimum: 0,
                 maximum: 100, weight: 6, time_aggregation: last,
                 measurements: [{period: 2026-10, value: 60}]}
""",
    )
    run_load(str(doc))
    out = StringIO()
    call_command("score", "--as-of", "2026-10-31", "--json", stdout=out)
    data = json.loads(out.getvalue())
    card = data["scorecards"][0]
    kpis = {k["code"]: k for k in card["kpis"]}
    assert kpis["time_to_answer"]["performance"] == pytest.approx(0.75)
    assert kpis["first_call_resolution"]["performance"] == pytest.approx(0.60)
    assert card["objectives"][0]["score"] == pytest.approx(0.65)
    assert card["score"] == pytest.approx(0.65)


def test_score_command_bad_date() -> None:
    with pytest.raises(CommandError, match="--as-of must be a date"):
        call_command("score", "--as-of", "yesterday")


def test_score_command_bad_moment() -> None:
    with pytest.raises(CommandError, match="--known-at must be a date-time"):
        call_command("score", "--known-at", "last week")


# --- check and diff on the cascade, approval and planning fields ---------------------------

CASCADED = mutate(
    lambda d: (
        sales_kpi(d).update(aligned_to="main/sales")
        or kpi(d).update(unit_rollup="sum", values_need_approval=True)
        or d["scorecards"][0].update(
            settings={"at_risk_below": 0.4},
            funnels=[{"name": "Sales to cost", "stages": ["sales", "cost"]}],
        )
    )
)


def test_check_reads_a_document_with_the_cascade_and_planning_fields(tmp_path: Path) -> None:
    out = StringIO()
    call_command("check", write(tmp_path, CASCADED), "--as-of", "2026-04-20", stdout=out)
    assert "0 errors" in out.getvalue().splitlines()[0]


def test_check_names_a_bad_kpi_alignment_by_its_path(tmp_path: Path) -> None:
    broken = CASCADED.replace("aligned_to: main/sales", "aligned_to: main/ghost")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check", write(tmp_path, broken), stdout=out)
    assert (
        "scorecards[sales-card].perspectives[Customer].objectives[accounts].kpis[accounts]"
        ".aligned_to\n    no KPI “ghost” in scorecard “main”." in out.getvalue()
    )


def test_diff_command_says_cascade_changes_in_words(tmp_path: Path) -> None:
    old, new = write(tmp_path, MINIMAL, "old.yaml"), write(tmp_path, CASCADED, "new.yaml")
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("diff", old, new, stdout=out)
    assert exit_info.value.code == 1
    text = out.getvalue()
    for line in (
        "KPIs now shown at risk when the chance of meeting the target is below 40 %",
        "KPI sales (“Sales”) now rolls up across units by sum (was automatically)",
        "KPI sales (“Sales”) values now need the owner's approval",
        "funnel “Sales to cost” added: sales → cost",
        "KPI accounts (“Accounts”) now aligned to KPI main/sales",
    ):
        assert line in text, text
