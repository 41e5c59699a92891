"""The pictures of the report workbook: the strategy map as a PNG image (drawn with
Pillow from the map page's own layout, so boxes sit where the web page puts them) and a
native Excel line chart of each KPI's recent history, whose series refer to the values
and targets written beside it (so the chart follows when someone corrects a cell).
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.drawing.image import Image
from openpyxl.styles import Font
from PIL import Image as PilImage
from PIL import ImageDraw, ImageFont

from scorecard.dates import day_month_year
from scorecard.interchange.safe_cells import safe_value
from scorecard.presentation.numbers import status_label
from scorecard.presentation.reports.pdf import CHART_PERIODS, map_parts
from scorecard.presentation.strategy_map import COLORS, layout
from scorecard.reports.data import ReportData

#: Pixels per map unit in the picture (sharper when zoomed or printed).
MAP_SCALE = 2
#: Rows one KPI's block takes on the Charts sheet (title, header, periods, a gap).
BLOCK_ROWS = CHART_PERIODS + 4
FONT_FILES = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
BOLD_FILES = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")


def _font(size: int, *, bold: bool = False) -> Any:
    for name in BOLD_FILES if bold else FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def map_png(data: ReportData) -> bytes | None:
    """The strategy map as PNG bytes, or None for a scorecard without objectives."""
    bands, links = map_parts(data)
    if not any(band.boxes for band in bands):
        return None
    lay = layout(bands, links)
    k = MAP_SCALE
    picture = PilImage.new("RGB", (int(lay.width * k), int(lay.height * k)), "white")
    draw = ImageDraw.Draw(picture)
    band_font, name_font, small = _font(13 * k, bold=True), _font(12 * k, bold=True), _font(11 * k)
    for n, (band, rect) in enumerate(zip(bands, lay.bands, strict=True)):
        shade = "#f3f5f8" if n % 2 == 0 else "#fafbfc"
        draw.rectangle([0, rect.y * k, rect.w * k, rect.bottom * k], fill=shade)
        lines = textwrap.wrap(band.name, 18)[:3]
        top = rect.y + rect.h / 2 - 8 * len(lines)
        for i, line in enumerate(lines):
            draw.text((14 * k, (top + 16 * i) * k), line, fill="#3d4852", font=band_font)
    boxes = lay.boxes
    heads = []
    for cause, effect in links:
        if cause not in boxes or effect not in boxes:
            continue
        a, b = boxes[cause], boxes[effect]
        if a.y == b.y:  # the same perspective: side to side
            mid = (a.y + a.h / 2) * k
            start = ((a.right if a.x < b.x else a.x) * k, mid)
            end = ((b.x if a.x < b.x else b.right) * k, mid)
        else:  # from the top of one to the bottom of the other (or the other way)
            start = (a.cx * k, (a.y if a.y > b.y else a.bottom) * k)
            end = (b.cx * k, (b.bottom if a.y > b.y else b.y) * k)
        draw.line([start, end], fill="#6b7580", width=2 * k)
        heads.append((start, end))
    by_key = {box.key: box for band in bands for box in band.boxes}
    for key, rect in boxes.items():
        box = by_key[key]
        color = box.color or COLORS.get(box.status, "#9aa1a9")
        shape = [rect.x * k, rect.y * k, rect.right * k, rect.bottom * k]
        draw.rounded_rectangle(shape, radius=8 * k, fill="white", outline=color, width=2 * k)
        draw.rounded_rectangle(
            [rect.x * k, rect.y * k, (rect.x + 6) * k, rect.bottom * k], radius=3 * k, fill=color
        )
        for i, line in enumerate(textwrap.wrap(box.name, 24)[:2]):
            draw.text(((rect.x + 16) * k, (rect.y + 8 + 16 * i) * k), line, "#1f2933", name_font)
        status = f"{box.score_text} · {box.status_text or status_label(box.status)}"
        draw.text(((rect.x + 16) * k, (rect.bottom - 20) * k), status, "#3d4852", small)
    for start, end in heads:  # over the boxes, so that none is hidden
        _arrow_head(draw, start, end, k)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _arrow_head(draw: Any, start: tuple[float, float], end: tuple[float, float], k: int) -> None:
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = max((dx * dx + dy * dy) ** 0.5, 1.0)
    ux, uy = dx / length, dy / length
    size = 9 * k
    left = (end[0] - ux * size - uy * size / 2, end[1] - uy * size + ux * size / 2)
    right = (end[0] - ux * size + uy * size / 2, end[1] - uy * size - ux * size / 2)
    draw.polygon([end, left, right], fill="#5b6670")


def add_map_sheet(book: Workbook, data: ReportData, title: str) -> None:
    """A sheet with the strategy map as a picture (and a line saying what it shows)."""
    sheet = book.create_sheet(title)
    sheet.cell(
        row=1,
        column=1,
        value=safe_value(
            gettext("Strategy map of %(scorecard)s") % {"scorecard": data.scorecard.name}
        ),
    )
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14, color="1B4485")
    png = map_png(data)
    if png is None:
        sheet.cell(row=3, column=1, value=gettext("This scorecard has no objectives yet."))
        return
    sheet.cell(
        row=2,
        column=1,
        value=gettext("Scores as of %(day)s; arrows run from cause to effect.")
        % {"day": day_month_year(data.as_of)},
    )
    image = Image(io.BytesIO(png))
    # Shown at the map's own size (the picture has MAP_SCALE times the pixels).
    image.width, image.height = image.width // MAP_SCALE, image.height // MAP_SCALE
    sheet.add_image(image, "A4")


def add_chart_sheet(book: Workbook, data: ReportData, title: str) -> int:
    """A sheet with, for each KPI that has values, its last periods (period, value,
    target) and a native line chart of them; returns the number of charts."""
    sheet = book.create_sheet(title)
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 14
    charts = 0
    for block in data.kpi_blocks:
        history = list(block.row.result.history)[-CHART_PERIODS:]
        if not any(value is not None for _, value, _ in history):
            continue
        kpi, top = block.kpi, 1 + charts * BLOCK_ROWS
        unit = f" ({kpi.unit})" if kpi.unit else ""
        sheet.cell(row=top, column=1, value=safe_value(f"{kpi.name}{unit}")).font = Font(bold=True)
        for column, name in enumerate(
            (gettext("Period"), gettext("Value"), gettext("Target")), start=1
        ):
            sheet.cell(row=top + 1, column=column, value=name).font = Font(bold=True)
        for offset, (start, value, target) in enumerate(history, start=top + 2):
            sheet.cell(row=offset, column=1, value=start).number_format = "mmm yyyy"
            sheet.cell(row=offset, column=2, value=value)
            sheet.cell(row=offset, column=3, value=target)
        last = top + 1 + len(history)
        chart = LineChart()
        chart.title = safe_value(gettext("%(kpi)s: value and target") % {"kpi": kpi.name})
        chart.y_axis.title = safe_value(kpi.unit or gettext("Value"))
        chart.height, chart.width = 7, 16
        chart.add_data(
            Reference(sheet, min_col=2, max_col=3, min_row=top + 1, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=top + 2, max_row=last))
        sheet.add_chart(chart, f"E{top}")
        charts += 1
    if charts == 0:
        sheet.cell(row=1, column=1, value=gettext("No KPI of this scorecard has values yet."))
    return charts
