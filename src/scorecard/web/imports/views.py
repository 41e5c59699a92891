"""Pages to download a scorecard's values and to import values from a file.

Import is a flow of small pages: upload → choose the columns → preview with every row
checked → import (all or nothing). Editors and admins import values for any KPI,
contributors for the KPIs they update or own; viewers may only download. Outsiders
get a 404 everywhere, and a job is visible only to the person who uploaded it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard import clock
from scorecard.imports import services, tabular
from scorecard.imports.models import ImportJob
from scorecard.imports.values_export import export_filename, export_values
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Membership
from scorecard.strategy.models import Scorecard
from scorecard.web.access import scorecard_for

#: Rows the preview shows (every row is checked; these are shown as they will be read).
PREVIEW_ROWS = 10
#: Errors listed on the preview page (the count says how many there are in all).
ERRORS_SHOWN = 200

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# --- export ------------------------------------------------------------------------------


@login_required
@require_GET
def values_export(request: HttpRequest, org_slug: str, sc_slug: str, fmt: str) -> HttpResponse:
    """Download every current value of the scorecard as CSV or XLSX (any member)."""
    if fmt not in tabular.FORMATS:
        raise Http404("Unknown format.")
    scorecard, _membership = scorecard_for(request, org_slug, sc_slug)
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    name = export_filename(scorecard=scorecard, fmt=fmt, day=clock.today())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if fmt == "csv":
        export_values(scorecard=scorecard, fmt="csv", out=_TextToResponse(response))
    else:
        export_values(scorecard=scorecard, fmt="xlsx", out=response)
    return response


class _TextToResponse:
    """A text stream over an HttpResponse (csv.writer writes str; the response encodes)."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response

    def write(self, text: str) -> int:
        self.response.write(text)
        return len(text)


# --- import: upload ------------------------------------------------------------------------


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the limit, so an oversized upload
    is neither kept in memory nor written to disk; the view then explains."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large: tuple[str, int] | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        if self.received > self.limit:
            self.too_large = (self.file_name or "the file", self.received)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _import_access(
    request: HttpRequest, org_slug: str, sc_slug: str
) -> tuple[Scorecard, Membership]:
    """Contributors and above may import (contributors only their KPIs' values)."""
    return scorecard_for(request, org_slug, sc_slug, "contributor")


def _job_or_404(request: HttpRequest, scorecard: Scorecard, pk: int) -> ImportJob:
    job = (
        ImportJob.objects.select_related("scorecard__organization")
        .filter(pk=pk, scorecard=scorecard, created_by_id=request.user.pk)
        .first()
    )
    if job is None:
        raise Http404("No such import.")
    return job


def _base(scorecard: Scorecard, membership: Membership, **extra: Any) -> dict[str, Any]:
    return {
        "scorecard": scorecard,
        "organization": scorecard.organization,
        "membership": membership,
        "max_bytes": services.size_text(services.max_upload_bytes()),
        **extra,
    }


