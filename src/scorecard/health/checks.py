"""The health check of a stored scorecard: ORM rows → engine facts → findings.

This is the one place that turns a scorecard's rows into
:class:`scorecard.engine.quality.ScorecardFacts`. It loads everything in a fixed
number of queries, whatever the number of KPIs, so pages and the CLI can call it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.engine.quality import (
    SEVERITY_ORDER,
    Finding,
    InitiativeFacts,
    KpiFacts,
    ObjectiveFacts,
    PerspectiveFacts,
    Rules,
    ScorecardFacts,
    Severity,
    Subject,
    check_scorecard,
    findings_about,
)
from scorecard.engine.text import gettext_noop
from scorecard.initiatives.models import Initiative
from scorecard.kpis.evaluation import kpi_spec, scorecard_rows, target_path
from scorecard.kpis.models import Kpi, Measurement, Target
from scorecard.reviews.models import KpiView
from scorecard.risks.selectors import unmitigated_high_risks
from scorecard.strategy.models import (
    Objective,
    ObjectiveAlignment,
    ObjectiveLink,
    Perspective,
    Scorecard,
)

from .involvement import involvement_findings

#: How many of a KPI's latest values the achievability check looks at.
HISTORY_PERIODS = 24


def _who(user: Any) -> str | None:
    return None if user is None else user.get_username()


@dataclass
class HealthReport:
    """A scorecard's findings and the rows they are about (for links to fix them)."""

    scorecard: Scorecard
    as_of: dt.date
    findings: list[Finding]
    perspectives: dict[str, Perspective] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)
    kpis: dict[str, Kpi] = field(default_factory=dict)
    initiatives: dict[str, Initiative] = field(default_factory=dict)

    def by_severity(self) -> list[tuple[Severity, list[Finding]]]:
        """The findings grouped by severity, worst first (empty groups left out)."""
        groups = [(s, [f for f in self.findings if f.severity is s]) for s in SEVERITY_ORDER]
        return [(s, items) for s, items in groups if items]

    def counts(self) -> dict[str, int]:
        """How many findings of each severity (every severity present, zero or not)."""
        return {s.value: sum(f.severity is s for f in self.findings) for s in SEVERITY_ORDER}

    def about(self, subject: Subject, key: str) -> list[Finding]:
        """The findings about one thing."""
        return findings_about(self.findings, subject, key)


def _targets(kpis: list[Kpi]) -> dict[int, list[tuple[dt.date, float, str]]]:
    out: dict[int, list[tuple[dt.date, float, str]]] = defaultdict(list)
    rows = Target.objects.filter(kpi__in=kpis).values_list(
        "kpi_id", "period_start", "value", "provenance"
    )
    for kpi_id, start, value, provenance in rows:
        out[kpi_id].append((start, value, provenance))
    return out


def _target_now(
    kpi: Kpi, points: list[tuple[dt.date, float, str]], today: dt.date, fiscal: int
) -> tuple[float | None, str | None]:
    """The target in force for the period that contains ``today``, and its provenance."""
    period = periods.period_containing(today, et.Interval(kpi.update_interval), fiscal)
    earlier = [p for p in points if p[0] <= period.start]
    if earlier:
        _, value, provenance = max(earlier, key=lambda p: p[0])
        return value, provenance
    engine_points = [et.TargetPoint(s, v) for s, v, _ in points]
    return periods.target_for_period(period, engine_points, target_path(kpi), kpi.target), None


def _values(kpis: list[Kpi]) -> dict[int, list[tuple[dt.date, float]]]:
    """Each KPI's current values in period order (one query)."""
    out: dict[int, list[tuple[dt.date, float]]] = defaultdict(list)
    rows = (
        Measurement.objects.filter(kpi__in=kpis, superseded_at__isnull=True)
        .order_by("kpi_id", "period_start")
        .values_list("kpi_id", "period_start", "value")
    )
    for kpi_id, start, value in rows:
        out[kpi_id].append((start, value))
    return out


