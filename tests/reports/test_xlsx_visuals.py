"""The workbook's strategy map (a PNG picture) and native line charts of the KPI
histories, read back with openpyxl: the picture is there, each chart's series refer to the
cells holding that KPI's values and targets, and those cells hold the engine's history."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image as PilImage

from scorecard.strategy.models import Scorecard
from tests.reports.test_reports import QUERY, demo, signed_in  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def workbook(client: Client) -> Any:
    answer = client.get(reverse("scorecard_report_xlsx", args=["northwind", "company"]), QUERY)
    assert answer.status_code == 200
    return load_workbook(io.BytesIO(answer.content))


def test_the_map_picture_and_a_chart_per_kpi(demo: Scorecard) -> None:  # noqa: F811
    client = signed_in("viewer")
    book = workbook(client)
    page = client.get(reverse("scorecard_detail", args=["northwind", "company"]), QUERY)
    result = page.context["page"].result
    # The map: one PNG picture, at least as big as the web page's map.
    [picture] = book["Strategy map"]._images
    png = PilImage.open(io.BytesIO(picture._data()))
    assert png.format == "PNG" and png.width > 1000 and png.height > 600
    assert book["Strategy map"]["A1"].value == f"Strategy map of {demo.name}"
    # The charts: one per KPI with values, each reading its own block of cells.
    sheet = book["Charts"]
    charts = sheet._charts
    with_values = [
        code
        for code, kpi in result.kpis.items()
        if any(value is not None for _, value, _ in kpi.history[-12:])
    ]
    assert len(charts) == len(with_values) > 20
    titles = {sheet.cell(row=r, column=1).value: r for r in range(1, sheet.max_row + 1)}
    revenue_kpi = next(b for b in page.context["page"].rows.kpis if b.code == "revenue")
    top = titles[f"{revenue_kpi.name} ({revenue_kpi.unit})"]
    chart = next(c for c in charts if c.anchor._from.row == top - 1)
    values, targets = chart.series
    first, last = top + 2, top + 1 + len(result.kpis["revenue"].history[-12:])
    assert values.val.numRef.f == f"'Charts'!$B${first}:$B${last}"
    assert targets.val.numRef.f == f"'Charts'!$C${first}:$C${last}"
    assert values.cat.numRef.f == f"'Charts'!$A${first}:$A${last}"
    assert values.tx.strRef.f == f"'Charts'!B{top + 1}"
    cells = [
        (row[0].date(), row[1], row[2])
        for row in sheet.iter_rows(min_row=first, max_row=last, max_col=3, values_only=True)
    ]
    assert cells == [tuple(h) for h in result.kpis["revenue"].history[-12:]]


def test_an_empty_scorecard_says_so(world: Any) -> None:
    book = workbook(world.client_for("viewer"))
    assert book["Strategy map"]["A3"].value == "This scorecard has no objectives yet."
    assert book["Strategy map"]._images == []
    assert book["Charts"]["A1"].value == "No KPI of this scorecard has values yet."
    assert book["Charts"]._charts == []
