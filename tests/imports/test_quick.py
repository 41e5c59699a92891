"""The importer's quick path (``RowChecker.quick``) gives the same answer as the full
check (``RowChecker.parse``) for every row it takes, and leaves every other row to it
(with its messages): the shapes it knows, the ones it does not, and bad rows."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from scorecard.imports import services
from scorecard.imports.services import (
    ImportFailed,
    RowChecker,
    check_table,
    import_table,
    mapping_from_names,
)

from .conftest import HEADER, Card, write_csv

#: (KPI code, period, value, note) cells, as a CSV file gives them.
CELLS = [
    ("sales", "2026-01-01", "12.5", "a note"),  # the common shape
    ("sales", "2026-01-15", "12", ""),  # a date inside the period: moved to its start
    ("sales", "2026-01", "-3", ""),  # year-month
    ("sales", "Jan 2026", "7", ""),  # a month's name
    ("nps", "2026-02-01", "50", ""),  # quarterly: counted in Q1
    ("free", "2026-03-01", "123456789012345", ""),  # 15 digits, no range check
    ("free", "2026-03-01", "123456789012345678", ""),  # 18 digits: beyond 10^15
    ("free", "2026-03-01", "1e3", ""),  # not a plain number: the full check
    ("sales", "2026-03-01", " 12 ", ""),  # spaces around the number
    ("sales", "2026-03-01", "1,5", ""),  # a decimal comma
    ("sales", "2026-03-01", "1,234.5", ""),  # grouped thousands (beyond the scale)
    ("Sales", "2026-03-01", "5", ""),  # the code in another case
    ("Net promoter score", "2026-03-01", "5", ""),  # the KPI's name
    (" sales ", "2026-03-01", "5", ""),  # spaces around the code
    ("sales", " 2026-03-01 ", "5", ""),  # spaces around the period
    ("sales", "2026-03-01", "5000", ""),  # far outside the scale
    ("sales", "2026-13-01", "5", ""),  # not a date
    ("sales", "1800-01-01", "5", ""),  # outside the years
    ("sales", "2199-01-01", "5", ""),  # a period that has not begun
    ("free", "2026-03-01", "2000000000000000", ""),  # beyond 10^15
    ("sales", "", "5", ""),  # no period
    ("sales", "2026-03-01", "", ""),  # no value
    ("sales", "2026-03-01", "nan", ""),  # not finite
    ("sales", "2026-03-01", "1" * 400, ""),  # too large to be finite
    ("sales", "2026-03-01", "5", "x" * 501),  # note too long
    ("sales", "2026-03-01", "5", "  trimmed  "),
    ("ratio", "2026-03-01", "5", ""),  # calculated
    ("nothing", "2026-03-01", "5", ""),  # no such KPI
    ("", "2026-03-01", "5", ""),  # no KPI
    ("sales", "2026-03-01"),  # a short row
]


def _checker(card: Card, user: Any, role: str = "editor") -> RowChecker:
    mapping = mapping_from_names(HEADER, {})
    return RowChecker(scorecard=card.world.scorecard, mapping=mapping, user=user, role=role)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("role", ["editor", "contributor"])
def test_the_quick_path_agrees_with_the_full_check(card: Card, language: str, role: str) -> None:
    with translation.override(language):
        checker = _checker(card, getattr(card.world, role), role)
        taken = 0
        for _twice in range(2):  # the second time, the period cells are remembered
            for number, cells in enumerate(CELLS, start=2):
                quick = checker.quick(number, list(cells))
                full = checker.parse(number, list(cells))
                if quick is not None:
                    taken += 1
                    assert quick == full, cells
                    assert not isinstance(full, list)
    assert taken >= 2 * (4 if role == "editor" else 3)


@pytest.mark.django_db
def test_a_file_of_every_shape_imports_as_before(card: Card, tmp_path: Path) -> None:
    """Rows of the quick shape and others, all good: every value lands where the full
    check puts it (periods moved to their start, numbers read in every spelling)."""
    rows = [
        ("sales", "2026-01-01", "12.5", "a"),
        ("sales", "2026-02-15", "1,000", ""),
        ("Sales", "Mar 2026", " 7 ", ""),
        ("nps", "2026-05-20", "-4", "q2"),
        ("free", "2026-04", "1e3", ""),
    ]
    path = write_csv(tmp_path / "shapes.csv", rows)
    checker = _checker(card, card.world.editor)
    result = import_table(path=path, fmt="csv", checker=checker, user=card.world.editor)
    assert result.created == 5
    stored = {
        (m.kpi.code, m.period_start, m.value, m.note)
        for model in [card.sales.measurements.model]
        for m in model.objects.select_related("kpi")
    }
    assert stored == {
        ("sales", dt.date(2026, 1, 1), 12.5, "a"),
        ("sales", dt.date(2026, 2, 1), 1000.0, ""),
        ("sales", dt.date(2026, 3, 1), 7.0, ""),
        ("nps", dt.date(2026, 4, 1), -4.0, "q2"),
        ("free", dt.date(2026, 4, 1), 1000.0, ""),
    }


@pytest.mark.django_db
def test_a_kpi_changed_after_the_check_is_checked_again_row_by_row(
    card: Card, tmp_path: Path
) -> None:
    """The bulk service trusts the importer's checks only while the KPIs are as they
    were: a KPI made quarterly between the check and the write fails the rows that
    no longer start one of its periods, and nothing is written."""
    path = write_csv(tmp_path / "changed.csv", [("sales", "2026-01-01", "1", ""),
                                                ("sales", "2026-02-01", "2", "")])  # fmt: skip

    def change(_count: int) -> None:  # called once the file is checked
        card.sales.update_interval = "quarter"
        card.sales.save()

    checker = _checker(card, card.world.editor)
    with pytest.raises(ImportFailed) as failed:
        import_table(
            path=path, fmt="csv", checker=checker, user=card.world.editor, check_progress=change
        )
    assert [e.row for e in failed.value.report.errors] == [3]
    assert "2026-02-01 does not start a quarterly period" in failed.value.report.errors[0].message
    assert not card.sales.measurements.exists()


def _reference(checker: RowChecker, rows: list[tuple[str, ...]]) -> list[tuple[int, str, str]]:
    """The errors a file of ``rows`` should get, worked out row by row with the full
    check (``parse``) and a plain dictionary of the (KPI, period) pairs met."""
    first: dict[tuple[int, dt.date], int] = {}
    errors: list[tuple[int, str, str]] = []
    for number, cells in enumerate(rows, start=2):
        parsed = checker.parse(number, list(cells))
        if isinstance(parsed, list):
            errors.extend((e.row, e.column, e.message) for e in parsed)
            continue
        key = (parsed.kpi.pk, parsed.period_start)
        if key in first:
            errors.append((number, "Period", f"{first[key]}|{parsed.kpi.name}"))
        else:
            first[key] = number
    return errors


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
def test_repeats_and_bad_rows_get_the_full_checks_messages_and_rows(
    card: Card, tmp_path: Path, language: str
) -> None:
    """A file mixing the quick shape, other shapes, bad rows and repeats (each kind of
    repeat: quick after quick, quick after full, full after quick): every error has the
    row number, column and message the full check gives, in either language."""
    rows = [
        *CELLS[:6],
        ("sales", "2026-01-01", "99", ""),  # repeats row 2 (both quick)
        ("sales", "2026-01-20", "1", ""),  # same period as row 2 and 7, moved: quick
        ("Sales", "2026-02-01", "5", ""),  # not quick (case); repeats no row
        ("sales", "2026-02-01", "6", ""),  # quick, repeats the row before (full)
        ("sales", "Jan 2026", " 3 ", ""),  # full, repeats row 2 (quick)
        *CELLS[14:22],
    ]
    path = write_csv(tmp_path / "mixed.csv", rows)
    with translation.override(language):
        checker = _checker(card, card.world.editor)
        report = check_table(path=path, fmt="csv", checker=checker)
        expected = _reference(_checker(card, card.world.editor), rows)
    got = []
    for e in report.errors:
        if e.column == "Period" and any(r == e.row and m.count("|") for r, _c, m in expected):
            number = re.search(r"\d+", e.message)
            assert number is not None
            name = next(m.split("|")[1] for r, _c, m in expected if r == e.row and "|" in m)
            assert name in e.message and ("2026-" in e.message)
            got.append((e.row, e.column, f"{number.group()}|{name}"))
        else:
            got.append((e.row, e.column, e.message))
    assert sorted(got) == sorted(expected)
    assert report.error_count == len(expected)
    assert sum("|" in m for _r, _c, m in expected) >= 4  # the repeats made above, at least


@pytest.mark.django_db
def test_the_period_cells_remembered_are_bounded(
    card: Card, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However many different period cells a file has, the quick path remembers at most
    PERIODS_REMEMBERED (+1) answers per interval, and still answers as the full check."""
    monkeypatch.setattr(services, "PERIODS_REMEMBERED", 3)
    checker = _checker(card, card.world.editor)
    taken = 0
    for day in range(1, 29):
        cells = ["sales", f"2026-01-{day:02d}", "5", ""]
        quick = checker.quick(day + 1, cells)
        assert quick == checker.parse(day + 1, cells)
        taken += quick is not None
        assert max(len(cells) for cells in checker._periods.values()) <= 4
    assert taken == 28
