"""A SQLite connection kept between requests holds nothing between them (issue 16).

Kept connections (``SCORECARD_SQLITE_CONN_MAX_AGE``, 60 s by default) are safe only if
a request leaves its connection with no transaction and no unfinished statement: one
that kept a read snapshot would be refused the write lock at once ("database is
locked", SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT: SQLite does not wait when a connection
that already reads asks to write), instead of waiting for the busy timeout.

One gunicorn worker with one thread, so that every request uses the same kept
connection: after pages and API reads on it, another process commits a value (the
kept connection's old snapshot, if it had one, would now be stale) and then holds the
write lock for a while. A write sent meanwhile must wait for the lock and succeed.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from . import live

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite's kept connections"
)

#: How long the other process holds the write lock (well under the busy timeout).
HOLD_SECONDS = 1.5


def test_a_kept_connection_waits_for_the_write_lock_after_reading(tmp_path: Path) -> None:
    with live.site(tmp_path, users=1, kpis=2) as site:
        # No override: the product's own default keeps the connection between requests.
        server = site.serve(workers=1, threads=1, extra_env={"SCORECARD_TEST_SQLITE_TIMEOUT": "20"})
        seeded = site.seeded
        user = seeded["users"][0]
        token, page = live.token_headers(user["token"]), live.session_headers(user["session"])
        card = f"/o/{seeded['organization']}/s/{seeded['scorecard']}/"
        kpi = seeded["kpis"][0]
        for path, headers in [
            (card, page),
            (f"{card}kpi/{kpi['code']}/", page),
            ("/api/v1/scorecards", token),
            (f"/api/v1/scorecards/{seeded['scorecard_id']}/scores", token),
        ]:
            status, body, _ = server.request("GET", path, headers=headers)
            assert status == 200, (path, body[:300])

        assert site.database.sqlite_path is not None
        other = sqlite3.connect(site.database.sqlite_path, isolation_level=None, timeout=20)
        try:
            # A commit by someone else: a snapshot kept from the reads above is now old.
            other.execute("UPDATE kpis_kpi SET name = name || '' WHERE id = ?", (kpi["id"],))
            other.execute("BEGIN IMMEDIATE")  # and the write lock, as an import holds it
            result: dict[str, Any] = {}

            def post() -> None:
                started = time.monotonic()
                result["answer"] = server.request(
                    "POST",
                    "/api/v1/measurements",
                    {"kpi": kpi["id"], "period_start": "2026-01-01", "value": 7},
                    headers=token,
                )
                result["seconds"] = time.monotonic() - started

            writer = threading.Thread(target=post)
            writer.start()
            time.sleep(HOLD_SECONDS)
            assert "answer" not in result, result  # refused at once instead of waiting
        finally:
            if other.in_transaction:
                other.execute("COMMIT")
            other.close()
        writer.join(timeout=30)
        status, body, _ = result["answer"]
        assert status == 201, body[:500]
        assert result["seconds"] >= HOLD_SECONDS * 0.9  # it waited for the lock
        assert site.database.query("SELECT value FROM kpis_measurement") == [(7.0,)]
