"""KPI definition forms: grouped fields, and every validation error explained."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from scorecard.kpis.models import Kpi
from tests.factories import KpiFactory, MeasurementFactory
from tests.web.test_manage_access import ORG, SC, build_card, kpi_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(world: Any) -> Any:
    return build_card(world)


@pytest.fixture
def editor(card: Any) -> Any:
    return card.world.client_for("editor")


def new_url() -> str:
    return reverse("kpi_new", args=[ORG, SC, "grow"])


def test_form_groups_every_field(editor: Any) -> None:
    html = editor.get(new_url()).content.decode()
    legends = ["Basics", "Scale and target", "Thresholds", "Data", "Formula"]
    positions = [html.index(f"<summary>{legend}</summary>") for legend in legends]
    assert positions == sorted(positions)
    for field in [
        "name",
        "code",
        "unit",
        "optimization",
        "minimum",
        "maximum",
        "target",
        "baseline",
        "tolerance",
        "band_low",
        "band_high",
        "red_flag",
        "weight",
        "yellow_from",
        "green_from",
        "update_interval",
        "time_aggregation",
        "indicator",
        "owner",
        "updater",
        "formula",
        "formula_mode",
    ]:
        assert f'<label for="id_{field}"' in html, field


def test_create_a_kpi_with_people_and_thresholds(card: Any, editor: Any) -> None:
    data = kpi_form(
        unit="%",
        target="40",
        baseline="10",
        owner=card.world.editor.pk,
        updater=card.world.contributor.pk,
        yellow_from="50",
        green_from="80",
        indicator="leading",
    )
    response = editor.post(new_url(), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    kpi = Kpi.objects.get(code="partners")
    assert (kpi.objective, kpi.target, kpi.owner, kpi.updater, kpi.indicator) == (
        card.grow,
        40,
        card.world.editor,
        card.world.contributor,
        "leading",
    )
    assert [band["lower"] for band in kpi.thresholds] == [None, 0.5, 0.8]


def test_a_calculated_kpi(card: Any, editor: Any) -> None:
    response = editor.post(new_url(), kpi_form(code="double", formula=" revenue * 2 "))
    assert response.status_code == 302
    assert Kpi.objects.get(code="double").formula == "revenue * 2"


def test_defaults_fill_choices_an_older_form_leaves_out(editor: Any) -> None:
    data = {"name": "Leads", "code": "leads", "minimum": "0", "maximum": "10", "weight": "1"}
    assert editor.post(new_url(), data).status_code == 302
    kpi = Kpi.objects.get(code="leads")
    assert (kpi.optimization, kpi.update_interval, kpi.formula_mode) == (
        "maximize",
        "month",
        "equation",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weight": "0"}, "A weight must be greater than zero."),
        ({"weight": "-1"}, "A weight must be greater than zero."),
        ({"minimum": "50", "maximum": "50"}, "nothing to measure on"),
        ({"optimization": "percent_of_target", "target": "0"}, "target above zero"),
        ({"formula": "revenue / ghost"}, "unknown KPI code(s): ghost"),
        ({"formula": "revenue +"}, "cannot be read"),
        ({"code": "revenue"}, "Another KPI in this scorecard uses the code “revenue”."),
        ({"code": "not a code!"}, "Enter a valid “slug”"),
        ({"minimum": "ten"}, "Enter a number."),
        ({"name": ""}, "This field is required."),
        ({"yellow_from": "70", "green_from": "40"}, "Green must start above yellow."),
        ({"yellow_from": "40"}, "Give both thresholds"),
        ({"owner": "999999"}, "Select a valid choice."),
    ],
)
def test_problems_are_explained_and_nothing_is_saved(editor: Any, change: dict, message: str):
    before = Kpi.objects.count()
    response = editor.post(new_url(), kpi_form(**change))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html, html[html.find("<main") :][:3000]
    assert Kpi.objects.count() == before


def test_formula_errors_name_the_kpi(editor: Any) -> None:
    response = editor.post(new_url(), kpi_form(name="Ratio", code="ratio", formula="revenue / "))
    html = response.content.decode()
    assert response.status_code == 422
    assert "ratio" in html.lower() and "cannot be read" in html


def test_a_formula_cycle_is_refused(card: Any, editor: Any) -> None:
    # margin = revenue * 2; making revenue depend on margin closes the circle.
    url = reverse("kpi_edit", args=[ORG, SC, "revenue"])
    response = editor.post(url, kpi_form(name="Revenue", code="revenue", formula="margin / 2"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "cycle" in html.lower() or "circular" in html.lower()
    card.revenue.refresh_from_db()
    assert card.revenue.formula == ""


def test_edit_keeps_custom_bands_and_changes_the_rest(card: Any, editor: Any) -> None:
    bands = [
        {"status": "red", "lower": None},
        {"status": "amber", "lower": 0.5},
        {"status": "green", "lower": 0.9},
    ]
    card.revenue.thresholds = bands
    card.revenue.save()
    url = reverse("kpi_edit", args=[ORG, SC, "revenue"])
    page = editor.get(url).content.decode()
    assert "custom bands" in page
    response = editor.post(url, kpi_form(name="Net revenue", code="revenue", yellow_from="1"))
    assert response.status_code == 302
    card.revenue.refresh_from_db()
    assert (card.revenue.name, card.revenue.thresholds) == ("Net revenue", bands)


def test_edit_shows_standard_thresholds_as_percent(card: Any, editor: Any) -> None:
    card.revenue.thresholds = [
        {"status": "red", "lower": None},
        {"status": "yellow", "lower": 0.4},
        {"status": "green", "lower": 0.75},
    ]
    card.revenue.save()
    html = editor.get(reverse("kpi_edit", args=[ORG, SC, "revenue"])).content.decode()
    assert 'name="yellow_from" value="40"' in html and 'name="green_from" value="75"' in html
    # Emptying both goes back to the usual thirds.
    editor.post(
        reverse("kpi_edit", args=[ORG, SC, "revenue"]), kpi_form(name="Revenue", code="revenue")
    )
    card.revenue.refresh_from_db()
    assert card.revenue.thresholds is None


def test_a_refused_edit_saves_nothing(card: Any, editor: Any) -> None:
    url = reverse("kpi_edit", args=[ORG, SC, "revenue"])
    response = editor.post(url, kpi_form(name="Renamed", code="revenue", minimum="5", maximum="5"))
    assert response.status_code == 422
    card.revenue.refresh_from_db()
    assert (card.revenue.name, card.revenue.minimum) == ("Revenue", 0)


def test_delete_a_kpi_with_its_history(card: Any, editor: Any) -> None:
    MeasurementFactory(kpi=card.margin)
    url = reverse("kpi_delete", args=[ORG, SC, "margin"])
    assert "1 recorded value" in editor.get(url).content.decode()
    response = editor.post(url)
    assert response["Location"] == reverse("objective_detail", args=[ORG, SC, "grow"])
    assert not Kpi.objects.filter(code="margin").exists()


def test_deleting_a_kpi_used_by_formulas_names_them(card: Any, editor: Any) -> None:
    KpiFactory(objective=card.happy, code="share", name="Revenue share", formula="revenue / 10")
    url = reverse("kpi_delete", args=[ORG, SC, "revenue"])
    page = editor.get(url)
    assert page.status_code == 409
    assert "Margin" in page.content.decode() and "Revenue share" in page.content.decode()
    assert "Delete the KPI" not in page.content.decode()  # no button to press
    response = editor.post(url)
    assert response.status_code == 409
    assert "used in the formula of: Margin, Revenue share" in response.content.decode()
    assert Kpi.objects.filter(code="revenue").exists()
