"""The planning area read in each shipped language: the planning panel of the KPI page,
the health check, the risk register and heat map, the alignment page and the planning
home; and messages and form errors in German."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from scorecard.accounts.models import AccountSettings
from scorecard.risks.services import risk_create
from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory, PerspectiveFactory

pytestmark = pytest.mark.django_db

ARGS = ["northwind", "company"]

#: page → language → phrases that must show; the English ones must not in the others.
PAGES = {
    "kpi": {
        "en": ["Target assistant", "Check your own number", "Add benchmark", "Within reach?"],
        "de": ["Zielwert-Assistent", "Eigene Zahl prüfen", "Benchmark hinzufügen", "Erreichbar?"],
        "fr": ["Assistant de cible", "Vérifier votre propre chiffre", "Ajouter un benchmark"],
        "es": ["Asistente de metas", "Comprobar su propia cifra", "Añadir benchmark"],
    },
    "health": {
        "en": ["Health check", "The risk “Supply shortage” is high", "Suggestions"],
        "de": ["Gesundheitscheck", "Das Risiko „Supply shortage“ ist hoch", "Vorschläge"],
        "fr": ["Bilan de santé", "Le risque « Supply shortage » est élevé", "Suggestions"],
        "es": ["Revisión de salud", "El riesgo «Supply shortage» es alto", "Sugerencias"],
    },
    "risks": {
        "en": ["Before mitigation", "High, no mitigation", "Likely", "Register"],
        "de": ["Vor Minderung", "Hoch, keine Minderung", "Wahrscheinlich", "Register"],
        "fr": ["Avant atténuation", "Élevé, sans atténuation", "Probable", "Registre"],
        "es": ["Antes de la mitigación", "Alto, sin mitigación", "Probable", "Registro"],
    },
    "alignment": {
        "en": ["Alignment across units", "Units and their scorecards", "top of the cascade"],
        "de": ["Ausrichtung über Einheiten", "Einheiten und ihre Scorecards", "Spitze der Kaskade"],
        "fr": [
            "Alignement entre unités",
            "Unités et leurs tableaux de bord",
            "sommet de la cascade",
        ],
        "es": [
            "Alineación entre unidades",
            "Unidades y sus cuadros de mando",
            "cima del despliegue",
        ],
    },
    "planning": {
        "en": ["Targets and forecasts", "Funnels (conversion chains)", "At risk below"],
        "de": ["Zielwerte und Prognosen", "Trichter (Konversionsketten)", "Gefährdet unter"],
        "fr": ["Cibles et prévisions", "Entonnoirs (chaînes de conversion)", "À risque sous"],
        "es": ["Metas y previsiones", "Embudos (cadenas de conversión)", "En riesgo por debajo de"],
    },
}


@pytest.fixture
def planned(world):
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
        time_aggregation="sum",
        updater=world.contributor,
    )
    for month, value in [(7, 1_000_000), (8, 1_100_000), (9, 1_150_000), (10, 1_234_567.5)]:
        MeasurementFactory(kpi=revenue, period_start=dt.date(2026, month, 1), value=value)
    risk_create(scorecard=world.scorecard, title="Supply shortage", likelihood=4, impact=4)
    urls = {
        "kpi": reverse("kpi_detail", args=[*ARGS, "revenue"]),
        "health": reverse("scorecard_health", args=ARGS),
        "risks": reverse("risk_list", args=ARGS),
        "alignment": reverse("alignment", args=["northwind"]),
        "planning": reverse("planning_home", args=ARGS),
    }
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        yield world, urls


def _in(world, language: str, persona: str = "editor"):
    AccountSettings.objects.update_or_create(
        user=getattr(world, persona), defaults={"language": language}
    )
    return world.client_for(persona)


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
@pytest.mark.parametrize("page", list(PAGES))
def test_the_planning_pages_read_in_the_person_s_language(planned, page, language) -> None:
    world, urls = planned
    response = _in(world, language).get(urls[page], HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for phrase in PAGES[page][language]:
        assert phrase in html, f"{page}/{language}: {phrase!r} missing"
    if language != "en":
        for english in PAGES[page]["en"]:
            if english not in PAGES[page][language]:
                assert english not in html, f"{page}/{language}: {english!r} left in English"


def test_health_findings_keep_names_and_write_dates_the_language_s_way(planned) -> None:
    world, urls = planned
    html = _in(world, "de").get(urls["health"]).content.decode()
    assert "Die Kennzahl „Revenue“ hat keine Beschreibung" in html
    assert "has no description" not in html
    assert "Kennzahl bearbeiten" in html  # the link that fixes it


def test_german_refuses_a_bad_threshold_with_a_german_message(planned) -> None:
    world, _ = planned
    client = _in(world, "de")
    response = client.post(
        reverse("forecast_rule", args=ARGS), {"at_risk_below": "150"}, follow=True
    )
    html = response.content.decode()
    assert "Geben Sie eine Wahrscheinlichkeit zwischen 1 und 99 Prozent an" in html
    assert "Give a chance between" not in html


def test_german_benchmark_errors_and_risk_form_errors(planned) -> None:
    world, _ = planned
    client = _in(world, "de")
    response = client.post(
        reverse("benchmark_add", args=[*ARGS, "revenue"]),
        {"value": "1.300.000", "source": "", "as_of": "2026-06-30"},
        follow=True,
    )
    html = response.content.decode()
    assert "Der Benchmark wurde nicht gespeichert" in html
    assert "Geben Sie an, woher der Benchmark stammt" in html
    response = client.post(
        reverse("risk_new", args=ARGS),
        {"title": "Preisdruck", "likelihood": "3", "impact": "2", "likelihood_after": "2"},
    )
    html = response.content.decode()
    assert "Bewerten Sie sowohl Wahrscheinlichkeit als auch Auswirkung nach Minderung" in html
    assert "Wahrscheinlichkeit nach Minderung" in html  # the form's label
    response = client.post(
        reverse("risk_new", args=ARGS), {"title": "Preisdruck", "likelihood": "3", "impact": "2"}
    )
    assert response.status_code == 302
    messages = client.get(reverse("risk_list", args=ARGS)).content.decode()
    assert "Risiko „<bdi>Preisdruck</bdi>“ hinzugefügt." in messages
    assert "3 × 2 = 6 · mittel" in messages
