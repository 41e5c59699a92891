"""Quality checks of a scorecard: SMART, balance, weights, formulas, staleness, usage.

docs/health-check.md describes the rules. The checks take plain facts about one
scorecard (:class:`ScorecardFacts`) and return a list of :class:`Finding` — each
says what is wrong in words, how bad it is, and how to fix it. Callers turn the
facts out of the database
(``scorecard.health.checks``) or out of a YAML document (``scorecard check``).
As everywhere in the engine, "today" is an argument.

The checks are deliberately conservative: a finding should be worth a person's
time. Things that are merely less than ideal are ``info``; things that make a
number wrong or unreadable are ``error``.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from . import formulas, periods
from .nature import summing_problem, window_target_rule
from .scoring import validate_spec
from .text import Text, gettext_noop
from .types import Indicator, KpiSpec, Optimization


class Severity(StrEnum):
    """How much a finding matters, worst first."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


#: Severities in the order they are listed.
SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


class Subject(StrEnum):
    """What kind of thing a finding is about."""

    SCORECARD = "scorecard"
    PERSPECTIVE = "perspective"
    OBJECTIVE = "objective"
    KPI = "kpi"
    INITIATIVE = "initiative"


# Facts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiFacts:
    """What the checks need to know about one KPI.

    ``spec`` is the definition as the engine scores it. ``target`` is the target in
    force on the day of the check (a per-period target, a planned path or the
    default), and ``target_provenance`` where that number came from ("zero" for a
    first guess). ``history`` holds the recorded values, oldest first, and
    ``last_period`` the first day of the latest period that has a value.
    Usage: ``last_recorded`` (the day a value was last entered), ``last_viewed``
    and ``views`` (days on which someone opened the KPI, within the usage window)
    are None when nobody tracks them (a YAML document). ``unit_rollup`` is the rule
    chosen for rolling its values up across units ("auto" when none is), ``created``
    the day the KPI was created (None when unknown): it is not unused before then.
    """

    spec: KpiSpec
    objective: str | None
    description: str = ""
    data_source: str = ""
    owner: str | None = None
    updater: str | None = None
    target: float | None = None
    target_provenance: str | None = None
    history: tuple[float, ...] = ()
    last_period: dt.date | None = None
    last_recorded: dt.date | None = None
    last_viewed: dt.date | None = None
    views: int | None = None
    unit_rollup: str = "auto"
    created: dt.date | None = None

    @property
    def code(self) -> str:
        """The KPI's code (its key in findings)."""
        return self.spec.code

    @property
    def calculated(self) -> bool:
        """True when the KPI's values come from a formula."""
        return bool(self.spec.formula)


@dataclass(frozen=True)
class ObjectiveFacts:
    """An objective: where it sits, who owns it, and whether it is on the strategy map."""

    code: str
    name: str
    perspective: str
    description: str = ""
    owner: str | None = None
    weight: float = 1.0
    due_date: dt.date | None = None
    linked: bool = False


@dataclass(frozen=True)
class PerspectiveFacts:
    """A perspective; ``key`` is what objectives name it by."""

    key: str
    name: str
    weight: float = 1.0


@dataclass(frozen=True)
class InitiativeFacts:
    """An action plan and the objectives it serves (by code)."""

    key: str
    name: str
    description: str = ""
    owner: str | None = None
    objectives: tuple[str, ...] = ()
    status: str = "planned"
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    tasks: int = 0
    progress: float | None = None


@dataclass(frozen=True)
class ScorecardFacts:
    """Everything about one scorecard that the checks look at.

    ``usage_since`` is the first day from which views of KPI pages are on record,
    None where nobody records them (a document). A KPI is called unused only when
    the records cover its whole usage window: absence of evidence is not evidence.
    ``map_in_use`` tells whether any objective of the scorecard is linked on the
    strategy map when the facts hold only part of it (one objective's checklist).
    """

    name: str
    perspectives: tuple[PerspectiveFacts, ...] = ()
    objectives: tuple[ObjectiveFacts, ...] = ()
    kpis: tuple[KpiFacts, ...] = ()
    initiatives: tuple[InitiativeFacts, ...] = ()
    fiscal_year_start_month: int = 1
    usage_since: dt.date | None = None
    map_in_use: bool | None = None


