"""Real sources for the data source tests: a SQLite file, a PostgreSQL database of its
own, and a web server on loopback serving CSV and JSON."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.factories import KpiFactory, ObjectiveFactory, PerspectiveFactory
from tests.pgadmin import drop_database

#: The PostgreSQL database the source tests read (not the test database of Django).
PG_SOURCE = "scorecard_sources_src"


@dataclass
class Kpis:
    revenue: Any
    nps: Any


@pytest.fixture
def kpis(world: Any) -> Kpis:
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Financial")
    objective = ObjectiveFactory(perspective=perspective, code="grow", name="Grow")
    return Kpis(
        revenue=KpiFactory(objective=objective, code="revenue", name="Revenue", maximum=1000),
        nps=KpiFactory(objective=objective, code="nps", name="Net promoter score"),
    )


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    """A SQLite database of monthly sales, as a finance system might keep them."""
    path = tmp_path / "finance.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE sales (month TEXT, amount REAL, kpi TEXT)")
        db.executemany(
            "INSERT INTO sales VALUES (?, ?, ?)",
            [
                ("2026-08-01", 410.5, "revenue"),
                ("2026-09-01", 455.0, "revenue"),
                ("2026-10-01", 498.25, "revenue"),
                ("2026-10-01", 47, "nps"),
            ],
        )
    db.close()
    return path


@pytest.fixture
def pg_source_url() -> Iterator[str]:
    """A PostgreSQL database of its own with a table of values (skipped without a server)."""
    psycopg = pytest.importorskip("psycopg")
    base = os.environ.get("SOURCE_PG", "postgresql://scorecard:scorecard@127.0.0.1:5432")
    try:
        admin = psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server for the source tests")
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_SOURCE}")
        admin.execute(f"CREATE DATABASE {PG_SOURCE}")
    with psycopg.connect(f"{base}/{PG_SOURCE}", autocommit=True) as db:
        db.execute("CREATE TABLE kpi_values (code text, period date, amount numeric(10, 2))")
        db.execute(
            "INSERT INTO kpi_values VALUES ('revenue', '2026-09-01', 455.00), "
            "('revenue', '2026-10-01', 498.25), ('nps', '2026-10-01', 47)"
        )
        db.execute("CREATE SEQUENCE counter")
    yield f"{base}/{PG_SOURCE}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        drop_database(admin, PG_SOURCE)


@dataclass
class WebSource:
    """A web server on loopback; ``pages`` maps a path to (content type, body)."""

    url: str
    pages: dict[str, tuple[str, bytes]]
    seen_headers: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def web(settings: Any) -> Iterator[WebSource]:
    settings.SCORECARD_DATA_SOURCE_ALLOW_HOSTS = ["127.0.0.1"]
    pages: dict[str, tuple[str, bytes]] = {
        "/values.csv": (
            "text/csv",
            b"kpi_code,period,value\nrevenue,2026-09-01,455\nrevenue,2026-10-01,498.25\n",
        ),
        "/values.json": (
            "application/json",
            json.dumps(
                {"data": {"items": [{"month": "2026-10-01", "total": 498.25, "extra": "x"}]}}
            ).encode(),
        ),
    }
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(dict(self.headers.items()))
            path = self.path.split("?", 1)[0]
            if path == "/slow":
                time.sleep(3)
            if path == "/private" and self.headers.get("Authorization") != "Bearer tok-Sec-77":
                self.send_response(401)
                self.end_headers()
                return
            if path == "/private":
                path = "/values.csv"
            if path not in pages:
                self.send_response(404)
                self.end_headers()
                return
            kind, body = pages[path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield WebSource(f"http://127.0.0.1:{server.server_address[1]}", pages, seen)
    finally:
        server.shutdown()
        server.server_close()
