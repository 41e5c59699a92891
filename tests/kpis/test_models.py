"""The KPI model's choices are the engine's enums, and database constraints hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from scorecard.engine import types as et
from scorecard.kpis import models as km
from tests.factories import KpiFactory, MeasurementFactory


@pytest.mark.parametrize(
    ("model_choices", "engine_enum"),
    [
        (km.Optimization, et.Optimization),
        (km.Interval, et.Interval),
        (km.Aggregation, et.Aggregation),
        (km.Indicator, et.Indicator),
        (km.FormulaMode, et.FormulaMode),
        (km.TargetAggregation, et.TargetAggregation),
    ],
)
def test_model_choices_match_engine(model_choices, engine_enum) -> None:
    assert set(model_choices.values) == {member.value for member in engine_enum}


@pytest.mark.django_db
def test_one_current_value_per_kpi_and_period() -> None:
    kpi = KpiFactory()
    MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 1, 1))


@pytest.mark.django_db
def test_superseded_rows_may_share_the_period() -> None:
    kpi = KpiFactory()
    old = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 1, 1), superseded_at=old)
    MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 1, 1))


@pytest.mark.django_db
def test_weight_must_be_positive() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        KpiFactory(weight=0)


def test_unit_rollup_choices_are_the_engines_and_automatic() -> None:
    from scorecard.engine.cascade import UnitRollup

    assert set(km.UnitRollup.values) == {rule.value for rule in UnitRollup} | {"auto"}


@pytest.mark.django_db
def test_a_kpi_rolls_up_into_one_parent_kpi_only() -> None:
    child, parent, other = KpiFactory(), KpiFactory(), KpiFactory()
    km.KpiAlignment.objects.create(child=child, parent=parent)
    with pytest.raises(IntegrityError), transaction.atomic():
        km.KpiAlignment.objects.create(child=child, parent=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        km.KpiAlignment.objects.create(child=other, parent=other)
