"""Checking and importing files of values: every bad row reported, nothing half-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from scorecard.imports import services
from scorecard.imports.services import (
    ImportFailed,
    MappingError,
    RowChecker,
    guess_mapping,
    import_table,
    mapping_build,
    mapping_from_names,
    parse_number,
    parse_period,
)
from scorecard.kpis.models import Measurement
from scorecard.kpis.services import measurement_record
from scorecard.web.parsing import parse_number as web_parse_number
from tests.factories import MeasurementFactory

from .conftest import FEB, HEADER, JAN, Card, write_csv, write_workbook, write_xlsx


def checker(card: Card, headers: list[str] = HEADER, user: Any = None, role: str = "admin",
            **names: str) -> RowChecker:  # fmt: skip
    mapping = mapping_from_names(headers, names)
    return RowChecker(scorecard=card.world.scorecard, mapping=mapping, user=user, role=role)


def run(card: Card, path: Path, fmt: str = "csv", **kwargs: Any) -> services.ImportResult:
    headers = HEADER if "headers" not in kwargs else kwargs.pop("headers")
    role = kwargs.pop("role", "admin")
    user = kwargs.pop("user", None)
    return import_table(
        path=path, fmt=fmt, checker=checker(card, headers, user, role), user=user, **kwargs
    )


def failure(card: Card, path: Path, fmt: str = "csv", **kwargs: Any) -> list[str]:
    with pytest.raises(ImportFailed) as info:
        run(card, path, fmt, **kwargs)
    return [str(e) for e in info.value.report.errors]


# --- the mapping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["KPI code", "period", "value", "note"], {"kpi": 0, "period": 1, "value": 2, "note": 3}),
        # our own export: the KPI name column is not taken for the code
        (
            ["KPI code", "KPI name", "period", "value", "target", "score (%)", "status", "note"],
            {"kpi": 0, "period": 2, "value": 3, "note": 7},
        ),
        (["Date", "Code", "Actual", "Comment"], {"kpi": 1, "period": 0, "value": 2, "note": 3}),
        (["kpi", "month", "amount"], {"kpi": 0, "period": 1, "value": 2, "note": None}),
        (["What", "When", "How much"], {"kpi": None, "period": None, "value": None, "note": None}),
    ],
)
def test_columns_are_guessed_from_the_header(headers: list[str], expected: dict[str, Any]) -> None:
    assert guess_mapping(headers) == expected


def test_a_mapping_needs_the_three_columns_each_once() -> None:
    with pytest.raises(MappingError) as info:
        mapping_build(["a", "b"], {"kpi": 0, "period": 0, "value": None})
    assert info.value.problems == {
        "period": "Column 'a' is already used for the KPI code.",
        "value": "Choose the column that holds the value.",
    }


def test_column_names_from_the_command_line_beat_the_guess() -> None:
    mapping = mapping_from_names(["Code", "Value", "Other"], {"value": "other", "period": "Value"})
    assert (mapping.kpi, mapping.period, mapping.value, mapping.note) == (0, 1, 2, None)
    with pytest.raises(MappingError) as info:
        mapping_from_names(["Code", "Value"], {"period": "When"})
    assert "no column 'When'" in info.value.problems["period"]


# --- good files ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_good_file_writes_every_row(card: Card, tmp_path: Path, fmt: str) -> None:
    rows = [
        ["sales", "2026-01-01", "41.5", "from the ERP"],
        ["sales", "2026-02", "-3", ""],  # a month given as 2026-02
        ["nps", "2026-04-01", "12", "Q2"],
        ["free", "2026-01-01", "1e6", ""],  # no scale numbers: no range check
    ]
    if fmt == "xlsx":  # a spreadsheet holds real dates and numbers
        rows = [
            ["sales", dt.datetime(2026, 1, 1), 41.5, "from the ERP"],
            ["sales", "2026-02", -3, None],
            ["nps", dt.date(2026, 4, 1), 12, "Q2"],
            ["free", dt.datetime(2026, 1, 1), 1_000_000, None],
        ]
        path = write_xlsx(tmp_path / "values.xlsx", rows)
    else:
        path = write_csv(tmp_path / "values.csv", rows)
    result = run(card, path, fmt)
    assert (result.rows, result.created, result.corrected, result.unchanged) == (4, 4, 0, 0)
    stored = {
        (m.kpi.code, m.period_start): (m.value, m.note)
        for m in Measurement.objects.select_related("kpi")
    }
    assert stored == {
        ("sales", JAN): (41.5, "from the ERP"),
        ("sales", FEB): (-3.0, ""),
        ("nps", dt.date(2026, 4, 1)): (12.0, "Q2"),
        ("free", JAN): (1e6, ""),
    }


@pytest.mark.django_db
def test_corrections_supersede_and_repeats_change_nothing(card: Card, tmp_path: Path) -> None:
    measurement_record(kpi=card.sales, period_start=JAN, value=10)
    measurement_record(kpi=card.sales, period_start=FEB, value=20, note="ok")
    path = write_csv(
        tmp_path / "v.csv",
        [["sales", "2026-01-01", "11", ""], ["sales", "2026-02-01", "20", "ok"],
         ["sales", "2026-03-01", "30", ""]],
    )  # fmt: skip
    result = run(card, path)
    assert (result.created, result.corrected, result.unchanged) == (1, 1, 1)
    jan = Measurement.objects.filter(kpi=card.sales, period_start=JAN).order_by("recorded_at")
    assert [(m.value, m.superseded_at is None) for m in jan] == [(10, False), (11, True)]


@pytest.mark.django_db
def test_semicolons_a_byte_order_mark_and_blank_rows_are_fine(card: Card, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text(
        "\ufeffKPI code;Period;Value\r\nsales;2026-01-01;5\r\n;;\r\n\r\nsales;2026-02-01;6\r\n",
        encoding="utf-8",
    )
    result = run(card, path, headers=["KPI code", "Period", "Value"])
    assert (result.rows, result.created) == (2, 2)


@pytest.mark.django_db
def test_dry_run_counts_exactly_and_keeps_nothing(card: Card, tmp_path: Path) -> None:
    measurement_record(kpi=card.sales, period_start=JAN, value=10)
    path = write_csv(tmp_path / "v.csv", [["sales", "2026-01-01", "11", ""],
                                          ["sales", "2026-02-01", "12", ""]])  # fmt: skip
    result = run(card, path, dry_run=True)
    assert (result.created, result.corrected, result.dry_run) == (1, 1, True)
    assert list(Measurement.objects.values_list("value", flat=True)) == [10]


@pytest.mark.django_db
def test_writing_in_batches_is_still_one_transaction(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The third batch fails inside the bulk service: the first two are rolled back."""
    from scorecard.kpis import services as kpi_services

    rows = [["sales", f"2026-{m:02d}-01", str(m), ""] for m in range(1, 7)]
    path = write_csv(tmp_path / "v.csv", rows)
    calls = []
    real = services.measurement_bulk_load

    def failing(*, batches: Any, **kwargs: Any) -> Any:
        def counted() -> Any:
            for batch in batches:
                calls.append(len(batch))
                if len(calls) == 3:
                    raise kpi_services.MeasurementRowsError(
                        [kpi_services.RowError(batch[0][0], "value", "refused by the test")]
                    )
                yield batch

        return real(batches=counted(), **kwargs)

    monkeypatch.setattr(services, "measurement_bulk_load", failing)
    with pytest.raises(ImportFailed) as info:
        run(card, path, batch_size=2)
    assert calls == [2, 2, 2]
    assert [str(e) for e in info.value.report.errors] == [
        "Row 6, column 'Value': refused by the test"
    ]
    assert Measurement.objects.count() == 0


