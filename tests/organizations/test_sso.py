"""Who may sign in through single sign-on (scorecard.organizations.sso)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from scorecard.organizations.models import Membership
from scorecard.organizations.services import membership_set, organization_create
from scorecard.organizations.sso import SignupRule, SsoRefused, sso_email, sso_user_for

pytestmark = pytest.mark.django_db

CLOSED = SignupRule()


@pytest.mark.parametrize(
    ("claims", "claim", "email"),
    [
        ({"email": "ann@example.org"}, "email", "ann@example.org"),
        ({"email": " ann@example.org "}, "email", "ann@example.org"),
        ({"email": "ann@example.org", "email_verified": True}, "email", "ann@example.org"),
        # Microsoft Entra ID sends the address in preferred_username or upn.
        ({"preferred_username": "ann@contoso.com"}, "preferred_username", "ann@contoso.com"),
    ],
)
def test_the_address_is_taken_from_the_configured_claim(
    claims: dict[str, Any], claim: str, email: str
) -> None:
    assert sso_email(claims, claim) == email


@pytest.mark.parametrize(
    ("claims", "claim", "message"),
    [
        ({}, "email", "sent no e-mail address (claim “email”)"),
        ({"email": ""}, "email", "sent no e-mail address"),
        ({"email": 42}, "email", "sent no e-mail address"),
        ({"email": "ann@example.org"}, "upn", "sent no e-mail address (claim “upn”)"),
        ({"email": "not an address"}, "email", "“not an address” as the e-mail address"),
        (
            {"email": "ann@example.org", "email_verified": False},
            "email",
            "has not verified the address ann@example.org",
        ),
    ],
)
def test_a_missing_or_doubtful_address_is_refused(
    claims: dict[str, Any], claim: str, message: str
) -> None:
    with pytest.raises(SsoRefused, match=re.escape(message)):
        sso_email(claims, claim)


def test_an_existing_account_signs_in_whatever_the_case_of_the_address() -> None:
    ann = get_user_model().objects.create_user("ann", email="Ann@Example.org")
    assert sso_user_for(email="ann@example.ORG", claims={}, signup=CLOSED) == ann


def test_unknown_addresses_are_refused_unless_joining_is_allowed() -> None:
    with pytest.raises(
        SsoRefused, match=re.escape("Nobody here signs in with the address bo@x.org")
    ):
        sso_user_for(email="bo@x.org", claims={}, signup=CLOSED)
    assert not get_user_model().objects.exists()


def test_a_deactivated_account_is_refused() -> None:
    get_user_model().objects.create_user("ann", email="ann@example.org", is_active=False)
    with pytest.raises(SsoRefused, match="deactivated"):
        sso_user_for(email="ann@example.org", claims={}, signup=CLOSED)


def test_two_accounts_with_one_address_are_refused() -> None:
    get_user_model().objects.create_user("ann", email="ann@example.org")
    get_user_model().objects.create_user("ann2", email="ANN@example.org")
    with pytest.raises(SsoRefused, match="Several accounts use the address"):
        sso_user_for(email="ann@example.org", claims={}, signup=CLOSED)


def test_a_newcomer_joins_the_configured_organization_with_the_configured_role() -> None:
    acme = organization_create(name="Acme", slug="acme")
    get_user_model().objects.create_user("bo", email="someone.else@example.org")
    rule = SignupRule(allow=True, organization="acme", role="contributor")
    claims = {"name": "Bo Berg"}
    user = sso_user_for(email="bo@example.org", claims=claims, signup=rule)
    assert user.username == "bo2"  # "bo" is taken
    assert (user.email, user.first_name, user.last_name) == ("bo@example.org", "Bo", "Berg")
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (acme, "contributor")
    # The second time it is the same account.
    assert sso_user_for(email="BO@example.org", claims=claims, signup=rule) == user
    assert Membership.objects.filter(user=user).count() == 1


def test_joining_an_organization_that_does_not_exist_is_refused_plainly() -> None:
    rule = SignupRule(allow=True, organization="nowhere", role="viewer")
    with pytest.raises(SsoRefused, match=re.escape("(“nowhere”) does not exist")):
        sso_user_for(email="bo@example.org", claims={}, signup=rule)
    assert not get_user_model().objects.exists()


def test_an_existing_member_keeps_their_role() -> None:
    acme = organization_create(name="Acme", slug="acme")
    ann = get_user_model().objects.create_user("ann", email="ann@example.org")
    membership_set(organization=acme, user=ann, role="admin")
    rule = SignupRule(allow=True, organization="acme", role="viewer")
    assert sso_user_for(email="ann@example.org", claims={}, signup=rule) == ann
    assert Membership.objects.get(user=ann).role == "admin"
