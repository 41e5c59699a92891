"""Adoption as an automatic KPI: KPIs whose data source is ``scorecard:adoption`` get the
share of their scorecard's people (its unit and the units below) active in the last 30
days, in per cent, for the period that contains today."""

from __future__ import annotations

import datetime as dt

from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.services import measurement_record
from scorecard.pulses.selectors import units_below

from .selectors import share_active, window

DATA_SOURCE = "scorecard:adoption"


def adoption_record_kpis(*, today: dt.date) -> list[Measurement]:
    """Record today's adoption figure in every adoption KPI (a correction if it moved)."""
    recorded = []
    kpis = Kpi.objects.filter(data_source=DATA_SOURCE, formula="").select_related(
        "scorecard__organization", "scorecard__unit"
    )
    for kpi in kpis:
        organization = kpi.scorecard.organization
        start, end = window(today, 30)
        share = share_active(
            organization=organization, start=start, end=end,
            unit_ids=units_below(kpi.scorecard.unit),
        )  # fmt: skip
        if share is None:
            continue
        period = periods.period_containing(
            today, et.Interval(kpi.update_interval), organization.fiscal_year_start_month
        )
        recorded.append(
            measurement_record(
                kpi=kpi,
                period_start=period.start,
                value=round(share * 100, 1),
                note=f"Active in the 30 days to {today.isoformat()}",
            )
        )
    return recorded
