"""History of changes and notifications.

A :class:`Change` keeps plain ids (not foreign keys) of the items it concerns, so
the history of an item outlives the item: deleting a KPI does not delete the record
that says who deleted it and what it looked like.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

#: Kinds that are numbers rather than structure (written by the million by imports).
VALUE_KINDS = ("measurement", "target")


class Change(models.Model):
    """One change to the strategy, its targets or its values: who, when, what, before, after.

    ``before`` and ``after`` hold the changed fields only (all fields for a creation or
    a deletion) as JSON; foreign keys are stored as ``{"id": .., "label": ..}`` so the
    history reads in words even after the person or item is gone.
    """

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("history action", "created")
        CHANGED = "changed", pgettext_lazy("history action", "changed")
        DELETED = "deleted", pgettext_lazy("history action", "deleted")
        RECORDED = "recorded", pgettext_lazy("history action", "recorded")
        #: One entry per KPI for the new values a file import recorded (issue 16):
        #: ``after`` holds how many and their first and last period; each value itself
        #: is in the measurements with who recorded it and when. Corrections and values
        #: waiting for approval keep an entry each.
        IMPORTED = "imported", pgettext_lazy("history action", "imported")
        CORRECTED = "corrected", pgettext_lazy("history action", "corrected")
        SUBMITTED = "submitted", pgettext_lazy("history action", "submitted for approval")
        APPROVED = "approved", pgettext_lazy("history action", "approved")
        REJECTED = "rejected", pgettext_lazy("history action", "rejected")

    at = models.DateTimeField()
    # Who acted, without a database constraint (issue 16: an import writes one entry
    # per value, and PostgreSQL checks every row's key one by one at the commit).
    # Django still sets it to NULL when the person is deleted (``on_delete``, through
    # its index), the services only ever write the person doing the change, and
    # ``audit.integrity`` serializes a deletion with a running load; the history reads
    # ``actor_name``, so even an id left behind would only mean "no account".
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    kind = models.CharField(max_length=20, help_text="scorecard, objective, kpi, measurement …")
    object_id = models.BigIntegerField()
    label = models.CharField(max_length=300, help_text="What the item was called then.")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # Where the item sits, for the history pages (plain ids: they outlive the items).
    scorecard_id = models.BigIntegerField(null=True, blank=True)
    objective_id = models.BigIntegerField(null=True, blank=True)
    related_objective_id = models.BigIntegerField(null=True, blank=True)
    kpi_id = models.BigIntegerField(null=True, blank=True)
    initiative_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["scorecard_id", "at"], name="change_scorecard_at"),
            # Only the structure's entries: the objective history is the one reader
            # (it leaves the values out, with this very condition), and an import
            # would otherwise add one key per value for nothing.
            models.Index(
                fields=["objective_id"],
                name="change_objective",
                condition=~models.Q(kind__in=VALUE_KINDS),
            ),
            # Partial: most entries (every value recorded) have neither, and an
            # import of a million values would insert a million NULL keys into each
            # for nothing; the look-ups are by equality, which implies NOT NULL.
            models.Index(
                fields=["related_objective_id"],
                name="change_related_objective",
                condition=models.Q(related_objective_id__isnull=False),
            ),
            models.Index(fields=["kpi_id"], name="change_kpi"),
            models.Index(
                fields=["initiative_id"],
                name="change_initiative",
                condition=models.Q(initiative_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name or 'system'} {self.action} {self.kind} {self.label}"


class Notification(models.Model):
    """Tells a member that a comment mentions them (``@username``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    comment = models.ForeignKey(
        "reviews.Comment", on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="one_notification_per_mention")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self) -> str:
        return f"{self.user} mentioned in comment {self.comment_id}"
