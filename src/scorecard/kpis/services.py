"""Writes for KPIs, targets and measurements. Views, API, CLI and importers all call these."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.audit.models import Change
from scorecard.audit.services import build_change, record_change, record_changes, snapshot
from scorecard.engine import formulas, periods
from scorecard.engine import types as et
from scorecard.engine.scoring import validate_spec
from scorecard.limits import NUMBER_MAX, lengths_check
from scorecard.naming import name_check
from scorecard.organizations.versions import data_version_bump
from scorecard.strategy.models import Objective

from .evaluation import kpi_spec
from .integrity import kpi_hold
from .models import Kpi, Measurement, Target, TargetAggregation, UnitRollup
from .signals import measurements_pending, measurements_recorded

#: Fields a caller may set on a KPI through kpi_create / kpi_update.
KPI_FIELDS = {
    "code", "name", "description", "unit", "data_source", "optimization", "baseline",
    "baseline_date", "minimum", "maximum", "target", "target_date", "tolerance", "band_low",
    "band_high", "red_flag", "weight", "update_interval", "time_aggregation", "indicator",
    "formula", "formula_mode", "thresholds", "owner", "updater", "position",
    "values_need_approval", "target_aggregation", "unit_rollup",
}  # fmt: skip
#: What the history keeps of a value and of a target.
MEASUREMENT_FIELDS = ("period_start", "value", "note")
TARGET_FIELDS = ("period_start", "value", "provenance", "note")


#: The years a value's or target's period may start in, as for imports: a typed 0001 or
#: 9999 used to fail with a 500 (the period arithmetic left the calendar).
PERIOD_YEARS = (1900, 2199)


def period_start_check(*, kpi: Kpi, period_start: dt.date) -> None:
    """Refuse a date that is not the first day of one of the KPI's periods."""
    if not PERIOD_YEARS[0] <= period_start.year <= PERIOD_YEARS[1]:
        raise ValidationError(
            {
                "period_start": _("%(day)s is outside the years %(first)s–%(last)s")
                % {
                    "day": period_start.isoformat(),
                    "first": PERIOD_YEARS[0],
                    "last": PERIOD_YEARS[1],
                }
            }
        )
    period = periods.period_containing(period_start, et.Interval(kpi.update_interval))
    if period.start != period_start:
        interval = kpi.get_update_interval_display().lower()
        raise ValidationError(
            {
                "period_start": _(
                    "%(day)s does not start a %(interval)s period of “%(name)s”; the period "
                    "containing it starts on %(start)s."
                )
                % {
                    "day": period_start.isoformat(),
                    "interval": interval,
                    "name": kpi.name,
                    "start": period.start.isoformat(),
                }
            }
        )


def latest_value_start(today: dt.date) -> dt.date:
    """The latest period start a value may have on ``today`` (the server's date): a day
    ahead, because a period that starts tomorrow here has begun for people east of the
    server's time zone (a team in Sydney records December's first value while it is
    still 30 November in UTC)."""
    return today + dt.timedelta(days=1)


def period_not_begun(start: dt.date, today: dt.date) -> str:
    """Why a value for the period starting ``start`` is refused on ``today`` (the forms,
    the API and imports say it alike)."""
    return _(
        "The period starting %(day)s has not begun yet (today is %(today)s): "
        "values are recorded once their period has started."
    ) % {"day": start.isoformat(), "today": today.isoformat()}


def number_too_large(shown: str) -> str:
    """Why a number beyond ±NUMBER_MAX is refused; ``shown`` is the number as the
    caller shows it (as typed in a form, grouped in an import's report)."""
    return _("%(value)s is too large: numbers go up to %(limit)s either way.") % {
        "value": shown,
        "limit": formats.number_format(NUMBER_MAX, 0, force_grouping=True),
    }


def period_started_check(*, period_start: dt.date) -> None:
    """Refuse a value for a period that has not begun (targets may be set ahead): a
    value for January 2030 was saved and counted as that period's actual."""
    today = clock.today()
    if period_start > latest_value_start(today):
        raise ValidationError({"period_start": period_not_begun(period_start, today)})


def _finite(value: Any, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {field: _("“%(value)s” is not a number.") % {"value": value}}
        ) from None
    if not math.isfinite(number):
        raise ValidationError({field: _("The value must be a finite number.")})
    if abs(number) > NUMBER_MAX:
        raise ValidationError({field: number_too_large(str(value))})
    return number


