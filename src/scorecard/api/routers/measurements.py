"""Measurements: KPI values per period, with their history of corrections.

Contributors record values for the KPIs they own or update; editors and admins for
any KPI that is not calculated. A correction never overwrites: the earlier value is
kept (``superseded_at`` set) and ``?history=true`` lists it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from scorecard.kpis import services
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.selectors import user_can_record
from scorecard.kpis.services import MeasurementRow, MeasurementRowsError, RowError

from ..access import NOT_FOUND, Access, access_of
from ..body import read_json
from ..common import PageParams, get_or_404, page_schema, paginate
from ..errors import ApiError
from ..fields import Day, Id, Number, UserId, text

router = Router(tags=["measurements"])

#: Most rows one bulk call may carry; split larger uploads into several calls.
BULK_MAX_ROWS = 10_000

KpiRef = Id | str
KPI_REF_HELP = 'KPI id, or "scorecard_slug/kpi_code".'


class MeasurementOut(Schema):
    id: int
    kpi: Id
    kpi_ref: str = Field(description='"scorecard_slug/kpi_code"')
    period_start: Day
    value: float
    note: str
    recorded_by: UserId | None
    recorded_at: dt.datetime
    superseded_at: dt.datetime | None = Field(description="Set when a correction replaced it.")

    @staticmethod
    def resolve_kpi(obj: Measurement) -> int:
        return obj.kpi_id

    @staticmethod
    def resolve_kpi_ref(obj: Measurement) -> str:
        return f"{obj.kpi.scorecard.slug}/{obj.kpi.code}"

    @staticmethod
    def resolve_recorded_by(obj: Measurement) -> int | None:
        return obj.recorded_by_id


@dataclass(frozen=True)
class SchemaRowError(RowError):
    """A row that does not match MeasurementIn (not a broken rule): its error has no code."""

    schema: bool = True


class MeasurementIn(Schema):
    kpi: KpiRef = Field(description=KPI_REF_HELP)
    period_start: Day = Field(description="First day of one of the KPI's periods.")
    value: Number
    note: str = text(Measurement, "note", "")


class BulkOut(Schema):
    rows: int = Field(description="Rows received.")
    created: int = Field(description="Periods that got their first value.")
    corrected: int = Field(description="Periods whose value changed (the old one is kept).")
    unchanged: int = Field(description="Rows repeating the current value and note.")


class MeasurementFilter(PageParams):
    organization: str | None = Field(None, description="Only this organization (slug).")
    unit: Id | None = Field(None, description="Only KPIs of this unit's scorecards.")
    scorecard: Id | None = None
    kpi: Id | None = None
    period_from: Day | None = Field(None, description="Periods starting on or after.")
    period_to: Day | None = Field(None, description="Periods starting on or before.")
    history: bool = Field(False, description="Include values replaced by corrections.")


MeasurementPage = page_schema(MeasurementOut, "MeasurementPage")


def scoped_measurements(request: HttpRequest) -> QuerySet[Measurement]:
    return Measurement.objects.select_related("kpi__scorecard").filter(
        kpi__scorecard__organization_id__in=access_of(request).org_ids
    )


@router.get("/measurements", response=MeasurementPage)
def measurement_list(request: HttpRequest, filters: Query[MeasurementFilter]) -> dict[str, Any]:
    """Current values (and with ``history=true`` the replaced ones), by KPI and period."""
    items = scoped_measurements(request)
    if not filters.history:
        items = items.filter(superseded_at__isnull=True, approval=Measurement.Approval.APPROVED)
    if filters.organization:
        items = items.filter(kpi__scorecard__organization__slug=filters.organization)
    if filters.unit is not None:
        items = items.filter(kpi__scorecard__unit_id=filters.unit)
    if filters.scorecard is not None:
        items = items.filter(kpi__scorecard_id=filters.scorecard)
    if filters.kpi is not None:
        items = items.filter(kpi_id=filters.kpi)
    if filters.period_from is not None:
        items = items.filter(period_start__gte=filters.period_from)
    if filters.period_to is not None:
        items = items.filter(period_start__lte=filters.period_to)
    items = items.order_by("kpi_id", "period_start", "recorded_at", "id")
    return paginate(items, filters.limit, filters.offset)


def _scope(access: Access, organization: str | None) -> list[int]:
    """Organization ids a KPI reference may point into."""
    if not organization:
        return access.org_ids
    ids = [
        org_id for org_id, m in access.memberships.items() if m.organization.slug == organization
    ]
    if not ids:
        raise Http404(NOT_FOUND)
    return ids


def resolve_kpis(refs: list[KpiRef], org_ids: list[int]) -> dict[KpiRef, Kpi | str]:
    """Each reference's KPI, or a message why it names none (two queries at most)."""
    ids = {ref for ref in refs if isinstance(ref, int)}
    pairs = {}
    found: dict[KpiRef, Kpi | str] = {}
    for ref in refs:
        if isinstance(ref, str):
            slug, sep, code = ref.partition("/")
            if not sep or not slug or not code or "/" in code:
                found[ref] = f"“{ref}” is not a KPI reference; use an id or “scorecard/kpi_code”."
            else:
                pairs[ref] = (slug, code)
    if ids:
        for kpi in Kpi.objects.select_related("scorecard").filter(
            pk__in=ids, scorecard__organization_id__in=org_ids
        ):
            found[kpi.pk] = kpi
    if pairs:
        matches: dict[tuple[str, str], list[Kpi]] = defaultdict(list)
        for kpi in Kpi.objects.select_related("scorecard").filter(
            scorecard__organization_id__in=org_ids,
            scorecard__slug__in={slug for slug, _ in pairs.values()},
            code__in={code for _, code in pairs.values()},
        ):
            matches[(kpi.scorecard.slug, kpi.code)].append(kpi)
        for ref, pair in pairs.items():
            candidates = matches.get(pair, [])
            if len(candidates) == 1:
                found[ref] = candidates[0]
            elif len(candidates) > 1:
                found[ref] = (
                    f"“{ref}” exists in several of your organizations; "
                    "add ?organization=<slug> to the URL."
                )
    for ref in refs:
        found.setdefault(ref, f"No KPI “{ref}” in your organizations.")
    return found


