"""Write an organization's scorecards as a scorecard document (the YAML ``scorecard load`` reads).

``document_export`` reads one organization in a constant number of queries and
returns the document's text; loading that text into an empty database and
exporting again gives the same bytes (tests/interchange/test_export.py proves it
with the demo company). The text is checked with :func:`parse_document` before it
is returned, so an export never hands out a document that ``scorecard load``
would refuse.

What the format has no place for is not written: passwords, who recorded a value
and when, superseded (corrected) values, values still waiting for the owner's
approval (or rejected), comments and other history, and people who own something
but are no longer members of the organization (the reference is left out).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel

from scorecard.engine import periods
from scorecard.engine.types import Interval
from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi, KpiAlignment, Measurement, Target
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.planning.models import Benchmark, ForecastRule, Funnel, FunnelStage
from scorecard.strategy.models import (
    Objective,
    ObjectiveAlignment,
    ObjectiveLink,
    Perspective,
    Scorecard,
)

from .document import (
    AlignmentIn,
    BandIn,
    BenchmarkIn,
    DocumentError,
    FunnelIn,
    InitiativeIn,
    KpiIn,
    LinkIn,
    MeasurementIn,
    ObjectiveIn,
    OrganizationIn,
    PerspectiveIn,
    ScorecardIn,
    SettingsIn,
    TargetIn,
    TaskIn,
    UnitIn,
    UserIn,
    parse_document,
    period_text,
)


class ExportError(Exception):
    """The export cannot be written (unknown scorecard, or data the format refuses)."""


@dataclass
class Export:
    """The document's text and what had to be left out, in plain words."""

    text: str
    warnings: list[str] = field(default_factory=list)


# Values as the document writes them ------------------------------------------------------


def _number(value: float | None) -> float | int | None:
    """Whole numbers without ``.0`` (``2300000`` rather than ``2300000.0``)."""
    if value is None:
        return None
    value = float(value)
    if value.is_integer() and math.isfinite(value) and abs(value) < 1e16:
        return int(value)
    return value


def _text(value: str | None) -> str:
    # The loader strips surrounding white space; export what a load would store.
    return (value or "").strip()


class _Flow(list[Any]):
    """A list written on one line: ``[1, 2, null]``."""


class _FlowMap(dict[str, Any]):
    """A mapping written on one line: ``{cause: a, effect: b}``."""


class _Dumper(yaml.SafeDumper):
    """Block style, except for the lists and mappings marked to read best on one line."""


_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)
_Dumper.add_representer(
    _FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True)
)


