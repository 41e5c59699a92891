"""Django's database sessions, with the read every signed-in request makes written once.

``SESSION_ENGINE`` points here. The store is Django's own (``backends.db``: the same
table, the same signed data, every session made before still valid); only the one read of
each request is hand-written SQL, built once per process (scorecard.rawrows), because the
ORM compiled that query again on every request (issue 16, docs/performance.md). Sessions
stay in the database, never in a per-process cache: a session signed out in one worker
must be gone in every other one at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from scorecard.rawrows import Table

#: The session table in the one query.
_SESSION = Table(Session, "d")
#: That query's SQL by database vendor, written once per process.
_SQL: dict[str, str] = {}


def _session_sql(connection: BaseDatabaseWrapper) -> str:
    """The unexpired session with a key: the key and the moment are its parameters."""
    sql = _SQL.get(connection.vendor)
    if sql is None:
        d, c = _SESSION, connection
        sql = _SQL[connection.vendor] = (
            f"SELECT {d.columns(c)} FROM {d.source(c)} "
            f"WHERE {d.column(c, 'session_key')} = %s AND {d.column(c, 'expire_date')} > %s"
        )
    return sql


class SessionStore(db.SessionStore):
    """Database sessions (Django's), read with SQL written once per process."""

    def _get_session_from_db(self) -> Any:
        """The unexpired session of this key, as Django's store reads it, or None (and
        the key forgotten, as Django's store does, so that a new one is made)."""
        connection = connections[router.db_for_read(self.model)]
        # The moment as the ORM would send it (on SQLite: naive UTC text).
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(connection), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return _SESSION.build(connection, row, 0)
