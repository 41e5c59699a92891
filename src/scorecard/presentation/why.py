"""Reasons shown beside a KPI without a value (a formula dividing by zero names its
zero denominator), for the scorecard page, the KPI page and the reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scorecard.engine.evaluate import ScorecardResult
from scorecard.engine.why import no_data_reason

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
        reasons[kpi.code] = no_data_reason(found.flag, kpi.formula, values)
    return reasons


def coverage_text(result: ScorecardResult) -> str:
    """How much data a score rests on, in words: "from 12 of 40 KPIs (31.0 % of the
    weight)" (docs/scoring.md, "Coverage")."""
    counted = result.kpis_counted
    plural = "" if counted == 1 else "s"
    return (
        f"from {result.kpis_scored} of {counted} KPI{plural} ({pct(result.coverage)} of the weight)"
    )
