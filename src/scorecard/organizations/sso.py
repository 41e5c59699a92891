"""Who a person signing in through single sign-on is here (docs/deploy.md, "Single sign-on").

The identity provider vouches for an e-mail address; :func:`sso_user_for` decides
which account that is. An existing, active account with that address signs in
(an account is made by an administrator or an invitation, so "invited" means
"has an account"). An unknown address is refused, unless joining is allowed: then
an account is made for it, with a membership of the configured organization and
role. No HTTP here: the web face passes the claims in and shows the refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Organization, Role
from .services import membership_set

USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


@dataclass(frozen=True)
class SignupRule:
    """Whether people unknown here may join on their first sign-in, and how."""

    allow: bool = False
    organization: str = ""  # slug
    role: str = Role.VIEWER


class SsoRefused(Exception):
    """The person may not sign in; the message says why, in words for them."""


def sso_email(claims: dict[str, Any], claim: str = "email") -> str:
    """The e-mail address the provider vouches for, or SsoRefused."""
    value = claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        raise SsoRefused(
            f"The sign-in service sent no e-mail address (claim “{claim}”); "
            "ask an administrator to check the single sign-on settings."
        )
    email = value.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise SsoRefused(
            f"The sign-in service sent “{email}” as the e-mail address, which is not one."
        ) from None
    if claims.get("email_verified") is False:
        raise SsoRefused(f"The sign-in service has not verified the address {email}.")
    return email


def _free_username(email: str) -> str:
    base = USERNAME_UNSAFE.sub("", email.split("@", 1)[0])[:140] or "user"
    users = get_user_model().objects
    name, n = base, 1
    while users.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def _names(claims: dict[str, Any]) -> tuple[str, str]:
    first = str(claims.get("given_name") or "").strip()
    last = str(claims.get("family_name") or "").strip()
    if not first and not last:
        first, _, last = str(claims.get("name") or "").strip().partition(" ")
    return first[:150], last[:150]


@transaction.atomic
def sso_user_for(*, email: str, claims: dict[str, Any], signup: SignupRule) -> Any:
    """The active account with ``email``, or a new one when joining is allowed; else
    SsoRefused with a message for the person."""
    users = list(get_user_model().objects.filter(email__iexact=email)[:2])
    if len(users) > 1:
        raise SsoRefused(
            f"Several accounts use the address {email}; ask an administrator to give "
            "each its own address."
        )
    if users:
        user = users[0]
        if not user.is_active:
            raise SsoRefused(f"The account for {email} is deactivated.")
        return user
    if not signup.allow:
        raise SsoRefused(
            f"Nobody here signs in with the address {email}. "
            "Ask an administrator of your organization to invite you."
        )
    organization = Organization.objects.filter(slug=signup.organization).first()
    if organization is None:
        raise SsoRefused(
            "New people cannot join yet: the organization they join "
            f"(“{signup.organization}”) does not exist. Tell an administrator."
        )
    first, last = _names(claims)
    user = get_user_model().objects.create_user(
        _free_username(email), email=email, first_name=first, last_name=last
    )  # no password: this person signs in through the identity provider only
    membership_set(organization=organization, user=user, role=signup.role)
    return user
