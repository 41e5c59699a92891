"""Large files stream: memory does not grow with the number of rows.

The check keeps one small int per (KPI, period) to find repeats and nothing else per
row; the write pass holds one batch of rows at a time. tracemalloc slows Django's ORM
about six-fold, so the check runs here on 200,000 rows, the whole import (check and
write) on two smaller files whose peaks are compared. docs/import-export.md gives the
figures measured by hand for 1,000,000 rows.
"""

from __future__ import annotations

import datetime as dt
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scorecard.imports.services import RowChecker, check_table, import_table, mapping_from_names
from scorecard.kpis.models import Measurement
from tests.factories import KpiFactory, ObjectiveFactory, PerspectiveFactory

from .conftest import Card

HEADERS = ["KPI code", "Period", "Value", "Note"]
MB = 1024 * 1024


def _daily_kpis(card: Card, count: int) -> list[str]:
    objective = ObjectiveFactory(perspective=PerspectiveFactory(scorecard=card.world.scorecard))
    return [
        KpiFactory(objective=objective, code=f"daily_{n}", update_interval="day").code
        for n in range(count)
    ]


def _write(path: Path, codes: list[str], rows: int, first: dt.date) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(",".join(HEADERS) + "\n")
        for offset in range(rows // len(codes)):
            day = (first + dt.timedelta(days=offset)).isoformat()
            for index, code in enumerate(codes):
                fh.write(f"{code},{day},{(offset * 7 + index) % 100}.5,note {offset}\n")
    return path


def _peak(work: Callable[[], Any]) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        result = work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def _checker(card: Card) -> RowChecker:
    mapping = mapping_from_names(HEADERS, {})
    return RowChecker(scorecard=card.world.scorecard, mapping=mapping, user=None, role="admin")


@pytest.mark.slow
@pytest.mark.django_db
def test_checking_two_hundred_thousand_rows_streams(card: Card, tmp_path: Path) -> None:
    """Rows held as dicts would take well over 100 MB; the set of keys takes ~10 MB."""
    codes = _daily_kpis(card, 40)
    path = _write(tmp_path / "big.csv", codes, 200_000, dt.date(2000, 1, 1))
    checker = _checker(card)
    report, peak = _peak(lambda: check_table(path=path, fmt="csv", checker=checker))
    assert (report.rows, report.error_count) == (200_000, 0)
    assert peak < 30 * MB, f"peak {peak / MB:.1f} MiB"


@pytest.mark.slow
@pytest.mark.django_db
def test_importing_four_times_the_rows_takes_no_more_memory(card: Card, tmp_path: Path) -> None:
    """Check and write 5,000 rows, then 20,000 more: the peak barely moves (holding the
    extra 15,000 rows as model instances would add tens of megabytes)."""
    codes = _daily_kpis(card, 20)
    small = _write(tmp_path / "small.csv", codes, 5_000, dt.date(2000, 1, 1))
    large = _write(tmp_path / "large.csv", codes, 20_000, dt.date(2010, 1, 1))
    result, small_peak = _peak(lambda: import_table(path=small, fmt="csv", checker=_checker(card)))
    assert result.created == 5_000
    result, large_peak = _peak(lambda: import_table(path=large, fmt="csv", checker=_checker(card)))
    assert result.created == 20_000
    assert Measurement.objects.count() == 25_000
    growth = large_peak - small_peak
    assert growth < 3 * MB, f"{small_peak / MB:.1f} → {large_peak / MB:.1f} MiB"
