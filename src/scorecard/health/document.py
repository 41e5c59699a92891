"""Health checks without a database: a scorecard document, or a stored scorecard, as
findings that carry their path in the document (``scorecard check``).

A document is parsed with :func:`scorecard.interchange.document.parse_document`
(which already refuses unreadable formulas, formula cycles, broken scales and bad
references: those come back as errors with their paths), then each scorecard in it
is turned into :class:`~scorecard.engine.quality.ScorecardFacts` and checked like a
stored one. Nothing is written anywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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
)
from scorecard.interchange.document import (
    Document,
    DocumentError,
    KpiIn,
    _key,
    aligned_period,
    measurement_rows,
    parse_document,
    spec_of,
)

from .checks import HealthReport

#: Where in a KPI, objective or initiative each finding's field lives in the document.
FIELD_KEYS = {
    "values": "measurements",
    "kpis": "kpis",
    "initiatives": "",
    "links": "",
    "tasks": "tasks",
}


@dataclass(frozen=True)
class Located:
    """A finding (or a document error) and where it is: a path in the file."""

    severity: Severity
    path: str
    message: str
    fix: str = ""
    code: str = ""


@dataclass
class CheckResult:
    """Everything ``scorecard check`` found in one source, worst first."""

    source: str
    items: list[Located] = field(default_factory=list)
    #: True when the document could not be read: only its errors are listed.
    unreadable: bool = False

    def count(self, severity: Severity) -> int:
        """How many items of one severity."""
        return sum(item.severity is severity for item in self.items)

    def by_severity(self) -> list[tuple[Severity, list[Located]]]:
        """The items grouped by severity, worst first (empty groups left out)."""
        groups = [(s, [i for i in self.items if i.severity is s]) for s in SEVERITY_ORDER]
        return [(s, items) for s, items in groups if items]


def _field_path(base: str, finding: Finding) -> str:
    key = FIELD_KEYS.get(finding.field, finding.field)
    if finding.code.startswith("weights."):
        return base  # the group's weights are on each member, not one field
    if finding.code in {"kpi.zero_target", "kpi.target_out_of_reach"}:
        key = "targets" if finding.code == "kpi.zero_target" else "target"
    return f"{base}.{key}" if key else base


def _document_facts(
    document: Document, today: dt.date
) -> list[tuple[ScorecardFacts, dict[tuple[Subject, str], str]]]:
    """Each scorecard of the document as facts, with the path of every subject."""
    fiscal = document.organization.fiscal_year_start_month
    aligned_parents = {
        a.objective
        for card in document.scorecards
        for p in card.perspectives
        for o in p.objectives
        for a in o.aligned_to
    }
    out = []
    for index, card in enumerate(document.scorecards):
        where = f"scorecards[{_key(card.slug, index)}]"
        paths: dict[tuple[Subject, str], str] = {(Subject.SCORECARD, ""): where}
        linked = {code for link in card.links for code in (link.cause, link.effect)}
        perspectives, objectives, kpis = [], [], []
        for p_index, perspective in enumerate(card.perspectives):
            p_path = f"{where}.perspectives[{_key(perspective.name, p_index)}]"
            paths[(Subject.PERSPECTIVE, perspective.name)] = p_path
            perspectives.append(
                PerspectiveFacts(perspective.name, perspective.name, perspective.weight)
            )
            for o_index, objective in enumerate(perspective.objectives):
                o_path = f"{p_path}.objectives[{_key(objective.code, o_index)}]"
                paths[(Subject.OBJECTIVE, objective.code)] = o_path
                objectives.append(
                    ObjectiveFacts(
                        code=objective.code,
                        name=objective.name,
                        perspective=perspective.name,
                        description=objective.description,
                        owner=objective.owner,
                        weight=objective.weight,
                        due_date=objective.due_date,
                        linked=objective.code in linked
                        or bool(objective.aligned_to)
                        or f"{card.slug}/{objective.code}" in aligned_parents,
                    )
                )
                for k_index, kpi in enumerate(objective.kpis):
                    paths[(Subject.KPI, kpi.code)] = f"{o_path}.kpis[{_key(kpi.code, k_index)}]"
                    kpis.append(_kpi_facts(kpi, objective.code, fiscal, today))
        initiatives = []
        for i_index, initiative in enumerate(card.initiatives):
            key = _key(initiative.name, i_index)
            paths[(Subject.INITIATIVE, key)] = f"{where}.initiatives[{key}]"
            initiatives.append(
                InitiativeFacts(
                    key=key,
                    name=initiative.name,
                    description=initiative.description,
                    owner=initiative.owner,
                    objectives=tuple(initiative.objectives),
                    status=initiative.status,
                    start_date=initiative.start_date,
                    deadline=initiative.deadline,
                    tasks=len(initiative.tasks),
                    progress=initiative.progress,
                )
            )
        facts = ScorecardFacts(
            name=card.name,
            perspectives=tuple(perspectives),
            objectives=tuple(objectives),
            kpis=tuple(kpis),
            initiatives=tuple(initiatives),
            fiscal_year_start_month=fiscal,
        )
        out.append((facts, paths))
    return out


def _kpi_facts(kpi: KpiIn, objective: str, fiscal: int, today: dt.date) -> KpiFacts:
    spec = spec_of(kpi)
    interval = et.Interval(kpi.update_interval)
    values = sorted(measurement_rows(kpi, fiscal))
    now = periods.period_containing(today, interval, fiscal)
    points = sorted(
        (aligned_period(t.period, kpi.update_interval, fiscal), t.value, t.provenance)
        for t in kpi.targets
    )
    earlier = [p for p in points if p[0] <= now.start]
    provenance: str | None = None
    target: float | None
    if earlier:
        _, target, provenance = earlier[-1]
    else:
        path = None
        if (
            kpi.baseline is not None
            and kpi.target is not None
            and kpi.baseline_date
            and kpi.target_date
        ):
            path = et.TargetPath(kpi.baseline_date, kpi.baseline, kpi.target_date, kpi.target)
        engine_points = [et.TargetPoint(start, value) for start, value, _ in points]
        target = periods.target_for_period(now, engine_points, path, kpi.target)
    return KpiFacts(
        spec=spec,
        objective=objective,
        description=kpi.description,
        data_source=kpi.data_source,
        owner=kpi.owner,
        updater=kpi.updater,
        target=target,
        target_provenance=provenance,
        history=tuple(value for _, value, _ in values[-24:]),
        last_period=values[-1][0] if values else None,
        unit_rollup=kpi.unit_rollup,
    )


def check_document_text(
    text: str, *, source: str, today: dt.date, rules: Rules | None = None
) -> CheckResult:
    """Check a document's text: its own errors, or else every scorecard's findings."""
    result = CheckResult(source)
    try:
        document = parse_document(text)
    except DocumentError as exc:
        result.unreadable = True
        result.items = [Located(Severity.ERROR, e.path, e.message) for e in exc.errors]
        return result
    for facts, paths in _document_facts(document, today):
        for finding in check_scorecard(facts, today, rules):
            base = paths.get((finding.subject, finding.key), "")
            result.items.append(
                Located(
                    finding.severity,
                    _field_path(base, finding),
                    finding.message,
                    finding.fix,
                    finding.code,
                )
            )
    order = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    result.items.sort(key=lambda item: order[item.severity])
    return result


def stored_paths(report: HealthReport) -> dict[tuple[Subject, str], str]:
    """Document-style paths of a stored scorecard's subjects (scorecards[x].perspectives[..])."""
    card = report.scorecard
    where = f"scorecards[{card.slug}]"
    paths: dict[tuple[Subject, str], str] = {(Subject.SCORECARD, ""): where}
    perspective_path = {}
    for key, perspective in report.perspectives.items():
        perspective_path[perspective.pk] = f"{where}.perspectives[{_key(perspective.name, 0)}]"
        paths[(Subject.PERSPECTIVE, key)] = perspective_path[perspective.pk]
    objective_path = {}
    for code, objective in report.objectives.items():
        base = perspective_path.get(objective.perspective_id, where)
        objective_path[objective.pk] = f"{base}.objectives[{code}]"
        paths[(Subject.OBJECTIVE, code)] = objective_path[objective.pk]
    for code, kpi in report.kpis.items():
        paths[(Subject.KPI, code)] = f"{objective_path.get(kpi.objective_id, where)}.kpis[{code}]"
    for key, initiative in report.initiatives.items():
        paths[(Subject.INITIATIVE, key)] = f"{where}.initiatives[{_key(initiative.name, 0)}]"
    return paths


def located_findings(
    findings: list[Finding], paths: dict[tuple[Subject, str], str]
) -> list[Located]:
    """Findings with their document-style paths."""
    return [
        Located(
            f.severity,
            _field_path(paths.get((f.subject, f.key), ""), f),
            f.message,
            f.fix,
            f.code,
        )
        for f in findings
    ]
