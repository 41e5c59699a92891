"""Aligning an existing objective on its page: add with a share, change, remove, errors,
and the parent's score as docs/cascading.md says."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from scorecard.alignment.services import alignment_create
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.strategy.models import ObjectiveAlignment
from tests.factories import (
    KpiFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    ScorecardFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture
def cascade(world: Any, settings: Any) -> dict[str, Any]:
    """The company with two objectives (own KPIs at 80 % and 60 %) and Sales's scorecard,
    cascaded from it, with one objective at 50 %."""
    settings.SCORECARD_TODAY = "2026-11-23"
    company = world.scorecard
    fin = PerspectiveFactory(scorecard=company, name="Financial")
    grow = ObjectiveFactory(perspective=fin, code="grow", name="Grow")
    happy = ObjectiveFactory(perspective=fin, code="happy", name="Happy customers")
    sales_unit = UnitFactory(organization=world.organization, parent=world.unit, name="Sales",
                             slug="sales")  # fmt: skip
    sales = ScorecardFactory(organization=world.organization, unit=sales_unit, parent=company,
                             name="Sales 2027", slug="sales-2027")  # fmt: skip
    sell = ObjectiveFactory(perspective=PerspectiveFactory(scorecard=sales, name="Financial"),
                            code="sell", name="Sell more")  # fmt: skip
    for objective, code, value in [(grow, "revenue", 80), (happy, "nps", 60), (sell, "deals", 50)]:
        kpi = KpiFactory(objective=objective, code=code)
        MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 10, 1), value=value)
    alignment_create(child=sell, parent=grow, share=0.6)
    return {"company": company, "sales": sales, "grow": grow, "happy": happy, "sell": sell}


def _score(scorecard: Any, code: str) -> float:
    score = scorecard_evaluate(scorecard=scorecard, as_of=AS_OF).objectives[code].score
    assert score is not None
    return score


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=["northwind", "sales-2027", "sell", *args])


def test_aligning_to_a_second_parent_changes_its_score_as_the_docs_say(
    world: Any, cascade: dict[str, Any]
) -> None:
    company, happy = cascade["company"], cascade["happy"]
    assert _score(company, "happy") == pytest.approx(0.6)  # its own KPIs only
    assert _score(company, "grow") == pytest.approx(0.4 * 0.8 + 0.6 * 0.5)  # 62 %

    editor = world.client_for("editor")
    response = editor.post(
        _url("alignment_add"), {"parent": happy.pk, "share": "40 %"}, follow=True
    )
    said = "“<bdi>Sell more</bdi>” now makes up 40% of “<bdi>Happy customers</bdi>”."
    assert said in response.content.decode()
    # (1 − 0.4) · 60 % + 0.4 · 50 % = 56 %; the first parent is unchanged.
    assert _score(company, "happy") == pytest.approx(0.6 * 0.6 + 0.4 * 0.5)
    assert _score(company, "grow") == pytest.approx(0.62)

    # Change the share, then remove the alignment: the parent is back to its own KPIs.
    link = ObjectiveAlignment.objects.get(child=cascade["sell"], parent=happy)
    editor.post(_url("alignment_edit", link.pk), {"share": "100"})
    assert _score(company, "happy") == pytest.approx(0.5)
    editor.post(_url("alignment_remove", link.pk))
    assert _score(company, "happy") == pytest.approx(0.6)
    assert not ObjectiveAlignment.objects.filter(parent=happy).exists()


def test_the_page_explains_the_rule_and_offers_the_parents(
    world: Any, cascade: dict[str, Any]
) -> None:
    page = (
        world.client_for("editor")
        .get(reverse("objective_detail", args=["northwind", "sales-2027", "sell"]))
        .content.decode()
    )
    assert "How shares count (no double counting)" in page
    assert "0.4 × 80 + 0.6 × 50 = 62 %" in page
    assert f'<option value="{cascade["happy"].pk}">Happy customers (Company)</option>' in page
    assert f'<option value="{cascade["grow"].pk}">' not in page  # aligned already
    assert 'value="60"' in page  # the share of Grow, editable
    viewer_page = (
        world.client_for("viewer")
        .get(reverse("objective_detail", args=["northwind", "sales-2027", "sell"]))
        .content.decode()
    )
    assert "Align to objectives above" not in viewer_page


@pytest.mark.parametrize(
    ("share", "message"),
    [
        ("", "Enter the share in per cent"),
        ("lots", "“<bdi>lots</bdi>” is not a number: enter the share in per cent."),
        ("0", "The share must be more than 0 % and at most 100 %; “<bdi>0</bdi>” is not."),
        ("120 %", "The share must be more than 0 % and at most 100 %; “<bdi>120 %</bdi>” is not."),
    ],
)
def test_bad_shares_are_refused_with_a_reason(
    world: Any, cascade: dict[str, Any], share: str, message: str
) -> None:
    response = world.client_for("editor").post(
        _url("alignment_add"), {"parent": cascade["happy"].pk, "share": share}, follow=True
    )
    assert message in response.content.decode()
    assert not ObjectiveAlignment.objects.filter(parent=cascade["happy"]).exists()
    link = ObjectiveAlignment.objects.get(parent=cascade["grow"])
    response = world.client_for("editor").post(
        _url("alignment_edit", link.pk), {"share": share}, follow=True
    )
    assert message in response.content.decode()
    link.refresh_from_db()
    assert link.share == pytest.approx(0.6)


def test_parents_that_cannot_be_chosen(world: Any, cascade: dict[str, Any]) -> None:
    editor = world.client_for("editor")
    sideways = ObjectiveFactory(perspective=PerspectiveFactory(scorecard=cascade["sales"]),
                                code="side", name="Side")  # fmt: skip
    response = editor.post(
        _url("alignment_add"), {"parent": sideways.pk, "share": "50"}, follow=True
    )
    assert (
        "An objective can only be aligned to one of a scorecard above it."
        in response.content.decode()
    )
    response = editor.post(_url("alignment_add"), {"parent": "", "share": "50"}, follow=True)
    assert "Choose the objective this one counts towards." in response.content.decode()
    response = editor.post(
        _url("alignment_add"), {"parent": cascade["grow"].pk, "share": "50"}, follow=True
    )
    assert "is aligned to “<bdi>Grow</bdi>” already" in response.content.decode()
    # Viewers cannot, strangers do not see it.
    assert world.client_for("viewer").post(_url("alignment_add"), {}).status_code == 403
    assert world.client_for("outsider").post(_url("alignment_add"), {}).status_code == 404
