"""What changed in the strategy between two scorecard documents, in words.

Pure logic: :func:`document_diff` takes two parsed :class:`~.document.Document`
objects and returns :class:`Change` lines such as

    objective “Grow revenue” added to perspective Financial
    target of KPI revenue from 2026-01 raised from 2,100,000 € to 2,300,000 €
    KPI revenue (Revenue): weight 2 → 3
    link grow → margin removed
    KPI revenue (Revenue): 3 measurements added, 1 changed

The comparison is of meaning, not of text: a series and a list of the same
values are equal, as are ``2026-Q1`` and ``2026-01`` for a quarterly KPI, and a
field left out equals one written with its default value. Things are matched by
their identity in the document: units and scorecards by slug, users by user
name, perspectives, initiatives and funnels by name, objectives and KPIs by code
(within their scorecard), links by their two ends, tasks by name within their
initiative, benchmarks by source and date within their KPI.
``scorecard diff OLD NEW`` prints the result (interchange/management/commands/diff.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .document import (
    BenchmarkIn,
    Document,
    FunnelIn,
    InitiativeIn,
    KpiIn,
    ObjectiveIn,
    PerspectiveIn,
    ScorecardIn,
    aligned_period,
    measurement_rows,
    period_text,
)

#: Sections of one scorecard, in the order they are printed.
TOPICS = (
    "Scorecard",
    "Perspectives",
    "Objectives",
    "Links",
    "KPIs",
    "Targets",
    "Benchmarks",
    "Measurements",
    "Initiatives",
    "Funnels",
)
#: KPI fields measured in the KPI's own unit (written with it).
SCALE_FIELDS = {
    "baseline", "minimum", "maximum", "target", "tolerance", "band_low", "band_high", "red_flag",
}  # fmt: skip
#: Fields whose old and new text is too long to print; only "changed" is said.
LONG_TEXT = {"description", "vision", "mission"}
#: How a KPI's values from the units below combine, as said after "rolls up ...".
UNIT_ROLLUP_TEXT = {
    "auto": "automatically (ratios from their parts, averages for %, sums for the rest)",
    "sum": "by sum",
    "average": "by average",
    "min": "by the lowest unit",
    "max": "by the highest unit",
    "equation": "by its formula over the units' summed inputs",
}
#: Units written before the number.
PREFIX_UNITS = {"$", "£", "US$"}


@dataclass(frozen=True, order=True)
class Change:
    """One difference: where it belongs (for grouping and sorting) and what it is, in words."""

    #: (0, "") for the organization, (1, "") units, (2, "") users, (3, slug) a scorecard
    section: tuple[int, str]
    #: index into TOPICS within a scorecard (0 elsewhere)
    topic: int
    #: what the change is about, for sorting (a code, a name, a period)
    subject: tuple[Any, ...]
    #: the order in which changes of one subject were found
    seq: int
    text: str


# Writing values ----------------------------------------------------------------------------


def number_text(value: float | None, unit: str = "") -> str:
    """``2300000, "€"`` → ``2,300,000 €``; ``12.5, "%"`` → ``12.5 %``; None → ``none``."""
    if value is None:
        return "none"
    if float(value).is_integer() and math.isfinite(value):
        text = f"{int(value):,}"
    else:
        text = f"{value:,.6g}"
    unit = unit.strip()
    if not unit:
        return text
    return f"{unit}{text}" if unit in PREFIX_UNITS else f"{text} {unit}"


def _value_text(value: Any, unit: str = "") -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number_text(float(value), unit)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return f"“{value}”" if value else "none"
    return str(value)


def _share(value: float) -> str:
    return f"{value * 100:g} %"


# The comparison ------------------------------------------------------------------------


class _Collector:
    """Collects changes under the current section and topic."""

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.section: tuple[int, str] = (0, "")

    def add(self, topic: int, subject: tuple[Any, ...], text: str) -> None:
        self.changes.append(Change(self.section, topic, subject, len(self.changes), text))


def _fields(model: BaseModel, skip: Iterable[str]) -> dict[str, Any]:
    """A model's plain fields (nested lists and models are compared on their own)."""
    skipped = set(skip)
    return {name: getattr(model, name) for name in type(model).model_fields if name not in skipped}


