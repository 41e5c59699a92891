"""Honest lock-outs behind a proxy (issue 19, item 2).

Behind the reverse proxy of docs/deploy.md every sign-in came from 127.0.0.1, so five
wrong passwords from anywhere locked the user out for everyone.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from scorecard.web.signin import client_address

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # every request reaches the app from the proxy


def _from(address: str, spoofed: str = "") -> Client:
    """A client behind the proxy, whose own address the proxy appends to the header."""
    chain = f"{spoofed}, {address}" if spoofed else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


def _sign_in(client: Client, password: str) -> Any:
    return client.post("/login/", {"username": "admin-user", "password": password})


@pytest.fixture
def admin(world: Any) -> Any:
    world.admin.set_password("the-right-password")
    world.admin.save()
    return world.admin


@override_settings(SCORECARD_BEHIND_PROXY=True)
def test_a_stranger_cannot_lock_out_a_user_signing_in_from_elsewhere(admin: Any) -> None:
    stranger = _from("203.0.113.66")
    for _ in range(5):
        answer = _sign_in(stranger, "guess")
    assert answer.status_code == 429
    assert _sign_in(stranger, "the-right-password").status_code == 429
    # The real user, at the office, signs in as usual.
    office = _from("198.51.100.7")
    answer = _sign_in(office, "the-right-password")
    assert answer.status_code == 302
    assert office.session["_auth_user_id"] == str(admin.pk)


@override_settings(SCORECARD_BEHIND_PROXY=True)
def test_a_forged_left_hand_address_does_not_escape_the_lockout(admin: Any) -> None:
    for number in range(5):
        # The client writes its own X-Forwarded-For; the proxy appends the real address.
        answer = _sign_in(_from("203.0.113.66", spoofed=f"10.0.0.{number}"), "guess")
    assert answer.status_code == 429
    assert _sign_in(_from("203.0.113.66", spoofed="10.9.9.9"), "guess").status_code == 429


@override_settings(SCORECARD_BEHIND_PROXY=False)
def test_without_a_proxy_the_header_is_ignored(admin: Any) -> None:
    for number in range(5):
        _sign_in(Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}"), "x")
    locked = _sign_in(Client(REMOTE_ADDR="203.0.113.66"), "the-right-password")
    assert locked.status_code == 429
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.7"), "the-right-password").status_code == 302


@override_settings(SCORECARD_BEHIND_PROXY=True, AXES_COOLOFF_TIME=0.25)
def test_the_locked_out_page_says_how_long_is_left(admin: Any) -> None:
    stranger = _from("203.0.113.66")
    for _ in range(5):
        answer = _sign_in(stranger, "guess")
    text = answer.content.decode()
    assert answer.status_code == 429
    assert "Too many failed sign-ins" in text
    assert "after 5 failed attempts" in " ".join(text.split())
    assert "Try again in <strong>15 minutes</strong>" in text
    assert "Signing in from elsewhere is not affected" in text


@pytest.mark.parametrize(
    ("behind", "count", "remote", "header", "expected"),
    [
        (False, 1, "203.0.113.1", "10.0.0.1", "203.0.113.1"),
        (True, 1, "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        (True, 1, "127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (True, 2, "127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (True, 2, "127.0.0.1", "203.0.113.9", "127.0.0.1"),  # too short: the proxy's own
        (True, 1, "127.0.0.1", "not-an-address", "127.0.0.1"),
        (True, 1, "127.0.0.1", "", "127.0.0.1"),
        (True, 1, "127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(
    rf: Any, behind: bool, count: int, remote: str, header: str, expected: str
) -> None:
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=header)
    with override_settings(SCORECARD_BEHIND_PROXY=behind, SCORECARD_PROXY_COUNT=count):
        assert client_address(request) == expected
