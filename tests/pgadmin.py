"""Dropping a PostgreSQL database a test made, whoever is still connected to it."""

from __future__ import annotations

import time
from typing import Any

#: How long a drop keeps trying while a process of another role is connected.
DROP_WAIT_SECONDS = 10.0


def drop_database(admin: Any, name: str) -> None:
    """``DROP DATABASE … WITH (FORCE)`` on the autocommit connection ``admin``.

    FORCE ends the test's own connections, but the drop fails with "must be a member of
    the role whose process is being terminated" when a server process of the database
    cannot be signalled at that instant: seen 15 ms after a test killed its writer, whose
    server process was still ending (rolling its transaction back); autovacuum's worker,
    of another role, can be connected for a moment too. Such a process leaves within
    moments: try again until it has, then say why.
    """
    import psycopg

    deadline = time.monotonic() + DROP_WAIT_SECONDS
    while True:
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
