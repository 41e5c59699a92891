"""Settings of the live servers of the reliability tests: the product's, one wait shorter.

SQLite waits up to 20 s for a lock in production; the lock test would wait as long for
every request, so here the wait is ``SCORECARD_TEST_SQLITE_TIMEOUT`` seconds (default 20).
"""

from __future__ import annotations

import os

from scorecard.settings import *  # noqa: F403
from scorecard.settings import DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["timeout"] = float(
        os.environ.get("SCORECARD_TEST_SQLITE_TIMEOUT", "20")
    )