def _compact(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the fields that hold their default (the document stays short)."""
    fields = model.model_fields
    out = {}
    for key, value in data.items():
        spec = fields[key]
        if not spec.is_required() and value == spec.get_default(call_default_factory=True):
            continue
        if isinstance(value, list | dict) and not value and not spec.is_required():
            continue  # an empty list, or settings that all hold their defaults
        out[key] = value
    return out


# Reading the organization ----------------------------------------------------------------


@dataclass
class _Org:
    """Everything of one organization the document needs, loaded in one go."""

    organization: Organization
    units: list[Unit]
    members: list[Membership]
    cards: list[Scorecard]
    perspectives: dict[int, list[Perspective]]
    objectives: dict[int, list[Objective]]
    kpis: dict[int, list[Kpi]]
    targets: dict[int, list[Target]]
    measurements: dict[int, list[Measurement]]
    #: values entered but waiting for the owner's approval, by KPI
    pending: dict[int, list[Measurement]]
    #: the KPI each KPI is aligned to (a KPI of a scorecard above), by KPI
    kpi_parents: dict[int, Kpi]
    benchmarks: dict[int, list[Benchmark]]
    funnels: dict[int, list[Funnel]]
    stages: dict[int, list[FunnelStage]]
    at_risk_below: dict[int, float]
    links: dict[int, list[ObjectiveLink]]
    alignments: dict[int, list[ObjectiveAlignment]]
    initiatives: dict[int, list[Initiative]]
    initiative_objectives: dict[int, list[int]]
    tasks: dict[int, list[Task]]
    objective_by_id: dict[int, Objective]
    #: every KPI's code by its id
    kpi_codes: dict[int, str]
    card_by_id: dict[int, Scorecard]


def _grouped(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def _read(organization: Organization) -> _Org:
    """The organization's rows, in a fixed number of queries whatever its size."""
    cards = list(Scorecard.objects.filter(organization=organization).order_by("slug"))
    objectives = list(
        Objective.objects.filter(scorecard__organization=organization)
        .select_related("owner")
        .order_by("perspective_id", "position", "id")
    )
    initiatives = list(
        Initiative.objects.filter(scorecard__organization=organization)
        .select_related("owner")
        .order_by("id")
    )
    through = Initiative.objectives.through.objects.filter(
        initiative__scorecard__organization=organization
    ).values_list("initiative_id", "objective_id")
    initiative_objectives: dict[int, list[int]] = defaultdict(list)
    for initiative_id, objective_id in through:
        initiative_objectives[initiative_id].append(objective_id)
    current = list(
        Measurement.objects.filter(
            kpi__scorecard__organization=organization, superseded_at__isnull=True
        ).order_by("period_start")
    )
    approved = Measurement.Approval.APPROVED
    kpis = list(
        Kpi.objects.filter(scorecard__organization=organization)
        .select_related("owner", "updater")
        .order_by("position", "id")
    )
    return _Org(
        organization=organization,
        units=list(Unit.objects.filter(organization=organization).order_by("name", "slug")),
        members=list(
            Membership.objects.filter(organization=organization)
            .select_related("user", "unit")
            .order_by("user__username")
        ),
        cards=cards,
        perspectives=_grouped(
            Perspective.objects.filter(scorecard__organization=organization).order_by(
                "position", "id"
            ),
            "scorecard_id",
        ),
        objectives=_grouped(objectives, "perspective_id"),
        kpis=_grouped(kpis, "objective_id"),
        kpi_codes={k.pk: k.code for k in kpis},
        targets=_grouped(
            Target.objects.filter(kpi__scorecard__organization=organization).order_by(
                "period_start"
            ),
            "kpi_id",
        ),
        measurements=_grouped((m for m in current if m.approval == approved), "kpi_id"),
        pending=_grouped((m for m in current if m.approval != approved), "kpi_id"),
        kpi_parents={
            a.child_id: a.parent
            for a in KpiAlignment.objects.filter(
                child__scorecard__organization=organization
            ).select_related("parent")
        },
        # Newest first as the benchmark library lists them; equal dates in the order
        # entered, which a load keeps (rows are created in file order).
        benchmarks=_grouped(
            Benchmark.objects.filter(kpi__scorecard__organization=organization).order_by(
                "-as_of", "id"
            ),
            "kpi_id",
        ),
        funnels=_grouped(
            Funnel.objects.filter(scorecard__organization=organization).order_by("name", "id"),
            "scorecard_id",
        ),
        stages=_grouped(
            FunnelStage.objects.filter(funnel__scorecard__organization=organization).order_by(
                "position", "id"
            ),
            "funnel_id",
        ),
        at_risk_below=dict(
            ForecastRule.objects.filter(scorecard__organization=organization).values_list(
                "scorecard_id", "at_risk_below"
            )
        ),
        links=_grouped(
            ObjectiveLink.objects.filter(cause__scorecard__organization=organization).order_by(
                "id"
            ),
            "cause_id",
        ),
        alignments=_grouped(
            ObjectiveAlignment.objects.filter(child__scorecard__organization=organization)
            .select_related("parent")
            .order_by("id"),
            "child_id",
        ),
        initiatives=_grouped(initiatives, "scorecard_id"),
        initiative_objectives=initiative_objectives,
        tasks=_grouped(
            Task.objects.filter(initiative__scorecard__organization=organization)
            .select_related("assignee")
            .order_by("position", "id"),
            "initiative_id",
        ),
        objective_by_id={o.pk: o for o in objectives},
        card_by_id={c.pk: c for c in cards},
    )


# Building the document ---------------------------------------------------------------------


@dataclass
class _Builder:
    data: _Org
    chosen: set[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def fiscal_month(self) -> int:
        return self.data.organization.fiscal_year_start_month

    def member_names(self) -> set[str]:
        return {m.user.username for m in self.data.members}

    def person(self, user: Any, what: str) -> str | None:
        """A username when that person is a member (the format only knows members)."""
        if user is None:
            return None
        if user.username in self._members:
            return str(user.username)
        self.warnings.append(
            f"{what}: {user.username} is no longer a member of the organization; "
            "the reference is left out."
        )
        return None

    def __post_init__(self) -> None:
        self._members = self.member_names()

    def document(self) -> dict[str, Any]:
        org = self.data.organization
        cards = [c for c in _parents_first(self.data.cards) if c.slug in self.chosen]
        return {
            "version": 1,
            "organization": _compact(
                OrganizationIn,
                {
                    "name": _text(org.name),
                    "slug": org.slug,
                    "fiscal_year_start_month": org.fiscal_year_start_month,
                },
            ),
            "units": [self.unit(u) for u in _tree_order(self.data.units)],
            **({"users": [self.user(m) for m in self.data.members]} if self.data.members else {}),
            **({"scorecards": [self.scorecard(c) for c in cards]} if cards else {}),
        }

    def unit(self, unit: Unit) -> dict[str, Any]:
        parent = next((u.slug for u in self.data.units if u.pk == unit.parent_id), None)
        return _compact(UnitIn, {"slug": unit.slug, "name": _text(unit.name), "parent": parent})

    def user(self, membership: Membership) -> dict[str, Any]:
        user = membership.user
        name = " ".join(part for part in (user.first_name, user.last_name) if part).strip()
        return _compact(
            UserIn,
            {
                "username": user.username,
                "name": name,
                "email": user.email or "",
                "role": membership.role,
                "unit": membership.unit.slug if membership.unit else None,
            },
        )

    def scorecard(self, card: Scorecard) -> dict[str, Any]:
        parent = self.data.card_by_id.get(card.parent_id) if card.parent_id else None
        if parent is not None and parent.slug not in self.chosen:
            self.warnings.append(
                f"scorecard {card.slug}: its parent {parent.slug} is not exported; "
                "the document leaves the parent out."
            )
            parent = None
        perspectives = self.data.perspectives.get(card.pk, [])
        settings = _compact(
            SettingsIn,
            {
                "aggregator": card.aggregator,
                "missing_policy": card.missing_policy,
                "score_cap": _number(card.score_cap),
                "min_coverage": _number(card.min_coverage),
                "at_risk_below": _number(self.data.at_risk_below.get(card.pk)),
            },
        )
        unit_slug = next(u.slug for u in self.data.units if u.pk == card.unit_id)
        return _compact(
            ScorecardIn,
            {
                "slug": card.slug,
                "name": _text(card.name),
                "unit": unit_slug,
                "parent": parent.slug if parent else None,
                "vision": _text(card.vision),
                "mission": _text(card.mission),
                "settings": settings,
                "perspectives": [self.perspective(card, p) for p in perspectives],
                "links": self.links(perspectives),
                "initiatives": [
                    self.initiative(card, i) for i in self.data.initiatives.get(card.pk, [])
                ],
                "funnels": [self.funnel(card, f) for f in self.data.funnels.get(card.pk, [])],
            },
        )

    def funnel(self, card: Scorecard, funnel: Funnel) -> dict[str, Any]:
        stages = self.data.stages.get(funnel.pk, [])
        codes = self.data.kpi_codes
        costs = [_number(s.cost) for s in stages]
        return _compact(
            FunnelIn,
            {
                "name": _text(funnel.name),
                "description": _text(funnel.description),
                "stages": _Flow(codes.get(s.kpi_id, f"?{s.kpi_id}") for s in stages),
                # The first stage's cost is never used, so it is always written as null.
                "costs": _Flow([None, *costs[1:]])
                if any(c is not None for c in costs[1:])
                else None,
            },
        )

    def perspective(self, card: Scorecard, perspective: Perspective) -> dict[str, Any]:
        return _compact(
            PerspectiveIn,
            {
                "name": _text(perspective.name),
                "kind": perspective.kind,
                "weight": _number(perspective.weight),
                "objectives": [
                    self.objective(card, o) for o in self.data.objectives.get(perspective.pk, [])
                ],
            },
        )

    def objective(self, card: Scorecard, objective: Objective) -> dict[str, Any]:
        where = f"objective {card.slug}/{objective.code}"
        aligned = []
        for alignment in self.data.alignments.get(objective.pk, []):
            target_card = self.data.card_by_id[alignment.parent.scorecard_id]
            if target_card.slug not in self.chosen:
                self.warnings.append(
                    f"{where}: its alignment to {target_card.slug}/{alignment.parent.code} "
                    "is left out (that scorecard is not exported)."
                )
                continue
            aligned.append(
                _FlowMap(
                    _compact(
                        AlignmentIn,
                        {
                            "objective": f"{target_card.slug}/{alignment.parent.code}",
                            "share": _number(alignment.share),
                        },
                    )
                )
            )
        return _compact(
            ObjectiveIn,
            {
                "code": objective.code,
                "name": _text(objective.name),
                "description": _text(objective.description),
                "owner": self.person(objective.owner, f"{where}: owner"),
                "weight": _number(objective.weight),
                "due_date": objective.due_date,
                "aligned_to": aligned,
                "kpis": [self.kpi(card, k) for k in self.data.kpis.get(objective.pk, [])],
            },
        )

    def kpi(self, card: Scorecard, kpi: Kpi) -> dict[str, Any]:
        where = f"KPI {card.slug}/{kpi.code}"
        owner = self.person(kpi.owner, f"{where}: owner")
        numbers = (
            "baseline", "minimum", "maximum", "target", "tolerance", "band_low", "band_high",
            "red_flag", "weight",
        )  # fmt: skip
        data: dict[str, Any] = {
            "code": kpi.code,
            "name": _text(kpi.name),
            "description": _text(kpi.description),
            "unit": _text(kpi.unit),
            "data_source": _text(kpi.data_source),
            "optimization": kpi.optimization,
            **{name: _number(getattr(kpi, name)) for name in numbers},
            "baseline_date": kpi.baseline_date,
            "target_date": kpi.target_date,
            "update_interval": kpi.update_interval,
            "time_aggregation": kpi.time_aggregation,
            "indicator": kpi.indicator,
            "formula": _text(kpi.formula),
            "formula_mode": kpi.formula_mode,
            "target_aggregation": kpi.target_aggregation,
            "thresholds": self.thresholds(kpi),
            "owner": owner,
            "updater": self.person(kpi.updater, f"{where}: updater"),
            "values_need_approval": kpi.values_need_approval and owner is not None,
            "unit_rollup": kpi.unit_rollup,
            "aligned_to": self.kpi_parent(card, kpi, where),
            "targets": [self.target(kpi, t) for t in self.data.targets.get(kpi.pk, [])],
            "benchmarks": [self.benchmark(b) for b in self.data.benchmarks.get(kpi.pk, [])],
            "measurements": self.measurements(kpi, where),
        }
        if kpi.values_need_approval and owner is None:
            self.warnings.append(
                f"{where}: its values need the owner's approval, but it has no owner in the "
                "document; the approval is left out."
            )
        # The model's field order, so every export lists a KPI's fields the same way.
        ordered = {name: data[name] for name in KpiIn.model_fields if name in data}
        return _compact(KpiIn, ordered)

    def kpi_parent(self, card: Scorecard, kpi: Kpi, where: str) -> str | None:
        """``scorecard/code`` of the KPI this one is aligned to, when the document can say it."""
        parent = self.data.kpi_parents.get(kpi.pk)
        if parent is None:
            return None
        parent_card = self.data.card_by_id.get(parent.scorecard_id)
        reference = f"{parent_card.slug if parent_card else '?'}/{parent.code}"
        if parent_card is None or parent_card.slug not in self.chosen:
            self.warnings.append(
                f"{where}: its alignment to KPI {reference} is left out "
                "(that scorecard is not exported)."
            )
            return None
        if parent_card.pk not in self.above(card):
            self.warnings.append(
                f"{where}: its alignment to KPI {reference} is left out ({parent_card.slug} is "
                f"not a scorecard {card.slug} is cascaded from, as a KPI alignment needs)."
            )
            return None
        return reference

    def above(self, card: Scorecard) -> set[int]:
        """The ids of the exported scorecards ``card`` is cascaded from, directly or further up."""
        out: set[int] = set()
        parent = self.data.card_by_id.get(card.parent_id) if card.parent_id else None
        while parent is not None and parent.pk not in out and parent.slug in self.chosen:
            out.add(parent.pk)
            parent = self.data.card_by_id.get(parent.parent_id) if parent.parent_id else None
        return out

    def benchmark(self, benchmark: Benchmark) -> dict[str, Any]:
        return _compact(
            BenchmarkIn,
            {
                "value": _number(benchmark.value),
                "percentile": _number(benchmark.percentile),
                "source": _text(benchmark.source),
                "date": benchmark.as_of,
                "note": _text(benchmark.note),
            },
        )

    def thresholds(self, kpi: Kpi) -> list[Any] | None:
        if not kpi.thresholds:
            return None
        return [
            _FlowMap(
                _compact(
                    BandIn,
                    {
                        "status": _text(str(band.get("status", ""))),
                        "lower": _number(band.get("lower")),
                        "color": band.get("color", "#888888"),
                    },
                )
            )
            for band in kpi.thresholds
        ]

    def target(self, kpi: Kpi, target: Target) -> dict[str, Any]:
        return _compact(
            TargetIn,
            {
                "period": period_text(target.period_start, kpi.update_interval, self.fiscal_month),
                "value": _number(target.value),
                "provenance": target.provenance,
                "note": _text(target.note),
            },
        )

    def measurements(self, kpi: Kpi, where: str) -> Any:
        """A series ``{start, values}`` when compact, else a list of ``{period, value, note}``.

        A list is used as soon as one value has a note, or when the gaps between
        values would outnumber the values.
        """
        waiting = len(self.data.pending.get(kpi.pk, []))
        if waiting:
            self.warnings.append(
                f"{where}: {waiting} value{'' if waiting == 1 else 's'} waiting for approval "
                f"{'is' if waiting == 1 else 'are'} left out."
            )
        rows = self.data.measurements.get(kpi.pk, [])
        if not rows:
            return []
        if kpi.is_calculated:
            self.warnings.append(
                f"{where}: calculated from a formula; its {len(rows)} stored value(s) are "
                "left out (a calculated KPI takes no values in a document)."
            )
            return []
        interval = Interval(kpi.update_interval)
        slots = self.series_slots(rows, interval)
        if slots is not None and not any(_text(m.note) for m in rows):
            return {
                "start": period_text(rows[0].period_start, kpi.update_interval, self.fiscal_month),
                "values": _Flow(_number(v) for v in slots),
            }
        return [
            _FlowMap(
                _compact(
                    MeasurementIn,
                    {
                        "period": period_text(
                            m.period_start, kpi.update_interval, self.fiscal_month
                        ),
                        "value": _number(m.value),
                        "note": _text(m.note),
                    },
                )
            )
            for m in rows
        ]

    def series_slots(
        self, rows: list[Measurement], interval: Interval
    ) -> list[float | None] | None:
        """The values of consecutive periods from the first one, or None if not a series.

        None when a value does not start one of the KPI's periods (only a list can
        say so, and the check then reports it) or when gaps outnumber values.
        """
        by_start = {m.period_start: m.value for m in rows}
        period = periods.period_containing(rows[0].period_start, interval, self.fiscal_month)
        slots: list[float | None] = []
        last = rows[-1].period_start
        while period.start <= last:
            slots.append(by_start.get(period.start))
            if len(slots) > 2 * len(rows):
                return None
            period = periods.next_period(period, interval, self.fiscal_month)
        if sum(v is not None for v in slots) != len(rows):
            return None  # some value is not at the start of a period
        return slots

    def links(self, perspectives: list[Perspective]) -> list[Any]:
        objectives = [o for p in perspectives for o in self.data.objectives.get(p.pk, [])]
        links = sorted(
            (link for o in objectives for link in self.data.links.get(o.pk, [])),
            key=lambda link: link.pk,
        )
        out = []
        for link in links:
            effect = self.data.objective_by_id.get(link.effect_id)
            cause = self.data.objective_by_id[link.cause_id]
            if effect is None or effect.scorecard_id != cause.scorecard_id:
                continue  # the format links objectives of one scorecard only
            out.append(
                _FlowMap(
                    _compact(
                        LinkIn,
                        {"cause": cause.code, "effect": effect.code, "note": _text(link.note)},
                    )
                )
            )
        return out

    def initiative(self, card: Scorecard, initiative: Initiative) -> dict[str, Any]:
        where = f"initiative “{initiative.name}” of {card.slug}"
        served = [self.data.objective_by_id[pk] for pk in self.initiative_objectives(initiative)]
        order = {
            o.pk: index
            for index, o in enumerate(
                o
                for p in self.data.perspectives.get(card.pk, [])
                for o in self.data.objectives.get(p.pk, [])
            )
        }
        served.sort(key=lambda o: order.get(o.pk, len(order)))
        return _compact(
            InitiativeIn,
            {
                "name": _text(initiative.name),
                "description": _text(initiative.description),
                "owner": self.person(initiative.owner, f"{where}: owner"),
                "objectives": _Flow(o.code for o in served),
                "start_date": initiative.start_date,
                "deadline": initiative.deadline,
                "budget": _number(None if initiative.budget is None else float(initiative.budget)),
                "spent": _number(None if initiative.spent is None else float(initiative.spent)),
                "status": initiative.status,
                "progress": _number(initiative.progress),
                "tasks": [
                    _FlowMap(
                        _compact(
                            TaskIn,
                            {
                                "name": _text(t.name),
                                "assignee": self.person(t.assignee, f"{where}: task “{t.name}”"),
                                "deadline": t.deadline,
                                "state": t.state,
                            },
                        )
                    )
                    for t in self.data.tasks.get(initiative.pk, [])
                ],
            },
        )

    def initiative_objectives(self, initiative: Initiative) -> list[int]:
        return [
            pk
            for pk in self.data.initiative_objectives.get(initiative.pk, [])
            if pk in self.data.objective_by_id
            and self.data.objective_by_id[pk].scorecard_id == initiative.scorecard_id
        ]


def _parents_first(cards: list[Scorecard]) -> list[Scorecard]:
    """Scorecards by slug, each after its parent (as ``scorecard load`` needs them)."""
    by_id = {c.pk: c for c in cards}
    ordered: list[Scorecard] = []
    done: set[int] = set()

    def visit(card: Scorecard, trail: set[int]) -> None:
        if card.pk in done or card.pk in trail:
            return
        parent = by_id.get(card.parent_id) if card.parent_id else None
        if parent is not None:
            visit(parent, trail | {card.pk})
        done.add(card.pk)
        ordered.append(card)

    for card in sorted(cards, key=lambda c: c.slug):
        visit(card, set())
    return ordered


def _tree_order(units: list[Unit]) -> list[Unit]:
    """Units top down: each before its children, siblings by name."""
    children: dict[int | None, list[Unit]] = defaultdict(list)
    ids = {u.pk for u in units}
    for unit in units:
        children[unit.parent_id if unit.parent_id in ids else None].append(unit)
    ordered: list[Unit] = []
    stack = list(reversed(children[None]))
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(reversed(children[unit.pk]))
    return ordered


def _header(organization: Organization) -> str:
    name = " ".join(organization.name.split())
    return (
        f"# {name}: scorecard document written by `scorecard export`.\n"
        "# Format: docs/scorecard-format.md; load it with `scorecard load FILE`.\n"
    )


def dump_document(data: dict[str, Any]) -> str:
    """YAML text of document data, the way every export writes it."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def document_export(*, organization: Organization, scorecards: list[str] | None = None) -> Export:
    """The document of ``organization`` (all its scorecards, or the ones named).

    Raises ExportError for an unknown scorecard, or when the stored data holds
    something the format refuses (the message lists each problem).
    """
    data = _read(organization)
    slugs = {c.slug for c in data.cards}
    wanted = list(dict.fromkeys(scorecards)) if scorecards else sorted(slugs)
    unknown = [s for s in wanted if s not in slugs]
    if unknown:
        known = ", ".join(sorted(slugs)) or "none"
        raise ExportError(
            f"{organization.slug} has no scorecard {', '.join(unknown)} (it has: {known})."
        )
    builder = _Builder(data, set(wanted))
    text = _header(organization) + dump_document(builder.document())
    try:
        parse_document(text)
    except DocumentError as exc:
        problems = "\n".join(f"  {e}" for e in exc.errors)
        raise ExportError(
            "the stored data holds something the document format cannot express; "
            f"fix it and export again:\n{problems}"
        ) from None
    return Export(text, builder.warnings)
