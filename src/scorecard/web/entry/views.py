"""Catching up: the user's KPIs × the last N periods in one grid, saved all or nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from scorecard import clock
from scorecard.kpis.grid import MAX_PERIODS, multi_period_grid
from scorecard.kpis.numbers import number_from_text
from scorecard.kpis.services import MeasurementRow, MeasurementRowsError, measurement_bulk_record
from scorecard.presentation.numbers import period_label, plain_number

from ..access import scorecard_for
from ..parsing import clean_number
from ..queries import saved_values_text

DEFAULT_PERIODS = 6


def _count(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or DEFAULT_PERIODS), MAX_PERIODS))
    except ValueError:
        return DEFAULT_PERIODS


@login_required
@require_http_methods(["GET", "POST"])
def data_entry_periods(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The KPIs the user may fill × their last N periods (``?periods=N``, 6 by default).

    Only the cells whose number changed are sent to measurement_bulk_record, all or
    nothing: one wrong cell and nothing is saved, each wrong cell saying why.
    """
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "contributor")
    count = _count(request.GET.get("periods"))
    grid = multi_period_grid(
        scorecard=scorecard, user=request.user, role=membership.role, as_of=clock.today(),
        count=count,
    )  # fmt: skip
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        rows: list[MeasurementRow] = []
        names: list[str] = []
        for row in grid:
            for cell in row.cells:
                name = f"v-{row.kpi.pk}-{cell.name}"
                raw = request.POST.get(name, "")
                typed[name] = raw
                if not clean_number(raw):
                    continue  # an empty cell records nothing (and removes nothing)
                try:
                    value = number_from_text(raw)
                except ValueError as exc:
                    errors[name] = str(exc)
                    continue
                current = cell.current
                if current is not None and current.value == value:
                    continue  # unchanged
                note = current.note if current is not None else ""
                rows.append(MeasurementRow(len(rows), row.kpi, cell.period.start, value, note))
                names.append(name)
        if not errors:
            try:
                result = measurement_bulk_record(rows=rows, user=request.user)
            except MeasurementRowsError as exc:
                for error in exc.row_errors:
                    errors[names[error.index]] = error.message
            else:
                changed = result.created + result.corrected
                messages.success(request, saved_values_text(changed, result.corrected))
                url = reverse("data_entry_periods", args=[org_slug, sc_slug])
                return redirect(f"{url}?periods={count}")
    lines = [
        {
            "kpi": row.kpi,
            "cells": [
                {
                    "name": f"v-{row.kpi.pk}-{cell.name}",
                    "label": period_label(cell.period),
                    "value": typed.get(f"v-{row.kpi.pk}-{cell.name}")
                    if request.method == "POST"
                    else ("" if cell.current is None else plain_number(cell.current.value)),
                    "error": errors.get(f"v-{row.kpi.pk}-{cell.name}"),
                }
                for cell in row.cells
            ],
        }
        for row in grid
    ]
    return render(
        request,
        "web/entry/periods.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "rows": lines,
            "count": count,
            "choices": [3, 6, 12, 24],
            "errors": errors,
        },
        status=422 if errors else 200,
    )