def _require_some_contributor_role(access: Access, org_ids: list[int]) -> None:
    if not any(access.can(org_id, "contributor") for org_id in org_ids):
        raise PermissionDenied("Recording values needs the contributor role or higher.")


@router.post("/measurements", response={201: MeasurementOut})
def measurement_create(
    request: HttpRequest, payload: MeasurementIn, organization: str | None = None
) -> Status[Measurement]:
    """Record one value; a second value for the same period is a correction (history kept)."""
    access = access_of(request)
    org_ids = _scope(access, organization)
    kpi = resolve_kpis([payload.kpi], org_ids)[payload.kpi]
    if isinstance(kpi, str):
        raise Http404(NOT_FOUND)
    membership = access.require(kpi.scorecard.organization_id, "contributor")
    if not kpi.is_calculated and not user_can_record(
        user=access.user, kpi=kpi, role=membership.role
    ):
        raise PermissionDenied("Contributors record values only for KPIs they own or update.")
    measurement = services.measurement_record(
        kpi=kpi,
        period_start=payload.period_start,
        value=payload.value,
        note=payload.note,
        user=access.user,
    )
    return Status(201, get_or_404(scoped_measurements(request), pk=measurement.pk))


BULK_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "maxItems": BULK_MAX_ROWS,
                "items": {"$ref": "#/components/schemas/MeasurementIn"},
            }
        }
    },
}


def _parse_rows(request: HttpRequest) -> list[Any]:
    data = read_json(request)
    if not isinstance(data, list):
        raise ApiError(
            422,
            "Send a JSON list of rows: [{kpi, period_start, value, note}, ...].",
            [{"loc": ["body"], "message": "Expected a list."}],
        )
    if len(data) > BULK_MAX_ROWS:
        raise ApiError(
            422,
            f"At most {BULK_MAX_ROWS:,} rows per call; this one has {len(data):,}. "
            "Split the upload into several calls.",
            [{"loc": ["body"], "message": f"More than {BULK_MAX_ROWS} rows."}],
        )
    return data


@router.post("/measurements/bulk", response=BulkOut, openapi_extra={"requestBody": BULK_BODY})
def measurement_bulk(request: HttpRequest, organization: str | None = None) -> dict[str, int]:
    """Record up to 10,000 values in one transaction: all rows are written, or none.

    The body is a list of rows like the single POST takes. Every row is checked first;
    if any is wrong the answer is 422 with one error per problem (``index`` of the row,
    ``field``, ``message``) and nothing is written. Corrections keep history, as for a
    single value; a row repeating the current value and note changes nothing.
    """
    data = _parse_rows(request)
    access = access_of(request)
    org_ids = _scope(access, organization)
    _require_some_contributor_role(access, org_ids)
    errors: list[RowError] = []
    rows: dict[int, MeasurementIn] = {}
    for index, raw in enumerate(data):
        if not isinstance(raw, dict):
            errors.append(
                SchemaRowError(index, "row", "A row is an object: {kpi, period_start, value}.")
            )
            continue
        try:
            rows[index] = MeasurementIn.model_validate(raw)
        except PydanticValidationError as exc:
            for problem in exc.errors():
                field = ".".join(str(part) for part in problem["loc"]) or "row"
                errors.append(SchemaRowError(index, field, problem["msg"]))
    kpis = resolve_kpis([row.kpi for row in rows.values()], org_ids)
    resolved: list[MeasurementRow] = []
    for index, row in rows.items():
        kpi = kpis[row.kpi]
        if isinstance(kpi, str):
            errors.append(RowError(index, "kpi", kpi))
            continue
        membership = access.membership(kpi.scorecard.organization_id)
        role = membership.role if membership else ""
        if not kpi.is_calculated and not user_can_record(user=access.user, kpi=kpi, role=role):
            errors.append(
                RowError(
                    index,
                    "kpi",
                    f"You may not record values for “{kpi.name}”: contributors record "
                    "only KPIs they own or update.",
                )
            )
            continue
        resolved.append(MeasurementRow(index, kpi, row.period_start, row.value, row.note))
    if errors:
        raise MeasurementRowsError(errors + services.measurement_rows_check(resolved))
    result = services.measurement_bulk_record(rows=resolved, user=access.user)
    return {
        "rows": len(data),
        "created": result.created,
        "corrected": result.corrected,
        "unchanged": result.unchanged,
    }


@router.get("/measurements/{measurement_id}", response=MeasurementOut)
def measurement_get(request: HttpRequest, measurement_id: int) -> Measurement:
    return get_or_404(scoped_measurements(request), pk=measurement_id)
