"""Initiatives (action plans) and their tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.limits import TEXT_MAX
from scorecard.strategy.models import Objective, Scorecard


class Initiative(models.Model):
    """An action plan that serves one or more objectives."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="initiatives")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=TEXT_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_initiatives",
    )
    objectives = models.ManyToManyField(Objective, related_name="initiatives", blank=True)
    start_date = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    spent = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    progress = models.FloatField(
        null=True,
        blank=True,
        help_text="Entered progress 0–1; when empty, the share of done tasks.",
    )

    class Meta:
        ordering = ["deadline", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__isnull=True)
                | (models.Q(progress__gte=0) & models.Q(progress__lte=1)),
                name="initiative_progress_0_1",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="initiative_budget_ge_0",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(deadline__isnull=True)
                | models.Q(deadline__gte=models.F("start_date")),
                name="initiative_deadline_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """One step of an initiative, with an assignee and a deadline."""

    class State(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("In progress")
        DONE = "done", _("Done")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    deadline = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.TODO)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name
