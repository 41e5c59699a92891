"""The set-based bulk load (kpis/bulkload.py) stores exactly what the row-by-row bulk
service stores: the same values, the same superseded history, who and when, the same
counts; and on a bad row, the same messages and nothing. Its history entries are the
service's, except that the new values of a load are summed up in one "imported" entry
per KPI (how many, first and last period) instead of one entry each (issue 16)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from django.db import transaction

from scorecard import clock
from scorecard.alerts.models import Alert
from scorecard.audit.models import Change
from scorecard.kpis.bulkload import measurement_bulk_load
from scorecard.kpis.models import Measurement
from scorecard.kpis.services import (
    MeasurementRow,
    MeasurementRowsError,
    measurement_bulk_record,
    measurement_record,
)
from scorecard.organizations.models import Organization
from scorecard.webhooks.models import Delivery, Webhook

from .conftest import Card

JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))
Q1 = dt.date(2026, 1, 1)

#: (row, KPI name in the card, period, value, note)
Row = tuple[int, str, dt.date, Any, str]


def _slow(card: Card, rows: list[Row], user: Any) -> Any:
    return measurement_bulk_record(
        rows=[MeasurementRow(n, getattr(card, k), d, v, note) for n, k, d, v, note in rows],
        user=user,
    )


def _fast(card: Card, rows: list[Row], user: Any, batch: int = 2) -> Any:
    kpis = {getattr(card, k).pk: getattr(card, k) for k in ("sales", "nps", "ratio", "free")}
    loaded = [(n, getattr(card, k).pk, d, v, note) for n, k, d, v, note in rows]
    batches = [loaded[i : i + batch] for i in range(0, len(loaded), batch)]
    return measurement_bulk_load(batches=batches, kpis=kpis, user=user)


def _stored() -> dict[str, Any]:
    """Every measurement and history entry, in the order written (ids replaced by places)."""
    measurements = list(Measurement.objects.order_by("id"))
    place = {m.pk: n for n, m in enumerate(measurements)}
    return {
        "measurements": [
            (m.kpi_id, m.period_start, m.value, m.note, m.recorded_by_id, m.recorded_at,
             m.superseded_at, m.approval, m.decided_by_id, m.decided_at)
            for m in measurements
        ],
        "history": [
            (c.at, c.actor_id, c.actor_name, c.action, c.kind,
             ("kpi", c.object_id) if c.action == "imported" else place.get(c.object_id),
             c.label, c.before, c.after, c.scorecard_id, c.objective_id, c.kpi_id)
            for c in Change.objects.filter(kind="measurement").order_by("id")
        ],
        # What the signals' receivers did: webhook deliveries queued, alerts raised.
        "deliveries": [
            (d.webhook_id, d.event, d.payload) for d in Delivery.objects.order_by("id")
        ],
        "alerts": sorted(
            (a.user_id, a.kind, a.title, a.url,
             re.sub(r"^approval:(\d+)$", lambda k: f"approval:{place[int(k[1])]}", a.key))
            for a in Alert.objects.all()
        ),
    }  # fmt: skip


class Outcome(NamedTuple):
    """What some loads returned and stored, and how many value history entries each
    load wrote."""

    results: list[Any]
    stored: dict[str, Any]
    bumped: bool
    entries: list[int]


def _outcome(card: Card, *writes: Callable[[], Any]) -> Outcome:
    """Run the ``writes`` in turn on a fresh copy of the data (rolled back afterwards)."""
    org = card.world.organization
    values = Change.objects.filter(kind="measurement")
    with transaction.atomic():
        before = Organization.objects.get(pk=org.pk).data_version
        results, entries = [], []
        with clock.frozen_at(dt.date(2026, 5, 10)):
            for write in writes:
                already = values.count()
                results.append(write())
                entries.append(values.count() - already)
        stored = _stored()
        bumped = Organization.objects.get(pk=org.pk).data_version != before
        transaction.set_rollback(True)
    return Outcome(results, stored, bumped, entries)


def _summed_up(slow: Outcome) -> list[Any]:
    """The history the bulk load writes, worked out from the row-by-row service's: in
    each load, its "recorded" entries (new values) become one "imported" entry per KPI —
    how many values, the first and last period — after the load's other entries."""
    history = slow.stored["history"]
    start = len(history) - sum(slow.entries)  # the entries from before the loads stay
    out = history[:start]
    for count in slow.entries:
        load, start = history[start : start + count], start + count
        out += [e for e in load if e[3] != "recorded"]
        by_kpi: dict[int, list[Any]] = {}
        for e in load:
            if e[3] == "recorded":
                by_kpi.setdefault(e[11], []).append(e)
        for kpi_id, new in sorted(by_kpi.items()):
            days = sorted(e[8]["period_start"] for e in new)
            at, actor, name, _, kind, _, label, _, _, scorecard, objective, _ = new[0]
            after = {"values": len(new), "period_start": days[0], "last_period_start": days[-1]}
            out.append((at, actor, name, "imported", kind, ("kpi", kpi_id), label, None, after,
                        scorecard, objective, kpi_id))  # fmt: skip
    return out


