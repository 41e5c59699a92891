"""The people that history entries and decisions name, kept right without a constraint.

A history entry's ``actor`` and a value's ``decided_by`` are foreign keys without a
database constraint (``db_constraint=False``, issue 16): an import writes one history
entry per value, and PostgreSQL checks each inserted row's keys one by one at the
commit — a million checks for the same one person. What the constraint guaranteed is
kept by other means:

- the services only ever write the id of the person doing the change, who exists;
- deleting a person still empties these fields: Django's ``on_delete=SET_NULL`` runs
  an ``UPDATE … WHERE actor_id = …`` (through the field's index) before the
  ``DELETE``, as it did with the constraint;
- a deletion and a write running at the same time are serialized on the person's
  row (PostgreSQL; SQLite has one writer at a time): a large write holds the person
  with :func:`person_hold` — the lock a foreign-key check takes, once per load
  instead of once per row — and a deletion first locks the row for update
  (:func:`deletion_lock`), so its ``SET NULL`` runs after any load holding the person
  has committed and sees its rows, and a load that starts later finds the person
  gone and stops.

A single change racing with its own author's deletion can still leave a plain id of
nobody behind; every reader takes such an id for "no account" (the history shows
``actor_name``, the text kept with the entry).
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
    """Inside the caller's transaction: the person ``user_id`` cannot be deleted until
    it ends (PostgreSQL: ``FOR KEY SHARE``, which does not block other readers or
    writers of the row). Raises :class:`PersonGone` when nobody has that id any more.
    Nothing for no person, nor on SQLite (its writers take turns)."""
    if user_id is None or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_user_table()} WHERE id = %s FOR KEY SHARE", [user_id])
        if cursor.fetchone() is None:
            raise PersonGone(_("The account doing this was deleted meanwhile."))


def deletion_lock(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``pre_delete`` of a person: lock the row for update before Django empties the
    fields that name it, so a load holding the person finishes first (PostgreSQL)."""
    if connection.vendor != "postgresql" or instance.pk is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_user_table()} WHERE id = %s FOR UPDATE", [instance.pk])
