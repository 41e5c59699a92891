"""Reads of the change history: which changes an item's history page shows, with the
KPIs they name and the pages of the items that still exist. Rows, not words: the
presentation layer (presentation/history.py) turns them into sentences."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from scorecard.audit.models import VALUE_KINDS, Change
from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.meetings.models import ReviewMeeting
from scorecard.strategy.models import Objective, Scorecard

#: How many entries one history page shows; older ones are a link away.
PAGE_SIZE = 100
# VALUE_KINDS (measurement, target): the kinds that are numbers rather than structure.
# The scorecard history can filter them; the objective history leaves them out, with
# the very condition of the partial index on the objective (audit.models), so the two
# are one tuple.
#: Which item's page a change of each kind belongs on.
KPI_KINDS = ("kpi", "target", "measurement")
OBJECTIVE_KINDS = ("objective", "link", "alignment")
INITIATIVE_KINDS = ("initiative", "task")


@dataclass
class HistoryRows:
    """One page of changes, newest first, with what describing and linking them needs."""

    changes: list[Change]
    #: The KPIs the changes name, by id (for their units and periods).
    kpis: dict[int, Kpi]
    #: The fiscal year's first month of the scorecard's organization.
    fiscal: int
    #: Where the next (older) page starts, if there is one.
    older: int | None
    #: The page of each change's item while it still exists, by change id:
    #: ("kpi", code), ("objective", code), ("initiative", pk) or ("meeting", pk).
    links: dict[int, tuple[str, str]] = field(default_factory=dict)


def _rows(
    rows: QuerySet[Change], *, before_id: int | None, fiscal: int, limit: int = PAGE_SIZE
) -> HistoryRows:
    """Two queries whatever the page holds (the changes, then the KPIs they name), plus at
    most three for the links."""
    if before_id is not None:
        rows = rows.filter(id__lt=before_id)
    changes = list(rows.order_by("-id")[: limit + 1])
    older = changes[limit - 1].pk if len(changes) > limit else None
    changes = changes[:limit]
    kpi_ids = {c.kpi_id for c in changes if c.kpi_id}
    kpis = {k.pk: k for k in Kpi.objects.filter(pk__in=kpi_ids)} if kpi_ids else {}
    page = HistoryRows(changes=changes, kpis=kpis, fiscal=fiscal, older=older)
    _add_links(page)
    return page


def _add_links(page: HistoryRows) -> None:
    """Point each entry at its item's page, if the item still exists (at most three
    queries for the page: objectives, initiatives and meetings still there)."""
    changes, kpis = page.changes, page.kpis
    objective_ids = {
        c.objective_id for c in changes if c.objective_id and c.kind in OBJECTIVE_KINDS
    }
    initiative_ids = {c.initiative_id for c in changes if c.initiative_id}
    meeting_ids = {c.object_id for c in changes if c.kind == "meeting"}
    objectives = (
        dict(Objective.objects.filter(pk__in=objective_ids).values_list("pk", "code"))
        if objective_ids
        else {}
    )
    initiatives = (
        set(Initiative.objects.filter(pk__in=initiative_ids).values_list("pk", flat=True))
        if initiative_ids
        else set()
    )
    meetings = (
        set(ReviewMeeting.objects.filter(pk__in=meeting_ids).values_list("pk", flat=True))
        if meeting_ids
        else set()
    )
    for c in changes:
        if c.kind in KPI_KINDS and c.kpi_id in kpis:
            page.links[c.pk] = ("kpi", kpis[c.kpi_id].code)
        elif c.kind in OBJECTIVE_KINDS and c.objective_id in objectives:
            page.links[c.pk] = ("objective", objectives[c.objective_id])
        elif c.kind in INITIATIVE_KINDS and c.initiative_id in initiatives:
            page.links[c.pk] = ("initiative", str(c.initiative_id))
        elif c.kind == "meeting" and c.object_id in meetings:
            page.links[c.pk] = ("meeting", str(c.object_id))


def kpi_changes(*, kpi: Kpi, before_id: int | None = None) -> HistoryRows:
    """The KPI's definition, targets and values, newest change first."""
    rows = Change.objects.filter(scorecard_id=kpi.scorecard_id, kpi_id=kpi.pk)
    return _rows(rows, before_id=before_id, fiscal=_fiscal(kpi.scorecard_id))


def objective_changes(*, objective: Objective, before_id: int | None = None) -> HistoryRows:
    """The objective, its links and its KPIs' definitions (values are on the KPI pages)."""
    rows = Change.objects.filter(scorecard_id=objective.scorecard_id).filter(
        Q(objective_id=objective.pk) | Q(related_objective_id=objective.pk)
    )
    rows = rows.exclude(kind__in=VALUE_KINDS)
    return _rows(rows, before_id=before_id, fiscal=_fiscal(objective.scorecard_id))


def initiative_changes(*, initiative: Initiative, before_id: int | None = None) -> HistoryRows:
    """The initiative and its tasks."""
    rows = Change.objects.filter(scorecard_id=initiative.scorecard_id, initiative_id=initiative.pk)
    return _rows(rows, before_id=before_id, fiscal=_fiscal(initiative.scorecard_id))


def scorecard_changes(
    *, scorecard: Scorecard, show: str = "all", before_id: int | None = None
) -> HistoryRows:
    """Everything that changed in the scorecard, or only its structure, or only numbers."""
    rows = Change.objects.filter(scorecard_id=scorecard.pk)
    if show == "structure":
        rows = rows.exclude(kind__in=VALUE_KINDS)
    elif show == "values":
        rows = rows.filter(kind__in=VALUE_KINDS)
    return _rows(rows, before_id=before_id, fiscal=scorecard.organization.fiscal_year_start_month)


def _fiscal(scorecard_id: int) -> int:
    """The fiscal year's first month of the scorecard's organization (one query)."""
    found = (
        Scorecard.objects.filter(pk=scorecard_id)
        .values_list("organization__fiscal_year_start_month", flat=True)
        .first()
    )
    return found or 1
