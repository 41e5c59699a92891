"""A briefing deck as PowerPoint (python-pptx): a cover, the contents, and for each
scorecard a summary slide with a native bar chart of its perspectives' scores and one slide
per perspective with its objectives and KPIs (value, target, score, status), the same
formatted numbers as the PDF and the scorecard page.

Pure rendering of :class:`scorecard.reports.data.ReportData`: no queries.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext, gettext_lazy
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt

from scorecard.dates import day_month_year, month_year
from scorecard.reports.data import KpiBlock, PerspectiveBlock, ReportData

from ..numbers import format_number, pct, status_label
from .book_sections import BookSections, sections_slides
from .common import period_text
from .pdf import CHART_PERIODS

#: The table's columns on a perspective slide.
COLUMNS = [
    gettext_lazy("Objective / KPI"), gettext_lazy("Value"), gettext_lazy("Target"),
    gettext_lazy("Score"), gettext_lazy("Status"),
]  # fmt: skip


def _title_only(deck: Any, title: str) -> Any:
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
    slide.shapes.title.text = title
    return slide


def _text(slide: Any, lines: list[str], top: float = 1.5) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), Inches(top), Inches(8.8), Inches(5))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(16)


def _rows(block: PerspectiveBlock) -> list[list[str]]:
    rows = []
    for o in block.objectives:
        result = o.row.result
        rows.append([o.row.objective.name, "", "", pct(result.score), status_label(result.status)])
        for k in o.kpis:
            r, unit = k.row.result, k.kpi.unit
            rows.append(
                [
                    "   " + k.kpi.name,
                    format_number(r.value, unit),
                    format_number(r.target, unit),
                    pct(r.performance),
                    status_label(r.status),
                ]
            )
    return rows


def _table(slide: Any, rows: list[list[str]]) -> None:
    height = Inches(0.3) * (len(rows) + 1)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(COLUMNS), Inches(0.4), Inches(1.4), Inches(9.2), height
    )
    table = shape.table
    table.columns[0].width = Inches(4.4)
    for c in range(1, len(COLUMNS)):
        table.columns[c].width = Inches(1.2)
    for c, name in enumerate(COLUMNS):
        table.cell(0, c).text = str(name)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = value
            cell.text_frame.paragraphs[0].font.size = Pt(10)


def history_series(block: KpiBlock) -> tuple[list[str], list[float | None], list[float | None]]:
    """A KPI's last periods (as "Oct 2026"), values and targets, as the PDF charts them."""
    history = list(block.row.result.history)[-CHART_PERIODS:]
    return (
        [month_year(start) for start, _, _ in history],
        [value for _, value, _ in history],
        [target for _, _, target in history],
    )


def _kpi_charts(deck: Any, report: ReportData) -> None:
    """One slide per KPI of the report's perspectives that has values: a native line chart
    of its values and targets."""
    for block in report.kpi_blocks:
        categories, values, targets = history_series(block)
        if not any(v is not None for v in values):
            continue
        kpi = block.kpi
        unit = f" ({kpi.unit})" if kpi.unit else ""
        slide = _title_only(
            deck,
            gettext("%(scorecard)s · %(kpi)s: history")
            % {"scorecard": report.scorecard.name, "kpi": f"{kpi.name}{unit}"},
        )
        chart = CategoryChartData()
        chart.categories = categories
        chart.add_series(gettext("Value"), values)
        chart.add_series(gettext("Target"), targets)
        graphic = slide.shapes.add_chart(
            XL_CHART_TYPE.LINE_MARKERS, Inches(0.6), Inches(1.4), Inches(8.8), Inches(5.4), chart
        )
        graphic.chart.has_legend = True


def deck_pptx(
    reports: list[ReportData],
    *,
    title: str = "Briefing book",
    sections: list[BookSections] | None = None,
    kpi_charts: bool = False,
) -> bytes:
    """The deck of one or more scorecard reports, as .pptx bytes; ``sections`` (one per
    report) adds a slide for each of its chosen risks, decisions and commentary;
    ``kpi_charts`` a slide with a line chart of each KPI's history after each scorecard's
    perspective slides."""
    deck = Presentation()
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = title
    first = reports[0] if reports else None
    cover.placeholders[1].text = (
        gettext("%(organization)s · as of %(day)s")
        % {
            "organization": first.scorecard.organization.name,
            "day": day_month_year(first.as_of),
        }
        if first
        else ""
    )
    contents = _title_only(deck, gettext("Contents"))
    _text(contents, [f"{r.scorecard.name} — {period_text(r)}" for r in reports])
    for i, report in enumerate(reports):
        page = report.page
        slide = _title_only(deck, f"{report.scorecard.name}: {pct(page.result.score)}")
        _text(
            slide,
            [
                f"{period_text(report)} · {status_label(page.result.status)}",
                report.known_text,
            ],
            top=1.3,
        )
        chart = CategoryChartData()
        chart.categories = [p.row.perspective.name for p in report.perspectives]
        chart.add_series(
            gettext("Score (%)"),
            [round((p.row.result.score or 0) * 100, 1) for p in report.perspectives],
        )
        slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.8), Inches(2.4), Inches(8.4), Inches(4.6), chart
        )
        for block in report.perspectives:
            part = _title_only(
                deck,
                f"{report.scorecard.name} · {block.row.perspective.name}: "
                f"{pct(block.row.result.score)}",
            )
            _table(part, _rows(block))
        if kpi_charts:
            _kpi_charts(deck, report)
        if sections:
            sections_slides(deck, sections[i])
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
