"""The facts behind the commentary: every figure comes from the engine's results for the
page (and its forecast), never computed again here; the presentation layer turns them into
words (presentation/commentary.py).

:func:`scorecard_facts` reads in a constant number of queries whatever the size of the
scorecard: it reuses the scored page, evaluates the previous month once more for the
objectives' and perspectives' change, and reads the initiatives, objective owners and
saved texts with one query each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from scorecard.audit.models import Change
from scorecard.engine import evidence as ev
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.engine.evaluate import NodeResult, ScorecardResult
from scorecard.engine.periods import Period
from scorecard.engine.quality import Rules
from scorecard.initiatives.models import Initiative
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.kpis.scorecard_selectors import ScorecardPage
from scorecard.planning.selectors import ForecastPoint, kpi_forecast
from scorecard.strategy.models import Objective, Scorecard

from .models import Commentary
from .services import history_label

Subject = Commentary.Subject


@dataclass(frozen=True)
class InitiativeFact:
    """An initiative serving the subject: who acts on it, and how far it is."""

    name: str
    owner: str
    status: str
    progress: float | None


@dataclass(frozen=True)
class KpiFacts:
    """One KPI's figures as the engine computed them for the page."""

    code: str
    name: str
    unit: str
    optimization: str
    window: Period
    value: float | None
    previous_value: float | None
    target: float | None
    performance: float | None
    status: str
    trend: str | None
    error: str | None
    owner: str
    #: The latest period with a value, when it is not the window's.
    last_period: Period | None = None
    last_value: float | None = None
    #: True when the next period's value is overdue (the health check's rule).
    stale: bool = False
    forecast: ForecastPoint | None = None
    chance: float | None = None
    initiatives: tuple[InitiativeFact, ...] = ()


@dataclass(frozen=True)
class NodeFacts:
    """An objective, perspective or the scorecard: its score now and a month before,
    how its parts stand, and the part whose score moved most (what drove the change)."""

    subject: str
    key: str
    name: str
    period: Period
    score: float | None
    previous_score: float | None
    status: str
    #: status → how many of its parts (KPIs, objectives or perspectives) have it.
    counts: dict[str, int]
    parts: str  # "KPI", "objective", "perspective"
    driver: str = ""
    driver_change: float | None = None
    red: tuple[str, ...] = ()
    owner: str = ""
    initiatives: tuple[InitiativeFact, ...] = ()


@dataclass
class ScorecardFacts:
    """The facts of every subject of one scorecard, and the texts owners saved."""

    period: Period
    kpis: dict[str, KpiFacts] = field(default_factory=dict)
    objectives: dict[str, NodeFacts] = field(default_factory=dict)
    perspectives: dict[str, NodeFacts] = field(default_factory=dict)
    scorecard: NodeFacts | None = None
    #: (subject, key) → the text saved for the subject's period.
    saved: dict[tuple[str, str], Commentary] = field(default_factory=dict)

    def get(self, subject: str, key: str) -> KpiFacts | NodeFacts | None:
        if subject == Subject.KPI:
            return self.kpis.get(key)
        if subject == Subject.OBJECTIVE:
            return self.objectives.get(key)
        if subject == Subject.PERSPECTIVE:
            return self.perspectives.get(key)
        if subject == Subject.SCORECARD:
            return self.scorecard
        return None


def _person(user: object | None) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or getattr(user, "username", ""))


def report_period(as_of: dt.date, fiscal_month: int) -> Period:
    """The month the commentary of objectives, perspectives and the scorecard is for: the
    last complete month as of ``as_of`` (a KPI's commentary is for its own window)."""
    return periods.last_complete_period(as_of, et.Interval.MONTH, fiscal_month)


def _initiatives(scorecard: Scorecard) -> dict[int, list[InitiativeFact]]:
    """Objective id → the initiatives serving it (one query and a prefetch)."""
    out: dict[int, list[InitiativeFact]] = {}
    for item in (
        Initiative.objects.filter(scorecard=scorecard)
        .select_related("owner")
        .prefetch_related("objectives")
        .order_by("name", "id")
    ):
        fact = InitiativeFact(
            item.name, _person(item.owner), item.get_status_display(), item.progress
        )
        for objective in item.objectives.all():
            out.setdefault(objective.pk, []).append(fact)
    return out


