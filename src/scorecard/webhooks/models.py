"""Webhooks: URLs an organization's admin registers to be told when numbers change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.engine.text import restored_column
from scorecard.organizations.models import Organization


class Event(models.TextChoices):
    """What a webhook can subscribe to."""

    MEASUREMENT_RECORDED = "measurement.recorded", _("A value is recorded or corrected")
    KPI_STATUS_CHANGED = "kpi.status_changed", _("A KPI's status changes (e.g. green → red)")


class Webhook(models.Model):
    """A URL called with a signed JSON body when one of its events happens.

    The shared ``secret`` signs every call (HMAC-SHA256) so the receiver can check
    that the call comes from us; it is kept readable because we must sign with it.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="Event names, see Event.")
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organization", "id"]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event to deliver to one webhook, with its attempts so far.

    Created in the same transaction as the change it reports, so a change that is
    rolled back never announces itself. Failed attempts are retried with growing
    delays until ``MAX_ATTEMPTS``; then the delivery is marked failed and stays
    visible on the webhooks page.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    #: The error's sentence and values, to show it in the reader's language
    #: (engine/text.py: kept and restored).
    last_error_template = models.CharField(max_length=300, blank=True, default="")
    last_error_values = models.JSONField(blank=True, default=dict)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is delivering it until then."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook} ({self.state})"

    @property
    def shown_error(self) -> str:
        """The last error, translatable by the ``translated`` filter when its sentence was
        kept (an attempt made before shows its English text)."""
        return restored_column(self, "last_error")