def _same(fast: Outcome, slow: Outcome) -> None:
    """The fast load returned and stored what the row-by-row service did, its history
    summed up (:func:`_summed_up`)."""
    assert fast.results == slow.results
    assert fast.bumped == slow.bumped
    assert {k: v for k, v in fast.stored.items() if k != "history"} == {
        k: v for k, v in slow.stored.items() if k != "history"
    }
    assert fast.stored["history"] == _summed_up(slow)


@pytest.fixture
def history(card: Card) -> Card:
    """Values stored earlier: some approved, one waiting for approval."""
    card.free.values_need_approval = True
    card.free.owner = card.world.admin
    card.free.save()
    with clock.frozen_at(dt.date(2026, 4, 2)):
        measurement_record(kpi=card.sales, period_start=JAN, value=50, note="first")
        measurement_record(kpi=card.sales, period_start=FEB, value=20, user=card.world.editor)
        measurement_record(kpi=card.free, period_start=JAN, value=7, user=card.world.admin)
        measurement_record(kpi=card.free, period_start=FEB, value=8, user=card.world.admin)
        measurement_record(kpi=card.free, period_start=MAR, value=9, user=card.world.admin)
        measurement_record(kpi=card.free, period_start=MAR, value=10, user=card.world.editor)
    return card


