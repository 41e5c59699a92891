"""What the planning app adds to pages of the web app: the KPI page's planning panel and
forecast chart, the evidence marks of the strategy map, and the "at risk" marks of the
scorecard table and the map.

Kept apart from planning/views.py so that web/views.py can import it without a cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from scorecard import clock
from scorecard.engine.evaluate import ScorecardInput
from scorecard.kpis.evaluation import ScorecardRows, kpi_spec, scorecard_input
from scorecard.kpis.models import Kpi
from scorecard.kpis.scorecard_selectors import ScorecardPage
from scorecard.organizations.models import Membership
from scorecard.planning import selectors
from scorecard.presentation.charts import status_zones, value_range
from scorecard.presentation.numbers import format_number
from scorecard.presentation.planning import word_planning
from scorecard.presentation.planning_charts import forecast_chart
from scorecard.strategy.models import Scorecard
from scorecard.web.parsing import parse_number

VERDICT_LABELS = {
    "supported": gettext_lazy("Supported"),
    "weak": gettext_lazy("Weak"),
    "contradicted": gettext_lazy("Contradicted"),
    "untested": gettext_lazy("Untested"),
}


def kpi_page_extras(
    request: HttpRequest,
    scorecard: Scorecard,
    kpi: Kpi,
    membership: Membership,
    result: Any,
    as_of: dt.date,
    rows: ScorecardRows | None = None,
    sc: ScorecardInput | None = None,
) -> dict[str, Any]:
    """What the planning app adds to the KPI page: the planning panel and a chart with
    the forecast band (replacing the plain history chart when there is a forecast)."""
    problems: list[str] = []

    def number(name: str) -> float | None:
        try:
            return parse_number(request.GET.get(name))
        except ValueError:
            problems.append(gettext("“%(raw)s” is not a number.") % {"raw": request.GET.get(name)})
            return None

    # The values and targets the page already scored, when it passes them.
    sc = sc or scorecard_input(scorecard, rows=rows)
    planning = word_planning(
        selectors.kpi_planning(
            kpi=kpi,
            as_of=as_of,
            window=result.window,
            current_target=result.target,
            growth_end=number("growth_end"),
            growth_years=number("growth_years"),
            check_value=number("check"),
            sc=sc,
        )
    )
    extras: dict[str, Any] = {
        "planning": planning,
        "planning_problems": problems,
        "growth_end": request.GET.get("growth_end", ""),
        "growth_years": request.GET.get("growth_years", ""),
        "check_value": request.GET.get("check", ""),
        "today_iso": clock.today().isoformat(),
    }
    if planning.forecast and result.history:
        future = [(p.period.start, p.value, p.low, p.high, p.target) for p in planning.forecast]
        extra = [n for p in planning.forecast for n in (p.low, p.high, p.target)]
        low, high = value_range(result.history, extra)
        latest = next((t for _, _, t in reversed(result.history) if t is not None), None)
        extras["chart"] = forecast_chart(
            result.history,
            future,
            title=gettext("History of %(name)s: values, targets, the forecast and its 80 %% range")
            % {"name": kpi.name},
            formatter=lambda v: format_number(v, kpi.unit),
            zones=status_zones(kpi_spec(kpi), latest, low, high),
            y_range=(low, high),
        )
    return extras


def map_link_marks(
    scorecard: Scorecard,
    as_of: dt.date,
    rows: ScorecardRows | None = None,
    links: list[tuple[int, int]] | None = None,
) -> dict[tuple[str, str], tuple[str, str]]:
    """For the strategy map: (cause code, effect code) → (verdict, a sentence for the tooltip)."""
    marks = {}
    for item in selectors.link_evidence(scorecard=scorecard, as_of=as_of, rows=rows, links=links):
        found = item.evidence
        if found is None or found.r is None:
            text = (
                gettext("untested: too little data")
                if not item.reason
                else gettext("untested: %(reason)s") % {"reason": item.reason}
            )
        else:
            verdict = str(VERDICT_LABELS[found.verdict]).lower()
            text = gettext("%(verdict)s: r = %(r)s at a lag of %(lag)s") % {
                "verdict": verdict,
                "r": f"{found.r:.2f}",
                "lag": found.best_lag,
            }
        marks[(item.link.cause.code, item.link.effect.code)] = (item.verdict, text)
    return marks


def risk_marks(page: ScorecardPage, as_of: dt.date) -> dict[str, selectors.RiskMark]:
    """KPI code → "at risk" mark for the scorecard page and the map (one query, the
    rule; the forecasts use the values the page already loaded)."""
    if page.input is None:
        return {}
    return selectors.at_risk_marks(
        scorecard=page.scorecard, sc=page.input, result=page.result, as_of=as_of
    )