@dataclass(frozen=True)
class Rules:
    """The knobs of the checks (docs/health-check.md explains each)."""

    #: A target is out of reach beyond mean ± k·σ of the history ...
    sigma_k: float = 2.0
    #: ... and beyond the best value so far improved by this share (for a KPI where
    #: lower is better: the best value divided by 1 + this share).
    best_margin: float = 0.5
    #: Fewest values before the history says anything about a target.
    min_history: int = 4
    #: Days after a period's value falls due before the KPI counts as stale.
    grace_days: int = 14
    #: Update intervals without a value or a view before a KPI is called unused.
    unused_intervals: int = 3
    #: One weight above this share of its group makes the others barely count.
    dominant_share: float = 0.8


# Findings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One problem found: ``code`` names the check (e.g. ``kpi.no_owner``).

    ``subject``/``key`` say what it is about (a KPI or objective code, a
    perspective's or initiative's key); ``field`` names the field to change where
    one does the fix; ``letter`` is the SMART letter the check belongs to ("" for
    balance, weights and formulas).
    """

    code: str
    severity: Severity
    subject: Subject
    key: str
    name: str
    message: str
    fix: str
    field: str = ""
    letter: str = ""


OPEN_STATUSES = frozenset({"planned", "active", "on_hold"})
#: Initiatives that count as an action plan (a finished one still shows a plan was made).
PLAN_STATUSES = OPEN_STATUSES | {"done"}
UNSCORED = frozenset({Optimization.NONE})


def check_scorecard(
    facts: ScorecardFacts, as_of: dt.date, rules: Rules | None = None
) -> list[Finding]:
    """Every finding about ``facts`` as of ``as_of``, worst first, then in scorecard order."""
    rules = rules or Rules()
    found: list[Finding] = []
    found += _check_perspectives(facts)
    found += _check_objectives(facts)
    found += _check_kpis(facts, as_of, rules)
    found += _check_formulas(facts.kpis)
    found += _check_weights(facts, rules)
    found += _check_initiatives(facts, as_of)
    rank = {severity: index for index, severity in enumerate(SEVERITY_ORDER)}
    # sorted() is stable: within a severity the order above (scorecard order) stays.
    return sorted(found, key=lambda f: rank[f.severity])


def findings_about(findings: Iterable[Finding], subject: Subject, key: str) -> list[Finding]:
    """The findings about one thing (an objective's or initiative's checklist)."""
    return [f for f in findings if f.subject is subject and f.key == key]


# Perspectives and objectives -----------------------------------------------------------


def _check_perspectives(facts: ScorecardFacts) -> Iterator[Finding]:
    used = {o.perspective for o in facts.objectives}
    for perspective in facts.perspectives:
        if perspective.key not in used:
            yield Finding(
                "perspective.empty", Severity.WARNING, Subject.PERSPECTIVE, perspective.key,
                perspective.name,
                gettext_noop(
                    "The perspective “%(name)s” has no objective: the scorecard says "
                    "nothing about it.",
                    name=perspective.name,
                ),
                gettext_noop(
                    "Add an objective to it, or remove the perspective if it does not apply."
                ),
            )  # fmt: skip


def _check_objectives(facts: ScorecardFacts) -> Iterator[Finding]:
    kpis_of: dict[str, list[KpiFacts]] = {}
    for kpi in facts.kpis:
        if kpi.objective is not None:
            kpis_of.setdefault(kpi.objective, []).append(kpi)
    plans: dict[str, int] = {}
    for initiative in facts.initiatives:
        if initiative.status in PLAN_STATUSES:
            for code in initiative.objectives:
                plans[code] = plans.get(code, 0) + 1
    map_in_use = facts.map_in_use
    if map_in_use is None:
        map_in_use = any(o.linked for o in facts.objectives)
    for objective in facts.objectives:
        yield from _objective_findings(
            objective, kpis_of.get(objective.code, []), plans.get(objective.code, 0), map_in_use
        )
    if len(facts.objectives) > 1 and not map_in_use:
        yield Finding(
            "scorecard.no_map", Severity.INFO, Subject.SCORECARD, "", facts.name,
            gettext_noop(
                "No objective is linked to another: the strategy map shows no cause and effect."
            ),
            gettext_noop("Link each objective to the ones it drives (on the objective's page)."),
            letter="R",
        )  # fmt: skip


def _objective_findings(
    objective: ObjectiveFacts, kpis: list[KpiFacts], plans: int, map_in_use: bool
) -> Iterator[Finding]:
    def finding(
        code: str, severity: Severity, message: str, fix: str, field: str = "", letter: str = ""
    ) -> Finding:
        return Finding(
            code, severity, Subject.OBJECTIVE, objective.code, objective.name,
            message, fix, field, letter,
        )  # fmt: skip

    name = objective.name
    if not objective.description.strip():
        yield finding(
            "objective.no_description", Severity.INFO,
            gettext_noop(
                "The objective “%(name)s” has no description of what it means to achieve it.",
                name=name,
            ),
            gettext_noop("Describe in a sentence or two what success looks like."),
            "description", "S",
        )  # fmt: skip
    if not kpis:
        yield finding(
            "objective.no_kpi", Severity.WARNING,
            gettext_noop(
                "No KPI measures the objective “%(name)s”, so it has no score.", name=name
            ),
            gettext_noop("Add at least one KPI that shows whether it is being achieved."),
            "kpis", "M",
        )  # fmt: skip
    else:
        indicators = {k.spec.indicator for k in kpis}
        wanted_texts = (
            (
                Indicator.LEADING,
                gettext_noop("The objective “%(name)s” has no leading KPI (a driver).", name=name),
                gettext_noop(
                    "Ideally an objective has a leading and a lagging KPI; add a driver "
                    "or mark one of its KPIs as such."
                ),
            ),
            (
                Indicator.LAGGING,
                gettext_noop(
                    "The objective “%(name)s” has no lagging KPI (an outcome).", name=name
                ),
                gettext_noop(
                    "Ideally an objective has a leading and a lagging KPI; add an outcome "
                    "or mark one of its KPIs as such."
                ),
            ),
        )
        for wanted, message, fix in wanted_texts:
            if wanted not in indicators:
                yield finding(
                    f"objective.no_{wanted.value}", Severity.INFO, message, fix, "kpis", "M",
                )  # fmt: skip
    if objective.owner is None:
        yield finding(
            "objective.no_owner", Severity.WARNING,
            gettext_noop("Nobody owns the objective “%(name)s”.", name=name),
            gettext_noop("Choose an owner who answers for it."), "owner", "A",
        )  # fmt: skip
    if plans == 0:
        yield finding(
            "objective.no_initiative", Severity.WARNING,
            gettext_noop(
                "No initiative (action plan) serves the objective “%(name)s”.", name=name
            ),
            gettext_noop("Start an initiative for it, or link an existing one."), "initiatives",
        )  # fmt: skip
    if map_in_use and not objective.linked:
        yield finding(
            "objective.not_on_map", Severity.INFO,
            gettext_noop(
                "The objective “%(name)s” is not linked to any other on the strategy map.",
                name=name,
            ),
            gettext_noop("Link it to the objectives it drives or is driven by."), "links", "R",
        )  # fmt: skip
    if objective.due_date is None:
        yield finding(
            "objective.no_due_date", Severity.INFO,
            gettext_noop("The objective “%(name)s” has no due date.", name=name),
            gettext_noop("Set the date by which it should be achieved."), "due_date", "T",
        )  # fmt: skip


# KPIs ----------------------------------------------------------------------------------


def _check_kpis(facts: ScorecardFacts, as_of: dt.date, rules: Rules) -> Iterator[Finding]:
    objectives = {o.code for o in facts.objectives}
    for kpi in facts.kpis:
        yield from _kpi_findings(kpi, objectives, facts, as_of, rules)


def _kpi_findings(
    kpi: KpiFacts,
    objectives: set[str],
    facts: ScorecardFacts,
    as_of: dt.date,
    rules: Rules,
) -> Iterator[Finding]:
    spec = kpi.spec

    def finding(
        code: str, severity: Severity, message: str, fix: str, field: str = "", letter: str = ""
    ) -> Finding:
        return Finding(
            code, severity, Subject.KPI, spec.code, spec.name, message, fix, field, letter
        )

    name = spec.name
    # S: specific
    if not kpi.description.strip():
        yield finding(
            "kpi.no_description", Severity.INFO,
            gettext_noop(
                "The KPI “%(name)s” has no description: readers must guess what it counts.",
                name=name,
            ),
            gettext_noop("Describe what is counted and how."), "description", "S",
        )  # fmt: skip
    binary = spec.optimization in (Optimization.BINARY_MAX, Optimization.BINARY_MIN)
    if not spec.unit.strip() and not binary:
        yield finding(
            "kpi.no_unit", Severity.INFO,
            gettext_noop("The KPI “%(name)s” has no unit of measure.", name=name),
            gettext_noop("Give its unit (%, €, days, ...)."), "unit", "S",
        )  # fmt: skip
    # M: measurable
    if not kpi.calculated and not kpi.data_source.strip():
        yield finding(
            "kpi.no_data_source", Severity.INFO,
            gettext_noop("The KPI “%(name)s” does not say where its numbers come from.", name=name),
            gettext_noop("Name the data source (a report, a system, a survey)."),
            "data_source", "M",
        )  # fmt: skip
    for problem in validate_spec(spec):
        yield finding(
            "kpi.scale", Severity.ERROR, problem.message,
            gettext_noop("Fix the scale (minimum, maximum, baseline, target, tolerance or band)."),
            "target", "M",
        )  # fmt: skip
    summing = summing_problem(spec, kpi.unit_rollup)
    if summing:
        yield finding(
            "kpi.sums_non_additive", Severity.WARNING,
            f"The KPI {name} {summing}: its numbers over a quarter or a year, or across "
            "units, are meaningless.",
            gettext_noop(
                "Choose an average or the last value (time aggregation, window target rule or "
                "unit rollup), or correct the unit."
            ),
            "time_aggregation", "M",
        )  # fmt: skip
    if (
        spec.optimization not in UNSCORED
        and not _has_target(kpi)
        and not _target_from_inputs(kpi, {k.code: k for k in facts.kpis}, set())
    ):
        yield finding(
            "kpi.no_target", Severity.WARNING,
            gettext_noop("The KPI “%(name)s” has no target, so it cannot be scored.", name=name),
            gettext_noop("Set a target (a default or one per period)."), "target", "M",
        )  # fmt: skip
    if kpi.target_provenance == "zero":
        yield finding(
            "kpi.zero_target", Severity.WARNING,
            gettext_noop(
                "The target of “%(name)s” is a zero-target: a first guess that was never "
                "reviewed.",
                name=name,
            ),
            gettext_noop(
                "Review it against history, a benchmark or a conversion chain and record where "
                "the new number comes from."
            ),
            "target", "A",
        )  # fmt: skip
    # A: achievable
    reach = _out_of_reach(kpi, rules)
    if reach:
        yield finding(
            "kpi.target_out_of_reach", Severity.WARNING, reach,
            gettext_noop(
                "Check the target against what has been achieved, or explain the stretch "
                "in the target's note."
            ),
            "target", "A",
        )  # fmt: skip
    # R: relevant
    if kpi.objective is None or kpi.objective not in objectives:
        yield finding(
            "kpi.no_objective", Severity.ERROR,
            gettext_noop("The KPI “%(name)s” measures no objective of this scorecard.", name=name),
            gettext_noop("Attach it to the objective it measures."), "objective", "R",
        )  # fmt: skip
    # Accountability
    if kpi.owner is None:
        no_owner = (
            gettext_noop(
                "The KPI “%(name)s” has no owner (it has an updater, but nobody answers for it).",
                name=name,
            )
            if kpi.updater
            else gettext_noop("The KPI “%(name)s” has no owner.", name=name)
        )
        yield finding(
            "kpi.no_owner", Severity.WARNING, no_owner,
            gettext_noop("Choose an owner who answers for the number."), "owner", "A",
        )  # fmt: skip
    # T: time-bound, fresh
    if not kpi.calculated:
        yield from _staleness(kpi, facts, as_of, rules, finding)
    if facts.usage_since is not None:
        unused = _unused_since(kpi, facts, facts.usage_since, as_of, rules)
        if unused is not None:
            unused_text = (
                gettext_noop(
                    "Since %(date)s nobody opened the KPI “%(name)s”.", date=unused, name=name
                )
                if kpi.calculated
                else gettext_noop(
                    "Since %(date)s no value was entered and nobody opened the KPI “%(name)s”.",
                    date=unused,
                    name=name,
                )
            )
            yield finding(
                "kpi.unused", Severity.INFO, unused_text,
                gettext_noop("Review whether it is still needed; remove it if nobody uses it."),
                "", "R",
            )  # fmt: skip


def _has_target(kpi: KpiFacts) -> bool:
    spec = kpi.spec
    if spec.optimization is Optimization.BAND:
        return spec.band_low is not None and spec.band_high is not None
    return kpi.target is not None or spec.target is not None


def _target_from_inputs(kpi: KpiFacts, kpis: dict[str, KpiFacts], seen: set[str]) -> bool:
    """True when a calculated KPI without a target of its own gets one from its formula
    over its inputs' targets (engine.nature.window_target_rule), every input having one."""
    spec = kpi.spec
    if not spec.formula or spec.code in seen:
        return False
    if window_target_rule(spec, has_own_target=False) is not None:
        return False
    try:
        used = formulas.references(spec.formula)
    except formulas.FormulaError:
        return False
    path = seen | {spec.code}  # the KPIs on the way here: a loop never gives a target
    return bool(used) and all(
        code in kpis and (_has_target(kpis[code]) or _target_from_inputs(kpis[code], kpis, path))
        for code in used
    )


