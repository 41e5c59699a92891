"""The scorecard report as an Excel workbook (openpyxl).

Sheets: a summary (the scorecard, its perspectives and objectives), one sheet per
perspective (its objectives and KPIs with value, target, progress, score and
status), the initiatives, and the raw data: every current measurement of the
scorecard's KPIs. Numbers are stored as numbers (scores as fractions shown as
percentages) so that they can be computed with; every text cell goes through
:func:`~scorecard.interchange.safe_cells.safe_value`, so no user text becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scorecard.interchange.safe_cells import safe_row, safe_value
from scorecard.presentation.numbers import period_label, status_label
from scorecard.presentation.reports.common import period_text
from scorecard.presentation.reports.xlsx_visuals import add_chart_sheet, add_map_sheet
from scorecard.presentation.why import coverage_text
from scorecard.reports.data import ReportData, owner_name

PERCENT = "0.0%"
BOLD = Font(bold=True)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1B4485")
TITLE_FONT = Font(bold=True, size=14, color="1B4485")
GROUP_FILL = PatternFill("solid", fgColor="EAF0FA")
STATUS_FILLS = {
    "red": PatternFill("solid", fgColor="FBE6E6"),
    "yellow": PatternFill("solid", fgColor="FBF0D2"),
    "green": PatternFill("solid", fgColor="E0F2E7"),
}
GREY_FILL = PatternFill("solid", fgColor="EEF0F2")
#: Characters Excel refuses in sheet names.
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def number_format(value: float | None) -> str:
    """Thousands separated; decimals only when the number has them."""
    if value is None or float(value).is_integer():
        return "#,##0"
    return "#,##0.0##"


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters."""
    base = BAD_SHEET_CHARS.sub(" ", name).strip().strip("'") or "Sheet"
    title = base[:31]
    number = 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(title.lower())
    return title


def _append(sheet: Worksheet, values: Iterable[Any]) -> int:
    """Append a row of safe values; returns its row number."""
    sheet.append(safe_row(values))
    return sheet.max_row


def _header(sheet: Worksheet, names: list[str]) -> None:
    row = _append(sheet, names)
    for cell in sheet[row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = f"A{row + 1}"


def _status(sheet: Worksheet, row: int, column: int, status: str) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = safe_value(status_label(status))
    cell.fill = STATUS_FILLS.get(status, GREY_FILL)


def _percent(sheet: Worksheet, row: int, *columns: int) -> None:
    for column in columns:
        sheet.cell(row=row, column=column).number_format = PERCENT


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _summary(book: Workbook, data: ReportData, taken: set[str]) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(_("Summary"), taken)
    scorecard = data.scorecard
    sheet.append(safe_row([scorecard.name]))
    sheet["A1"].font = TITLE_FONT
    for label, value in (
        (_("Organization"), scorecard.organization.name),
        (pgettext("organizational unit", "Unit"), scorecard.unit.name),
        (_("As of"), data.as_of),
        (_("Period"), period_text(data)),
        (_("Numbers"), data.known_text),
        (_("Vision"), scorecard.vision),
        (_("Mission"), scorecard.mission),
    ):
        row = _append(sheet, [label, value])
        sheet.cell(row=row, column=1).font = BOLD
        if isinstance(value, dt.date):
            sheet.cell(row=row, column=2).number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    result = data.page.result
    for overall, label, score in (
        (True, _("Overall score"), result.score),
        (False, _("Lagging KPIs (outcomes)"), result.lagging),
        (False, _("Leading KPIs (drivers)"), result.leading),
    ):
        row = _append(sheet, [label, score])
        sheet.cell(row=row, column=1).font = BOLD
        _percent(sheet, row, 2)
        if overall:
            _status(sheet, row, 3, result.status)
            row = _append(sheet, [_("Coverage"), coverage_text(result)])
            sheet.cell(row=row, column=1).font = BOLD
    sheet.append([])
    row = _append(sheet, [_("Perspective / objective"), _("Score"), _("Status"), _("Weight")])
    for cell in sheet[row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for p in data.perspectives:
        row = _append(
            sheet, [p.row.perspective.name, p.row.result.score, "", p.row.perspective.weight]
        )
        for cell in sheet[row]:
            cell.font = BOLD
            cell.fill = GROUP_FILL
        _percent(sheet, row, 2)
        _status(sheet, row, 3, p.row.result.status)
        for o in p.objectives:
            row = _append(
                sheet,
                ["    " + o.row.objective.name, o.row.result.score, "", o.row.objective.weight],
            )
            _percent(sheet, row, 2)
            _status(sheet, row, 3, o.row.result.status)
    _widths(sheet, [44, 60, 14, 10])


#: The trend column's words (the direction of the last change).
TREND_DIRECTIONS = {
    "up": gettext_lazy("up"),
    "down": gettext_lazy("down"),
    "flat": gettext_lazy("flat"),
}

KPI_COLUMNS = [
    gettext_lazy("Objective"), gettext_lazy("KPI"), gettext_lazy("Code"),
    gettext_lazy("Period"), gettext_lazy("Value"), gettext_lazy("Target"),
    gettext_lazy("Unit"), gettext_lazy("Progress"), gettext_lazy("Score"),
    gettext_lazy("Status"), gettext_lazy("Trend"), gettext_lazy("Weight"),
    gettext_lazy("Owner"), gettext_lazy("Last updated"), gettext_lazy("Latest comment"),
]  # fmt: skip


def _perspective_sheets(book: Workbook, data: ReportData, taken: set[str]) -> None:
    for p in data.perspectives:
        sheet = book.create_sheet(sheet_title(p.row.perspective.name, taken))
        _header(sheet, [str(name) for name in KPI_COLUMNS])
        for o in p.objectives:
            row = _append(
                sheet, [o.row.objective.name, "", "", "", "", "", "", "", o.row.result.score]
            )
            for cell in sheet[row]:
                cell.font = BOLD
                cell.fill = GROUP_FILL
            _percent(sheet, row, 9)
            _status(sheet, row, 10, o.row.result.status)
            for k in o.kpis:
                result, kpi = k.row.result, k.kpi
                updated = k.row.last_update
                row = _append(
                    sheet,
                    [
                        o.row.objective.name,
                        kpi.name,
                        kpi.code,
                        period_label(result.window),
                        result.value,
                        result.target,
                        kpi.unit,
                        result.progress,
                        result.performance,
                        "",
                        str(TREND_DIRECTIONS.get(result.trend or "", result.trend or "")),
                        kpi.weight,
                        owner_name(kpi.owner),
                        updated.replace(tzinfo=None) if updated else None,
                        k.comments[0].text if k.comments else "",
                    ],
                )
                sheet.cell(row=row, column=5).number_format = number_format(result.value)
                sheet.cell(row=row, column=6).number_format = number_format(result.target)
                sheet.cell(row=row, column=14).number_format = "yyyy-mm-dd hh:mm"
                _percent(sheet, row, 8, 9)
                _status(sheet, row, 10, result.status)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(KPI_COLUMNS))}{sheet.max_row}"
        _widths(sheet, [30, 32, 18, 14, 14, 14, 8, 10, 10, 12, 8, 8, 18, 17, 40])


