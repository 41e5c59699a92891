"""Invitations into an organization, personal settings, and what rate limits count."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.organizations.models import Organization, Role, Unit


class Invitation(models.Model):
    """An offer to join ``organization`` with ``role``, sent to an e-mail address.

    Only a hash of the secret link is stored. The link works once (``accepted_at``)
    and until ``expires_at``; an admin may withdraw it (``revoked_at``).
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["invited_by", "created_at"])]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization} ({self.role})"


class SetupToken(models.Model):
    """The one-time set-up link of a fresh install (only its hash is kept)."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"set-up link of {self.created_at:%Y-%m-%d %H:%M}"


class AlertDelivery(models.TextChoices):
    """How a person wants one kind of alert: an e-mail at once, in the daily digest, or not."""

    AT_ONCE = "now", _("At once")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Off")


def _alert_field(help_text: Any) -> models.CharField:
    return models.CharField(
        max_length=10, choices=AlertDelivery.choices, default=AlertDelivery.AT_ONCE,
        help_text=help_text,
    )  # fmt: skip


class AccountSettings(models.Model):
    """A person's own settings: language and which e-mails they want."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_settings"
    )
    language = models.CharField(max_length=10, blank=True, default="")
    email_mentions = models.BooleanField(
        default=True, help_text=_("An e-mail when someone mentions you in a comment.")
    )
    email_reminders = models.BooleanField(
        default=True, help_text=_("Reminder e-mails about values due and overdue tasks.")
    )
    # Alerts (the alerts feature): "off" also keeps them out of the in-app feed.
    alert_status = _alert_field(_("A KPI I own or watch turns red or at risk."))
    alert_approval = _alert_field(_("A value waits for my approval."))
    alert_task = _alert_field(_("A task is assigned to me or is overdue."))
    alert_mention = _alert_field(_("Someone mentions me in a comment."))
    alert_decision = _alert_field(_("A review meeting gives me a decision to carry out."))

    def __str__(self) -> str:
        return f"settings of {self.user}"


class Attempt(models.Model):
    """One counted request (an invitation sent, a reset asked for) for rate limits.

    Counting rows in the database works the same with one process or many and on
    both databases; rows older than the longest window are deleted as new ones come.
    """

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} at {self.at}"
