"""A value's KPI, kept right without a database constraint.

A value's ``kpi`` is a foreign key without a database constraint (``db_constraint=False``,
issue 16, the million-row import on PostgreSQL): PostgreSQL checked the key of every
inserted value one by one at the commit (a trigger call and a look-up of the KPI per
row: ~1 s per 200,000 imported values). What the constraint guaranteed — no value
names a KPI that does not exist — is kept by other means, as for the people a value
names (``audit.integrity``):

- every writer of new values *holds* their KPIs for its transaction with
  :func:`kpi_hold` — on PostgreSQL the lock a foreign-key check takes (``FOR KEY
  SHARE``), once per transaction and KPI instead of once per row: the set-based load
  (:mod:`kpis.bulkload`) and ``measurement_bulk_record`` hold their KPIs explicitly;
  every value saved one at a time (``measurement_record``, the admin) is held by
  :func:`creation_hold`, a ``pre_save`` receiver; the document load writes values only
  for the KPIs it has just created in the same transaction, which nobody else can see;
- a deletion of a KPI first locks its row for update (:func:`deletion_lock`, a
  ``pre_delete`` receiver, which Django's collector sends before it deletes anything,
  the values included; a deletion of many KPIs — a scorecard, an objective — locks them
  all with one statement in the order of their ids, as loads hold them), so it waits
  for every transaction holding the KPI; the
  collector's ``DELETE`` of the KPI's values (``on_delete=CASCADE``, done by Django, as
  it always was: the constraint never cascaded) then sees their values and deletes them;
  a writer that comes after finds the KPI gone and stops (:class:`KpiGone`), as the
  constraint would have made its commit fail;
- on SQLite, write transactions begin ``IMMEDIATE`` (settings): a writer's check that
  its KPIs exist sees the latest state and nobody can delete meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from .models import Kpi

#: KPI ids per statement (SQLite's bound-parameter limit is far above it).
CHUNK = 900


class KpiGone(Exception):
    """A KPI the values are for was deleted meanwhile."""


def _kpi_table() -> str:
    return str(connection.ops.quote_name(Kpi._meta.db_table))


def kpi_hold(kpi_ids: Iterable[int]) -> None:
    """Inside the caller's transaction: every KPI of ``kpi_ids`` exists and cannot be
    deleted until the transaction ends (PostgreSQL: ``FOR KEY SHARE`` in the order of
    the ids, which blocks no reader nor any other writer of the rows; SQLite: the write
    transaction itself). Raises :class:`KpiGone` when one of them is gone."""
    ids = sorted({int(pk) for pk in kpi_ids})
    lock = " ORDER BY id FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT id FROM {_kpi_table()} WHERE id IN ({marks}){lock}", chunk)
            if len(cursor.fetchall()) != len(chunk):
                raise KpiGone(_("A KPI these values are for was deleted meanwhile."))


def creation_hold(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """``pre_save`` of a value: a new value saved on its own holds its KPI (fixtures
    loaded raw are left alone, as the constraint checked them at their commit only)."""
    if raw or not instance._state.adding or instance.kpi_id is None:
        return
    kpi_hold([instance.kpi_id])


def deletion_lock(sender: Any, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    """``pre_delete`` of a KPI: lock the row for update before Django deletes its values,
    so a load holding the KPI finishes first and its values are deleted too
    (PostgreSQL; on SQLite the deleting transaction holds the write lock already).

    Django sends ``pre_delete`` for every KPI a deletion takes, one after the other and
    in no particular order, before it deletes anything. The first KPI of a deletion locks
    every KPI under what is deleted (``origin``: a scorecard, an objective, a unit, an
    organization, or a query of those or of KPIs) in one statement, in the order of their
    ids — the order a load holds its KPIs in (:func:`kpi_hold`), so that a deletion and a
    load never wait for each other crosswise (a deadlock, which PostgreSQL ended by
    failing one of them) — and the KPIs after it find themselves locked already: one
    query for a scorecard of any size instead of one per KPI."""
    if connection.vendor != "postgresql" or instance.pk is None:
        return
    # The deletion's own transaction block (Django's collector opens a new one for each
    # deletion): a deletion that failed and is tried again locks its KPIs again.
    block = connection.atomic_blocks[-1] if connection.atomic_blocks else None
    deletion = _deletion
    if origin is None or deletion.origin is not origin or deletion.block is not block:
        deletion.origin, deletion.block = origin, block
        deletion.locked = _lock_under(origin) if block is not None else frozenset()
    if instance.pk in deletion.locked:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_kpi_table()} WHERE id = %s FOR UPDATE", [instance.pk])


def deletion_done(sender: Any, **kwargs: Any) -> None:
    """``post_delete`` of a KPI: the deletion's KPIs are deleted; forget them, so that a
    later deletion (in another transaction) locks its own."""
    _deletion.origin, _deletion.block, _deletion.locked = None, None, frozenset()


class _Deletion(threading.local):
    """The deletion under way in this thread: what it deletes and the KPIs it locked."""

    origin: Any = None
    block: Any = None  # the transaction block it runs in
    locked: frozenset[int] = frozenset()


_deletion = _Deletion()

#: From a model whose deletion takes KPIs with it, the way from a KPI to it.
_KPI_PATHS = {
    "kpis.kpi": "pk",
    "strategy.objective": "objective",
    "strategy.perspective": "objective__perspective",
    "strategy.scorecard": "scorecard",
    "organizations.unit": "scorecard__unit",
    "organizations.organization": "scorecard__organization",
}


def _lock_under(origin: Any) -> frozenset[int]:
    """Lock for update, in the order of their ids, the KPIs under ``origin`` (a model
    instance or a query whose deletion takes KPIs with it); their ids. Nothing for
    anything else (each KPI is then locked on its own)."""
    if isinstance(origin, QuerySet):
        path = _KPI_PATHS.get(origin.model._meta.label_lower)
        where = {f"{path}__in": origin.values("pk")} if path else None
    elif isinstance(origin, Model) and origin.pk is not None:
        path = _KPI_PATHS.get(origin._meta.label_lower)
        where = {path: origin.pk} if path else None
    else:
        where = None
    if where is None:
        return frozenset()
    locked = Kpi.objects.filter(**where).order_by("pk").select_for_update(of=("self",))
    return frozenset(locked.values_list("pk", flat=True))
