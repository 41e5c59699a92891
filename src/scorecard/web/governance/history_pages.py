"""History pages' content: the history selectors' rows, put in words by the presenter."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from scorecard.history import selectors
from scorecard.history.selectors import PAGE_SIZE
from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.presentation.history import HistoryPage, history_page
from scorecard.strategy.models import Objective, Scorecard

__all__ = ["PAGE_SIZE", "SHOW_CHOICES", "HistoryPage"]

#: The scorecard history's filter choices.
SHOW_CHOICES = [
    ("all", _("Everything")),
    ("structure", _("Structure only")),
    ("values", _("Values and targets only")),
]


def kpi_history(*, kpi: Kpi, before_id: int | None = None) -> HistoryPage:
    """The KPI's definition, targets and values, newest change first."""
    return history_page(selectors.kpi_changes(kpi=kpi, before_id=before_id))


def objective_history(*, objective: Objective, before_id: int | None = None) -> HistoryPage:
    """The objective, its links and its KPIs' definitions (values are on the KPI pages)."""
    return history_page(selectors.objective_changes(objective=objective, before_id=before_id))


def initiative_history(*, initiative: Initiative, before_id: int | None = None) -> HistoryPage:
    """The initiative and its tasks."""
    return history_page(selectors.initiative_changes(initiative=initiative, before_id=before_id))


def scorecard_history(
    *, scorecard: Scorecard, show: str = "all", before_id: int | None = None
) -> HistoryPage:
    """Everything that changed in the scorecard, or only its structure, or only numbers."""
    return history_page(
        selectors.scorecard_changes(scorecard=scorecard, show=show, before_id=before_id)
    )
