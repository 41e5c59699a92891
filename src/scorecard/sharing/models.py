"""Read-only links to a scorecard or its map, and the log of their views."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.strategy.models import Scorecard


class ShareLink(models.Model):
    """A link for people without an account. Only a hash of its token is stored."""

    class What(models.TextChoices):
        SCORECARD = "scorecard", _("The scorecard")
        MAP = "map", _("The strategy map")

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="share_links")
    what = models.CharField(max_length=10, choices=What.choices, default=What.SCORECARD)
    label = models.CharField(max_length=200, help_text="Who it is for, e.g. “Board, Q4”.")
    token_hash = models.CharField(max_length=64, unique=True)
    password = models.CharField(max_length=200, blank=True, help_text="A password hash, or empty.")
    expires_on = models.DateField(help_text="The last day the link works.")
    frozen_on = models.DateField(
        null=True, blank=True, help_text="Numbers as of this date, as known then; empty: live."
    )
    frozen_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label

    @property
    def has_password(self) -> bool:
        return bool(self.password)


class ShareView(models.Model):
    """Someone opened a share link: when, from where, with which browser."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.link} opened {self.at}"
