"""Reads for cascading: the cascade form, the alignment view, an objective's alignments,
KPI values rolled up across units, and the "why am I doing this?" chain.

Every function is scoped to one organization and costs a constant number of queries
whatever the number of units, scorecards, objectives and KPIs (the scores come from
one bulk evaluation of the organization, kpis.evaluation.organization_evaluate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from scorecard.engine.cascade import RolledValue, UnitRollup
from scorecard.engine.evaluate import NodeResult, ScorecardResult
from scorecard.kpis.evaluation import (
    OrganizationScores,
    organization_evaluate,
    unit_rule,
    value_rollups,
)
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Organization, Unit
from scorecard.organizations.selectors import unit_tree
from scorecard.strategy.models import Objective, ObjectiveAlignment, Perspective, Scorecard

# --- the cascade form -------------------------------------------------------------------


@dataclass
class CascadeChoice:
    """A parent objective the cascade form offers, with how much of it is given out."""

    objective: Objective
    kpi_count: int
    shares_given: float  # the shares units' objectives make up of it already


@dataclass
class CascadeForm:
    """What the "cascade to a unit" form offers."""

    units: list[tuple[Unit, int]]  # units below the scorecard's unit, with their depth
    perspectives: list[tuple[Perspective, list[CascadeChoice]]]


def units_below(*, unit: Unit) -> list[tuple[Unit, int]]:
    """Units under ``unit`` in tree order, with their depth below it (one query)."""
    tree = unit_tree(organization=unit.organization)
    out: list[tuple[Unit, int]] = []
    inside, base = False, 0
    for candidate, depth in tree:
        if candidate.pk == unit.pk:
            inside, base = True, depth
            continue
        if inside and depth <= base:
            break
        if inside:
            out.append((candidate, depth - base))
    return out


def cascade_form(*, scorecard: Scorecard) -> CascadeForm:
    """Units to cascade ``scorecard`` to and its objectives to choose from (five queries)."""
    perspectives = list(Perspective.objects.filter(scorecard=scorecard).order_by("position", "id"))
    objectives = list(
        Objective.objects.filter(scorecard=scorecard)
        .annotate(kpi_count=Count("kpis"))
        .order_by("position", "id")
    )
    given: dict[int, float] = {}
    for parent_id, share in ObjectiveAlignment.objects.filter(
        parent__scorecard=scorecard
    ).values_list("parent_id", "share"):
        given[parent_id] = given.get(parent_id, 0.0) + share
    return CascadeForm(
        units=units_below(unit=scorecard.unit),
        perspectives=[
            (
                p,
                [
                    CascadeChoice(o, o.kpi_count, given.get(o.pk, 0.0))
                    for o in objectives
                    if o.perspective_id == p.pk
                ],
            )
            for p in perspectives
        ],
    )


# --- the alignment view -----------------------------------------------------------------


@dataclass
class CardRow:
    """A scorecard in the alignment view: its score and what it feeds above."""

    scorecard: Scorecard
    result: ScorecardResult
    feeds: list[tuple[str, str, float]] = field(default_factory=list)  # (own, parent obj, share)


@dataclass
class UnitScoreRow:
    """A unit in tree order with its scorecards; ``cascade_from`` is the scorecard of the
    nearest unit above that has one (what an editor would cascade to this unit)."""

    unit: Unit
    depth: int
    cards: list[CardRow] = field(default_factory=list)
    cascade_from: Scorecard | None = None


@dataclass
class RollupRow:
    """A KPI whose value rolls up from the units below, beside its own recorded value."""

    kpi: Kpi
    scorecard: Scorecard
    own_value: float | None
    rolled: RolledValue
    rule: UnitRollup


@dataclass
class AlignmentOverview:
    """The alignment view: the unit tree with every scorecard's score, and rolled-up values."""

    units: list[UnitScoreRow]
    rollups: list[RollupRow]
    errors: list[str]
    as_of: dt.date


