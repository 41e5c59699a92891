"""Rows that background work keys on: schedule slots and report jobs.

A task's arguments name one of these rows (or another app's record, such as a
webhook delivery); the row, not the task, says whether the work is done. So a task
enqueued twice, or a worker killed half-way, never does the work twice to completion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.engine.text import restored_column
from scorecard.strategy.models import Scorecard


class ScheduledRun(models.Model):
    """When a repeating job (reminders, the webhook sweep ...) is next due.

    Workers claim a run with one conditional UPDATE of ``next_run_at``; only one of
    several workers wins it, so each run is enqueued once.
    """

    name = models.CharField(max_length=60, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (next {self.next_run_at:%Y-%m-%d %H:%M})"


class ReportJob(models.Model):
    """A PDF or XLSX report rendered by a worker; its page polls ``progress``."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Being rendered")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", _("Excel workbook")

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="report_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs"
    )
    created_at = models.DateTimeField()
    file_format = models.CharField(max_length=4, choices=Format.choices)
    params = models.JSONField(default=dict, help_text="as_of, view, known, known_at.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    step = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker holds the job until then."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    stored_name = models.CharField(max_length=200, blank=True, help_text="In default storage.")
    download_name = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    #: The error's sentence and values, to show it in the reader's language
    #: (engine/text.py: kept and restored).
    error_template = models.CharField(max_length=300, blank=True, default="")
    error_values = models.JSONField(blank=True, default=dict)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_format} report of {self.scorecard} ({self.state})"

    @property
    def shown_error(self) -> str:
        """The error, translatable by the ``translated`` filter when its sentence was
        kept (a job that failed before shows its English text)."""
        return restored_column(self, "error")
