"""The one adapter between ORM rows and the engine's plain dataclasses.

Everything that needs scores (pages, API, CLI, reports) calls
:func:`scorecard_evaluate`; it loads one scorecard's inputs in a constant number
of queries and hands them to :func:`scorecard.engine.evaluate.evaluate_scorecard`.

Scores are computed once per change of the data: :func:`scorecard_evaluate_with_input`
keeps each result in Django's cache under (scorecard, view, as-of, known-at, the
organization's data version). Every write that can change a number changes the data
version in its own transaction (organizations/versions.py, kpis/versioning.py), and the
version is read before the data, so a cached result is never older than the version
it is filed under.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db.models import Q

from scorecard.engine import types as et
from scorecard.engine.cascade import (
    Alignment,
    RolledValue,
    UnitRollup,
    UnitValue,
    default_unit_rollup,
    evaluate_cascade,
    roll_up_values,
)
from scorecard.engine.evaluate import (
    KpiInput,
    ObjectiveInput,
    PerspectiveInput,
    RollupSettings,
    ScorecardInput,
    ScorecardResult,
    evaluate_scorecard,
)
from scorecard.engine.formulas import FormulaError, references
from scorecard.engine.monthly import measured
from scorecard.engine.windows import parse_view
from scorecard.organizations.versions import data_version
from scorecard.strategy.models import Objective, ObjectiveAlignment, Perspective, Scorecard

from .models import Kpi, KpiAlignment, Measurement, Target

T = TypeVar("T")


def thresholds_from_json(raw: Any) -> et.Thresholds:
    """Turn a KPI's stored band list into engine thresholds (default bands when empty)."""
    if not raw:
        return et.Thresholds.default()
    bands = []
    for band in raw:
        lower = band.get("lower")
        bands.append(
            et.Band(
                status=str(band["status"]),
                lower=-math.inf if lower is None else float(lower),
                color=str(band.get("color", "#888888")),
            )
        )
    return et.Thresholds(bands=tuple(sorted(bands, key=lambda b: b.lower)))


def kpi_spec(kpi: Kpi) -> et.KpiSpec:
    """The engine's view of one KPI's definition."""
    return et.KpiSpec(
        code=kpi.code,
        name=kpi.name,
        optimization=et.Optimization(kpi.optimization),
        baseline=kpi.baseline,
        minimum=kpi.minimum,
        maximum=kpi.maximum,
        target=kpi.target,
        tolerance=kpi.tolerance,
        band_low=kpi.band_low,
        band_high=kpi.band_high,
        red_flag=kpi.red_flag,
        weight=kpi.weight,
        interval=et.Interval(kpi.update_interval),
        aggregation=et.Aggregation(kpi.time_aggregation),
        indicator=et.Indicator(kpi.indicator),
        thresholds=thresholds_from_json(kpi.thresholds),
        formula=kpi.formula.strip() or None,
        formula_mode=et.FormulaMode(kpi.formula_mode),
        unit=kpi.unit,
        target_aggregation=et.TargetAggregation(kpi.target_aggregation),
    )


def target_path(kpi: Kpi) -> et.TargetPath | None:
    """A planned path from baseline (at its date) to target (at its date), when both are set."""
    if (
        kpi.baseline is None
        or kpi.target is None
        or kpi.baseline_date is None
        or kpi.target_date is None
    ):
        return None
    return et.TargetPath(
        start=kpi.baseline_date,
        start_value=kpi.baseline,
        end=kpi.target_date,
        end_value=kpi.target,
    )


def known_measurements(kpi_ids: list[int], known_at: dt.datetime | None) -> Any:
    """Measurements that counted at ``known_at`` (the ones that count now when None).

    Values waiting for approval, and rejected ones, never count; an approved value
    counts from its approval (``decided_at``) on, not from when it was entered.
    """
    rows = Measurement.objects.filter(kpi_id__in=kpi_ids, approval=Measurement.Approval.APPROVED)
    if known_at is None:
        return rows.filter(superseded_at__isnull=True)
    return rows.filter(
        Q(recorded_at__lte=known_at),
        Q(decided_at__isnull=True) | Q(decided_at__lte=known_at),
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=known_at),
    )


@dataclass(frozen=True)
class ScorecardRows:
    """The ORM rows of one scorecard, in display order (pages show them beside the scores)."""

    perspectives: list[Perspective]
    objectives: list[Objective]
    kpis: list[Kpi]


