"""The data source pages of an organization (admins only): connections, sources,
preview, run now, and the log of runs. Secrets are never sent back to the browser."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecard.datasources import selectors, services
from scorecard.datasources.models import Connection, DataSource, Run
from scorecard.datasources.secrets import STORED
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Organization, Role
from scorecard.presentation.findings import translated
from scorecard.strategy.models import Scorecard
from scorecard.web.access import organization_for

SOURCE_FIELDS = (
    "name", "connection", "scorecard", "kpi", "query", "records_path", "kpi_column",
    "period_column", "value_column", "schedule",
)  # fmt: skip


def _connection_form(request: HttpRequest) -> dict[str, str]:
    return {
        key: request.POST.get(key, "") for key in ("name", "kind", "url", "http_format", "headers")
    }


@login_required
@require_http_methods(["GET", "POST"])
def source_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Connections and sources; POST adds a connection."""
    organization, membership = organization_for(request, org_slug, Role.ADMIN)
    errors: dict[str, list[str]] = {}
    form = {"name": "", "kind": Connection.Kind.SQL, "url": "", "http_format": "", "headers": ""}
    if request.method == "POST":
        form = _connection_form(request)
        try:
            connection = services.connection_save(
                organization=organization,
                user=request.user,
                name=form["name"],
                kind=form["kind"],
                url=form["url"],
                http_format=form["http_format"],
                headers=form["headers"],
            )
        except ValidationError as exc:
            errors = exc.message_dict
            form["url"] = form["headers"] = ""  # secrets are never sent back
        else:
            messages.success(
                request, gettext("Saved the connection “%(name)s”.") % {"name": connection.name}
            )
            return redirect("datasource_list", org_slug)
    return render(
        request,
        "datasources/list.html",
        {
            "organization": organization,
            "membership": membership,
            "connections": list(selectors.connections_of(organization)),
            "sources": list(selectors.sources_of(organization)),
            "form": form,
            "errors": errors,
            "kinds": Connection.Kind.choices,
            "formats": Connection.Format.choices,
        },
        status=422 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def connection_edit(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Change a connection; blank address or headers keep the stored ones."""
    organization, membership = organization_for(request, org_slug, Role.ADMIN)
    connection = get_object_or_404(Connection, pk=pk, organization=organization)
    errors: dict[str, list[str]] = {}
    form = {
        "name": connection.name, "kind": connection.kind, "url": "",
        "http_format": connection.http_format, "headers": "",
    }  # fmt: skip
    if request.method == "POST":
        form = _connection_form(request)
        try:
            services.connection_save(
                organization=organization,
                connection=connection,
                user=request.user,
                name=form["name"],
                kind=form["kind"],
                url=form["url"],
                http_format=form["http_format"],
                headers=form["headers"],
            )
        except ValidationError as exc:
            errors = exc.message_dict
            form["url"] = form["headers"] = ""
        else:
            messages.success(
                request, gettext("Saved the connection “%(name)s”.") % {"name": connection.name}
            )
            return redirect("datasource_list", org_slug)
    return render(
        request,
        "datasources/connection.html",
        {
            "organization": organization,
            "membership": membership,
            "connection": connection,
            "form": form,
            "errors": errors,
            "kinds": Connection.Kind.choices,
            "formats": Connection.Format.choices,
            "stored": STORED,
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def connection_delete(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    organization, _ = organization_for(request, org_slug, Role.ADMIN)
    connection = get_object_or_404(Connection, pk=pk, organization=organization)
    try:
        services.connection_delete(connection=connection)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, gettext("Deleted the connection “%(name)s”.") % {"name": connection.name}
        )
    return redirect("datasource_list", org_slug)


def _source_choices(organization: Organization) -> dict[str, Any]:
    return {
        "connections": list(Connection.objects.filter(organization=organization)),
        "scorecards": list(Scorecard.objects.filter(organization=organization)),
        "kpis": list(
            Kpi.objects.filter(scorecard__organization=organization, formula="")
            .select_related("scorecard")
            .order_by("scorecard__name", "code")
        ),
        "schedules": DataSource.Schedule.choices,
    }


def _save_source(
    request: HttpRequest, organization: Organization, source: DataSource | None
) -> tuple[DataSource | None, dict[str, str], dict[str, list[str]]]:
    form = {key: request.POST.get(key, "").strip() for key in SOURCE_FIELDS}
    form["active"] = "on" if request.POST.get("active") else ""
    connection = Connection.objects.filter(
        organization=organization, pk=_int(form["connection"])
    ).first()
    kpi = (
        Kpi.objects.filter(scorecard__organization=organization, pk=_int(form["kpi"]))
        .select_related("scorecard")
        .first()
    )
    scorecard = (
        kpi.scorecard
        if kpi is not None
        else Scorecard.objects.filter(organization=organization, pk=_int(form["scorecard"])).first()
    )
    if connection is None or scorecard is None:
        problems = {}
        if connection is None:
            problems["connection"] = [gettext("Choose a connection.")]
        if scorecard is None:
            problems["scorecard"] = [gettext("Choose a scorecard (or a KPI).")]
        return None, form, problems
    try:
        saved = services.source_save(
            organization=organization,
            connection=connection,
            scorecard=scorecard,
            kpi=kpi,
            name=form["name"],
            query=form["query"],
            records_path=form["records_path"],
            kpi_column=form["kpi_column"],
            period_column=form["period_column"],
            value_column=form["value_column"],
            schedule=form["schedule"] or DataSource.Schedule.FOLLOW_KPI,
            active=bool(form["active"]),
            source=source,
            user=request.user,
        )
    except ValidationError as exc:
        return None, form, exc.message_dict
    return saved, form, {}


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0


@login_required
@require_http_methods(["GET", "POST"])
def source_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Define a new data source."""
    organization, membership = organization_for(request, org_slug, Role.ADMIN)
    form: dict[str, str] = {
        "schedule": DataSource.Schedule.FOLLOW_KPI,
        "active": "on",
        "connection": request.GET.get("connection", ""),
    }
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        saved, form, errors = _save_source(request, organization, None)
        if saved is not None:
            messages.success(
                request,
                gettext("Saved the data source “%(name)s”; preview it below.")
                % {"name": saved.name},
            )
            return redirect("datasource_detail", org_slug, saved.pk)
    return render(
        request,
        "datasources/source.html",
        {
            "organization": organization,
            "membership": membership,
            "form": form,
            "errors": errors,
            **_source_choices(organization),
        },
        status=422 if errors else 200,
    )


def _source_form(source: DataSource) -> dict[str, str]:
    return {
        "name": source.name,
        "connection": str(source.connection_id),
        "scorecard": str(source.scorecard_id),
        "kpi": str(source.kpi_id or ""),
        "query": source.query,
        "records_path": source.records_path,
        "kpi_column": source.kpi_column,
        "period_column": source.period_column,
        "value_column": source.value_column,
        "schedule": source.schedule,
        "active": "on" if source.active else "",
    }


def _detail(
    request: HttpRequest,
    organization: Organization,
    membership: Any,
    source: DataSource,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    preview: services.Pull | None = None,
) -> HttpResponse:
    return render(
        request,
        "datasources/source.html",
        {
            "organization": organization,
            "membership": membership,
            "source": source,
            "form": form or _source_form(source),
            "errors": errors or {},
            "runs": selectors.runs_of(source),
            "preview": preview,
            **_source_choices(organization),
        },
        status=422 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def source_detail(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """A source: its settings (POST changes them), its schedule and its log of runs."""
    organization, membership = organization_for(request, org_slug, Role.ADMIN)
    source = get_object_or_404(selectors.sources_of(organization), pk=pk)
    if request.method == "POST":
        saved, form, errors = _save_source(request, organization, source)
        if saved is not None:
            messages.success(
                request, gettext("Saved the data source “%(name)s”.") % {"name": saved.name}
            )
            return redirect("datasource_detail", org_slug, pk)
        source.refresh_from_db()
        return _detail(request, organization, membership, source, form=form, errors=errors)
    return _detail(request, organization, membership, source)


@login_required
@require_POST
def source_preview(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Run the query and show what would be written, writing nothing."""
    organization, membership = organization_for(request, org_slug, Role.ADMIN)
    source = get_object_or_404(selectors.sources_of(organization), pk=pk)
    _, outcome = services.run_source(
        source, trigger=Run.Trigger.PREVIEW, user=request.user, dry_run=True
    )
    return _detail(request, organization, membership, source, preview=outcome)


@login_required
@require_POST
def source_run(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Pull the source now (all or nothing)."""
    organization, _ = organization_for(request, org_slug, Role.ADMIN)
    source = get_object_or_404(selectors.sources_of(organization), pk=pk)
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL, user=request.user)
    if run.ok:
        messages.success(
            request,
            gettext(
                "Pulled “%(name)s”: %(new)s new, %(corrected)s corrected, %(unchanged)s unchanged."
            )
            % {
                "name": source.name,
                "new": run.new,
                "corrected": run.corrected,
                "unchanged": run.unchanged,
            },
        )
    else:
        messages.error(
            request,
            gettext("Nothing was written: %(why)s") % {"why": translated(run.shown_message)},
        )
    return redirect("datasource_detail", org_slug, pk)


@login_required
@require_POST
def source_delete(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    organization, _ = organization_for(request, org_slug, Role.ADMIN)
    source = get_object_or_404(DataSource, pk=pk, organization=organization)
    services.source_delete(source=source)
    messages.success(
        request,
        gettext("Deleted the data source “%(name)s” (values stay).") % {"name": source.name},
    )
    return redirect("datasource_list", org_slug)