def _initiatives(book: Workbook, data: ReportData, taken: set[str]) -> None:
    sheet = book.create_sheet(sheet_title(_("Initiatives"), taken))
    _header(
        sheet,
        [
            _("Initiative"),
            _("Serves"),
            _("Owner"),
            _("Start"),
            _("Deadline"),
            _("Status"),
            _("Progress"),
            _("Tasks done"),
            _("Tasks"),
            _("Budget"),
            _("Spent"),
            _("Overdue"),
        ],
    )
    for i in data.initiatives:
        row = _append(
            sheet,
            [
                i.name,
                ", ".join(o.name for o in i.objectives.all()),
                owner_name(i.owner),
                i.start_date,
                i.deadline,
                str(i.get_status_display()),
                getattr(i, "shown_progress", None),
                getattr(i, "done_count", None),
                getattr(i, "task_count", None),
                None if i.budget is None else float(i.budget),
                None if i.spent is None else float(i.spent),
                _("yes") if getattr(i, "is_overdue", False) else "",
            ],
        )
        for column in (4, 5):
            sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"
        for column in (10, 11):
            sheet.cell(row=row, column=column).number_format = "#,##0.00"
        _percent(sheet, row, 7)
    _widths(sheet, [36, 44, 18, 12, 12, 12, 10, 11, 8, 14, 14, 9])


def _measurements(book: Workbook, data: ReportData, taken: set[str]) -> None:
    sheet = book.create_sheet(sheet_title(_("Measurements"), taken))
    _header(
        sheet,
        [
            _("Perspective"),
            _("Objective"),
            _("KPI"),
            _("Code"),
            _("Period start"),
            _("Value"),
            _("Unit"),
            _("Note"),
            _("Recorded at"),
            _("Recorded by"),
        ],
    )
    kpis = {k.kpi.pk: (p, o, k) for p in data.perspectives for o in p.objectives for k in o.kpis}
    for m in data.measurements:
        p, o, k = kpis[m.kpi_id]
        row = _append(
            sheet,
            [
                p.row.perspective.name,
                o.row.objective.name,
                k.kpi.name,
                k.kpi.code,
                m.period_start,
                m.value,
                k.kpi.unit,
                m.note,
                m.recorded_at.replace(tzinfo=None),
                owner_name(m.recorded_by),
            ],
        )
        sheet.cell(row=row, column=5).number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=6).number_format = number_format(m.value)
        sheet.cell(row=row, column=9).number_format = "yyyy-mm-dd hh:mm"
    sheet.auto_filter.ref = f"A1:J{sheet.max_row}"
    _widths(sheet, [20, 30, 32, 18, 12, 14, 8, 36, 17, 18])


def report_xlsx(data: ReportData) -> bytes:
    """The report as the bytes of an .xlsx file."""
    book = Workbook()
    known = f", {data.known_short}" if data.known_short else ""
    as_of = _("%(scorecard)s as of %(day)s") % {
        "scorecard": data.scorecard.name,
        "day": f"{data.as_of:%Y-%m-%d}",
    }
    book.properties.title = safe_value(f"{as_of}{known}")
    book.properties.creator = "Scorecard"
    taken: set[str] = set()
    _summary(book, data, taken)
    _perspective_sheets(book, data, taken)
    _initiatives(book, data, taken)
    _measurements(book, data, taken)
    add_map_sheet(book, data, sheet_title(_("Strategy map"), taken))
    add_chart_sheet(book, data, sheet_title(_("Charts"), taken))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