def _last_recorded(kpis: list[Kpi]) -> dict[int, dt.datetime]:
    rows = (
        Measurement.objects.filter(kpi__in=kpis)
        .values("kpi_id")
        .annotate(last=Max("recorded_at"))
        .values_list("kpi_id", "last")
    )
    return dict(rows)


def _views(kpis: list[Kpi]) -> dict[int, tuple[dt.date, int]]:
    rows = (
        KpiView.objects.filter(kpi__in=kpis)
        .values("kpi_id")
        .annotate(last=Max("day"), days=Count("day", distinct=True))
        .values_list("kpi_id", "last", "days")
    )
    return {kpi_id: (last, days) for kpi_id, last, days in rows}


def _linked_objectives(scorecard: Scorecard) -> set[int]:
    """Objectives on the strategy map: linked by cause and effect or aligned across cards."""
    linked: set[int] = set()
    links = ObjectiveLink.objects.filter(
        Q(cause__scorecard=scorecard) | Q(effect__scorecard=scorecard)
    ).values_list("cause_id", "effect_id")
    for cause, effect in links:
        linked.update((cause, effect))
    alignments = ObjectiveAlignment.objects.filter(
        Q(child__scorecard=scorecard) | Q(parent__scorecard=scorecard)
    ).values_list("child_id", "parent_id")
    for child, parent in alignments:
        linked.update((child, parent))
    return linked


def usage_since(scorecard: Scorecard) -> dt.date | None:
    """The first day a KPI page of the organization was seen (views are on record from then)."""
    first = KpiView.objects.filter(kpi__scorecard__organization_id=scorecard.organization_id)
    return first.aggregate(first=Min("day"))["first"]


@dataclass
class _Rows:
    """The rows one check looks at: a whole scorecard, or one objective or initiative."""

    perspectives: list[Perspective]
    objectives: list[Objective]
    kpis: list[Kpi]
    initiatives: list[Initiative]


def _initiatives(queryset: QuerySet[Initiative]) -> list[Initiative]:
    return list(
        queryset.select_related("owner")
        .annotate(task_count=Count("tasks"))
        .order_by("deadline", "name", "pk")
    )


def _findings(
    scorecard: Scorecard,
    rows: _Rows,
    linked: set[int],
    today: dt.date,
    rules: Rules | None,
    *,
    usage: bool = True,
    map_in_use: bool | None = None,
) -> list[Finding]:
    """Turn the rows into facts and check them (a fixed number of queries)."""
    fiscal = scorecard.organization.fiscal_year_start_month
    objective_codes = {o.pk: o.code for o in rows.objectives}
    targets = _targets(rows.kpis)
    values = _values(rows.kpis)
    recorded = _last_recorded(rows.kpis)
    views = _views(rows.kpis) if usage else {}
    served: dict[int, list[str]] = defaultdict(list)
    if rows.initiatives:
        through = Initiative.objectives.through.objects.filter(initiative__in=rows.initiatives)
        for initiative_id, objective_id in through.values_list("initiative_id", "objective_id"):
            if objective_id in objective_codes:
                served[initiative_id].append(objective_codes[objective_id])
    kpi_facts = []
    for kpi in rows.kpis:
        target, provenance = _target_now(kpi, targets.get(kpi.pk, []), today, fiscal)
        history = values.get(kpi.pk, [])
        last_recorded = recorded.get(kpi.pk)
        last_viewed, view_days = views.get(kpi.pk, (None, 0))
        kpi_facts.append(
            KpiFacts(
                spec=kpi_spec(kpi),
                objective=objective_codes.get(kpi.objective_id),
                description=kpi.description,
                data_source=kpi.data_source,
                owner=_who(kpi.owner),
                updater=_who(kpi.updater),
                target=target,
                target_provenance=provenance,
                history=tuple(v for _, v in history[-HISTORY_PERIODS:]),
                last_period=history[-1][0] if history else None,
                last_recorded=last_recorded.date() if last_recorded else None,
                last_viewed=last_viewed,
                views=view_days,
                unit_rollup=kpi.unit_rollup,
                created=timezone.localdate(kpi.created_at) if kpi.created_at else None,
            )
        )
    facts = ScorecardFacts(
        name=scorecard.name,
        perspectives=tuple(
            PerspectiveFacts(str(p.pk), p.name, p.weight) for p in rows.perspectives
        ),
        objectives=tuple(
            ObjectiveFacts(
                code=o.code,
                name=o.name,
                perspective=str(o.perspective_id),
                description=o.description,
                owner=str(o.owner_id) if o.owner_id else None,
                weight=o.weight,
                due_date=o.due_date,
                linked=o.pk in linked,
            )
            for o in rows.objectives
        ),
        kpis=tuple(kpi_facts),
        initiatives=tuple(
            InitiativeFacts(
                key=str(i.pk),
                name=i.name,
                description=i.description,
                owner=_who(i.owner),
                objectives=tuple(served.get(i.pk, [])),
                status=i.status,
                start_date=i.start_date,
                deadline=i.deadline,
                tasks=getattr(i, "task_count", 0),
                progress=i.progress,
            )
            for i in rows.initiatives
        ),
        fiscal_year_start_month=fiscal,
        usage_since=usage_since(scorecard) if usage else None,
        map_in_use=map_in_use,
    )
    return check_scorecard(facts, today, rules)