# --- bad files: every row reported, nothing written ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_is_no_back_door_for_future_periods_or_huge_numbers(
    card: Card, tmp_path: Path, fmt: str
) -> None:
    """The forms, the grid and the API refuse a value for a period that has not begun
    and a number beyond 10^15 (kpis.services); so does an import, row by row."""
    from scorecard import clock

    MeasurementFactory(kpi=card.sales, period_start=JAN, value=50.0)
    today = clock.today().isoformat()
    rows = [
        ["sales", "2026-02-01", "51", ""],  # row 2: fine
        ["sales", "2199-01-01", "5", ""],  # row 3: a period that has not begun
        ["sales", "2199-01-15", "5", ""],  # row 4: a day inside it, moved to its start
        ["free", "2026-02-01", "2000000000000000", ""],  # row 5: 2 × 10^15
        ["free", "2026-03-01", "-1e16", ""],  # row 6: the full check's shape
        ["free", "2026-04-01", "1000000000000000", ""],  # row 7: 10^15 itself is fine
        ["free", (clock.today() + dt.timedelta(days=1)).isoformat(), "1", ""],  # row 8: a
        # day ahead is accepted (the period has begun east of the server's time zone)
    ]
    if fmt == "xlsx":
        path = write_xlsx(tmp_path / "late.xlsx", rows)
    else:
        path = write_csv(tmp_path / "late.csv", rows)
    not_begun = (
        f"The period starting 2199-01-01 has not begun yet (today is {today}): values are "
        "recorded once their period has started."
    )
    assert failure(card, path, fmt) == [
        f"Row 3, column 'Period': {not_begun}",
        f"Row 4, column 'Period': {not_begun}",
        "Row 5, column 'Value': 2,000,000,000,000,000 is too large: numbers go up to "
        "1,000,000,000,000,000 either way.",
        "Row 6, column 'Value': -10,000,000,000,000,000 is too large: numbers go up to "
        "1,000,000,000,000,000 either way.",
    ]
    assert list(Measurement.objects.values_list("value", flat=True)) == [50.0]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_rows_are_each_reported_and_nothing_is_written(
    card: Card, tmp_path: Path, fmt: str
) -> None:
    MeasurementFactory(kpi=card.sales, period_start=JAN, value=50.0)
    rows = [
        ["sales", "2026-01-01", "51", ""],  # row 2: fine (a correction)
        ["nosuch", "2026-01-01", "1", ""],  # row 3
        ["sales", "2026-02-01", "abc", ""],  # row 4
        ["sales", "31/03/2026", "1", ""],  # row 5
        ["nps", "2026-02-01", "1", ""],  # row 6: inside a quarter: counted in it, no error
        ["sales", "2026-04-01", "5000", ""],  # row 7: far outside 0–100
        ["ratio", "2026-01-01", "1", ""],  # row 8: calculated
        ["sales", "2026-05-01", "1,5", ""],  # row 9
        ["", "", "", "only a note"],  # row 10: three empty cells
        ["sales", "2026-01-01", "52", ""],  # row 11: repeats row 2
        ["sales", "2026-06-01", "7", "x" * 501],  # row 12
    ]
    if fmt == "xlsx":
        path = write_xlsx(tmp_path / "bad.xlsx", rows)
    else:
        path = write_csv(tmp_path / "bad.csv", rows)
    assert failure(card, path, fmt) == [
        "Row 3, column 'KPI code': no KPI has the code or name 'nosuch' in the scorecard 'Company'",
        "Row 4, column 'Value': 'abc' is not a number",
        "Row 5, column 'Period': '31/03/2026' is not a date; write the period as "
        "year-month-day (2026-10-01), year-month (2026-10) or month and year (Oct 2026)",
        "Row 7, column 'Value': 5000 is far outside the scale of 'Sales'; values from -1000 "
        "to 1100 are accepted (check the unit and the decimal point)",
        "Row 8, column 'KPI code': 'Ratio' is calculated from its formula; its values cannot "
        "be imported",
        "Row 9, column 'Value': '1,5' is not a number (use a point for decimals; commas "
        "may only group thousands, e.g. 1,234.5)",
        "Row 10, column 'KPI code': the KPI code is empty",
        "Row 10, column 'Period': the period is empty; give the first day of the period, "
        "e.g. 2026-10-01",
        "Row 10, column 'Value': the value is empty; give a number or delete the row",
        "Row 11, column 'Period': row 2 already gives 'Sales' a value for 2026-01-01; a file "
        "may hold one value per KPI and period",
        "Row 12, column 'Note': the note has 501 characters; 500 at most",
    ]
    # Row 2 was fine, but nothing is written while any row is wrong.
    assert list(Measurement.objects.values_list("value", flat=True)) == [50.0]


