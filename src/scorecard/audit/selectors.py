"""Reads of the history and of notifications, in words people read.

Every function loads its page's rows in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi, Measurement, Target
from scorecard.meetings.models import Decision, ReviewMeeting
from scorecard.strategy.models import Objective, ObjectiveLink, Perspective, Scorecard
from scorecard.web.templatetags.scorecard_format import format_number, pct, period_label

from .models import Change, Notification

DASH = "—"
#: How many entries one history page shows; older ones are a link away.
PAGE_SIZE = 100
#: The noun of each kind of item, as a sentence uses it.
KIND_NOUNS = {
    "scorecard": "scorecard",
    "perspective": "perspective",
    "objective": "objective",
    "link": "cause-effect link",
    "kpi": "KPI",
    "target": "target of",
    "measurement": "value of",
    "initiative": "initiative",
    "task": "task",
    "meeting": "review meeting",
    "decision": "decision",
}
MODELS: dict[str, Any] = {
    "scorecard": Scorecard,
    "perspective": Perspective,
    "objective": Objective,
    "link": ObjectiveLink,
    "kpi": Kpi,
    "target": Target,
    "measurement": Measurement,
    "initiative": Initiative,
    "task": Task,
    "meeting": ReviewMeeting,
    "decision": Decision,
}
#: Kinds that are numbers rather than structure (the scorecard history can filter them).
VALUE_KINDS = ("measurement", "target")
#: Fields shown as percentages (stored as fractions).
PERCENT_FIELDS = {"progress"}
#: Fields that hold money.
MONEY_FIELDS = {"budget", "spent"}
#: Stored codes shown in words: the period a review meeting looked at (no model choices).
CODE_LABELS: dict[tuple[Any, str], dict[str, str]] = {
    (ReviewMeeting, "view"): {
        et.View.PERIOD.value: "Latest period",
        et.View.MONTH.value: "Month",
        et.View.QUARTER.value: "Quarter",
        et.View.HALF_YEAR.value: "Half-year",
        et.View.YTD.value: "Year to date",
        et.View.YEAR.value: "Year",
    },
}
#: Fields measured in the KPI's own unit.
KPI_UNIT_FIELDS = {
    "baseline", "minimum", "maximum", "target", "tolerance", "band_low", "band_high", "red_flag",
}  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One changed field: its name and the value before and after, as text."""

    field: str
    before: str
    after: str


@dataclass
class Entry:
    """A history entry in words: who did what to which item, and what changed."""

    change: Change
    who: str
    verb: str
    noun: str
    name: str
    period: str = ""
    lines: list[Line] = field(default_factory=list)
    #: The page of the item this change is about, while it still exists: ("kpi", code),
    #: ("objective", code), ("initiative", pk) or ("meeting", pk); None once deleted.
    link: tuple[str, str] | None = None

    @property
    def at(self) -> dt.datetime:
        return self.change.at


#: Field names worded as the pages word them (the model's own names are terse).
FIELD_LABELS: dict[tuple[Any, str], str] = {
    (ReviewMeeting, "as_of"): "Numbers as of",
    (ReviewMeeting, "known_at"): "Numbers as known at",
    (ReviewMeeting, "view"): "Period",
}


def _field_label(model: Any, name: str) -> str:
    if name == "period_start":
        return "Period"
    if (model, name) in FIELD_LABELS:
        return FIELD_LABELS[(model, name)]
    try:
        verbose = model._meta.get_field(name).verbose_name
    except Exception:
        verbose = name.replace("_", " ")
    return str(verbose)[:1].upper() + str(verbose)[1:]


def _choice_label(model: Any, name: str, value: Any) -> str | None:
    try:
        choices = model._meta.get_field(name).choices
    except Exception:
        return None
    if not choices:
        return None
    return next((str(label) for key, label in choices if key == value), None)


def _date_text(raw: str) -> str:
    """An ISO date as "23 Nov 2026"; an ISO moment with its time, in the site's time zone."""
    if len(raw) > 10 and raw[10:11] in {"T", " "}:
        try:
            moment = dt.datetime.fromisoformat(raw)
        except ValueError:
            return raw
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment.day} {moment:%b %Y %H:%M}"
    try:
        day = dt.date.fromisoformat(raw[:10])
    except ValueError:
        return raw
    return f"{day.day} {day:%b %Y}"


