"""Scores computed once per change: every write that can change a number changes the
organization's data version in its transaction, so a cached evaluation always equals a
fresh one. Hypothesis makes random writes of every kind through the services."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.alignment.services import alignment_create, alignment_delete, alignment_update
from scorecard.kpis import evaluation
from scorecard.kpis.models import Kpi, Target
from scorecard.kpis.services import (
    MeasurementRow,
    kpi_create,
    kpi_delete,
    kpi_update,
    measurement_bulk_record,
    measurement_record,
    target_delete,
    target_set,
)
from scorecard.organizations.versions import data_version
from scorecard.strategy.models import ObjectiveAlignment
from scorecard.strategy.services import objective_update, perspective_update, scorecard_update
from tests.factories import (
    KpiFactory,
    ObjectiveFactory,
    OrganizationFactory,
    PerspectiveFactory,
    ScorecardFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)
MONTHS = [dt.date(2026, m, 1) for m in range(1, 7)]


class Org:
    """A company scorecard and a unit's scorecard aligned to it."""

    def __init__(self) -> None:
        self.organization = OrganizationFactory(slug="northwind")
        root = UnitFactory(organization=self.organization, name="Company")
        sales = UnitFactory(organization=self.organization, parent=root, name="Sales")
        self.company = ScorecardFactory(organization=self.organization, unit=root)
        self.sales = ScorecardFactory(
            organization=self.organization, unit=sales, parent=self.company
        )
        self.perspectives = [PerspectiveFactory(scorecard=self.company) for _ in range(2)]
        self.objectives = [ObjectiveFactory(perspective=p) for p in self.perspectives]
        unit_objective = ObjectiveFactory(perspective__scorecard=self.sales)
        self.objectives.append(unit_objective)
        for objective in self.objectives:
            KpiFactory(objective=objective)
        KpiFactory(objective=self.objectives[0], optimization="minimize", target=10.0)
        self.alignment: ObjectiveAlignment | None = alignment_create(
            child=unit_objective, parent=self.objectives[0], share=0.5
        )

    def kpis(self) -> list[Kpi]:
        return list(Kpi.objects.filter(scorecard__organization=self.organization).order_by("pk"))


def check(org: Org) -> None:
    """The cached answer of every question equals a fresh evaluation."""
    for card in (org.company, org.sales):
        card.refresh_from_db()
        for view in ("period", "ytd"):
            cached = evaluation.scorecard_evaluate(scorecard=card, as_of=AS_OF, view=view)
            fresh, _ = evaluation._evaluate_with_input(
                scorecard=card, as_of=AS_OF, view=view, known_at=None, rows=None
            )
            assert cached == fresh, f"stale cached scores of {card.slug} ({view})"
            with_input, _ = evaluation.scorecard_evaluate_with_input(
                scorecard=card, as_of=AS_OF, view=view
            )
            assert with_input == fresh, f"stale cached scores and input of {card.slug} ({view})"
    for view in ("period", "ytd"):
        whole = evaluation.organization_evaluate(
            organization_id=org.organization.pk, as_of=AS_OF, view=view
        )
        again = evaluation._organization_evaluate(
            organization_id=org.organization.pk, as_of=AS_OF, view=view, known_at=None
        )
        assert whole.results == again.results, f"stale cached organization scores ({view})"
        assert [c.pk for c in whole.scorecards] == [c.pk for c in again.scorecards]


index = st.integers(min_value=0, max_value=50)
number = st.floats(min_value=-50, max_value=150, allow_nan=False).map(lambda x: round(x, 2))
month = st.sampled_from(MONTHS)
WRITES = st.one_of(
    st.tuples(st.just("value"), index, month, number),
    st.tuples(st.just("bulk"), st.lists(st.tuples(index, month, number), min_size=1, max_size=4)),
    st.tuples(st.just("target"), index, month, number),
    st.tuples(st.just("target_delete"), index),
    st.tuples(st.just("kpi"), index, st.sampled_from(["target", "weight", "optimization"])),
    st.tuples(st.just("kpi_add"), index),
    st.tuples(st.just("kpi_delete"), index),
    st.tuples(st.just("objective_weight"), index, st.integers(min_value=1, max_value=5)),
    st.tuples(st.just("perspective_weight"), index, st.integers(min_value=1, max_value=5)),
    st.tuples(
        st.just("policy"),
        st.sampled_from(["exclude", "zero", "propagate"]),
        st.sampled_from(["weighted_average", "average", "min", "max"]),
    ),
    st.tuples(st.just("share"), st.sampled_from([0.1, 0.5, 1.0, None])),
    st.tuples(st.just("fiscal"), st.integers(min_value=1, max_value=12)),
    st.tuples(st.just("rolled_back"), index, month, number),
)