def scorecard_health(
    *, scorecard: Scorecard, today: dt.date, rules: Rules | None = None
) -> HealthReport:
    """Check a stored scorecard as of ``today`` (a fixed number of queries)."""
    base = scorecard_rows(scorecard)
    rows = _Rows(
        base.perspectives,
        base.objectives,
        base.kpis,
        _initiatives(Initiative.objects.filter(scorecard=scorecard)),
    )
    findings = _findings(scorecard, rows, _linked_objectives(scorecard), today, rules)
    findings += involvement_findings(scorecard, today)  # proposals and adoption
    findings += risk_findings(scorecard)
    return HealthReport(
        scorecard=scorecard,
        as_of=today,
        findings=findings,
        perspectives={str(p.pk): p for p in rows.perspectives},
        objectives={o.code: o for o in rows.objectives},
        kpis={k.code: k for k in rows.kpis},
        initiatives={str(i.pk): i for i in rows.initiatives},
    )


def risk_findings(scorecard: Scorecard) -> list[Finding]:
    """ "High risk with no mitigation": a high or critical risk that no initiative mitigates."""
    findings = []
    for risk in unmitigated_high_risks(scorecard=scorecard):
        values = {
            "title": risk.title,
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "score": risk.score,
        }
        # Two whole sentences (translators see each level in context), one set of values.
        message = (
            gettext_noop(
                "The risk “%(title)s” is critical (likelihood %(likelihood)s × impact "
                "%(impact)s = %(score)s) and no initiative mitigates it.",
                **values,
            )
            if risk.level == "critical"
            else gettext_noop(
                "The risk “%(title)s” is high (likelihood %(likelihood)s × impact "
                "%(impact)s = %(score)s) and no initiative mitigates it.",
                **values,
            )
        )
        findings.append(
            Finding(
                code="risk.high_no_mitigation",
                severity=Severity.WARNING,
                subject=Subject.SCORECARD,
                key=scorecard.slug,
                name=risk.title,
                message=message,
                fix=gettext_noop("Link a mitigating initiative to the risk, or start one."),
                field="initiatives",
            )
        )
    return findings


# SMART checklists of one objective or initiative ---------------------------------------