def _direction(kpi: KpiFacts, target: float) -> int:
    """+1 when higher is better, -1 when lower is, 0 when the history cannot judge it."""
    opt = kpi.spec.optimization
    if opt in (Optimization.MAXIMIZE, Optimization.PERCENT_OF_TARGET):
        return 1
    if opt is Optimization.MINIMIZE:
        return -1
    if opt is Optimization.GOAL_RED_FLAG and kpi.spec.red_flag is not None:
        return 1 if target > kpi.spec.red_flag else -1
    return 0  # exact, band, yes/no and unscored KPIs: no "further is harder"


def _out_of_reach(kpi: KpiFacts, rules: Rules) -> str | None:
    """Why the target looks out of reach given the history, or None.

    Out of reach means beyond both mean ± k·σ and the best value so far improved by
    ``best_margin`` (docs/health-check.md, "A").
    """
    target = kpi.target if kpi.target is not None else kpi.spec.target
    values = kpi.history
    if target is None or len(values) < rules.min_history:
        return None
    direction = _direction(kpi, target)
    if direction == 0:
        return None
    try:
        mean = statistics.fmean(values)
        sigma = statistics.pstdev(values)
    except OverflowError:  # values near the float limit (1e308): nothing to judge by
        return None
    if direction > 0:
        best = max(values)
        reach = mean + rules.sigma_k * sigma
        if best > 0:
            reach = max(reach, best * (1 + rules.best_margin))
        if target <= reach:
            return None
        highest = True
    else:
        best = min(values)
        reach = mean - rules.sigma_k * sigma
        if best > 0:
            reach = min(reach, best / (1 + rules.best_margin))
        if target >= reach:
            return None
        highest = False
    facts = {
        "name": kpi.spec.name,
        "target": target,
        "best": best,
        "mean": mean,
        "count": len(values),
    }
    if highest:
        return gettext_noop(
            "The target of “%(name)s” (%(target)s) is far beyond its history: the highest "
            "value so far is %(best)s and the average %(mean)s over %(count)s periods.",
            **facts,
        )
    return gettext_noop(
        "The target of “%(name)s” (%(target)s) is far beyond its history: the lowest "
        "value so far is %(best)s and the average %(mean)s over %(count)s periods.",
        **facts,
    )