@pytest.mark.django_db
def test_xlsx_cells_of_the_wrong_kind(card: Card, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "kinds.xlsx",
        [["sales", 46023, 1, None], ["sales", dt.datetime(2026, 1, 1), True, None]],
    )
    assert failure(card, path, "xlsx") == [
        "Row 2, column 'Period': '46023' is a number, not a date; format the column as dates "
        "or write 2026-10-01",
        "Row 3, column 'Value': 'True' is a yes/no cell, not a number",
    ]


@pytest.mark.django_db
def test_every_error_is_counted_but_only_the_first_are_kept(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_ERRORS_KEPT", 3)
    path = write_csv(tmp_path / "v.csv", [["nosuch", "2026-01-01", "1", ""]] * 10)
    with pytest.raises(ImportFailed) as info:
        run(card, path)
    assert info.value.report.error_count == 10
    assert [e.row for e in info.value.report.errors] == [2, 3, 4]


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_with_its_row(card: Card, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "latin1.csv", [["sales", "2026-01-01", "1", "café"]],
                     encoding="latin-1")  # fmt: skip
    with pytest.raises(services.tabular.TabularError, match="Row 2: the file is not UTF-8 text"):
        run(card, path)
    assert Measurement.objects.count() == 0


# --- who may import what -----------------------------------------------------------------------


@pytest.mark.django_db
def test_contributors_import_only_the_kpis_they_update(card: Card, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", [["sales", "2026-01-01", "1", ""],
                                          ["nps", "2026-01-01", "2", ""]])  # fmt: skip
    contributor = card.world.contributor
    assert failure(card, path, user=contributor, role="contributor") == [
        "Row 3, column 'KPI code': you may not record values for 'Net promoter score'; "
        "contributors record the KPIs they update or own"
    ]
    ok = write_csv(tmp_path / "ok.csv", [["sales", "2026-01-01", "1", ""]])
    run(card, ok, user=contributor, role="contributor")
    assert Measurement.objects.get().recorded_by == contributor


