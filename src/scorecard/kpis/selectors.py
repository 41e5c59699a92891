"""Reads for KPI pages, data entry and a person's to-do list, scoped by scorecard or organization.

Every function loads what its page needs in a constant number of queries,
whatever the number of KPIs or periods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.engine.periods import Period
from scorecard.engine.scoring import score_value
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Scorecard

from .evaluation import kpi_spec, organization_evaluate, target_path
from .models import Kpi, Measurement, Target

#: Roles that may enter values for any KPI of their organization.
ANY_KPI_ROLES = {"admin", "editor"}


def kpi_get(*, scorecard: Scorecard, code: str) -> Kpi | None:
    """One KPI of ``scorecard`` by its code, with its objective and people."""
    return (
        Kpi.objects.select_related("objective__perspective", "owner", "updater")
        .filter(scorecard=scorecard, code=code)
        .first()
    )


def kpi_period(kpi: Kpi, start: dt.date, fiscal_year_start_month: int = 1) -> Period:
    """The KPI's period that starts (or lies) at ``start``."""
    return periods.period_containing(
        start, et.Interval(kpi.update_interval), fiscal_year_start_month
    )


@dataclass
class PeriodRow:
    """One period of a KPI's history: the current value, its target and status, and the
    earlier versions a correction replaced (newest first)."""

    period: Period
    current: Measurement | None
    earlier: list[Measurement] = field(default_factory=list)
    target: float | None = None
    status: str = et.NO_DATA
    performance: float | None = None

    @property
    def period_start(self) -> dt.date:
        return self.period.start


def kpi_history(*, kpi: Kpi, fiscal_year_start_month: int = 1) -> list[PeriodRow]:
    """Every period with a value, newest first, with corrections kept (two queries).

    Each period's target is the one in force then (target rows inherited forward,
    else the planned path, else the KPI's default target) and its status is the
    engine's score of that period's value against that target.
    """
    spec = kpi_spec(kpi)
    path = target_path(kpi)
    points = [
        et.TargetPoint(period_start=start, value=value)
        for start, value in Target.objects.filter(kpi=kpi).values_list("period_start", "value")
    ]
    rows: dict[dt.date, PeriodRow] = {}
    for m in (
        # Pending and rejected values never counted: the KPI page lists them apart.
        Measurement.objects.filter(kpi=kpi, approval=Measurement.Approval.APPROVED)
        .select_related("recorded_by")
        .order_by("-period_start", "-recorded_at", "-pk")
    ):
        row = rows.get(m.period_start)
        if row is None:
            period = kpi_period(kpi, m.period_start, fiscal_year_start_month)
            row = rows[m.period_start] = PeriodRow(period, None)
        if m.superseded_at is None:
            row.current = m
        else:
            row.earlier.append(m)
    for row in rows.values():
        row.target = periods.target_for_period(row.period, points, path, kpi.target)
        if row.current is not None and not kpi.is_calculated:
            score = score_value(spec, row.current.value, row.target)
            row.status, row.performance = score.status, score.performance
    return list(rows.values())


def user_can_record(*, user: Any, kpi: Kpi, role: str) -> bool:
    """Editors and admins record any KPI; contributors only those they update or own."""
    if kpi.is_calculated:
        return False
    if role in ANY_KPI_ROLES:
        return True
    if role == "contributor":
        return user.pk is not None and user.pk in {kpi.updater_id, kpi.owner_id}
    return False


def user_can_decide(*, user: Any, kpi: Kpi, role: str) -> bool:
    """Who approves or rejects values waiting for approval: the KPI's owner; while the
    KPI has no owner, editors and admins (so pending values are never stranded)."""
    if user.pk is not None and user.pk == kpi.owner_id:
        return True
    return kpi.owner_id is None and role in ANY_KPI_ROLES


def pending_values(*, kpi: Kpi) -> list[Measurement]:
    """Values of ``kpi`` waiting for approval, oldest period first (one query)."""
    rows = list(
        Measurement.objects.filter(
            kpi=kpi, approval=Measurement.Approval.PENDING, superseded_at__isnull=True
        )
        .select_related("recorded_by")
        .order_by("period_start", "recorded_at")
    )
    for row in rows:
        row.kpi = kpi  # no query per row for the KPI they belong to
    return rows


def entry_kpis(*, scorecard: Scorecard, user: Any, role: str) -> list[Kpi]:
    """KPIs of ``scorecard`` this user enters values for, in scorecard order (one query).

    Calculated KPIs are left out. Editors and admins get every data-entry KPI,
    contributors those they update or own, viewers none.
    """
    if role not in ANY_KPI_ROLES | {"contributor"}:
        return []
    kpis = Kpi.objects.filter(scorecard=scorecard, formula="").select_related("objective")
    if role not in ANY_KPI_ROLES:
        kpis = kpis.filter(Q(updater_id=user.pk) | Q(owner_id=user.pk))
    return list(
        kpis.order_by(
            "objective__perspective__position",
            "objective__perspective_id",
            "objective__position",
            "objective_id",
            "position",
            "id",
        )
    )


def entry_period_for(kpi: Kpi, as_of: dt.date, fiscal_month: int) -> Period:
    """The period a value is due for: the KPI's last complete period as of ``as_of``."""
    return periods.last_complete_period(as_of, et.Interval(kpi.update_interval), fiscal_month)