def _staleness(
    kpi: KpiFacts,
    facts: ScorecardFacts,
    as_of: dt.date,
    rules: Rules,
    finding: _FindingMaker,
) -> Iterator[Finding]:
    """A KPI whose latest value is older than one interval plus the grace days."""
    spec = kpi.spec
    name = spec.name
    fiscal = facts.fiscal_year_start_month
    if kpi.last_period is None:
        yield finding(
            "kpi.no_values", Severity.WARNING,
            gettext_noop("The KPI “%(name)s” has no values yet.", name=name),
            gettext_noop("Enter its latest value (or load its history)."), "values", "T",
        )  # fmt: skip
        return
    last = periods.period_containing(kpi.last_period, spec.interval, fiscal)
    following = periods.next_period(last, spec.interval, fiscal)
    due = following.end + dt.timedelta(days=rules.grace_days)
    if as_of > due:
        missing = following.start
        yield finding(
            "kpi.stale", Severity.WARNING,
            gettext_noop(
                "The KPI “%(name)s” is stale: its latest value is for the period starting "
                "%(last)s; the one starting %(missing)s was due by %(due)s.",
                name=name,
                last=kpi.last_period,
                missing=missing,
                due=due,
            ),
            gettext_noop(
                "Enter the missing values, or change the update interval if it is updated "
                "less often."
            ),
            "values", "T",
        )  # fmt: skip


