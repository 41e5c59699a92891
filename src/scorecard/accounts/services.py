"""Writes about people: invitations, accounts made by an admin, leaving, own settings.

Nothing here ever tells an admin whether an account exists for an address: an
invitation is made the same way for any address, and only the person who opens
the link decides whether to join with an account they have or a new one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scorecard import clock
from scorecard.organizations.models import Membership, Organization, Role, Unit
from scorecard.organizations.services import membership_remove, membership_set

from .models import AccountSettings, Attempt, Invitation, SetupToken

#: How long an invitation link works.
INVITATION_DAYS = 7
#: How long the set-up link of a fresh install works.
SETUP_HOURS = 24
USERNAME_MAX = 150


def token_hash(token: str) -> str:
    """What is stored of a secret link: its SHA-256, so a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def absolute_url(path: str) -> str:
    """``path`` on the address people open the app at (SCORECARD_BASE_URL)."""
    return settings.SCORECARD_BASE_URL.rstrip("/") + path


def mail_configured() -> bool:
    """True when e-mail leaves the machine (not the console, file or memory backends).

    Tests set SCORECARD_ASSUME_MAIL to treat the memory backend as real mail.
    """
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    return backend == "smtp" or bool(getattr(settings, "SCORECARD_ASSUME_MAIL", False))


# Rate limits ---------------------------------------------------------------------------


class RateLimited(ValidationError):
    """Too many requests of one kind from one person or address; try later."""


def rate_limit_hit(*, kind: str, key: str, limit: int, window: dt.timedelta) -> None:
    """Count one request of ``kind`` by ``key``; RateLimited when ``limit`` is reached.

    The refused request is not counted, so the limit frees up as the window moves on.
    """
    now = clock.now()
    Attempt.objects.filter(kind=kind, at__lt=now - dt.timedelta(days=1)).delete()
    recent = Attempt.objects.filter(kind=kind, key=key, at__gte=now - window).count()
    if recent >= limit:
        minutes = max(1, int(window.total_seconds() // 60))
        raise RateLimited(
            _(
                "Too many requests in a short time (at most %(limit)s in %(minutes)s minutes); "
                "please try again later."
            )
            % {"limit": limit, "minutes": minutes}
        )
    Attempt.objects.create(kind=kind, key=key[:200], at=now)


# Invitations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation and its link (the only time the secret is known)."""

    invitation: Invitation
    url: str
    emailed: bool


def _check_role_unit(organization: Organization, role: str, unit: Unit | None) -> None:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role “%(role)s”. Use one of %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    if unit is not None and unit.organization_id != organization.pk:
        raise ValidationError({"unit": _("The unit belongs to another organization.")})


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("Enter the person's e-mail address.")})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("“%(email)s” is not an e-mail address.") % {"email": email}}
        ) from None
    return email


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    email: str,
    role: str,
    invited_by: Any,
    unit: Unit | None = None,
    send: bool = True,
) -> IssuedInvitation:
    """Invite ``email`` to join with ``role``: a single-use link that expires.

    The same happens for every address (whether or not someone already has an
    account with it), so the admin learns nothing about other people's accounts.
    With ``send`` and mail configured the link is e-mailed; the link is returned
    either way so the admin can hand it over.
    """
    email = _clean_email(email)
    _check_role_unit(organization, role, unit)
    rate_limit_hit(
        kind="invitation", key=f"user:{getattr(invited_by, 'pk', 0)}",
        limit=settings.SCORECARD_INVITATIONS_PER_HOUR, window=dt.timedelta(hours=1),
    )  # fmt: skip
    now = clock.now()
    # A newer invitation replaces an open one to the same address.
    Invitation.objects.filter(
        organization=organization, email__iexact=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization, email=email, role=role, unit=unit,
        token_hash=token_hash(token), invited_by=invited_by, created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )  # fmt: skip
    url = absolute_url(reverse("invitation_accept", args=[token]))
    emailed = False
    if send and mail_configured():
        inviter = _name(invited_by)
        # In the inviter's language (the person invited has no account to choose one yet).
        body = _(
            "%(inviter)s invites you to %(organization)s on Scorecard as %(role)s.\n\n"
            "Join here (the link works once, until %(until)s):\n%(url)s\n\n"
            "If you did not expect this, ignore this message.\n"
        ) % {
            "inviter": inviter,
            "organization": organization.name,
            "role": str(Role(role).label).lower(),
            "until": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
            "url": url,
        }
        subject = _("Join %(organization)s on Scorecard") % {"organization": organization.name}
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        )
        emailed = True
    return IssuedInvitation(invitation=invitation, url=url, emailed=emailed)


