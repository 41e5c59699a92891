"""Writes (and the one lookup) for personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.organizations.access import membership_for
from scorecard.organizations.models import Membership, Organization
from scorecard.rawrows import Table

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


#: Where :func:`api_token_authenticate` leaves the membership read with the token.
_MEMBERSHIP_READ = "_membership_read_with_token"


def token_membership(token: ApiToken) -> Membership | None:
    """The membership of the token's user in the token's organization, or None when the
    user is no longer a member: read with the token by :func:`api_token_authenticate`
    (the same moment, so a removed member or a changed role counts on the very next
    call), else read now. Its ``organization`` is the token's."""
    read = token.__dict__
    if _MEMBERSHIP_READ in read:
        membership: Membership | None = read[_MEMBERSHIP_READ]
    else:
        membership = Membership.objects.filter(
            user_id=token.user_id, organization_id=token.organization_id
        ).first()
    if membership is not None:
        membership.organization = token.organization
    return membership


#: The tables of :func:`api_token_authenticate`'s one query, in the order of its row.
_TOKEN = Table(ApiToken, "t")
_USER = Table(get_user_model(), "u")
_ORGANIZATION = Table(Organization, "o")
_MEMBERSHIP = Table(Membership, "m")
#: That query's SQL by database vendor (the quoting differs), written once per process.
_TOKEN_SQL: dict[str, str] = {}


def _token_sql(connection: BaseDatabaseWrapper) -> str:
    """The SQL of :func:`api_token_authenticate`: the active token with ``prefix`` (its
    one parameter; prefixes are unique), its user and organization, and the user's
    membership of that organization (NULL columns when there is none)."""
    sql = _TOKEN_SQL.get(connection.vendor)
    if sql is None:
        t, u, o, m, c = _TOKEN, _USER, _ORGANIZATION, _MEMBERSHIP, connection
        sql = (
            f"SELECT {t.columns(c)}, {u.columns(c)}, {o.columns(c)}, {m.columns(c)} "
            f"FROM {t.source(c)} "
            f"INNER JOIN {u.source(c)} ON {u.column(c, 'id')} = {t.column(c, 'user')} "
            f"INNER JOIN {o.source(c)} ON {o.column(c, 'id')} = {t.column(c, 'organization')} "
            f"LEFT OUTER JOIN {m.source(c)} ON {m.column(c, 'user')} = {t.column(c, 'user')} "
            f"AND {m.column(c, 'organization')} = {t.column(c, 'organization')} "
            f"WHERE {t.column(c, 'prefix')} = %s AND {t.column(c, 'revoked_at')} IS NULL"
        )
        _TOKEN_SQL[connection.vendor] = sql
    return sql


def _token_with_prefix(prefix: str) -> ApiToken | None:
    """The active token with ``prefix``, its user and organization, and the membership
    for :func:`token_membership`, in one query whose SQL is written once per process
    (the ORM compiled it on every call: most of an API call's CPU, issue 16)."""
    connection = connections[router.db_for_read(ApiToken)]
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(connection), [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    token: ApiToken = _TOKEN.build(connection, row, 0)
    at = _TOKEN.width
    user = _USER.build(connection, row, at)
    at += _USER.width
    organization = _ORGANIZATION.build(connection, row, at)
    membership = _MEMBERSHIP.build(connection, row, at + _ORGANIZATION.width)
    token.user = user
    token.organization = organization
    if membership is not None:
        membership.user = user
    token.__dict__[_MEMBERSHIP_READ] = membership
    return token


def api_token_authenticate(*, plaintext: str) -> ApiToken | None:
    """The active token matching ``plaintext`` (with user and organization), or None.

    A genuine token past its ``expires_at`` raises :class:`ApiTokenExpired`.
    """
    parts = plaintext.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARK:
        return None
    # The token's membership comes with it (``token_membership``): one query a call.
    token = _token_with_prefix(parts[1])
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
