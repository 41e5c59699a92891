"""Reads for KPI pages and data entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.strategy.models import Scorecard

from .models import Kpi, Measurement


def kpi_get(*, scorecard: Scorecard, code: str) -> Kpi | None:
    """One KPI of ``scorecard`` by its code, with its objective and people."""
    return (
        Kpi.objects.select_related("objective__perspective", "owner", "updater")
        .filter(scorecard=scorecard, code=code)
        .first()
    )


@dataclass
class PeriodRow:
    """One period of a KPI's history: the current value and the earlier versions."""

    period_start: dt.date
    current: Measurement | None
    earlier: list[Measurement]


def kpi_history(*, kpi: Kpi) -> list[PeriodRow]:
    """Every period with a value, newest first, corrections kept (one query)."""
    rows: dict[dt.date, PeriodRow] = {}
    for m in (
        Measurement.objects.filter(kpi=kpi)
        .select_related("recorded_by")
        .order_by("-period_start", "-recorded_at")
    ):
        row = rows.setdefault(m.period_start, PeriodRow(m.period_start, None, []))
        if m.superseded_at is None:
            row.current = m
        else:
            row.earlier.append(m)
    return list(rows.values())


def user_can_record(*, user: Any, kpi: Kpi, role: str) -> bool:
    """Editors and admins record any KPI; contributors only those they update or own."""
    if kpi.is_calculated:
        return False
    if role in {"admin", "editor"}:
        return True
    if role == "contributor":
        return user.pk in {kpi.updater_id, kpi.owner_id}
    return False


def entry_kpis(*, scorecard: Scorecard, user: Any, role: str) -> list[Kpi]:
    """KPIs of ``scorecard`` this user enters values for (calculated KPIs excluded)."""
    kpis = Kpi.objects.filter(scorecard=scorecard, formula="").select_related("objective")
    if role not in {"admin", "editor"}:
        kpis = kpis.filter(updater=user) | kpis.filter(owner=user)
    return list(
        kpis.order_by("objective__perspective__position", "objective__position", "position")
    )


def entry_period_for(kpi: Kpi, as_of: dt.date, fiscal_month: int) -> dt.date:
    """The period a value is due for: the KPI's last complete period as of ``as_of``."""
    return periods.last_complete_period(as_of, et.Interval(kpi.update_interval), fiscal_month).start


def current_values(kpis: list[Kpi], starts: dict[int, dt.date]) -> dict[int, Measurement]:
    """The current measurement of each KPI for its entry period (one query)."""
    wanted = {(k.pk, starts[k.pk]) for k in kpis}
    rows = Measurement.objects.filter(
        kpi_id__in=[k.pk for k in kpis],
        period_start__in=set(starts.values()),
        superseded_at__isnull=True,
    )
    return {m.kpi_id: m for m in rows if (m.kpi_id, m.period_start) in wanted}