def _rollup_rows(scores: OrganizationScores, scorecards: set[int] | None = None) -> list[RollupRow]:
    rolled = value_rollups(scores)
    rows = []
    for card in scores.scorecards:
        if scorecards is not None and card.pk not in scorecards:
            continue
        result = scores.results[card.pk]
        for kpi in scores.rows[card.pk].kpis:
            if kpi.pk in rolled:
                rows.append(
                    RollupRow(
                        kpi, card, result.kpis[kpi.code].value, rolled[kpi.pk], unit_rule(kpi)
                    )
                )
    return rows


def alignment_overview(
    *, organization: Organization, as_of: dt.date, view: str = "period"
) -> AlignmentOverview:
    """The unit tree with each unit's scorecards and scores, and rolled-up KPI values.

    Every scorecard is scored in one bulk evaluation (seven queries), so the page
    costs the same whatever the number of units, scorecards and KPIs.
    """
    scores = organization_evaluate(organization_id=organization.pk, as_of=as_of, view=view)
    rows = [UnitScoreRow(unit, depth) for unit, depth in unit_tree(organization=organization)]
    by_unit = {row.unit.pk: row for row in rows}
    cards: dict[int, CardRow] = {}
    for card in scores.scorecards:
        cards[card.pk] = CardRow(card, scores.results[card.pk])
        if card.unit_id in by_unit:
            by_unit[card.unit_id].cards.append(cards[card.pk])
    units = {row.unit.pk: row for row in rows}
    for row in rows:
        above = row.unit.parent_id
        seen: set[int] = set()
        while above is not None and above in units and above not in seen:
            if units[above].cards:
                row.cascade_from = units[above].cards[0].scorecard
                break
            seen.add(above)
            above = units[above].unit.parent_id
    names = {
        (card.slug, o.code): o.name
        for card in scores.scorecards
        for o in scores.rows[card.pk].objectives
    }
    for link in scores.alignments:
        a = link.alignment
        if link.child_scorecard_id in cards:
            cards[link.child_scorecard_id].feeds.append(
                (
                    names.get((a.child_scorecard, a.child_objective), a.child_objective),
                    names.get((a.parent_scorecard, a.parent_objective), a.parent_objective),
                    a.share,
                )
            )
    return AlignmentOverview(
        units=rows,
        rollups=_rollup_rows(scores),
        errors=[error.message for error in scores.errors],
        as_of=as_of,
    )


def unit_rollups(*, organization: Organization, unit: Unit, as_of: dt.date) -> list[RollupRow]:
    """KPIs of ``unit``'s scorecards whose values roll up from the units below it."""
    scores = organization_evaluate(organization_id=organization.pk, as_of=as_of)
    return _rollup_rows(scores, {c.pk for c in scores.scorecards if c.unit_id == unit.pk})


# --- an objective's alignments ----------------------------------------------------------


@dataclass
class AlignedObjective:
    """An objective aligned above or below another, with its score and share."""

    objective: Objective
    scorecard: Scorecard
    share: float
    score: float | None
    status: str
    weight: float | None = None  # its effective share of the parent's score (below only)


@dataclass
class ObjectiveAlignmentPage:
    """What is aligned to an objective from the units below, and what it is aligned to above."""

    result: NodeResult
    above: list[AlignedObjective]
    below: list[AlignedObjective]
    has_own_kpis: bool


