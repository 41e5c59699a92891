"""Cascading through real requests: the cascade page, the alignment view, the objective's
alignments, the "why am I doing this?" chain and rolled-up values, for every persona."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from scorecard.alignment.services import scorecard_cascade
from scorecard.kpis.models import Kpi, KpiAlignment
from scorecard.strategy.models import Objective, ObjectiveAlignment, Scorecard
from tests.factories import MeasurementFactory, ScorecardFactory, UnitFactory
from tests.web.test_manage_access import ORG, PERSONAS, SC, Card, build_card, count_queries

pytestmark = pytest.mark.django_db

CASCADE = reverse("cascade_new", args=[ORG, SC])
ALIGNMENT = reverse("alignment", args=[ORG])
OCT = dt.date(2026, 10, 1)


@pytest.fixture
def card(world: Any, settings: Any) -> Card:
    settings.SCORECARD_TODAY = "2026-11-23"
    world.scorecard.vision = "Outdoor days for everyone"
    world.scorecard.save()
    return build_card(world)


def _post(card: Card, **change: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": str(card.sales.pk),
        "name": "Sales 2027",
        "slug": "",
        "copy_kpis": "on",
        "objectives": [str(card.grow.pk)],
        f"share-{card.grow.pk}": "60",
    }
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("persona", "get", "post"),
    list(
        zip(PERSONAS, (200, 200, 403, 403, 404, 302), (302, 302, 403, 403, 404, 302), strict=True)
    ),
)
def test_only_editors_and_admins_cascade(card: Card, persona: str, get: int, post: int) -> None:
    client = card.world.client_for(persona)
    assert client.get(CASCADE).status_code == get
    assert client.post(CASCADE, _post(card)).status_code == post
    made = persona in {"admin", "editor"}  # the anonymous 302 goes to the login page
    assert Scorecard.objects.filter(slug="sales-2027").exists() == made


def test_cascade_in_a_few_clicks(card: Card) -> None:
    editor = card.world.client_for("editor")
    page = editor.get(CASCADE + "?unit=sales&objective=grow").content.decode()
    # The unit and the objective asked for are chosen already; KPIs come along by default.
    assert re.search(rf'<option value="{card.sales.pk}" selected>', page)
    assert re.search(rf'value="{card.grow.pk}" id="objective-{card.grow.pk}" checked', page)
    assert re.search(r'name="copy_kpis"[^>]*checked', page)
    response = editor.post(CASCADE, _post(card), follow=True)
    new = Scorecard.objects.get(slug="sales-2027")
    assert response.redirect_chain[-1][0] == reverse("scorecard_detail", args=[ORG, new.slug])
    text = response.content.decode()
    assert "Cascaded to Sales: “<bdi>Sales 2027</bdi>” has 1 aligned objective and 2 KPIs" in text
    assert (new.parent, new.unit) == (card.world.scorecard, card.sales)
    child = new.objectives.get()
    assert ObjectiveAlignment.objects.get(child=child).share == pytest.approx(0.6)
    assert KpiAlignment.objects.filter(child__scorecard=new).count() == 2


BAD = [
    ({"objectives": None}, "Choose at least one objective to cascade."),
    ({"unit": ""}, "Choose the unit that gets the scorecard."),
    ({"unit": "999999"}, "Choose one of the units listed"),
    ({"share-{grow}": "lots"}, "“lots” is not a number: enter a share in per cent."),
    ({"share-{grow}": "150"}, "Enter a share above 0 and at most 100 %."),
    ({"name": "Company"}, "Northwind already has a scorecard with the short name “company”"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_input_is_refused_with_a_clear_message(
    card: Card, change: dict[str, Any], message: str
) -> None:
    change = {k.replace("{grow}", str(card.grow.pk)): v for k, v in change.items()}
    before = (Scorecard.objects.count(), Objective.objects.count(), Kpi.objects.count())
    response = card.world.client_for("admin").post(CASCADE, _post(card, **change))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert (Scorecard.objects.count(), Objective.objects.count(), Kpi.objects.count()) == before


def test_a_unit_of_another_organization_cannot_be_chosen(card: Card) -> None:
    rival = UnitFactory(organization=card.world.other_organization, slug="rival-unit")
    response = card.world.client_for("editor").post(CASCADE, _post(card, unit=str(rival.pk)))
    assert response.status_code == 422
    assert "Choose one of the units listed" in response.content.decode()
    assert not Scorecard.objects.filter(slug="sales-2027").exists()


def test_a_unit_without_units_below_says_so(card: Card) -> None:
    lone = ScorecardFactory(organization=card.world.organization, unit=card.sales, slug="lone")
    page = card.world.client_for("admin").get(reverse("cascade_new", args=[ORG, lone.slug]))
    assert "<bdi>Sales</bdi> has no units below it yet" in page.content.decode()


def _cascaded(card: Card) -> Scorecard:
    new = scorecard_cascade(
        parent=card.world.scorecard,
        unit=card.sales,
        objectives=[card.grow],
        shares={card.grow.pk: 0.6},
        copy_kpis=True,
        name="Sales 2027",
    ).scorecard
    MeasurementFactory(kpi=new.kpis.get(code="revenue"), period_start=OCT, value=40)
    MeasurementFactory(kpi=card.revenue, period_start=OCT, value=80)
    return new


@pytest.mark.parametrize(
    ("persona", "status"), list(zip(PERSONAS, (200, 200, 200, 200, 404, 302), strict=True))
)
def test_every_member_sees_the_alignment_view(card: Card, persona: str, status: int) -> None:
    _cascaded(card)
    response = card.world.client_for(persona).get(ALIGNMENT)
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert re.search(r'id="score-sales-2027"><span class="pill \w+">60.0\s%', text)
        assert "Grow → <strong>Grow</strong>" in text
        # Only editors are offered to cascade.
        assert (f'href="{CASCADE}">Cascade to a unit</a>' in _scorecard_page(card, persona)) == (
            persona in {"admin", "editor"}
        )


def _scorecard_page(card: Card, persona: str) -> str:
    return (
        card.world.client_for(persona)
        .get(reverse("scorecard_detail", args=[ORG, SC]))
        .content.decode()
    )


def test_the_childs_score_rolls_up_into_the_parent_on_the_pages(card: Card) -> None:
    _cascaded(card)
    viewer = card.world.client_for("viewer")
    objective = viewer.get(reverse("objective_detail", args=[ORG, SC, "grow"])).content.decode()
    # Own KPIs: revenue 80 % and margin 160 % held at 100 % → 90 %, making up 40 %.
    assert "40\xa0% of the score ·</span> <strong>90.0\xa0%</strong>" in objective
    # Sales: revenue 40 % and margin 80 % → 60 %, making up 60 %: 0.4 × 90 + 0.6 × 60 = 72.
    assert '<strong id="objective-score">72.0\xa0%</strong>' in objective
    assert "of <bdi>Sales</bdi> (<bdi>Sales 2027</bdi>)" in objective
    assert "share 60.0\xa0%" not in objective
    assert "share 60\xa0%" in objective
    child = viewer.get(reverse("objective_detail", args=[ORG, "sales-2027", "grow"]))
    assert "makes up 60\xa0% of it" in child.content.decode()
    assert "Cascade to a unit" not in objective  # a viewer may not cascade


def test_why_chain_on_kpi_and_initiative_pages(card: Card) -> None:
    new = _cascaded(card)
    viewer = card.world.client_for("viewer")
    kpi = viewer.get(reverse("kpi_detail", args=[ORG, new.slug, "revenue"])).content.decode()
    chain = kpi[kpi.index("Why are we doing this?") :]
    steps = re.findall(r'<span class="why-kind">(\w+)</span>', chain)
    assert steps == ["KPI", "Objective", "Perspective", "Scorecard", "Objective", "Perspective",
                     "Scorecard", "Vision"]  # fmt: skip
    assert "“<bdi>Outdoor days for everyone</bdi>”" in chain
    assert "aligned: “<bdi>Grow</bdi>” makes up 60\xa0% of it" in chain
    initiative = viewer.get(
        reverse("initiative_detail", args=[ORG, SC, card.initiative.pk])
    ).content.decode()
    chain = initiative[initiative.index("Why are we doing this?") :]
    assert re.findall(r'<span class="why-kind">(\w+)</span>', chain)[:3] == [
        "Tasks", "Initiative", "Objective",
    ]  # fmt: skip
    assert "“<bdi>Outdoor days for everyone</bdi>”" in chain


def test_user_text_in_the_chain_is_escaped(card: Card) -> None:
    card.world.scorecard.vision = "<script>alert(1)</script>"
    card.world.scorecard.save()
    page = card.world.client_for("viewer").get(reverse("kpi_detail", args=[ORG, SC, "revenue"]))
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert "&lt;script&gt;" in page.content.decode()


def test_the_unit_page_shows_the_rolled_up_value(card: Card) -> None:
    Kpi.objects.filter(pk=card.revenue.pk).update(unit="€")  # summed (a % would be averaged)
    _cascaded(card)
    north = UnitFactory(organization=card.world.organization, parent=card.world.unit,
                        name="North", slug="north")  # fmt: skip
    other = scorecard_cascade(
        parent=card.world.scorecard, unit=north, objectives=[card.grow], copy_kpis=True
    ).scorecard
    MeasurementFactory(kpi=other.kpis.get(code="revenue"), period_start=OCT, value=25)
    page = card.world.client_for("viewer").get(reverse("unit_detail", args=[ORG, "northwind"]))
    text = page.content.decode()
    rollups = text[text.index("Values from the units below") :]
    assert re.search(r"Revenue</bdi></a></th>\s*<td><bdi>Company</bdi></td>"
                     r"\s*<td class=\"num\">80\xa0€</td>"
                     r"\s*<td class=\"num\"><strong>65\xa0€</strong>\s*</td>\s*<td>sum</td>",
                     rollups)  # fmt: skip
    assert "2 of 2" in rollups
    assert (
        "Values from the units below"
        not in card.world.client_for("viewer")
        .get(reverse("unit_detail", args=[ORG, "sales"]))
        .content.decode()
    )


def test_the_alignment_view_costs_the_same_with_more_units(card: Card) -> None:
    _cascaded(card)
    viewer = card.world.client_for("viewer")
    few = count_queries(viewer, ALIGNMENT)
    objective = reverse("objective_detail", args=[ORG, SC, "grow"])
    few_on_objective = count_queries(viewer, objective)
    for index in range(5):
        unit = UnitFactory(organization=card.world.organization, parent=card.sales)
        new = scorecard_cascade(
            parent=card.world.scorecard, unit=unit, objectives=[card.grow, card.happy],
            copy_kpis=True, name=f"Team {index}",
        ).scorecard  # fmt: skip
        for kpi in new.kpis.all():
            MeasurementFactory(kpi=kpi, period_start=OCT, value=10 * index)
    assert count_queries(viewer, ALIGNMENT) == few
    # The objective page lists what is aligned below it, still in the same queries.
    assert count_queries(viewer, objective) == few_on_objective
