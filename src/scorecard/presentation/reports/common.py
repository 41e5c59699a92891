"""What the PDF and the XLSX report both write about a report's numbers."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from scorecard.reports.data import ReportData

from ..numbers import period_label


def period_text(data: ReportData) -> str:
    """The period choice and the window most KPIs show: ``Latest period · Oct 2026``."""
    windows = Counter(period_label(k.row.result.window) for k in data.kpi_blocks)
    if not windows:
        return data.view_label
    common, _count = windows.most_common(1)[0]
    if len(windows) > 1:
        return _("%(view)s · %(window)s for most KPIs") % {
            "view": data.view_label,
            "window": common,
        }
    return f"{data.view_label} · {common}"
