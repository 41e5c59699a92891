"""Each person picks a language in My account; the browser's Accept-Language decides
for everyone else (and for people who chose none)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scorecard.accounts.models import AccountSettings

pytestmark = pytest.mark.django_db


def _save(client, language: str):
    return client.post(reverse("account"), {"first_name": "Vera", "language": language})


def test_the_browser_s_language_is_the_default(world) -> None:
    client = world.client_for("viewer")
    assert (
        client.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="fr-CH,fr;q=0.9")["Content-Language"]
        == "fr"
    )
    assert client.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="ja")["Content-Language"] == "en"
    signed_out = world.client_for("anonymous").get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es")
    assert signed_out["Content-Language"] == "es"


def test_my_account_offers_the_shipped_languages(world) -> None:
    html = world.client_for("viewer").get(reverse("account")).content.decode()
    for code, name in [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("es", "Español")]:
        assert f'<option value="{code}">{name}</option>' in html


def test_a_chosen_language_wins_over_the_browser_s_and_outlives_the_session(world) -> None:
    client = world.client_for("viewer")
    response = _save(client, "de")
    assert response.status_code == 302
    assert AccountSettings.objects.get(user=world.viewer).language == "de"
    page = client.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="fr")
    assert page["Content-Language"] == "de"
    html = page.content.decode()
    assert '<html lang="de">' in html
    assert "Konto gespeichert." in html  # the confirmation, in the new language
    # A new sign-in (another browser) reads the saved choice again.
    elsewhere = world.client_for("viewer")
    assert elsewhere.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "de"
    # Someone else signing in is not affected.
    assert (
        world.client_for("editor").get(reverse("account"), HTTP_ACCEPT_LANGUAGE="es")[
            "Content-Language"
        ]
        == "es"
    )


def test_choosing_no_language_goes_back_to_the_browser_s(world) -> None:
    client = world.client_for("viewer")
    _save(client, "de")
    _save(client, "")
    assert client.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "fr"


def test_a_language_that_is_not_shipped_is_refused(world) -> None:
    client = world.client_for("viewer")
    response = _save(client, "xx")
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert (
        not type(world.viewer)
        .objects.filter(pk=world.viewer.pk, account_settings__language="xx")
        .exists()
    )
