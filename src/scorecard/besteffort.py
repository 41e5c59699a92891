"""Bookkeeping writes that never make a read wait or fail.

Some writes only keep notes: when an API token was last used, who opened a KPI's page
today. On SQLite they need the database's one write lock, which an import or another
writer may hold for a while; a read must not wait for that lock, nor fail with
"database is locked" when the busy timeout runs out. :func:`bookkeeping` tries such a
write once without waiting and skips it when the lock is taken (it is noted again on
the next visit). On PostgreSQL the write is done as usual; errors are skipped too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection

log = logging.getLogger(__name__)


@contextmanager
def _no_waiting() -> Iterator[None]:
    """On SQLite, give up at once instead of waiting for the write lock."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        waited = int(cursor.execute("PRAGMA busy_timeout").fetchone()[0])
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {waited}")


def bookkeeping(write: Callable[[], object], *, what: str) -> bool:
    """Run ``write`` if the database takes it right now; False when it was skipped."""
    if connection.in_atomic_block:
        # Inside the caller's transaction: an error must reach the caller, who rolls back.
        write()
        return True
    try:
        with _no_waiting():
            write()  # one statement, in autocommit mode
    except DatabaseError as exc:  # "database is locked": skip it, the read goes on
        log.info("%s not recorded this time (%s)", what, exc)
        return False
    return True
