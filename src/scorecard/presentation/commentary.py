"""Commentary in words: a short text for a KPI, objective, perspective or scorecard, built
from the facts commentary.selectors gathered (no queries, no clock).

Deterministic: the same facts give the same words. Every sentence is whole and translated
into the active language (docs/languages.md; named placeholders, so each language orders
its words itself). Every figure is formatted by presentation/numbers.py, so it reads as it
does on the page beside it (``1.234,5`` in German, ``1 234,5`` in French), and each comes
from the engine's result for the page (value, previous value, target, score, trend,
forecast and chance). :func:`unknown_numbers` is the check a rewrite (for example by a
language model) must pass: it names any number in the rewritten text that the original
does not contain, reading the numbers as the language writes them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext, pgettext, pgettext_lazy

from scorecard.commentary.selectors import InitiativeFact, KpiFacts, NodeFacts

from .findings import translated
from .numbers import LOWER_IS_BETTER, NBSP, format_number, pct, period_label, status_label
from .planning import chance_text

#: A status as it stands inside a sentence ("it is red", "3 red"), per language.
STATUS_WORDS = {
    "red": pgettext_lazy("status inside a sentence", "red"),
    "yellow": pgettext_lazy("status inside a sentence", "yellow"),
    "green": pgettext_lazy("status inside a sentence", "green"),
    "no_data": pgettext_lazy("status inside a sentence", "no data"),
    "not_applicable": pgettext_lazy("status inside a sentence", "not scored"),
    "error": pgettext_lazy("status inside a sentence", "in setup error"),
}
NNBSP = "\u202f"


def _points(change: float) -> str:
    """A change of a score in percentage points: 0.052 → "5.2 points"."""
    return _points_of(pct(abs(change)).removesuffix(f"{NBSP}%"))


def _points_of(number: str) -> str:
    # A non-breaking space keeps the number with its word.
    text = pgettext("percentage points", "%(number)s points") % {"number": number}
    return text.replace(" ", NBSP)


def _status(status: str) -> str:
    word = STATUS_WORDS.get(status)
    return str(word) if word is not None else status_label(status).lower()


def _value_sentence(facts: KpiFacts, window: str) -> str:
    """ "Revenue was 2,520 € in Oct 2026, up 120 € (5.0 %) from 2,400 €." """
    unit, value, previous = facts.unit, facts.value, facts.previous_value
    assert value is not None
    values = {"name": facts.name, "value": format_number(value, unit), "window": window}
    if previous is None:
        return _("%(name)s was %(value)s in %(window)s.") % values
    values["previous"] = format_number(previous, unit)
    diff = value - previous
    if diff == 0:
        return _("%(name)s was %(value)s in %(window)s, unchanged from %(previous)s.") % values
    if unit.strip() == "%":
        # A change of a percentage is in percentage points, not a share of a share.
        values["change"] = _points_of(format_number(abs(diff)))
    else:
        values["change"] = format_number(abs(diff), unit)
    if previous and unit.strip() != "%":
        values["relative"] = pct(abs(diff) / abs(previous))
        if diff > 0:
            text = _(
                "%(name)s was %(value)s in %(window)s, "
                "up %(change)s (%(relative)s) from %(previous)s."
            )
        else:
            text = _(
                "%(name)s was %(value)s in %(window)s, "
                "down %(change)s (%(relative)s) from %(previous)s."
            )
    elif diff > 0:
        text = _("%(name)s was %(value)s in %(window)s, up %(change)s from %(previous)s.")
    else:
        text = _("%(name)s was %(value)s in %(window)s, down %(change)s from %(previous)s.")
    return text % values


def _trend(facts: KpiFacts) -> str:
    """The move's meaning, a sentence of its own (empty when it has none)."""
    if facts.trend not in {"up", "down"}:
        return ""
    if facts.optimization in {"exact", "band", "none"}:
        return ""
    good = "down" if facts.optimization in LOWER_IS_BETTER else "up"
    return _("That is an improvement.") if facts.trend == good else _("That is a deterioration.")


def _initiative(item: InitiativeFact) -> str:
    values = {"owner": item.owner, "name": item.name, "status": item.status.lower()}
    if item.progress is not None:
        values["progress"] = pct(item.progress)
        if item.owner:
            return _("%(owner)s through “%(name)s” (%(status)s, %(progress)s done)") % values
        return _("through “%(name)s” (%(status)s, %(progress)s done)") % values
    if item.owner:
        return _("%(owner)s through “%(name)s” (%(status)s)") % values
    return _("through “%(name)s” (%(status)s)") % values


def _who(initiatives: tuple[InitiativeFact, ...], owner: str) -> str:
    """Who acts on it, through which initiative."""
    if not initiatives:
        if owner:
            return _("%(owner)s owns it; no initiative serves it yet.") % {"owner": owner}
        return _("No initiative serves it yet.")
    listed = "; ".join(_initiative(item) for item in initiatives[:3])
    more = len(initiatives) - 3
    if more > 0:
        return ngettext(
            "Acting on it: %(list)s and %(more)s more.",
            "Acting on it: %(list)s and %(more)s more.",
            more,
        ) % {"list": listed, "more": more}
    return _("Acting on it: %(list)s.") % {"list": listed}


