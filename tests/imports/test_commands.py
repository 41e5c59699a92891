"""``scorecard import`` and ``scorecard export-values`` through call_command."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from scorecard.kpis.models import Measurement
from scorecard.kpis.services import measurement_record

from .conftest import FEB, HEADER, JAN, Card, write_csv, write_workbook, write_xlsx

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fail(*args: str) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return str(info.value), err.getvalue()


def test_import_writes_and_summarises(card: Card, tmp_path: Path) -> None:
    measurement_record(kpi=card.sales, period_start=JAN, value=1)
    path = write_csv(tmp_path / "v.csv", [["sales", "2026-01-01", "2", ""],
                                          ["sales", "2026-02-01", "3", "ok"]])  # fmt: skip
    out, err = run("import", str(path), "--org", "northwind", "--scorecard", "company",
                   "--user", "editor-user")  # fmt: skip
    assert out.splitlines() == [
        "Rows read: 2; written: 2 (1 new, 1 superseding an earlier value); unchanged: 0; "
        "errors: 0.",
        "Imported v.csv into Company.",
    ]
    assert err == ""  # no progress bar when stderr is not a terminal
    current = Measurement.objects.filter(superseded_at__isnull=True).order_by("period_start")
    assert [(m.value, m.recorded_by) for m in current] == [
        (2.0, card.world.editor), (3.0, card.world.editor)
    ]  # fmt: skip


def test_import_lists_the_first_errors_and_exits_non_zero(card: Card, tmp_path: Path) -> None:
    rows = [["sales", "2026-01-01", "x", ""], ["nope", "2026-01-01", "1", ""],
            ["sales", "2026-02-15", "1", ""], ["sales", "2026-03-01", "1,5", ""]]  # fmt: skip
    path = write_csv(tmp_path / "bad.csv", rows)
    message, err = fail("import", str(path), "--org", "northwind", "--scorecard", "company",
                        "--max-errors", "2")  # fmt: skip
    assert message == f"{path}: 3 problems in 4 rows; nothing was written."
    assert err.splitlines() == [
        "bad.csv: Row 2, column 'Value': 'x' is not a number",
        "bad.csv: Row 3, column 'KPI code': no KPI has the code or name 'nope' in the "
        "scorecard 'Company'",
        "… and 1 more.",
        "Rows read: 4; written: 0; superseded: 0; errors: 3.",
    ]
    assert Measurement.objects.count() == 0


def test_columns_can_be_named_and_xlsx_is_read(card: Card, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "v.xlsx", [["Sales", "sales", JAN, 5], ["X", "sales", FEB, 6]],
                      ["Label", "Id", "When", "Number"])  # fmt: skip
    message, err = fail("import", str(path), "--org", "northwind", "--scorecard", "company")
    assert "say which column holds each field" in message
    assert "kpi: Choose the column that holds the KPI code." in err
    out, _ = run("import", str(path), "--org", "northwind", "--scorecard", "company",
                 "--column", "kpi=id", "--column", "period=When", "--column", "value=Number",
                 "--quiet")  # fmt: skip
    assert out.startswith("Rows read: 2; written: 2 (2 new")
    assert sorted(Measurement.objects.values_list("value", flat=True)) == [5.0, 6.0]


def test_dry_run_writes_nothing(card: Card, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", [["sales", "2026-01-01", "2", ""]])
    out, _ = run("import", str(path), "--org", "northwind", "--scorecard", "company", "--dry-run")
    assert out.splitlines() == [
        "Rows read: 1; would write: 1 (1 new, 0 superseding an earlier value); unchanged: 0; "
        "errors: 0.",
        "Dry run: nothing was kept.",
    ]
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nope", "--scorecard", "company"], "No organization has the short name “nope”."),
        (["--org", "northwind", "--scorecard", "nope"],
         "Northwind Outdoor has no scorecard with the short name “nope”."),
        (["--org", "northwind", "--scorecard", "company", "--user", "ghost"],
         "No user is called “ghost”."),
        (["--org", "northwind", "--scorecard", "company", "--format", "xlsx"],
         "is not an XLSX workbook"),
    ],
)  # fmt: skip
def test_import_refuses_bad_arguments(card: Card, tmp_path: Path, args: list[str],
                                      message: str) -> None:  # fmt: skip
    path = write_csv(tmp_path / "v.csv", [["sales", "2026-01-01", "2", ""]])
    assert message in fail("import", str(path), *args)[0]


def test_import_of_a_missing_file(card: Card, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    assert fail("import", str(missing), "--org", "northwind", "--scorecard", "company")[0] == (
        f"{missing}: no such file."
    )


def test_a_progress_bar_is_drawn_on_a_terminal(card: Card, tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    path = write_csv(tmp_path / "v.csv", [["sales", "2026-01-01", "2", ""]])
    err = Terminal()
    call_command("import", str(path), "--org", "northwind", "--scorecard", "company",
                 stdout=io.StringIO(), stderr=err)  # fmt: skip
    assert "Checking" in err.getvalue() and "Writing" in err.getvalue()
    quiet = Terminal()
    call_command("import", str(path), "--org", "northwind", "--scorecard", "company", "--quiet",
                 stdout=io.StringIO(), stderr=quiet)  # fmt: skip
    assert quiet.getvalue() == ""


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_values_writes_a_file(card: Card, tmp_path: Path, fmt: str) -> None:
    measurement_record(kpi=card.sales, period_start=JAN, value=41.5, note="-ok")
    target = tmp_path / f"out.{fmt}"
    out, _ = run("export-values", "--org", "northwind", "--scorecard", "company",
                 "--format", fmt, "-o", str(target))  # fmt: skip
    assert out.strip() == f"Exported 1 values of Company to {target}."
    if fmt == "csv":
        assert target.read_text(encoding="utf-8-sig").splitlines()[1] == (
            "sales,Sales,2026-01-01,41.5,100,41.5,yellow,'-ok"
        )
    else:
        sheet = load_workbook(target).active
        assert sheet is not None
        assert sheet["H2"].value == "-ok" and sheet["H2"].data_type == "s"


def test_export_values_to_stdout_and_errors(card: Card, tmp_path: Path) -> None:
    measurement_record(kpi=card.sales, period_start=JAN, value=41.5)
    out, err = run("export-values", "--org", "northwind", "--scorecard", "company", "-o", "-",
                   "--format", "csv")  # fmt: skip
    assert out.splitlines()[0] == "KPI code,KPI name,period,value,target,score (%),status,note"
    assert "Exported 1 values." in err
    assert "No scorecard “nope”" in fail("export-values", "--org", "northwind", "--scorecard",
                                         "nope", "-o", "x.csv")[0]  # fmt: skip
    assert "Say --format csv" in fail("export-values", "--org", "northwind", "--scorecard",
                                      "company", "-o", str(tmp_path / "x.txt"))[0]  # fmt: skip
    assert "Only CSV can be written to stdout" in fail(
        "export-values", "--org", "northwind", "--scorecard", "company", "-o", "-",
        "--format", "xlsx",
    )[0]  # fmt: skip


def test_what_export_values_writes_imports_back(card: Card, tmp_path: Path,
                                                settings: Any) -> None:  # fmt: skip
    measurement_record(kpi=card.sales, period_start=JAN, value=41.5, note="=1+2")
    target = tmp_path / "out.csv"
    run("export-values", "--org", "northwind", "--scorecard", "company", "-o", str(target))
    out, _ = run("import", str(target), "--org", "northwind", "--scorecard", "company")
    assert "unchanged: 1" in out


def test_import_reads_the_sheet_it_is_told(card: Card, tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "book.xlsx",
        {
            "Notes": [],
            "A": [HEADER, ["sales", JAN, 1, None]],
            "B": [HEADER, ["sales", FEB, 2, None]],
        },
    )
    out, _ = run("import", str(path), "--org", "northwind", "--scorecard", "company", "--quiet")
    assert out.splitlines()[-1] == "Imported book.xlsx (sheet “A”) into Company."
    run("import", str(path), "--org", "northwind", "--scorecard", "company", "--sheet", "B")
    assert sorted(Measurement.objects.values_list("value", flat=True)) == [1.0, 2.0]
    assert "no sheet called “C”" in fail("import", str(path), "--org", "northwind",
                                         "--scorecard", "company", "--sheet", "C")[0]  # fmt: skip
    csv_path = write_csv(tmp_path / "v.csv", [["sales", "2026-03-01", "3", ""]])
    message = fail(
        "import", str(csv_path), "--org", "northwind", "--scorecard", "company", "--sheet", "A"
    )[0]
    assert "a CSV file has no sheets" in message
