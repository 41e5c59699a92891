"""The commentary in words reads in the person's language (whole translated sentences,
numbers as the language writes them), and the rewrite check reads those numbers.

Real requests to the commentary panels the KPI, objective and scorecard pages load, by a
member whose language is German, French or Spanish; English stays the default."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from scorecard.accounts.models import AccountSettings
from scorecard.commentary.selectors import KpiFacts, scorecard_facts
from scorecard.engine.periods import Period
from scorecard.engine.text import gettext_noop
from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.kpis.scorecard_selectors import scorecard_page
from scorecard.organizations.models import Membership
from scorecard.presentation.commentary import kpi_text, numbers_in, unknown_numbers
from scorecard.strategy.models import Scorecard

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
N = "\u00a0"
BASE = "/o/northwind/s/company/"
PANELS = {
    "kpi": f"{BASE}commentary/kpi/days_sales_outstanding/",
    "objective": f"{BASE}commentary/objective/healthy-cash/",
    "scorecard": f"{BASE}commentary/scorecard/company/",
}
#: panel → language → phrases that must show (the English ones must not).
PHRASES = {
    "kpi": {
        "en": [
            f"Days sales outstanding was 62{N}days in Oct 2026, up 2{N}days (3.3{N}%) from "
            f"60{N}days.",
            "That is a deterioration.",
            f"Against the target of 45{N}days it is red (score 22.9{N}%).",
            "owns it; no initiative serves it yet.",
        ],
        "de": [
            f"Days sales outstanding lag im Zeitraum Okt 2026 bei 62{N}days, gegenüber "
            f"60{N}days um 2{N}days (3,3{N}%) gestiegen.",
            "Das ist eine Verschlechterung.",
            f"Gemessen am Zielwert von 45{N}days ist sie rot (Score 22,9{N}%).",
            "bisher ist keine Initiative zugeordnet.",
        ],
        "fr": [
            f"Days sales outstanding était de 62{N}days en oct. 2026, en hausse de 2{N}days "
            f"(3,3{N}%) par rapport à 60{N}days.",
            "C&#x27;est une détérioration.",
            f"Par rapport à la cible de 45{N}days, il est rouge (score 22,9{N}%).",
            "aucune initiative n&#x27;y contribue encore.",
        ],
        "es": [
            f"Days sales outstanding fue de 62{N}days en Oct 2026, un aumento de 2{N}days "
            f"(3,3{N}%) respecto a 60{N}days.",
            "Es un empeoramiento.",
            f"Frente a la meta de 45{N}days, su estado es rojo (puntuación 22,9{N}%).",
            "todavía no hay ninguna iniciativa asociada.",
        ],
    },
    "objective": {
        "en": [
            "Keep cash healthy scores 44.5",
            "Of its 2 KPIs: 1 yellow and 1 red",
            "The largest move",
        ],
        "de": [
            f"Keep cash healthy erreicht im Zeitraum Okt 2026 einen Score von 44,5{N}% (gelb)",
            "Von 2 Kennzahlen: 1 gelb und 1 rot (rot: Days sales outstanding).",
            "Die größte Veränderung: Operating cash flow",
        ],
        "fr": [
            f"Keep cash healthy obtient un score de 44,5{N}% (jaune) en oct. 2026",
            f"Sur 2 indicateurs{N}: 1 jaune et 1 rouge",
            f"Plus forte variation{N}: Operating cash flow, en baisse de 12,4{N}points.",
        ],
        "es": [
            f"Keep cash healthy obtiene una puntuación de 44,5{N}% (amarillo) en Oct 2026",
            "De sus 2 indicadores: 1 amarillo y 1 rojo (en rojo: Days sales outstanding).",
            f"El mayor cambio: Operating cash flow, baja 12,4{N}puntos.",
        ],
    },
    "scorecard": {
        "en": ["Northwind Outdoor 2027 scores 57.1", "Of its 4 perspectives: 4 yellow."],
        "de": [
            f"gegenüber 58,6{N}% um 1,5{N}Prozentpunkte gesunken.",
            "Von 4 Perspektiven: 4 gelb.",
        ],
        "fr": [
            f"en baisse de 1,5{N}points par rapport à 58,6{N}%.",
            f"Sur 4 perspectives{N}: 4 jaunes.",
        ],
        "es": [
            f"una disminución de 1,5{N}puntos respecto al 58,6{N}%.",
            "De sus 4 perspectivas: 4 amarillos.",
        ],
    },
}


@pytest.fixture(autouse=True)
def _english_afterwards():
    """Requests leave their language active in the thread; later tests expect English."""
    yield
    translation.deactivate()


@pytest.fixture
def company(settings: Any) -> Scorecard:
    settings.SCORECARD_TODAY = TODAY.isoformat()
    document_load_file(DEMO_FILE)
    return Scorecard.objects.get(organization__slug="northwind", slug="company")


def reader(company: Scorecard, language: str | None) -> Client:
    viewer = Membership.objects.filter(organization=company.organization, role="viewer").first()
    user = get_user_model().objects.get(pk=viewer.user_id)
    if language:
        AccountSettings.objects.update_or_create(user=user, defaults={"language": language})
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_the_commentary_reads_in_the_person_s_language(company, language) -> None:
    client = reader(company, language)
    for panel, url in PANELS.items():
        response = client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        html = response.content.decode()
        for phrase in PHRASES[panel][language]:
            assert phrase in html, f"{panel}/{language}: {phrase!r} missing"
        for english in PHRASES[panel]["en"]:
            assert english not in html, f"{panel}/{language}: {english!r} left in English"


def test_english_stays_the_default(company) -> None:
    client = reader(company, None)
    for panel, url in PANELS.items():
        html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        for phrase in PHRASES[panel]["en"]:
            assert phrase in html, f"{panel}: {phrase!r} missing"


def test_the_kpi_page_loads_its_commentary_panel(company) -> None:
    html = reader(company, "fr").get(f"{BASE}kpi/days_sales_outstanding/").content.decode()
    assert f'hx-get="{PANELS["kpi"]}' in html


def revenue_text(company: Scorecard, language: str) -> str:
    with translation.override(language):
        page = scorecard_page(scorecard=company, as_of=TODAY, view="period")
        return kpi_text(scorecard_facts(page=page, as_of=TODAY).kpis["revenue"])


#: language → a faithful rewrite, one with a changed figure, one with a changed decimal.
REWRITES = {
    "en": (
        "In Oct 2026 revenue fell by 117,000 € (5.6 %) to 1,978,000 €.",
        "Revenue reached 1,987,000 €.",
        "Revenue fell by 5.7 %.",
    ),
    "de": (
        "Im Okt 2026 sank der Umsatz um 117.000 € (5,6 %) auf 1.978.000 €.",
        "Der Umsatz erreichte 1.987.000 €.",
        "Der Umsatz sank um 5,7 %.",
    ),
    "fr": (
        # Any space groups thousands in French: narrow, non-breaking or plain.
        "En oct. 2026, le chiffre d'affaires a baissé de 117\u202f000 € (5,6 %) à 1 978 000 €.",
        "Le chiffre d'affaires a atteint 1\u202f987\u202f000 €.",
        "Le chiffre d'affaires a baissé de 5,7 %.",
    ),
    "es": (
        f"En Oct 2026 los ingresos bajaron 117{N}000 € (5,6 %) hasta 1 978 000 €.",
        f"Los ingresos alcanzaron 1{N}987{N}000 €.",
        "Los ingresos bajaron un 5,7 %.",
    ),
}


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_the_rewrite_check_reads_the_language_s_numbers(company, language) -> None:
    source = revenue_text(company, language)
    with translation.override(language):
        # The text's own figures, read whole: 1,978,000 € is one number, not three.
        assert {"1978000", "117000", "5.6", "2095000", "2026"} <= set(numbers_in(source))
        assert unknown_numbers(source, source) == []
        faithful, changed, decimal = REWRITES[language]
        assert unknown_numbers(source, faithful) == []
        assert unknown_numbers(source, changed) == ["1987000"]
        assert unknown_numbers(source, decimal) == ["5.7"]
        assert unknown_numbers(source, "—") == []
    # A language named explicitly is read so whatever language is active.
    assert unknown_numbers(source, faithful, language) == []
    assert unknown_numbers(source, changed, language) == ["1987000"]


def test_a_number_is_read_as_its_language_writes_it() -> None:
    assert numbers_in("1.234,5 und 1.234", "de") == ["1234.5", "1234"]
    assert numbers_in("1,234.5 and 1.234", "en") == ["1234.5", "1.234"]
    assert numbers_in("1\u202f234,5 et 1 234 et 12,5\u00a0%", "fr") == ["1234.5", "1234", "12.5"]
    assert numbers_in("en 2026, 3 KPI", "fr") == ["2026", "3"]
    assert numbers_in("−3,5", "es") == ["3.5"]


def test_an_engine_error_in_the_commentary_is_translated_too() -> None:
    facts = KpiFacts(
        code="margin", name="Marge", unit="%", optimization="maximize",
        window=Period(dt.date(2027, 2, 1), dt.date(2027, 2, 28)), value=None,
        previous_value=None, target=40, performance=None, status="error", trend=None,
        error=gettext_noop("No data: the formula divides by 0 in this period."), owner="",
    )  # fmt: skip
    with translation.override("fr"):
        assert kpi_text(facts) == (
            f"Marge ne peut pas être évalué{N}: Pas de données : la formule divise par 0 "
            "sur cette période."
        )
    assert kpi_text(facts) == (
        "Marge cannot be scored: No data: the formula divides by 0 in this period."
    )
