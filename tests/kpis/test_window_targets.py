"""Numbers a CFO can trust (issue 13) on the demo company: window targets that follow
the kind of number, and non-additive KPIs averaged across units."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.kpis.evaluation import organization_evaluate, scorecard_evaluate, value_rollups
from scorecard.kpis.models import Kpi, KpiAlignment
from scorecard.strategy.models import Scorecard
from tests.factories import KpiFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

TODAY = "2026-11-23"
AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def company(settings: Any) -> Scorecard:
    settings.SCORECARD_TODAY = TODAY
    document_load_file(DEMO_FILE)
    return Scorecard.objects.get(organization__slug="northwind", slug="company")


@pytest.mark.parametrize("view", ["period", "quarter", "half_year", "year", "ytd"])
def test_gross_margin_keeps_its_48_percent_target_over_every_window(
    company: Scorecard, view: str
) -> None:
    result = scorecard_evaluate(scorecard=company, as_of=AS_OF, view=view)
    assert result.kpis["gross_margin"].target == pytest.approx(48)
    # Lead-to-deal conversion keeps its own 20 % (not 200 %); revenue still adds up.
    assert result.kpis["lead_conversion"].target == pytest.approx(20)
    assert result.kpis["gross_margin"].status != "error"


def test_year_to_date_targets_of_amounts_still_add_up(company: Scorecard) -> None:
    result = scorecard_evaluate(scorecard=company, as_of=AS_OF, view="ytd")
    # January to October 2026 at 2.3 M€ a month.
    assert result.kpis["revenue"].target == pytest.approx(10 * 2_300_000)
    # Gross margin year to date: its value over the window, its target 48 %, and a
    # score that is no longer near zero.
    margin = result.kpis["gross_margin"]
    assert 40 < margin.value < 50
    assert margin.performance is not None and margin.performance > 0.5


def test_the_equation_rule_makes_the_target_from_the_inputs_targets(company: Scorecard) -> None:
    Kpi.objects.filter(scorecard=company, code="lead_conversion").update(
        target_aggregation="equation"
    )
    result = scorecard_evaluate(scorecard=company, as_of=AS_OF, view="ytd")
    # 60 deals ÷ 400 qualified leads a month in 2026: 15 %, the chain's own number.
    assert result.kpis["lead_conversion"].target == pytest.approx(15)


def test_net_promoter_scores_of_two_departments_average_at_the_company(
    company: Scorecard,
) -> None:
    nps = Kpi.objects.get(scorecard=company, code="net_promoter_score")
    assert nps.unit_rollup == "auto"
    for slug, value in (("sales", 60), ("operations", 50)):
        card = Scorecard.objects.get(organization=company.organization, slug=slug)
        unit_nps = KpiFactory(
            objective=card.objectives.first(),
            code="net_promoter_score",
            name="Net promoter score",
            optimization="goal_red_flag",
            target=50,
            red_flag=30,
            update_interval="quarter",
            time_aggregation="last",
        )
        MeasurementFactory(kpi=unit_nps, period_start=dt.date(2026, 7, 1), value=value)
        KpiAlignment.objects.create(child=unit_nps, parent=nps)
    scores = organization_evaluate(organization_id=company.organization_id, as_of=AS_OF)
    rolled = value_rollups(scores)[nps.pk]
    assert rolled.value == pytest.approx(55)
    assert (rolled.reported, rolled.units) == (2, 2)


def test_a_cascaded_copy_of_a_kpi_is_created_now(company: Scorecard, settings: Any) -> None:
    from scorecard.alignment.services import scorecard_cascade
    from scorecard.organizations.models import Unit

    old = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    Kpi.objects.filter(scorecard=company).update(created_at=old)
    settings.SCORECARD_TODAY = "2026-12-01"
    unit = Unit.objects.get(organization=company.organization, slug="customer-service")
    card = scorecard_cascade(
        parent=company,
        unit=unit,
        objectives=[company.objectives.get(code="delight-customers")],
        copy_kpis=True,
    ).scorecard
    copies = list(Kpi.objects.filter(scorecard=card))
    assert copies
    assert {k.created_at.date() for k in copies} == {dt.date(2026, 12, 1)}
