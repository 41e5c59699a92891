"""Comments on KPIs, objectives and initiatives."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.strategy.models import Objective


class Comment(models.Model):
    """A remark by a member on exactly one KPI, objective or initiative."""

    kpi = models.ForeignKey(
        Kpi, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kpi__isnull=False, objective__isnull=True, initiative__isnull=True)
                    | models.Q(kpi__isnull=True, objective__isnull=False, initiative__isnull=True)
                    | models.Q(kpi__isnull=True, objective__isnull=True, initiative__isnull=False)
                ),
                name="comment_on_exactly_one_item",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ItemView(models.Model):
    """Usage: someone opened an item's page on a day (one row per person, item and day).

    Rows are written with an insert that ignores duplicates, so recording a view
    costs one query and the table grows by at most one row per person and item a
    day. The health check reads the last day each item was opened.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    first_seen_at = models.DateTimeField()

    class Meta:
        abstract = True


class KpiView(ItemView):
    """A person opened a KPI's page on ``day``."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="views")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kpi", "user", "day"], name="kpi_view_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.kpi} seen {self.day}"


class ObjectiveView(ItemView):
    """A person opened an objective's page on ``day``."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="views")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "user", "day"], name="objective_view_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.objective} seen {self.day}"


class ReminderSnooze(models.Model):
    """A person asked for no reminder e-mails until ``until`` (inclusive)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_snooze"
    )
    until = models.DateField()
    set_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} snoozed until {self.until}"
