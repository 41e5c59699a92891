"""Writes (and the one lookup) for personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from scorecard import clock
from scorecard.organizations.access import membership_for
from scorecard.organizations.models import Organization

from .last_use import token_used
from .models import TOKEN_MARK, ApiToken

#: last_used_at is written at most this often per token (one UPDATE, not one per request).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _hash(plaintext: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough (no slow hash needed).
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, organization: Organization, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user`` in ``organization``; return it with its plaintext.

    The plaintext is not stored anywhere: show it to the user once.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. what it is for."})
    if len(name) > 100:
        raise ValidationError({"name": "A token name can be at most 100 characters."})
    if membership_for(user=user, organization=organization) is None:
        raise ValidationError({"organization": "You are not a member of this organization."})
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    plaintext = f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        organization=organization,
        name=name,
        prefix=prefix,
        secret_hash=_hash(plaintext),
        created_at=clock.now(),
    )
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke ``token``: from now on it is refused (401). Revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, plaintext: str) -> ApiToken | None:
    """The active token matching ``plaintext`` (with user and organization), or None."""
    parts = plaintext.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARK:
        return None
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(plaintext.strip())):
        return None
    if not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token_used(token, now)  # never waits for nor fails on a busy database
    return token
