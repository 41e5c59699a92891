"""``scorecard demo`` on any day: the latest complete period has its values, and the
history, a review meeting and comments are not empty (issue 14)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from scorecard.audit.models import Change
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.kpis.models import Measurement
from scorecard.meetings.models import ReviewMeeting
from scorecard.planning.selectors import funnel_analysis, funnels_for
from scorecard.reviews.models import Comment
from scorecard.strategy.models import Scorecard

pytestmark = pytest.mark.django_db

#: KPIs without a value in the latest period on purpose: the stale supplier audits.
LATE = {"supplier_audit_score"}


@pytest.mark.parametrize(
    "today", ["2026-11-23", "2026-12-02", "2027-03-15", "2027-07-01", "2028-01-31"]
)
def test_demo_has_this_periods_values_on_any_day(today: str) -> None:
    with override_settings(SCORECARD_TODAY=today):
        out = StringIO()
        call_command("demo", stdout=out)
        assert "Loaded the demo company" in out.getvalue()
        as_of = dt.date.fromisoformat(today)
        company = Scorecard.objects.get(organization__slug="northwind", slug="company")
        result = scorecard_evaluate(scorecard=company, as_of=as_of)
        missing = {code for code, kpi in result.kpis.items() if kpi.value is None}
        assert len(missing) <= 0.1 * len(result.kpis), missing
        assert missing == LATE  # a few late or stale on purpose, the same on every day
        # The funnel page (default view) has a volume and a rate for every stage.
        [funnel] = funnels_for(scorecard=company)
        analysis = funnel_analysis(funnel=funnel, as_of=as_of, result=result)
        assert all(row.value is not None for row in analysis.stages)
        assert all(row.rate is not None for row in analysis.stages[1:])
        assert analysis.result is not None

        # The story: one review held with two decisions, a correction, comments, history.
        [meeting] = ReviewMeeting.objects.filter(scorecard=company)
        assert meeting.held_on <= as_of
        assert meeting.decisions.count() == 2
        assert meeting.snapshot["perspectives"]
        assert Measurement.objects.filter(
            kpi__scorecard=company, superseded_at__isnull=False
        ).exists()
        assert Comment.objects.filter(kpi__scorecard=company).count() == 3
        assert Change.objects.filter(scorecard_id=company.pk).count() >= 6
        assert not Change.objects.filter(at__date__gt=as_of).exists()


def test_demo_reloads_over_itself() -> None:
    with override_settings(SCORECARD_TODAY="2027-03-15"):
        call_command("demo", stdout=StringIO())
        call_command("demo", stdout=StringIO())
    assert ReviewMeeting.objects.count() == 1
    assert Comment.objects.count() == 3