def _thresholds_text(bands: Any) -> str:
    try:
        parts = [
            f"{band['status']} from {pct(band['lower'])}"
            for band in bands
            if band.get("lower") is not None
        ]
    except (TypeError, KeyError, AttributeError):
        return json.dumps(bands)[:300]
    return ", ".join(parts) or "the usual thirds"


def value_text(model: Any, name: str, value: Any, unit: str = "") -> str:
    """A stored value as people read it."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and "label" in value:
        return str(value["label"]) or f"#{value.get('id')}"
    if isinstance(value, list):
        if name == "thresholds":
            return _thresholds_text(value)
        return ", ".join(str(v.get("label", v)) for v in value if isinstance(v, dict)) or "none"
    choice = _choice_label(model, name, value)
    if choice is not None:
        return choice
    codes = CODE_LABELS.get((model, name))
    if codes and isinstance(value, str):
        return codes.get(value, value)
    if name in PERCENT_FIELDS:
        return pct(value)
    if name in MONEY_FIELDS:
        return format_number(value)
    if isinstance(value, int | float):
        return format_number(value, unit if name in KPI_UNIT_FIELDS | {"value"} else "")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        return _date_text(value)
    text = str(value)
    return text if len(text) <= 400 else text[:399] + "…"


def _period_text(kpi: Kpi | None, raw: str | None, fiscal: int) -> str:
    if not raw:
        return ""
    try:
        start = dt.date.fromisoformat(raw)
    except ValueError:
        return raw
    if kpi is None:
        return _date_text(raw)
    period = periods.period_containing(start, et.Interval(kpi.update_interval), fiscal)
    return period_label(period)


def describe(change: Change, kpis: dict[int, Kpi], fiscal: int = 1) -> Entry:
    """One change in words: "Ana corrected the value of “Revenue” for Oct 2026: 42 → 45"."""
    model = MODELS.get(change.kind)
    before, after = change.before or {}, change.after or {}
    kpi = kpis.get(change.kpi_id) if change.kpi_id else None
    unit = kpi.unit if kpi else str(after.get("unit") or before.get("unit") or "")
    period = ""
    if change.kind in VALUE_KINDS:
        period = _period_text(kpi, after.get("period_start") or before.get("period_start"), fiscal)
    lines = []
    for key in sorted({*before, *after} - {"period_start"}):
        quiet_note = key == "note" and not (before.get(key) or after.get(key))
        if (
            quiet_note
            and change.kind in VALUE_KINDS
            and change.action in {"created", "recorded", "deleted"}
        ):
            continue
        lines.append(
            Line(
                _field_label(model, key) if model else key,
                value_text(model, key, before.get(key), unit) if change.before is not None else "",
                value_text(model, key, after.get(key), unit) if change.after is not None else "",
            )
        )
    return Entry(
        change=change,
        who=change.actor_name or "The system",
        verb=change.get_action_display(),
        noun=KIND_NOUNS.get(change.kind, change.kind),
        name=change.label,
        period=period,
        lines=lines,
    )


@dataclass
class HistoryPage:
    """One page of a history, newest first, and where the next (older) page starts."""

    entries: list[Entry]
    older: int | None


def _page(
    rows: QuerySet[Change], *, before_id: int | None, fiscal: int, limit: int = PAGE_SIZE
) -> HistoryPage:
    """Two queries whatever the page holds: the changes, then the KPIs they name."""
    if before_id is not None:
        rows = rows.filter(id__lt=before_id)
    changes = list(rows.order_by("-id")[: limit + 1])
    older = changes[limit - 1].pk if len(changes) > limit else None
    changes = changes[:limit]
    kpi_ids = {c.kpi_id for c in changes if c.kpi_id}
    kpis = {k.pk: k for k in Kpi.objects.filter(pk__in=kpi_ids)} if kpi_ids else {}
    entries = [describe(c, kpis, fiscal) for c in changes]
    _add_links(entries, kpis)
    return HistoryPage(entries, older)


def _add_links(entries: list[Entry], kpis: dict[int, Kpi]) -> None:
    """Point each entry at its item's page, if the item still exists (at most three
    queries for the page: objectives, initiatives and meetings still there)."""
    changes = [e.change for e in entries]
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
    for entry in entries:
        c = entry.change
        if c.kind in KPI_KINDS and c.kpi_id in kpis:
            entry.link = ("kpi", kpis[c.kpi_id].code)
        elif c.kind in OBJECTIVE_KINDS and c.objective_id in objectives:
            entry.link = ("objective", objectives[c.objective_id])
        elif c.kind in INITIATIVE_KINDS and c.initiative_id in initiatives:
            entry.link = ("initiative", str(c.initiative_id))
        elif c.kind == "meeting" and c.object_id in meetings:
            entry.link = ("meeting", str(c.object_id))


#: Which item's page a change of each kind belongs on.
KPI_KINDS = ("kpi", "target", "measurement")
OBJECTIVE_KINDS = ("objective", "link")
INITIATIVE_KINDS = ("initiative", "task")


def kpi_history(*, kpi: Kpi, before_id: int | None = None) -> HistoryPage:
    """The KPI's definition, targets and values, newest change first."""
    rows = Change.objects.filter(scorecard_id=kpi.scorecard_id, kpi_id=kpi.pk)
    return _page(rows, before_id=before_id, fiscal=_fiscal(kpi.scorecard_id))


