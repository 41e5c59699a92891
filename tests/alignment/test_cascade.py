"""Cascading a scorecard to a unit, alignments, and scores rolling up (services + adapter)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from scorecard.alignment.services import (
    alignment_create,
    alignment_delete,
    alignment_update,
    scorecard_cascade,
)
from scorecard.audit.context import acting_as
from scorecard.audit.models import Change
from scorecard.kpis.evaluation import organization_evaluate, scorecard_evaluate, value_rollups
from scorecard.kpis.models import Kpi, KpiAlignment, Measurement, Target
from scorecard.presentation.history import describe
from scorecard.strategy.models import Objective, ObjectiveAlignment, Perspective, Scorecard
from tests.factories import (
    KpiFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    ScorecardFactory,
    UnitFactory,
)

AS_OF = dt.date(2026, 11, 23)  # October 2026 is the latest complete month
OCT = dt.date(2026, 10, 1)


@dataclass
class Company:
    world: Any
    card: Scorecard
    finance: Perspective
    customer: Perspective
    grow: Objective
    win: Objective
    sales: Any
    team: Any
    revenue: Kpi
    margin: Kpi


@pytest.fixture
def company(world: Any) -> Company:
    card = world.scorecard
    card.vision = "Every outdoor day starts with our gear."
    card.save()
    finance = PerspectiveFactory(scorecard=card, name="Financial", kind="financial", position=0)
    customer = PerspectiveFactory(scorecard=card, name="Customer", kind="customer", position=1)
    grow = ObjectiveFactory(perspective=finance, code="grow", name="Grow revenue", weight=2)
    win = ObjectiveFactory(perspective=customer, code="win", name="Win customers")
    revenue = KpiFactory(objective=grow, code="revenue", name="Revenue", unit="€")
    cost = KpiFactory(objective=grow, code="cost", name="Cost", unit="€")
    margin = KpiFactory(
        objective=grow, code="margin", name="Margin", formula="(revenue - cost) / revenue * 100"
    )
    KpiFactory(objective=win, code="deals", name="Deals", formula="leads * 2")
    KpiFactory(objective=win, code="leads", name="Leads")
    Target.objects.create(
        kpi=revenue, period_start=dt.date(2026, 1, 1), value=80, provenance="benchmark",
        note="peer median", set_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    Target.objects.create(
        kpi=cost, period_start=dt.date(2026, 1, 1), value=40,
        set_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    sales = UnitFactory(
        organization=world.organization, parent=world.unit, name="Sales", slug="sales"
    )
    team = UnitFactory(organization=world.organization, parent=sales, name="North", slug="north")
    return Company(world, card, finance, customer, grow, win, sales, team, revenue, margin)


def test_cascade_makes_the_units_scorecard_in_one_go(company: Company) -> None:
    outcome = scorecard_cascade(
        parent=company.card,
        unit=company.sales,
        objectives=[company.grow],
        shares={company.grow.pk: 0.6},
        copy_kpis=True,
        user=company.world.editor,
    )
    card = outcome.scorecard
    assert (card.name, card.slug, card.parent, card.unit) == (
        "Sales – Company", "sales-company", company.card, company.sales,
    )  # fmt: skip
    # The same perspectives (all of them), one objective per chosen one, aligned.
    assert list(card.perspectives.values_list("name", "kind", "weight")) == [
        ("Financial", "financial", 1.0),
        ("Customer", "customer", 1.0),
    ]
    child = card.objectives.get()
    assert (child.code, child.name, child.weight, child.perspective.name) == (
        "grow", "Grow revenue", 2.0, "Financial",
    )  # fmt: skip
    assert list(ObjectiveAlignment.objects.values_list("child", "parent", "share")) == [
        (child.pk, company.grow.pk, 0.6)
    ]
    # KPIs copied with their targets (not their values), each aligned to its source.
    copies = {k.code: k for k in card.kpis.all()}
    assert set(copies) == {"revenue", "cost", "margin"}
    assert copies["margin"].formula == "(revenue - cost) / revenue * 100"
    assert copies["revenue"].owner is None and copies["revenue"].unit == "€"
    target = Target.objects.get(kpi=copies["revenue"])
    assert (target.value, target.provenance, target.note, target.set_by) == (
        80, "benchmark", "peer median", company.world.editor,
    )  # fmt: skip
    assert not Measurement.objects.filter(kpi__scorecard=card).exists()
    assert KpiAlignment.objects.get(child=copies["revenue"]).parent == company.revenue
    assert (outcome.objectives, outcome.kpis, outcome.targets, outcome.left_out) == (1, 3, 2, [])


def test_a_calculated_kpi_whose_inputs_stay_behind_is_left_out_and_named(
    company: Company,
) -> None:
    leads = Kpi.objects.get(code="leads")
    leads.objective = company.grow  # "deals" (in win) now uses a KPI of another objective
    leads.save()
    outcome = scorecard_cascade(
        parent=company.card, unit=company.sales, objectives=[company.win], copy_kpis=True
    )
    assert outcome.kpis == 0
    assert outcome.left_out == ["“Deals” (its formula uses KPIs of objectives not cascaded)"]


def test_without_copying_kpis_only_the_objectives_come_along(company: Company) -> None:
    outcome = scorecard_cascade(
        parent=company.card,
        unit=company.team,
        objectives=[company.win, company.grow],
        name="North team",
        slug="",
    )
    assert outcome.scorecard.slug == "north-team"
    assert list(outcome.scorecard.objectives.values_list("code", flat=True)) == ["grow", "win"]
    assert outcome.scorecard.kpis.count() == 0
    assert ObjectiveAlignment.objects.filter(share=0.5).count() == 2  # the default share


def _refused(company: Company, **changes: Any) -> dict[str, list[str]]:
    arguments = {
        "parent": company.card,
        "unit": company.sales,
        "objectives": [company.grow],
        "copy_kpis": True,
        **changes,
    }
    before = (Scorecard.objects.count(), Objective.objects.count(), Kpi.objects.count())
    with pytest.raises(ValidationError) as caught:
        scorecard_cascade(**arguments)
    # All or nothing: a refused cascade leaves nothing behind.
    assert (Scorecard.objects.count(), Objective.objects.count(), Kpi.objects.count()) == before
    return caught.value.message_dict


def test_clear_errors_and_nothing_half_made(company: Company) -> None:
    world = company.world
    rival_unit = UnitFactory(organization=world.other_organization, name="Rival", slug="rival")
    assert _refused(company, unit=rival_unit) == {
        "unit": ["The unit belongs to another organization."]
    }
    assert "Choose a unit below Northwind" in _refused(company, unit=world.unit)["unit"][0]
    assert _refused(company, objectives=[]) == {
        "objectives": ["Choose at least one objective to cascade."]
    }
    other = ObjectiveFactory(perspective=PerspectiveFactory(scorecard=ScorecardFactory(
        organization=world.organization, unit=company.sales, slug="elsewhere")))  # fmt: skip
    assert (
        "is not an objective of “Company”" in _refused(company, objectives=[other])["objectives"][0]
    )
    assert _refused(company, shares={company.grow.pk: 1.5}) == {
        "share": ["The share of “Grow revenue” must be more than 0 and at most 1 (100 %); "
                  "“1.5” is not."]
    }  # fmt: skip
    assert "is not a number" in _refused(company, shares={company.grow.pk: "lots"})["share"][0]
    ScorecardFactory(
        organization=world.organization, unit=company.sales, name="Sales 2027", slug="sales-2027"
    )
    assert _refused(company, name="Sales 2027") == {
        "slug": ["This unit already has a scorecard with the short name “sales-2027” "
                 "(“Sales 2027”). Choose another name or short name."]
    }  # fmt: skip
    assert "Sales already has" in _refused(company, unit=company.team, slug="sales-2027")["slug"][0]
    assert "may contain only letters" in _refused(company, slug="bad slug")["slug"][0]


def test_alignments_only_point_up_the_cascade(company: Company) -> None:
    sales = scorecard_cascade(
        parent=company.card, unit=company.sales, objectives=[company.grow]
    ).scorecard
    child = sales.objectives.get()
    alignment = alignment_create(child=child, parent=company.win, share=0.3)
    assert alignment.share == 0.3
    with pytest.raises(ValidationError, match="aligned to “Grow revenue” already"):
        alignment_create(child=child, parent=company.grow)
    with pytest.raises(ValidationError, match="is not a scorecard that “Company” is cascaded"):
        alignment_create(child=company.grow, parent=child)  # upwards only: no loops
    with pytest.raises(ValidationError, match="one of a scorecard above it"):
        alignment_create(child=company.grow, parent=company.win)
    with pytest.raises(ValidationError, match="at most 1"):
        alignment_update(alignment=alignment, share=0)
    alignment_update(alignment=alignment, share="0.25")
    assert ObjectiveAlignment.objects.get(pk=alignment.pk).share == 0.25
    alignment_delete(alignment=alignment)
    assert ObjectiveAlignment.objects.filter(child=child).count() == 1


def _record(kpi: Kpi, value: float) -> None:
    MeasurementFactory(kpi=kpi, period_start=OCT, value=value)


def test_the_units_score_rolls_up_into_the_parent_objective(company: Company) -> None:
    for code, value in {"revenue": 80, "cost": 40, "leads": 90}.items():
        _record(Kpi.objects.get(scorecard=company.card, code=code), value)
    before = scorecard_evaluate(scorecard=company.card, as_of=AS_OF)
    sales = scorecard_cascade(
        parent=company.card,
        unit=company.sales,
        objectives=[company.grow],
        shares={company.grow.pk: 0.6},
        copy_kpis=True,
    ).scorecard
    for code, value in {"revenue": 30, "cost": 20}.items():
        _record(Kpi.objects.get(scorecard=sales, code=code), value)
    after = scorecard_evaluate(scorecard=company.card, as_of=AS_OF)
    sales_result = scorecard_evaluate(scorecard=sales, as_of=AS_OF)
    own = before.objectives["grow"].score
    unit = sales_result.objectives["grow"].score
    assert after.objectives["grow"].own_score == pytest.approx(own)
    assert after.objectives["grow"].score == pytest.approx(0.4 * own + 0.6 * unit)
    assert after.objectives["grow"].score != pytest.approx(own)
    assert after.objectives["win"].score == before.objectives["win"].score
    (contribution,) = after.objectives["grow"].contributions
    assert (contribution.source_scorecard, contribution.weight) == (sales.slug, 0.6)
    # The bulk evaluation of the organization says the same.
    scores = organization_evaluate(organization_id=company.world.organization.pk, as_of=AS_OF)
    assert scores.results[company.card.pk].score == pytest.approx(after.score)
    assert scores.results[sales.pk].score == pytest.approx(sales_result.score)
    # Numbers as known earlier: the unit's values recorded since do not count.
    early = scorecard_evaluate(
        scorecard=company.card, as_of=AS_OF, known_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert early.objectives["grow"].score is None


def test_values_roll_up_and_a_ratio_is_rebuilt_from_its_parts(company: Company) -> None:
    north = UnitFactory(organization=company.world.organization, parent=company.world.unit,
                        name="South", slug="south")  # fmt: skip
    cards = [
        scorecard_cascade(
            parent=company.card, unit=unit, objectives=[company.grow], copy_kpis=True
        ).scorecard
        for unit in (company.sales, north)
    ]
    for card, (revenue, cost) in zip(cards, [(400, 368), (600, 528)], strict=True):
        _record(Kpi.objects.get(scorecard=card, code="revenue"), revenue)
        _record(Kpi.objects.get(scorecard=card, code="cost"), cost)
    _record(company.revenue, 5)  # the company's own value is shown beside, never added
    scores = organization_evaluate(organization_id=company.world.organization.pk, as_of=AS_OF)
    rolled = value_rollups(scores)
    assert rolled[company.revenue.pk].value == 1000
    # (1000 − 896) / 1000: rebuilt from the summed parts, not the average of 8 % and 12 %.
    assert rolled[company.margin.pk].value == pytest.approx(10.4)
    assert (rolled[company.margin.pk].reported, rolled[company.margin.pk].units) == (2, 2)
    assert set(rolled) == {company.revenue.pk, Kpi.objects.get(scorecard=company.card,
                           code="cost").pk, company.margin.pk}  # fmt: skip


def test_scoring_costs_a_constant_number_of_queries(
    company: Company, django_assert_max_num_queries: Any
) -> None:
    for index in range(4):
        unit = UnitFactory(organization=company.world.organization, parent=company.world.unit)
        card = scorecard_cascade(
            parent=company.card, unit=unit, objectives=[company.grow, company.win],
            copy_kpis=index % 2 == 0, name=f"Unit {index}",
        ).scorecard  # fmt: skip
        for kpi in card.kpis.all():
            _record(kpi, 10 * index)
    organization = company.world.organization
    with django_assert_max_num_queries(8):  # the data version, then seven to score
        organization_evaluate(organization_id=organization.pk, as_of=AS_OF)
    with django_assert_max_num_queries(12):
        scorecard_evaluate(scorecard=company.card, as_of=AS_OF)


def test_alignments_and_their_shares_are_kept_in_the_history(company: Company) -> None:
    """A share changes the parent objective's score: who changed it, and from what, is
    kept like any other change of the strategy, and read in words on the history."""
    editor = company.world.editor
    with acting_as(editor):
        sales = scorecard_cascade(
            parent=company.card, unit=company.sales, objectives=[company.grow],
            shares={company.grow.pk: 0.6},
        ).scorecard  # fmt: skip
        child = sales.objectives.get()
        extra = alignment_create(child=child, parent=company.win, share=0.3)
        alignment_update(alignment=extra, share="0.25")
        alignment_delete(alignment=extra)
    kept = list(Change.objects.filter(kind="alignment").order_by("id"))
    assert [c.action for c in kept] == ["created", "created", "changed", "deleted"]
    cascaded, created, changed, deleted = kept
    assert cascaded.after["share"] == 0.6 and cascaded.related_objective_id == company.grow.pk
    assert (created.objective_id, created.related_objective_id) == (child.pk, company.win.pk)
    assert created.scorecard_id == sales.pk and created.actor == editor
    assert (changed.before, changed.after) == ({"share": 0.3}, {"share": 0.25})
    assert deleted.before["share"] == 0.25 and deleted.after is None
    entry = describe(changed, {})
    assert entry.name == "Grow revenue ⇢ Win customers"
    assert [(line.before, line.after) for line in entry.lines] == [("30.0\u00a0%", "25.0\u00a0%")]
