"""Reasons shown beside a KPI without a value (a formula dividing by zero names its
zero denominator), for the scorecard page, the KPI page and the reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import ngettext

from scorecard.engine.evaluate import ScorecardResult
from scorecard.engine.why import no_data_message

from .findings import translated
from .numbers import pct


def no_data_reasons(result: ScorecardResult, kpis: Iterable[Any]) -> dict[str, str]:
    """KPI code → why it has no value, for the KPIs whose formula failed in the window
    (``kpis`` are the scorecard's KPI rows, read for their formulas)."""
    values = {code: k.value for code, k in result.kpis.items()}
    reasons = {}
    for kpi in kpis:
        found = result.kpis.get(kpi.code)
        if found is None or not found.flag:
            continue
        message = no_data_message(found.flag, kpi.formula, values)
        reasons[kpi.code] = "" if message is None else translated(message)
    return reasons


def coverage_text(result: ScorecardResult) -> str:
    """How much data a score rests on, in words: "from 12 of 40 KPIs (31.0 % of the
    weight)" (docs/scoring.md, "Coverage")."""
    counted = result.kpis_counted
    return ngettext(
        "from %(scored)d of %(counted)d KPI (%(weight)s of the weight)",
        "from %(scored)d of %(counted)d KPIs (%(weight)s of the weight)",
        counted,
    ) % {"scored": result.kpis_scored, "counted": counted, "weight": pct(result.coverage)}