def _name(user: Any) -> str:
    if user is None:
        return _("Someone")
    return user.get_full_name() or user.get_username()


class InvitationInvalid(Exception):
    """The link is unknown, used, withdrawn or expired (one message for all)."""

    message = gettext_lazy(
        "This invitation link does not work any more: it was used already, withdrawn or "
        "has expired. Ask whoever invited you for a new one."
    )


def invitation_for_token(token: str) -> Invitation:
    """The open invitation behind ``token``; InvitationInvalid for anything else."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= clock.now()
    ):
        raise InvitationInvalid(InvitationInvalid.message)
    return invitation


def _accept(invitation: Invitation, user: Any) -> Membership:
    """Mark the invitation used (locked, so two tabs cannot both use it) and join."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None or locked.revoked_at is not None:
        raise InvitationInvalid(InvitationInvalid.message)
    locked.accepted_at, locked.accepted_by = clock.now(), user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    existing = Membership.objects.filter(organization_id=locked.organization_id, user=user).first()
    if existing is not None:
        return existing  # already a member: the invitation does not change the role
    return membership_set(
        organization=locked.organization, user=user, role=locked.role, unit=locked.unit
    )


@transaction.atomic
def invitation_accept_existing(*, token: str, user: Any) -> Membership:
    """A signed-in person joins with the account they have."""
    return _accept(invitation_for_token(token), user)


@transaction.atomic
def invitation_accept_new(
    *, token: str, username: str, first_name: str, last_name: str, password: str
) -> tuple[Any, Membership]:
    """Make an account (the invited address becomes its e-mail) and join."""
    invitation = invitation_for_token(token)
    user = _new_user(
        username=username, first_name=first_name, last_name=last_name,
        email=invitation.email, password=password,
    )  # fmt: skip
    return user, _accept(invitation, user)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    """Withdraw an open invitation: its link stops working."""
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = clock.now()
        invitation.save(update_fields=["revoked_at"])


def invitations_open(*, organization: Organization) -> list[Invitation]:
    """Invitations not yet used, withdrawn or expired, newest first."""
    return list(
        Invitation.objects.filter(
            organization=organization, accepted_at=None, revoked_at=None,
            expires_at__gt=clock.now(),
        ).select_related("unit", "invited_by")
    )  # fmt: skip


# Accounts --------------------------------------------------------------------------------