def _unused_since(
    kpi: KpiFacts, facts: ScorecardFacts, tracked: dt.date, as_of: dt.date, rules: Rules
) -> dt.date | None:
    """The start of the usage window when nobody entered or viewed the KPI in it
    (None when someone did, or when views were not yet recorded for all of it)."""
    fiscal = facts.fiscal_year_start_month
    window = periods.period_containing(as_of, kpi.spec.interval, fiscal)
    for _ in range(rules.unused_intervals):
        window = periods.previous_period(window, kpi.spec.interval, fiscal)
    since = window.start
    if tracked > since:
        return None
    if kpi.created is not None and kpi.created > since:
        # Too young to judge: the window starts before the KPI existed.
        return None
    viewed = kpi.last_viewed is not None and kpi.last_viewed >= since
    entered = kpi.last_recorded is not None and kpi.last_recorded >= since
    if viewed or (entered and not kpi.calculated):
        return None
    return since


# Formulas ------------------------------------------------------------------------------


def _check_formulas(kpis: Sequence[KpiFacts]) -> Iterator[Finding]:
    """Formulas that cannot be read, name unknown KPIs, or form a cycle."""
    result = formulas.plan(k.spec for k in kpis)
    names = {k.code: k.spec.name for k in kpis}
    for code, problem in result.problems.items():
        yield Finding(
            "kpi.formula", Severity.ERROR, Subject.KPI, code, names.get(code, code),
            problem.message,
            gettext_noop(
                "Correct the formula: it may use only the codes of this scorecard's KPIs, "
                "and no KPI may depend on itself."
            ),
            "formula", "M",
        )  # fmt: skip


