"""Single sign-on end to end: a real OpenID provider of the tests' own (django-oauth-toolkit
in a subprocess on loopback) and real Chromium following every redirect (issue 14)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = "Test ID"
CLIENT_ID, CLIENT_SECRET = "scorecard-test", "s3cret-for-tests-only"
#: People known to the provider: [username, password, e-mail, first name, last name].
PEOPLE = [
    ["alice", "alice-pw", "Alice@Example.org", "Alice", "Adams"],
    ["newbie", "newbie-pw", "newbie@example.org", "Nora", "Newman"],
    ["stranger", "stranger-pw", "stranger@example.org", "Sam", "Stone"],
]


@dataclass
class Provider:
    url: str
    issuer: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def provider(live_server: Any, tmp_path_factory: Any) -> Iterator[Provider]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    spec = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": f"{live_server.url}/sso/callback/",
        "post_logout_uri": f"{live_server.url}/login/",
        "users": PEOPLE,
    }
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}},
        "PYTHONPATH": str(ROOT),
        "PROVIDER_DB": str(tmp_path_factory.mktemp("provider") / "provider.sqlite3"),
        "PROVIDER_RSA_KEY": pem,
        "PROVIDER_ISSUER": f"{url}/o",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path_factory.mktemp("provider-log") / "provider.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.run", str(port), json.dumps(spec)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/o/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the test provider did not start:\n{log.read_text()}")
            time.sleep(0.3)
        yield Provider(url=url, issuer=f"{url}/o")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(provider: Provider, transactional_db: Any, settings: Any) -> Any:
    """Scorecard configured for the test provider; Acme with one member, Alice."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from scorecard.organizations.services import membership_set, organization_create

    settings.SCORECARD_OIDC_ENABLED = True
    settings.SCORECARD_OIDC_ISSUER = provider.issuer
    settings.SCORECARD_OIDC_PROVIDER_NAME = PROVIDER
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "scorecard.web.sso.oidc.ScorecardOIDCBackend",
    ]
    cache.clear()
    acme = organization_create(name="Acme", slug="acme")
    alice = get_user_model().objects.create_user("alice.a", email="alice@example.org")
    membership_set(organization=acme, user=alice, role="editor")
    return acme


def provider_sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_role("link", name=f"Sign in with {PROVIDER}").click()
    page.get_by_label("Account").fill(username)
    page.get_by_label("Secret").fill(password)
    page.get_by_role("button", name="Log in at Test ID").click()


def test_a_member_signs_in_and_out(sso: Any, page: Any, live_server: Any) -> None:
    provider_sign_in(page, "alice", "alice-pw")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".signout .who").inner_text().startswith("alice.a")
    assert page.get_by_role("button", name="Sign out").is_visible()

    # Signing out ends the session here and at the provider (RP-initiated logout).
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/login/")
    page.goto("/")
    page.wait_for_url(f"{live_server.url}/login/?next=/")
    page.get_by_role("link", name=f"Sign in with {PROVIDER}").click()
    page.get_by_label("Account").wait_for()  # the provider asks again


def test_first_sign_in_of_a_newcomer_allowed_to_join(
    sso: Any, page: Any, live_server: Any, settings: Any
) -> None:
    from django.contrib.auth import get_user_model

    from scorecard.organizations.models import Membership

    settings.SCORECARD_OIDC_ALLOW_SIGNUP = True
    settings.SCORECARD_OIDC_ORGANIZATION = "acme"
    settings.SCORECARD_OIDC_DEFAULT_ROLE = "contributor"
    provider_sign_in(page, "newbie", "newbie-pw")
    page.wait_for_url(f"{live_server.url}/")
    user = get_user_model().objects.get(email="newbie@example.org")
    assert (user.username, user.first_name, user.last_name) == ("newbie", "Nora", "Newman")
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (sso, "contributor")
    assert "Acme" in page.content()


def test_an_uninvited_person_is_refused(sso: Any, page: Any, live_server: Any) -> None:
    from django.contrib.auth import get_user_model

    provider_sign_in(page, "stranger", "stranger-pw")
    page.wait_for_url(f"{live_server.url}/login/")
    alert = page.locator(".messages")
    assert "Nobody here signs in with the address stranger@example.org" in alert.inner_text()
    assert "invite you" in alert.inner_text()
    assert not get_user_model().objects.filter(email="stranger@example.org").exists()
    page.goto("/")
    page.wait_for_url(f"{live_server.url}/login/?next=/")  # not signed in
