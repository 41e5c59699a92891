"""Personal API tokens: a user's key to the REST API within one organization."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from scorecard import clock
from scorecard.organizations.models import Organization


class ApiToken(models.Model):
    """A token acts for its user, inside its organization, with the user's current role.

    Only a hash of the secret is stored; the plaintext is shown once, when the token
    is created. ``prefix`` identifies the token in lists and finds it on each request.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “ERP export”.")
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the whole token (hex).")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Refused from this moment on; empty: never expires."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.display_prefix}…)"

    @property
    def display_prefix(self) -> str:
        """The start of the token as the user sees it, enough to recognise it."""
        return f"{TOKEN_MARK}_{self.prefix}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= clock.now()


#: Every token starts with this mark, so secret scanners and people can recognise one.
TOKEN_MARK = "sct"