def apply(org: Org, write: tuple[Any, ...]) -> None:
    kind, *args = write
    kpis = org.kpis()
    kpi = kpis[args[0] % len(kpis)] if args and isinstance(args[0], int) else None
    if kind == "value":
        measurement_record(kpi=kpi, period_start=args[1], value=args[2])
    elif kind == "bulk":
        rows = [
            MeasurementRow(index=i, kpi=kpis[k % len(kpis)], period_start=m, value=v)
            for i, (k, m, v) in enumerate(args[0])
        ]
        if len({(r.kpi.pk, r.period_start) for r in rows}) == len(rows):
            measurement_bulk_record(rows=rows)
    elif kind == "target":
        target_set(kpi=kpi, period_start=args[1], value=args[2])
    elif kind == "target_delete":
        target = Target.objects.filter(kpi=kpi).order_by("pk").first()
        if target is not None:
            target_delete(target=target)
    elif kind == "kpi":
        field = args[1]
        value = {"target": (kpi.target or 50) + 7, "weight": kpi.weight + 1}.get(field)
        if field == "optimization":
            value = "minimize" if kpi.optimization == "maximize" else "maximize"
        kpi_update(kpi=kpi, **{field: value})
    elif kind == "kpi_add":
        objective = org.objectives[args[0] % len(org.objectives)]
        code = f"extra_{Kpi.objects.count()}_{args[0]}"
        kpi_create(objective=objective, code=code, name=code, minimum=0.0, maximum=100.0)
    elif kind == "kpi_delete" and len(kpis) > 3:
        kpi_delete(kpi=kpi)
    elif kind == "objective_weight":
        objective = org.objectives[args[0] % len(org.objectives)]
        objective.refresh_from_db()
        objective_update(objective=objective, weight=args[1])
    elif kind == "perspective_weight":
        perspective = org.perspectives[args[0] % len(org.perspectives)]
        perspective.refresh_from_db()
        perspective_update(perspective=perspective, weight=args[1])
    elif kind == "policy":
        org.company.refresh_from_db()
        scorecard_update(scorecard=org.company, missing_policy=args[0], aggregator=args[1])
    elif kind == "share":
        if args[0] is None and org.alignment is not None:
            alignment_delete(alignment=org.alignment)
            org.alignment = None
        elif args[0] is not None and org.alignment is None:
            org.alignment = alignment_create(
                child=org.objectives[2], parent=org.objectives[0], share=args[0]
            )
        elif args[0] is not None and org.alignment is not None:
            alignment_update(alignment=org.alignment, share=args[0])
    elif kind == "fiscal":
        org.organization.refresh_from_db()
        org.organization.fiscal_year_start_month = args[0]
        org.organization.save()
    elif kind == "rolled_back":
        # A write whose transaction is rolled back after a page read its numbers.
        try:
            with transaction.atomic():
                measurement_record(kpi=kpi, period_start=args[1], value=args[2] + 1000)
                check(org)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass


@pytest.fixture
def org() -> Org:
    return Org()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(WRITES, min_size=1, max_size=6))
def test_cached_scores_always_equal_a_fresh_evaluation(org: Org, writes: list[Any]) -> None:
    check(org)  # fills the cache
    for write in writes:
        # A refused write changes nothing; the numbers must still agree.
        with contextlib.suppress(ValidationError):
            apply(org, write)
        check(org)


def test_every_kind_of_write_changes_the_data_version(org: Org) -> None:
    seen = {data_version(org.organization.pk)}
    kpi = org.kpis()[0]
    writes = [
        ("value", 0, MONTHS[0], 40.0),
        ("bulk", [(1, MONTHS[1], 30.0)]),
        ("target", 0, MONTHS[2], 60.0),
        ("target_delete", 0),
        ("kpi", 0, "weight"),
        ("kpi_add", 0),
        ("kpi_delete", 4),
        ("objective_weight", 0, 3),
        ("perspective_weight", 1, 2),
        ("policy", "zero", "min"),
        ("share", 0.25),
        ("share", None),
        ("fiscal", 4),
    ]
    for write in writes:
        apply(org, write)
        version = data_version(org.organization.pk)
        assert version not in seen, f"{write[0]} did not change the data version"
        seen.add(version)
    assert kpi.pk


def test_an_unchanged_scorecard_is_answered_from_the_cache_in_one_query(org: Org) -> None:
    evaluation.scorecard_evaluate(scorecard=org.company, as_of=AS_OF)
    with CaptureQueriesContext(connection) as queries:
        evaluation.scorecard_evaluate(scorecard=org.company, as_of=AS_OF)
    assert len(queries) == 1  # the data version
    measurement_record(kpi=org.kpis()[0], period_start=MONTHS[0], value=12)
    with CaptureQueriesContext(connection) as queries:
        evaluation.scorecard_evaluate(scorecard=org.company, as_of=AS_OF)
    assert len(queries) > 1  # scored again


def test_an_unchanged_organization_is_answered_from_the_cache_in_one_query(org: Org) -> None:
    """The organization-wide evaluation (home page, alignment pages) is cached the same way."""
    organization_id = org.organization.pk
    first = evaluation.organization_evaluate(organization_id=organization_id, as_of=AS_OF)
    with CaptureQueriesContext(connection) as queries:
        again = evaluation.organization_evaluate(organization_id=organization_id, as_of=AS_OF)
    assert len(queries) == 1  # the data version
    assert again.results == first.results
    measurement_record(kpi=org.kpis()[0], period_start=MONTHS[0], value=12)
    with CaptureQueriesContext(connection) as queries:
        changed = evaluation.organization_evaluate(organization_id=organization_id, as_of=AS_OF)
    assert len(queries) > 1  # scored again
    assert changed.results[org.company.pk] == evaluation.scorecard_evaluate(
        scorecard=org.company, as_of=AS_OF
    )