def _new_user(
    *, username: str, first_name: str, last_name: str, email: str, password: str | None
) -> Any:
    """Create an account after checking every field; ``password`` None: unusable."""
    users = get_user_model()
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Choose a user name.")]
    else:
        field = users._meta.get_field("username")
        try:
            field.run_validators(username)
            if len(username) > USERNAME_MAX:
                raise ValidationError(_("At most %(count)s characters.") % {"count": USERNAME_MAX})
        except ValidationError as exc:
            errors["username"] = exc.messages
        else:
            if users.objects.filter(username__iexact=username).exists():
                errors["username"] = [
                    _("The user name “%(name)s” is taken; choose another.") % {"name": username}
                ]
    if len(first_name) > 150 or len(last_name) > 150:
        errors["first_name"] = [_("Names may be at most 150 characters.")]
    user = users(
        username=username, first_name=first_name.strip(), last_name=last_name.strip(), email=email
    )
    if password is not None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            errors["password1"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    return user


def set_password_url(user: Any) -> str:
    """A link where ``user`` sets a password: works once and for PASSWORD_RESET_TIMEOUT.

    Django's reset token changes as soon as the password (or the last sign-in)
    changes, so a used link stops working.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


@dataclass(frozen=True)
class CreatedAccount:
    user: Any
    membership: Membership
    set_password_url: str


@transaction.atomic
def account_create(
    *,
    organization: Organization,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    role: str,
    unit: Unit | None = None,
    created_by: Any = None,
) -> CreatedAccount:
    """An admin makes an account (no mail needed) and hands over a set-password link.

    The new account has no password until its owner opens the link.
    """
    _check_role_unit(organization, role, unit)
    if email:
        email = _clean_email(email)
    rate_limit_hit(
        kind="invitation", key=f"user:{getattr(created_by, 'pk', 0)}",
        limit=settings.SCORECARD_INVITATIONS_PER_HOUR, window=dt.timedelta(hours=1),
    )  # fmt: skip
    user = _new_user(
        username=username, first_name=first_name, last_name=last_name, email=email,
        password=None,
    )  # fmt: skip
    membership = membership_set(organization=organization, user=user, role=role, unit=unit)
    return CreatedAccount(user=user, membership=membership, set_password_url=set_password_url(user))


@transaction.atomic
def member_deactivate(*, membership: Membership) -> None:
    """Take someone out of the organization; what they did stays in the history.

    Their account is kept (their name stays on values, comments and changes) and
    closed for sign-in when they belong to no other organization. The last admin stays.
    """
    user = membership.user
    membership_remove(membership=membership)
    if not user.is_superuser and not Membership.objects.filter(user=user).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])


# Own settings ----------------------------------------------------------------------------


def account_settings(user: Any) -> AccountSettings:
    """The person's settings (defaults when never saved; nothing is written)."""
    found = AccountSettings.objects.filter(user=user).first()
    return found or AccountSettings(user=user)


def language_for(chosen: str) -> str:
    """The language to write to someone in: their chosen one if shipped, else
    ``LANGUAGE_CODE`` (e-mails and reports made without a request)."""
    shipped = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in shipped else settings.LANGUAGE_CODE


def languages_of(user_ids: Any) -> dict[int, str]:
    """Each person's language for e-mails (one query; ``LANGUAGE_CODE`` when not chosen)."""
    ids = list(user_ids)
    chosen = dict(
        AccountSettings.objects.filter(user_id__in=ids).values_list("user_id", "language")
    )
    return {pk: language_for(chosen.get(pk, "")) for pk in ids}


@transaction.atomic
def account_update(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    email: str,
    language: str = "",
    email_mentions: bool = True,
    email_reminders: bool = True,
) -> Any:
    """Change one's own name, e-mail, language and e-mail preferences."""
    if email:
        email = _clean_email(email)
    user.first_name, user.last_name, user.email = first_name.strip(), last_name.strip(), email
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["first_name", "last_name", "email"])
    AccountSettings.objects.update_or_create(
        user=user,
        defaults={"language": language, "email_mentions": email_mentions,
                  "email_reminders": email_reminders},
    )  # fmt: skip
    return user


# The set-up link of a fresh install ----------------------------------------------------------


def setup_needed() -> bool:
    """True while no organization exists: the first-run wizard is open."""
    return not Organization.objects.exists()


@transaction.atomic
def setup_token_issue() -> str:
    """A new one-time set-up link (older ones stop working); returns its URL."""
    now = clock.now()
    SetupToken.objects.filter(used_at=None).update(used_at=now)
    token = secrets.token_urlsafe(32)
    SetupToken.objects.create(token_hash=token_hash(token), created_at=now)
    return absolute_url(reverse("setup_start", args=[token]))


def setup_token_valid(token: str) -> bool:
    """True for the current, unused, unexpired set-up link while set-up is needed."""
    if not setup_needed():
        return False
    return SetupToken.objects.filter(
        token_hash=token_hash(token), used_at=None,
        created_at__gt=clock.now() - dt.timedelta(hours=SETUP_HOURS),
    ).exists()  # fmt: skip


def setup_token_open() -> bool:
    """True when an unused, unexpired set-up link exists (so the log has one to show)."""
    return SetupToken.objects.filter(
        used_at=None, created_at__gt=clock.now() - dt.timedelta(hours=SETUP_HOURS)
    ).exists()


@transaction.atomic
def setup_token_use(token: str) -> None:
    """Spend the set-up link (locked, so it opens one set-up only)."""
    row = SetupToken.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    if row is None or row.used_at is not None:
        raise ValidationError(_("This set-up link has been used already."))
    row.used_at = clock.now()
    row.save(update_fields=["used_at"])


@transaction.atomic
def first_admin_create(*, username: str, email: str, password: str | None,
                       first_name: str = "", last_name: str = "") -> Any:  # fmt: skip
    """The first person of a fresh install: a superuser who then sets up the organization.

    ``password`` None leaves the account without one until a set-password link is used.
    """
    if email:
        email = _clean_email(email)
    user = _new_user(
        username=username, first_name=first_name, last_name=last_name, email=email,
        password=password,
    )  # fmt: skip
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user