def scorecard_rows(scorecard: Scorecard) -> ScorecardRows:
    """Perspectives, objectives and KPIs (with owners) of one scorecard in three queries."""
    return scorecards_rows([scorecard.pk])[scorecard.pk]


def scorecards_rows(scorecard_ids: list[int]) -> dict[int, ScorecardRows]:
    """:func:`scorecard_rows` of several scorecards at once, still in three queries."""
    perspectives: dict[int, list[Perspective]] = {pk: [] for pk in scorecard_ids}
    objectives: dict[int, list[Objective]] = {pk: [] for pk in scorecard_ids}
    kpis: dict[int, list[Kpi]] = {pk: [] for pk in scorecard_ids}
    for perspective in Perspective.objects.filter(scorecard_id__in=scorecard_ids).order_by(
        "position", "id"
    ):
        perspectives[perspective.scorecard_id].append(perspective)
    for objective in Objective.objects.filter(scorecard_id__in=scorecard_ids).order_by(
        "perspective__position", "perspective_id", "position", "id"
    ):
        objectives[objective.scorecard_id].append(objective)
    for kpi in (
        Kpi.objects.filter(scorecard_id__in=scorecard_ids)
        .select_related("owner", "updater")
        .order_by(
            "objective__perspective__position",
            "objective__perspective_id",
            "objective__position",
            "objective_id",
            "position",
            "id",
        )
    ):
        kpis[kpi.scorecard_id].append(kpi)
    return {pk: ScorecardRows(perspectives[pk], objectives[pk], kpis[pk]) for pk in scorecard_ids}


def _series(
    kpi_ids: list[int], known_at: dt.datetime | None
) -> tuple[dict[int, list[et.Measurement]], dict[int, list[et.TargetPoint]]]:
    """Values and targets of the KPIs, as known at ``known_at`` (two queries)."""
    values: dict[int, list[et.Measurement]] = defaultdict(list)
    for kpi_id, period_start, value in known_measurements(kpi_ids, known_at).values_list(
        "kpi_id", "period_start", "value"
    ):
        values[kpi_id].append(et.Measurement(period_start=period_start, value=value))
    targets: dict[int, list[et.TargetPoint]] = defaultdict(list)
    target_rows = Target.objects.filter(kpi_id__in=kpi_ids)
    if known_at is not None:
        target_rows = target_rows.filter(set_at__lte=known_at)
    for kpi_id, period_start, value in target_rows.values_list("kpi_id", "period_start", "value"):
        targets[kpi_id].append(et.TargetPoint(period_start=period_start, value=value))
    return values, targets


def _input(
    scorecard: Scorecard,
    rows: ScorecardRows,
    values: dict[int, list[et.Measurement]],
    targets: dict[int, list[et.TargetPoint]],
) -> ScorecardInput:
    objective_keys = {objective.pk: objective.code for objective in rows.objectives}
    return ScorecardInput(
        key=scorecard.slug,
        name=scorecard.name,
        perspectives=tuple(
            PerspectiveInput(key=str(p.pk), name=p.name, weight=p.weight) for p in rows.perspectives
        ),
        objectives=tuple(
            ObjectiveInput(
                key=o.code, name=o.name, perspective=str(o.perspective_id), weight=o.weight
            )
            for o in rows.objectives
        ),
        kpis=tuple(
            KpiInput(
                spec=kpi_spec(kpi),
                objective=objective_keys[kpi.objective_id],
                # Checked once here, while loading: one value per consecutive month
                # (the usual KPI) comes as a MonthRun the evaluation need not check again.
                measurements=measured(sorted(values[kpi.pk], key=lambda m: m.period_start)),
                targets=tuple(sorted(targets[kpi.pk], key=lambda t: t.period_start)),
                path=target_path(kpi),
            )
            for kpi in rows.kpis
        ),
        settings=RollupSettings(
            aggregator=et.Aggregator(scorecard.aggregator),
            missing=et.MissingPolicy(scorecard.missing_policy),
            cap=scorecard.score_cap,
            min_coverage=scorecard.min_coverage,
        ),
        fiscal_year_start_month=scorecard.organization.fiscal_year_start_month,
    )


