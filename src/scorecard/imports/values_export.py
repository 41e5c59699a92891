"""A scorecard's values as a table (CSV or XLSX): one row per KPI and period.

Each row carries the current value with the target in force for that period, the
engine's score and status, and the note. Calculated KPIs are left out: their values
are computed from their inputs, never stored, so they cannot be imported back either.

The rows load in three queries whatever the number of KPIs and periods, and the file
reads back in with ``scorecard import`` (its columns are guessed), giving the same
values: an export is also the template for an import.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.engine.scoring import score_value
from scorecard.kpis.evaluation import kpi_spec, target_path
from scorecard.kpis.models import Kpi, Measurement, Target
from scorecard.strategy.models import Scorecard

from . import tabular

HEADER = ("KPI code", "KPI name", "period", "value", "target", "score (%)", "status", "note")
WIDTHS = (22, 40, 12, 14, 14, 10, 14, 50)
#: Column formats in XLSX: whole numbers stay whole, others show their decimals.
NUMBER_FORMATS = {3: "General", 4: "General", 5: "0.0"}


@dataclass(frozen=True)
class ValueRow:
    """One KPI's value for one period, with its target, score and status."""

    kpi_code: str
    kpi_name: str
    period_start: dt.date
    value: float
    target: float | None
    score: float | None  # the engine's performance as a percentage, one decimal
    status: str
    note: str

    def cells(self) -> tuple[Any, ...]:
        return (
            self.kpi_code,
            self.kpi_name,
            self.period_start,
            self.value,
            self.target,
            self.score,
            self.status,
            self.note,
        )


def scorecard_values(*, scorecard: Scorecard) -> list[ValueRow]:
    """Every current value of ``scorecard``'s data-entry KPIs, in scorecard order and
    oldest period first (three queries: KPIs, values, targets)."""
    fiscal = scorecard.organization.fiscal_year_start_month
    kpis = list(
        Kpi.objects.filter(scorecard=scorecard, formula="").order_by(
            "objective__perspective__position",
            "objective__perspective_id",
            "objective__position",
            "objective_id",
            "position",
            "id",
        )
    )
    values: dict[int, list[tuple[dt.date, float, str]]] = defaultdict(list)
    for kpi_id, start, value, note in (
        Measurement.objects.filter(kpi__in=kpis, superseded_at__isnull=True)
        .order_by("period_start")
        .values_list("kpi_id", "period_start", "value", "note")
    ):
        values[kpi_id].append((start, value, note))
    points: dict[int, list[et.TargetPoint]] = defaultdict(list)
    for kpi_id, start, value in Target.objects.filter(kpi__in=kpis).values_list(
        "kpi_id", "period_start", "value"
    ):
        points[kpi_id].append(et.TargetPoint(period_start=start, value=value))
    rows: list[ValueRow] = []
    for kpi in kpis:
        spec = kpi_spec(kpi)
        path = target_path(kpi)
        interval = et.Interval(kpi.update_interval)
        for start, value, note in values[kpi.pk]:
            period = periods.period_containing(start, interval, fiscal)
            target = periods.target_for_period(period, points[kpi.pk], path, kpi.target)
            score = score_value(spec, value, target)
            rows.append(
                ValueRow(
                    kpi_code=kpi.code,
                    kpi_name=kpi.name,
                    period_start=start,
                    value=value,
                    target=target,
                    score=None if score.performance is None else round(score.performance * 100, 1),
                    status=score.status,
                    note=note,
                )
            )
    return rows


def _cells(rows: list[ValueRow]) -> Iterator[tuple[Any, ...]]:
    return (row.cells() for row in rows)


def export_values(
    *, scorecard: Scorecard, fmt: str, out: tabular.Sink | Path, bom: bool = True
) -> int:
    """Write the scorecard's values to ``out`` as CSV (a text stream or a path) or XLSX
    (a binary stream or a path); return the number of rows.

    CSV starts with a byte-order mark unless ``bom`` is False: without it Excel reads
    UTF-8 as an old code page and garbles every accent (our importer accepts both).
    """
    rows = scorecard_values(scorecard=scorecard)
    if fmt == "csv":
        if isinstance(out, Path):
            with open(out, "w", encoding="utf-8", newline="") as fh:
                return export_values(scorecard=scorecard, fmt=fmt, out=fh, bom=bom)
        if bom:
            out.write("\ufeff")
        return tabular.write_csv(HEADER, _cells(rows), out)
    if fmt == "xlsx":
        return tabular.write_xlsx(
            HEADER,
            _cells(rows),
            out,
            title="Values",
            widths=WIDTHS,
            number_formats=NUMBER_FORMATS,
        )
    raise ValueError(f"Unknown format “{fmt}”; use csv or xlsx.")


def export_filename(*, scorecard: Scorecard, fmt: str, day: dt.date) -> str:
    """``northwind-company-values-2026-11-23.csv``"""
    return f"{scorecard.organization.slug}-{scorecard.slug}-values-{day.isoformat()}.{fmt}"
