"""measurement_record and target_set: validation, corrections keep history, as-of reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from scorecard.kpis.evaluation import known_measurements
from scorecard.kpis.models import Measurement
from scorecard.kpis.services import measurement_record, target_set
from tests.factories import KpiFactory

pytestmark = pytest.mark.django_db

JAN = dt.date(2026, 1, 1)


def test_first_value_is_stored() -> None:
    kpi = KpiFactory()
    m = measurement_record(kpi=kpi, period_start=JAN, value=42.5, note="from the ERP")
    assert (m.value, m.note, m.superseded_at) == (42.5, "from the ERP", None)


def test_correction_keeps_the_earlier_value() -> None:
    kpi = KpiFactory()
    with override_settings(SCORECARD_TODAY="2026-02-03"):
        first = measurement_record(kpi=kpi, period_start=JAN, value=40)
    with override_settings(SCORECARD_TODAY="2026-02-10"):
        second = measurement_record(kpi=kpi, period_start=JAN, value=44, note="late invoices")
    rows = list(Measurement.objects.filter(kpi=kpi).order_by("recorded_at"))
    assert [r.value for r in rows] == [40, 44]
    first.refresh_from_db()
    assert first.superseded_at == second.recorded_at
    assert second.superseded_at is None


def test_same_value_again_changes_nothing() -> None:
    kpi = KpiFactory()
    a = measurement_record(kpi=kpi, period_start=JAN, value=7)
    b = measurement_record(kpi=kpi, period_start=JAN, value=7)
    assert a.pk == b.pk
    assert Measurement.objects.filter(kpi=kpi).count() == 1


def test_values_as_known_at_a_past_moment() -> None:
    kpi = KpiFactory()
    with override_settings(SCORECARD_TODAY="2026-02-03"):
        measurement_record(kpi=kpi, period_start=JAN, value=40)
    with override_settings(SCORECARD_TODAY="2026-02-10"):
        measurement_record(kpi=kpi, period_start=JAN, value=44)

    def values_at(day: str | None) -> list[float]:
        known_at = None if day is None else dt.datetime.fromisoformat(day + "T18:00+00:00")
        return [m.value for m in known_measurements([kpi.pk], known_at)]

    assert values_at("2026-02-01") == []
    assert values_at("2026-02-05") == [40]
    assert values_at("2026-02-12") == [44]
    assert values_at(None) == [44]


@pytest.mark.parametrize(
    ("period", "value", "field", "fragment"),
    [
        (dt.date(2026, 1, 15), 1, "period_start", "does not start a monthly period"),
        (JAN, "abc", "value", "is not a number"),
        (JAN, float("nan"), "value", "finite"),
        (JAN, float("inf"), "value", "finite"),
        (JAN, None, "value", "is not a number"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(
    period: dt.date, value: object, field: str, fragment: str
) -> None:
    kpi = KpiFactory()
    measurement_record(kpi=kpi, period_start=JAN, value=5)
    with pytest.raises(ValidationError) as excinfo:
        measurement_record(kpi=kpi, period_start=period, value=value)  # type: ignore[arg-type]
    assert fragment in " ".join(excinfo.value.message_dict[field])
    assert [m.value for m in Measurement.objects.filter(kpi=kpi)] == [5]


def test_calculated_kpi_takes_no_values() -> None:
    kpi = KpiFactory(formula="kpi_a / kpi_b")
    with pytest.raises(ValidationError, match="calculated"):
        measurement_record(kpi=kpi, period_start=JAN, value=1)


def test_quarterly_kpi_periods_start_a_quarter() -> None:
    kpi = KpiFactory(update_interval="quarter")
    measurement_record(kpi=kpi, period_start=dt.date(2026, 4, 1), value=3)
    with pytest.raises(ValidationError, match="2026-04-01"):
        measurement_record(kpi=kpi, period_start=dt.date(2026, 5, 1), value=3)


def test_target_records_its_provenance() -> None:
    kpi = KpiFactory()
    t = target_set(kpi=kpi, period_start=JAN, value=120, provenance="benchmark", note="APQC 2025")
    assert (t.value, t.provenance, t.note) == (120, "benchmark", "APQC 2025")
    t2 = target_set(kpi=kpi, period_start=JAN, value=130, provenance="history")
    assert t2.pk == t.pk and t2.value == 130


def test_unknown_target_provenance_is_refused() -> None:
    with pytest.raises(ValidationError, match="Unknown target source"):
        target_set(kpi=KpiFactory(), period_start=JAN, value=1, provenance="gut")


@pytest.mark.parametrize(
    ("today", "accepted"),
    [
        ("2026-11-29", False),  # December starts in two days: not begun anywhere
        ("2026-11-30", True),  # starts tomorrow here: already December east of UTC
        ("2026-12-01", True),  # the first day
        ("2026-12-31", True),  # the last day
    ],
)
def test_a_value_waits_for_its_period_give_or_take_a_time_zone(today: str, accepted: bool) -> None:
    kpi = KpiFactory()  # monthly
    december = dt.date(2026, 12, 1)
    with override_settings(SCORECARD_TODAY=today):
        if accepted:
            assert measurement_record(kpi=kpi, period_start=december, value=3).value == 3
        else:
            with pytest.raises(ValidationError, match="has not begun yet"):
                measurement_record(kpi=kpi, period_start=december, value=3)
            assert not Measurement.objects.filter(kpi=kpi).exists()