@csrf_exempt  # the CSRF check runs in _upload, after the size limit is in place
@login_required
@require_http_methods(["GET", "POST"])
def values_import(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Step 1: choose a CSV or XLSX file of values."""
    scorecard, membership = _import_access(request, org_slug, sc_slug)
    limiter = SizeLimitHandler(request, services.max_upload_bytes())
    if request.method == "POST":
        # Must happen before anything reads request.POST (the CSRF check does).
        request.upload_handlers.insert(0, limiter)
    return _upload(request, scorecard, membership, limiter)


@csrf_protect
def _upload(
    request: HttpRequest, scorecard: Scorecard, membership: Membership, limiter: SizeLimitHandler
) -> HttpResponse:
    error = ""
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if limiter.too_large is not None:
            name, _size = limiter.too_large
            error = _(
                "“%(name)s” is larger than %(limit)s, the most the web import accepts. Split "
                "the file, or ask an administrator to use the command line (scorecard import)."
            ) % {"name": name, "limit": services.size_text(limiter.limit)}
            status = 413
        elif upload is None:
            error = _("Choose a CSV or XLSX file to upload.")
            status = 422
        else:
            try:
                job = services.job_create(scorecard=scorecard, user=request.user, upload=upload)
            except ValidationError as exc:
                error = " ".join(exc.messages)
                status = 422
            else:
                return redirect(
                    "values_import_columns", scorecard.organization.slug, scorecard.slug, job.pk
                )
    return render(
        request,
        "imports/upload.html",
        _base(scorecard, membership, error=error),
        status=status,
    )


# --- import: columns -----------------------------------------------------------------------


def _posted_mapping(request: HttpRequest, job: ImportJob) -> dict[str, int | None]:
    chosen: dict[str, int | None] = {}
    for name in services.FIELDS:
        raw = request.POST.get(name, "").strip()
        try:
            chosen[name] = int(raw) if raw else None
        except ValueError:
            chosen[name] = -1  # mapping_build says "no such column"
    return chosen


@login_required
@require_http_methods(["GET", "POST"])
def values_import_columns(
    request: HttpRequest, org_slug: str, sc_slug: str, pk: int
) -> HttpResponse:
    """Step 2: say which column holds the KPI code, the period, the value and the note
    (guessed from the header row), looking at the first rows of the file."""
    scorecard, membership = _import_access(request, org_slug, sc_slug)
    job = _job_or_404(request, scorecard, pk)
    if job.state == ImportJob.State.DONE:
        return redirect("values_import_preview", org_slug, sc_slug, job.pk)
    chosen = {name: job.mapping.get(name) for name in services.FIELDS}
    problems: dict[str, str] = {}
    sheet_error = ""
    if request.method == "POST" and "sheet" in request.POST:
        # Another worksheet of the workbook: read its header, guess its columns again.
        try:
            services.job_choose_sheet(job=job, sheet=request.POST["sheet"])
        except ValidationError as exc:
            sheet_error = " ".join(exc.messages)
        else:
            return redirect("values_import_columns", org_slug, sc_slug, job.pk)
    elif request.method == "POST":
        chosen = _posted_mapping(request, job)
        try:
            services.job_check(job=job, chosen=chosen, user=request.user, role=membership.role)
        except services.MappingError as exc:
            problems = exc.problems
        else:
            return redirect("values_import_preview", org_slug, sc_slug, job.pk)
    try:
        with services.job_file(job) as path:
            _header, sample = tabular.read_head(path, job.file_format, 5, job.sheet or None)
    except (tabular.TabularError, OSError):
        sample = []
    width = len(job.headers)
    fields = [
        {
            "name": name,
            "label": services.FIELD_LABELS[name],
            "required": name in services.REQUIRED,
            "chosen": chosen.get(name),
            "error": problems.get(name, ""),
        }
        for name in services.FIELDS
    ]
    return render(
        request,
        "imports/columns.html",
        _base(
            scorecard,
            membership,
            job=job,
            sheets=services.job_sheets(job),
            sheet_error=sheet_error,
            fields=fields,
            columns=list(enumerate(job.headers)),
            letters=[tabular.column_letter(i) for i in range(width)],
            sample_span=width + 1,  # the row number and every column
            sample=[
                (number, [_display(cells[i] if i < len(cells) else None) for i in range(width)])
                for number, cells in sample
            ],
        ),
        status=422 if problems or sheet_error else 200,
    )


def _display(cell: Any) -> str:
    """A raw cell as text for the sample table (dates as ISO, floats plainly)."""
    return services.cell_text(cell)


# --- import: preview and run -----------------------------------------------------------------


def _preview_rows(job: ImportJob, checker: services.RowChecker) -> list[dict[str, Any]]:
    """The first rows as they will be read, each with its problems: those of the row
    itself, and those only the whole file shows (a repeat of an earlier row), taken
    from the last check's report."""
    with services.job_file(job) as path:
        _header, sample = tabular.read_head(path, job.file_format, PREVIEW_ROWS, job.sheet or None)
    reported: dict[int, list[str]] = {}
    for error in job.report.get("errors", []):
        reported.setdefault(error["row"], []).append(error["message"])
    rows = []
    for number, cells in sample:
        parsed = checker.parse(number, cells)
        raw = {name: services.cell_text(checker.cell(cells, name)) for name in services.FIELDS}
        errors = [e.message for e in parsed] if isinstance(parsed, list) else []
        errors += [m for m in reported.get(number, []) if m not in errors]
        if errors:
            kpi = checker.kpi_for(checker.cell(cells, "kpi"))
            rows.append(
                {
                    "number": number,
                    "raw": raw,
                    "kpi": kpi if isinstance(kpi, Kpi) else None,
                    "parsed": None if isinstance(parsed, list) else parsed,
                    "errors": errors,
                }
            )
        else:
            assert not isinstance(parsed, list)
            rows.append({"number": number, "raw": raw, "parsed": parsed, "kpi": parsed.kpi})
    return rows


@login_required
@require_GET
def values_import_preview(
    request: HttpRequest, org_slug: str, sc_slug: str, pk: int
) -> HttpResponse:
    """Step 3: every row checked; the first rows shown as they will be imported, the
    problems listed by row and column. Nothing is written until "Import"."""
    scorecard, membership = _import_access(request, org_slug, sc_slug)
    job = _job_or_404(request, scorecard, pk)
    if job.state == ImportJob.State.UPLOADED:
        return redirect("values_import_columns", org_slug, sc_slug, job.pk)
    context = _base(scorecard, membership, job=job, report=job.report)
    if job.state != ImportJob.State.DONE:
        try:
            checker = services.job_checker(job, user=request.user, role=membership.role)
            context["rows"] = _preview_rows(job, checker)
            context["mapping"] = [
                (services.FIELD_LABELS[n], checker.mapping.column(n))
                for n in services.FIELDS
                if checker.mapping.index(n) is not None
            ]
        except (services.MappingError, tabular.TabularError, OSError):
            return redirect("values_import_columns", org_slug, sc_slug, job.pk)
        errors = job.report.get("errors", [])
        context["errors"] = [services.CellError(**e) for e in errors[:ERRORS_SHOWN]]
        context["errors_hidden"] = job.report.get("error_count", 0) - len(context["errors"])
    return render(request, "imports/preview.html", context)


@login_required
@require_POST
def values_import_run(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Step 4: import every row in one transaction, or nothing if any row is wrong."""
    scorecard, membership = _import_access(request, org_slug, sc_slug)
    job = _job_or_404(request, scorecard, pk)
    if job.state == ImportJob.State.DONE:
        return redirect("values_import_preview", org_slug, sc_slug, job.pk)
    try:
        result = services.job_run(job=job, user=request.user, role=membership.role)
    except (services.ImportFailed, services.MappingError):
        messages.error(request, _("Nothing was imported: some rows need fixing (listed below)."))
        return redirect("values_import_preview", org_slug, sc_slug, job.pk)
    messages.success(request, _result_text(result))
    return redirect("values_import_preview", org_slug, sc_slug, job.pk)


def _result_text(result: services.ImportResult) -> str:
    created, corrected = result.created, result.corrected
    parts = [ngettext("%(count)s new value", "%(count)s new values", created) % {"count": created}]
    if corrected:
        parts.append(
            ngettext(
                "%(count)s correction (the earlier value is kept in the history)",
                "%(count)s corrections (the earlier values are kept in the history)",
                corrected,
            )
            % {"count": corrected}
        )
    if result.unchanged:
        parts.append(_("%(count)s unchanged") % {"count": result.unchanged})
    return ngettext(
        "Imported %(count)s row: %(parts)s.", "Imported %(count)s rows: %(parts)s.", result.rows
    ) % {"count": result.rows, "parts": ", ".join(parts)}


@login_required
@require_POST
def values_import_discard(
    request: HttpRequest, org_slug: str, sc_slug: str, pk: int
) -> HttpResponse:
    """Forget an upload without importing it."""
    scorecard, _membership = _import_access(request, org_slug, sc_slug)
    job = _job_or_404(request, scorecard, pk)
    services.job_discard(job=job)
    messages.success(
        request, _("Discarded “%(name)s”; nothing was imported.") % {"name": job.original_name}
    )
    return redirect(reverse("values_import", args=[org_slug, sc_slug]))
