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
