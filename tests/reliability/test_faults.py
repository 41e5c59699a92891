"""Faults: a large write killed half-way, a locked database, a database that is gone.

- A bulk upload (the API over HTTP, or the bulk service or the CSV import in a process
  of its own) SIGKILLed in the middle of its transaction leaves all of its rows or none.
- While SQLite is locked by another connection, pages and the API answer 503 with a
  sentence for people (no traceback); once the lock is released the next request works.
- When PostgreSQL cannot be reached, the same 503.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from . import live

MONTHS = [f"{2000 + n // 12}-{n % 12 + 1:02d}-01" for n in range(200)]


def bulk_rows(seeded: dict[str, Any]) -> list[dict[str, Any]]:
    """10,000 rows (the API's limit): 50 KPIs × 200 months."""
    return [
        {"kpi": kpi["id"], "period_start": month, "value": float(i)}
        for i, (kpi, month) in enumerate((k, m) for k in seeded["kpis"] for m in MONTHS)
    ]


def measurement_count(database: live.Database) -> int:
    return int(database.query("SELECT COUNT(*) FROM kpis_measurement")[0][0])


def writer_is_in_transaction(database: live.Database) -> bool:
    """True while another connection holds an open write transaction."""
    if database.sqlite_path is not None:
        conn = sqlite3.connect(database.sqlite_path, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True  # "database is locked": somebody is writing
        finally:
            conn.close()
    # PostgreSQL gives a transaction an id at its first write (or row lock).
    rows = database.query(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
    )
    return int(rows[0][0]) > 0


def test_bulk_upload_killed_mid_request_leaves_all_or_nothing(tmp_path: Path) -> None:
    with live.site(tmp_path, users=1, kpis=50) as site:
        server = site.serve(workers=1, threads=2)
        headers = live.token_headers(site.seeded["users"][0]["token"])
        # A first call records the token's use, so that the bulk call is the only writer.
        assert server.request("GET", "/api/v1/me", headers=headers)[0] == 200
        answers: list[Any] = []

        def upload() -> None:
            try:
                answers.append(
                    server.request(
                        "POST", "/api/v1/measurements/bulk", bulk_rows(site.seeded),
                        headers=headers,
                    )[0]
                )  # fmt: skip
            except OSError as exc:
                answers.append(exc)

        thread = threading.Thread(target=upload)
        thread.start()
        deadline = time.monotonic() + 60
        while not writer_is_in_transaction(site.database) and time.monotonic() < deadline:
            assert thread.is_alive(), f"the upload ended before it was caught: {answers}"
            time.sleep(0.002)
        server.kill()
        thread.join(timeout=30)
        assert answers and not isinstance(answers[0], int), "the upload finished first"

        assert measurement_count(site.database) in (0, len(MONTHS) * 50)
        if site.database.is_sqlite:
            assert site.database.query("PRAGMA integrity_check") == [("ok",)]
        # A restarted server takes the same upload in full.
        server = site.serve(workers=1, threads=2)
        status, body, _ = server.request(
            "POST", "/api/v1/measurements/bulk", bulk_rows(site.seeded), headers=headers
        )
        assert status == 200, body[:300]
        assert measurement_count(site.database) == len(MONTHS) * 50


def _importer_available() -> bool:
    return importlib.util.find_spec("scorecard.imports") is not None


def _csv(path: Path, seeded: dict[str, Any]) -> Path:
    """Every seeded KPI for every month; values within the KPIs' 0-100 scale, so that
    the importer's sanity check (ten times the scale) accepts every row."""
    lines = ["kpi,period,value"]
    lines += [f"{kpi['code']},{month},{n % 100}" for n, (kpi, month) in
              enumerate((k, m) for k in seeded["kpis"] for m in MONTHS)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("mode", ["service", "import"])
@pytest.mark.parametrize("killed", [True, False], ids=["killed", "completed"])
def test_bulk_write_killed_after_inserting_rows_leaves_nothing(
    tmp_path: Path, mode: str, killed: bool
) -> None:
    """The writer announces each INSERT and pauses inside the transaction; we kill it then.

    The ``completed`` runs (not killed) show that the same write does store every row.
    """
    if mode == "import" and not _importer_available():
        pytest.skip("scorecard.imports (the CSV importer) is not installed in this tree")
    rows = len(MONTHS) * 50
    with live.site(tmp_path, users=1, kpis=50) as site:
        command = [live.PYTHON, str(live.HERE / "bulk_writer.py"), str(rows),
                   "5" if killed else "0", mode]  # fmt: skip
        if mode == "import":
            command.append(str(_csv(tmp_path / "values.csv", site.seeded)))
        writer = subprocess.Popen(
            command,
            env=live.base_env(site.database.url, site.data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=live.ROOT,
        )
        try:
            assert writer.stdout is not None
            first = writer.stdout.readline().strip()
            assert first == "inserted", writer.stderr.read() if writer.stderr else first
            if killed:
                # Rows are in the open transaction now; the writer sleeps before the next.
                writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=120)
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
        if killed:
            assert writer.returncode == -signal.SIGKILL
            assert measurement_count(site.database) == 0
        else:
            assert writer.returncode == 0
            assert measurement_count(site.database) == rows


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite's file lock"
)
def test_locked_sqlite_answers_503_for_people_and_recovers(tmp_path: Path) -> None:
    with live.site(tmp_path, users=1, kpis=1) as site:
        # Connections closed after each request, so that the holder below can take the file
        # (a kept connection keeps EXCLUSIVE locking mode out: live_settings.py).
        server = site.serve(
            workers=1,
            threads=4,
            extra_env={
                "SCORECARD_TEST_SQLITE_TIMEOUT": "0.5",
                "SCORECARD_TEST_SQLITE_CONN_MAX_AGE": "0",
            },
        )
        user = site.seeded["users"][0]
        page = live.session_headers(user["session"])
        token = live.token_headers(user["token"])
        scorecard_page = f"/o/{site.seeded['organization']}/s/{site.seeded['scorecard']}/"
        write = {"kpi": site.seeded["kpis"][0]["id"], "period_start": "2026-01-01", "value": 3}
        assert server.request("GET", scorecard_page, headers=page)[0] == 200

        assert site.database.sqlite_path is not None
        holder = sqlite3.connect(site.database.sqlite_path, isolation_level=None)
        # Exclusive locking mode keeps even readers out, as a backup tool or a stuck
        # process holding the file would.
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        try:
            status, body, headers = server.request("GET", scorecard_page, headers=page)
            assert status == 503
            text = body.decode()
            assert "temporarily unavailable" in text and "try again" in text.lower()
            assert "Traceback" not in text and "OperationalError" not in text
            assert headers.get("Retry-After") == "30"

            status, body, _ = server.request("POST", "/api/v1/measurements", write, headers=token)
            assert status == 503
            assert b"cannot reach its database" in body and b"Traceback" not in body
        finally:
            holder.close()

        # The lock is gone: the very next requests work, with nothing to restart.
        assert server.request("GET", scorecard_page, headers=page)[0] == 200
        assert server.request("POST", "/api/v1/measurements", write, headers=token)[0] == 201
        assert site.database.query("SELECT value FROM kpis_measurement") == [(3.0,)]


def test_unreachable_postgresql_answers_503_for_people(tmp_path: Path) -> None:
    closed = live.free_port()  # nothing listens there
    server = live.start_server(
        f"postgres://scorecard:scorecard@127.0.0.1:{closed}/scorecard", tmp_path, workers=1
    )
    try:
        status, body, headers = server.request(
            "GET",
            "/o/acme/s/company/",
            headers={"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"},
        )
        assert status == 503
        assert b"temporarily unavailable" in body and b"Traceback" not in body
        assert headers.get("Retry-After") == "30"
        status, body, _ = server.request(
            "GET", "/api/v1/me", headers=live.token_headers("sct_abcdef12_secret")
        )
        assert status == 503
        assert b"cannot reach its database" in body and b"Traceback" not in body
    finally:
        server.stop()
