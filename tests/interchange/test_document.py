"""Scorecard documents: the demo loads, bad documents give clear errors and change nothing."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from scorecard.interchange.document import DocumentError, parse_document
from scorecard.interchange.services import DEMO_FILE_NAME, document_load, document_load_file
from scorecard.kpis.models import Kpi, Measurement
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Objective, ObjectiveAlignment, ObjectiveLink

DEMO = Path(__file__).resolve().parents[2] / "src/scorecard/interchange/demo" / DEMO_FILE_NAME

MINIMAL = """
version: 1
organization: {name: Acme, slug: acme}
units: [{slug: hq, name: Head office}]
users: [{username: ann, name: Ann Lee, role: editor}]
scorecards:
  - slug: main
    name: Main
    unit: hq
    perspectives:
      - name: Financial
        kind: financial
        objectives:
          - code: grow
            name: Grow
            owner: ann
            kpis:
              - {code: sales, name: Sales, minimum: 0, maximum: 100,
                 measurements: {start: 2026-01, values: [10, 20, null, 40]}}
              - {code: cost, name: Cost, optimization: minimize, minimum: 0, maximum: 50,
                 time_aggregation: last,
                 measurements: [{period: 2026-01, value: 30, note: first close}]}
          - code: margin-up
            name: Better margin
            kpis:
              - {code: margin, name: Margin, formula: "(sales - cost) / sales * 100",
                 minimum: 0, maximum: 100}
    links: [{cause: margin-up, effect: grow}]
