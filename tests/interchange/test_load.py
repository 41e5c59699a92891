"""Loading documents into the database: everything or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from scorecard.engine import periods
from scorecard.engine.types import Interval
from scorecard.initiatives.models import Initiative, Task
from scorecard.interchange import services
from scorecard.interchange.document import DocumentError, parse_document
from scorecard.interchange.services import LoadSummary, document_load, document_load_file
from scorecard.kpis.models import Kpi, KpiAlignment, Measurement, Target
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.planning.models import ForecastRule
from scorecard.strategy.models import (
    Objective,
    ObjectiveAlignment,
    ObjectiveLink,
    Perspective,
    Scorecard,
)

from .documents import DEMO, MINIMAL, kpi, mutate, objective, sales_kpi, write

pytestmark = pytest.mark.django_db

MODELS = [
    Organization, Unit, Membership, Scorecard, Perspective, Objective, ObjectiveLink,
    ObjectiveAlignment, Kpi, Target, Measurement, Initiative, Task, get_user_model(),
]  # fmt: skip


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def load(text: str = MINIMAL, **kwargs: Any) -> LoadSummary:
    return document_load(document=parse_document(text), **kwargs)


# --- the demo company -------------------------------------------------------------------


@pytest.fixture
def demo() -> LoadSummary:
    return document_load_file(DEMO)


def test_demo_company_loads(demo: LoadSummary) -> None:
    company = Scorecard.objects.get(organization__slug="northwind", slug="company")
    assert company.objectives.count() >= 12
    assert company.kpis.count() >= 30
    assert company.vision and company.mission
    assert list(company.perspectives.values_list("kind", flat=True)) == [
        "financial", "customer", "internal", "learning",
    ]  # fmt: skip
    assert ObjectiveLink.objects.filter(cause__scorecard=company).count() >= 12
    departments = Scorecard.objects.filter(parent=company)
    assert departments.count() == 2
    for department in departments:
        assert 2 <= department.objectives.count() <= 4
        assert 4 <= department.kpis.count() <= 6
        assert ObjectiveAlignment.objects.filter(child__scorecard=department).exists()
    assert demo.measurements == Measurement.objects.count() > 800


def test_demo_company_has_the_mix_the_product_needs(demo: LoadSummary) -> None:
    kpis = Kpi.objects.filter(scorecard__slug="company")
    optimizations = set(kpis.values_list("optimization", flat=True))
    assert {
        "maximize", "minimize", "band", "exact", "binary_max", "goal_red_flag",
        "percent_of_target", "none",
    } <= optimizations  # fmt: skip
    assert {"month", "quarter"} <= set(kpis.values_list("update_interval", flat=True))
    assert {"sum", "average", "last"} <= set(kpis.values_list("time_aggregation", flat=True))
    assert {"leading", "lagging"} == set(kpis.values_list("indicator", flat=True))
    assert {"€", "%", "days", "h"} <= set(kpis.values_list("unit", flat=True))
    assert kpis.exclude(formula="").count() >= 1
    provenances = set(Target.objects.values_list("provenance", flat=True))
    assert {"zero", "benchmark", "history", "chain", "growth"} <= provenances
    assert not Target.objects.filter(note="").exists()


def test_demo_sales_funnel_is_plausible(demo: LoadSummary) -> None:
    funnel = ["website_visitors", "signups", "qualified_leads", "deals"]
    last = {
        code: Measurement.objects.filter(kpi__code=code).latest("period_start") for code in funnel
    }
    assert all(m.period_start == dt.date(2026, 10, 1) for m in last.values())
    values = [last[code].value for code in funnel]
    assert values == sorted(values, reverse=True)
    assert 30_000 < values[0] < 70_000 and 20 < values[3] < 80
    assert Measurement.objects.filter(kpi__code="deals").count() == 24


def test_demo_deliberate_problems(demo: LoadSummary) -> None:
    company = Kpi.objects.filter(scorecard__slug="company")
    # one KPI without an owner
    assert list(company.filter(owner=None).values_list("code", flat=True)) == ["ideas_submitted"]
    # one stale KPI (nothing since May 2026); every other one is up to date at the
    # end of October 2026, whatever its interval
    stale = [
        k.code
        for k in company.exclude(measurements=None)
        if k.measurements.latest("period_start").period_start
        < periods.last_complete_period(dt.date(2026, 11, 1), Interval(k.update_interval)).start
    ]
    assert stale == ["supplier_audit_score"]
    # one objective without an initiative
    lonely = Objective.objects.filter(scorecard__organization__slug="northwind", initiatives=None)
    assert list(lonely.values_list("code", flat=True)) == ["healthy-cash"]


def test_demo_initiatives_and_users(demo: LoadSummary) -> None:
    company = Scorecard.objects.get(slug="company")
    assert company.initiatives.count() >= 6
    for initiative in Initiative.objects.all():
        assert 3 <= initiative.tasks.count() <= 5, initiative.name
        assert initiative.owner is not None
    assert {t.deadline.year for t in Task.objects.all()} <= {2025, 2026, 2027}
    assert len(set(Initiative.objects.values_list("status", flat=True))) >= 3
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles["admin"] == "admin"
    assert roles["strategy"] == "editor"
    assert roles["sales.lead"] == "contributor"
    assert roles["viewer"] == "viewer"
    assert not any(u.has_usable_password() for u in get_user_model().objects.all())


# --- what a load writes -----------------------------------------------------------------


@override_settings(SCORECARD_TODAY="2026-03-20")
def test_minimal_document_loads_every_part() -> None:
    summary = load()
    assert summary == LoadSummary(
        organization_slug="acme", units=2, users=2, memberships=2, scorecards=2, perspectives=3,
        objectives=4, links=2, alignments=1, kpis=5, targets=1, measurements=8, initiatives=1,
        tasks=2,
    )  # fmt: skip
    organization = Organization.objects.get(slug="acme")
    assert Unit.objects.get(slug="sales").parent.slug == "hq"
    main = Scorecard.objects.get(slug="main")
    assert Scorecard.objects.get(slug="sales-card").parent == main
    assert [p.name for p in main.perspectives.all()] == ["Financial", "Customer"]
    assert main.perspectives.get(name="Financial").weight == 2
    grow = Objective.objects.get(code="grow")
    assert grow.owner.username == "ann"
    sales = Kpi.objects.get(code="sales")
    assert (sales.owner.username, sales.updater.username, sales.objective) == ("ann", "bo", grow)
    values = list(sales.measurements.values_list("period_start", "value"))
    assert values == [
        (dt.date(2026, 1, 1), 10), (dt.date(2026, 2, 1), 20), (dt.date(2026, 4, 1), 40),
    ]  # fmt: skip
    assert Kpi.objects.get(code="margin").formula == "(sales - cost) / sales * 100"
    target = sales.targets.get()
    assert (target.period_start, target.value, target.provenance) == (
        dt.date(2026, 1, 1), 80, "history",
    )  # fmt: skip
    alignment = ObjectiveAlignment.objects.get()
    assert (alignment.child.code, alignment.parent, alignment.share) == ("accounts", grow, 0.5)
    initiative = Initiative.objects.get()
    assert initiative.budget == Decimal("1000.50")
    assert set(initiative.objectives.values_list("code", flat=True)) == {"grow", "margin-up"}
    assert list(initiative.tasks.values_list("name", "state")) == [
        ("Compare", "done"), ("Decide", "todo"),
    ]  # fmt: skip
    ann = Membership.objects.get(organization=organization, user__username="ann")
    assert (ann.role, ann.unit.slug) == ("editor", "hq")
    assert (ann.user.first_name, ann.user.last_name) == ("Ann", "Lee")


@override_settings(SCORECARD_TODAY="2026-03-20")
def test_recorded_times_are_plausible_and_never_in_the_future() -> None:
    load()
    now = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
    sales = Kpi.objects.get(code="sales")
    recorded = dict(sales.measurements.values_list("period_start", "recorded_at"))
    # January's value counts as entered a few days after January closed ...
    assert recorded[dt.date(2026, 1, 1)] == dt.datetime(2026, 2, 4, 9, 0, tzinfo=dt.UTC)
    # ... and April's (a period not yet over) as entered at the time of loading.
    assert recorded[dt.date(2026, 4, 1)] == now
    assert all(m.recorded_at <= now for m in Measurement.objects.all())
    assert all(t.set_at <= now for t in Target.objects.all())


def test_loaded_by_is_recorded() -> None:
    operator = get_user_model().objects.create(username="operator")
    load(loaded_by=operator)
    assert set(Measurement.objects.values_list("recorded_by", flat=True)) == {operator.pk}
    assert set(Target.objects.values_list("set_by", flat=True)) == {operator.pk}


def test_new_users_cannot_sign_in_and_existing_users_keep_their_password() -> None:
    existing = get_user_model().objects.create_user(username="ann", password="s3cret-pass")
    load()
    ann = get_user_model().objects.get(username="ann")
    assert ann.pk == existing.pk
    assert ann.check_password("s3cret-pass")
    assert (ann.first_name, ann.email) == ("Ann", "ann@acme.example")
    assert not get_user_model().objects.get(username="bo").has_usable_password()


def test_units_and_scorecards_may_come_before_their_parents() -> None:
    def reverse(d: dict[str, Any]) -> None:
        d["units"].reverse()
        d["scorecards"].reverse()

    load(mutate(reverse))
    assert Scorecard.objects.get(slug="sales-card").parent.slug == "main"


# --- all or nothing ---------------------------------------------------------------------


def test_a_bad_file_changes_nothing(tmp_path: Path) -> None:
    before = row_counts()
    bad = write(tmp_path, mutate(lambda d: objective(d).update(owner="eve")))
    with pytest.raises(DocumentError):
        document_load_file(bad)
    assert row_counts() == before


def test_a_bad_file_leaves_an_existing_organization_alone(tmp_path: Path) -> None:
    load()
    before = row_counts()
    bad = write(tmp_path, mutate(lambda d: kpi(d).update(optimization="biggest")))
    with pytest.raises(DocumentError):
        document_load_file(bad, replace=True)
    assert row_counts() == before


def test_a_load_failing_half_way_rolls_back_the_replacement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load()
    before = row_counts()
    old_kpis = set(Kpi.objects.values_list("pk", flat=True))

    def fail(*args: Any) -> None:
        raise RuntimeError("disk full")

    # Initiatives come after the organization, scorecards and KPIs have been written.
    monkeypatch.setattr(services._Writer, "initiatives", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        load(replace=True)
    assert row_counts() == before
    assert set(Kpi.objects.values_list("pk", flat=True)) == old_kpis


def test_loading_twice_needs_replace() -> None:
    load()
    with pytest.raises(DocumentError) as excinfo:
        load()
    [error] = excinfo.value.errors
    assert str(error) == (
        "organization.slug: Organization “acme” already exists; use --replace to overwrite it."
    )


def test_replace_swaps_the_organization_and_nothing_else() -> None:
    load()
    other = load(MINIMAL.replace("{name: Acme, slug: acme}", "{name: Other, slug: other}"))
    assert other.kpis == 5
    old_kpis = set(Kpi.objects.filter(scorecard__organization__slug="acme").values_list("pk"))
    before = row_counts()
    load(mutate(lambda d: kpi(d).update(name="Net sales")), replace=True)
    assert row_counts() == before
    assert Kpi.objects.get(scorecard__organization__slug="acme", code="sales").name == "Net sales"
    assert Kpi.objects.get(scorecard__organization__slug="other", code="sales").name == "Sales"
    assert not old_kpis & set(
        Kpi.objects.filter(scorecard__organization__slug="acme").values_list("pk")
    )


def test_replace_removes_what_the_new_document_leaves_out() -> None:
    load()
    smaller = mutate(lambda d: d.update(scorecards=d["scorecards"][:1]))
    smaller = mutate(lambda d: d["scorecards"][0].update(initiatives=[]), smaller)
    load(smaller, replace=True)
    assert not Scorecard.objects.filter(slug="sales-card").exists()
    assert Initiative.objects.count() == Task.objects.count() == 0
    assert ObjectiveAlignment.objects.count() == 0


def test_the_demo_can_be_replaced(demo: LoadSummary) -> None:
    before = row_counts()
    document_load_file(DEMO, replace=True)
    assert row_counts() == before


# --- reading files ----------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="there is no file"):
        document_load_file(tmp_path / "nope.yaml")


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="is not a file"):
        document_load_file(tmp_path)


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(DocumentError, match="documents may be 0 MB"):
        document_load_file(write(tmp_path, MINIMAL))
    assert Organization.objects.count() == 0


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.replace("Acme", "Açme").encode("latin-1"))
    with pytest.raises(DocumentError, match="is not UTF-8 text"):
        document_load_file(path)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert document_load_file(path).kpis == 5


def test_cascade_approval_forecast_funnel_and_benchmarks_are_loaded() -> None:
    def fields(d: dict[str, Any]) -> None:
        sales_kpi(d)["aligned_to"] = "main/sales"
        kpi(d).update(unit_rollup="sum", values_need_approval=True)
        kpi(d)["benchmarks"] = [{"value": 90, "source": "Peer study", "date": "2026-06-30"}]
        d["scorecards"][0]["settings"] = {"at_risk_below": 0.4}
        d["scorecards"][0]["funnels"] = [{"name": "Sales to cost", "stages": ["sales", "cost"]}]

    summary = load(mutate(fields))
    assert (summary.kpi_alignments, summary.benchmarks, summary.funnels) == (1, 1, 1)
    alignment = KpiAlignment.objects.select_related("child", "parent__scorecard").get()
    assert (alignment.child.code, alignment.parent.scorecard.slug, alignment.parent.code) == (
        "accounts", "main", "sales",
    )  # fmt: skip
    sales = Kpi.objects.get(code="sales")
    assert (sales.unit_rollup, sales.values_need_approval) == ("sum", True)
    assert Kpi.objects.get(code="accounts").unit_rollup == "auto"
    assert ForecastRule.objects.get().at_risk_below == 0.4
    assert "1 kpi_alignments" in str(summary)
