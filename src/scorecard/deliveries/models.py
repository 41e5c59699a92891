"""Scheduled deliveries: a scorecard report or a briefing book e-mailed on a schedule.

A ``Delivery`` says what goes to whom and when; each time it falls due one
``DeliveryRun`` is recorded for that day (unique per delivery and day, so two workers
never send the same occurrence twice), and each recipient's outcome is a
``DeliverySend`` (unique per run and recipient).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.engine.text import restored_column
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Scorecard

from . import schedule


class Delivery(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY_WORKING_DAY = schedule.MONTHLY_WORKING_DAY, _("Monthly, on the N-th working day")
        MONTHLY_DAY = schedule.MONTHLY_DAY, _("Monthly, on day N")
        WEEKLY = schedule.WEEKLY, _("Weekly, on a weekday")

    class Form(models.TextChoices):
        ATTACHMENT = "attachment", _("PDF attached")
        LINK = "link", _("A link to the PDF")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="deliveries"
    )
    name = models.CharField(max_length=120)
    scorecards = models.ManyToManyField(Scorecard, related_name="+", blank=True)
    book = models.ForeignKey(
        "Book",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        help_text="A saved book to send (else the scorecards' reports).",
    )
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    frequency = models.CharField(max_length=24, choices=Frequency.choices)
    day = models.PositiveSmallIntegerField(
        help_text="Working day or day of the month (1 ...), or weekday (0 = Monday)."
    )
    hour = models.PositiveSmallIntegerField(default=7, help_text="Hour of the day (site time).")
    form = models.CharField(max_length=12, choices=Form.choices, default=Form.ATTACHMENT)
    view = models.CharField(max_length=12, default="period", help_text="The period shown.")
    active = models.BooleanField(default=True)
    since = models.DateTimeField(
        help_text="Days before this moment (creation, resumption, new schedule) are not sent."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def schedule_text(self) -> str:
        return schedule.describe(self.frequency, self.day, self.hour)


class DeliveryRun(models.Model):
    """One occurrence of a delivery (or a "send now" test), rendered and sent by a worker."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Sending")
        DONE = "done", _("Sent")
        FAILED = "failed", _("Failed")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="runs")
    occurrence = models.DateField(
        null=True, blank=True, help_text="The schedule's day; empty for a test send."
    )
    as_of = models.DateField(help_text="The report's as-of date.")
    test = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    #: The error's sentence and values, to show it in the reader's language
    #: (engine/text.py: kept and restored).
    error_template = models.CharField(max_length=300, blank=True, default="")
    error_values = models.JSONField(blank=True, default=dict)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "occurrence"],
                condition=models.Q(occurrence__isnull=False),
                name="delivery_run_once_per_occurrence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery} on {self.occurrence or 'demand'} ({self.state})"

    @property
    def shown_error(self) -> str:
        """The error, translatable by the ``translated`` filter when its sentence was
        kept (a run that failed before shows its English text)."""
        return restored_column(self, "error")


class DeliverySend(models.Model):
    """What one recipient got from one run."""

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent")
        FAILED = "failed", _("Failed")

    run = models.ForeignKey(DeliveryRun, on_delete=models.CASCADE, related_name="sends")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.CharField(max_length=254, blank=True)
    state = models.CharField(max_length=10, choices=State.choices)
    detail = models.CharField(max_length=300, blank=True)
    #: The detail's sentence and values, as for ``DeliveryRun.error``.
    detail_template = models.CharField(max_length=300, blank=True, default="")
    detail_values = models.JSONField(blank=True, default=dict)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "user"], name="delivery_send_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.state}"

    @property
    def shown_detail(self) -> str:
        """The detail, translatable as :attr:`DeliveryRun.shown_error` is."""
        return restored_column(self, "detail")


class Book(models.Model):
    """A saved briefing book: chosen scorecards (and perspectives), parts and period,
    rendered on demand as PDF, PowerPoint or Excel (docs/reports.md)."""

    class Known(models.TextChoices):
        NOW = "", _("Latest numbers")
        THEN = "then", _("As known at the end of the as-of date")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="books")
    name = models.CharField(max_length=120)
    scorecards = models.ManyToManyField(Scorecard, related_name="+")
    perspectives = models.ManyToManyField(
        "strategy.Perspective", blank=True, related_name="+", help_text="None chosen: all."
    )
    objectives = models.ManyToManyField(
        "strategy.Objective",
        blank=True,
        related_name="+",
        help_text="None chosen for a scorecard: all of its objectives.",
    )
    include_map = models.BooleanField(default=True)
    include_initiatives = models.BooleanField(default=True)
    include_risks = models.BooleanField(default=False, help_text="The risk register.")
    include_decisions = models.BooleanField(
        default=False, help_text="The decisions of the latest review meeting."
    )
    include_commentary = models.BooleanField(
        default=False, help_text="The commentary in words for the scorecard and perspectives."
    )
    include_kpi_charts = models.BooleanField(
        default=False, help_text="In the deck, a line chart of each KPI's history."
    )
    view = models.CharField(max_length=12, default="period")
    as_of = models.DateField(null=True, blank=True, help_text="Empty: the day it is made.")
    known = models.CharField(max_length=4, choices=Known.choices, default="", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