def objective_alignment(
    *, objective: Objective, as_of: dt.date, view: str = "period"
) -> ObjectiveAlignmentPage:
    """The objective's place in the cascade, scored (a constant nine queries)."""
    scorecard = objective.scorecard
    scores = organization_evaluate(
        organization_id=scorecard.organization_id, as_of=as_of, view=view
    )
    cards = {card.pk: card for card in scores.scorecards}
    objectives = {o.pk: o for card in scores.scorecards for o in scores.rows[card.pk].objectives}
    links = ObjectiveAlignment.objects.filter(
        child__scorecard__organization_id=scorecard.organization_id
    ).filter(Q(child=objective) | Q(parent=objective))

    def entry(other_id: int, share: float, weight: float | None = None) -> AlignedObjective | None:
        other = objectives.get(other_id)
        if other is None:
            return None
        node = scores.results[other.scorecard_id].objectives[other.code]
        return AlignedObjective(
            other, cards[other.scorecard_id], share, node.score, node.status, weight
        )

    result = scores.results[scorecard.pk].objectives[objective.code]
    weights = {(c.source_scorecard, c.source): c.weight for c in result.contributions}
    above, below = [], []
    for link in links.order_by("pk"):
        if link.child_id == objective.pk:
            found = entry(link.parent_id, link.share)
            if found:
                above.append(found)
        else:
            child = objectives.get(link.child_id)
            key = (cards[child.scorecard_id].slug, child.code) if child else None
            found = entry(link.child_id, link.share, weights.get(key) if key else None)
            if found:
                below.append(found)
    has_own = any(k.objective_id == objective.pk for k in scores.rows[scorecard.pk].kpis)
    return ObjectiveAlignmentPage(result, above, below, has_own)