def _field_changes(
    old: BaseModel, new: BaseModel, skip: Iterable[str], units: str = ""
) -> Iterator[str]:
    """``weight 2 → 3``, ``description changed`` ... for each differing plain field."""
    before, after = _fields(old, skip), _fields(new, skip)
    for name, was in before.items():
        now = after[name]
        if _same(was, now):
            continue
        label = name.replace("_", " ")
        if name in LONG_TEXT:
            yield f"{label} changed"
            continue
        unit = units if name in SCALE_FIELDS else ""
        yield f"{label} {_value_text(_plain(was), unit)} → {_value_text(_plain(now), unit)}"


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _same(a: Any, b: Any) -> bool:
    return bool(_plain(a) == _plain(b))


def document_diff(old: Document, new: Document) -> list[Change]:
    """Every difference between two documents, grouped and sorted (empty: the same)."""
    out = _Collector()
    _organization(old, new, out)
    _units(old, new, out)
    _users(old, new, out)
    old_cards = {c.slug: c for c in old.scorecards}
    new_cards = {c.slug: c for c in new.scorecards}
    for slug in sorted(old_cards.keys() | new_cards.keys()):
        out.section = (3, slug)
        was, now = old_cards.get(slug), new_cards.get(slug)
        if was is None and now is not None:
            out.add(0, (), f"scorecard “{now.name}” ({slug}) added{_card_size(now)}")
        elif now is None and was is not None:
            out.add(0, (), f"scorecard “{was.name}” ({slug}) removed{_card_size(was)}")
        elif was is not None and now is not None:
            _scorecard(was, now, old.organization.fiscal_year_start_month,
                       new.organization.fiscal_year_start_month, out)  # fmt: skip
    return sorted(out.changes)


