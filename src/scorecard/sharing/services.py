"""Writes of share links: create (the token is shown once and kept only as a hash),
revoke, check a password, log a view."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.audit.services import record_change, snapshot
from scorecard.organizations.access import can
from scorecard.organizations.models import Role
from scorecard.strategy.models import Scorecard

from .models import ShareLink, ShareView

#: What the history keeps of a link (never the token or the password).
HISTORY_FIELDS = ("what", "label", "expires_on", "frozen_on", "revoked_at")
#: The longest a link may live.
MAX_DAYS = 366


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256 (a token has 256 random bits)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def share_create(
    *,
    scorecard: Scorecard,
    user: Any,
    label: str,
    expires_on: dt.date,
    what: str = ShareLink.What.SCORECARD,
    password: str = "",
    frozen_on: dt.date | None = None,
) -> tuple[ShareLink, str]:
    """Create a link (editors and admins); returns it and its token, shown only now."""
    if not can(user=user, organization=scorecard.organization_id, role=Role.EDITOR):
        raise PermissionDenied("Only editors share a scorecard outside.")
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("Say who the link is for.")})
    if what not in ShareLink.What.values:
        raise ValidationError({"what": _("Unknown thing to share “%(what)s”.") % {"what": what}})
    today = clock.today()
    if expires_on < today:
        raise ValidationError({"expires_on": _("The link would have expired already.")})
    if expires_on > today + dt.timedelta(days=MAX_DAYS):
        raise ValidationError(
            {"expires_on": _("A link may live at most %(days)s days.") % {"days": MAX_DAYS}}
        )
    if frozen_on is not None and frozen_on > today:
        raise ValidationError({"frozen_on": _("Numbers cannot be frozen as of a future date.")})
    if password and len(password) < 8:
        raise ValidationError({"password": _("A password needs at least 8 characters.")})
    now = clock.now()
    frozen_at = None
    if frozen_on is not None:  # as known at the end of that day, or now if that is sooner
        frozen_at = min(dt.datetime.combine(frozen_on, dt.time.max, tzinfo=dt.UTC), now)
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        scorecard=scorecard, what=what, label=label[:200], token_hash=token_hash(token),
        password=make_password(password) if password else "", expires_on=expires_on,
        frozen_on=frozen_on, frozen_at=frozen_at, created_by=user, created_at=now,
    )  # fmt: skip
    record_change(obj=link, before=None, after=snapshot(link, HISTORY_FIELDS), actor=user)
    return link, token


@transaction.atomic
def share_revoke(*, link: ShareLink, user: Any) -> ShareLink:
    """Stop the link at once (editors and admins)."""
    if not can(user=user, organization=link.scorecard.organization_id, role=Role.EDITOR):
        raise PermissionDenied("Only editors revoke share links.")
    if link.revoked_at is not None:
        return link
    before = snapshot(link, HISTORY_FIELDS)
    link.revoked_at = clock.now()
    link.save(update_fields=["revoked_at"])
    record_change(obj=link, before=before, after=snapshot(link, HISTORY_FIELDS), actor=user)
    return link


def share_password_ok(*, link: ShareLink, password: str) -> bool:
    return not link.password or check_password(password, link.password)


def share_log_view(*, link: ShareLink, ip: str | None, user_agent: str) -> ShareView:
    return ShareView.objects.create(
        link=link, at=clock.now(), ip=ip or None, user_agent=user_agent[:300]
    )
