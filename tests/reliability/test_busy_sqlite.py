"""Readers never wait for a writer; writers wait their turn (issue 19, item 3).

During a long CLI import even API reads answered 503 on SQLite, because checking a
token wrote its ``last_used_at`` and a KPI page noted the visit, and both waited for the
importer's write lock until the busy timeout ran out. Here another connection holds the
write lock (``BEGIN IMMEDIATE``, as an import does) while people read: every read
answers 200 at once. A write sent meanwhile waits and succeeds once the lock is free.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from . import live

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite's write lock"
)


def test_reads_do_not_wait_for_a_writer_and_writes_wait_their_turn(tmp_path: Path) -> None:
    with live.site(tmp_path, users=2, kpis=2) as site:
        # A short busy timeout: a read that waited for the lock would fail after 3 s.
        server = site.serve(workers=1, threads=6, extra_env={"SCORECARD_TEST_SQLITE_TIMEOUT": "3"})
        seeded = site.seeded
        card = f"/o/{seeded['organization']}/s/{seeded['scorecard']}/"
        kpi = seeded["kpis"][0]
        reads: list[tuple[str, dict[str, str]]] = []
        for user in seeded["users"]:
            token = live.token_headers(user["token"])
            page = live.session_headers(user["session"])
            reads += [
                ("/api/v1/scorecards", token),
                (f"/api/v1/kpis/{kpi['id']}", token),
                (card, page),
                (f"{card}kpi/{kpi['code']}/", page),
            ]

        assert site.database.sqlite_path is not None
        holder = sqlite3.connect(site.database.sqlite_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, as an import's transaction
        holder.execute("UPDATE kpis_kpi SET name = name")
        try:
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=6) as pool:
                answers = list(
                    pool.map(lambda r: server.request("GET", r[0], headers=r[1]), reads * 2)
                )
            assert [status for status, _, _ in answers] == [200] * len(answers), [
                (path, status) for (path, _), (status, _, _) in zip(reads * 2, answers, strict=True)
            ]
            # Hold the lock past the busy timeout, so that a waiting read would have failed.
            time.sleep(max(0.0, started + 3.5 - time.monotonic()))

            # A write waits for the lock (up to the busy timeout) instead of failing.
            user = seeded["users"][0]
            write = {"kpi": kpi["id"], "period_start": "2026-01-01", "value": 7}
            result: dict[str, Any] = {}

            def post() -> None:
                result["answer"] = server.request(
                    "POST", "/api/v1/measurements", write, headers=live.token_headers(user["token"])
                )

            writer = threading.Thread(target=post)
            writer.start()
            time.sleep(0.8)
            assert "answer" not in result  # still waiting for the lock
        finally:
            holder.execute("COMMIT")
            holder.close()
        writer.join(timeout=30)
        assert result["answer"][0] == 201, result["answer"][1][:500]
        assert site.database.query("SELECT value FROM kpis_measurement") == [(7.0,)]
