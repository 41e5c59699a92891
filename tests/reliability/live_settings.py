"""Settings of the live servers of the reliability tests: the product's, one wait shorter.

SQLite waits up to 20 s for a lock in production; the lock test would wait as long for
every request, so here the wait is ``SCORECARD_TEST_SQLITE_TIMEOUT`` seconds (default 20).
``SCORECARD_TEST_SQLITE_CONN_MAX_AGE`` (default: the product's 60 s) lets the lock test
close connections after each request: a connection the server keeps open keeps a process
asking for SQLite's EXCLUSIVE locking mode out, so the test could not lock the file.
"""

from __future__ import annotations

import os

from scorecard.settings import *  # noqa: F403
from scorecard.settings import DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["timeout"] = float(
        os.environ.get("SCORECARD_TEST_SQLITE_TIMEOUT", "20")
    )
    if "SCORECARD_TEST_SQLITE_CONN_MAX_AGE" in os.environ:
        DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["SCORECARD_TEST_SQLITE_CONN_MAX_AGE"])
