"""The most-seen pages read in each shipped language: the start page, the scorecard,
the strategy map, the data-entry grid, sign-in and the error pages; and a form error
in German. English stays the default (tests/web cover the English pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from scorecard.accounts.models import AccountSettings
from scorecard.kpis.models import Measurement
from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory, PerspectiveFactory

pytestmark = pytest.mark.django_db
LANGUAGES = ["de", "fr", "es"]

#: page → language → phrases that must show; the English originals must not.
PAGES = {
    "home": {
        "en": ["My scorecards", "Values I should enter", "My open tasks"],
        "de": ["Meine Scorecards", "Von mir zu erfassende Werte", "Meine offenen Aufgaben"],
        "fr": ["Mes tableaux de bord", "Valeurs à saisir par moi", "Mes tâches ouvertes"],
        "es": ["Mis cuadros de mando", "Valores que debo introducir", "Mis tareas abiertas"],
    },
    "scorecard": {
        "en": ["Overall score", "Last 12 periods", "Values of this scorecard", "Latest period"],
        "de": ["Gesamtscore", "Letzte 12 Perioden", "Werte dieser Scorecard", "Letzte Periode"],
        "fr": [
            "Score global",
            "12 dernières périodes",
            "Valeurs de ce tableau de bord",
            "Dernière période",
        ],
        "es": [
            "Puntuación global",
            "Últimos 12 periodos",
            "Valores de este cuadro de mando",
            "Último periodo",
        ],
    },
    "map": {
        "en": ["The objectives of the map as a list", "Arrows run from cause to effect."],
        "de": ["Die Ziele der Karte als Liste", "Pfeile verlaufen von Ursache zu Wirkung."],
        "fr": [
            "Les objectifs de la carte sous forme de liste",
            "Les flèches vont de la cause à l'effet.",
        ],
        "es": [
            "Los objetivos del mapa en forma de lista",
            "Las flechas van de la causa al efecto.",
        ],
    },
    "entry": {
        "en": ["Save all values", "Last recorded", "Periods ended by"],
        "de": ["Alle Werte speichern", "Zuletzt erfasst", "Perioden abgeschlossen bis"],
        "fr": ["Enregistrer toutes les valeurs", "Dernière saisie", "Périodes achevées au"],
        "es": ["Guardar todos los valores", "Último registro", "Periodos terminados a"],
    },
}


@pytest.fixture(autouse=True)
def _english_afterwards():
    """Requests leave their language active in the thread; later tests expect English."""
    yield
    translation.deactivate()


@pytest.fixture
def pages(world):
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    objective = ObjectiveFactory(perspective=perspective, code="grow", name="Grow revenue")
    revenue = KpiFactory(
        objective=objective,
        code="revenue",
        name="Revenue",
        unit="€",
        minimum=0,
        maximum=2_000_000,
        target=1_500_000,
        updater=world.contributor,
    )
    MeasurementFactory(kpi=revenue, period_start=dt.date(2026, 10, 1), value=1_234_567.5)
    urls = {
        "home": reverse("home"),
        "scorecard": reverse("scorecard_detail", args=["northwind", "company"]),
        "map": reverse("strategy_map", args=["northwind", "company"]),
        "entry": reverse("data_entry", args=["northwind", "company"]),
    }
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        yield world, revenue, urls


def _in(world, language: str):
    AccountSettings.objects.update_or_create(
        user=world.contributor, defaults={"language": language}
    )
    return world.client_for("contributor")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_reads_in_the_person_s_language(pages, page, language) -> None:
    world, _, urls = pages
    response = _in(world, language).get(urls[page], HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for phrase in PAGES[page][language]:
        assert phrase in html, f"{page}/{language}: {phrase!r} missing"
    for english in PAGES[page]["en"]:
        assert english not in html, f"{page}/{language}: {english!r} left in English"


@pytest.mark.parametrize("page", list(PAGES))
def test_english_is_the_default(pages, page) -> None:
    world, _, urls = pages
    html = world.client_for("contributor").get(urls[page]).content.decode()
    for phrase in PAGES[page]["en"]:
        assert phrase in html


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("de", ["Anmelden", "Passwort vergessen?", "Benutzername"]),
        ("fr", ["Se connecter", "Mot de passe oublié ?", "Nom d'utilisateur"]),
        ("es", ["Iniciar sesión", "¿Ha olvidado su contraseña?", "Nombre de usuario"]),
    ],
)
def test_the_sign_in_page_follows_the_browser(db, language, phrases) -> None:
    html = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for phrase in phrases:
        assert phrase in html, f"{language}: {phrase!r} missing"
    assert "Forgot your password?" not in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [("de", "Nicht gefunden"), ("fr", "Introuvable"), ("es", "No encontrado")],
)
def test_the_not_found_page_speaks_the_language(pages, language, heading) -> None:
    world, _, _urls = pages
    response = _in(world, language).get(
        reverse("scorecard_detail", args=["northwind", "no-such-scorecard"])
    )
    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html
    assert "Back to the start page" not in html


def test_a_wrong_cell_of_the_grid_is_explained_in_german(pages) -> None:
    world, revenue, urls = pages
    client = _in(world, "de")
    response = client.post(urls["entry"] + "?as_of=2026-10-31", {f"value-{revenue.pk}": "viel"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nichts wurde gespeichert: 1 Zeile muss korrigiert werden" in html
    assert Measurement.objects.filter(kpi=revenue).count() == 1


def test_saving_the_grid_says_so_in_german(pages) -> None:
    world, revenue, urls = pages
    client = _in(world, "de")
    response = client.post(
        urls["entry"] + "?as_of=2026-10-31", {f"value-{revenue.pk}": "1.300.000,5"}, follow=True
    )
    assert response.status_code == 200
    assert "1 Wert gespeichert (1 korrigiert)." in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "„morgen“ ist kein Datum; stattdessen wird 23 Nov 2026 angezeigt."),
        ("fr", "« morgen » n&#x27;est pas une date ; affichage du 23"),
        ("es", "«morgen» no es una fecha; se muestra el 23 Nov 2026 en su lugar."),
    ],
)
def test_a_bad_date_is_explained_in_the_person_s_language(pages, language, message) -> None:
    world, _, urls = pages
    html = _in(world, language).get(urls["scorecard"] + "?as_of=morgen").content.decode()
    assert message in html


def test_the_invitation_form_explains_a_wrong_address_in_german(pages) -> None:
    world, _, _urls = pages
    AccountSettings.objects.update_or_create(user=world.admin, defaults={"language": "de"})
    response = world.client_for("admin").post(
        reverse("invite", args=["northwind"]), {"emails": "kein-mail", "role": "viewer"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Keine E-Mail-Adresse: kein-mail." in html
    assert "Personen einladen" in html
    assert "E-Mail-Adressen" in html  # the field's label


def test_my_account_page_reads_in_french(pages) -> None:
    world, _, _urls = pages
    html = _in(world, "fr").get(reverse("account")).content.decode()
    assert "Changer votre mot de passe" in html
    assert "Prénom" in html
    assert "Change your password" not in html


def test_the_glossary_explains_at_length_in_spanish(pages) -> None:
    world, _, _urls = pages
    html = _in(world, "es").get(reverse("help")).content.decode()
    assert "Glosario" in html
    assert "Política de datos faltantes" in html
    assert "Los pesos son relativos entre elementos del mismo nivel." in html
    assert "Weights are relative among siblings." not in html


def test_a_refusal_names_the_role_needed_in_german(pages) -> None:
    world, _, _urls = pages
    AccountSettings.objects.update_or_create(user=world.viewer, defaults={"language": "de"})
    response = world.client_for("viewer").get(reverse("data_entry", args=["northwind", "company"]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Ihre Rolle erlaubt das nicht" in html
    assert "Dafür ist die Rolle Mitwirkender oder höher nötig." in html
