"""Turn recorded values into webhook deliveries (inside the recording transaction)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.dispatch import receiver

from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.kpis.evaluation import scorecard_evaluate, scorecard_rows
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.signals import measurements_recorded
from scorecard.strategy.models import Scorecard

from . import services
from .models import Event, Webhook

#: Measurements per measurement.recorded delivery (a bulk upload is split in parts).
CHUNK = 500
#: A write touching more scorecard periods than this is not checked for status changes
#: (each check evaluates the scorecard twice); the values are still announced.
MAX_PERIODS_CHECKED = 36


@receiver(measurements_recorded, dispatch_uid="webhooks-measurements")
def on_measurements_recorded(
    sender: Any, measurements: list[Measurement], recorded_at: dt.datetime, user: Any, **kw: Any
) -> None:
    """Queue deliveries for the organizations' webhooks that want these events.

    Without any active webhook this costs one query, whatever the number of values.
    """
    if not measurements:
        return
    kpi_ids = {m.kpi_id for m in measurements}
    hooks = list(
        Webhook.objects.filter(active=True, organization__scorecards__kpis__id__in=kpi_ids)
        .distinct()
        .order_by("id")
    )
    if not hooks:
        return
    kpis = {
        k.pk: k
        for k in Kpi.objects.filter(pk__in=kpi_ids).select_related("scorecard__organization")
    }
    by_org: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in measurements:
        measurement.kpi = kpis[measurement.kpi_id]
        by_org[measurement.kpi.scorecard.organization_id].append(measurement)
    for organization_id, rows in by_org.items():
        mine = [hook for hook in hooks if hook.organization_id == organization_id]
        wanted = [hook for hook in mine if Event.MEASUREMENT_RECORDED in hook.events]
        if wanted:
            payloads = [
                {"measurements": [_measurement(m, user) for m in rows[i : i + CHUNK]]}
                for i in range(0, len(rows), CHUNK)
            ]
            services.deliveries_queue(
                hooks=wanted, event=Event.MEASUREMENT_RECORDED, payloads=payloads
            )
        wanted = [hook for hook in mine if Event.KPI_STATUS_CHANGED in hook.events]
        if wanted:
            changes = status_changes(rows, recorded_at)
            if changes:
                services.deliveries_queue(
                    hooks=wanted, event=Event.KPI_STATUS_CHANGED, payloads=changes
                )


def _measurement(measurement: Measurement, user: Any) -> dict[str, Any]:
    kpi = measurement.kpi
    return {
        "kpi": kpi.code,
        "kpi_name": kpi.name,
        "scorecard": kpi.scorecard.slug,
        "period_start": measurement.period_start.isoformat(),
        "value": measurement.value,
        "unit": kpi.unit,
        "note": measurement.note,
        "recorded_at": measurement.recorded_at.isoformat(),
        "recorded_by": getattr(user, "username", None),
    }


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