# Weights -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    subject: Subject
    key: str
    name: str
    what: str
    items: list[tuple[str, float]] = field(default_factory=list)


def _check_weights(facts: ScorecardFacts, rules: Rules) -> Iterator[Finding]:
    groups = [
        _Group(
            Subject.SCORECARD, "", facts.name, "perspectives",
            [(p.name, p.weight) for p in facts.perspectives],
        )
    ]  # fmt: skip
    for perspective in facts.perspectives:
        groups.append(
            _Group(
                Subject.PERSPECTIVE, perspective.key, perspective.name, "objectives",
                [(o.name, o.weight) for o in facts.objectives if o.perspective == perspective.key],
            )
        )  # fmt: skip
    for objective in facts.objectives:
        groups.append(
            _Group(
                Subject.OBJECTIVE, objective.code, objective.name, "KPIs",
                [(k.spec.name, k.spec.weight) for k in facts.kpis if k.objective == objective.code],
            )
        )  # fmt: skip
    for group in groups:
        yield from _weight_findings(group, rules)


def _weight_texts(what: str) -> list[Callable[..., Text]]:
    """The weight findings' sentences for one kind of group (whole sentences, each
    translatable): all zero, one dominant, sums like shares, sums like percentages."""
    if what == "perspectives":
        return [
            lambda **p: gettext_noop(
                "The perspectives of “%(name)s” all weigh nothing, so nothing rolls up.", **p
            ),
            lambda **p: gettext_noop(
                "The perspectives of “%(name)s”: “%(heaviest)s” carries %(share)s%% of the "
                "weight, so the others barely count.",
                **p,
            ),
            lambda **p: gettext_noop(
                "The perspectives of “%(name)s” have weights that add up to %(total)s; if they "
                "are shares they should add up to %(whole)s.",
                **p,
            ),
            lambda **p: gettext_noop(
                "The perspectives of “%(name)s” have weights that add up to %(total)s; if they "
                "are percentages they should add up to %(whole)s.",
                **p,
            ),
        ]
    if what == "objectives":
        return [
            lambda **p: gettext_noop(
                "The objectives of “%(name)s” all weigh nothing, so nothing rolls up.", **p
            ),
            lambda **p: gettext_noop(
                "The objectives of “%(name)s”: “%(heaviest)s” carries %(share)s%% of the "
                "weight, so the others barely count.",
                **p,
            ),
            lambda **p: gettext_noop(
                "The objectives of “%(name)s” have weights that add up to %(total)s; if they "
                "are shares they should add up to %(whole)s.",
                **p,
            ),
            lambda **p: gettext_noop(
                "The objectives of “%(name)s” have weights that add up to %(total)s; if they "
                "are percentages they should add up to %(whole)s.",
                **p,
            ),
        ]
    return [
        lambda **p: gettext_noop(
            "The KPIs of “%(name)s” all weigh nothing, so nothing rolls up.", **p
        ),
        lambda **p: gettext_noop(
            "The KPIs of “%(name)s”: “%(heaviest)s” carries %(share)s%% of the weight, so the "
            "others barely count.",
            **p,
        ),
        lambda **p: gettext_noop(
            "The KPIs of “%(name)s” have weights that add up to %(total)s; if they are shares "
            "they should add up to %(whole)s.",
            **p,
        ),
        lambda **p: gettext_noop(
            "The KPIs of “%(name)s” have weights that add up to %(total)s; if they are "
            "percentages they should add up to %(whole)s.",
            **p,
        ),
    ]