@pytest.mark.django_db
def test_the_sane_range_follows_the_kpi_scale(card: Card) -> None:
    assert services.sane_range(card.sales) == (-1000.0, 1100.0)
    assert services.sane_range(card.free) is None
    card.free.target = 0.0
    assert services.sane_range(card.free) is None  # a zero target alone says nothing


@pytest.mark.django_db
def test_the_sane_range_is_configured(card: Card, tmp_path: Path, settings: Any) -> None:
    settings.SCORECARD_IMPORT_RANGE_FACTOR = 1
    assert services.sane_range(card.sales) == (-100.0, 200.0)
    path = write_csv(tmp_path / "v.csv", [["sales", "2026-01-01", "250", ""]])
    assert failure(card, path) == [
        "Row 2, column 'Value': 250 is far outside the scale of 'Sales'; values from -100 to "
        "200 are accepted (check the unit and the decimal point)"
    ]
    settings.SCORECARD_IMPORT_RANGE_FACTOR = 0  # the check is off
    assert services.sane_range(card.sales) is None
    assert run(card, path).created == 1


# --- workbooks with several sheets ---------------------------------------------------------------


@pytest.mark.django_db
def test_one_sheet_of_a_workbook_is_read(card: Card, tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "book.xlsx",
        {
            "Cover": [],
            "Sales": [HEADER, ["sales", JAN, 1, None]],
            "Other": [HEADER, ["sales", FEB, 2, None], ["nosuch", FEB, 3, None]],
        },
    )
    assert services.tabular.sheet_names(path) == ["Cover", "Sales", "Other"]
    assert services.tabular.first_filled_sheet(path) == "Sales"
    assert failure(card, path, "xlsx", sheet="Other") == [
        "Row 3, column 'KPI code': no KPI has the code or name 'nosuch' in the scorecard 'Company'"
    ]
    assert run(card, path, "xlsx", sheet="Sales").created == 1
    assert list(Measurement.objects.values_list("period_start", "value")) == [(JAN, 1.0)]
    with pytest.raises(services.tabular.TabularError, match="no sheet called “Nope”; its sheets"):
        run(card, path, "xlsx", sheet="Nope")


def test_the_pairs_met_are_remembered_in_a_bitmap_per_kpi() -> None:
    seen = services.SeenPeriods()
    first, last = dt.date(1899, 1, 1), dt.date(2199, 12, 31)
    assert [seen.add(1, day) for day in (first, last, JAN, JAN, first, last)] == [
        False, False, False, True, True, True
    ]  # fmt: skip
    assert seen.add(2, JAN) is False  # another KPI, same day
    assert seen.add(1, dt.date(1898, 12, 31)) is False  # outside the bitmap: still exact
    assert seen.add(1, dt.date(1898, 12, 31)) is True
    assert {len(b) for b in seen.bits.values()} == {13_743}  # bytes per KPI, whatever the rows


