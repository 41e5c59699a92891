"""Writes (and the one lookup) for personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.organizations.access import membership_for
from scorecard.organizations.models import Membership, Organization

from .last_use import token_used
from .models import TOKEN_MARK, ApiToken

#: last_used_at is written at most this often per token (one UPDATE, not one per request).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
#: The lifetimes the tokens page offers, in days (None: the token never expires).
LIFETIMES_DAYS = (None, 7, 30, 90, 365)
#: The longest lifetime a token may be given.
MAX_LIFETIME = dt.timedelta(days=3660)


class ApiTokenExpired(Exception):
    """The token is genuine but its lifetime is over; the message says since when."""


def _hash(plaintext: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough (no slow hash needed).
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    user: Any,
    organization: Organization,
    name: str,
    lifetime: dt.timedelta | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` in ``organization``; return it with its plaintext.

    With a ``lifetime`` the token is refused from ``now + lifetime`` on. The plaintext
    is not stored anywhere: show it to the user once.
    """
    if lifetime is not None and not dt.timedelta(0) < lifetime <= MAX_LIFETIME:
        raise ValidationError(
            {"lifetime": f"A token lives between one minute and {MAX_LIFETIME.days} days."}
        )
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
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        organization=organization,
        name=name,
        prefix=prefix,
        secret_hash=_hash(plaintext),
        created_at=now,
        expires_at=None if lifetime is None else now + lifetime,
    )
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke ``token``: from now on it is refused (401). Revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_tokens_revoke_for(*, user_id: int, organization_id: int | None = None) -> int:
    """Revoke every active token of a user (in one organization, or in all); how many.

    Called when a member leaves an organization or the account is deactivated: a
    revoked token stays revoked, so adding the person again needs a new token.
    """
    tokens = ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True)
    if organization_id is not None:
        tokens = tokens.filter(organization_id=organization_id)
    return tokens.update(revoked_at=clock.now())


#: The membership's columns read with the token (``Membership.from_db`` builds it).
_MEMBER_FIELDS = ("id", "user_id", "organization_id", "unit_id", "role")


def token_membership(token: ApiToken) -> Membership | None:
    """The membership of the token's user in the token's organization, or None when the
    user is no longer a member: read with the token by :func:`api_token_authenticate`
    (the same moment, so a removed member or a changed role counts on the very next
    call), else read now. Its ``organization`` is the token's."""
    read = token.__dict__  # the annotations of api_token_authenticate's query, if any
    if "member_id" not in read:
        membership = Membership.objects.filter(
            user_id=token.user_id, organization_id=token.organization_id
        ).first()
    elif read["member_id"] is None:
        return None
    else:
        values = (
            read["member_id"],
            token.user_id,
            token.organization_id,
            read["member_unit_id"],
            read["member_role"],
        )
        membership = Membership.from_db(token._state.db, _MEMBER_FIELDS, values)
    if membership is not None:
        membership.organization = token.organization
    return membership


def api_token_authenticate(*, plaintext: str) -> ApiToken | None:
    """The active token matching ``plaintext`` (with user and organization), or None.

    A genuine token past its ``expires_at`` raises :class:`ApiTokenExpired`.
    """
    parts = plaintext.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARK:
        return None
    # The token's membership comes with it (``token_membership``): one query a call.
    member = Membership.objects.filter(
        user_id=OuterRef("user_id"), organization_id=OuterRef("organization_id")
    )
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .annotate(
            member_id=Subquery(member.values("id")),
            member_unit_id=Subquery(member.values("unit_id")),
            member_role=Subquery(member.values("role")),
        )
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(plaintext.strip())):
        return None
    if not token.user.is_active:
        return None
    now = clock.now()
    if token.expires_at is not None and token.expires_at <= now:
        raise ApiTokenExpired(
            _("The API token expired on %(moment)s UTC; create a new one.")
            % {"moment": f"{token.expires_at:%Y-%m-%d %H:%M}"}
        )
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token_used(token, now)  # never waits for nor fails on a busy database
    return token
