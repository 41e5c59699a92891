"""When did the structure a scorecard is scored with last change?

Values are versioned (every measurement keeps when it was recorded, approved and
replaced), so "numbers as known at a moment" leaves out later values exactly. The
structure — weights, formulas, thresholds, targets, policies — is kept only as it is
now; the change history (audit.Change) says when it changed. A view of an earlier
moment scored with today's structure uses this to say so plainly ("Scored with
today's weights and formulas; the structure changed on 24 Nov 2026"). Review meetings
keep their whole input and need no such note (meetings/frozen.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from scorecard.audit.models import Change

#: The fields whose change changes how a scorecard is scored, by history kind.
STRUCTURE_FIELDS: dict[str, frozenset[str]] = {
    "kpi": frozenset(
        {
            "objective",
            "optimization",
            "baseline",
            "baseline_date",
            "minimum",
            "maximum",
            "target",
            "target_date",
            "tolerance",
            "band_low",
            "band_high",
            "red_flag",
            "weight",
            "update_interval",
            "time_aggregation",
            "indicator",
            "formula",
            "formula_mode",
            "thresholds",
            "target_aggregation",
            "unit_rollup",
            "code",
        }
    ),
    "objective": frozenset({"weight", "perspective", "code"}),
    "perspective": frozenset({"weight"}),
    "scorecard": frozenset({"aggregator", "missing_policy", "score_cap", "min_coverage"}),
    "target": frozenset({"value", "period_start"}),
}
#: Adding or removing a KPI, objective or perspective changes the structure too; a
#: target set later is left out by "as known at" already (targets keep when they were set).
WHOLE_ITEM_KINDS = frozenset({"kpi", "objective", "perspective"})


@dataclass(frozen=True)
class StructureChange:
    """The first change of the scoring structure after a moment, and how many followed."""

    at: dt.datetime
    label: str
    kind: str
    count: int

    @property
    def note(self) -> str:
        """The plain sentence pages, reports and the API show."""
        day = timezone.localtime(self.at)
        more = self.count - 1
        also = f" and {more} more change{'s' if more > 1 else ''}" if more else ""
        return (
            "Scored with today's weights and formulas; the structure changed on "
            f"{day.day} {day:%b %Y} ({self.kind} “{self.label}”{also})."
        )


def _structural(kind: str, action: str, before: object, after: object) -> bool:
    if action in (Change.Action.CREATED, Change.Action.DELETED):
        return kind in WHOLE_ITEM_KINDS or (kind == "target" and action == Change.Action.DELETED)
    if action != Change.Action.CHANGED:
        return False
    fields = STRUCTURE_FIELDS.get(kind, frozenset())
    changed = set(after) if isinstance(after, dict) else set()
    if isinstance(before, dict):
        changed |= set(before)
    return bool(changed & fields)


def structure_changed_after(scorecard_id: int, moment: dt.datetime) -> StructureChange | None:
    """The first change after ``moment`` to how ``scorecard_id`` is scored, or None when
    today's structure is the one of then (one query)."""
    first: tuple[dt.datetime, str, str] | None = None
    count = 0
    for at, kind, action, label, before, after in (
        Change.objects.filter(
            scorecard_id=scorecard_id, at__gt=moment, kind__in=list(STRUCTURE_FIELDS)
        )
        .order_by("at", "id")
        .values_list("at", "kind", "action", "label", "before", "after")
    ):
        if _structural(kind, action, before, after):
            count += 1
            if first is None:
                first = (at, label, kind)
    if first is None:
        return None
    kind = {"kpi": "KPI"}.get(first[2], first[2])
    return StructureChange(at=first[0], label=first[1], kind=kind, count=count)
