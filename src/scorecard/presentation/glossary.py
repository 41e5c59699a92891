"""The words of the app explained: one short sentence per term for the tooltips beside
scores, columns and statuses, and a longer one for the glossary page (web/help/).

Every ``{% term "key" %}`` in a template must name a key of :data:`TERMS`; a test checks
that every term a template links to exists here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scorecard.presentation.numbers import LOWER_IS_BETTER, format_number


@dataclass(frozen=True)
class Term:
    key: str
    label: str | Promise  # translated (lazily) for the terms the translated pages show
    short: str | Promise  # the tooltip: one sentence
    long: str | Promise  # the glossary page


_TERMS = [
    Term(
        "score",
        _("Score"),
        _(
            "How well a KPI, objective or scorecard performs, 0–100 %, on the KPI's scale from its "
            "minimum to its target. Not the same as % of target."
        ),
        _(
            "A KPI's score places its value on the scale from the KPI's minimum (0 %) to its "
            "target (100 %); higher and lower targets, bands and thresholds are handled by the "
            "scoring rule. A KPI at 86 % of its target can therefore score 54 % when its minimum "
            "is well above zero. Objectives, perspectives and the scorecard score the weighted "
            "average of the scores below them."
        ),
    ),
    Term(
        "pct_of_target",
        # xgettext:no-python-format
        _("% of target"),
        _(
            "The value divided by the target (86 % means 86 of every 100 the target asks for). "
            "The scorecard does not rank by it; see Score."
        ),
        _(
            "The plain ratio of value to target. It ignores the KPI's minimum and its direction "
            "(lower is better), which is why Scorecard ranks by the score instead."
        ),
    ),
    Term(
        "progress",
        _("Progress"),
        _(
            "How far the value has come from the KPI's baseline towards its target. Empty (—) "
            "when the KPI has no baseline."
        ),
        _(
            "Progress measures the distance covered from the baseline (the value when the plan "
            "started) to the target: 0 % at the baseline, 100 % at the target. KPIs without a "
            "baseline show no progress (—); set one in the KPI's definition."
        ),
    ),
    Term(
        "gap",
        _("Gap"),
        _("How far the value is from the target, in the KPI's own unit."),
        _(
            "The difference between the latest value and the target, in the KPI's unit, said in "
            "the KPI's direction: short of a target to reach, or over a limit to stay under."
        ),
    ),
    Term(
        "status",
        _("Status"),
        _(
            "Green, yellow or red from the score and the KPI's thresholds; each status has its "
            "own shape (● ▲ ■) as well as its colour."
        ),
        _(  # xgettext:no-python-format
            "The status follows from the score and the KPI's thresholds (by default red below "
            "⅓, yellow from ⅓, green from ⅔ of the scale; a KPI may instead band on % of "
            "target). Pills carry a shape as well as a colour: "
            "● green, ▲ yellow, ■ red, ○ no data."
        ),
    ),
    Term(
        "green",
        _("Green"),
        _("On track: the score is at or above the green threshold (by default ⅔)."),
        _(
            "On track: the score is at or above the green threshold (by default ⅔ of the "
            "scale). Shown ●."
        ),
    ),
    Term(
        "yellow",
        _("Yellow"),
        _("Watch: the score is between the red and green thresholds."),
        _(
            "Needs attention: between the red and the green threshold (by default ⅓ to ⅔ of "
            "the scale). Shown ▲."
        ),
    ),
    Term(
        "red",
        _("Red"),
        _("Off track: the score is below the red threshold (by default ⅓)."),
        _(
            "Off track: below the red threshold (by default ⅓ of the scale). Shown ■. Red KPIs "
            "of your area appear on the home page."
        ),
    ),
    Term(
        "no_data",
        _("No data"),
        _("No value for the period, so no score; it does not count as zero."),
        _(
            "No value was entered for the period. A missing value is never taken as zero; how "
            "the objective above treats it follows the missing-data policy. Shown ○."
        ),
    ),
    Term(
        "missing_data",
        _("Missing-data policy"),
        _(
            "What an objective does with a KPI that has no value: leave it out (the default), "
            "count it as zero, or become unknown."
        ),
        _(
            "By default a child without a score is left out and the others are re-weighed. A "
            "scorecard can instead count it as zero, or make the parent unknown; a minimum "
            "coverage can also be required (see Coverage)."
        ),
    ),
    Term(
        "coverage",
        _("Coverage"),
        _(
            "The share of weight that has data. Below the minimum coverage a parent shows no "
            "score rather than a misleading one."
        ),
        _(
            "Coverage is the share of an objective's (or perspective's) weight whose children "
            "have a score. A scorecard can require a minimum coverage: below it the parent has "
            "no score."
        ),
    ),
    Term(
        "weight",
        _("Weight"),
        _(
            "How much a KPI counts in its objective, relative to its siblings (40 and 40 make "
            "two halves)."
        ),
        _(
            "Weights are relative among siblings. A KPI's absolute weight is the product of the "
            "normalised weights on its path (perspective × objective × KPI)."
        ),
    ),
    Term(
        "leading",
        _("Leading"),
        _("A driver: a KPI that moves before the results do (calls made, trainings held)."),
        _(
            "Leading indicators measure drivers that should move results later. The scorecard "
            "reports a score of its leading KPIs alone."
        ),
    ),
    Term(
        "lagging",
        _("Lagging"),
        _("An outcome: a KPI that shows results after the fact (revenue, churn)."),
        _(
            "Lagging indicators measure outcomes. The scorecard reports a score of its lagging "
            "KPIs alone, beside the overall score."
        ),
    ),
    Term(
        "trend",
        _("Trend"),
        _(
            "Whether the value went up or down since the previous period, and whether that is "
            "better or worse for this KPI."
        ),
        _(
            "The arrow compares the value with the previous period's; the words better, worse "
            "or steady say what it means for a KPI where higher (or lower) is better."
        ),
    ),
    Term(
        "target",
        _("Target"),
        _("The value the KPI should reach in the period (its score there is 100 %)."),
        _(
            "The value in force for the period: a target row, a planned path from the baseline, "
            "or the KPI's default target."
        ),
    ),
    Term(
        "at_risk",
        _("At risk"),
        _("The forecast gives the KPI less than the chosen chance of meeting its target."),
        _(
            "A KPI is marked at risk when its forecast's chance of meeting the target falls "
            "below the threshold set on the planning page."
        ),
    ),
]

TERMS: dict[str, Term] = {term.key: term for term in _TERMS}


def term(key: str) -> Term:
    """The term ``key``; an unknown key is a programming error (a test lists them)."""
    return TERMS[key]


def gap_text(result: Any, optimization: str = "maximize", unit: str = "") -> str:
    """The gap between a KPI result's value and target in words: "200 € short of the
    target", "3 % over the target", "on target"; empty without both numbers."""
    value = getattr(result, "value", None)
    target = getattr(result, "target", None)
    if value is None or target is None:
        return ""
    diff = float(value) - float(target)
    if abs(diff) < 1e-9:
        return gettext("on target")
    words = {"amount": format_number(abs(diff), unit)}
    if optimization in LOWER_IS_BETTER:
        text = (
            gettext("%(amount)s over the target")
            if diff > 0
            else gettext("%(amount)s better than the target")
        )
    elif optimization in {"exact", "band", "none"}:
        text = (
            gettext("%(amount)s above the target")
            if diff > 0
            else gettext("%(amount)s below the target")
        )
    else:
        text = (
            gettext("%(amount)s beyond the target")
            if diff > 0
            else gettext("%(amount)s short of the target")
        )
    return text % words
