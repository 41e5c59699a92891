"""The KPI page read in each shipped language: its words, its numbers and its periods,
and a value typed the way the language writes numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from scorecard.accounts.models import AccountSettings
from scorecard.kpis.models import Measurement
from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory, PerspectiveFactory

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"

#: language → (words that must show, the value 1,234,567.5 € as written there, October 2026)
EXPECTED = {
    "en": (
        ["About this KPI", "Enter or correct a value", "Monthly"],
        f"1,234,568{NBSP}€",
        "Oct 2026",
    ),
    "de": (
        ["Über diese Kennzahl", "Wert eingeben oder korrigieren", "Monatlich"],
        f"1.234.568{NBSP}€",
        "Okt 2026",
    ),
    "fr": (
        ["À propos de ce KPI", "Saisir ou corriger une valeur", "Mensuel"],
        f"1{NBSP}234{NBSP}568{NBSP}€",
        "oct. 2026",  # French's usual abbreviation
    ),
    "es": (
        ["Sobre este KPI", "Introducir o corregir un valor", "Mensual"],
        f"1{NBSP}234{NBSP}568{NBSP}€",
        "Oct 2026",
    ),
}
ENGLISH_ONLY = [
    "About this KPI",
    "Enter or correct a value",
    "Skip to content",
    "Sign out",
    "Periods",
]


@pytest.fixture
def kpi_page(world):
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
    MeasurementFactory(kpi=revenue, period_start=dt.date(2026, 10, 1), value=1_234_567.5)
    url = reverse("kpi_detail", args=["northwind", "company", "revenue"])
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        yield world, revenue, url


def _in(world, language: str):
    AccountSettings.objects.update_or_create(
        user=world.contributor, defaults={"language": language}
    )
    return world.client_for("contributor")


@pytest.mark.parametrize("language", list(EXPECTED))
def test_the_kpi_page_reads_in_the_person_s_language(kpi_page, language) -> None:
    world, _, url = kpi_page
    response = _in(world, language).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    words, value, october = EXPECTED[language]
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html, f"{language}: {word!r} missing"
    assert value in html  # the latest value, grouped the language's way
    assert f'<th scope="row" class="nowrap">{october}</th>' in html
    if language != "en":
        for english in ENGLISH_ONLY:
            assert english not in html, f"{language}: {english!r} left in English"


def test_german_shows_a_decimal_comma_and_reads_one_back(kpi_page) -> None:
    world, revenue, _url = kpi_page
    client = _in(world, "de")
    response = client.post(
        reverse("kpi_record", args=["northwind", "company", "revenue"]),
        {"period": "2026-10-01", "value": "1.250.000,5", "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.content.decode()
    current = Measurement.objects.get(
        kpi=revenue, period_start=dt.date(2026, 10, 1), superseded_at__isnull=True
    )
    assert current.value == 1_250_000.5
    html = response.content.decode()
    assert "Gespeichert." in html
    assert f"1.250.000{NBSP}€" in html  # rounded for reading, German grouping
    assert "62,5\u00a0%" in html  # the score, 1,250,000.5 on 0..2,000,000, with a decimal comma


def test_a_number_written_the_english_way_is_refused_in_german_with_a_hint(kpi_page) -> None:
    world, revenue, _ = kpi_page
    response = _in(world, "de").post(
        reverse("kpi_record", args=["northwind", "company", "revenue"]),
        {"period": "2026-10-01", "value": "1,250,000.5", "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Dezimalkomma verwenden" in response.content.decode()
    assert Measurement.objects.filter(kpi=revenue).count() == 1