ROWS: list[Row] = [
    (2, "sales", JAN, 60.0, "first"),  # a correction of the value
    (3, "sales", FEB, 20.0, "now with a note"),  # a correction of the note only
    (4, "sales", MAR, 30.5, ""),  # new
    (5, "nps", Q1, -3.25, "  spaces  "),  # new, the note trimmed
    (6, "free", JAN, 7.0, ""),  # waits for approval, equal to the approved value: no entry
    (7, "free", FEB, 80.0, ""),  # waits for approval
    (8, "free", MAR, 11.0, ""),  # replaces the pending value
    (9, "free", APR, 1e12, "x"),  # waits for approval, nothing approved yet
]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["editor", "admin", None])
def test_the_fast_load_stores_what_the_row_by_row_service_stores(
    history: Card, user: str | None
) -> None:
    card = history
    who = getattr(card.world, user) if user else None
    first = ROWS
    # Then, in the same transaction, corrections of the rows just written, repeats of
    # values just written (unchanged) and new values.
    second: list[Row] = [
        (2, "sales", MAR, 31.0, ""),
        (3, "sales", JAN, 60.0, "first"),
        (4, "free", FEB, 81.0, "again"),
        (5, "nps", dt.date(2026, 4, 1), 12.0, ""),
    ]
    slow = _outcome(card, lambda: _slow(card, first, who), lambda: _slow(card, second, who))
    fast = _outcome(card, lambda: _fast(card, first, who), lambda: _fast(card, second, who))
    _same(fast, slow)
    assert fast.bumped  # the data version was raised
    assert len(slow.stored["history"]) > 6 and any(m[6] for m in slow.stored["measurements"])
    actions = [e[3] for e in fast.stored["history"][-sum(fast.entries) :]]
    assert {"corrected", "imported"} <= set(actions) and "recorded" not in actions


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row_number",
    [
        lambda n: n + 2,  # a file's rows one after the other: ids by an offset (SQLite)
        lambda n: n + 1000,  # the same, further down the file
        lambda n: 3 * n + 2,  # gaps (blank rows): ids numbered by a window function
        lambda n: n + 2 + (n > 20) * 5,  # one gap in the middle
    ],
)
def test_a_fresh_load_matches_too(card: Card, row_number: Callable[[int], int]) -> None:
    """Each entry of a value waiting for approval names its own new value, however the
    row numbers run; the new approved values are summed up per KPI."""
    card.free.values_need_approval = True
    card.free.owner = card.world.admin
    card.free.save()
    rows: list[Row] = [
        (row_number(n), "sales" if n % 2 else "free",
         dt.date(2020 + n // 24, n // 2 % 12 + 1, 1), n * 1.5, f"n{n}" if n % 3 else "")
        for n in range(48)
    ]  # fmt: skip
    slow = _outcome(card, lambda: _slow(card, rows, card.world.editor))
    fast = _outcome(card, lambda: _fast(card, rows, card.world.editor, batch=7))
    _same(fast, slow)
    assert slow.results[0].created == 48
    assert [e[3] for e in fast.stored["history"]] == ["submitted"] * 24 + ["imported"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        (4, "sales", MAR, math.inf, ""),
        (4, "sales", MAR, "twelve", ""),
        (4, "sales", dt.date(2026, 3, 5), 1.0, ""),
        (4, "ratio", MAR, 1.0, ""),
        (4, "sales", MAR, 1.0, "x" * 501),
        (4, "sales", JAN, 1.0, ""),  # repeats row 2
    ],
)
def test_a_bad_row_in_the_middle_gives_the_same_messages_and_writes_nothing(
    history: Card, bad: Row
) -> None:
    card = history
    rows: list[Row] = [
        (2, "sales", JAN, 61.0, ""),
        (3, "nps", Q1, 5.0, ""),
        bad,
        (5, "free", APR, 2.0, ""),
        (6, "sales", APR, 3.0, ""),
    ]
    stored = _stored()
    with pytest.raises(MeasurementRowsError) as slow:
        _slow(card, rows, card.world.editor)
    with pytest.raises(MeasurementRowsError) as fast:
        _fast(card, rows, card.world.editor)
    assert fast.value.row_errors == slow.value.row_errors
    assert _stored() == stored


@pytest.mark.django_db
def test_webhooks_and_alerts_get_the_same_from_the_one_summary_signal(history: Card) -> None:
    """The fast load sends one measurements_loaded signal instead of a signal per chunk:
    its receivers queue the same webhook deliveries (values recorded, statuses changed)
    and raise the same alerts (status turned red, values waiting for approval)."""
    card = history
    Webhook.objects.create(
        organization=card.world.organization, url="https://hooks.example.com/in",
        events=["measurement.recorded", "kpi.status_changed"], secret="s",
        created_at=clock.now(),
    )  # fmt: skip
    card.sales.owner = card.world.admin
    card.sales.save()
    rows: list[Row] = [(2, "sales", JAN, -500.0, "very red"), *ROWS[1:]]
    slow = _outcome(card, lambda: _slow(card, rows, card.world.editor))
    # In one batch: the signals' chunks are as large as the caller's batches, as when
    # the row-by-row service is called once per batch.
    fast = _outcome(card, lambda: _fast(card, rows, card.world.editor, batch=len(rows)))
    _same(fast, slow)
    stored = slow.stored
    assert {d[1] for d in stored["deliveries"]} == {"measurement.recorded", "kpi.status_changed"}
    assert {a[1] for a in stored["alerts"]} >= {"status", "approval"}


@pytest.mark.django_db
def test_nobody_listening_means_no_values_are_read_back(
    card: Card, django_assert_max_num_queries: Any
) -> None:
    """Without webhooks, owners, watchers or values waiting for approval, announcing a
    load costs a few queries whatever the number of rows (no value is read back)."""
    rows: list[Row] = [
        (n + 2, "free", dt.date(2000 + n // 12, n % 12 + 1, 1), float(n), "") for n in range(300)
    ]
    with django_assert_max_num_queries(30):
        done = _fast(card, rows, None, batch=100)
    assert done.created == 300


@pytest.mark.django_db
@pytest.mark.parametrize("checked", [True, False])
def test_rows_the_importer_checked_are_not_searched_for_repeats_again(
    card: Card, checked: bool
) -> None:
    """The importer finds repeats while it reads the file, so its checked rows skip the
    GROUP BY over every staged row; rows not checked by the caller still get it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [(n + 2, card.free.pk, f"{2000 + n // 12}-{n % 12 + 1:02d}-01", float(n), "")
            for n in range(30)]  # fmt: skip
    kpis = {card.free.pk: card.free}
    with CaptureQueriesContext(connection) as queries:
        done = measurement_bulk_load(batches=[rows], kpis=kpis, user=None, checked=checked)
    assert done.created == 30
    assert Measurement.objects.filter(kpi=card.free).count() == 30
    searched = any("HAVING COUNT(*) > 1" in q["sql"] for q in queries.captured_queries)
    assert searched is not checked
