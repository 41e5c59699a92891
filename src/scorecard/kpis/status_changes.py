"""Which KPIs changed status because of newly recorded values (webhooks, alerts).

Computed from the stored rows alone: "before" is the scorecard as known just before
the values' ``recorded_at`` (corrections keep the earlier rows).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.strategy.models import Scorecard

from .evaluation import scorecard_evaluate, scorecard_rows
from .models import Kpi, Measurement

#: A write touching more scorecard periods than this is not checked for status changes
#: (each check evaluates the scorecard twice); the values are still announced.
MAX_PERIODS_CHECKED = 36


def status_changes(rows: list[Measurement], recorded_at: dt.datetime) -> list[dict[str, Any]]:
    """KPIs whose status differs before and after these values, per scorecard and period.

    "Before" is the scorecard as known just before ``recorded_at`` (corrections keep
    the earlier rows), so no state has to be captured ahead of the write. Calculated
    KPIs that depend on the new values are included: the whole scorecard is compared.
    """
    # The engine scores the last period complete on ``as_of``: look the day after each
    # recorded period ends.
    pairs = sorted(
        {
            (m.kpi.scorecard_id, _day_after_period(m.kpi, m.period_start, fiscal_start))
            for m in rows
            for fiscal_start in [m.kpi.scorecard.organization.fiscal_year_start_month]
        }
    )[:MAX_PERIODS_CHECKED]
    scorecards = {sc.pk: sc for sc in Scorecard.objects.filter(pk__in={p[0] for p in pairs})}
    just_before = recorded_at - dt.timedelta(microseconds=1)
    changes: list[dict[str, Any]] = []
    for scorecard_id, as_of in pairs:
        scorecard = scorecards[scorecard_id]
        structure = scorecard_rows(scorecard)
        before = scorecard_evaluate(
            scorecard=scorecard, as_of=as_of, known_at=just_before, rows=structure
        )
        after = scorecard_evaluate(scorecard=scorecard, as_of=as_of, rows=structure)
        for code, now in after.kpis.items():
            then = before.kpis.get(code)
            if then is not None and then.status != now.status:
                changes.append(
                    {
                        "kpi": code,
                        "kpi_name": now.name,
                        "scorecard": scorecard.slug,
                        "period_start": now.window.start.isoformat(),
                        "period_end": now.window.end.isoformat(),
                        "status_before": then.status,
                        "status_after": now.status,
                        "value": now.value,
                        "target": now.target,
                    }
                )
    return changes


def _day_after_period(kpi: Kpi, period_start: dt.date, fiscal_start: int) -> dt.date:
    interval = et.Interval(kpi.update_interval)
    return periods.period_containing(period_start, interval, fiscal_start).end + dt.timedelta(
        days=1
    )
