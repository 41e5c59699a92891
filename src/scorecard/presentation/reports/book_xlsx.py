"""A briefing book of several scorecards as one Excel workbook: a *Contents* sheet naming
each scorecard's sheets, then each scorecard's sheets of the report workbook (summary,
perspectives, initiatives, measurements, optionally the map picture, and the charts)."""

from __future__ import annotations

import io

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from scorecard.interchange.safe_cells import safe_value
from scorecard.presentation.reports import xlsx
from scorecard.presentation.reports.common import period_text
from scorecard.presentation.reports.xlsx_visuals import add_chart_sheet, add_map_sheet
from scorecard.reports.data import ReportData


def book_xlsx(
    reports: list[ReportData],
    *,
    title: str,
    include_map: bool = True,
    include_initiatives: bool = True,
) -> bytes:
    """The workbook of the book; sheet names that repeat get "(2)", "(3)" ..."""
    book = Workbook()
    contents = book.active
    assert contents is not None
    taken: set[str] = set()
    contents.title = xlsx.sheet_title(gettext("Contents"), taken)
    contents.append([safe_value(title)])
    contents["A1"].font = Font(bold=True, size=14, color="1B4485")
    contents.append([gettext("Scorecard"), gettext("Period"), gettext("Sheets")])
    for cell in contents[2]:
        cell.font = Font(bold=True)
    for data in reports:
        before = list(book.sheetnames)
        book.active = book.create_sheet()  # the summary writes on the active sheet
        xlsx._summary(book, data, taken)
        xlsx._perspective_sheets(book, data, taken)
        if include_initiatives:
            xlsx._initiatives(book, data, taken)
        xlsx._measurements(book, data, taken)
        if include_map:
            add_map_sheet(book, data, xlsx.sheet_title(gettext("Strategy map"), taken))
        add_chart_sheet(book, data, xlsx.sheet_title(gettext("Charts"), taken))
        added = [name for name in book.sheetnames if name not in before]
        contents.append(
            [safe_value(data.scorecard.name), period_text(data), safe_value(", ".join(added))]
        )
    contents.column_dimensions["A"].width = 30
    contents.column_dimensions["B"].width = 30
    contents.column_dimensions["C"].width = 90
    book.active = 0
    book.properties.title = safe_value(title)
    book.properties.creator = "Scorecard"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
