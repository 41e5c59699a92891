"""Template pieces of the governance features, for pages other helpers own.

``{% load governance %}`` gives:

- ``{{ text|mentions:members }}`` — escaped text with members' @mentions linked
- ``{{ measurement|value_period:fiscal }}`` — the KPI period a value is for

The panels these filters serve (comments, values waiting for approval, the home page's
mentions) get their data from web/panels.py through their views.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from scorecard.kpis import selectors as kpi_selectors
from scorecard.kpis.models import Measurement
from scorecard.reviews.mentions import MENTION

register = template.Library()
#: How many comments an item's page shows.
COMMENTS_SHOWN = 50


@register.filter
def mentions(text: str, members: dict[str, Any] | None) -> SafeString:
    """Escape ``text``, keep its line breaks and link the @mentions of ``members``
    (a mapping user name → (user, url)); other @words stay plain text."""
    members = members or {}
    out: list[str] = []
    last = 0
    for match in MENTION.finditer(text):
        name = match.group(1)
        if name not in members:
            continue
        user, url = members[name]
        out.append(escape(text[last : match.start()]))
        full = user.get_full_name() or name
        out.append(format_html('<a class="mention" href="{}" title="{}">@{}</a>', url, full, name))
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out).replace("\n", "<br>"))


@register.filter
def value_period(measurement: Measurement, fiscal: int = 1) -> Any:
    """The KPI period a value is for (for ``period_label``)."""
    return kpi_selectors.kpi_period(measurement.kpi, measurement.period_start, fiscal)
