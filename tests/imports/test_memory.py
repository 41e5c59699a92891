"""Large files stream: memory does not grow with the number of rows.

The check keeps one bit per KPI and day to find repeats and nothing per row; the
write pass holds one batch of rows at a time. tracemalloc slows Python several-fold,
so the check runs here on 50,000 rows and the whole import (check and write) on two
smaller files whose peaks are compared. docs/imports.md gives the
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
#: Rows checked under tracemalloc: read into a list, their cells alone take ~15 MiB.
ROWS = 50_000
#: Rows of the smaller whole import (the larger has four times as many), and the batch
#: size, kept small so that a batch is a small part of what holding every row would take.
SMALL, BATCH = 1_500, 300


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
def test_checking_fifty_thousand_rows_streams(card: Card, tmp_path: Path) -> None:
    """The rows held in a list would take ~15 MiB, a set of their (KPI, period) keys
    ~3 MiB; the check peaks under 1 MiB (a bitmap per KPI and one row at a time)."""
    codes = _daily_kpis(card, 40)
    path = _write(tmp_path / "big.csv", codes, ROWS, dt.date(2000, 1, 1))
    checker = _checker(card)
    report, peak = _peak(lambda: check_table(path=path, fmt="csv", checker=checker))
    assert (report.rows, report.error_count) == (ROWS, 0)
    assert peak < 2 * MB, f"peak {peak / MB:.1f} MiB"


@pytest.mark.slow
@pytest.mark.django_db
def test_importing_four_times_the_rows_takes_no_more_memory(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check and write 1,500 rows, then 6,000 more: the peak barely moves (the 4,500
    extra rows held as raw cells would add ~1.4 MiB, as model instances over 4 MiB).
    On PostgreSQL the file is checked while it is written, with up to a round of rows
    waiting and a round being written (60,000 and 50,000 rows, bounds a million-row
    file needs): smaller bounds here, so that both files are larger than they are."""
    from scorecard.imports.services import _Feed
    from scorecard.kpis import bulkload

    monkeypatch.setattr(bulkload, "STREAM_ROWS", 2 * BATCH)
    monkeypatch.setattr(_Feed, "WAITING", 2 * BATCH)
    codes = _daily_kpis(card, 20)
    small = _write(tmp_path / "small.csv", codes, SMALL, dt.date(2000, 1, 1))
    large = _write(tmp_path / "large.csv", codes, SMALL * 4, dt.date(2010, 1, 1))

    def work(path: Path) -> Any:
        return import_table(path=path, fmt="csv", checker=_checker(card), batch_size=BATCH)

    result, small_peak = _peak(lambda: work(small))
    assert result.created == SMALL
    result, large_peak = _peak(lambda: work(large))
    assert result.created == SMALL * 4
    assert Measurement.objects.count() == SMALL * 5
    growth = large_peak - small_peak
    assert growth < 1 * MB, f"{small_peak / MB:.1f} → {large_peak / MB:.1f} MiB"
