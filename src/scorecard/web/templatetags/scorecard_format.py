"""Template filters for numbers, periods and statuses (see presentation/numbers.py).

``{% load scorecard_format %}``; the functions themselves live in the presentation
layer so that reports and e-mails format exactly as pages do.
"""

from __future__ import annotations

from django import template

from scorecard import dates
from scorecard.presentation import findings, numbers, planning

register = template.Library()

register.filter("num", numbers.num)
register.filter("plain", numbers.plain)
register.filter("pct", numbers.pct)
register.filter("bar_width", numbers.bar_width)
register.filter("percent_input", numbers.percent_input)
register.filter("period_label", numbers.period_label)
register.filter("status_label", numbers.status_label)
register.filter("trend_arrow", numbers.trend_arrow)
register.filter("trend_meaning", numbers.trend_meaning)
register.filter("trend_words", numbers.trend_words)
register.filter("get_item", numbers.get_item)
register.filter("person", numbers.person)
# An engine sentence (engine/text.py) in the reader's language; other text as it is.
register.filter("translated", findings.translated)
# Dates in the active language (French months as the French abbreviate them): use these
# rather than Django's ``date:"j M Y"``, whose French ``Jui`` could be June or July.
register.filter("day", dates.day_month_year)
register.filter("day_time", dates.day_time)
register.filter("month_year", dates.month_year)
register.filter("chance", planning.chance_text)
register.filter("proposal_input", planning.proposal_input)
register.filter("risk_short", planning.risk_short)
register.filter("risk_explanation", planning.risk_explanation)
