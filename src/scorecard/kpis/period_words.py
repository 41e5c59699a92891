"""The period views in words: one list for every page, form, report and history entry.

The engine names the views (``View``); people choose them from this list, worded the same
everywhere (the scorecard page, the map, dashboards, deliveries, review meetings, reports).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from scorecard.engine.types import View

#: (code, label) for each period view, in the order they are offered.
VIEW_CHOICES: list[tuple[str, Promise]] = [
    (View.PERIOD.value, gettext_lazy("Latest period")),
    (View.MONTH.value, gettext_lazy("Month")),
    (View.QUARTER.value, gettext_lazy("Quarter")),
    (View.HALF_YEAR.value, gettext_lazy("Half-year")),
    (View.YTD.value, gettext_lazy("Year to date")),
    (View.YEAR.value, gettext_lazy("Year")),
]
#: The label of each view code.
VIEW_LABELS: dict[str, Promise] = dict(VIEW_CHOICES)


def view_label(code: str) -> str:
    """The view's label in the active language; an unknown code is shown as it is."""
    label = VIEW_LABELS.get(code)
    return str(label) if label is not None else code
