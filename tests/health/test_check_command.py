"""``scorecard check``: documents (no database writes), stored scorecards, and the demo's
deliberate problems."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from scorecard.health.checks import scorecard_health
from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Scorecard

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

#: The problems scripts/make_demo.py builds into the demo company on purpose.
DEMO_PROBLEMS = {
    ("kpi.stale", "supplier_audit_score"),
    ("kpi.no_owner", "ideas_submitted"),
    ("objective.no_initiative", "healthy-cash"),
    ("kpi.zero_target", "price_index"),
}

SMALL = """\
version: 1
organization: {name: Acme, slug: acme}
units: [{slug: hq, name: HQ}]
users: [{username: ann, email: ann@example.com}]
scorecards:
- slug: company
  name: Company
  unit: hq
  perspectives:
  - name: Financial
    objectives:
    - code: grow
      name: Grow
      owner: ann
      kpis:
      - code: sales
        name: Sales
        unit: €
        minimum: 0
        target: 100
        owner: ann
        measurements: {start: 2026-01, values: [50, 60, 70]}
  - name: Customer
"""


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "card.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# Documents ------------------------------------------------------------------------------


def test_a_document_is_checked_without_writing_anything(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL)
    out, _ = run(path, "--as-of", "2026-04-20")
    assert f"{path}: 0 errors" in out
    # Grouped by severity, each with its path in the file.
    assert out.index("Warnings (") < out.index("Suggestions (")
    assert (
        "scorecards[company].perspectives[Customer]\n    The perspective “Customer” has no" in out
    )
    assert "scorecards[company].perspectives[Financial].objectives[grow]\n    No initiative" in out
    assert "fix: Start an initiative for it" in out
    assert "objectives[grow].kpis[sales].description" in out
    assert not Organization.objects.exists()


def test_staleness_depends_on_the_date(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL)
    fresh, _ = run(path, "--as-of", "2026-04-14")  # March was due by 14 April
    stale, _ = run(path, "--as-of", "2026-05-20")  # and April by 14 May
    assert "is stale" not in fresh
    assert "kpis[sales].measurements\n    The KPI “Sales” is stale" in stale


def test_errors_in_a_document_fail_the_check_with_their_paths(tmp_path: Path) -> None:
    broken = SMALL.replace(
        "        measurements: {start: 2026-01, values: [50, 60, 70]}\n",
        "        formula: margin * 2\n      - {code: margin, name: Margin, minimum: 0,"
        " target: 1, formula: sales / 2}\n",
    )
    path = write(tmp_path, broken)
    out = StringIO()
    with pytest.raises(CommandError, match="1 finding"):
        call_command("check", path, stdout=out)
    text = out.getvalue()
    assert "1 error" in text and "cannot be loaded until these are fixed" in text
    assert "objectives[grow].kpis[sales].formula\n    Formula cycle" in text


def test_warnings_fail_only_when_asked(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL)
    run(path, "--as-of", "2026-04-20")  # warnings, but no error: passes
    with pytest.raises(CommandError, match="errors or warnings"):
        run(path, "--as-of", "2026-04-20", "--fail-level", "WARNING")


def test_show_hides_the_less_severe(tmp_path: Path) -> None:
    out, _ = run(write(tmp_path, SMALL), "--as-of", "2026-04-20", "--show", "warning")
    assert "Warnings (" in out and "Suggestions (" not in out
    assert "suggestions" in out.splitlines()[0]  # the counts still say how many


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml"], "cannot read missing.yaml"),
        (["--org", "nowhere"], "no organization “nowhere”"),
        (["--scorecard", "company"], "--scorecard needs --org"),
        (["x.yaml", "--as-of", "soon"], "is not a date"),
    ],
)
def test_bad_arguments_are_explained(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_without_a_file_it_is_djangos_system_check() -> None:
    out, _ = run()
    assert "System check identified no issues" in out


def test_exit_status_for_a_pre_commit_hook(tmp_path: Path) -> None:
    """As a git hook: status 1 and the reason on an error, 0 on a clean document."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SCORECARD_TODAY": "2026-04-20"}
    good = write(tmp_path, SMALL)
    bad = write(tmp_path, SMALL.replace("target: 100", "target: 100\n        weight: 0"), "b.yaml")
    command = [sys.executable, "-m", "scorecard.cli", "check"]
    ok = subprocess.run([*command, good], capture_output=True, text=True, env=env, check=False)
    failed = subprocess.run([*command, bad], capture_output=True, text=True, env=env, check=False)
    assert ok.returncode == 0, ok.stderr
    assert failed.returncode == 1
    assert "kpis[sales].weight" in failed.stdout and "the check failed" in failed.stderr


# The demo company -------------------------------------------------------------------------


def test_the_demo_document_shows_its_deliberate_problems() -> None:
    out, _ = run(str(DEMO_FILE), "--as-of", "2026-11-23")
    assert "0 errors" in out.splitlines()[0]
    assert (
        "kpis[supplier_audit_score].measurements\n    The KPI “Supplier audit score” is stale"
        in out
    )
    assert (
        "kpis[ideas_submitted].owner\n    The KPI “Improvement ideas submitted” has no owner" in out
    )
    assert "objectives[healthy-cash]\n    No initiative (action plan) serves" in out
    assert (
        "kpis[price_index].targets\n    The target of “Price index vs. competitors” is a zero"
        in out
    )


@pytest.fixture
def demo(settings: Any) -> None:
    settings.SCORECARD_TODAY = "2026-11-23"
    document_load_file(DEMO_FILE)


def test_the_stored_demo_lists_its_deliberate_problems(demo: None) -> None:
    company = Scorecard.objects.get(organization__slug="northwind", slug="company")
    report = scorecard_health(scorecard=company, today=dt.date(2026, 11, 23))
    found = {(f.code, f.key) for f in report.findings}
    assert found >= DEMO_PROBLEMS
    assert not [f for f in report.findings if f.severity == "error"]
    # "Keep cash healthy" is the only objective without an action plan.
    assert [f.key for f in report.findings if f.code == "objective.no_initiative"] == [
        "healthy-cash"
    ]
    # Only the supplier audit score is stale.
    assert [f.key for f in report.findings if f.code == "kpi.stale"] == ["supplier_audit_score"]


def test_the_stored_demo_on_the_command_line(demo: None) -> None:
    out, _ = run("--org", "northwind", "--scorecard", "company", "--show", "warning")
    assert out.startswith("northwind/company (Northwind Outdoor 2027): 0 errors")
    assert "scorecards[company].perspectives[Financial].objectives[healthy-cash]" in out
    assert "kpis[supplier_audit_score].measurements" in out
    everything, _ = run("--org", "northwind")
    assert everything.count(": 0 errors") == Scorecard.objects.count() == 3


def test_the_health_page_of_the_demo(demo: None, client: Any) -> None:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="strategy"))
    html = client.get("/o/northwind/s/company/health/").content.decode()
    for text in [
        "“Supplier audit score” is stale",
        "“Improvement ideas submitted” has no owner",
        "No initiative (action plan) serves the objective “Keep cash healthy”",
        "“Price index vs. competitors” is a zero-target",
    ]:
        assert text in html, text