@transaction.atomic
def measurement_record(
    *,
    kpi: Kpi,
    period_start: dt.date,
    value: float | str,
    note: str = "",
    user: Any = None,
) -> Measurement:
    """Record ``value`` for ``kpi`` in the period starting ``period_start``.

    A second value for the same period is a correction: the earlier row is kept
    (marked superseded) so the history shows both. Recording the same value and
    note again changes nothing. When the KPI's values need approval and ``user``
    is not its owner, the value is pending (see :func:`needs_approval`).
    """
    if kpi.is_calculated:
        raise ValidationError(
            {
                "value": _("“%(name)s” is calculated from its formula; values cannot be entered.")
                % {"name": kpi.name}
            }
        )
    period_start_check(kpi=kpi, period_start=period_start)
    period_started_check(period_start=period_start)
    number = _finite(value, "value")
    note = note.strip()
    if len(note) > 500:
        raise ValidationError({"note": _("A note can be at most 500 characters.")})
    now = clock.now()
    recorder = user if getattr(user, "is_authenticated", False) else None
    pending = needs_approval(kpi=kpi, user=recorder)
    current = {
        m.approval: m
        for m in Measurement.objects.select_for_update().filter(
            kpi=kpi, period_start=period_start, superseded_at__isnull=True
        )
    }
    approved = current.get(Measurement.Approval.APPROVED)
    replaced = current.get(
        Measurement.Approval.PENDING if pending else Measurement.Approval.APPROVED
    )
    same = replaced or (approved if pending else None)
    if same is not None and same.value == number and same.note == note:
        return same
    if replaced is not None:
        replaced.superseded_at = now
        replaced.save(update_fields=["superseded_at"])
    measurement = Measurement.objects.create(
        kpi=kpi,
        period_start=period_start,
        value=number,
        note=note,
        recorded_by=recorder,
        recorded_at=now,
        approval=Measurement.Approval.PENDING if pending else Measurement.Approval.APPROVED,
    )
    record_changes([_value_change(measurement, approved, pending, recorder, now)])
    if not pending:  # a value waiting for approval counts (and is announced) once approved
        measurements_recorded.send(
            sender=Measurement, measurements=[measurement], recorded_at=now, user=user
        )
    else:
        measurements_pending.send(sender=Measurement, measurements=[measurement], user=recorder)
    return measurement


def needs_approval(*, kpi: Kpi, user: Any) -> bool:
    """True when a value ``user`` enters for ``kpi`` waits for the owner's approval:
    the KPI asks for approval and ``user`` is not its owner."""
    if not kpi.values_need_approval:
        return False
    return user is None or getattr(user, "pk", None) != kpi.owner_id


def _value_change(
    measurement: Measurement,
    approved: Measurement | None,
    pending: bool,
    actor: Any,
    at: dt.datetime,
) -> Change | None:
    """The history entry of a new value: recorded, corrected or submitted for approval."""
    if pending:
        action = Change.Action.SUBMITTED
    else:
        action = Change.Action.CORRECTED if approved else Change.Action.RECORDED
    return build_change(
        obj=measurement,
        before=snapshot(approved, MEASUREMENT_FIELDS) if approved else None,
        after=snapshot(measurement, MEASUREMENT_FIELDS),
        action=action,
        actor=actor,
        at=at,
        label=measurement.kpi.name,
    )


