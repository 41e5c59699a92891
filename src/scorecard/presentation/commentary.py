"""Commentary in words: a short text for a KPI, objective, perspective or scorecard, built
from the facts commentary.selectors gathered (no queries, no clock).

Deterministic: the same facts give the same words. Every figure is formatted by
presentation/numbers.py, so it reads as it does on the page beside it, and each comes from
the engine's result for the page (value, previous value, target, score, trend, forecast and
chance). :func:`unknown_numbers` is the check a rewrite (for example by a language model)
must pass: it names any number in the rewritten text that the original does not contain.
"""

from __future__ import annotations

import re

from scorecard.commentary.selectors import InitiativeFact, KpiFacts, NodeFacts

from .numbers import LOWER_IS_BETTER, NBSP, format_number, pct, period_label, status_label
from .planning import chance_text

#: A number as people write it: 1,234.5 or −3 or 12.5 (units and % aside).
NUMBER = re.compile(r"[−-]?\d[\d,]*(?:\.\d+)?")


def _points(change: float) -> str:
    """A change of a score in percentage points: 0.052 → "5.2 points"."""
    return f"{abs(change) * 100:,.1f}{NBSP}points"


def _status(status: str) -> str:
    return status_label(status).lower()


def _change(value: float, previous: float, unit: str) -> str:
    """ ", up 120 € (5.0 %) from 2,400 €" — the move since the previous period."""
    diff = value - previous
    if diff == 0:
        return f", unchanged from {format_number(previous, unit)}"
    word = "up" if diff > 0 else "down"
    if unit.strip() == "%":
        # A change of a percentage is in percentage points, not a share of a share.
        return (
            f", {word} {format_number(abs(diff))}{NBSP}points from {format_number(previous, unit)}"
        )
    relative = f" ({pct(abs(diff) / abs(previous))})" if previous else ""
    return (
        f", {word} {format_number(abs(diff), unit)}{relative} from {format_number(previous, unit)}"
    )


def _trend(facts: KpiFacts) -> str:
    if facts.trend not in {"up", "down"}:
        return ""
    if facts.optimization in {"exact", "band", "none"}:
        return ""
    good = "down" if facts.optimization in LOWER_IS_BETTER else "up"
    return ", an improvement" if facts.trend == good else ", a deterioration"


def _who(initiatives: tuple[InitiativeFact, ...], owner: str) -> str:
    """Who acts on it, through which initiative."""
    if not initiatives:
        lead = f"{owner} owns it; no" if owner else "No"
        return f"{lead} initiative serves it yet."
    parts = []
    for item in initiatives[:3]:
        progress = f", {pct(item.progress)} done" if item.progress is not None else ""
        who = f"{item.owner} through" if item.owner else "through"
        parts.append(f"{who} “{item.name}” ({item.status.lower()}{progress})")
    more = f" and {len(initiatives) - 3} more" if len(initiatives) > 3 else ""
    return "Acting on it: " + "; ".join(parts) + more + "."


def kpi_text(facts: KpiFacts) -> str:
    """The commentary of one KPI for its window."""
    unit, window = facts.unit, period_label(facts.window)
    if facts.error:
        return f"{facts.name} cannot be scored: {facts.error}"
    target = (
        f"the target of {format_number(facts.target, unit)}"
        if facts.target is not None
        else "no target"
    )
    sentences = []
    if facts.value is None:
        if facts.last_period is None:
            sentences.append(
                f"{facts.name} has no values yet, so it cannot be compared with {target}."
            )
        else:
            latest = (
                f"the latest is {format_number(facts.last_value, unit)} "
                f"for {period_label(facts.last_period)}"
            )
            sentences.append(f"{facts.name} has no value for {window}; {latest}.")
        if facts.stale:
            sentences.append("It is stale: the next value is overdue.")
    else:
        moved = (
            _change(facts.value, facts.previous_value, unit)
            if facts.previous_value is not None
            else ""
        )
        value = format_number(facts.value, unit)
        sentences.append(f"{facts.name} was {value} in {window}{moved}{_trend(facts)}.")
        if facts.target is not None:
            score = f" (score {pct(facts.performance)})" if facts.performance is not None else ""
            sentences.append(f"Against {target} it is {_status(facts.status)}{score}.")
        else:
            sentences.append("It has no target, so it is not scored.")
        if facts.stale:
            sentences.append("It is stale: the next value is overdue.")
    point = facts.forecast
    if point is not None:
        low, high = format_number(point.low, unit), format_number(point.high, unit)
        spread = (
            f" (80{NBSP}% range {low} to {high})"
            if point.low is not None and point.high is not None
            else ""
        )
        chance = (
            f", with a chance of {chance_text(facts.chance)} of meeting the target of "
            f"{format_number(point.target, unit)}"
            if facts.chance is not None and point.target is not None
            else ""
        )
        sentences.append(
            f"The forecast for {period_label(point.period)} is "
            f"{format_number(point.value, unit)}{spread}{chance}."
        )
    sentences.append(_who(facts.initiatives, facts.owner))
    return " ".join(sentences)


def _counts(facts: NodeFacts) -> str:
    total = sum(facts.counts.values())
    if not total:
        return f"It has no {facts.parts}s yet."
    order = ["green", "yellow", "red", "no_data"]
    keys = [k for k in order if k in facts.counts] + sorted(
        k for k in facts.counts if k not in order
    )
    parts = [f"{facts.counts[k]} {_status(k)}" for k in keys]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
    noun = facts.parts if total == 1 else f"{facts.parts}s"
    red = f" (red: {', '.join(facts.red)})" if facts.red else ""
    return f"Of its {total} {noun}: {listed}{red}."


def node_text(facts: NodeFacts) -> str:
    """The commentary of an objective, a perspective or the scorecard for the month."""
    month = period_label(facts.period)
    if facts.score is None:
        first = f"{facts.name} has no score for {month}."
    else:
        moved = ""
        if facts.previous_score is not None:
            diff = facts.score - facts.previous_score
            moved = (
                ", unchanged from the month before"
                if abs(diff) < 0.0005
                else f", {'up' if diff > 0 else 'down'} {_points(diff)} "
                f"from {pct(facts.previous_score)}"
            )
        first = (
            f"{facts.name} scores {pct(facts.score)} ({_status(facts.status)}) in {month}{moved}."
        )
    sentences = [first, _counts(facts)]
    if facts.driver and facts.driver_change is not None:
        direction = "up" if facts.driver_change > 0 else "down"
        sentences.append(
            f"The largest move: {facts.driver}, {direction} {_points(facts.driver_change)}."
        )
    if facts.subject == "objective":
        sentences.append(_who(facts.initiatives, facts.owner))
    return " ".join(sentences)


def subject_text(facts: KpiFacts | NodeFacts) -> str:
    """The generated text of any subject."""
    return kpi_text(facts) if isinstance(facts, KpiFacts) else node_text(facts)


def numbers_in(text: str) -> list[str]:
    """The numbers a text states, as written, grouping commas removed (“1,234” → “1234”)."""
    out = []
    for found in NUMBER.findall(text):
        out.append(found.replace(",", "").replace("−", "-").lstrip("-"))
    return out


def unknown_numbers(source: str, rewritten: str) -> list[str]:
    """The numbers of ``rewritten`` that ``source`` does not state: a rewrite is accepted
    only when this is empty (it may leave numbers out, never add or change one)."""
    known = set(numbers_in(source))
    return [n for n in numbers_in(rewritten) if n not in known]