"""


def mutate(change) -> str:
    data = yaml.safe_load(MINIMAL)
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


def kpi0(d):
    return d["scorecards"][0]["perspectives"][0]["objectives"][0]["kpis"][0]


def objective0(d):
    return d["scorecards"][0]["perspectives"][0]["objectives"][0]


BAD = [
    (
        "unknown field",
        lambda d: kpi0(d).update(colour="red"),
        "scorecards[main].perspectives[Financial].objectives[grow].kpis[sales].colour",
        "unknown field",
    ),
    (
        "missing name",
        lambda d: objective0(d).pop("name"),
        "scorecards[main].perspectives[Financial].objectives[grow].name",
        "required",
    ),
    (
        "bad optimization",
        lambda d: kpi0(d).update(optimization="biggest"),
        "scorecards[main].perspectives[Financial].objectives[grow].kpis[sales].optimization",
        "must be one of",
    ),
    (
        "negative weight",
        lambda d: kpi0(d).update(weight=-1),
        "scorecards[main].perspectives[Financial].objectives[grow].kpis[sales].weight",
        "greater than 0",
    ),
    (
        "not a number",
        lambda d: kpi0(d).update(maximum="lots"),
        "scorecards[main].perspectives[Financial].objectives[grow].kpis[sales].maximum",
        "must be a number",
    ),
    (
        "duplicate KPI code",
        lambda d: objective0(d)["kpis"].append({"code": "sales", "name": "Again"}),
        "scorecards[main].kpis[sales]",
        "used twice",
    ),
    (
        "unknown owner",
        lambda d: objective0(d).update(owner="bob"),
        "scorecards[main].perspectives[Financial].objectives[grow].owner",
        "no user “bob”",
    ),
    (
        "link to unknown objective",
        lambda d: d["scorecards"][0]["links"].append({"cause": "grow", "effect": "ghost"}),
        "scorecards[main].links[1].effect",
        "no objective “ghost”",
    ),
    (
        "formula cycle",
        lambda d: kpi0(d).update(formula="margin * 2", measurements=[]),
        "scorecards[main].kpis[sales].formula",
        "Formula cycle",
    ),
    (
        "unknown formula reference",
        lambda d: d["scorecards"][0]["perspectives"][0]["objectives"][1]["kpis"][0].update(
            formula="sales / ghost"
        ),
        "scorecards[main].kpis[margin].formula",
        "unknown KPI code(s): ghost",
    ),
    (
        "misaligned period",
        lambda d: objective0(d)["kpis"][1]["measurements"][0].update(period="2026-01-15"),
        "scorecards[main].perspectives[Financial].objectives[grow].kpis[cost].measurements[0].period",
        "does not start a month period",
    ),
    (
        "duplicate period",
        lambda d: objective0(d)["kpis"][1]["measurements"].append(
            {"period": "2026-01", "value": 1}
        ),
        "scorecards[main].perspectives[Financial].objectives[grow].kpis[cost].measurements[1].period",
        "appears twice",
    ),
    (
        "zero-width scale",
        lambda d: kpi0(d).update(minimum=100),
        "scorecards[main].perspectives[Financial].objectives[grow].kpis[sales]",
        "nothing to measure on",
    ),
    (
        "unknown unit",
        lambda d: d["scorecards"][0].update(unit="mars"),
        "scorecards[main].unit",
        "no unit “mars”",
    ),
    (
        "percent of target with target zero",
        lambda d: kpi0(d).update(optimization="percent_of_target", target=0),
        "scorecards[main].perspectives[Financial].objectives[grow].kpis[sales]",
        "target above zero",
    ),
    (
        "bad version",
        lambda d: d.update(version=2),
        "version",
        "must be one of",
    ),
]


@pytest.mark.parametrize(("label", "change", "path", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_bad_documents_name_the_place_and_the_problem(label, change, path, fragment) -> None:
    with pytest.raises(DocumentError) as excinfo:
        parse_document(mutate(change))
    found = {(e.path, e.message) for e in excinfo.value.errors}
    assert any(p == path and fragment in m for p, m in found), found


def test_yaml_syntax_error_gives_line_and_column() -> None:
    with pytest.raises(DocumentError) as excinfo:
        parse_document("version: 1\norganization: {name: [unclosed\n")
    assert excinfo.value.errors[0].path.startswith("line ")


def test_all_errors_are_reported_at_once() -> None:
    def two_problems(d):
        objective0(d).update(owner="bob")
        d["scorecards"][0].update(unit="mars")

    with pytest.raises(DocumentError) as excinfo:
        parse_document(mutate(two_problems))
    assert len(excinfo.value.errors) == 2


@pytest.mark.django_db
def test_minimal_document_loads_and_scores() -> None:
    summary = document_load(document=parse_document(MINIMAL))
    assert (summary.kpis, summary.measurements) == (3, 4)
    sales = Kpi.objects.get(code="sales")
    assert sorted(Measurement.objects.filter(kpi=sales).values_list("value", flat=True)) == [
        10,
        20,
        40,
    ]
    assert ObjectiveLink.objects.count() == 1
    assert Objective.objects.get(code="grow").owner.username == "ann"


@pytest.mark.django_db
def test_bad_file_leaves_the_database_unchanged(tmp_path) -> None:
    document_load(document=parse_document(MINIMAL))
    before = (Organization.objects.count(), Kpi.objects.count(), Measurement.objects.count())
    bad = tmp_path / "bad.yaml"
    bad.write_text(mutate(lambda d: objective0(d).update(owner="bob")))
    with pytest.raises(DocumentError):
        document_load_file(bad, replace=True)
    after = (Organization.objects.count(), Kpi.objects.count(), Measurement.objects.count())
    assert before == after


@pytest.mark.django_db
def test_loading_twice_needs_replace() -> None:
    document_load(document=parse_document(MINIMAL))
    with pytest.raises(DocumentError, match="already exists; use --replace"):
        document_load(document=parse_document(MINIMAL))
    document_load(document=parse_document(MINIMAL), replace=True)
    assert Organization.objects.filter(slug="acme").count() == 1
    assert Kpi.objects.count() == 3


@pytest.mark.django_db
def test_demo_company_loads() -> None:
    summary = document_load_file(DEMO)
    company = Objective.objects.filter(scorecard__slug="company")
    assert company.count() >= 12
    assert Kpi.objects.filter(scorecard__slug="company").count() >= 30
    assert summary.initiatives >= 6
    assert ObjectiveAlignment.objects.count() >= 4
    assert ObjectiveLink.objects.count() >= 12
    optimizations = set(Kpi.objects.values_list("optimization", flat=True))
    assert {"maximize", "minimize", "band", "exact", "none", "goal_red_flag"} <= optimizations


@pytest.mark.django_db
def test_load_command_reports_errors_and_exits_non_zero(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(mutate(lambda d: kpi0(d).update(optimization="biggest")))
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem; nothing was loaded"):
        call_command("load", str(bad), stderr=err)
    assert "kpis[sales].optimization: must be one of" in err.getvalue()
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_load_command_missing_file() -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load", "/no/such/file.yaml", stderr=err)
    assert "there is no file" in err.getvalue()


@pytest.mark.django_db
def test_score_command_json_reproduces_worked_example_3(tmp_path) -> None:
    """Example 3 of docs/scoring.md, loaded from a document and scored from the CLI."""
    doc = tmp_path / "service.yaml"
    doc.write_text(
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
"""
    )
    call_command("load", str(doc), stdout=StringIO())
    out = StringIO()
    call_command("score", "--as-of", "2026-10-31", "--json", stdout=out)
    data = json.loads(out.getvalue())
    card = data["scorecards"][0]
    kpis = {k["code"]: k for k in card["kpis"]}
    assert kpis["time_to_answer"]["performance"] == pytest.approx(0.75)
    assert kpis["first_call_resolution"]["performance"] == pytest.approx(0.60)
    assert card["objectives"][0]["score"] == pytest.approx(0.65)
    assert card["score"] == pytest.approx(0.65)


@pytest.mark.django_db
def test_score_command_bad_date() -> None:
    with pytest.raises(CommandError, match="--as-of must be a date"):
        call_command("score", "--as-of", "yesterday")