_WEIGHT_TEXTS = {what: _weight_texts(what) for what in ("perspectives", "objectives", "KPIs")}


def _weight_findings(group: _Group, rules: Rules) -> Iterator[Finding]:
    weights = [w for _, w in group.items]
    if not weights:
        return

    def finding(code: str, severity: Severity, message: str, fix: str) -> Finding:
        return Finding(code, severity, group.subject, group.key, group.name, message, fix, "weight")

    total = sum(weights)
    if total <= 0:
        yield finding(
            "weights.zero", Severity.ERROR, _WEIGHT_TEXTS[group.what][0](name=group.name),
            gettext_noop("Give them weights above zero."),
        )  # fmt: skip
        return
    if len(weights) >= 3:
        heaviest, weight = max(group.items, key=lambda item: item[1])
        if weight / total > rules.dominant_share:
            yield finding(
                "weights.dominant", Severity.WARNING,
                _WEIGHT_TEXTS[group.what][1](
                    name=group.name, heaviest=heaviest, share=round(weight / total * 100)
                ),
                gettext_noop("Check the weights; equal weights are a fair start."),
            )  # fmt: skip
    looks = _looks_like(weights)
    if looks is not None:
        whole, label = looks
        yield finding(
            "weights.sum", Severity.INFO,
            _WEIGHT_TEXTS[group.what][2 if label == "shares" else 3](
                name=group.name, total=total, whole=whole
            ),
            gettext_noop(
                "Weights are relative, so this only matters if you read them as shares; "
                "make them add up to %(whole)s or use simple ratios.",
                whole=whole,
            )
            if label == "shares"
            else gettext_noop(
                "Weights are relative, so this only matters if you read them as percentages; "
                "make them add up to %(whole)s or use simple ratios.",
                whole=whole,
            ),
        )  # fmt: skip


