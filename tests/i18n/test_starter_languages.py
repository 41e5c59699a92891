"""Starter scorecards and an empty scorecard's perspectives speak the language of the
person setting up (the wizard's choice, ``scorecard init --language``): every language
version of a starter is the same scorecard (codes, units, targets, aggregation), only
its names and vision are translated."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from scorecard.accounts.models import AccountSettings
from scorecard.interchange.document import parse_document
from scorecard.kpis.models import Kpi
from scorecard.onboarding.services import (
    EMPTY,
    STARTER_DIR,
    STARTER_KEYS,
    organization_setup,
    starter_path,
    starter_text,
)
from scorecard.strategy.models import Objective, Scorecard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LANGUAGES = ["de", "fr", "es"]
STARTERS = [k for k in STARTER_KEYS if k != EMPTY]
#: What a translation may change; everything else must be the same in every language.
WORDS = {"name", "vision", "mission", "description"}


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.deactivate()


def _structure(value: Any) -> Any:
    """The document without its words: codes, units, targets, aggregation, order."""
    if isinstance(value, dict):
        return {k: _structure(v) for k, v in value.items() if k not in WORDS}
    if isinstance(value, list):
        return [_structure(v) for v in value]
    return value


def _words(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(v) for k, v in value.items() if k in WORDS and v] + [
            w for k, v in value.items() if k not in WORDS for w in _words(v)
        ]
    if isinstance(value, list):
        return [w for v in value for w in _words(v)]
    return []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", STARTERS)
def test_every_language_version_is_the_same_scorecard(key: str, language: str) -> None:
    english = parse_document(starter_text(key, "en")).model_dump(exclude_none=True)
    translated_path = starter_path(key, language)
    assert translated_path == STARTER_DIR / language / f"{key}.yaml"
    translated = parse_document(translated_path.read_text("utf-8")).model_dump(exclude_none=True)
    assert _structure(translated) == _structure(english)
    # Every name of the scorecard itself is translated (the organization's and the top
    # unit's are replaced by the person's own when it loads).
    ours, theirs = _words(english["scorecards"]), _words(translated["scorecards"])
    assert len(ours) == len(theirs)
    same = [a for a, b in zip(ours, theirs, strict=True) if a == b]
    assert same in ([], ["Net promoter score"]), same  # a term used as is


def test_every_language_has_every_starter() -> None:
    for language in LANGUAGES:
        assert sorted(p.stem for p in (STARTER_DIR / language).glob("*.yaml")) == sorted(STARTERS)


def test_a_starter_set_up_in_french_reads_in_french() -> None:
    admin = UserFactory(username="patron")
    result = organization_setup(name="Acmé", starter="company", admin=admin, language="fr")
    card = result.scorecard
    assert card.name == "Tableau de bord de l'entreprise"
    assert card.vision.startswith("Dites en une phrase")
    assert list(card.perspectives.order_by("position").values_list("name", flat=True)) == [
        "Finances", "Clients", "Processus internes", "Apprentissage et développement",
    ]  # fmt: skip
    assert Objective.objects.get(scorecard=card, code="grow-revenue").name == (
        "Accroître le chiffre d'affaires"
    )
    revenue = Kpi.objects.get(scorecard=card, code="revenue")
    assert (revenue.name, revenue.unit, revenue.target) == ("Chiffre d'affaires", "€", 1000000)


def test_an_empty_scorecard_names_its_perspectives_in_the_language() -> None:
    admin = UserFactory(username="chef")
    result = organization_setup(name="Acme", unit_name="Zentrale", admin=admin, language="de")
    assert result.scorecard.name == "Scorecard Zentrale"
    assert list(
        result.scorecard.perspectives.order_by("position").values_list("name", flat=True)
    ) == ["Finanzen", "Kunden", "Interne Prozesse", "Lernen & Entwicklung"]


def test_an_unknown_language_is_refused_and_nothing_is_saved() -> None:
    admin = UserFactory(username="boss")
    with pytest.raises(Exception) as caught:
        organization_setup(name="Acme", starter="sales", admin=admin, language="it")
    assert "Choose one of: en, de, fr, es." in str(caught.value)
    assert not Scorecard.objects.exists()


def _wizard(language_of_person: str) -> Client:
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    AccountSettings.objects.update_or_create(user=boss, defaults={"language": language_of_person})
    client = Client()
    client.force_login(boss)
    return client


@pytest.mark.parametrize(
    ("language", "scorecard", "perspective", "kpi"),
    [
        ("de", "Vertriebs-Scorecard", "Finanzen", "Neue Auftragseingänge"),
        ("es", "Cuadro de mando de ventas", "Financiera", "Nuevos pedidos"),
    ],
)
def test_the_wizard_offers_and_uses_the_person_s_language(
    language: str, scorecard: str, perspective: str, kpi: str
) -> None:
    client = _wizard(language)
    page = client.get(reverse("setup")).content.decode()
    # The choice defaults to the person's language.
    assert f'<option value="{language}" selected>' in page
    response = client.post(
        reverse("setup"),
        {"name": "Acme", "starter": "sales", "scorecard_name": "", "language": language},
    )
    assert response.status_code == 302
    card = Scorecard.objects.get()
    assert card.name == scorecard
    assert card.perspectives.filter(name=perspective).exists()
    assert Kpi.objects.filter(scorecard=card, name=kpi).exists()


def test_the_wizard_can_make_an_english_scorecard_for_a_french_admin() -> None:
    client = _wizard("fr")
    response = client.post(
        reverse("setup"), {"name": "Acme", "starter": "company", "language": "en"}
    )
    assert response.status_code == 302
    card = Scorecard.objects.get()
    assert card.name == "Company scorecard"
    assert card.perspectives.filter(name="Financial").exists()


@pytest.mark.parametrize(
    ("language", "scorecard", "kpi"),
    [
        ("fr", "Tableau de bord du service client", "Satisfaction client"),
        ("de", "Kundenservice-Scorecard", "Kundenzufriedenheit"),
        ("en", "Customer service scorecard", "Customer satisfaction"),
    ],
)
def test_scorecard_init_takes_a_language(language: str, scorecard: str, kpi: str) -> None:
    out = io.StringIO()
    call_command(
        "init", org="Acme", admin="boss", starter="customer-service", language=language,
        stdout=out,
    )  # fmt: skip
    assert f"the scorecard “{scorecard}”" in out.getvalue()
    assert Kpi.objects.filter(scorecard__name=scorecard, name=kpi).exists()


def test_scorecard_init_defaults_to_the_site_language(settings: Any) -> None:
    settings.LANGUAGE_CODE = "es"
    call_command("init", org="Acme", admin="boss", stdout=io.StringIO())
    card = Scorecard.objects.get()
    assert card.name == "Cuadro de mando Acme"
    assert list(card.perspectives.order_by("position").values_list("name", flat=True)) == [
        "Financiera", "Clientes", "Procesos internos", "Aprendizaje y crecimiento",
    ]  # fmt: skip


def test_scorecard_init_refuses_an_unknown_language() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'it'"):
        call_command("init", "--org=Acme", "--admin=boss", "--language=it", stdout=io.StringIO())
    assert not Scorecard.objects.exists()