def _card_size(card: ScorecardIn) -> str:
    objectives = sum(len(p.objectives) for p in card.perspectives)
    kpis = sum(len(o.kpis) for p in card.perspectives for o in p.objectives)
    return (
        f" with {_count(len(card.perspectives), 'perspective')}, "
        f"{_count(objectives, 'objective')} and {_count(kpis, 'KPI')}"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _organization(old: Document, new: Document, out: _Collector) -> None:
    out.section = (0, "")
    for text in _field_changes(old.organization, new.organization, ()):
        out.add(0, (), f"organization: {text}")


def _units(old: Document, new: Document, out: _Collector) -> None:
    out.section = (1, "")
    before = {u.slug: u for u in old.units}
    after = {u.slug: u for u in new.units}
    for slug in sorted(before.keys() | after.keys()):
        was, now = before.get(slug), after.get(slug)
        if was is None and now is not None:
            under = f" under {now.parent}" if now.parent else ""
            out.add(0, (slug,), f"unit {slug} (“{now.name}”) added{under}")
        elif now is None and was is not None:
            out.add(0, (slug,), f"unit {slug} (“{was.name}”) removed")
        elif was is not None and now is not None:
            for text in _field_changes(was, now, ("slug",)):
                out.add(0, (slug,), f"unit {slug}: {text}")


def _users(old: Document, new: Document, out: _Collector) -> None:
    out.section = (2, "")
    before = {u.username: u for u in old.users}
    after = {u.username: u for u in new.users}
    for name in sorted(before.keys() | after.keys()):
        was, now = before.get(name), after.get(name)
        if was is None and now is not None:
            out.add(0, (name,), f"user {name} added as {now.role}")
        elif now is None and was is not None:
            out.add(0, (name,), f"user {name} removed")
        elif was is not None and now is not None:
            for text in _field_changes(was, now, ("username",)):
                out.add(0, (name,), f"user {name}: {text}")


def _scorecard(
    old: ScorecardIn, new: ScorecardIn, old_fiscal: int, new_fiscal: int, out: _Collector
) -> None:
    for text in _field_changes(
        old, new, ("slug", "settings", "perspectives", "links", "initiatives", "funnels")
    ):
        out.add(0, (), text)
    for text in _field_changes(old.settings, new.settings, ("at_risk_below",)):
        out.add(0, (), f"rollup {text}")
    was_risk, now_risk = old.settings.at_risk_below, new.settings.at_risk_below
    if was_risk != now_risk:
        if now_risk is None:
            out.add(0, (), "KPIs are no longer shown at risk from their forecast")
        else:
            since = "" if was_risk is None else f" (was {_share(was_risk)})"
            out.add(
                0,
                (),
                "KPIs now shown at risk when the chance of meeting the target is below "
                f"{_share(now_risk)}{since}",
            )
    _perspectives(old, new, out)
    _objectives(old, new, out)
    _links(old, new, out)
    _kpis(old, new, old_fiscal, new_fiscal, out)
    _initiatives(old, new, out)
    _funnels(old, new, out)


def _perspectives(old: ScorecardIn, new: ScorecardIn, out: _Collector) -> None:
    topic = TOPICS.index("Perspectives")
    before = {p.name: p for p in old.perspectives}
    after = {p.name: p for p in new.perspectives}
    for name in sorted(before.keys() | after.keys()):
        was, now = before.get(name), after.get(name)
        if was is None and now is not None:
            out.add(topic, (name,), f"perspective {name} added")
        elif now is None and was is not None:
            out.add(topic, (name,), f"perspective {name} removed")
        elif was is not None and now is not None:
            for text in _field_changes(was, now, ("name", "objectives")):
                out.add(topic, (name,), f"perspective {name}: {text}")
    kept_before = [p.name for p in old.perspectives if p.name in after]
    kept_after = [p.name for p in new.perspectives if p.name in before]
    if kept_before != kept_after:
        out.add(
            topic,
            ("~",),
            f"perspectives reordered: {', '.join(kept_before)} → {', '.join(kept_after)}",
        )


def _objectives_of(card: ScorecardIn) -> dict[str, tuple[PerspectiveIn, ObjectiveIn]]:
    return {o.code: (p, o) for p in card.perspectives for o in p.objectives}


def _objectives(old: ScorecardIn, new: ScorecardIn, out: _Collector) -> None:
    topic = TOPICS.index("Objectives")
    before, after = _objectives_of(old), _objectives_of(new)
    for code in sorted(before.keys() | after.keys()):
        was, now = before.get(code), after.get(code)
        if was is None and now is not None:
            out.add(topic, (code,), f"objective “{now[1].name}” added to perspective {now[0].name}")
        elif now is None and was is not None:
            out.add(
                topic, (code,), f"objective “{was[1].name}” removed from perspective {was[0].name}"
            )
        elif was is not None and now is not None:
            label = f"objective “{now[1].name}”"
            if was[0].name != now[0].name:
                out.add(
                    topic, (code,), f"{label} moved from perspective {was[0].name} to {now[0].name}"
                )
            for text in _field_changes(was[1], now[1], ("code", "aligned_to", "kpis")):
                out.add(topic, (code,), f"{label}: {text}")
            _alignments(label, code, was[1], now[1], topic, out)


def _alignments(
    label: str, code: str, old: ObjectiveIn, new: ObjectiveIn, topic: int, out: _Collector
) -> None:
    before = {a.objective: a.share for a in old.aligned_to}
    after = {a.objective: a.share for a in new.aligned_to}
    for target in sorted(before.keys() | after.keys()):
        was, now = before.get(target), after.get(target)
        if was is None and now is not None:
            out.add(topic, (code,), f"{label}: alignment to {target} added (share {_share(now)})")
        elif now is None and was is not None:
            out.add(topic, (code,), f"{label}: alignment to {target} removed")
        elif was is not None and now is not None and was != now:
            out.add(
                topic,
                (code,),
                f"{label}: share of the alignment to {target} {_share(was)} → {_share(now)}",
            )


def _links(old: ScorecardIn, new: ScorecardIn, out: _Collector) -> None:
    topic = TOPICS.index("Links")
    before = {(k.cause, k.effect): k for k in old.links}
    after = {(k.cause, k.effect): k for k in new.links}
    for ends in sorted(before.keys() | after.keys()):
        was, now = before.get(ends), after.get(ends)
        arrow = f"link {ends[0]} → {ends[1]}"
        if was is None:
            out.add(topic, ends, f"{arrow} added")
        elif now is None:
            out.add(topic, ends, f"{arrow} removed")
        elif was.note != now.note:
            out.add(topic, ends, f"{arrow}: note {_value_text(was.note)} → {_value_text(now.note)}")


def _kpis_of(card: ScorecardIn) -> dict[str, tuple[ObjectiveIn, KpiIn]]:
    return {k.code: (o, k) for p in card.perspectives for o in p.objectives for k in o.kpis}


def _kpis(
    old: ScorecardIn, new: ScorecardIn, old_fiscal: int, new_fiscal: int, out: _Collector
) -> None:
    topic = TOPICS.index("KPIs")
    before, after = _kpis_of(old), _kpis_of(new)
    for code in sorted(before.keys() | after.keys()):
        was, now = before.get(code), after.get(code)
        if was is None and now is not None:
            out.add(
                topic, (code,), f"KPI {code} (“{now[1].name}”) added to objective {now[0].code}"
            )
            _targets(code, None, now[1], old_fiscal, new_fiscal, out)
            _measurements(code, None, now[1], old_fiscal, new_fiscal, out)
        elif now is None and was is not None:
            out.add(
                topic, (code,), f"KPI {code} (“{was[1].name}”) removed from objective {was[0].code}"
            )
        elif was is not None and now is not None:
            label = f"KPI {code} (“{now[1].name}”)"
            if was[0].code != now[0].code:
                out.add(
                    topic, (code,), f"{label} moved from objective {was[0].code} to {now[0].code}"
                )
            skip = (
                "code", "targets", "measurements", "thresholds", "benchmarks", "unit_rollup",
                "values_need_approval", "aligned_to",
            )  # fmt: skip
            for text in _field_changes(was[1], now[1], skip, now[1].unit):
                out.add(topic, (code,), f"{label}: {text}")
            if not _same(was[1].thresholds, now[1].thresholds):
                out.add(topic, (code,), f"{label}: status thresholds changed")
            for text in _cascade_changes(was[1], now[1]):
                out.add(topic, (code,), f"{label} {text}")
            _benchmarks(code, was[1], now[1], out)
            _targets(code, was[1], now[1], old_fiscal, new_fiscal, out)
            _measurements(code, was[1], now[1], old_fiscal, new_fiscal, out)


def _cascade_changes(old: KpiIn, new: KpiIn) -> Iterator[str]:
    """The KPI's place in the cascade and its approval rule, in words."""
    if old.aligned_to != new.aligned_to:
        if old.aligned_to is None:
            yield f"now aligned to KPI {new.aligned_to}"
        elif new.aligned_to is None:
            yield f"no longer aligned to KPI {old.aligned_to}"
        else:
            yield f"now aligned to KPI {new.aligned_to} instead of {old.aligned_to}"
    if old.unit_rollup != new.unit_rollup:
        yield (
            f"now rolls up across units {UNIT_ROLLUP_TEXT[new.unit_rollup]} "
            f"(was {UNIT_ROLLUP_TEXT[old.unit_rollup].split(' (')[0]})"
        )
    if old.values_need_approval != new.values_need_approval:
        yield (
            "values now need the owner's approval"
            if new.values_need_approval
            else "values no longer need the owner's approval"
        )


def _benchmark_text(b: BenchmarkIn, unit: str) -> str:
    percentile = "" if b.percentile is None else f", {b.percentile:g}th percentile"
    return f"{number_text(b.value, unit)}{percentile}"


def _benchmarks(code: str, old: KpiIn, new: KpiIn, out: _Collector) -> None:
    """Benchmarks matched by source and date; several of one source and date as a group."""
    topic = TOPICS.index("Benchmarks")
    unit = new.unit

    def grouped(kpi: KpiIn) -> dict[tuple[str, dt.date], list[BenchmarkIn]]:
        groups: dict[tuple[str, dt.date], list[BenchmarkIn]] = {}
        for b in kpi.benchmarks:
            groups.setdefault((b.source, b.date), []).append(b)
        return groups

    before, after = grouped(old), grouped(new)
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[1], k[0])):
        was, now = before.get(key, []), after.get(key, [])
        label = f"benchmark of KPI {code} from “{key[0]}” ({key[1].isoformat()})"
        subject = (code, key[1], key[0])
        if len(was) == 1 and len(now) == 1:
            for text in _field_changes(was[0], now[0], ("source", "date"), unit):
                out.add(topic, subject, f"{label}: {text}")
            continue
        gone = [b for b in was if not any(_same(b, n) for n in now)]
        new_ones = [b for b in now if not any(_same(b, w) for w in was)]
        for b in new_ones:
            out.add(topic, subject, f"{label} added: {_benchmark_text(b, unit)}")
        for b in gone:
            out.add(topic, subject, f"{label} removed (was {_benchmark_text(b, unit)})")


