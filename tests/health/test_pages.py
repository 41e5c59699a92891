"""Health check page, SMART panels, red-without-plan alerts, usage and the snooze page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scorecard.reviews.models import KpiView, ObjectiveView, ReminderSnooze
from tests.factories import KpiFactory, MeasurementFactory

from .conftest import ORG, SC, Card

pytestmark = pytest.mark.django_db

HEALTH = reverse("scorecard_health", args=[ORG, SC])


def html_of(client: Any, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def section(html: str, severity: str) -> str:
    """The part of the health page that lists one severity."""
    match = re.search(rf'<section class="card health {severity}".*?</section>', html, re.S)
    return match.group(0) if match else ""


# Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("editor", 200), ("contributor", 200), ("viewer", 200), ("outsider", 404)],
)
def test_every_member_reads_the_health_check_outsiders_get_404(
    card: Card, persona: str, status: int
) -> None:
    assert card.world.client_for(persona).get(HEALTH).status_code == status


def test_anonymous_is_sent_to_login(card: Card) -> None:
    response = card.world.client_for("anonymous").get(HEALTH)
    assert response.status_code == 302 and "/login/" in response["Location"]


# What the page lists ---------------------------------------------------------------------


def test_findings_are_grouped_by_severity_with_links_to_fix(card: Card) -> None:
    html = html_of(card.world.client_for("editor"), HEALTH)
    warnings = section(html, "warning")
    # The cash objective: no owner and no initiative, with links to the forms that fix them.
    assert "Nobody owns the objective “Keep cash healthy”" in warnings
    assert reverse("objective_edit", args=[ORG, SC, "cash"]) + "#id_owner" in warnings
    assert "No initiative (action plan) serves the objective “Keep cash healthy”" in warnings
    assert reverse("initiative_new", args=[ORG, SC]) + "?objective=cash" in warnings
    # Its KPI: stale and without owner.
    assert "“Days sales outstanding” is stale" in warnings
    assert reverse("kpi_detail", args=[ORG, SC, "dso"]) + "#entry" in warnings
    assert reverse("kpi_edit", args=[ORG, SC, "dso"]) + "#id_owner" in warnings
    # The healthy objective and KPI have no warnings.
    assert "“Grow revenue”" not in warnings and "“Revenue”" not in warnings
    # Suggestions are grouped by kind.
    info = section(html, "info")
    assert "KPIs without a data source" in info and "Days sales outstanding" in info
    # The counts at the top add up.
    counts = re.search(r"<strong>(\d+)</strong> warnings?", html)
    assert counts and int(counts.group(1)) == warnings.count("<li>")


def test_a_viewer_sees_the_findings_but_no_edit_links(card: Card) -> None:
    html = html_of(card.world.client_for("viewer"), HEALTH)
    assert "Nobody owns the objective “Keep cash healthy”" in html
    assert "/edit/" not in section(html, "warning")
    assert "/initiatives/new/" not in html
    # The thing itself can still be opened.
    assert reverse("objective_detail", args=[ORG, SC, "cash"]) in html


def test_user_text_is_escaped(card: Card) -> None:
    card.cash.name = "<script>alert(1)</script>"
    card.cash.save()
    html = html_of(card.world.client_for("editor"), HEALTH)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_scorecard_page_links_to_the_health_check(card: Card) -> None:
    html = html_of(card.world.client_for("viewer"), reverse("scorecard_detail", args=[ORG, SC]))
    assert HEALTH in html


def test_health_page_takes_a_constant_number_of_queries(card: Card) -> None:
    client = card.world.client_for("editor")
    client.get(HEALTH)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(HEALTH).status_code == 200
        return len(queries)

    few = count()
    for i in range(40):
        kpi = KpiFactory(objective=card.cash, code=f"extra_{i}", owner=card.world.viewer)
        MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 10, 1))
    assert count() == few <= 19  # risks and involvement findings: one query each, constant


# SMART panels ----------------------------------------------------------------------------


def test_objective_page_has_a_smart_checklist(card: Card) -> None:
    client = card.world.client_for("editor")
    html = html_of(client, reverse("objective_detail", args=[ORG, SC, "cash"]))
    panel = html[html.index('id="smart-heading"') :]
    panel = panel[: panel.index("</section>")]
    assert "Nobody owns the objective" in panel
    assert "No initiative (action plan) serves" in panel
    assert "Days sales outstanding" in panel and "is stale" in panel  # its KPI's warning
    assert "has no due date" in panel
    assert reverse("objective_edit", args=[ORG, SC, "cash"]) + "#id_owner" in panel
    healthy = html_of(client, reverse("objective_detail", args=[ORG, SC, "grow"]))
    healthy_panel = healthy[healthy.index('id="smart-heading"') :]
    healthy_panel = healthy_panel[: healthy_panel.index("</section>")]
    assert "Nobody owns" not in healthy_panel and "to fix" in healthy_panel  # no leading KPI


def test_initiative_page_has_a_smart_checklist(card: Card) -> None:
    card.initiative.owner = None
    card.initiative.deadline = None
    card.initiative.save()
    url = reverse("initiative_detail", args=[ORG, SC, card.initiative.pk])
    html = html_of(card.world.client_for("editor"), url)
    panel = html[html.index('id="smart-heading"') :]
    assert "Nobody owns the initiative “Sales push”" in panel
    assert "has no deadline" in panel
    assert reverse("initiative_edit", args=[ORG, SC, card.initiative.pk]) + "#id_owner" in panel


def test_a_closed_initiative_has_nothing_to_check(card: Card) -> None:
    card.initiative.status = "done"
    card.initiative.owner = None
    card.initiative.save()
    url = reverse("initiative_detail", args=[ORG, SC, card.initiative.pk])
    html = html_of(card.world.client_for("viewer"), url)
    assert "This initiative is closed: nothing to check." in html
    assert "Nobody owns the initiative" not in html


# Alerts: red KPI, objective without an active initiative ---------------------------------


def test_scorecard_page_alerts_red_kpis_without_an_active_initiative(card: Card) -> None:
    client = card.world.client_for("viewer")
    html = html_of(client, reverse("scorecard_detail", args=[ORG, SC]))
    alerts = html[html.index('id="alerts-heading"') :]
    alerts = alerts[: alerts.index("</section>")]
    assert "Days sales outstanding" in alerts and "“<bdi>Keep cash healthy</bdi>”" in alerts
    assert "Revenue" not in alerts
    # Only a planned initiative: still nobody acting. An active one ends the alert.
    from tests.factories import InitiativeFactory

    plan = InitiativeFactory(scorecard=card.world.scorecard, status="planned")
    plan.objectives.add(card.cash)
    assert 'id="alerts-heading"' in html_of(client, reverse("scorecard_detail", args=[ORG, SC]))
    plan.status = "active"
    plan.save()
    assert 'id="alerts-heading"' not in html_of(client, reverse("scorecard_detail", args=[ORG, SC]))


def test_editors_get_a_link_to_start_an_initiative_in_the_alert(card: Card) -> None:
    html = html_of(card.world.client_for("editor"), reverse("scorecard_detail", args=[ORG, SC]))
    assert reverse("initiative_new", args=[ORG, SC]) + "?objective=cash" in html


def test_home_alerts_red_kpis_of_my_area_without_an_active_initiative(card: Card) -> None:
    # The contributor updates the red KPI, so it is in their area.
    html = html_of(card.world.client_for("contributor"), reverse("home"))
    assert 'id="alerts-heading"' in html
    alerts = html[html.index('id="alerts-heading"') :]
    assert "Days sales outstanding" in alerts[: alerts.index("</section>")]
    # The viewer's area holds no red KPI: no alert.
    assert 'id="alerts-heading"' not in html_of(card.world.client_for("viewer"), reverse("home"))


# Usage ------------------------------------------------------------------------------------


def test_opening_a_kpi_page_records_one_view_per_person_and_day(card: Card) -> None:
    url = reverse("kpi_detail", args=[ORG, SC, "dso"])
    for persona in ["viewer", "viewer", "editor"]:
        assert card.world.client_for(persona).get(url).status_code == 200
    views = KpiView.objects.filter(kpi=card.dso)
    assert sorted(v.user.username for v in views) == ["editor-user", "viewer-user"]
    assert {v.day for v in views} == {dt.date(2026, 11, 23)}


def test_opening_an_objective_page_records_a_view(card: Card) -> None:
    url = reverse("objective_detail", args=[ORG, SC, "cash"])
    card.world.client_for("viewer").get(url)
    card.world.client_for("viewer").get(url)
    assert ObjectiveView.objects.filter(objective=card.cash).count() == 1


def test_an_outsider_leaves_no_trace(card: Card) -> None:
    card.world.client_for("outsider").get(reverse("kpi_detail", args=[ORG, SC, "dso"]))
    assert not KpiView.objects.exists()


def test_unused_kpis_are_suggested_for_review_once_views_are_on_record(
    card: Card, settings: Any
) -> None:
    """Views on record since August; ``dso`` got no value or view since: suggested."""
    from scorecard.health.checks import scorecard_health

    settings.SCORECARD_TODAY = "2026-08-01"
    card.world.client_for("viewer").get(reverse("kpi_detail", args=[ORG, SC, "revenue"]))
    settings.SCORECARD_TODAY = "2026-11-23"
    card.world.client_for("viewer").get(reverse("kpi_detail", args=[ORG, SC, "revenue"]))
    report = scorecard_health(scorecard=card.world.scorecard, today=dt.date(2026, 11, 23))
    unused = {f.key for f in report.findings if f.code == "kpi.unused"}
    assert unused == {"dso"}


def test_a_kpi_created_today_is_not_unused(card: Card, settings: Any) -> None:
    """The usage window of a KPI starts no earlier than its creation (issue 13)."""
    from scorecard.health.checks import scorecard_health

    settings.SCORECARD_TODAY = "2026-08-01"
    card.world.client_for("viewer").get(reverse("kpi_detail", args=[ORG, SC, "revenue"]))
    settings.SCORECARD_TODAY = "2026-11-23"
    fresh = KpiFactory(objective=card.cash, code="fresh", name="Fresh", unit="€")
    assert fresh.created_at.date() == dt.date(2026, 11, 23)
    report = scorecard_health(scorecard=card.world.scorecard, today=dt.date(2026, 11, 23))
    unused = {f.key for f in report.findings if f.code == "kpi.unused"}
    assert unused == {"dso"}


def test_a_percentage_summed_over_time_is_flagged(card: Card) -> None:
    from scorecard.health.checks import scorecard_health

    KpiFactory(
        objective=card.cash, code="share", name="Share", unit="%", minimum=0, target=50,
        time_aggregation="sum",
    )  # fmt: skip
    report = scorecard_health(scorecard=card.world.scorecard, today=dt.date(2026, 11, 23))
    found = [f for f in report.findings if f.code == "kpi.sums_non_additive"]
    assert [f.key for f in found] == ["share"]
    assert "adds its values up over time although its unit (%)" in found[0].message


def test_kpi_page_query_budget_grows_by_one_at_most(card: Card) -> None:
    """The view is recorded with one INSERT that ignores duplicates."""
    client = card.world.client_for("editor")
    url = reverse("kpi_detail", args=[ORG, SC, "dso"])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    inserts = [q["sql"] for q in queries if "reviews_kpiview" in q["sql"]]
    assert len(inserts) == 1 and inserts[0].upper().startswith("INSERT")


# Snoozing reminders -----------------------------------------------------------------------


def test_snooze_reminders_for_some_days_and_resume(card: Card) -> None:
    client = card.world.client_for("contributor")
    url = reverse("reminders")
    assert "Pause the reminders" in html_of(client, url)
    response = client.post(url, {"days": "7"}, follow=True)
    snooze = ReminderSnooze.objects.get(user=card.world.contributor)
    assert snooze.until == dt.date(2026, 11, 29)
    assert "No reminder e-mails until Sunday 29 November 2026" in response.content.decode()
    response = client.post(url, {"action": "resume"}, follow=True)
    assert not ReminderSnooze.objects.exists()
    assert "Reminders are on again." in response.content.decode()


@pytest.mark.parametrize("days", ["0", "93", "soon", ""])
def test_snoozing_needs_a_sensible_number_of_days(card: Card, days: str) -> None:
    response = card.world.client_for("viewer").post(reverse("reminders"), {"days": days})
    assert response.status_code == 422
    assert not ReminderSnooze.objects.exists()
    text = response.content.decode()
    assert "Choose between 1 and 92 days." in text or "whole number of days" in text


def test_snooze_page_needs_a_login(card: Card) -> None:
    response = card.world.client_for("anonymous").post(reverse("reminders"), {"days": "7"})
    assert response.status_code == 302
    assert not ReminderSnooze.objects.exists()