def scorecard_input(
    scorecard: Scorecard,
    *,
    known_at: dt.datetime | None = None,
    rows: ScorecardRows | None = None,
) -> ScorecardInput:
    """Load one scorecard's definitions and data into engine input (five queries).

    The input holds the scorecard alone; :func:`scorecard_evaluate` adds what the
    units below contribute through aligned objectives.
    """
    rows = rows or scorecard_rows(scorecard)
    values, targets = _series([kpi.pk for kpi in rows.kpis], known_at)
    return _input(scorecard, rows, values, targets)


def scorecards_input(
    scorecards: list[Scorecard],
    *,
    known_at: dt.datetime | None = None,
    rows: dict[int, ScorecardRows] | None = None,
) -> dict[int, ScorecardInput]:
    """Engine input of several scorecards in five queries (fewer when rows are given)."""
    rows = dict(rows or {})
    missing = [card.pk for card in scorecards if card.pk not in rows]
    if missing:
        rows.update(scorecards_rows(missing))
    kpi_ids = [kpi.pk for card in scorecards for kpi in rows[card.pk].kpis]
    values, targets = _series(kpi_ids, known_at)
    return {card.pk: _input(card, rows[card.pk], values, targets) for card in scorecards}


@dataclass(frozen=True)
class AlignmentRow:
    """An objective alignment between two scorecards of one organization (ids and keys)."""

    child_scorecard_id: int
    parent_scorecard_id: int
    alignment: Alignment


def alignment_rows(organization_id: int) -> list[AlignmentRow]:
    """Every objective alignment inside the organization (one query)."""
    rows = (
        ObjectiveAlignment.objects.filter(
            child__scorecard__organization_id=organization_id,
            parent__scorecard__organization_id=organization_id,
        )
        .order_by("pk")
        .values_list(
            "child__scorecard_id",
            "child__scorecard__slug",
            "child__code",
            "parent__scorecard_id",
            "parent__scorecard__slug",
            "parent__code",
            "share",
        )
    )
    return [
        AlignmentRow(child_id, parent_id, Alignment(c_slug, c_code, p_slug, p_code, share))
        for child_id, c_slug, c_code, parent_id, p_slug, p_code, share in rows
    ]


def scorecards_below(scorecard_id: int, alignments: list[AlignmentRow]) -> set[int]:
    """Ids of the scorecards whose objectives feed ``scorecard_id``'s, at any depth."""
    below: dict[int, set[int]] = defaultdict(set)
    for row in alignments:
        below[row.parent_scorecard_id].add(row.child_scorecard_id)
    found: set[int] = set()
    stack = [scorecard_id]
    while stack:
        for child in below.get(stack.pop(), ()):
            if child not in found and child != scorecard_id:
                found.add(child)
                stack.append(child)
    return found


def scorecard_evaluate(
    *,
    scorecard: Scorecard,
    as_of: dt.date,
    view: str = "period",
    known_at: dt.datetime | None = None,
    rows: ScorecardRows | None = None,
    version: int | None = None,
) -> ScorecardResult:
    """Every score and status of ``scorecard`` for the period ``view`` as of ``as_of``.

    ``known_at`` reproduces the numbers as they were known at that moment
    (corrections made later are ignored); by default the current values count.
    Objectives that units' scorecards are aligned to include those units' scores
    (docs/cascading.md): the scorecards below are loaded together, so this costs
    one query more than the scorecard alone, plus five when anything is aligned.
    ``version`` is the organization's data version when the caller has just read it
    (:func:`~scorecard.organizations.versions.data_version`, before reading any data).
    """
    key = evaluation_cache_key(
        scorecard=scorecard,
        as_of=as_of,
        view=view,
        known_at=known_at,
        version=data_version(scorecard.organization_id) if version is None else version,
    )
    cached = cache.get(key + ":result")
    if cached is not None:
        return cast(ScorecardResult, cached)
    result, _ = _evaluate_and_keep(
        key, scorecard=scorecard, as_of=as_of, view=view, known_at=known_at, rows=rows
    )
    return result


