"""The change history in words: "Ana corrected the value of “Revenue” for Oct 2026: 42 → 45".

Takes the rows that history.selectors read and writes the sentences the history pages
show; it reads model metadata (field names, choices) but never queries the database.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from scorecard.audit.models import Change
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.history.selectors import VALUE_KINDS, HistoryRows
from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi, Measurement, Target
from scorecard.kpis.period_words import VIEW_LABELS
from scorecard.meetings.models import Decision, ReviewMeeting
from scorecard.strategy.models import (
    Objective,
    ObjectiveAlignment,
    ObjectiveLink,
    Perspective,
    Scorecard,
)

from .numbers import format_number, pct, period_label

DASH = "—"
#: How many entries one history page shows; older ones are a link away.
PAGE_SIZE = 100
#: The noun of each kind of item, as a sentence uses it.
KIND_NOUNS: dict[str, Any] = {
    "scorecard": pgettext_lazy("history noun", "scorecard"),
    "perspective": pgettext_lazy("history noun", "perspective"),
    "objective": pgettext_lazy("history noun", "objective"),
    "link": pgettext_lazy("history noun", "cause-effect link"),
    "alignment": pgettext_lazy("history noun", "alignment"),
    "kpi": pgettext_lazy("history noun", "KPI"),
    "target": pgettext_lazy("history noun", "target of"),
    "measurement": pgettext_lazy("history noun", "value of"),
    # An import's one entry per KPI (action "imported") is about all its new values.
    "imported": pgettext_lazy("history noun", "values of"),
    "initiative": pgettext_lazy("history noun", "initiative"),
    "task": pgettext_lazy("history noun", "task"),
    "meeting": pgettext_lazy("history noun", "review meeting"),
    "decision": pgettext_lazy("history noun", "decision"),
}
MODELS: dict[str, Any] = {
    "scorecard": Scorecard,
    "perspective": Perspective,
    "objective": Objective,
    "link": ObjectiveLink,
    "alignment": ObjectiveAlignment,
    "kpi": Kpi,
    "target": Target,
    "measurement": Measurement,
    "initiative": Initiative,
    "task": Task,
    "meeting": ReviewMeeting,
    "decision": Decision,
}
#: Fields shown as percentages (stored as fractions).
PERCENT_FIELDS = {"progress", "share"}
#: Fields that hold money.
MONEY_FIELDS = {"budget", "spent"}
#: Stored codes shown in words: the period a review meeting looked at (no model choices).
CODE_LABELS: dict[tuple[Any, str], dict[str, Any]] = {
    (ReviewMeeting, "view"): VIEW_LABELS,
}
#: Fields measured in the KPI's own unit.
KPI_UNIT_FIELDS = {
    "baseline", "minimum", "maximum", "target", "tolerance", "band_low", "band_high", "red_flag",
}  # fmt: skip


#: A word longer than this may be broken anywhere in a history's table (a pasted link
#: in a note); shorter ones are kept whole ("51,430 visits" does not become "visi|ts").
WHOLE_WORD = 20


@dataclass(frozen=True)
class Line:
    """One changed field: its name and the value before and after, as text."""

    field: str
    before: str
    after: str

    @property
    def whole_words(self) -> bool:
        """No word of either text is longer than :data:`WHOLE_WORD` characters: the
        lines may wrap between words only (a number stays with its unit), and the
        column is never narrower than its longest word."""
        return all(len(word) <= WHOLE_WORD for word in f"{self.before} {self.after}".split())


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
FIELD_LABELS: dict[tuple[Any, str], Any] = {
    (ReviewMeeting, "as_of"): gettext_lazy("Numbers as of"),
    (ReviewMeeting, "known_at"): gettext_lazy("Numbers as known at"),
    (ReviewMeeting, "view"): gettext_lazy("Period"),
}
#: The fields most changes touch, in words (any model; the model's own name otherwise).
FIELD_NAMES: dict[str, Any] = {
    "name": gettext_lazy("Name"),
    "description": gettext_lazy("Description"),
    "code": gettext_lazy("Code"),
    "weight": gettext_lazy("Weight"),
    "owner": gettext_lazy("Owner"),
    "updater": gettext_lazy("Updater"),
    "unit": gettext_lazy("Unit"),
    "kind": gettext_lazy("Kind"),
    "target": gettext_lazy("Target"),
    "minimum": gettext_lazy("Minimum"),
    "maximum": gettext_lazy("Maximum"),
    "baseline": gettext_lazy("Baseline"),
    "tolerance": gettext_lazy("Tolerance"),
    "formula": gettext_lazy("Formula"),
    "optimization": gettext_lazy("Scoring"),
    "update_interval": gettext_lazy("Interval"),
    "thresholds": gettext_lazy("Thresholds"),
    "value": gettext_lazy("Value"),
    "values": gettext_lazy("Values"),
    "note": gettext_lazy("Note"),
    "status": gettext_lazy("Status"),
    "state": gettext_lazy("State"),
    "progress": gettext_lazy("Progress"),
    "budget": gettext_lazy("Budget"),
    "spent": gettext_lazy("Spent"),
    "deadline": gettext_lazy("Deadline"),
    "start_date": gettext_lazy("Start date"),
    "due_date": gettext_lazy("Due date"),
    "assignee": gettext_lazy("Assignee"),
    "title": gettext_lazy("Title"),
    "notes": gettext_lazy("Notes"),
    "vision": gettext_lazy("Vision"),
    "mission": gettext_lazy("Mission"),
    "position": gettext_lazy("Position"),
}


def _field_label(model: Any, name: str) -> str:
    if name == "period_start":
        return _("Period")
    if (model, name) in FIELD_LABELS:
        return str(FIELD_LABELS[(model, name)])
    if name in FIELD_NAMES:
        return str(FIELD_NAMES[name])
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
            _("%(band)s from %(share)s") % {"band": band["status"], "share": pct(band["lower"])}
            for band in bands
            if band.get("lower") is not None
        ]
    except (TypeError, KeyError, AttributeError):
        return json.dumps(bands)[:300]
    return ", ".join(parts) or _("the usual thirds")


def value_text(model: Any, name: str, value: Any, unit: str = "") -> str:
    """A stored value as people read it."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict) and "label" in value:
        return str(value["label"]) or f"#{value.get('id')}"
    if isinstance(value, list):
        if name == "thresholds":
            return _thresholds_text(value)
        return ", ".join(str(v.get("label", v)) for v in value if isinstance(v, dict)) or _("none")
    choice = _choice_label(model, name, value)
    if choice is not None:
        return choice
    codes = CODE_LABELS.get((model, name))
    if codes and isinstance(value, str):
        return str(codes.get(value, value))
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
    imported = change.action == Change.Action.IMPORTED
    if imported:
        last = _period_text(kpi, after.get("last_period_start"), fiscal)
        if last and last != period:
            period = _("%(first)s to %(last)s") % {"first": period, "last": last}
    lines = []
    for key in sorted({*before, *after} - {"period_start", "last_period_start"}):
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
        who=change.actor_name or _("The system"),
        verb=str(change.get_action_display()),
        noun=str(KIND_NOUNS.get("imported" if imported else change.kind, change.kind)),
        name=change.label,
        period=period,
        lines=lines,
    )


@dataclass
class HistoryPage:
    """One page of a history, newest first, and where the next (older) page starts."""

    entries: list[Entry]
    older: int | None


def history_page(rows: HistoryRows) -> HistoryPage:
    """A page of history entries in words, each pointing at its item's page if it exists."""
    entries = [describe(c, rows.kpis, rows.fiscal) for c in rows.changes]
    for entry in entries:
        entry.link = rows.links.get(entry.change.pk)
    return HistoryPage(entries, rows.older)
