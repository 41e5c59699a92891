"""The "manage" pages read in each shipped language: organization and units, perspectives,
the objective page, the KPI form, initiatives, review meetings, history and the import
flow, with a form error shown in German and an import row error in French."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecard.accounts.models import AccountSettings
from scorecard.imports.models import ImportJob
from scorecard.kpis.models import Measurement
from scorecard.strategy.models import Perspective
from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

ORG, SC = "northwind", "company"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def card(world: Any) -> Any:
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    objective = ObjectiveFactory(perspective=perspective, code="grow", name="Grow revenue")
    KpiFactory(objective=objective, code="sales", name="Sales", updater=world.contributor)
    initiative = InitiativeFactory(
        scorecard=world.scorecard, name="Open a shop", deadline=dt.date(2020, 1, 1)
    )
    initiative.objectives.add(objective)
    TaskFactory(initiative=initiative, name="Find a place")
    return world, initiative


def _in(world: Any, language: str, persona: str = "admin") -> Any:
    AccountSettings.objects.update_or_create(
        user=getattr(world, persona), defaults={"language": language}
    )
    return world.client_for(persona)


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=[ORG, SC, *args])


#: page → language → phrases that must show; the English ones must not, in other languages.
PAGES: dict[str, dict[str, list[str]]] = {
    "organization": {
        "en": ["Units and their scorecards", "Bring people in", "Home unit"],
        "de": ["Einheiten und ihre Scorecards", "Personen hinzuholen", "Stammeinheit"],
        "fr": [
            "Unités et leurs tableaux de bord",
            "Faire venir des personnes",
            "Unité de rattachement",
        ],
        "es": ["Unidades y sus cuadros de mando", "Incorporar personas", "Unidad de origen"],
    },
    "perspectives": {
        "en": ["Perspectives and objectives", "Add a perspective"],
        "de": ["Perspektiven und Ziele", "Perspektive hinzufügen"],
        "fr": ["Perspectives et objectifs", "Ajouter une perspective"],
        "es": ["Perspectivas y objetivos", "Añadir una perspectiva"],
    },
    "objective": {
        "en": ["Initiatives serving it", "Cause and effect", "Driven by"],
        "de": ["Initiativen dafür", "Ursache und Wirkung", "Getrieben von"],
        "fr": ["Initiatives à son service", "Cause et effet", "Influencé par"],
        "es": ["Iniciativas a su servicio", "Causa y efecto", "Impulsado por"],
    },
    "kpi_form": {
        "en": ["Scale and target", "Unit of measure", "New KPI for “Grow revenue”"],
        "de": ["Skala und Zielwert", "Maßeinheit", "Neue Kennzahl für „Grow revenue“"],
        "fr": ["Échelle et cible", "Unité de mesure", "Nouvel indicateur pour « Grow revenue »"],
        "es": ["Escala y meta", "Unidad de medida", "Nuevo indicador para «Grow revenue»"],
    },
    "initiatives": {
        "en": ["all statuses", '<span class="overdue-tag">overdue<', "New initiative"],
        "de": ["alle Status", '<span class="overdue-tag">überfällig<', "Neue Initiative"],
        "fr": ["tous les statuts", '<span class="overdue-tag">en retard<', "Nouvelle initiative"],
        "es": ["todos los estados", '<span class="overdue-tag">vencida<', "Nueva iniciativa"],
    },
    "initiative": {
        "en": ["Add a task", "Assignee", "Find a place"],
        "de": ["Aufgabe hinzufügen", "Zuständig", "Find a place"],
        "fr": ["Ajouter une tâche", "Assignée à", "Find a place"],
        "es": ["Añadir una tarea", "Asignada a", "Find a place"],
    },
    "meetings": {
        "en": ["Review meetings", "Hold a review", "No review meeting yet."],
        "de": ["Review-Sitzungen", "Review abhalten", "Noch keine Review-Sitzung."],
        "fr": ["Réunions de revue", "Tenir une revue", "Aucune réunion de revue"],
        "es": ["Reuniones de revisión", "Celebrar una revisión", "Aún no hay reuniones"],
    },
    "import": {
        "en": ["What the file needs", "Upload and choose columns"],
        "de": ["Was die Datei braucht", "Hochladen und Spalten wählen"],
        "fr": ["Ce que le fichier doit contenir", "Téléverser et choisir les colonnes"],
        "es": ["Qué necesita el archivo", "Subir y elegir columnas"],
    },
}


def _page_url(page: str, initiative: Any) -> str:
    return {
        "organization": reverse("organization_detail", args=[ORG]),
        "perspectives": _url("perspective_list"),
        "objective": _url("objective_detail", "grow"),
        "kpi_form": _url("kpi_new", "grow"),
        "initiatives": _url("initiative_list"),
        "initiative": _url("initiative_detail", initiative.pk),
        "meetings": _url("meeting_list"),
        "import": _url("values_import"),
    }[page]


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
@pytest.mark.parametrize("page", list(PAGES))
def test_the_manage_pages_read_in_the_person_s_language(card: Any, page: str, language: str):
    world, initiative = card
    response = _in(world, language).get(_page_url(page, initiative))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for phrase in PAGES[page][language]:
        assert phrase in html, f"{page}/{language}: {phrase!r} missing"
    if language != "en":
        for english in PAGES[page]["en"]:
            if english not in PAGES[page][language]:  # names people typed stay as they are
                assert english not in html, f"{page}/{language}: {english!r} left in English"


def test_a_form_error_is_shown_in_german(card: Any) -> None:
    world, _ = card
    response = _in(world, "de").post(
        _url("perspective_new"), {"name": "Kunden", "kind": "customer", "weight": "0"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bitte korrigieren Sie die unten markierten Felder." in html
    assert "Ein Gewicht muss größer als null sein." in html
    assert "A weight must be greater than zero." not in html
    assert not Perspective.objects.filter(name="Kunden").exists()


def test_the_kpi_form_refuses_thresholds_in_german_and_saves_nothing(card: Any) -> None:
    world, _ = card
    response = _in(world, "de").post(
        _url("kpi_new", "grow"),
        {"name": "Marge", "optimization": "maximize", "target": "40", "yellow_from": "50"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bitte beheben Sie die unten markierten Probleme; es wurde nichts gespeichert." in html
    assert "Geben Sie beide Schwellenwerte an oder keinen für die üblichen Drittel." in html


def test_a_saved_change_is_confirmed_in_spanish(card: Any) -> None:
    world, _ = card
    response = _in(world, "es").post(
        _url("perspective_new"),
        {"name": "Clientes", "kind": "customer", "weight": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Perspectiva «<bdi>Clientes</bdi>» añadida." in response.content.decode()


def test_an_import_row_error_is_shown_in_french(card: Any) -> None:
    world, _ = card
    client = _in(world, "fr")
    content = b"KPI code,Period,Value\nsales,2026-01-01,41\nnosuch,2026-01-01,1\n"
    response = client.post(
        _url("values_import"), {"file": SimpleUploadedFile("valeurs.csv", content)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    columns = client.get(_url("values_import_columns", job.pk)).content.decode()
    assert "Quelle colonne contient quoi ?" in columns
    client.post(_url("values_import_columns", job.pk), {"kpi": "0", "period": "1", "value": "2"})
    html = client.get(_url("values_import_preview", job.pk)).content.decode()
    assert "1 problème à corriger dans le fichier" in html
    # The row number stays, the column keeps the file's own header, the words are French.
    assert "Ligne 3, colonne « KPI code » : aucun indicateur n" in html
    assert "dans le tableau de bord « Company »" in html
    assert "Row 3" not in html and "no KPI has the code" not in html
    assert Measurement.objects.count() == 0


def test_history_reads_in_french(card: Any) -> None:
    world, _ = card
    client = _in(world, "fr")
    client.post(_url("perspective_new"), {"name": "Clients", "kind": "customer", "weight": "1"})
    html = client.get(_url("scorecard_history")).content.decode()
    assert "Historique : tableau de bord « Company »" in html
    assert "a créé la perspective" in html
    assert "created the perspective" not in html