def current_values(kpis: list[Kpi], starts: dict[int, dt.date]) -> dict[int, Measurement]:
    """The current measurement of each KPI for the period starting at ``starts[kpi.pk]``
    (one query)."""
    if not kpis:
        return {}
    wanted = {(k.pk, starts[k.pk]) for k in kpis}
    rows = Measurement.objects.filter(
        kpi_id__in=[k.pk for k in kpis],
        period_start__in=set(starts.values()),
        superseded_at__isnull=True,
        approval=Measurement.Approval.APPROVED,
    ).select_related("recorded_by")
    return {m.kpi_id: m for m in rows if (m.kpi_id, m.period_start) in wanted}


@dataclass
class EntryRow:
    """One line of the data-entry grid."""

    kpi: Kpi
    period: Period
    current: Measurement | None
    target: float | None = None


def entry_grid(*, scorecard: Scorecard, user: Any, role: str, as_of: dt.date) -> list[EntryRow]:
    """The grid's rows: each KPI the user enters, its last period complete by ``as_of``,
    that period's target and the value it has now (three queries)."""
    fiscal = scorecard.organization.fiscal_year_start_month
    kpis = entry_kpis(scorecard=scorecard, user=user, role=role)
    if not kpis:
        return []
    spans = {k.pk: entry_period_for(k, as_of, fiscal) for k in kpis}
    current = current_values(kpis, {pk: p.start for pk, p in spans.items()})
    points: dict[int, list[et.TargetPoint]] = {}
    for kpi_id, start, value in Target.objects.filter(kpi__in=kpis).values_list(
        "kpi_id", "period_start", "value"
    ):
        points.setdefault(kpi_id, []).append(et.TargetPoint(period_start=start, value=value))
    return [
        EntryRow(
            k,
            spans[k.pk],
            current.get(k.pk),
            periods.target_for_period(spans[k.pk], points.get(k.pk, []), target_path(k), k.target),
        )
        for k in kpis
    ]


def entry_months(as_of: dt.date, count: int = 12) -> list[dt.date]:
    """Month ends to offer in the grid's period choice, newest first: the last ``count``
    months that have ended by ``as_of``."""
    first = dt.date(as_of.year, as_of.month, 1)
    ends = [periods.add_months(first, -n) - dt.timedelta(days=1) for n in range(count)]
    if as_of == periods.add_months(first, 1) - dt.timedelta(days=1):
        ends.insert(0, as_of)  # as_of is itself a month end: that month is complete
        ends.pop()
    return ends


# --- a person's to-do list (the home page) ---------------------------------------------


@dataclass
class DueKpi:
    """A KPI waiting for the user's value for its last complete period."""

    kpi: Kpi
    period: Period


def kpis_due_for_user(*, user: Any, organization: Organization, today: dt.date) -> list[DueKpi]:
    """KPIs the user updates or owns whose last complete period has no value yet (two
    queries). Calculated KPIs need no entry and are left out."""
    fiscal = organization.fiscal_year_start_month
    mine = list(
        Kpi.objects.filter(scorecard__organization=organization, formula="")
        .filter(Q(updater_id=user.pk) | Q(owner_id=user.pk))
        .select_related("scorecard")
        .order_by("scorecard__name", "position", "name")
    )
    spans = {k.pk: entry_period_for(k, today, fiscal) for k in mine}
    have = current_values(mine, {pk: p.start for pk, p in spans.items()})
    return [DueKpi(k, spans[k.pk]) for k in mine if k.pk not in have]


@dataclass
class RedKpi:
    """A KPI of the user's area whose status is red, with its numbers."""

    kpi: Kpi
    result: Any  # engine KpiResult


def red_kpis_for_user(
    *, user: Any, organization: Organization, unit_id: int | None, today: dt.date
) -> list[RedKpi]:
    """Red KPIs in the user's area: those they own or update, those of objectives they
    own, and those of their home unit's scorecards.

    One query finds the KPIs; their scores come from the organization-wide evaluation,
    served from the data-version cache (one query while nothing changed; the same
    numbers as each scorecard's page), so the cost does not grow with the scorecards.
    """
    area = Q(owner_id=user.pk) | Q(updater_id=user.pk) | Q(objective__owner_id=user.pk)
    if unit_id is not None:
        area |= Q(scorecard__unit_id=unit_id)
    mine = list(
        Kpi.objects.filter(scorecard__organization=organization)
        .filter(area)
        .select_related("scorecard__organization")
        .order_by("scorecard__name", "position", "name")
    )
    if not mine:
        return []
    scores = organization_evaluate(organization_id=organization.pk, as_of=today)
    scorecards = {k.scorecard_id: k.scorecard for k in mine}
    red: list[RedKpi] = []
    for scorecard in scorecards.values():
        result = scores.results[scorecard.pk]
        red += [
            RedKpi(k, result.kpis[k.code])
            for k in mine
            if k.scorecard_id == scorecard.pk and result.kpis[k.code].status == "red"
        ]
    return red


@dataclass(frozen=True)
class CalculatedRow:
    """One period of a calculated KPI, as the engine computed it."""

    period: Period
    value: float | None
    target: float | None
    performance: float | None
    status: str


def calculated_history(
    *, kpi: Kpi, history: Any, fiscal_year_start_month: int = 1
) -> list[CalculatedRow]:
    """A calculated KPI's periods, newest first, from the engine's ``KpiResult.history``
    (no query: its values are never stored)."""
    spec = kpi_spec(kpi)
    rows = []
    for start, value, target in reversed(history):
        score = score_value(spec, value, target)
        rows.append(
            CalculatedRow(
                kpi_period(kpi, start, fiscal_year_start_month),
                value,
                target,
                score.performance,
                score.status,
            )
        )
    return rows
