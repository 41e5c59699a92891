"""The newer pages read in each shipped language: dashboards (the home page can be one),
share links (and the page their visitors see), proposals, pulses, data sources,
deliveries and briefing books, webhooks, API tokens and adoption; and their messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from scorecard import clock
from scorecard.accounts.models import AccountSettings
from scorecard.dashboards import services as dashboard_services
from scorecard.deliveries.models import Delivery
from scorecard.organizations.models import Membership
from scorecard.sharing import services as sharing_services
from tests.factories import KpiFactory, ObjectiveFactory, PerspectiveFactory
from tests.jobs.test_tasks import run_worker

pytestmark = pytest.mark.django_db
TODAY = "2026-11-23"

#: page → language → phrases that must show; the English phrases must then be gone.
PAGES: dict[str, dict[str, list[str]]] = {
    "dashboard_list": {
        "en": ["Dashboards you can read", "New dashboard", "Create the dashboard"],
        "de": ["Dashboards, die Sie lesen können", "Neues Dashboard", "Dashboard anlegen"],
        "fr": ["Dashboards que vous pouvez consulter", "Nouveau dashboard", "Créer le dashboard"],
        "es": ["Paneles que puede leer", "Nuevo panel", "Crear el panel"],
    },
    "dashboard_detail": {
        "en": ["This dashboard has no widgets yet.", "Add a widget", "Use as my home page"],
        "de": [
            "Dieses Dashboard hat noch keine Widgets.",
            "Widget hinzufügen",
            "Als meine Startseite verwenden",
            "Kennzahl-Kachel",  # a widget kind in the choice
        ],
        "fr": [
            "Ce dashboard n'a pas encore de widgets.",
            "Ajouter un widget",
            "Utiliser comme page d'accueil",
            "Tuile KPI",
        ],
        "es": [
            "Este panel todavía no tiene widgets.",
            "Añadir un widget",
            "Usar como mi página de inicio",
            "Mosaico de KPI",
        ],
    },
    "share_list": {
        "en": ["Share outside", "Create the link", "Who it is for"],
        "de": ["Nach außen teilen", "Link erstellen", "Für wen er ist", "Die Strategiekarte"],
        "fr": ["Partager à l'extérieur", "Créer le lien", "À qui il est destiné"],
        "es": ["Compartir fuera", "Crear el enlace", "Para quién es"],
    },
    "proposal_new": {
        "en": ["Send the proposal", "What do you propose?"],
        "de": ["Vorschlag senden", "Was schlagen Sie vor?", "Zielwert einer Kennzahl ändern"],
        "fr": [
            "Envoyer la proposition",
            "Que proposez-vous ?",
            "Modifier la cible d&#x27;un KPI",  # a choice label, escaped
        ],
        "es": ["Enviar la propuesta", "¿Qué propone?", "Cambiar la meta de un KPI"],
    },
    "pulse_list": {
        "en": ["The magic question", "Waiting for your answer"],
        "de": ["Die magische Frage", "Warten auf Ihre Antwort"],
        "fr": ["La question magique", "En attente de votre réponse"],
        "es": ["La pregunta mágica", "Pendientes de su respuesta"],
    },
    "datasource_list": {
        "en": ["Add a connection", "Save connection"],
        "de": ["Verbindung hinzufügen", "Verbindung speichern", "Datenbank (SQL)"],
        "fr": ["Ajouter une connexion", "Enregistrer la connexion", "Base de données (SQL)"],
        "es": ["Añadir una conexión", "Guardar la conexión", "Base de datos (SQL)"],
    },
    "delivery_list": {
        "en": ["Schedule a delivery", "No scheduled delivery yet."],
        "de": ["Versand planen", "Noch kein geplanter Versand."],
        "fr": ["Programmer un envoi", "Aucun envoi programmé pour l'instant."],
        "es": ["Programar un envío", "Todavía no hay ningún envío programado."],
    },
    "book_list": {
        "en": ["Assemble a book", "No saved book yet."],
        "de": ["Mappe zusammenstellen", "Noch keine gespeicherte Mappe."],
        "fr": ["Composer un dossier", "Aucun dossier enregistré pour l'instant."],
        "es": ["Componer un dossier", "Todavía no hay ningún dossier guardado."],
    },
    "webhook_list": {
        "en": ["Register a webhook", "Nothing delivered yet."],
        "de": ["Webhook registrieren", "Noch nichts zugestellt."],
        "fr": ["Enregistrer un webhook", "Rien n'a encore été livré."],
        "es": ["Registrar un webhook", "Todavía no se ha entregado nada."],
    },
    "api_tokens": {
        "en": ["Create a token", "No tokens yet."],
        "de": ["Token erstellen", "Noch keine Tokens."],
        "fr": ["Créer un jeton", "Aucun jeton pour l'instant."],
        "es": ["Crear un token", "Todavía no hay tokens."],
    },
    "adoption": {
        "en": ["Who uses the scorecard", "Active, last 30 days"],
        "de": ["Wer die Scorecard nutzt", "Aktiv, letzte 30 Tage"],
        "fr": ["Qui utilise le tableau de bord", "Actifs, 30 derniers jours"],
        "es": ["Quién usa el cuadro de mando", "Activos, últimos 30 días"],
    },
}


@pytest.fixture
def site(world: Any, settings: Any) -> Any:
    settings.SCORECARD_TODAY = TODAY
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Kunden")
    objective = ObjectiveFactory(scorecard=world.scorecard, perspective=perspective)
    KpiFactory(objective=objective, code="nps", name="销售额", minimum=0, maximum=100, target=80)
    membership = Membership.objects.get(user=world.admin, organization=world.organization)
    dashboard = dashboard_services.dashboard_create(membership=membership, name="Vorstand")
    return world, dashboard


def _url(name: str, world: Any, dashboard: Any) -> str:
    org, sc = world.organization.slug, world.scorecard.slug
    if name == "dashboard_detail":
        return reverse(name, args=[org, dashboard.pk])
    if name in {"share_list", "proposal_new"}:
        return reverse(name, args=[org, sc])
    if name == "adoption":
        return reverse("adoption", args=[org])
    return reverse(name, args=[org])


def _client(world: Any, language: str) -> Client:
    AccountSettings.objects.update_or_create(user=world.admin, defaults={"language": language})
    return world.client_for("admin")


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_reads_in_the_person_s_language(site: Any, page: str, language: str) -> None:
    world, dashboard = site
    response = _client(world, language).get(_url(page, world, dashboard), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content.decode()[:500]
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for phrase in PAGES[page][language]:
        assert phrase in html, f"{page} in {language}: {phrase!r} missing"
    if language != "en":
        for english in PAGES[page]["en"]:
            assert english not in html, f"{page} in {language}: {english!r} left in English"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Overall score", "Shared read-only with Board", "This link works until"]),
        ("de", ["Gesamtscore", "Nur zum Lesen geteilt mit Board", "Dieser Link gilt bis"]),
        ("fr", ["Score global", "Partagé en lecture seule avec Board", "Ce lien est valable"]),
        ("es", ["Puntuación global", "Compartido en solo lectura con Board", "Este enlace es"]),
    ],
)
def test_the_share_link_page_follows_the_visitor_s_browser(
    site: Any, language: str, words: list[str]
) -> None:
    world, _ = site
    _, token = sharing_services.share_create(
        scorecard=world.scorecard, user=world.editor, label="Board",
        expires_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    response = Client().get(f"/share/{token}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html, f"{language}: {word!r} missing"
    assert "销售额" in html  # names are never translated


def test_a_withdrawn_link_says_so_in_french(site: Any) -> None:
    world, _ = site
    link, token = sharing_services.share_create(
        scorecard=world.scorecard, user=world.editor, label="Board",
        expires_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    sharing_services.share_revoke(link=link, user=world.editor)
    response = Client().get(f"/share/{token}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 410
    html = response.content.decode()
    assert "Ce lien ne fonctionne plus" in html and "Son propriétaire l'a retiré." in html


def test_a_dashboard_without_a_name_is_refused_in_german(site: Any) -> None:
    world, _ = site
    response = _client(world, "de").post(
        reverse("dashboard_list", args=["northwind"]), {"name": " "}
    )
    assert response.status_code == 422
    assert "Geben Sie dem Dashboard einen Namen." in response.content.decode()


def test_a_share_link_form_error_and_confirmation_in_german(site: Any) -> None:
    world, _ = site
    client = _client(world, "de")
    url = reverse("share_list", args=["northwind", "company"])
    refused = client.post(url, {"label": "", "what": "scorecard", "expires_on": "2026-12-31"})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "Der Link wurde nicht erstellt:" in html
    assert "Sagen Sie, für wen der Link ist." in html
    created = client.post(
        url, {"label": "Aufsichtsrat", "what": "map", "expires_on": "2026-12-31"}, follow=True
    )
    html = created.content.decode()
    assert "Link erstellt. Kopieren Sie ihn jetzt, er wird nur einmal angezeigt:" in html
    assert '<span id="link-state">aktiv</span>' in html
    assert "Die Strategiekarte · aktuelle Zahlen · bis " in html


def test_a_proposal_without_a_reason_is_refused_in_spanish(site: Any) -> None:
    world, _ = site
    response = _client(world, "es").post(
        reverse("proposal_new", args=["northwind", "company"]),
        {"kind": "new_objective", "name": "Crecer", "reason": ""},
    )
    html = response.content.decode()
    assert "La propuesta no se envió:" in html
    assert "Diga por qué: una propuesta necesita una justificación." in html


def test_a_pulse_that_closes_before_it_opens_is_refused_in_german(site: Any) -> None:
    world, _ = site
    response = _client(world, "de").post(
        reverse("pulse_new", args=["northwind"]),
        {"question": "", "opens_on": "2026-11-30", "closes_on": "2026-11-24"},
    )
    html = response.content.decode()
    assert "Die Pulsbefragung wurde nicht geplant:" in html
    assert "Die Pulsbefragung endet, bevor sie beginnt." in html


def test_the_delivery_form_and_its_test_e_mail_are_german(
    site: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world, _ = site
    client = _client(world, "de")
    page = client.get(reverse("delivery_new", args=["northwind"])).content.decode()
    assert "Wie oft" in page and "Monatlich, am N-ten Arbeitstag" in page
    assert "How often" not in page
    form = {
        "name": "Vorstand", "scorecards": [world.scorecard.pk], "recipients": [world.viewer.pk],
        "frequency": "monthly_working_day", "day": "5", "hour": "7", "form": "attachment",
        "view": "period",
    }  # fmt: skip
    answer = client.post(reverse("delivery_new", args=["northwind"]), form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    delivery = Delivery.objects.get()
    with clock.frozen_at(dt.date(2026, 11, 23)):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("delivery_send_now", args=["northwind", delivery.pk]))
        run_worker()
    [message] = mail.outbox  # to the admin who pressed "Send now", who reads German
    assert message.subject.startswith("[Test] Vorstand — 23")
    assert "Dies ist ein Test, nur an Sie gesendet („Jetzt senden“)." in message.body
    assert "Der Bericht liegt als PDF bei." in message.body
