"""The commentary an owner edited for one period (the generated text needs no row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from scorecard.strategy.models import Scorecard


class Commentary(models.Model):
    """The edited text of one subject (KPI, objective, perspective or the scorecard) for
    one period. Every save and every return to the generated text is kept in the change
    history (audit ``Change`` rows of kind "commentary")."""

    class Subject(models.TextChoices):
        SCORECARD = "scorecard", "scorecard"
        PERSPECTIVE = "perspective", "perspective"
        OBJECTIVE = "objective", "objective"
        KPI = "kpi", "KPI"

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="commentary")
    subject = models.CharField(max_length=20, choices=Subject.choices)
    #: The KPI's or objective's code, the perspective's id, the scorecard's slug.
    key = models.CharField(max_length=100)
    period_start = models.DateField()
    period_end = models.DateField()
    text = models.TextField()
    #: The generated text the owner started from, to compare with the figures.
    generated = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "subject", "key", "period_start"],
                name="commentary_one_per_period",
            )
        ]
        ordering = ["scorecard", "subject", "key", "-period_start"]

    def __str__(self) -> str:
        return f"Commentary on {self.subject} {self.key} for {self.period_start:%b %Y}"