# --- "why am I doing this?" -------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One link of the chain up to the strategy.

    ``kind`` is task, initiative, kpi, objective, perspective, scorecard or vision;
    ``scorecard`` and ``key`` (an objective code, KPI code or initiative id) let the
    page link to it. An objective reached through an alignment has the ``share`` the
    objective before it makes up of it, and that objective's name as ``note``; a
    scorecard's ``note`` is its unit, the vision's the scorecard it comes from.
    """

    kind: str
    name: str
    scorecard: str = ""
    key: str = ""
    note: str = ""
    share: float | None = None


Path = tuple[list[Step], Scorecard]  # the steps, and the scorecard at the top of them


def _objective_paths(
    objective: Objective,
    perspectives: dict[int, Perspective],
    cards: dict[int, Scorecard],
    objectives: dict[int, Objective],
    parents: dict[int, list[tuple[int, float]]],
    seen: frozenset[int] = frozenset(),
) -> list[Path]:
    """Paths from ``objective`` up through the objectives it is aligned to, and theirs."""
    card = cards[objective.scorecard_id]
    here = [
        Step("objective", objective.name, card.slug, objective.code),
        Step("perspective", perspectives[objective.perspective_id].name, card.slug),
        Step("scorecard", card.name, card.slug, note=card.unit.name),
    ]
    ups = [
        (objectives[pid], share)
        for pid, share in parents.get(objective.pk, [])
        if pid in objectives and pid not in seen  # a loop in bad data stops here
    ]
    if not ups:
        return [(here, card)]
    paths: list[Path] = []
    for parent, share in ups:
        below = seen | {objective.pk}
        for rest, top in _objective_paths(parent, perspectives, cards, objectives, parents, below):
            first = rest[0]
            aligned = Step(
                first.kind, first.name, first.scorecard, first.key, objective.name, share
            )
            paths.append(([*here, aligned, *rest[1:]], top))
    return paths


def _vision(card: Scorecard, cards: dict[int, Scorecard]) -> Step:
    """The vision at the top of ``card``'s cascade: the organization's vision.

    Walks up the scorecards it is cascaded from and takes the highest one that has
    a vision written (an empty step when none has).
    """
    chain, seen = [card], {card.pk}
    while (parent_id := chain[-1].parent_id) in cards and parent_id not in seen:
        seen.add(parent_id)
        chain.append(cards[parent_id])
    for candidate in reversed(chain):
        if candidate.vision.strip():
            return Step("vision", candidate.vision.strip(), candidate.slug, note=candidate.name)
    return Step("vision", "", chain[-1].slug, note=chain[-1].name)


def strategy_chain(
    *, organization_id: int, scorecard_id: int, objective_ids: list[int], start: list[Step]
) -> list[list[Step]]:
    """Every path from ``start`` (a KPI, or tasks and their initiative) up to the vision.

    Through each objective, its perspective and scorecard, the objectives of the
    scorecards above that it is aligned to (and theirs), ending with the vision of
    the top scorecard. Four queries, however long the chain.
    """
    cards = {
        c.pk: c
        for c in Scorecard.objects.filter(organization_id=organization_id).select_related("unit")
    }
    objectives = {
        o.pk: o for o in Objective.objects.filter(scorecard__organization_id=organization_id)
    }
    perspectives = {
        p.pk: p for p in Perspective.objects.filter(scorecard__organization_id=organization_id)
    }
    parents: dict[int, list[tuple[int, float]]] = {}
    for child_id, parent_id, share in (
        ObjectiveAlignment.objects.filter(child__scorecard__organization_id=organization_id)
        .order_by("pk")
        .values_list("child_id", "parent_id", "share")
    ):
        parents.setdefault(child_id, []).append((parent_id, share))
    paths = [
        [*start, *steps, _vision(top, cards)]
        for objective_id in objective_ids
        if objective_id in objectives
        for steps, top in _objective_paths(
            objectives[objective_id], perspectives, cards, objectives, parents
        )
    ]
    if not paths and scorecard_id in cards:
        # Serving no objective yet: the chain still ends at the strategy it belongs to.
        card = cards[scorecard_id]
        paths = [[*start, Step("scorecard", card.name, card.slug, note=card.unit.name),
                  _vision(card, cards)]]  # fmt: skip
    return paths


def kpi_chain(*, kpi: Kpi) -> list[list[Step]]:
    """ "Why am I doing this?" for a KPI: KPI → objective → ... → the vision."""
    card = kpi.scorecard
    return strategy_chain(
        organization_id=card.organization_id,
        scorecard_id=card.pk,
        objective_ids=[kpi.objective_id],
        start=[Step("kpi", kpi.name, card.slug, kpi.code)],
    )


def initiative_chain(*, initiative: Any) -> list[list[Step]]:
    """The chain for an initiative and its tasks: tasks → initiative → objective(s) → ...

    → the vision. Six queries.
    """
    card = initiative.scorecard
    start = []
    tasks = initiative.tasks.count()
    if tasks:
        label = f"{tasks} task{'s' if tasks != 1 else ''}"
        start.append(Step("task", label, card.slug, str(initiative.pk)))
    start.append(Step("initiative", initiative.name, card.slug, str(initiative.pk)))
    objective_ids = list(
        initiative.objectives.order_by("position", "pk").values_list("pk", flat=True)
    )
    return strategy_chain(
        organization_id=card.organization_id,
        scorecard_id=card.pk,
        objective_ids=objective_ids,
        start=start,
    )


# --- aligning an existing objective ------------------------------------------------------


@dataclass(frozen=True)
class AlignmentChoices:
    """An objective's alignments upwards (``parent`` and its scorecard loaded) and the
    objectives it may still be aligned to: those of the scorecards it is cascaded from."""

    aligned: list[ObjectiveAlignment]
    candidates: list[Objective]
    shares_total: float


def alignment_choices(*, objective: Objective) -> AlignmentChoices:
    """What the objective page's alignment form offers (three queries)."""
    cards = dict(
        Scorecard.objects.filter(organization_id=objective.scorecard.organization_id).values_list(
            "pk", "parent_id"
        )
    )
    above: list[int] = []
    current = cards.get(objective.scorecard_id)
    while current is not None and current not in above:
        above.append(current)
        current = cards.get(current)
    aligned = list(
        ObjectiveAlignment.objects.filter(child=objective)
        .select_related("parent__scorecard")
        .order_by("pk")
    )
    taken = {a.parent_id for a in aligned}
    candidates = [
        o
        for o in Objective.objects.filter(scorecard_id__in=above)
        .select_related("scorecard", "perspective")
        .order_by("scorecard__name", "perspective__position", "position", "id")
        if o.pk not in taken
    ]
    return AlignmentChoices(aligned, candidates, sum(a.share for a in aligned))
