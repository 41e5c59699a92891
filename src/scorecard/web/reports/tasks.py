"""Reports rendered by a worker: the PDF or workbook goes to Django's storage, and the
report's page polls its progress (htmx) until the download is ready.

The task is keyed by its ``ReportJob``: a worker leases the job, renders, stores the file
and marks the job done in one conditional UPDATE, so a job enqueued twice, or taken
over after its worker died, is finished once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django_tasks import task

from scorecard import clock
from scorecard.accounts.services import language_for
from scorecard.engine.text import gettext_noop
from scorecard.jobs import services as jobs
from scorecard.jobs.models import ReportJob
from scorecard.presentation.reports.pdf import filename, report_pdf
from scorecard.presentation.reports.xlsx import report_xlsx
from scorecard.reports.data import report_data

from .frozen import meeting_report

logger = logging.getLogger(__name__)

#: A job whose worker died this many times is given up.
MAX_TRIES = 3


def _known_at(raw: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(raw) if raw else None


def render_report(job_id: int) -> str:
    """Render one report job if it still needs it; returns what happened."""
    claimed = jobs.report_job_claim(job_id)
    if claimed is None:
        return "skipped: done, failed or held by another worker"
    job, lease = claimed
    if job.attempts > MAX_TRIES:
        jobs.report_job_fail(
            job.pk,
            error=gettext_noop(
                "The report could not be rendered (tried %(count)s times).", count=MAX_TRIES
            ),
        )
        return "failed: too many tries"
    params = job.params
    jobs.report_job_progress(
        job, lease=lease, progress=10, step=gettext_noop("Reading the numbers")
    )
    meeting = meeting_report(job.scorecard, params.get("meeting"))
    data = report_data(
        scorecard=job.scorecard,
        as_of=meeting.as_of if meeting else dt.date.fromisoformat(params["as_of"]),
        view=meeting.view if meeting else params.get("view", "period"),
        generated_at=clock.now(),
        known_at=meeting.known_at if meeting else _known_at(params.get("known_at")),
        known="at" if meeting else params.get("known", "now"),
        frozen=meeting.frozen if meeting else None,
        meeting_title=meeting.title if meeting else "",
    )
    step = (
        gettext_noop("Laying out the pages")
        if job.file_format == "pdf"
        else gettext_noop("Writing the workbook")
    )
    jobs.report_job_progress(job, lease=lease, progress=40, step=step)
    # In the language of the person who asked for it (stored with the job), else LANGUAGE_CODE.
    with translation.override(language_for(params.get("language", ""))):
        content = report_pdf(data) if job.file_format == "pdf" else report_xlsx(data)
        download_name = filename(data, job.file_format)
    jobs.report_job_progress(job, lease=lease, progress=90, step=gettext_noop("Storing the file"))
    stored = default_storage.save(
        f"reports/{job.scorecard.organization_id}/job-{job.pk}.{job.file_format}",
        ContentFile(content),
    )
    if not jobs.report_job_finish(
        job, lease=lease, stored_name=stored, download_name=download_name
    ):
        default_storage.delete(stored)
        return "skipped: another worker took the job over"
    return "done"


@task()
def render_report_task(job_id: int, attempt: int = 1) -> str:
    """Task: render a report job; a failure is tried again with a growing delay."""
    try:
        return render_report(job_id)
    except Exception as exc:
        if jobs.retry_delay(attempt) is None:
            # The exception's words stay as they came (a library's); the sentence is ours.
            jobs.report_job_fail(
                job_id,
                error=gettext_noop(
                    "The report could not be rendered: %(error)s", error=str(exc)[:250]
                ),
            )
        else:
            # Let the retry lease the job at once.
            ReportJob.objects.filter(pk=job_id).update(lease_until=None)
        jobs.retry_or_raise(render_report_task, exc, attempt=attempt, job_id=job_id)
        raise


@task()
def report_jobs_sweep() -> int:
    """Scheduled task: enqueue report jobs whose worker died (or whose enqueue was lost)."""
    stalled = jobs.report_jobs_stalled()
    for job_id in stalled:
        render_report_task.enqueue(job_id)
    return len(stalled)
