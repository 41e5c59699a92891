"""Health findings about involvement: a scorecard shaped by the top alone, and units
where nobody used it (docs/involvement.md)."""

from __future__ import annotations

import datetime as dt

from scorecard.adoption.selectors import idle_units
from scorecard.engine.quality import Finding, Severity, Subject
from scorecard.engine.text import gettext_noop
from scorecard.proposals.selectors import accepted_from_outside
from scorecard.strategy.models import Scorecard

#: The review cycle the top-down check looks back over (a quarter).
REVIEW_CYCLE_DAYS = 90


def involvement_findings(scorecard: Scorecard, today: dt.date) -> list[Finding]:
    """The two involvement checks of one scorecard (a handful of queries)."""
    findings = []
    since = dt.datetime.combine(today - dt.timedelta(days=REVIEW_CYCLE_DAYS), dt.time(), dt.UTC)
    if accepted_from_outside(scorecard=scorecard, since=since) == 0:
        findings.append(
            Finding(
                code="involvement.top_down",
                severity=Severity.INFO,
                subject=Subject.SCORECARD,
                key=scorecard.slug,
                name=scorecard.name,
                message=gettext_noop(
                    "Shaped by top management alone: no proposal from beyond the editors "
                    "was accepted in the last %(days)s days.",
                    days=REVIEW_CYCLE_DAYS,
                ),
                fix=gettext_noop(
                    "Ask the people who do the work to propose KPIs and action plans."
                ),
            )
        )
    units = idle_units(organization=scorecard.organization, today=today, unit=scorecard.unit)
    if units:
        findings.append(
            Finding(
                code="involvement.unused",
                severity=Severity.INFO,
                subject=Subject.SCORECARD,
                key=scorecard.slug,
                name=scorecard.name,
                message=gettext_noop(
                    "Nobody used the scorecard in the last 30 days in: %(units)s.",
                    units=", ".join(units),
                ),
                fix=gettext_noop(
                    "Talk to these units: show them the scorecard and what it asks of them."
                ),
            )
        )
    return findings