def _target_rows(kpi: KpiIn | None, fiscal: int) -> dict[dt.date, tuple[float, str, str]]:
    if kpi is None:
        return {}
    return {
        aligned_period(t.period, kpi.update_interval, fiscal): (t.value, t.provenance, t.note)
        for t in kpi.targets
    }


def _targets(
    code: str, old: KpiIn | None, new: KpiIn, old_fiscal: int, new_fiscal: int, out: _Collector
) -> None:
    topic = TOPICS.index("Targets")
    before, after = _target_rows(old, old_fiscal), _target_rows(new, new_fiscal)
    unit = new.unit
    for start in sorted(before.keys() | after.keys()):
        was, now = before.get(start), after.get(start)
        label = f"target of KPI {code} from {period_text(start, new.update_interval, new_fiscal)}"
        subject = (code, start)
        if was is None and now is not None:
            out.add(topic, subject, f"{label} added: {number_text(now[0], unit)} ({now[1]})")
        elif now is None and was is not None:
            out.add(topic, subject, f"{label} removed (was {number_text(was[0], unit)})")
        elif was is not None and now is not None:
            if was[0] != now[0]:
                verb = "raised" if now[0] > was[0] else "lowered"
                out.add(
                    topic,
                    subject,
                    f"{label} {verb} from {number_text(was[0], unit)} to "
                    f"{number_text(now[0], unit)}",
                )
            if was[1] != now[1]:
                out.add(topic, subject, f"{label}: provenance {was[1]} → {now[1]}")
            if was[2] != now[2]:
                out.add(
                    topic, subject, f"{label}: note {_value_text(was[2])} → {_value_text(now[2])}"
                )


