"""An import of measurements from an uploaded file, kept between the steps of the web flow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.strategy.models import Scorecard


class ImportJob(models.Model):
    """One uploaded CSV or XLSX file on its way into a scorecard.

    The web flow is upload → column mapping → preview with every row checked →
    import. The file waits in Django's storage, ``imports/<stored_name>``,
    until it has been imported or the job is discarded; ``sheet`` names the worksheet
    of a workbook that is read (the first one with a header, unless the person chooses
    another); ``mapping`` says which
    column holds what; ``report`` keeps the last check or the import's result.
    A job belongs to the person who uploaded it: nobody else sees it.
    """

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded, columns not chosen yet")
        CHECKED = "checked", _("Checked, ready to import")
        INVALID = "invalid", _("Checked, some rows need fixing")
        DONE = "done", _("Imported")

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_at = models.DateTimeField()
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(
        max_length=100, help_text="File name under the imports folder (random, ours)."
    )
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    size = models.PositiveBigIntegerField()
    sheet = models.CharField(
        max_length=31, blank=True, help_text="The worksheet read from a workbook (empty for CSV)."
    )
    headers = models.JSONField(default=list, help_text="The names in the file's first row.")
    mapping = models.JSONField(
        default=dict, blank=True, help_text='Column index per field, e.g. {"kpi": 0, "value": 2}.'
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.UPLOADED)
    report = models.JSONField(
        default=dict, blank=True, help_text="Counts and the first errors of the last check/run."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "import of values"

    def __str__(self) -> str:
        return f"{self.original_name} → {self.scorecard}"
