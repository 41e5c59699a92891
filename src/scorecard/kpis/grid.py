"""The multi-period entry grid's reads: the user's KPIs × their last N periods, with the
values they hold now (two queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.engine.periods import Period
from scorecard.strategy.models import Scorecard

from .models import Kpi, Measurement
from .selectors import entry_kpis, entry_period_for

#: How many periods the grid may show at most.
MAX_PERIODS = 24


@dataclass(frozen=True)
class GridCell:
    """One period of one KPI: its start and the value (with note) it holds now."""

    period: Period
    current: Measurement | None

    @property
    def name(self) -> str:
        return self.period.start.isoformat()


@dataclass(frozen=True)
class GridRow:
    kpi: Kpi
    cells: list[GridCell]  # oldest first


def multi_period_grid(
    *, scorecard: Scorecard, user: Any, role: str, as_of: dt.date, count: int
) -> list[GridRow]:
    """Each KPI the user may fill, with its last ``count`` periods complete by ``as_of``."""
    count = max(1, min(count, MAX_PERIODS))
    fiscal = scorecard.organization.fiscal_year_start_month
    kpis = entry_kpis(scorecard=scorecard, user=user, role=role)
    spans: dict[int, list[Period]] = {}
    for kpi in kpis:
        interval = et.Interval(kpi.update_interval)
        last = entry_period_for(kpi, as_of, fiscal)
        found = [last]
        for _ in range(count - 1):
            found.append(periods.previous_period(found[-1], interval, fiscal))
        spans[kpi.pk] = list(reversed(found))
    starts = {p.start for span in spans.values() for p in span}
    current = {
        (m.kpi_id, m.period_start): m
        for m in Measurement.objects.filter(
            kpi__in=kpis,
            period_start__in=starts,
            superseded_at__isnull=True,
            approval=Measurement.Approval.APPROVED,
        )
    } if kpis else {}  # fmt: skip
    return [
        GridRow(k, [GridCell(p, current.get((k.pk, p.start))) for p in spans[k.pk]]) for k in kpis
    ]