def _measurement_rows(kpi: KpiIn | None, fiscal: int) -> dict[dt.date, tuple[float, str]]:
    if kpi is None:
        return {}
    return {start: (value, note) for start, value, note in measurement_rows(kpi, fiscal)}


def _measurements(
    code: str, old: KpiIn | None, new: KpiIn, old_fiscal: int, new_fiscal: int, out: _Collector
) -> None:
    """One line per KPI: how many values were added, changed and removed."""
    before, after = _measurement_rows(old, old_fiscal), _measurement_rows(new, new_fiscal)
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    changed = sum(1 for start in before.keys() & after.keys() if before[start] != after[start])
    parts = []
    if added:
        parts.append(f"{_count(added, 'measurement')} added")
    if changed:
        parts.append(f"{changed} changed" if parts else f"{_count(changed, 'measurement')} changed")
    if removed:
        parts.append(f"{removed} removed" if parts else f"{_count(removed, 'measurement')} removed")
    if parts:
        out.add(TOPICS.index("Measurements"), (code,), f"KPI {code}: {', '.join(parts)}")


def _initiatives(old: ScorecardIn, new: ScorecardIn, out: _Collector) -> None:
    topic = TOPICS.index("Initiatives")
    before = {i.name: i for i in old.initiatives}
    after = {i.name: i for i in new.initiatives}
    for name in sorted(before.keys() | after.keys()):
        was, now = before.get(name), after.get(name)
        label = f"initiative “{name}”"
        if was is None:
            out.add(topic, (name,), f"{label} added")
        elif now is None:
            out.add(topic, (name,), f"{label} removed")
        else:
            _initiative(label, name, was, now, topic, out)


