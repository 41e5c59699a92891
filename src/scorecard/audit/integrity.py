"""The people that values, decisions and history entries name, kept right without a
database constraint.

A value's ``recorded_by`` and ``decided_by`` and a history entry's ``actor`` are
foreign keys without a database constraint (``db_constraint=False``, issue 16): an
import writes a value and a history entry per row, and PostgreSQL checks each inserted
row's keys one by one at the commit — two million checks of the same one person for a
million rows. What the constraint guaranteed is kept by other means:

- every writer names only the person doing the change and *holds* that person for its
  transaction with :func:`person_hold` — on PostgreSQL the lock a foreign-key check
  takes (``FOR KEY SHARE``), once per transaction and person instead of once per row;
  the history's writers (``record_change``, ``record_changes``) do it for every service,
  and each value service records its values' history in the same transaction with the
  recorder as actor; the set-based load and the document load hold their person too;
- a deletion of a person first locks the row for update (:func:`deletion_lock`, a
  ``pre_delete`` receiver), so it waits for every transaction holding the person, and
  then Django's ``on_delete=SET_NULL`` empties the fields (an ``UPDATE … WHERE … = id``,
  through the field's index where it has one; a value's ``recorded_by`` has none, so
  that one scans the values) seeing all their rows; a writer that comes later finds
  the person gone and stops (:class:`PersonGone`), as the constraint would have made
  its commit fail;
- on SQLite, write transactions begin ``IMMEDIATE`` (settings): a writer's check that
  the person exists sees the latest state and nobody can delete meanwhile.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext as _


class PersonGone(Exception):
    """The person a write names was deleted meanwhile."""


def _user_table() -> str:
    return str(connection.ops.quote_name(get_user_model()._meta.db_table))


def person_hold(user_id: int | None) -> None:
    """Inside the caller's transaction: the person ``user_id`` exists and cannot be
    deleted until the transaction ends (PostgreSQL: ``FOR KEY SHARE``, which blocks no
    reader nor any other writer of the row; SQLite: the write transaction itself).
    Raises :class:`PersonGone` when nobody has that id any more; nothing for None."""
    if user_id is None:
        return
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_user_table()} WHERE id = %s{lock}", [user_id])
        if cursor.fetchone() is None:
            raise PersonGone(_("The account doing this was deleted meanwhile."))


def deletion_lock(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``pre_delete`` of a person: lock the row for update before Django empties the
    fields that name it, so a load holding the person finishes first (PostgreSQL)."""
    if connection.vendor != "postgresql" or instance.pk is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_user_table()} WHERE id = %s FOR UPDATE", [instance.pk])