def scorecard_evaluate_as(
    *,
    scorecard: Scorecard,
    as_of: dt.date,
    view: str = "period",
    known_at: dt.datetime | None = None,
    form: str,
    render: Callable[[ScorecardResult], T],
    version: int | None = None,
) -> T:
    """``render(scorecard_evaluate(...))``, kept in the cache next to the result under
    the same key plus ``form`` (e.g. the scores API's JSON), so that an unchanged
    scorecard is answered with one query (the data version; none when the caller gives
    ``version``, read before any data) and neither scored nor rendered again.
    ``render`` must depend on nothing but the result."""
    if version is None:
        version = data_version(scorecard.organization_id)
    key = evaluation_cache_key(
        scorecard=scorecard, as_of=as_of, view=view, known_at=known_at, version=version
    )
    key = f"{key}:{form}"
    found = cache.get(key)
    if found is not None:
        return cast(T, found)
    result = scorecard_evaluate(
        scorecard=scorecard, as_of=as_of, view=view, known_at=known_at, version=version
    )
    rendered = render(result)
    cache.set(key, rendered)
    return rendered


def scorecard_evaluate_with_input(
    *,
    scorecard: Scorecard,
    as_of: dt.date,
    view: str = "period",
    known_at: dt.datetime | None = None,
    rows: ScorecardRows | None = None,
    version: int | None = None,
) -> tuple[ScorecardResult, ScorecardInput]:
    """:func:`scorecard_evaluate` and the engine input it scored, so that callers
    needing the values and targets again (the forecasts of the "at risk" rule) do not
    load them a second time. The input includes what the units below contribute to
    aligned objectives: :func:`~scorecard.engine.evaluate.evaluate_scorecard` on it
    (or on a what-if change of it) gives the scorecard page's numbers.

    Served from the cache when the organization's data has not changed since the same
    question was last answered (one query then, for the data version; none when the
    caller gives ``version``, read before any data).
    """
    key = evaluation_cache_key(
        scorecard=scorecard,
        as_of=as_of,
        view=view,
        known_at=known_at,
        version=data_version(scorecard.organization_id) if version is None else version,
    )
    cached = cache.get_many([key + ":result", key + ":input"])
    if len(cached) == 2:
        return cast(ScorecardResult, cached[key + ":result"]), cast(
            ScorecardInput, cached[key + ":input"]
        )
    return _evaluate_and_keep(
        key, scorecard=scorecard, as_of=as_of, view=view, known_at=known_at, rows=rows
    )


def _evaluate_and_keep(
    key: str,
    *,
    scorecard: Scorecard,
    as_of: dt.date,
    view: str,
    known_at: dt.datetime | None,
    rows: ScorecardRows | None,
) -> tuple[ScorecardResult, ScorecardInput]:
    """Score afresh and keep the result and the input as two entries: most readers want
    the result alone, which is several times smaller than the input with every value."""
    result, sc = _evaluate_with_input(
        scorecard=scorecard, as_of=as_of, view=view, known_at=known_at, rows=rows
    )
    cache.set_many({key + ":result": result, key + ":input": sc})
    return result, sc


#: Raise it when the engine's results change shape or meaning, so old entries are ignored.
CACHE_GENERATION = 1


def evaluation_cache_key(
    *,
    scorecard: Scorecard,
    as_of: dt.date,
    view: str,
    known_at: dt.datetime | None,
    version: int,
) -> str:
    """The cache key of one evaluation (the data version makes it change with the data)."""
    known = known_at.isoformat() if known_at is not None else "now"
    return (
        f"scores:{CACHE_GENERATION}:{scorecard.organization_id}:{scorecard.pk}:{version}:"
        f"{as_of.isoformat()}:{view}:{known}"
    )


def _evaluate_with_input(
    *,
    scorecard: Scorecard,
    as_of: dt.date,
    view: str,
    known_at: dt.datetime | None,
    rows: ScorecardRows | None,
) -> tuple[ScorecardResult, ScorecardInput]:
    alignments = alignment_rows(scorecard.organization_id)
    below = scorecards_below(scorecard.pk, alignments)
    if not below:
        sc = scorecard_input(scorecard, known_at=known_at, rows=rows)
        return evaluate_scorecard(sc, as_of=as_of, view=parse_view(view)), sc
    cards = [
        scorecard,
        *Scorecard.objects.filter(pk__in=below).select_related("organization").order_by("pk"),
    ]
    inputs = scorecards_input(
        cards, known_at=known_at, rows={scorecard.pk: rows} if rows is not None else None
    )
    result = evaluate_cascade(
        [inputs[card.pk] for card in cards],
        [row.alignment for row in alignments],
        as_of=as_of,
        view=parse_view(view),
    )
    return result.scorecards[scorecard.slug], result.inputs[scorecard.slug]


