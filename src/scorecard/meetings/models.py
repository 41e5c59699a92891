"""A review meeting keeps the scorecard's numbers as they were at the meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from scorecard.initiatives.models import Task
from scorecard.strategy.models import Scorecard


class ReviewMeeting(models.Model):
    """A review of one scorecard.

    The numbers discussed are frozen three times over: ``known_at`` is the moment whose
    knowledge they reflect, ``snapshot`` stores the evaluated rows themselves (the
    meeting page shows them), and ``engine_input`` keeps the whole input that was
    scored, structure and values (engine/snapshot.py), so that the meeting's report
    and any later "as known at the meeting" score it again with the weights, formulas,
    thresholds, targets and shares of the meeting, not today's (docs/governance.md).
    Meetings held before the input was kept have none (null).
    """

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="review_meetings"
    )
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    as_of = models.DateField(help_text="The date the numbers are shown as of.")
    view = models.CharField(max_length=20, default="period", help_text="The period shown.")
    known_at = models.DateTimeField(help_text="Numbers as they were known at this moment.")
    snapshot = models.JSONField(help_text="The evaluated scorecard at known_at.")
    engine_input = models.JSONField(
        null=True,
        blank=True,
        help_text="The whole engine input scored at the meeting (structure and values).",
    )
    notes = models.TextField(blank=True, max_length=20000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%Y-%m-%d})"


class Decision(models.Model):
    """Something a review decided; it becomes a task with an owner and a deadline."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(max_length=200)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text
