"""scorecard.rawrows builds model objects from a hand-written query's row as the ORM
would (issue 16): the same values with the same types on SQLite and PostgreSQL (the
backend's converters and a field's own ``from_db_value``, here JSON), None for a LEFT
JOIN that found nothing, and objects marked as loaded from the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from scorecard.audit.models import Change
from scorecard.rawrows import Table

pytestmark = pytest.mark.django_db

CHANGE = Table(Change, "c")
ACTOR = Table(get_user_model(), "a")


def _row(pk: int) -> Any:
    """The change ``pk`` with its actor (LEFT JOIN), by hand."""
    c, a = CHANGE, ACTOR
    sql = (
        f"SELECT {c.columns(connection)}, {a.columns(connection)} FROM {c.source(connection)} "
        f"LEFT OUTER JOIN {a.source(connection)} "
        f"ON {a.column(connection, 'id')} = {c.column(connection, 'actor')} "
        f"WHERE {c.column(connection, 'id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchone()


def _fields(obj: Any) -> dict[str, tuple[Any, type]]:
    return {
        f.attname: (getattr(obj, f.attname), type(getattr(obj, f.attname)))
        for f in obj._meta.concrete_fields
    }


def _change(**fields: Any) -> Change:
    values = {
        "at": dt.datetime(2026, 12, 3, 2, 30, 15, 123456, tzinfo=dt.UTC),
        "action": "changed",
        "kind": "kpi",
        "object_id": 7,
        "label": "Revenue – €",
        "before": {"target": 1.5, "names": ["a", "b"], "on": True},
        "after": [1, None, "x"],
    }
    return Change.objects.create(**(values | fields))


def test_json_dates_and_booleans_come_back_as_the_orm_gives_them() -> None:
    actor = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    change = _change(actor=actor)
    row = _row(change.pk)
    built = CHANGE.build(connection, row, 0)
    user = ACTOR.build(connection, row, CHANGE.width)
    assert _fields(built) == _fields(Change.objects.get(pk=change.pk))
    assert _fields(user) == _fields(get_user_model().objects.get(pk=actor.pk))
    assert built.before == {"target": 1.5, "names": ["a", "b"], "on": True}
    assert built.at == change.at and built.at.tzinfo is not None
    assert user.is_active is True and user.is_staff is False
    for obj in (built, user):
        assert obj._state.adding is False and obj._state.db == "default"


def test_a_left_join_that_found_nothing_builds_none() -> None:
    change = _change(actor=None, before=None)
    row = _row(change.pk)
    assert ACTOR.build(connection, row, CHANGE.width) is None
    built = CHANGE.build(connection, row, 0)
    assert built.actor_id is None and built.before is None
