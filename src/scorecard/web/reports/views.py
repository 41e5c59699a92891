"""Report downloads: the scorecard page's period, as-of date and choice of numbers
(as known now, as known then, or at a moment), as PDF or Excel.

Anyone who may read the scorecard may download its report (viewer role and up);
outsiders get a 404 like everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scorecard import clock
from scorecard.presentation.reports.pdf import filename, report_pdf
from scorecard.presentation.reports.xlsx import report_xlsx
from scorecard.reports.data import ReportData, report_data
from scorecard.web.access import scorecard_for
from scorecard.web.queries import known_params, period_params

from .frozen import meeting_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(
    request: HttpRequest,
    org_slug: str,
    sc_slug: str,
    build: Callable[[ReportData], bytes],
    content_type: str,
    extension: str,
) -> HttpResponse:
    scorecard, _ = scorecard_for(request, org_slug, sc_slug)
    # Bad values fall back as on the scorecard page (today, latest period).
    as_of, view, _errors = period_params(request)
    # ``known=then`` / ``known_at=...`` as on the scorecard page; a bad moment means now.
    known_at, known, _known_errors = known_params(request, as_of)
    meeting = meeting_report(scorecard, request.GET.get("meeting"))
    if meeting is not None:
        # A review meeting's report: its period and moment, scored from what it kept.
        as_of, view, known_at, known = meeting.as_of, meeting.view, meeting.known_at, "at"
    data = report_data(
        scorecard=scorecard,
        as_of=as_of,
        view=view,
        generated_at=clock.now(),
        known_at=known_at,
        known=known,
        frozen=meeting.frozen if meeting else None,
        meeting_title=meeting.title if meeting else "",
    )
    response = HttpResponse(build(data), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(data, extension)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def scorecard_report_pdf(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The scorecard report as PDF."""
    return _download(request, org_slug, sc_slug, report_pdf, "application/pdf", "pdf")


@login_required
def scorecard_report_xlsx(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The scorecard report as an Excel workbook."""
    return _download(request, org_slug, sc_slug, report_xlsx, XLSX, "xlsx")


@login_required
def scorecard_files(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The "Reports & files" tab: every download of a scorecard and the values import."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    return render(
        request,
        "web/reports/files.html",
        {
            "organization": scorecard.organization,
            "scorecard": scorecard,
            "membership": membership,
            "can_import": membership.role != "viewer",
        },
    )