@transaction.atomic
def measurement_decide(*, measurement: Measurement, approve: bool, user: Any) -> Measurement:
    """The owner approves a pending value (it counts from now on, replacing the current
    one) or rejects it (it never counts; the history keeps it).

    Callers check that ``user`` may decide (kpis.selectors.user_can_decide).
    """
    locked = Measurement.objects.select_for_update().select_related("kpi").get(pk=measurement.pk)
    if locked.approval != Measurement.Approval.PENDING or locked.superseded_at is not None:
        raise ValidationError(
            {"__all__": _("This value is no longer waiting for approval; reload the page.")}
        )
    now = clock.now()
    decider = user if getattr(user, "is_authenticated", False) else None
    approved = (
        Measurement.objects.select_for_update()
        .filter(
            kpi_id=locked.kpi_id,
            period_start=locked.period_start,
            superseded_at__isnull=True,
            approval=Measurement.Approval.APPROVED,
        )
        .first()
    )
    locked.decided_by, locked.decided_at = decider, now
    if approve:
        if approved is not None:
            approved.superseded_at = now
            approved.save(update_fields=["superseded_at"])
        locked.approval = Measurement.Approval.APPROVED
        before = snapshot(approved, MEASUREMENT_FIELDS) if approved else None
        after: dict[str, Any] | None = snapshot(locked, MEASUREMENT_FIELDS)
    else:
        locked.approval = Measurement.Approval.REJECTED
        locked.superseded_at = now
        before, after = snapshot(locked, MEASUREMENT_FIELDS), None
    locked.save(update_fields=["approval", "decided_by", "decided_at", "superseded_at"])
    record_change(
        obj=locked,
        before=before,
        after=after,
        action=Change.Action.APPROVED if approve else Change.Action.REJECTED,
        actor=decider,
        label=locked.kpi.name,
    )
    if approve:  # from now on the value counts: announce it like a newly recorded one
        measurements_recorded.send(
            sender=Measurement, measurements=[locked], recorded_at=now, user=decider
        )
    return locked


@transaction.atomic
def target_set(
    *,
    kpi: Kpi,
    period_start: dt.date,
    value: float,
    provenance: str = Target.Provenance.ZERO,
    note: str = "",
    user: Any = None,
) -> Target:
    """Set the target of ``kpi`` from ``period_start`` on, with where it comes from."""
    period_start_check(kpi=kpi, period_start=period_start)
    number = _finite(value, "value")
    if provenance not in Target.Provenance.values:
        raise ValidationError(
            {
                "provenance": _("Unknown target source “%(provenance)s”.")
                % {"provenance": provenance}
            }
        )
    existing = Target.objects.filter(kpi=kpi, period_start=period_start).first()
    before = snapshot(existing, TARGET_FIELDS) if existing else None
    target, _created = Target.objects.update_or_create(
        kpi=kpi,
        period_start=period_start,
        defaults={
            "value": number,
            "provenance": provenance,
            "note": note.strip(),
            "set_by": user if getattr(user, "is_authenticated", False) else None,
            "set_at": clock.now(),
        },
    )
    target.kpi = kpi
    record_change(
        obj=target, before=before, after=snapshot(target, TARGET_FIELDS), actor=user,
        label=kpi.name,
    )  # fmt: skip
    return target


def kpi_validate(kpi: Kpi) -> None:
    """Check one KPI's definition, its scale and its formula; raise ValidationError naming it."""
    kpi.full_clean(exclude=["scorecard", "objective"])
    lengths_check(kpi)  # full_clean leaves text fields (description) unchecked
    if kpi.values_need_approval and kpi.owner_id is None:
        raise ValidationError(
            {"values_need_approval": _("Values need the owner's approval: choose an owner first.")}
        )
    if kpi.target_aggregation == TargetAggregation.EQUATION and not kpi.formula.strip():
        raise ValidationError(
            {
                "target_aggregation": _(
                    "“Its formula over its inputs' targets” needs a formula: "
                    "give the KPI a formula or choose another rule."
                )
            }
        )
    if kpi.unit_rollup == UnitRollup.EQUATION and not kpi.formula.strip():
        raise ValidationError(
            {
                "unit_rollup": _(
                    "“Its formula over the units' summed inputs” needs a formula: "
                    "give the KPI a formula or choose another rule."
                )
            }
        )
    problems = [error.message for error in validate_spec(kpi_spec(kpi))]
    if problems:
        raise ValidationError({"__all__": problems})
    if kpi.formula.strip():
        siblings = {
            k.code: k for k in Kpi.objects.filter(scorecard_id=kpi.scorecard_id).exclude(pk=kpi.pk)
        }
        siblings[kpi.code] = kpi
        specs = [kpi_spec(k) for k in siblings.values()]
        result = formulas.evaluation_order(specs)
        if isinstance(result, et.ConfigError):
            raise ValidationError({"formula": result.message})