def objective_history(*, objective: Objective, before_id: int | None = None) -> HistoryPage:
    """The objective, its links and its KPIs' definitions (values are on the KPI pages)."""
    rows = Change.objects.filter(scorecard_id=objective.scorecard_id).filter(
        Q(objective_id=objective.pk) | Q(related_objective_id=objective.pk)
    )
    rows = rows.exclude(kind__in=VALUE_KINDS)
    return _page(rows, before_id=before_id, fiscal=_fiscal(objective.scorecard_id))


def initiative_history(*, initiative: Initiative, before_id: int | None = None) -> HistoryPage:
    """The initiative and its tasks."""
    rows = Change.objects.filter(scorecard_id=initiative.scorecard_id, initiative_id=initiative.pk)
    return _page(rows, before_id=before_id, fiscal=_fiscal(initiative.scorecard_id))


#: The scorecard history's filter choices.
SHOW_CHOICES = [
    ("all", "Everything"),
    ("structure", "Structure only"),
    ("values", "Values and targets only"),
]


def scorecard_history(
    *, scorecard: Scorecard, show: str = "all", before_id: int | None = None
) -> HistoryPage:
    """Everything that changed in the scorecard, or only its structure, or only numbers."""
    rows = Change.objects.filter(scorecard_id=scorecard.pk)
    if show == "structure":
        rows = rows.exclude(kind__in=VALUE_KINDS)
    elif show == "values":
        rows = rows.filter(kind__in=VALUE_KINDS)
    return _page(rows, before_id=before_id, fiscal=scorecard.organization.fiscal_year_start_month)


def _fiscal(scorecard_id: int) -> int:
    """The fiscal year's first month of the scorecard's organization (one query)."""
    found = (
        Scorecard.objects.filter(pk=scorecard_id)
        .values_list("organization__fiscal_year_start_month", flat=True)
        .first()
    )
    return found or 1


# --- notifications --------------------------------------------------------------------------


def unread_count(*, user: Any) -> int:
    """How many notifications the user has not read (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(
    *, user: Any, limit: int = 50, unread_only: bool = False, pk: int | None = None
) -> list[Any]:
    """The user's latest notifications with the comment, its author and its item (one query).

    Only notifications about organizations the user still belongs to are shown.
    """
    rows = Notification.objects.filter(user=user).filter(
        Q(comment__kpi__scorecard__organization__memberships__user=user)
        | Q(comment__objective__scorecard__organization__memberships__user=user)
        | Q(comment__initiative__scorecard__organization__memberships__user=user)
    )
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return list(
        rows.select_related(
            "comment__author",
            "comment__kpi__scorecard__organization",
            "comment__objective__scorecard__organization",
            "comment__initiative__scorecard__organization",
        )
        .distinct()
        .order_by("-created_at", "-id")[:limit]
    )


def notification_item(notification: Notification) -> tuple[str, Any, Scorecard]:
    """The kind, the item and the scorecard a notification's comment is about."""
    comment = notification.comment
    if comment.kpi_id:
        return "KPI", comment.kpi, comment.kpi.scorecard  # type: ignore[union-attr]
    if comment.objective_id:
        return "objective", comment.objective, comment.objective.scorecard  # type: ignore[union-attr]
    return "initiative", comment.initiative, comment.initiative.scorecard  # type: ignore[union-attr]
