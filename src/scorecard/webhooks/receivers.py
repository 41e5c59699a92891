"""Turn recorded values into webhook deliveries (inside the recording transaction)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.dispatch import receiver

from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.signals import measurements_loaded, measurements_recorded
from scorecard.kpis.status_changes import status_changes

from . import services
from .models import Event, Webhook

#: Measurements per measurement.recorded delivery (a bulk upload is split in parts).
CHUNK = 500


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
    hooks = _hooks(kpi_ids)
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


def _hooks(kpi_ids: Sequence[int] | set[int]) -> list[Webhook]:
    """The active webhooks of the organizations these KPIs belong to (one query)."""
    return list(
        Webhook.objects.filter(active=True, organization__scorecards__kpis__id__in=kpi_ids)
        .distinct()
        .order_by("id")
    )


@receiver(measurements_loaded, dispatch_uid="webhooks-measurements-loaded")
def on_measurements_loaded(
    sender: Any,
    kpi_ids: list[int],
    recorded_at: dt.datetime,
    user: Any,
    recorded: int,
    chunks: Callable[[bool], Iterator[list[Measurement]]],
    **kw: Any,
) -> None:
    """A bulk load: the same deliveries as for its values sent chunk by chunk, but the
    values are read only when an active webhook may want them (one query otherwise)."""
    if not recorded or not _hooks(kpi_ids):
        return
    for measurements in chunks(False):
        on_measurements_recorded(
            sender, measurements=measurements, recorded_at=recorded_at, user=user
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