@transaction.atomic
def kpi_create(*, objective: Objective, code: str, name: str, **fields: Any) -> Kpi:
    """Create a KPI measuring ``objective``; every field is validated before anything is saved."""
    unknown = set(fields) - KPI_FIELDS
    if unknown:
        raise TypeError(f"Unknown KPI fields: {', '.join(sorted(unknown))}")
    name = name_check(name, what="A KPI")
    if Kpi.objects.filter(scorecard_id=objective.scorecard_id, code=code).exists():
        raise ValidationError(
            {"code": _("Another KPI in this scorecard uses the code “%(code)s”.") % {"code": code}}
        )
    kpi = Kpi(scorecard_id=objective.scorecard_id, objective=objective, code=code, name=name)
    for field, value in fields.items():
        setattr(kpi, field, value)
    kpi_validate(kpi)
    kpi.save()
    record_change(obj=kpi, before=None, after=snapshot(kpi))
    return kpi


@transaction.atomic
def kpi_update(*, kpi: Kpi, **fields: Any) -> Kpi:
    """Change a KPI's definition; nothing is saved unless the result is valid."""
    unknown = set(fields) - KPI_FIELDS - {"objective"}
    if unknown:
        raise TypeError(f"Unknown KPI fields: {', '.join(sorted(unknown))}")
    objective = fields.get("objective")
    if objective is not None and objective.scorecard_id != kpi.scorecard_id:
        raise ValidationError({"objective": _("The objective belongs to another scorecard.")})
    if "name" in fields:
        fields["name"] = name_check(fields["name"], what="A KPI")
    new_code = fields.get("code")
    if (
        new_code
        and new_code != kpi.code
        and Kpi.objects.filter(scorecard_id=kpi.scorecard_id, code=new_code).exists()
    ):
        raise ValidationError(
            {
                "code": _("Another KPI in this scorecard uses the code “%(new_code)s”.")
                % {"new_code": new_code}
            }
        )
    before = snapshot(kpi)
    for field, value in fields.items():
        setattr(kpi, field, value)
    kpi_validate(kpi)
    kpi.save()
    record_change(obj=kpi, before=before, after=snapshot(kpi))
    return kpi


@transaction.atomic
def kpi_delete(*, kpi: Kpi) -> None:
    """Delete a KPI unless a calculated KPI's formula uses it."""
    users = [
        k.name
        for k in Kpi.objects.filter(scorecard_id=kpi.scorecard_id).exclude(formula="")
        if kpi.code in formulas.references(k.formula)
    ]
    if users:
        raise ValidationError(
            {
                "__all__": _("“%(name)s” is used in the formula of: %(users)s.")
                % {"name": kpi.name, "users": ", ".join(users)}
            }
        )
    record_change(obj=kpi, before=snapshot(kpi), after=None)
    kpi.delete()


# --- Bulk recording (added for the REST API's POST /api/v1/measurements/bulk) -------------


