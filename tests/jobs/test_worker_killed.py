"""A worker killed in the middle of a delivery loses nothing, and the delivery is
completed once: real `scorecard worker` processes on a SQLite file, one killed with
SIGKILL while the receiver holds its call."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

SETUP = """
from scorecard.organizations.models import Organization
from scorecard.webhooks import services
from scorecard.webhooks.models import Delivery
from scorecard import clock
org = Organization.objects.create(name="Northwind", slug="northwind")
hook = services.webhook_create(organization=org, url="{url}", events=["measurement.recorded"])
now = clock.now()
d = Delivery.objects.create(webhook=hook, event="measurement.recorded", payload={{"n": 1}},
                            created_at=now, next_attempt_at=now)
services.deliver_webhooks_task.enqueue([d.pk])
"""

STATE = """
import json
from scorecard.webhooks.models import Delivery
from django_tasks_db.models import DBTaskResult
d = Delivery.objects.get()
print(json.dumps({"state": d.state, "attempts": d.attempts, "leased": d.lease_until is not None,
                  "tasks": sorted(r.status for r in DBTaskResult.objects.all())}))
"""


class HoldingReceiver:
    """Answers the first call only when released (the worker is killed before); 200 after."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.release = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                owner.calls.append(self.headers["X-Scorecard-Delivery"])
                if len(owner.calls) == 1:
                    owner.release.wait(10)
                try:
                    self.send_response(200)
                    self.end_headers()
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[HoldingReceiver]:
    server = HoldingReceiver()
    yield server
    server.close()


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SCORECARD_DATA_DIR=str(tmp_path),
        SCORECARD_TASKS_BACKEND="database",
        SCORECARD_TASK_LEASE_SECONDS="3",
        SCORECARD_SWEEP_SECONDS="1",
        SCORECARD_REMINDERS_EVERY_DAYS="0",
        WEBHOOKS_DELIVER_AT_ONCE="1",
        # The test receiver listens on loopback, which webhooks refuse unless allowed.
        SCORECARD_WEBHOOK_ALLOW_HOSTS="127.0.0.0/8",
        DJANGO_SETTINGS_MODULE="scorecard.settings",
    )
    env.pop("SCORECARD_TODAY", None)
    return env


def _scorecard(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "scorecard.cli", *args],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout


def _state(env: dict[str, str]) -> dict[str, Any]:
    out = _scorecard(env, "shell", "--no-imports", "-c", STATE)
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "scorecard.cli", "worker", "--interval", "0.2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait(condition: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_worker_killed_mid_delivery_loses_nothing_and_completes_it_once(
    tmp_path: Path, receiver: HoldingReceiver
) -> None:
    env = _env(tmp_path)
    _scorecard(env, "migrate", "--verbosity", "0")
    _scorecard(env, "shell", "-c", SETUP.format(url=receiver.url))

    first = _worker(env)
    try:
        _wait(lambda: len(receiver.calls) == 1, 60)  # the call is in flight ...
        first.send_signal(signal.SIGKILL)  # ... and its worker dies
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    state = _state(env)
    assert (state["state"], state["attempts"], state["leased"]) == ("pending", 0, True)
    assert state["tasks"].count("RUNNING") == 1
    receiver.release.set()

    second = _worker(env)
    try:
        # Its sweep finds the delivery once the dead worker's lease runs out.
        _wait(lambda: len(receiver.calls) == 2, 60)
        _wait(lambda: _state(env)["state"] != "pending", 30)
        time.sleep(2)  # more sweeps: nothing is sent again
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    state = _state(env)
    assert state["state"] == "delivered" and state["attempts"] == 1 and not state["leased"]
    # The same delivery id both times, so a receiver can drop the repeat.
    assert receiver.calls == [receiver.calls[0]] * 2
    # The killed try stays visible as running (the admins' page lists it as stalled).
    assert "RUNNING" in state["tasks"]
