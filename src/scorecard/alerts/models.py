"""What a person watches, and the alerts of their feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Objective

from .titles import shown


class Kind(models.TextChoices):
    """What an alert is about; each kind has its own delivery preference (AccountSettings)."""

    STATUS = "status", _("KPI turned red or at risk")
    APPROVAL = "approval", _("Value waiting for approval")
    TASK = "task", _("Task assigned or overdue")
    MENTION = "mention", _("Mention")
    DECISION = "decision", _("Review decision")


class Watch(models.Model):
    """``user`` wants the alerts of one KPI, objective or initiative (exactly one is set)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(Kpi, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kpi"], name="one_watch_per_kpi"),
            models.UniqueConstraint(fields=["user", "objective"], name="one_watch_per_objective"),
            models.UniqueConstraint(fields=["user", "initiative"], name="one_watch_per_initiative"),
            models.CheckConstraint(
                condition=(
                    models.Q(kpi__isnull=False, objective__isnull=True, initiative__isnull=True)
                    | models.Q(kpi__isnull=True, objective__isnull=False, initiative__isnull=True)
                    | models.Q(kpi__isnull=True, objective__isnull=True, initiative__isnull=False)
                ),
                name="watch_exactly_one_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} watches {self.kpi or self.objective or self.initiative}"


class Alert(models.Model):
    """One line of a person's feed. ``emailed_at`` is set once it went out by e-mail
    (at once or in a digest); ``key`` keeps the same event from alerting twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    #: The title's sentence and values, to show it in each reader's language (titles.py).
    title_template = models.CharField(max_length=300, blank=True, default="")
    title_values = models.JSONField(blank=True, default=dict)
    url = models.CharField(max_length=500, blank=True, default="")
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_alert_per_event")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.title}"

    @property
    def shown_title(self) -> str:
        """The title in the active language (see alerts/titles.py)."""
        return shown(self.title, self.title_template, self.title_values)
