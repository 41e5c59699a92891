"""``scorecard export``: the document of an organization, and its round trip through ``load``."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from scorecard.engine.types import View
from scorecard.interchange.diff import document_diff
from scorecard.interchange.document import parse_document, period_text
from scorecard.interchange.document_export import ExportError, document_export
from scorecard.interchange.scores import result_as_dict
from scorecard.interchange.services import document_load, document_load_file
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.services import measurement_record
from scorecard.organizations.models import Membership, Organization
from scorecard.strategy.models import Scorecard

from .documents import DEMO, MINIMAL, card, kpi, mutate, objective, sales_kpi

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 23)


def export(slug: str = "northwind", scorecards: list[str] | None = None) -> str:
    return document_export(
        organization=Organization.objects.get(slug=slug), scorecards=scorecards
    ).text


def scores(slug: str) -> dict[str, Any]:
    """Every engine score of the organization's scorecards, for several views.

    Perspectives are keyed by their database id in the engine's input, which a
    reload changes; their names identify them here.
    """
    out: dict[str, Any] = {}
    for sc in Scorecard.objects.filter(organization__slug=slug).order_by("slug"):
        for view in (View.PERIOD, View.QUARTER, View.YTD):
            data = result_as_dict(scorecard_evaluate(scorecard=sc, as_of=AS_OF, view=view.value))
            for perspective in data["perspectives"]:
                perspective.pop("key")
            out[f"{sc.slug}/{view.value}"] = data
    return out


def reload(text: str) -> None:
    """Load ``text`` in place of the organization it names (a fresh copy of it)."""
    document_load(document=parse_document(text), replace=True)


# --- the round trip -----------------------------------------------------------------------


def test_demo_company_round_trips_byte_for_byte_with_identical_scores() -> None:
    document_load_file(DEMO)
    first, first_scores = export(), scores("northwind")
    kpi_count = Kpi.objects.filter(scorecard__organization__slug="northwind").count()
    reload(first)
    second, second_scores = export(), scores("northwind")
    assert second == first
    assert second_scores == first_scores
    # The numbers are real ones, not two empty results that happen to agree.
    company = first_scores[f"company/{View.PERIOD.value}"]
    assert company["score"] is not None and len(company["kpis"]) > 30
    assert Kpi.objects.filter(scorecard__organization__slug="northwind").count() == kpi_count


def test_export_of_the_demo_means_the_same_as_the_demo_file() -> None:
    """The export differs from the hand-made file only in layout: diff finds no change."""
    document_load_file(DEMO)
    original = parse_document(DEMO.read_text(encoding="utf-8"))
    assert document_diff(original, parse_document(export())) == []


def test_minimal_document_with_every_kind_of_field_round_trips() -> None:
    def extras(d: dict[str, Any]) -> None:
        card(d)["settings"] = {"aggregator": "worst_child", "missing_policy": "zero"}
        kpi(d, 0)["thresholds"] = [
            {"status": "red", "lower": None, "color": "#d64545"},
            {"status": "green", "lower": 0.8, "color": "#2e9e5b"},
        ]
        kpi(d, 0).update(baseline=5, baseline_date="2025-12-31", target=90,
                         target_date="2026-12-31", description="Line one\nline two")  # fmt: skip
        card(d)["initiatives"][0]["progress"] = 0.35
        objective(d)["due_date"] = "2026-12-31"
        card(d)["settings"]["at_risk_below"] = 0.35
        card(d)["funnels"] = [{"name": "Sales to cost", "description": "Why",
                               "stages": ["sales", "cost"], "costs": [None, 12.5]}]  # fmt: skip
        kpi(d, 0).update(unit_rollup="sum", values_need_approval=True, benchmarks=[
            {"value": 70, "source": "Old study", "date": "2025-06-30"},
            {"value": 90, "percentile": 75, "source": "Peer study", "date": "2026-06-30",
             "note": "median 80"},
            {"value": 95, "source": "Second study", "date": "2026-06-30"},
        ])  # fmt: skip
        sales_kpi(d)["aligned_to"] = "main/sales"

    text = mutate(extras)
    document_load(document=parse_document(text))
    first, first_scores = export("acme"), scores("acme")
    assert document_diff(parse_document(text), parse_document(first)) == []
    main = yaml.safe_load(first)["scorecards"][0]
    assert main["settings"]["at_risk_below"] == 0.35
    assert main["funnels"] == [{"name": "Sales to cost", "description": "Why",
                                "stages": ["sales", "cost"], "costs": [None, 12.5]}]  # fmt: skip
    sales = _kpi_data(first, "sales")
    assert (sales["unit_rollup"], sales["values_need_approval"]) == ("sum", True)
    assert [b["source"] for b in sales["benchmarks"]] == ["Peer study", "Second study", "Old study"]
    assert _kpi_data(first, "accounts")["aligned_to"] == "main/sales"
    reload(first)
    assert export("acme") == first
    assert scores("acme") == first_scores


def test_export_and_load_commands_round_trip(tmp_path: Path) -> None:
    document_load_file(DEMO)
    out = tmp_path / "northwind.yaml"
    call_command("export", "--org", "northwind", "-o", str(out), stdout=StringIO())
    call_command("load", str(out), "--replace", stdout=StringIO())
    again = tmp_path / "again.yaml"
    stdout = StringIO()
    call_command("export", "--org", "northwind", "-o", str(again), stdout=stdout)
    assert "Wrote" in stdout.getvalue()
    assert again.read_bytes() == out.read_bytes()


def test_export_to_standard_output() -> None:
    document_load(document=parse_document(MINIMAL))
    stdout = StringIO()
    call_command("export", "--org", "acme", stdout=stdout)
    assert stdout.getvalue() == export("acme")
    assert stdout.getvalue().startswith("# Acme: scorecard document written by")


# --- what the document holds ---------------------------------------------------------------


def _kpi_data(text: str, code: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    for sc in data["scorecards"]:
        for p in sc["perspectives"]:
            for o in p["objectives"]:
                for k in o.get("kpis", []):
                    if k["code"] == code:
                        return dict(k)
    raise AssertionError(code)


def test_measurements_are_a_series_without_notes_and_a_list_with_them() -> None:
    document_load(document=parse_document(MINIMAL))
    text = export("acme")
    assert _kpi_data(text, "sales")["measurements"] == {
        "start": "2026-01",
        "values": [10, 20, None, 40],
    }
    assert _kpi_data(text, "nps")["measurements"] == {"start": "2025-Q4", "values": [41, 44]}
    assert _kpi_data(text, "cost")["measurements"] == [
        {"period": "2026-01", "value": 30, "note": "first close"}
    ]
    assert "values: [10, 20, null, 40]" in text  # one line, as people write it


def test_only_the_current_value_of_a_corrected_period_is_exported(settings: Any) -> None:
    settings.SCORECARD_TODAY = "2026-06-15"
    document_load(document=parse_document(MINIMAL))
    sales = Kpi.objects.get(code="sales")
    measurement_record(kpi=sales, period_start=dt.date(2026, 2, 1), value="25.5", note="recount")
    assert Measurement.objects.filter(kpi=sales, period_start=dt.date(2026, 2, 1)).count() == 2
    assert _kpi_data(export("acme"), "sales")["measurements"] == [
        {"period": "2026-01", "value": 10},
        {"period": "2026-02", "value": 25.5, "note": "recount"},
        {"period": "2026-04", "value": 40},
    ]


def test_values_waiting_for_approval_are_left_out(settings: Any) -> None:
    """Only approved values count, so only they are written; the export says what it left."""
    settings.SCORECARD_TODAY = "2026-06-15"
    document_load(document=parse_document(MINIMAL))
    sales = Kpi.objects.get(code="sales")
    Kpi.objects.filter(pk=sales.pk).update(values_need_approval=True)  # owner ann
    sales.refresh_from_db()
    bo = Membership.objects.get(user__username="bo").user
    for month, value in ((2, 99), (5, 50)):  # a correction and a new period, both waiting
        measurement_record(kpi=sales, period_start=dt.date(2026, month, 1), value=value, user=bo)
    result = document_export(organization=Organization.objects.get(slug="acme"))
    assert _kpi_data(result.text, "sales")["measurements"] == {
        "start": "2026-01",
        "values": [10, 20, None, 40],
    }
    assert result.warnings == ["KPI main/sales: 2 values waiting for approval are left out."]


def test_approval_without_an_owner_in_the_document_is_left_out() -> None:
    document_load(document=parse_document(MINIMAL))
    Kpi.objects.filter(code="sales").update(values_need_approval=True)
    Membership.objects.filter(user__username="ann").delete()
    result = document_export(organization=Organization.objects.get(slug="acme"))
    assert "values_need_approval" not in _kpi_data(result.text, "sales")
    assert (
        "KPI main/sales: its values need the owner's approval, but it has no owner in the "
        "document; the approval is left out." in result.warnings
    )


def test_kpi_alignment_to_a_scorecard_not_exported_or_not_above_is_left_out() -> None:
    document_load(document=parse_document(mutate(lambda d: sales_kpi(d).update(
        aligned_to="main/sales"))))  # fmt: skip
    organization = Organization.objects.get(slug="acme")
    alone = document_export(organization=organization, scorecards=["sales-card"])
    assert "aligned_to" not in _kpi_data(alone.text, "accounts")
    assert (
        "KPI sales-card/accounts: its alignment to KPI main/sales is left out (that scorecard "
        "is not exported)." in alone.warnings
    )
    Scorecard.objects.filter(slug="sales-card").update(parent=None)  # e.g. in the admin
    unparented = document_export(organization=organization)
    assert "aligned_to" not in _kpi_data(unparented.text, "accounts")
    assert (
        "KPI sales-card/accounts: its alignment to KPI main/sales is left out (main is not a "
        "scorecard sales-card is cascaded from, as a KPI alignment needs)." in unparented.warnings
    )


def test_defaults_are_left_out() -> None:
    document_load(document=parse_document(MINIMAL))
    margin = _kpi_data(export("acme"), "margin")
    assert margin == {
        "code": "margin",
        "name": "Margin",
        "minimum": 0,
        "maximum": 100,
        "formula": "(sales - cost) / sales * 100",
    }


def test_some_scorecards_only_leave_out_references_to_the_others() -> None:
    document_load(document=parse_document(MINIMAL))
    result = document_export(
        organization=Organization.objects.get(slug="acme"), scorecards=["sales-card"]
    )
    data = yaml.safe_load(result.text)
    assert [c["slug"] for c in data["scorecards"]] == ["sales-card"]
    assert "parent" not in data["scorecards"][0]
    assert "aligned_to" not in data["scorecards"][0]["perspectives"][0]["objectives"][0]
    assert result.warnings == [
        "scorecard sales-card: its parent main is not exported; the document leaves the "
        "parent out.",
        "objective sales-card/accounts: its alignment to main/grow is left out (that "
        "scorecard is not exported).",
    ]
    reload(result.text)  # it loads on its own
    assert list(
        Scorecard.objects.filter(organization__slug="acme").values_list("slug", flat=True)
    ) == ["sales-card"]


def test_owner_who_left_the_organization_is_left_out() -> None:
    document_load(document=parse_document(MINIMAL))
    Membership.objects.filter(user__username="bo").delete()
    result = document_export(organization=Organization.objects.get(slug="acme"))
    assert "updater" not in _kpi_data(result.text, "sales")
    assert (
        "KPI main/sales: updater: bo is no longer a member of the organization; "
        "the reference is left out." in result.warnings
    )
    reload(result.text)


def test_data_the_format_cannot_express_is_refused_with_the_reason() -> None:
    document_load(document=parse_document(MINIMAL))
    Kpi.objects.filter(code="cost").update(code="Cost-2")  # the web form allows it, formulas not
    with pytest.raises(ExportError) as caught:
        document_export(organization=Organization.objects.get(slug="acme"))
    assert "kpis[Cost-2].code: must start with a lower-case letter" in str(caught.value)


def test_unknown_organization_and_scorecard_are_clear_errors() -> None:
    document_load(document=parse_document(MINIMAL))
    with pytest.raises(CommandError, match="There is no organization “nope” \\(there are: acme\\)"):
        call_command("export", "--org", "nope", stdout=StringIO())
    with pytest.raises(
        CommandError, match="acme has no scorecard nope \\(it has: main, sales-card\\)"
    ):
        call_command("export", "--org", "acme", "--scorecard", "nope", stdout=StringIO())


def test_export_warnings_go_to_standard_error() -> None:
    document_load(document=parse_document(MINIMAL))
    err = StringIO()
    call_command(
        "export", "--org", "acme", "--scorecard", "sales-card", stdout=StringIO(), stderr=err
    )
    assert err.getvalue().startswith("note: scorecard sales-card: its parent main")


def test_export_reads_in_a_constant_number_of_queries(django_assert_max_num_queries: Any) -> None:
    document_load_file(DEMO)
    organization = Organization.objects.get(slug="northwind")
    with django_assert_max_num_queries(18):
        document_export(organization=organization)


# --- periods as the document writes them -----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "interval", "fiscal_month", "text"),
    [
        (dt.date(2026, 3, 1), "month", 1, "2026-03"),
        (dt.date(2026, 4, 1), "quarter", 1, "2026-Q2"),
        (dt.date(2026, 4, 1), "quarter", 4, "2026-Q2"),  # fiscal quarters that are calendar ones
        (dt.date(2026, 2, 1), "quarter", 2, "2026-02"),  # fiscal quarters Feb-Apr ...
        (dt.date(2026, 7, 1), "half_year", 1, "2026-H2"),
        (dt.date(2026, 4, 1), "half_year", 4, "2026-04"),
        (dt.date(2026, 1, 1), "year", 1, "2026"),
        (dt.date(2026, 7, 1), "year", 7, "2026-07"),
        (dt.date(2026, 3, 2), "week", 1, "2026-03-02"),
        (dt.date(2026, 3, 17), "day", 1, "2026-03-17"),
    ],
)
def test_period_text(start: dt.date, interval: str, fiscal_month: int, text: str) -> None:
    assert period_text(start, interval, fiscal_month) == text