def _forecast(facts: KpiFacts) -> str:
    point = facts.forecast
    if point is None:
        return ""
    unit = facts.unit
    values = {
        "period": period_label(point.period),
        "value": format_number(point.value, unit),
        "low": format_number(point.low, unit),
        "high": format_number(point.high, unit),
        "chance": chance_text(facts.chance),
        "target": format_number(point.target, unit),
        "share": f"80{NBSP}%",
    }
    spread = point.low is not None and point.high is not None
    chance = facts.chance is not None and point.target is not None
    if spread and chance:
        text = _(
            "The forecast for %(period)s is %(value)s (%(share)s range %(low)s to %(high)s), "
            "with a chance of %(chance)s of meeting the target of %(target)s."
        )
    elif spread:
        text = _("The forecast for %(period)s is %(value)s (%(share)s range %(low)s to %(high)s).")
    elif chance:
        text = _(
            "The forecast for %(period)s is %(value)s, with a chance of %(chance)s of meeting "
            "the target of %(target)s."
        )
    else:
        text = _("The forecast for %(period)s is %(value)s.")
    return text % values


def kpi_text(facts: KpiFacts) -> str:
    """The commentary of one KPI for its window, in the active language."""
    unit, window = facts.unit, period_label(facts.window)
    if facts.error:
        return _("%(name)s cannot be scored: %(error)s") % {
            "name": facts.name,
            "error": translated(facts.error),  # an engine sentence, in the language
        }
    target = format_number(facts.target, unit)
    sentences = []
    if facts.value is None:
        if facts.last_period is None:
            if facts.target is not None:
                sentences.append(
                    _(
                        "%(name)s has no values yet, so it cannot be compared with the "
                        "target of %(target)s."
                    )
                    % {"name": facts.name, "target": target}
                )
            else:
                sentences.append(
                    _("%(name)s has no values yet and no target.") % {"name": facts.name}
                )
        else:
            sentences.append(
                _("%(name)s has no value for %(window)s; the latest is %(value)s for %(period)s.")
                % {
                    "name": facts.name,
                    "window": window,
                    "value": format_number(facts.last_value, unit),
                    "period": period_label(facts.last_period),
                }
            )
    else:
        sentences.append(_value_sentence(facts, window))
        sentences.append(_trend(facts))
        if facts.target is not None:
            values = {"target": target, "status": _status(facts.status)}
            if facts.performance is not None:
                values["score"] = pct(facts.performance)
                sentences.append(
                    _("Against the target of %(target)s it is %(status)s (score %(score)s).")
                    % values
                )
            else:
                sentences.append(_("Against the target of %(target)s it is %(status)s.") % values)
        else:
            sentences.append(_("It has no target, so it is not scored."))
    if facts.stale:
        sentences.append(_("It is stale: the next value is overdue."))
    sentences.append(_forecast(facts))
    sentences.append(_who(facts.initiatives, facts.owner))
    return " ".join(s for s in sentences if s)


def _listed(items: list[str]) -> str:
    """ "2 green, 1 yellow and 1 red" in the active language."""
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _count_item(status: str, count: int) -> str:
    """ "3 red": how many parts have a status (the word agrees with the count)."""
    if status == "green":
        text = npgettext("parts with a status", "%(count)s green", "%(count)s green", count)
    elif status == "yellow":
        text = npgettext("parts with a status", "%(count)s yellow", "%(count)s yellow", count)
    elif status == "red":
        text = npgettext("parts with a status", "%(count)s red", "%(count)s red", count)
    elif status == "no_data":
        text = npgettext(
            "parts with a status", "%(count)s without data", "%(count)s without data", count
        )
    elif status == "not_applicable":
        text = npgettext(
            "parts with a status", "%(count)s not scored", "%(count)s not scored", count
        )
    else:
        return f"{count} {_status(status)}"
    return text % {"count": count}


