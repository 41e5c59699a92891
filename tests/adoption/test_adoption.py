"""Adoption: who opened, updated, commented or proposed in the last 30 and 90 days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scorecard.adoption.selectors import adoption
from scorecard.adoption.services import DATA_SOURCE, adoption_record_kpis
from scorecard.audit.models import Change
from scorecard.health.checks import scorecard_health
from scorecard.organizations.models import Membership
from scorecard.proposals.services import proposal_create
from scorecard.reviews.models import KpiView
from scorecard.reviews.services import comment_add
from tests.factories import KpiFactory, ObjectiveFactory, PerspectiveFactory, UnitFactory

TODAY = dt.date(2026, 11, 23)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), dt.UTC)


@pytest.fixture
def org(world: Any, settings: Any) -> Any:
    settings.SCORECARD_TODAY = TODAY.isoformat()
    sales = UnitFactory(organization=world.organization, parent=world.unit, name="Sales")
    UnitFactory(organization=world.organization, parent=world.unit, name="Empty")
    Membership.objects.filter(user__in=[world.contributor, world.viewer]).update(unit=sales)
    Membership.objects.filter(user__in=[world.admin, world.editor]).update(unit=world.unit)
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Customer")
    objective = ObjectiveFactory(scorecard=world.scorecard, perspective=perspective)
    kpi = KpiFactory(objective=objective, code="nps")
    # viewer: opened 10 days ago; contributor: commented 60 days ago;
    # editor: updated 100 days ago (outside both windows); admin: proposed today.
    KpiView.objects.create(kpi=kpi, user=world.viewer, day=TODAY - dt.timedelta(days=10),
                           first_seen_at=_at(TODAY))  # fmt: skip
    comment = comment_add(item=kpi, author=world.contributor, text="Hm")
    comment.created_at = _at(TODAY - dt.timedelta(days=60))
    comment.save()
    Change.objects.create(
        at=_at(TODAY - dt.timedelta(days=100)), actor=world.editor, action="changed",
        kind="kpi", object_id=kpi.pk, label="NPS", scorecard_id=world.scorecard.pk,
    )  # fmt: skip
    proposal_create(scorecard=world.scorecard, author=world.admin, kind="new_objective",
                    name="X", perspective=perspective, reason="Y")  # fmt: skip
    return kpi


def test_who_was_active_by_unit(world: Any, org: Any) -> None:
    report = adoption(organization=world.organization, today=TODAY)
    units = {u.unit: (u.members, u.active.get(30, 0), u.active.get(90, 0)) for u in report.units}
    assert units == {"Northwind": (2, 1, 1), "Sales": (2, 1, 2)}
    assert (report.total.members, report.total.active[30], report.total.active[90]) == (4, 2, 3)
    people = {p.membership.user.username: (p.did[30], p.did[90]) for p in report.people}
    assert people == {
        "admin-user": (["proposed"], ["proposed"]),
        "editor-user": ([], []),
        "contributor-user": ([], ["commented"]),
        "viewer-user": (["opened"], ["opened"]),
    }
    # Trend: the window ending today, and 30, 60 ... days before.
    assert [share for _, _, share in report.trend][-3:] == [0.25, 0.0, 0.5]


def test_the_figure_as_a_kpi_and_the_health_check(world: Any, org: Any) -> None:
    kpi = KpiFactory(objective=org.objective, code="adoption", data_source=DATA_SOURCE)
    (measurement,) = adoption_record_kpis(today=TODAY)
    assert (measurement.kpi, measurement.value) == (kpi, 50.0)
    Membership.objects.filter(user=world.viewer).update(unit=world.unit)
    report = scorecard_health(scorecard=world.scorecard, today=TODAY)
    messages = {f.code: f.message for f in report.findings if f.code.startswith("involvement")}
    assert messages["involvement.unused"].endswith("in: Sales.")
    assert "top management alone" in messages["involvement.top_down"]


def test_the_page(world: Any, org: Any) -> None:
    assert world.client_for("contributor").get("/o/northwind/adoption/").status_code == 403
    page = world.client_for("editor").get("/o/northwind/adoption/").content.decode()
    assert "Who uses the scorecard" in page and "proposed" in page
    page = world.client_for("editor").get("/o/northwind/adoption/?unit=sales").content.decode()
    assert "admin-user" not in page
