"""The KPI form's window-target and unit rollup rules, the scorecard form's minimum
coverage, and the coverage shown beside the headline score (issue 13)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from scorecard.kpis.models import Kpi
from scorecard.strategy.models import Scorecard
from tests.factories import MeasurementFactory
from tests.web.test_manage_access import ORG, SC, build_card, kpi_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(world: Any, settings: Any) -> Any:
    settings.SCORECARD_TODAY = "2026-11-23"
    return build_card(world)


@pytest.fixture
def editor(card: Any) -> Any:
    return card.world.client_for("editor")


def test_the_kpi_form_offers_both_rules(editor: Any) -> None:
    html = editor.get(reverse("kpi_new", args=[ORG, SC, "grow"])).content.decode()
    assert '<label for="id_target_aggregation"' in html
    assert '<label for="id_unit_rollup"' in html
    assert "Its formula over its inputs&#x27; targets" in html


def test_rules_are_saved_and_default_to_automatic(card: Any, editor: Any) -> None:
    url = reverse("kpi_new", args=[ORG, SC, "grow"])
    assert editor.post(url, kpi_form(code="plain")).status_code == 302
    plain = Kpi.objects.get(code="plain")
    assert (plain.target_aggregation, plain.unit_rollup) == ("auto", "auto")
    data = kpi_form(code="ratio", unit="%", formula="revenue * 2")
    data.update(target_aggregation="equation", unit_rollup="average")
    assert editor.post(url, data).status_code == 302
    ratio = Kpi.objects.get(code="ratio")
    assert (ratio.target_aggregation, ratio.unit_rollup) == ("equation", "average")


def test_equation_without_a_formula_is_explained(card: Any, editor: Any) -> None:
    data = kpi_form(code="plain2")
    data.update(target_aggregation="equation")
    response = editor.post(reverse("kpi_new", args=[ORG, SC, "grow"]), data)
    assert response.status_code == 422
    assert "needs a formula" in response.content.decode()
    assert not Kpi.objects.filter(code="plain2").exists()


def _headline(client: Any) -> str:
    html = client.get(reverse("scorecard_detail", args=[ORG, SC])).content.decode()
    # The label carries the glossary term's markup (a tooltip and a link).
    match = re.search(
        r'<div class="big"><span class="label">(?:(?!</div>).)*?Overall score.*?</div>', html
    )
    assert match, html[:2000]
    return match.group(0)


def test_the_headline_says_how_many_kpis_it_rests_on_and_honours_the_minimum(
    card: Any, editor: Any
) -> None:
    # Revenue has a value in October (the latest complete month as of 23 November), and
    # the margin calculated from it; NPS has none.
    MeasurementFactory(kpi=card.revenue, period_start="2026-10-01", value=90)
    headline = _headline(editor)
    assert "from 2 of 3 KPIs" in headline
    assert "Not enough data" not in headline
    admin = card.world.client_for("admin")
    form = admin.get(reverse("scorecard_edit", args=[ORG, SC])).content.decode()
    assert 'name="min_coverage"' in form
    response = admin.post(
        reverse("scorecard_edit", args=[ORG, SC]),
        {"name": card.world.scorecard.name, "aggregator": "weighted_average",
         "missing_policy": "exclude", "score_cap": "1", "min_coverage": "99"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Scorecard.objects.get(pk=card.world.scorecard.pk).min_coverage == pytest.approx(0.99)
    headline = _headline(editor)
    assert "Not enough data" in headline
    assert "at least 99.0" in headline
    edit = admin.get(reverse("scorecard_edit", args=[ORG, SC])).content.decode()
    assert 'value="99.0"' in edit


def test_a_minimum_coverage_above_100_is_refused(card: Any) -> None:
    admin = card.world.client_for("admin")
    response = admin.post(
        reverse("scorecard_edit", args=[ORG, SC]),
        {"name": "X", "aggregator": "weighted_average", "missing_policy": "exclude",
         "score_cap": "1", "min_coverage": "150"},
    )  # fmt: skip
    assert response.status_code == 422
    assert Scorecard.objects.get(pk=card.world.scorecard.pk).min_coverage == 0
