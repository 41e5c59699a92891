"""Web benchmark: real HTTP against gunicorn (2 workers) on the loopback interface.

Twenty client threads (``http.client``, a new connection per request, as browsers
behind a proxy mostly do) ask for the same URL for a fixed time. Measured: median and
95th percentile latency and requests per second for

- the scorecard page of a 200-KPI scorecard (signed in with a session),
- the scores API of the same scorecard (personal API token),
- ``/bench/ping``, a view that does nothing (mounted only by bench.settings): the
  ceiling of this server on this machine.

gunicorn runs 2 workers of 4 threads each, as the production configuration does.

The time is the median latency under load (each target is also asked by one client
alone first, for the latency of a single request); the ratio is the ceiling's requests
per second over the page's (how many times fewer requests the page can serve than an
empty view).
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .generate import AS_OF
from .report import Result, human

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 20
WORKERS = 2
#: Threads per worker, as in production (scorecard/gunicorn_conf.py, GUNICORN_THREADS):
#: with sync workers (one request at a time) the page served 2-3 times fewer requests
#: per second on the shared 2-core machine (docs/performance.md, issue 16).
THREADS = 4
#: The issue's targets for the scorecard page and the scores API (20 clients, 2 workers).
TARGET_P95 = 0.250
TARGET_RATE = 60.0


@dataclass
class Load:
    """Latencies of the successful requests, the failures, and the wall time."""

    latencies: list[float]
    failures: int
    seconds: float

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def alone(port: int, path: str, headers: dict[str, str], seconds: float) -> float:
    """Median latency of one client asking again and again (at least five times)."""
    took: list[float] = []
    deadline = time.monotonic() + seconds
    while len(took) < 5 or time.monotonic() < deadline:
        start = time.perf_counter()
        status, _ = _get(port, path, headers)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        took.append(time.perf_counter() - start)
    return statistics.median(took)


def hammer(
    port: int, path: str, headers: dict[str, str], seconds: float, clients: int = CLIENTS
) -> Load:
    """``clients`` threads asking for ``path`` until ``seconds`` have passed."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                status, _ = _get(port, path, headers)
            except OSError:
                status = 0
            took = time.perf_counter() - start
            with lock:
                if status == 200:
                    latencies.append(took)
                else:
                    failures[0] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(latencies, failures[0], time.perf_counter() - start)


def credentials(org: Any) -> tuple[str, str]:
    """A session cookie and an API token of the bench user."""
    from django.test import Client

    from scorecard.api.services import api_token_create

    from .generate import bench_user

    user = bench_user()
    _, token = api_token_create(user=user, organization=org, name="benchmark")
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value, token


def start_server(port: int) -> subprocess.Popen[bytes]:
    """gunicorn with the bench settings (the product plus /bench/ping)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        DEBUG="0",
        SECURE_COOKIES="0",
    )
    command = [sys.executable, "-m", "gunicorn", "bench.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--backlog", "256"]
    command += ["--threads", str(THREADS)]
    command += ["--timeout", "300", "--log-level", "warning"]
    process = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _get(port, "/bench/ping", {})[0] == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def run(org: Any, *, seconds: float = 20) -> list[Result]:
    """The three measurements against one gunicorn server."""
    from scorecard.strategy.models import Scorecard

    scorecard = Scorecard.objects.filter(organization=org).order_by("slug").first()
    assert scorecard is not None
    kpis = scorecard.kpis.count()
    session, token = credentials(org)
    port = _free_port()
    server = start_server(port)
    as_of = f"as_of={AS_OF.isoformat()}"
    targets = [
        ("ceiling: minimal Django view", "/bench/ping", {}),
        (
            f"scorecard page ({kpis} KPIs)",
            f"/o/{org.slug}/s/{scorecard.slug}/?{as_of}",
            {"Cookie": f"sessionid={session}"},
        ),
        (
            f"scores API ({kpis} KPIs)",
            f"/api/v1/scorecards/{scorecard.pk}/scores?{as_of}",
            {"Authorization": f"Bearer {token}"},
        ),
    ]
    results: list[Result] = []
    ceiling: Load | None = None
    try:
        for what, path, headers in targets:
            status, body = _get(port, path, headers)  # warm up, and check it works
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
            single = alone(port, path, headers, min(5.0, seconds / 4))
            load = hammer(port, path, headers, seconds)
            if not load.latencies:
                raise RuntimeError(f"{path}: no request succeeded ({load.failures} failed)")
            detail = (
                f"{load.rate:,.1f} req/s; p95 {load.percentile(0.95) * 1000:,.0f} ms; "
                f"{len(load.latencies):,} requests, {load.failures} failed; "
                f"one client alone: {human(single)}"
            )
            median = statistics.median(load.latencies)
            if ceiling is None:
                ceiling = load
                results.append(Result("web", f"{what}, {CLIENTS} clients", median, detail=detail))
                continue
            p95 = load.percentile(0.95)
            results.append(
                Result(
                    "web",
                    f"{what}, {CLIENTS} clients",
                    median,
                    f"ceiling {ceiling.rate:,.0f} req/s",
                    None,
                    ceiling.rate / load.rate,  # how many times fewer requests per second
                    detail,
                    target=f"p95 ≤ {TARGET_P95 * 1000:.0f} ms, ≥ {TARGET_RATE:.0f} req/s",
                    met=p95 <= TARGET_P95 and load.rate >= TARGET_RATE and not load.failures,
                )
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results
