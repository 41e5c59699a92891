"""Connections to databases and web addresses, the queries that pull values, their runs.

A connection's secrets (the whole URL with its password, and any HTTP headers) are kept
only encrypted (``secret``, see secrets.py); ``shown_url`` is the address without them,
the one thing pages, logs and exports ever show.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.engine.text import restored, restored_column
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Scorecard


class Connection(models.Model):
    """Where values come from: a database (SQLAlchemy URL) or a web address (CSV/JSON)."""

    class Kind(models.TextChoices):
        SQL = "sql", _("Database (SQL)")
        HTTP = "http", _("Web address (CSV or JSON)")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="data_connections"
    )
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    http_format = models.CharField(max_length=10, choices=Format.choices, blank=True)
    shown_url = models.CharField(max_length=500, help_text="The address without secrets.")
    secret = models.TextField(help_text="The URL and headers, encrypted (secrets.py).")
    has_headers = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="data_connection_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DataSource(models.Model):
    """A read-only query (or a CSV/JSON address) that gives one KPI or several their values."""

    class Schedule(models.TextChoices):
        FOLLOW_KPI = "kpi", _("Follows the KPIs' update interval")
        HOURLY = "hourly", _("Every hour")
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week")
        MANUAL = "manual", _("Only when run by hand or by `scorecard pull`")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="data_sources"
    )
    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="sources")
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="data_sources")
    kpi = models.ForeignKey(
        Kpi, null=True, blank=True, on_delete=models.CASCADE, related_name="data_sources"
    )
    name = models.CharField(max_length=100)
    query = models.TextField(blank=True, help_text="SQL: one SELECT (or WITH … SELECT).")
    records_path = models.CharField(max_length=200, blank=True)
    kpi_column = models.CharField(max_length=100, blank=True)
    period_column = models.CharField(max_length=100, blank=True)
    value_column = models.CharField(max_length=100, blank=True)
    schedule = models.CharField(
        max_length=10, choices=Schedule.choices, default=Schedule.FOLLOW_KPI
    )
    active = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="data_source_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Run(models.Model):
    """One pull of a source (or a preview): what was read, written and refused."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        MANUAL = "manual", _("Run by hand")
        PREVIEW = "preview", _("Preview")
        COMMAND = "command", "scorecard pull"

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    dry_run = models.BooleanField(default=False)
    ok = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    rows_read = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    corrected = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="The first problems: row, column, message.")
    message = models.CharField(max_length=500, blank=True)
    #: The message's sentence and values, to show it in each reader's language
    #: (engine/text.py: kept and restored).
    message_template = models.CharField(max_length=500, blank=True, default="")
    message_values = models.JSONField(blank=True, default=dict)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def shown_message(self) -> str:
        """The message, translatable by the ``translated`` filter when its sentence was
        kept (an older run shows its English text)."""
        return restored_column(self, "message")

    @property
    def shown_errors(self) -> list[dict[str, Any]]:
        """The kept row problems (row, column, message), each message as
        :attr:`shown_message` is."""
        return [
            {**problem, "message": restored(problem.get("message", ""), problem.get("sentence"))}
            for problem in self.errors
        ]