# --- the write lock is held only for the writes (issue 19, item 3) --------------------------


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="PostgreSQL checks the file in a thread while writing (tests/imports/test_streamed.py)",
)
def test_a_workbook_is_read_before_the_write_transaction_begins(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite, a workbook: read whole first, so the one write lock is held only while
    writing. (A CSV file is checked in a thread while it is written, on both databases:
    tests/imports/test_streamed.py.)"""
    from django.db import connection

    fmt = "xlsx"

    rows = [["sales", f"2026-{month:02d}", month, ""] for month in range(1, 13)]
    path = write_xlsx(tmp_path / f"values.{fmt}", rows)
    depth_reading: list[int] = []
    depth_writing: list[int] = []
    iter_rows, bulk = services.tabular.iter_rows, services.measurement_bulk_load

    def reading(*args: Any, **kwargs: Any) -> Any:
        for row in iter_rows(*args, **kwargs):
            depth_reading.append(len(connection.atomic_blocks))
            yield row

    def writing(*, batches: Any, **kwargs: Any) -> Any:
        def watched() -> Any:
            for batch in batches:
                depth_writing.append(len(connection.atomic_blocks))
                yield batch

        return bulk(batches=watched(), **kwargs)

    monkeypatch.setattr(services.tabular, "iter_rows", reading)
    monkeypatch.setattr(services, "measurement_bulk_load", writing)
    result = run(card, path, fmt, batch_size=5)
    assert (result.created, len(depth_writing)) == (12, 3)
    # Every row was read outside the transaction the writes run in.
    assert max(depth_reading) < min(depth_writing)
    assert Measurement.objects.filter(kpi=card.sales).count() == 12


# --- messy real-life spreadsheets --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,105,000", 2105000.0),
        ("82,000.5", 82000.5),
        ("-1,234", -1234.0),
        ("1 234 567", 1234567.0),
        ("\u22125", -5.0),
        ("12.5", 12.5),
        ("1,5", "'1,5' is not a number (use a point for decimals; commas may only group "
                "thousands, e.g. 1,234.5)"),
        ("12,34,567", "'12,34,567' is not a number (use a point for decimals; commas may only "
                      "group thousands, e.g. 1,234.5)"),
        ("40%", "'40%' is not a number (leave out the % sign)"),
    ],
)  # fmt: skip
def test_numbers_the_grid_and_the_import_share(text: str, expected: float | str) -> None:
    assert parse_number(text) == expected
    if isinstance(expected, float):
        assert web_parse_number(text) == expected
    else:
        with pytest.raises(ValueError, match="is not a number"):
            web_parse_number(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nov 2026", dt.date(2026, 11, 1)),
        ("November 2026", dt.date(2026, 11, 1)),
        ("nov-2026", dt.date(2026, 11, 1)),
        ("Sept. 2026", dt.date(2026, 9, 1)),
        ("2026 Nov", dt.date(2026, 11, 1)),
        ("2026-11", dt.date(2026, 11, 1)),
        ("2026-11-15", dt.date(2026, 11, 15)),
        ("Novembre 2026", "'Novembre 2026' is not a date; write the period as year-month-day "
                          "(2026-10-01), year-month (2026-10) or month and year (Oct 2026)"),
    ],
)  # fmt: skip
def test_periods_as_spreadsheets_write_them(text: str, expected: dt.date | str) -> None:
    assert parse_period(text) == expected


@pytest.mark.django_db
def test_a_messy_spreadsheet_imports(card: Card, tmp_path: Path) -> None:
    rows = [
        ["Sales", "Nov 2026", "1,050", "a name, a month name, a separator"],
        ["net promoter  SCORE", "2026-11-20", "61", "a date inside the quarter"],
        ["sales", "2026-10", "1,000.5", ""],
    ]
    path = write_csv(tmp_path / "messy.csv", rows)
    parsed = [checker(card).parse(n, cells) for n, cells in services.data_rows(path, "csv")]
    assert not [p for p in parsed if isinstance(p, list)], parsed
    assert [(p.kpi.code, p.period_start, p.value, p.moved_from) for p in parsed] == [  # type: ignore[union-attr]
        ("sales", dt.date(2026, 11, 1), 1050.0, None),
        ("nps", dt.date(2026, 10, 1), 61.0, dt.date(2026, 11, 20)),
        ("sales", dt.date(2026, 10, 1), 1000.5, None),
    ]
    result = run(card, path)
    assert result.written == 3
    stored = sorted(Measurement.objects.values_list("kpi__code", "period_start", "value"))
    assert stored == [
        ("nps", dt.date(2026, 10, 1), 61.0),
        ("sales", dt.date(2026, 10, 1), 1000.5),
        ("sales", dt.date(2026, 11, 1), 1050.0),
    ]


@pytest.mark.django_db
def test_a_name_two_kpis_share_asks_for_the_code(card: Card) -> None:
    for kpi in (card.sales, card.free):
        kpi.name = "Turnover"
        kpi.save()
    assert checker(card).kpi_for(" turnover ") == (
        "2 KPIs are called 'turnover' in the scorecard 'Company'; use the code instead "
        f"({', '.join(sorted([card.sales.code, card.free.code]))})"
    )