@dataclass(frozen=True)
class MeasurementRow:
    """One value to record in a bulk call; ``index`` is its position in the caller's list."""

    index: int
    kpi: Kpi
    period_start: dt.date
    value: Any
    note: str = ""


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row of a bulk call."""

    index: int
    field: str
    message: str


class MeasurementRowsError(ValidationError):
    """Some rows of a bulk call are invalid; ``row_errors`` lists every problem found."""

    def __init__(self, row_errors: list[RowError]) -> None:
        self.row_errors = sorted(row_errors, key=lambda e: e.index)
        super().__init__([f"Row {e.index}, {e.field}: {e.message}" for e in self.row_errors])


@dataclass(frozen=True)
class BulkRecordResult:
    created: int
    corrected: int
    unchanged: int


def measurement_rows_check(rows: list[MeasurementRow]) -> list[RowError]:
    """Check every row without touching the database; return all problems found."""
    errors: list[RowError] = []
    seen: dict[tuple[int, dt.date], int] = {}
    for row in rows:
        kpi = row.kpi
        if kpi.is_calculated:
            errors.append(
                RowError(
                    row.index,
                    "kpi",
                    _("“%(name)s” is calculated from its formula.") % {"name": kpi.name},
                )
            )
            continue
        try:
            period_start_check(kpi=kpi, period_start=row.period_start)
            period_started_check(period_start=row.period_start)
        except ValidationError as exc:
            errors.append(RowError(row.index, "period_start", " ".join(exc.messages)))
        try:
            _finite(row.value, "value")
        except ValidationError as exc:
            errors.append(RowError(row.index, "value", " ".join(exc.messages)))
        if len(row.note.strip()) > 500:
            errors.append(RowError(row.index, "note", _("A note can be at most 500 characters.")))
        key = (kpi.pk, row.period_start)
        if key in seen:
            errors.append(
                RowError(
                    row.index,
                    "period_start",
                    _(
                        "Row %(row)s already gives “%(name)s” a value for %(day)s; "
                        "send one value per KPI and period."
                    )
                    % {"row": seen[key], "name": kpi.name, "day": row.period_start.isoformat()},
                )
            )
        else:
            seen[key] = row.index
    return errors


@transaction.atomic
def measurement_bulk_record(*, rows: list[MeasurementRow], user: Any = None) -> BulkRecordResult:
    """Record many values at once, all or nothing, with the semantics of measurement_record.

    Every row is checked first; on any problem MeasurementRowsError lists them all and
    nothing is written. Corrections keep history (the earlier row is superseded), and
    a row repeating the current value and note changes nothing. The number of queries
    does not grow per row: one read of the current values, one update per 900
    superseded rows and the batched inserts of bulk_create.
    """
    errors = measurement_rows_check(rows)
    if errors:
        raise MeasurementRowsError(errors)
    if not rows:
        return BulkRecordResult(0, 0, 0)
    kpi_ids = {row.kpi.pk for row in rows}
    starts = {row.period_start for row in rows}
    current = {
        (m.kpi_id, m.period_start, m.approval): m
        for m in Measurement.objects.select_for_update()
        .filter(kpi_id__in=kpi_ids, period_start__in=starts, superseded_at__isnull=True)
        .only("id", "kpi_id", "period_start", "value", "note", "approval")
    }
    now = clock.now()
    recorder = user if getattr(user, "is_authenticated", False) else None
    superseded: list[int] = []
    new_rows: list[tuple[Measurement, Measurement | None, bool]] = []
    unchanged = 0
    for row in rows:
        number = _finite(row.value, "value")
        note = row.note.strip()
        pending = needs_approval(kpi=row.kpi, user=recorder)
        key = (row.kpi.pk, row.period_start)
        approved = current.get((*key, Measurement.Approval.APPROVED))
        replaced = current.get((*key, Measurement.Approval.PENDING)) if pending else approved
        same = replaced or (approved if pending else None)
        if same is not None and same.value == number and same.note == note:
            unchanged += 1
            continue
        if replaced is not None:
            superseded.append(replaced.pk)
        measurement = Measurement(
            kpi=row.kpi,
            period_start=row.period_start,
            value=number,
            note=note,
            recorded_by=recorder,
            recorded_at=now,
            approval=Measurement.Approval.PENDING if pending else Measurement.Approval.APPROVED,
        )
        new_rows.append((measurement, approved, pending))
    for start in range(0, len(superseded), 900):
        chunk = superseded[start : start + 900]
        Measurement.objects.filter(pk__in=chunk).update(superseded_at=now)
    inserted = [m for m, _a, _b in new_rows]
    # A value's KPI is a plain id (kpis.integrity): bulk_create sends no pre_save, so
    # hold the new values' KPIs here, once each.
    kpi_hold(m.kpi_id for m in inserted)
    Measurement.objects.bulk_create(inserted)
    # Bulk writes send no save signals: raise the data version here (kpis/versioning.py).
    data_version_bump(scorecards__kpis__id__in=sorted({m.kpi_id for m in inserted}))
    # One more bulk insert keeps every new value in the history.
    record_changes(
        _value_change(m, approved, pending, recorder, now) for m, approved, pending in new_rows
    )
    measurements_recorded.send(
        sender=Measurement,
        measurements=[m for m, _, pending in new_rows if not pending],
        recorded_at=now,
        user=recorder,
    )
    waiting = [m for m, _, pending in new_rows if pending]
    if waiting:
        measurements_pending.send(sender=Measurement, measurements=waiting, user=recorder)
    return BulkRecordResult(
        created=len(new_rows) - len(superseded), corrected=len(superseded), unchanged=unchanged
    )


@transaction.atomic
def target_delete(*, target: Target) -> None:
    """Remove one target; the KPI falls back to the previous target or its default."""
    record_change(obj=target, before=snapshot(target, TARGET_FIELDS), after=None)
    target.delete()
    data_version_bump(scorecards__kpis__id=target.kpi_id)
