"""Optional approval of values by the KPI's owner: pending values do not count in scores
until approved; rejected ones never count; the owner's own values count at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from scorecard.audit.models import Change
from scorecard.kpis import services
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.kpis.models import Measurement
from scorecard.kpis.selectors import kpi_history, pending_values

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 1)
DEC_2 = dt.date(2026, 12, 2)  # as of this day November is the latest complete month


#: The last approved value (October's); a "last value" KPI shows it until November counts.
OCTOBER = 600


def value_now(card, known_at=None):
    result = scorecard_evaluate(scorecard=card.scorecard, as_of=DEC_2, known_at=known_at)
    return result.kpis["revenue"].value


@pytest.fixture
def approving(card):
    """Revenue needs its owner's (the editor's) approval; the contributor updates it."""
    services.kpi_update(kpi=card.revenue, values_need_approval=True)
    return card


def test_approval_needs_an_owner(card):
    with pytest.raises(ValidationError) as exc:
        services.kpi_update(kpi=card.cost, values_need_approval=True)
    assert "choose an owner" in str(exc.value.message_dict["values_need_approval"])


def test_values_of_others_wait_and_do_not_count(approving):
    card = approving
    pending = services.measurement_record(
        kpi=card.revenue, period_start=NOV, value=700, user=card.world.contributor
    )
    assert pending.approval == Measurement.Approval.PENDING
    assert value_now(card) == OCTOBER
    assert pending_values(kpi=card.revenue) == [pending]
    assert all(row.period_start != NOV for row in kpi_history(kpi=card.revenue))
    assert Change.objects.get(kind="measurement").action == "submitted"


def test_the_owners_own_values_count_at_once(approving):
    card = approving
    own = services.measurement_record(
        kpi=card.revenue, period_start=NOV, value=710, user=card.world.editor
    )
    assert own.approval == Measurement.Approval.APPROVED
    assert value_now(card) == 710


def test_approval_makes_the_value_count_from_then_on(approving):
    card = approving
    with override_settings(SCORECARD_TODAY="2026-12-01"):
        services.measurement_record(
            kpi=card.revenue, period_start=NOV, value=650, user=card.world.editor
        )
    with override_settings(SCORECARD_TODAY="2026-12-02"):
        pending = services.measurement_record(
            kpi=card.revenue, period_start=NOV, value=700, user=card.world.contributor
        )
        assert value_now(card) == 650  # the owner's value still counts
    with override_settings(SCORECARD_TODAY="2026-12-03"):
        services.measurement_decide(measurement=pending, approve=True, user=card.world.editor)
    assert value_now(card) == 700
    # As known on the 2nd (before the approval) the owner's value counted.
    assert value_now(card, dt.datetime(2026, 12, 2, 18, tzinfo=dt.UTC)) == 650
    pending.refresh_from_db()
    assert pending.decided_by == card.world.editor
    approval = Change.objects.filter(action="approved").get()
    assert (approval.before["value"], approval.after["value"]) == (650.0, 700.0)


def test_rejected_values_never_count(approving):
    card = approving
    pending = services.measurement_record(
        kpi=card.revenue, period_start=NOV, value=999, user=card.world.contributor
    )
    services.measurement_decide(measurement=pending, approve=False, user=card.world.editor)
    assert value_now(card) == OCTOBER
    assert pending_values(kpi=card.revenue) == []
    pending.refresh_from_db()
    assert pending.approval == Measurement.Approval.REJECTED and pending.superseded_at
    with pytest.raises(ValidationError, match="no longer waiting"):
        services.measurement_decide(measurement=pending, approve=True, user=card.world.editor)


def test_a_newer_pending_value_replaces_the_older_one(approving):
    card = approving
    first = services.measurement_record(
        kpi=card.revenue, period_start=NOV, value=700, user=card.world.contributor
    )
    second = services.measurement_record(
        kpi=card.revenue, period_start=NOV, value=705, user=card.world.contributor
    )
    assert pending_values(kpi=card.revenue) == [second]
    first.refresh_from_db()
    assert first.superseded_at is not None


def test_bulk_entry_by_others_waits_too(approving):
    card = approving
    rows = [
        services.MeasurementRow(0, card.revenue, NOV, 720),
        services.MeasurementRow(1, card.cost, NOV, 30),
    ]
    services.measurement_bulk_record(rows=rows, user=card.world.contributor)
    result = scorecard_evaluate(scorecard=card.scorecard, as_of=DEC_2)
    assert result.kpis["revenue"].value == OCTOBER  # November waits for the editor
    assert result.kpis["cost"].value == 30  # cost needs no approval
    assert [m.value for m in pending_values(kpi=card.revenue)] == [720]


# --- web -------------------------------------------------------------------------------


def test_kpi_page_lists_pending_values_and_only_the_owner_decides(approving):
    card = approving
    pending = services.measurement_record(
        kpi=card.revenue, period_start=NOV, value=700, user=card.world.contributor
    )
    page = card.url("kpi_detail", "revenue")
    decide = card.url("value_decide", "revenue", pending.pk)
    owner_page = card.world.client_for("editor").get(page).content.decode()
    assert "Waiting for approval" in owner_page and "Approve" in owner_page
    contributor_page = card.world.client_for("contributor").get(page).content.decode()
    assert "Waiting for approval" in contributor_page and 'value="approve"' not in contributor_page
    assert card.world.client_for("admin").post(decide, {"decision": "approve"}).status_code == 403
    assert (
        card.world.client_for("contributor").post(decide, {"decision": "approve"}).status_code
        == 403
    )
    assert card.world.client_for("viewer").post(decide, {"decision": "approve"}).status_code == 403
    assert (
        card.world.client_for("outsider").post(decide, {"decision": "approve"}).status_code == 404
    )
    assert value_now(card) == OCTOBER
    response = card.world.client_for("editor").post(decide, {"decision": "approve"})
    assert response.status_code == 302
    assert value_now(card) == 700
    assert "Waiting for approval" in card.world.client_for("editor").get(page).content.decode()
    assert "Nothing is waiting" in card.world.client_for("editor").get(page).content.decode()


def test_home_page_lists_values_waiting_for_my_approval(approving):
    card = approving
    services.measurement_record(
        kpi=card.revenue, period_start=NOV, value=700, user=card.world.contributor
    )
    home = card.world.client_for("editor").get("/").content.decode()
    assert "Values waiting for my approval" in home and "Revenue" in home
    assert (
        "Values waiting for my approval"
        not in card.world.client_for("viewer").get("/").content.decode()
    )


def test_kpi_form_switches_approval_on(card):
    client = card.world.client_for("editor")
    form = client.get(card.url("kpi_edit", "revenue")).content.decode()
    assert 'name="values_need_approval"' in form
