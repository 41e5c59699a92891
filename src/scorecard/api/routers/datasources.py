"""Data sources (docs/data-sources.md): admins list them, read their runs and pull.

Connections are set up on the pages only; no answer ever holds an address's password,
a token or a header (only the address without them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from scorecard.datasources import services
from scorecard.datasources.models import DataSource, Run

from ..access import NOT_FOUND, access_of

router = Router(tags=["data sources"])


class DataSourceOut(Schema):
    id: int
    organization: int
    name: str
    scorecard: int
    kpi: int | None
    connection: str
    address: str
    schedule: str
    active: bool
    next_run_at: dt.datetime | None
    last_run_at: dt.datetime | None

    @staticmethod
    def resolve_organization(obj: DataSource) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_scorecard(obj: DataSource) -> int:
        return obj.scorecard_id

    @staticmethod
    def resolve_kpi(obj: DataSource) -> int | None:
        return obj.kpi_id

    @staticmethod
    def resolve_connection(obj: DataSource) -> str:
        return obj.connection.name

    @staticmethod
    def resolve_address(obj: DataSource) -> str:
        return obj.connection.shown_url


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class RunOut(Schema):
    id: int
    trigger: str
    dry_run: bool
    ok: bool
    started_at: dt.datetime
    finished_at: dt.datetime
    rows_read: int
    new: int
    corrected: int
    unchanged: int
    error_count: int
    errors: list[RowErrorOut]
    message: str


class PullIn(Schema):
    dry_run: bool = False


def _administered(request: HttpRequest) -> QuerySet[DataSource]:
    access = access_of(request)
    admin_orgs = [org for org in access.org_ids if access.can(org, "admin")]
    return DataSource.objects.filter(organization_id__in=admin_orgs).select_related("connection")


def _source(request: HttpRequest, source_id: int) -> DataSource:
    """The source if the caller is an admin of its organization (403 below, 404 outside)."""
    access = access_of(request)
    source = DataSource.objects.filter(pk=source_id, organization_id__in=access.org_ids).first()
    if source is None:
        raise Http404(NOT_FOUND)
    access.require(source.organization_id, "admin")
    return source


@router.get("/data-sources", response=list[DataSourceOut])
def datasource_list(request: HttpRequest) -> Any:
    """The data sources of the organizations you administer (others see none)."""
    return list(_administered(request).order_by("organization_id", "name", "id"))


@router.get("/data-sources/{source_id}/runs", response=list[RunOut])
def datasource_runs(request: HttpRequest, source_id: int) -> Any:
    """The latest runs of a source, newest first (admins)."""
    return list(Run.objects.filter(source=_source(request, source_id))[:50])


@router.post("/data-sources/{source_id}/pull", response=RunOut)
def datasource_pull(request: HttpRequest, source_id: int, payload: PullIn) -> Run:
    """Pull a source now (all or nothing), or only check it with ``dry_run`` (admins)."""
    source = _source(request, source_id)
    run, _ = services.run_source(
        source,
        trigger=Run.Trigger.PREVIEW if payload.dry_run else Run.Trigger.MANUAL,
        user=access_of(request).user,
        dry_run=payload.dry_run,
    )
    return run
