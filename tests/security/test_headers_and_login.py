"""Security headers on every page, Argon2 hashing and the sign-in rate limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/login/", "/", "/api/v1/docs"])
def test_every_response_carries_the_security_headers(world: Any, url: str) -> None:
    response = world.client_for("viewer").get(url)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"  # no inline scripts, no eval
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_script(world: Any) -> None:
    """The CSP forbids inline scripts, so a page that relied on one would break."""
    body = world.client_for("admin").get("/").content.decode()
    for chunk in body.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag, f"inline script found: <script{tag}>"
    assert "onclick=" not in body and "hx-on" not in body


def test_new_passwords_are_hashed_with_argon2(settings: Any) -> None:
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    encoded = make_password("correct horse battery staple")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password("correct horse battery staple", encoded)


def test_production_settings_put_argon2_first() -> None:
    from scorecard import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failed_sign_ins_lock_the_user_name_out(world: Any) -> None:
    world.admin.set_password("the-right-password")
    world.admin.save()
    client = Client()
    for _ in range(2):
        response = client.post("/login/", {"username": "admin-user", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter a correct" in response.content.decode()
    response = client.post("/login/", {"username": "admin-user", "password": "wrong"})
    assert response.status_code == 429
    # Locked: even the right password is refused now, with a page that says why.
    response = client.post("/login/", {"username": "admin-user", "password": "the-right-password"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_lock_out_is_per_user_name_so_others_can_still_sign_in(world: Any) -> None:
    world.editor.set_password("editor-password")
    world.editor.save()
    client = Client()
    for _ in range(3):
        client.post("/login/", {"username": "admin-user", "password": "wrong"})
    response = client.post("/login/", {"username": "editor-user", "password": "editor-password"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.editor.pk)


def test_a_successful_sign_in_resets_the_failure_count(world: Any) -> None:
    world.admin.set_password("the-right-password")
    world.admin.save()
    client = Client()
    for _ in range(4):
        client.post("/login/", {"username": "admin-user", "password": "wrong"})
    assert (
        client.post(
            "/login/", {"username": "admin-user", "password": "the-right-password"}
        ).status_code
        == 302
    )
    client.post("/logout/")
    for _ in range(4):
        response = client.post("/login/", {"username": "admin-user", "password": "wrong"})
    assert response.status_code == 200  # 4 + 4 failures, but never 5 in a row