def _looks_like(weights: list[float]) -> tuple[int, str] | None:
    """(whole, label) when the weights look like percentages or shares that miss their
    whole by a little; None when they look like plain ratios or add up exactly."""
    if len(weights) < 2:
        return None
    total = sum(weights)
    if all(0 < w < 1 for w in weights) and 0.9 <= total <= 1.1 and not math.isclose(total, 1):
        return 1, "shares"
    whole_numbers = all(w == round(w) for w in weights)
    if (
        whole_numbers
        and any(w >= 5 for w in weights)
        and 90 <= total <= 110
        and not math.isclose(total, 100)
    ):
        return 100, "percentages"
    return None


# Initiatives ---------------------------------------------------------------------------


def _check_initiatives(facts: ScorecardFacts, as_of: dt.date) -> Iterator[Finding]:
    objectives = {o.code for o in facts.objectives}
    for initiative in facts.initiatives:
        if initiative.status not in OPEN_STATUSES:
            continue  # a finished or cancelled plan needs no more care

        def finding(
            code: str, severity: Severity, message: str, fix: str, field: str, letter: str
        ) -> Finding:
            return Finding(
                code, severity, Subject.INITIATIVE, initiative.key, initiative.name,  # noqa: B023
                message, fix, field, letter,
            )  # fmt: skip

        name = initiative.name
        if not initiative.description.strip():
            yield finding(
                "initiative.no_description", Severity.INFO,
                gettext_noop(
                    "The initiative “%(name)s” has no description of what it will deliver.",
                    name=name,
                ),
                gettext_noop("Describe its outcome in a sentence or two."), "description", "S",
            )  # fmt: skip
        if initiative.tasks == 0 and initiative.progress is None:
            yield finding(
                "initiative.no_progress", Severity.INFO,
                gettext_noop(
                    "The initiative “%(name)s” has no tasks and no progress entered, so nobody "
                    "can tell how far along it is.",
                    name=name,
                ),
                gettext_noop("Break it into tasks, or enter its progress."), "tasks", "M",
            )  # fmt: skip
        if initiative.owner is None:
            yield finding(
                "initiative.no_owner", Severity.WARNING,
                gettext_noop("Nobody owns the initiative “%(name)s”.", name=name),
                gettext_noop("Choose an owner who drives it."), "owner", "A",
            )  # fmt: skip
        if not [code for code in initiative.objectives if code in objectives]:
            yield finding(
                "initiative.no_objective", Severity.WARNING,
                gettext_noop("The initiative “%(name)s” serves no objective.", name=name),
                gettext_noop("Link it to the objectives it serves."), "objectives", "R",
            )  # fmt: skip
        if initiative.deadline is None:
            yield finding(
                "initiative.no_deadline", Severity.WARNING,
                gettext_noop("The initiative “%(name)s” has no deadline.", name=name),
                gettext_noop("Set the date by which it should be done."), "deadline", "T",
            )  # fmt: skip
        elif initiative.deadline < as_of:
            yield finding(
                "initiative.overdue", Severity.WARNING,
                gettext_noop(
                    "The initiative “%(name)s” is past its deadline (%(deadline)s) and not done.",
                    name=name,
                    deadline=initiative.deadline,
                ),
                gettext_noop("Finish it, set a new deadline, or put it on hold."),
                "deadline", "T",
            )  # fmt: skip


class _FindingMaker(Protocol):
    """The signature of the per-subject ``finding`` helpers (for type checking)."""

    def __call__(
        self,
        code: str,
        severity: Severity,
        message: str,
        fix: str,
        field: str = "",
        letter: str = "",
    ) -> Finding: ...