#: The letters of SMART and what each asks of an objective, in the checklist's words.
SMART: list[tuple[str, Any, Any]] = [
    ("S", gettext_lazy("Specific"), gettext_lazy("says clearly what is meant")),
    ("M", gettext_lazy("Measurable"), gettext_lazy("has KPIs with targets and data")),
    (
        "A",
        gettext_lazy("Achievable"),
        gettext_lazy("has an owner, a plan and targets within reach"),
    ),
    ("R", gettext_lazy("Relevant"), gettext_lazy("is linked into the strategy")),
    ("T", gettext_lazy("Time-bound"), gettext_lazy("has a date and fresh data")),
]
#: What each letter asks of an initiative.
SMART_INITIATIVE: list[tuple[str, Any, Any]] = [
    ("S", gettext_lazy("Specific"), gettext_lazy("says what it will deliver")),
    ("M", gettext_lazy("Measurable"), gettext_lazy("has tasks or a progress to follow")),
    ("A", gettext_lazy("Achievable"), gettext_lazy("has an owner who drives it")),
    ("R", gettext_lazy("Relevant"), gettext_lazy("serves an objective")),
    ("T", gettext_lazy("Time-bound"), gettext_lazy("has a deadline that still holds")),
]


@dataclass
class ChecklistLine:
    """One SMART letter: what it asks and what is missing (nothing missing = ticked)."""

    letter: str
    label: str
    question: str
    missing: list[Finding]

    @property
    def ok(self) -> bool:
        """True when nothing under this letter needs fixing."""
        return not self.missing


@dataclass
class Checklist:
    """The SMART checklist of one objective or initiative, and the KPIs it looked at."""

    lines: list[ChecklistLine]
    kpis: dict[str, Kpi] = field(default_factory=dict)

    @property
    def missing(self) -> int:
        """How many things are missing in all."""
        return sum(len(line.missing) for line in self.lines)


def _checklist(
    findings: list[Finding], kpis: list[Kpi], letters: list[tuple[str, Any, Any]] = SMART
) -> Checklist:
    # Findings without a letter (action plan, weights) are filed under A: they are about
    # whether the objective can be achieved as planned.
    lines = [
        ChecklistLine(
            letter, str(label), str(question), [f for f in findings if (f.letter or "A") == letter]
        )
        for letter, label, question in letters
    ]
    return Checklist(lines, {k.code: k for k in kpis})


def objective_checklist(*, objective: Objective, scorecard: Scorecard, today: dt.date) -> Checklist:
    """What the objective (and its KPIs) lacks, letter by letter (a fixed number of queries).

    Usage is left out: whether a KPI is used is a question for the health page.
    """
    kpis = list(Kpi.objects.filter(objective=objective).select_related("owner", "updater"))
    linked = (
        ObjectiveLink.objects.filter(Q(cause=objective) | Q(effect=objective)).exists()
        or ObjectiveAlignment.objects.filter(Q(child=objective) | Q(parent=objective)).exists()
    )
    rows = _Rows(
        list(Perspective.objects.filter(pk=objective.perspective_id)),
        [objective],
        kpis,
        _initiatives(Initiative.objects.filter(objectives=objective)),
    )
    map_in_use = linked or ObjectiveLink.objects.filter(cause__scorecard=scorecard).exists()
    findings = _findings(
        scorecard,
        rows,
        {objective.pk} if linked else set(),
        today,
        None,
        usage=False,
        map_in_use=map_in_use,
    )
    mine = [
        f
        for f in findings
        if (f.subject is Subject.OBJECTIVE and f.key == objective.code)
        or (f.subject is Subject.KPI and f.severity is not Severity.INFO)
    ]
    return _checklist(mine, kpis)


def initiative_checklist(
    *, initiative: Initiative, scorecard: Scorecard, today: dt.date
) -> Checklist:
    """What the initiative lacks, letter by letter (a fixed number of queries)."""
    objectives = list(Objective.objects.filter(initiatives=initiative))
    if not hasattr(initiative, "task_count"):
        initiative.task_count = initiative.tasks.count()  # type: ignore[attr-defined]
    rows = _Rows([], objectives, [], [initiative])
    findings = _findings(scorecard, rows, set(), today, None, usage=False)
    mine = findings_about(findings, Subject.INITIATIVE, str(initiative.pk))
    return _checklist(mine, [], SMART_INITIATIVE)
