"""Reports rendered in the background: start one, watch its progress, download it.

The scorecard page's report buttons post here; the job's page polls itself with htmx
every second until the file is ready (without JavaScript it refreshes by a meta tag).
Only the person who started a job sees it; outsiders get a 404 as everywhere else.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from scorecard.jobs import services as jobs
from scorecard.jobs.models import ReportJob
from scorecard.strategy.models import Scorecard
from scorecard.web.access import is_htmx, scorecard_for
from scorecard.web.queries import known_params, period_params

from .tasks import render_report_task
from .views import XLSX

CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX}


@login_required
@require_POST
def report_job_start(request: HttpRequest, org_slug: str, sc_slug: str, fmt: str) -> HttpResponse:
    """Queue a report of the page's period (from the query string) and show its progress."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug)
    if fmt not in CONTENT_TYPES:
        raise Http404("Reports are PDF or XLSX.")
    as_of, view, _errors = period_params(request)
    known_at, known, _known_errors = known_params(request, as_of)
    with transaction.atomic():
        job = jobs.report_job_create(
            scorecard=scorecard,
            user=request.user,
            file_format=fmt,
            params={
                "as_of": as_of.isoformat(),
                "view": view,
                "known": known,
                "known_at": known_at.isoformat() if known_at else None,
                # The worker writes the report in the language of the person who asked.
                "language": translation.get_language() or "",
                # A review meeting's report (?meeting=<id>) scores the input it kept.
                **({"meeting": meeting[:20]} if (meeting := request.GET.get("meeting")) else {}),
            },
        )
        jobs.enqueue_after_commit(render_report_task, job.pk)
    return redirect("scorecard_report_job", org_slug, sc_slug, job.pk)


def _job(request: HttpRequest, scorecard: Scorecard, pk: int) -> ReportJob:
    job = ReportJob.objects.filter(
        pk=pk, scorecard=scorecard, created_by_id=request.user.pk
    ).first()
    if job is None:
        raise Http404("No such report.")
    return job


@login_required
def report_job(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """The job's progress; htmx polls the partial until the report is ready or failed."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug)
    job = _job(request, scorecard, pk)
    context = {
        "organization": scorecard.organization,
        "scorecard": scorecard,
        "job": job,
        "finished": job.state in {ReportJob.State.DONE, ReportJob.State.FAILED},
    }
    template = "reports/partials/job.html" if is_htmx(request) else "reports/job.html"
    return render(request, template, context)


@login_required
def report_job_download(
    request: HttpRequest, org_slug: str, sc_slug: str, pk: int
) -> HttpResponseBase:
    """The rendered file, from Django's storage (any server can serve it)."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug)
    job = _job(request, scorecard, pk)
    if job.state != ReportJob.State.DONE or not job.stored_name:
        raise Http404("This report is not ready.")
    try:
        handle = default_storage.open(job.stored_name, "rb")
    except FileNotFoundError:
        raise Http404("The report's file is gone; start the report again.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.download_name,
        content_type=CONTENT_TYPES[job.file_format],
    )
    response["Cache-Control"] = "private, no-store"
    return response