def _counts(facts: NodeFacts) -> str:
    total = sum(facts.counts.values())
    if not total:
        if facts.parts == "KPI":
            return _("It has no KPIs yet.")
        if facts.parts == "objective":
            return _("It has no objectives yet.")
        return _("It has no perspectives yet.")
    order = ["green", "yellow", "red", "no_data"]
    keys = [k for k in order if k in facts.counts] + sorted(
        k for k in facts.counts if k not in order
    )
    items = [_count_item(k, facts.counts[k]) for k in keys]
    values = {"total": total, "listed": _listed(items), "red": ", ".join(facts.red)}
    if facts.parts == "KPI":
        if facts.red:
            text = ngettext(
                "Of its %(total)s KPI: %(listed)s (red: %(red)s).",
                "Of its %(total)s KPIs: %(listed)s (red: %(red)s).",
                total,
            )
        else:
            text = ngettext(
                "Of its %(total)s KPI: %(listed)s.", "Of its %(total)s KPIs: %(listed)s.", total
            )
    elif facts.parts == "objective":
        if facts.red:
            text = ngettext(
                "Of its %(total)s objective: %(listed)s (red: %(red)s).",
                "Of its %(total)s objectives: %(listed)s (red: %(red)s).",
                total,
            )
        else:
            text = ngettext(
                "Of its %(total)s objective: %(listed)s.",
                "Of its %(total)s objectives: %(listed)s.",
                total,
            )
    elif facts.red:
        text = ngettext(
            "Of its %(total)s perspective: %(listed)s (red: %(red)s).",
            "Of its %(total)s perspectives: %(listed)s (red: %(red)s).",
            total,
        )
    else:
        text = ngettext(
            "Of its %(total)s perspective: %(listed)s.",
            "Of its %(total)s perspectives: %(listed)s.",
            total,
        )
    return text % values


def _score_sentence(facts: NodeFacts, month: str) -> str:
    if facts.score is None:
        return _("%(name)s has no score for %(month)s.") % {"name": facts.name, "month": month}
    values = {
        "name": facts.name,
        "score": pct(facts.score),
        "status": _status(facts.status),
        "month": month,
    }
    if facts.previous_score is None:
        return _("%(name)s scores %(score)s (%(status)s) in %(month)s.") % values
    diff = facts.score - facts.previous_score
    if abs(diff) < 0.0005:
        return (
            _(
                "%(name)s scores %(score)s (%(status)s) in %(month)s, "
                "unchanged from the month before."
            )
            % values
        )
    values["points"] = _points(diff)
    values["previous"] = pct(facts.previous_score)
    if diff > 0:
        text = _(
            "%(name)s scores %(score)s (%(status)s) in %(month)s, up %(points)s from %(previous)s."
        )
    else:
        text = _(
            "%(name)s scores %(score)s (%(status)s) in %(month)s, "
            "down %(points)s from %(previous)s."
        )
    return text % values


def node_text(facts: NodeFacts) -> str:
    """The commentary of an objective, a perspective or the scorecard for the month."""
    sentences = [_score_sentence(facts, period_label(facts.period)), _counts(facts)]
    if facts.driver and facts.driver_change is not None:
        values = {"name": facts.driver, "points": _points(facts.driver_change)}
        if facts.driver_change > 0:
            sentences.append(_("The largest move: %(name)s, up %(points)s.") % values)
        else:
            sentences.append(_("The largest move: %(name)s, down %(points)s.") % values)
    if facts.subject == "objective":
        sentences.append(_who(facts.initiatives, facts.owner))
    return " ".join(sentences)


def subject_text(facts: KpiFacts | NodeFacts) -> str:
    """The generated text of any subject."""
    return kpi_text(facts) if isinstance(facts, KpiFacts) else node_text(facts)


@lru_cache(maxsize=16)
def _number_pattern(decimal: str, group: str) -> re.Pattern[str]:
    """Numbers as a language writes them: grouped thousands (``1,234``, ``1.234``,
    ``1 234``) and a decimal part, or plain digits; a minus sign aside."""
    groups = {group} if group else set()
    if not group or group.isspace() or group in {NBSP, NNBSP}:
        groups |= {" ", NBSP, NNBSP}  # French groups with any kind of space
    group_class = "[" + "".join(re.escape(g) for g in sorted(groups)) + "]"
    d = re.escape(decimal)
    return re.compile(
        rf"(?<![\d{d}])(?:\d{{1,3}}(?:{group_class}\d{{3}})+(?:{d}\d+)?(?!\d)|\d+(?:{d}\d+)?)"
    )


def numbers_in(text: str, language: str | None = None) -> list[str]:
    """The numbers a text states, as the language (the active one unless named) writes
    them, in one form: grouping removed, a decimal point (“1.234,5” in German → “1234.5”)."""
    language = language or translation.get_language() or "en"
    decimal = str(formats.get_format("DECIMAL_SEPARATOR", language))
    group = str(formats.get_format("THOUSAND_SEPARATOR", language))
    pattern = _number_pattern(decimal, group)
    out = []
    for found in pattern.findall(text):
        digits = "".join(c for c in found if c.isdigit() or c == decimal)
        out.append(digits.replace(decimal, "."))
    return out


def unknown_numbers(source: str, rewritten: str, language: str | None = None) -> list[str]:
    """The numbers of ``rewritten`` that ``source`` does not state: a rewrite is accepted
    only when this is empty (it may leave numbers out, never add or change one). Both are
    read as the language (the active one unless named) writes numbers."""
    known = set(numbers_in(source, language))
    return [n for n in numbers_in(rewritten, language) if n not in known]
