"""What the engine refuses reads in the person's language: formula and scale problems on
the KPI form and the scorecard page, funnel and what-if problems on the planning pages.

The engine raises its errors with translatable sentences (engine/text.py); the web layer
translates them where it shows them. Real requests by a member whose language is German,
French or Spanish; English stays the default."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from scorecard.accounts.models import AccountSettings
from scorecard.kpis.models import Kpi, Measurement
from tests.factories import KpiFactory
from tests.planning.conftest import sales  # noqa: F401 — the shared fixture
from tests.web.test_manage_access import ORG, SC, build_card, kpi_form

pytestmark = pytest.mark.django_db
N = "\u00a0"


@pytest.fixture(autouse=True)
def _english_afterwards():
    """Requests leave their language active in the thread; later tests expect English."""
    yield
    translation.deactivate()


def _client(world: Any, persona: str, language: str) -> Any:
    user = getattr(world, persona)
    if language != "en":
        AccountSettings.objects.update_or_create(user=user, defaults={"language": language})
    return world.client_for(persona)


def _text(response: Any) -> str:
    """The page's text with entities for quotes undone and runs of space made one."""
    html = response.content.decode()
    html = html.replace("&#x27;", "'").replace("&quot;", '"')
    return re.sub(r"[ \t\r\n]+", " ", html)


#: language → (a formula that cannot be read, a scale with nothing to measure on)
KPI_FORM = {
    "en": ("Formula of “Ratio”: the formula cannot be read", "the scale runs from 50 to 50"),
    "de": ("Formel von „Ratio“: die Formel ist nicht lesbar", "die Skala reicht von 50 bis 50"),
    "fr": ("Formule de « Ratio » : la formule est illisible", "l’échelle va de 50 à 50"),
    "es": ("Fórmula de «Ratio»: la fórmula no se puede leer", "la escala va de 50 a 50"),
}


@pytest.mark.parametrize("language", list(KPI_FORM))
def test_kpi_form_explains_engine_problems_in_the_person_s_language(world, language) -> None:
    build_card(world)
    editor = _client(world, "editor", language)
    url = reverse("kpi_new", args=[ORG, SC, "grow"])
    unreadable, flat_scale = KPI_FORM[language]
    before = Kpi.objects.count()
    response = editor.post(url, kpi_form(name="Ratio", code="ratio", formula="revenue / "))
    assert response.status_code == 422
    assert unreadable in _text(response)
    response = editor.post(url, kpi_form(minimum="50", maximum="50"))
    assert response.status_code == 422
    assert flat_scale in _text(response)
    assert Kpi.objects.count() == before
    if language != "en":
        assert "cannot be read" not in _text(response) and "nothing to measure" not in _text(
            response
        )


#: language → what the scorecard page says of a KPI whose scale is flat
SCORECARD_PAGE = {
    "en": "KPI “Revenue” (revenue): the scale runs from 20 to 20",
    "de": "Kennzahl „Revenue“ (revenue): die Skala reicht von 20 bis 20",
    "fr": "KPI « Revenue » (revenue) : l’échelle va de 20 à 20",
    "es": "KPI «Revenue» (revenue): la escala va de 20 a 20",
}


@pytest.mark.parametrize("language", list(SCORECARD_PAGE))
def test_scorecard_page_names_a_broken_kpi_in_the_person_s_language(world, language) -> None:
    card = build_card(world)
    # A definition the form would refuse, as an older version or an import may leave it.
    Kpi.objects.filter(pk=card.revenue.pk).update(minimum=20, maximum=20, target=None)
    viewer = _client(world, "viewer", language)
    response = viewer.get(reverse("scorecard_detail", args=[ORG, SC]))
    assert response.status_code == 200
    assert SCORECARD_PAGE[language] in _text(response)


#: language → (a funnel stage with nothing in it, a what-if value for a calculated KPI,
#: an unknown goal)
PLANNING = {
    "en": (
        "The volume of stage 3 must be above zero (it is 0).",
        "“Rate” is calculated from its formula; change its inputs instead.",
        "No objective with the code nope.",
    ),
    "de": (
        "Die Menge der Stufe 3 muss über null liegen (sie ist 0).",
        "„Rate“ wird aus seiner Formel berechnet; ändern Sie stattdessen seine Eingangswerte.",
        "Kein Ziel mit dem Code nope.",
    ),
    "fr": (
        "Le volume de l’étape 3 doit être supérieur à zéro (il est de 0).",
        "« Rate » est calculé par sa formule ; modifiez plutôt ses entrées.",
        "Aucun objectif avec le code nope.",
    ),
    "es": (
        "El volumen de la etapa 3 debe ser mayor que cero (es 0).",
        "«Rate» se calcula con su fórmula; cambie mejor sus entradas.",
        "Ningún objetivo con el código nope.",
    ),
}


@pytest.mark.parametrize("language", list(PLANNING))
def test_planning_pages_explain_engine_problems_in_the_person_s_language(
    sales: Any,  # noqa: F811 — the shared fixture
    language: str,
) -> None:
    funnel_problem, formula_problem, seek_problem = PLANNING[language]
    viewer = _client(sales.world, "viewer", language)
    Measurement.objects.filter(kpi=sales.kpis["leads"]).update(value=0)
    funnel = viewer.get(sales.url("funnel_detail", sales.funnel.pk))
    assert funnel.status_code == 200
    assert funnel_problem in _text(funnel)
    KpiFactory(objective=sales.objective, code="rate", name="Rate", formula="deals / leads")
    whatif = viewer.get(sales.url("whatif"), {"v-rate": "5"})
    assert whatif.status_code == 200
    assert formula_problem in _text(whatif)
    seek = viewer.get(sales.url("whatif"), {"seek_kpi": "deals", "seek_node": "objective:nope"})
    assert seek.status_code == 200
    assert seek_problem in _text(seek)


#: language → labels of the KPI form's target rule, unit rollup and formula mode
KPI_CHOICES = {
    "de": (
        "Summe der Zielwerte der Perioden",
        "Summe der Einheiten",
        "Eingangswerte zusammenfassen, dann rechnen",
    ),
    "fr": (
        "Somme des cibles des périodes",
        "Somme des unités",
        "Agréger les entrées, puis calculer",
    ),
    "es": (
        "Suma de las metas de los periodos",
        "Suma de las unidades",
        "Agregar las entradas y luego calcular",
    ),
}


@pytest.mark.parametrize("language", list(KPI_CHOICES))
def test_kpi_form_choices_read_in_the_person_s_language(world, language) -> None:
    build_card(world)
    editor = _client(world, "editor", language)
    text = _text(editor.get(reverse("kpi_new", args=[ORG, SC, "grow"])))
    for label in KPI_CHOICES[language]:
        assert label in text
    for english in (
        "Sum of the periods' targets",
        "Sum of the units",
        "Aggregate inputs, then calculate",
    ):
        assert english not in text