def _initiative(
    label: str, name: str, old: InitiativeIn, new: InitiativeIn, topic: int, out: _Collector
) -> None:
    if old.progress != new.progress:
        shown = [("none" if v is None else f"{v * 100:g} %") for v in (old.progress, new.progress)]
        out.add(topic, (name,), f"{label}: progress {shown[0]} → {shown[1]}")
    for text in _field_changes(old, new, ("name", "objectives", "tasks", "progress")):
        out.add(topic, (name,), f"{label}: {text}")
    for code in sorted(set(new.objectives) - set(old.objectives)):
        out.add(topic, (name,), f"{label} now serves objective {code}")
    for code in sorted(set(old.objectives) - set(new.objectives)):
        out.add(topic, (name,), f"{label} no longer serves objective {code}")
    before = {t.name: t for t in old.tasks}
    after = {t.name: t for t in new.tasks}
    for task in sorted(before.keys() | after.keys()):
        old_task, new_task = before.get(task), after.get(task)
        if old_task is None:
            out.add(topic, (name, task), f"{label}: task “{task}” added")
        elif new_task is None:
            out.add(topic, (name, task), f"{label}: task “{task}” removed")
        else:
            for text in _field_changes(old_task, new_task, ("name",)):
                out.add(topic, (name, task), f"{label}: task “{task}” {text}")


def _funnel_costs(funnel: FunnelIn) -> list[float | None]:
    """A funnel's costs per stage; the first stage's is never used, so it is left out."""
    costs = funnel.costs or [None] * len(funnel.stages)
    return [None, *costs[1:]]


def _funnels(old: ScorecardIn, new: ScorecardIn, out: _Collector) -> None:
    topic = TOPICS.index("Funnels")
    before = {f.name: f for f in old.funnels}
    after = {f.name: f for f in new.funnels}
    for name in sorted(before.keys() | after.keys()):
        was, now = before.get(name), after.get(name)
        label = f"funnel “{name}”"
        if was is None and now is not None:
            out.add(topic, (name,), f"{label} added: {' → '.join(now.stages)}")
        elif now is None and was is not None:
            out.add(topic, (name,), f"{label} removed")
        elif was is not None and now is not None:
            if was.stages != now.stages:
                out.add(
                    topic,
                    (name,),
                    f"{label}: stages {' → '.join(was.stages)} now {' → '.join(now.stages)}",
                )
            elif _funnel_costs(was) != _funnel_costs(now):
                out.add(topic, (name,), f"{label}: costs of more conversion changed")
            if was.description != now.description:
                out.add(topic, (name,), f"{label}: description changed")


# Printing ------------------------------------------------------------------------------


def section_title(section: tuple[int, str], new: Document, old: Document) -> str:
    """The heading of a group of changes."""
    kind, slug = section
    if kind == 0:
        return "Organization"
    if kind == 1:
        return "Units"
    if kind == 2:
        return "Users"
    card = next((c for c in [*new.scorecards, *old.scorecards] if c.slug == slug), None)
    return f"Scorecard {slug}" + (f" (“{card.name}”)" if card else "")


def format_changes(changes: list[Change], old: Document, new: Document) -> str:
    """The changes as indented text: a heading per section, a sub-heading per topic."""
    lines: list[str] = []
    section: tuple[int, str] | None = None
    topic: int | None = None
    for change in changes:
        if change.section != section:
            section, topic = change.section, None
            if lines:
                lines.append("")
            lines.append(section_title(section, new, old))
        if section[0] == 3 and change.topic != topic:
            topic = change.topic
            lines.append(f"  {TOPICS[topic]}")
        indent = "    " if section[0] == 3 else "  "
        lines.append(f"{indent}{change.text}")
    return "\n".join(lines) + ("\n" if lines else "")
