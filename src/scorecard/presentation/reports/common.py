"""What the PDF and the XLSX report both write about a report's numbers."""

from __future__ import annotations

from collections import Counter

from scorecard.reports.data import ReportData

from ..numbers import period_label


def period_text(data: ReportData) -> str:
    """The period choice and the window most KPIs show: ``Latest period · Oct 2026``."""
    windows = Counter(period_label(k.row.result.window) for k in data.kpi_blocks)
    if not windows:
        return data.view_label
    common, _ = windows.most_common(1)[0]
    more = " for most KPIs" if len(windows) > 1 else ""
    return f"{data.view_label} · {common}{more}"
