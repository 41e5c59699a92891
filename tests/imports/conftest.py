"""Import/export test helpers: a scorecard with KPIs of several kinds, and file writers."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.conftest import World
from tests.factories import KpiFactory, ObjectiveFactory, PerspectiveFactory


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a test of several seconds (large files)")


@dataclass
class Card:
    """The world's scorecard with four KPIs:

    - ``sales`` (monthly, scale 0–100 → accepts −1000…1100), updated by the contributor,
    - ``nps`` (quarterly, scale 0–100), nobody's,
    - ``ratio`` (calculated from sales),
    - ``free`` (monthly, no scale numbers: no range check).
    """

    world: World
    sales: Any
    nps: Any
    ratio: Any
    free: Any


@pytest.fixture
def card(world: World, tmp_path: Path, settings: Any) -> Card:
    settings.DATA_DIR = tmp_path / "data"
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Customer")
    objective = ObjectiveFactory(perspective=perspective, code="grow", name="Grow")
    sales = KpiFactory(
        objective=objective, code="sales", name="Sales", updater=world.contributor, position=1
    )
    nps = KpiFactory(
        objective=objective, code="nps", name="Net promoter score", update_interval="quarter",
        position=2,
    )  # fmt: skip
    ratio = KpiFactory(
        objective=objective, code="ratio", name="Ratio", formula="sales / 2", position=3
    )
    free = KpiFactory(
        objective=objective, code="free", name="Free", minimum=None, maximum=None,
        baseline=None, target=None, optimization="none", position=4,
    )  # fmt: skip
    return Card(world, sales, nps, ratio, free)


HEADER = ["KPI code", "Period", "Value", "Note"]


def write_csv(path: Path, rows: Iterable[Sequence[Any]], header: Sequence[str] = HEADER,
              *, encoding: str = "utf-8", delimiter: str = ",") -> Path:  # fmt: skip
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: Iterable[Sequence[Any]], header: Sequence[str] = HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def write_workbook(path: Path, sheets: dict[str, list[Sequence[Any]]]) -> Path:
    """A workbook with several sheets, each given as its rows (header included)."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path