def _counts(results: list[NodeResult] | list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in results:
        status = item if isinstance(item, str) else item.status
        counts[status] = counts.get(status, 0) + 1
    return counts


def _driver(
    parts: list[tuple[str, float | None, float | None]],
) -> tuple[str, float | None]:
    """The part whose score moved most between the two months (ties: the first)."""
    best, change = "", None
    for name, now, before in parts:
        if now is None or before is None:
            continue
        moved = now - before
        if moved and (change is None or abs(moved) > abs(change)):
            best, change = name, moved
    return best, change


def _kpi_facts(
    page: ScorecardPage, as_of: dt.date, initiatives: dict[int, list[InitiativeFact]]
) -> dict[str, KpiFacts]:
    result, sc = page.result, page.input
    fy = page.scorecard.organization.fiscal_year_start_month
    values = ev.kpi_values(sc, as_of) if sc is not None else {}
    inputs = {k.spec.code: k for k in sc.kpis} if sc is not None else {}
    grace = dt.timedelta(days=Rules().grace_days)
    out = {}
    for kpi in page.rows.kpis:
        shown = result.kpis[kpi.code]
        own = {p: v for p, v in values.get(kpi.code, {}).items() if p.start <= as_of}
        last_period = max(own) if own else None
        stale = False
        if last_period is not None and inputs.get(kpi.code) is not None:
            interval = inputs[kpi.code].spec.interval
            following = periods.next_period(last_period, interval, fy)
            stale = as_of > following.end + grace
        forecast, chance = None, None
        if kpi.code in inputs and not shown.error:
            found = kpi_forecast(
                inputs[kpi.code], own, as_of=as_of, fy=fy, current_target=shown.target
            )
            forecast = found.points[0] if found.points else None
            chance = found.chance
        out[kpi.code] = KpiFacts(
            code=kpi.code,
            name=kpi.name,
            unit=kpi.unit,
            optimization=kpi.optimization,
            window=shown.window,
            value=shown.value,
            previous_value=shown.previous_value,
            target=shown.target,
            performance=shown.performance,
            status=shown.status,
            trend=shown.trend,
            error=shown.error,
            owner=_person(kpi.owner),
            last_period=last_period,
            last_value=own.get(last_period) if last_period is not None else None,
            stale=stale,
            forecast=forecast,
            chance=chance,
            initiatives=tuple(initiatives.get(kpi.objective_id, [])),
        )
    return out


def scorecard_facts(
    *,
    page: ScorecardPage,
    as_of: dt.date,
    view: str = et.View.PERIOD.value,
    known_at: dt.datetime | None = None,
) -> ScorecardFacts:
    """The facts of every KPI, objective, perspective and the scorecard of ``page`` (the
    scored page of web/kpis' scorecard_page), with the texts owners saved for them."""
    scorecard = page.scorecard
    fy = scorecard.organization.fiscal_year_start_month
    period = report_period(as_of, fy)
    before: ScorecardResult = scorecard_evaluate(
        scorecard=scorecard,
        as_of=period.start - dt.timedelta(days=1),
        view=view,
        known_at=known_at,
        rows=page.rows,
    )
    initiatives = _initiatives(scorecard)
    owners = dict(
        (o.pk, _person(o.owner))
        for o in Objective.objects.filter(scorecard=scorecard).select_related("owner")
    )
    facts = ScorecardFacts(period=period, kpis=_kpi_facts(page, as_of, initiatives))
    now = page.result
    for p in page.perspectives:
        for o in p.objectives:
            code = o.objective.code
            kpis = [facts.kpis[k.kpi.code] for k in o.kpis]
            driver, change = _driver(
                [(k.name, k.performance, _previous_performance(before, k.code)) for k in kpis]
            )
            facts.objectives[code] = NodeFacts(
                subject=Subject.OBJECTIVE,
                key=code,
                name=o.objective.name,
                period=period,
                score=o.result.score,
                previous_score=_score(before.objectives.get(code)),
                status=o.result.status,
                counts=_counts([k.status for k in kpis]),
                parts="KPI",
                driver=driver,
                driver_change=change,
                red=tuple(k.name for k in kpis if k.status == "red"),
                owner=owners.get(o.objective.pk, ""),
                initiatives=tuple(initiatives.get(o.objective.pk, [])),
            )
        key = str(p.perspective.pk)
        driver, change = _driver(
            [
                (o.objective.name, o.result.score, _score(before.objectives.get(o.objective.code)))
                for o in p.objectives
            ]
        )
        facts.perspectives[key] = NodeFacts(
            subject=Subject.PERSPECTIVE,
            key=key,
            name=p.perspective.name,
            period=period,
            score=p.result.score,
            previous_score=_score(before.perspectives.get(key)),
            status=p.result.status,
            counts=_counts([o.result for o in p.objectives]),
            parts="objective",
            driver=driver,
            driver_change=change,
            red=tuple(o.objective.name for o in p.objectives if o.result.status == "red"),
        )
    driver, change = _driver(
        [
            (
                p.perspective.name,
                p.result.score,
                _score(before.perspectives.get(str(p.perspective.pk))),
            )
            for p in page.perspectives
        ]
    )
    facts.scorecard = NodeFacts(
        subject=Subject.SCORECARD,
        key=scorecard.slug,
        name=scorecard.name,
        period=period,
        score=now.score,
        previous_score=before.score,
        status=now.status,
        counts=_counts([p.result for p in page.perspectives]),
        parts="perspective",
        driver=driver,
        driver_change=change,
        red=tuple(p.perspective.name for p in page.perspectives if p.result.status == "red"),
    )
    facts.saved = saved_texts(scorecard=scorecard, facts=facts)
    return facts


def _score(node: NodeResult | None) -> float | None:
    return node.score if node is not None else None


def _previous_performance(result: ScorecardResult, code: str) -> float | None:
    found = result.kpis.get(code)
    return found.performance if found is not None else None


def subject_period(facts: ScorecardFacts, subject: str, key: str) -> Period | None:
    """The period a subject's text is kept for: a KPI's window, else the report month."""
    found = facts.get(subject, key)
    if found is None:
        return None
    return found.window if isinstance(found, KpiFacts) else found.period


def saved_texts(
    *, scorecard: Scorecard, facts: ScorecardFacts
) -> dict[tuple[str, str], Commentary]:
    """(subject, key) → the text an owner saved for the subject's period (one query)."""
    starts = {facts.period.start} | {k.window.start for k in facts.kpis.values()}
    out = {}
    for row in Commentary.objects.filter(
        scorecard=scorecard, period_start__in=starts
    ).select_related("edited_by"):
        if subject_period(facts, row.subject, row.key) == Period(row.period_start, row.period_end):
            out[(row.subject, row.key)] = row
    return out


def commentary_history(
    *, scorecard: Scorecard, subject: str, key: str, period: Period
) -> list[Change]:
    """Every edit of one subject's text for one period, newest first (one query)."""
    return list(
        Change.objects.filter(
            scorecard_id=scorecard.pk, kind="commentary", label=history_label(subject, key, period)
        ).select_related("actor")
    )