@dataclass(frozen=True)
class OrganizationScores:
    """Every scorecard of an organization scored together, units below first."""

    organization_id: int
    scorecards: list[Scorecard]
    rows: dict[int, ScorecardRows]
    results: dict[int, ScorecardResult]
    alignments: list[AlignmentRow]
    errors: tuple[et.ConfigError, ...]


def organization_evaluate(
    *,
    organization_id: int,
    as_of: dt.date,
    view: str = "period",
    known_at: dt.datetime | None = None,
) -> OrganizationScores:
    """Score all of an organization's scorecards at once in a constant number of queries
    (seven), whatever the number of scorecards, objectives and KPIs.

    Served from the cache, like :func:`scorecard_evaluate`, while the organization's data
    version is the same (one query then: the version); any write that can change a
    number bumps the version, so a cached answer is never stale.
    """
    version = data_version(organization_id)
    known = known_at.isoformat() if known_at is not None else "now"
    key = (
        f"org-scores:{CACHE_GENERATION}:{organization_id}:{version}:"
        f"{as_of.isoformat()}:{view}:{known}"
    )
    cached = cache.get(key)
    if cached is not None:
        return cast(OrganizationScores, cached)
    scores = _organization_evaluate(
        organization_id=organization_id, as_of=as_of, view=view, known_at=known_at
    )
    cache.set(key, scores)
    return scores


def _organization_evaluate(
    *, organization_id: int, as_of: dt.date, view: str, known_at: dt.datetime | None
) -> OrganizationScores:
    cards = list(
        Scorecard.objects.filter(organization_id=organization_id)
        .select_related("organization", "unit")
        .order_by("name", "pk")
    )
    rows = scorecards_rows([card.pk for card in cards])
    inputs = scorecards_input(cards, known_at=known_at, rows=rows)
    alignments = alignment_rows(organization_id)
    result = evaluate_cascade(
        [inputs[card.pk] for card in cards],
        [row.alignment for row in alignments],
        as_of=as_of,
        view=parse_view(view),
    )
    return OrganizationScores(
        organization_id=organization_id,
        scorecards=cards,
        rows=rows,
        results={card.pk: result.scorecards[card.slug] for card in cards},
        alignments=alignments,
        errors=result.errors,
    )


def unit_rule(kpi: Kpi) -> UnitRollup:
    """The rule that rolls this KPI's values up from the units below."""
    if kpi.unit_rollup == "auto":
        return default_unit_rollup(kpi_spec(kpi))
    return UnitRollup(kpi.unit_rollup)


def value_rollups(scores: OrganizationScores) -> dict[int, RolledValue]:
    """KPI values rolled up across the unit tree, by KPI id (one query).

    Only KPIs that have KPIs of units below aligned to them, or whose formula uses
    such KPIs, are in the answer; the values are the ones shown on the scorecards.
    """
    children: dict[int, list[int]] = defaultdict(list)
    for child_id, parent_id in KpiAlignment.objects.filter(
        parent__scorecard__organization_id=scores.organization_id
    ).values_list("child_id", "parent_id"):
        children[parent_id].append(child_id)
    nodes: dict[str, UnitValue] = {}
    for card in scores.scorecards:
        kpis = scores.rows[card.pk].kpis
        by_code = {kpi.code: kpi.pk for kpi in kpis}
        result = scores.results[card.pk]
        for kpi in kpis:
            rule = unit_rule(kpi)
            inputs: tuple[tuple[str, str], ...] = ()
            if rule is UnitRollup.EQUATION and kpi.formula.strip():
                try:
                    used = references(kpi.formula)
                except FormulaError:
                    used = frozenset()
                inputs = tuple((code, str(by_code[code])) for code in used if code in by_code)
            nodes[str(kpi.pk)] = UnitValue(
                key=str(kpi.pk),
                value=result.kpis[kpi.code].value,
                rule=rule,
                children=tuple(str(c) for c in children.get(kpi.pk, ())),
                formula=kpi.formula.strip() or None,
                inputs=inputs,
            )
    # A unit's KPI aligned from another organization cannot exist (the services refuse
    # it), but drop any stray child so that one bad row cannot break the page.
    nodes = {
        key: replace(node, children=tuple(c for c in node.children if c in nodes))
        for key, node in nodes.items()
    }
    return {int(key): rolled for key, rolled in roll_up_values(nodes).items() if rolled.rolled}
