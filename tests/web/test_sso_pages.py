"""The sign-in page with single sign-on, passwords switched off, and a provider that is down.

The whole flow against a real provider is in tests/browser/test_sso_browser.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


@pytest.fixture
def sso(settings: Any) -> str:
    issuer = f"http://127.0.0.1:{_closed_port()}/realms/acme"
    settings.SCORECARD_OIDC_ENABLED = True
    settings.SCORECARD_OIDC_ISSUER = issuer
    settings.SCORECARD_OIDC_PROVIDER_NAME = "Acme ID"
    settings.OIDC_RP_CLIENT_ID = "scorecard"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_TIMEOUT = 2
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "scorecard.web.sso.oidc.ScorecardOIDCBackend",
    ]
    cache.clear()
    return issuer


def test_without_sso_the_page_has_the_password_form_only(client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert "Sign in with" not in page
    assert 'name="password"' in page


def test_with_sso_the_page_offers_the_provider_first(client: Client, sso: str) -> None:
    page = client.get("/login/?next=/o/acme/").content.decode()
    assert '<a class="button" href="/sso/start/?next=/o/acme/">Sign in with Acme ID</a>' in page
    assert 'name="password"' in page  # passwords still work ...
    get_user_model().objects.create_user("ann", password="a long passphrase 1")
    answer = client.post("/login/", {"username": "ann", "password": "a long passphrase 1"})
    assert answer.status_code == 302  # ... and sign in without asking the provider anything


def test_the_provider_is_allowed_as_a_form_target_for_signing_out(client: Client, sso: str) -> None:
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:" in policy
    assert "script-src 'self';" in policy  # the rest of the policy is unchanged


def test_passwords_switched_off(client: Client, sso: str, settings: Any) -> None:
    settings.SCORECARD_PASSWORD_LOGIN = False
    get_user_model().objects.create_user("ann", password="a long passphrase 1")
    page = client.get("/login/").content.decode()
    assert "Sign in with Acme ID" in page
    assert 'name="password"' not in page
    answer = client.post("/login/", {"username": "ann", "password": "a long passphrase 1"})
    assert answer.status_code == 403
    assert "Sign-in with a password is switched off here; use Acme ID." in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_provider_that_cannot_be_reached_is_said_so(client: Client, sso: str) -> None:
    answer = client.get("/sso/start/", follow=True)
    assert answer.redirect_chain == [("/login/", 302)]
    assert "Acme ID cannot be reached just now; try again in a moment." in (answer.content.decode())


def test_starting_sso_when_it_is_off(client: Client) -> None:
    answer = client.get("/sso/start/", follow=True)
    assert "Single sign-on is not set up here." in answer.content.decode()


def test_a_callback_without_a_started_sign_in_fails_plainly(client: Client, sso: str) -> None:
    answer = client.get("/sso/callback/?code=x&state=y", follow=True)
    assert answer.redirect_chain == [("/login/", 302)]
    assert "Signing in with Acme ID did not work." in answer.content.decode()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SCORECARD_OIDC_DEFAULT_ROLE": "boss"}, "SCORECARD_OIDC_DEFAULT_ROLE must be admin"),
        ({"SCORECARD_OIDC_ALLOW_SIGNUP": "true"}, "SCORECARD_OIDC_ALLOW_SIGNUP needs"),
        ({"SCORECARD_PASSWORD_LOGIN": "false"}, "leaves nobody a way to sign in"),
    ],
)
def test_settings_that_cannot_work_stop_the_start(env: dict[str, str], message: str) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SCORECARD_OIDC")}
    result = subprocess.run(
        [sys.executable, "-c", "import scorecard.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
