"""A real server in a subprocess for the reliability tests.

Each site gets its own database (a SQLite file in a temporary directory, or a fresh
PostgreSQL database on the server that ``DATABASE_URL`` points at), migrated and seeded
by ``seed.py`` in a subprocess, and is served by gunicorn (threaded workers) on a free
port of the loopback interface. Requests go over real HTTP with ``http.client``.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
#: A CSRF secret of the right shape: sent both as the cookie and as the header.
CSRF = "reliabilitycsrfsecret0123456789a"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment of a server or script: our sources first, settings for a plain HTTP site."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="tests.reliability.live_settings",
        DATABASE_URL=database_url,
        SCORECARD_DATA_DIR=str(data_dir),
        DEBUG="0",
        SECURE_COOKIES="0",
        LOG_LEVEL="CRITICAL",
    )
    env.update(extra)
    return env


@dataclass
class Database:
    """One throw-away database: its URL and how to read it without Django."""

    url: str
    sqlite_path: Path | None = None
    admin_url: str | None = None
    name: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.sqlite_path is not None

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` (SQLite placeholders ``?`` are turned into ``%s`` for PostgreSQL)."""
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path, timeout=30) as conn:
                return list(conn.execute(sql, params).fetchall())
        import psycopg

        with psycopg.connect(self.url) as conn:
            return list(conn.execute(sql.replace("?", "%s"), params).fetchall())

    def drop(self) -> None:
        """Remove the PostgreSQL database (SQLite files go with the temporary directory)."""
        if self.admin_url is None:
            return
        import psycopg

        from tests.pgadmin import drop_database

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            drop_database(conn, self.name)


def new_database(tmp: Path) -> Database:
    """A fresh empty database of the kind the test run uses (``DATABASE_URL`` or SQLite)."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        path = tmp / "live.sqlite3"
        return Database(url=f"sqlite:///{path}", sqlite_path=path)
    import psycopg

    parts = urlsplit(configured)
    name = f"{parts.path.lstrip('/') or 'scorecard'}_live_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return Database(
        url=urlunsplit(parts._replace(path=f"/{name}")),
        admin_url=admin,
        name=name,
    )


def seed(database: Database, data_dir: Path, **options: Any) -> dict[str, Any]:
    """Migrate and fill the database (seed.py in a subprocess); return what it created."""
    result = subprocess.run(
        [PYTHON, str(HERE / "seed.py"), json.dumps(options)],
        env=base_env(database.url, data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@dataclass
class Server:
    """A gunicorn process group serving the site on ``port``."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the master and its workers (the whole process group)."""
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no clean-up code runs."""
        self.stop(signal.SIGKILL)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> tuple[int, bytes, dict[str, str]]:
        """One HTTP request on a new connection: (status, body, headers)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            send_headers = dict(headers or {})
            data: bytes | None = None
            if body is not None:
                if isinstance(body, dict | list):
                    data = json.dumps(body).encode()
                    send_headers.setdefault("Content-Type", "application/json")
                else:
                    data = body.encode() if isinstance(body, str) else body
            conn.request(method, path, body=data, headers=send_headers)
            response = conn.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            conn.close()


def start_server(
    database_url: str,
    data_dir: Path,
    *,
    workers: int = 2,
    threads: int = 8,
    extra_env: dict[str, str] | None = None,
    wait: bool = True,
) -> Server:
    """Start gunicorn on a free port and wait until it answers."""
    port = free_port()
    log = data_dir / f"gunicorn-{port}.log"
    command = [
        PYTHON, "-m", "gunicorn", "scorecard.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread",
        "--timeout", "120",
        "--graceful-timeout", "5",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=base_env(database_url, data_dir, **(extra_env or {})),
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,  # its own process group, so that it can be killed whole
        )
    server = Server(process, port, log)
    if wait:
        wait_until_up(server)
    return server


def wait_until_up(server: Server, timeout: float = 30) -> None:
    """Poll the login page until the server answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{server.log.read_text()[-3000:]}")
        try:
            status, _, _ = server.request("GET", "/login/", timeout=5)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    server.stop()
    raise AssertionError(f"gunicorn did not answer in {timeout} s:\n{server.log.read_text()}")


@dataclass
class Site:
    """A seeded database and a server for it."""

    database: Database
    data_dir: Path
    seeded: dict[str, Any]
    servers: list[Server] = field(default_factory=list)

    def serve(self, **options: Any) -> Server:
        server = start_server(self.database.url, self.data_dir, **options)
        self.servers.append(server)
        return server


@contextmanager
def site(tmp: Path, **seed_options: Any) -> Iterator[Site]:
    """A fresh database, seeded; servers started from it are stopped and it is dropped."""
    database = new_database(tmp)
    try:
        result = Site(database, tmp, seed(database, tmp, **seed_options))
        try:
            yield result
        finally:
            for server in result.servers:
                server.stop()
    finally:
        database.drop()


def session_headers(session: str, **extra: str) -> dict[str, str]:
    """Headers of a signed-in browser: the session and the CSRF cookie and header."""
    return {
        "Cookie": f"sessionid={session}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
        **extra,
    }


def token_headers(token: str) -> dict[str, str]:
    """Headers of a script using a personal API token."""
    return {"Authorization": f"Bearer {token}"}
