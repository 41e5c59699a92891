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

from scorecard.audit.models import Change
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.history.selectors import VALUE_KINDS, HistoryRows
from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi, Measurement, Target
from scorecard.meetings.models import Decision, ReviewMeeting
from scorecard.strategy.models import Objective, ObjectiveLink, Perspective, Scorecard

from .numbers import format_number, pct, period_label

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


def history_page(rows: HistoryRows) -> HistoryPage:
    """A page of history entries in words, each pointing at its item's page if it exists."""
    entries = [describe(c, rows.kpis, rows.fiscal) for c in rows.changes]
    for entry in entries:
        entry.link = rows.links.get(entry.change.pk)
    return HistoryPage(entries, rows.older)
