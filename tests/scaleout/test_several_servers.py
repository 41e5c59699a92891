"""Several servers, one PostgreSQL, one Redis: the layout of docs/deploy.md, for real.

Two gunicorn application servers (A and B) and two ``scorecard worker`` processes share
one PostgreSQL database, one Redis (the score cache, Django's RedisCache) and one storage
folder. A file uploaded through A is previewed and imported through B; a value written
on A is seen on B at once; each webhook delivery reaches its receiver once and each
reminder e-mail is sent once, although both workers are running.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import redis

from tests.reliability import live

from .conftest import REDIS_SERVER

HERE = Path(__file__).resolve().parent
AS_OF = "2026-03-31"


class Receiver:
    """A webhook receiver that notes the delivery id of every call."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                owner.calls.append(self.headers["X-Scorecard-Delivery"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def redis_server(tmp: Path) -> Iterator[str]:
    """Debian's redis-server on a private port, nothing saved to disk; yields its URL."""
    port = live.free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        client = redis.Redis(port=port)
        wait_for(lambda: _pings(client), 20, "redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def wait_for(condition: Callable[[], Any], seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(message)


def run(env: dict[str, str], script: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [live.PYTHON, str(HERE / script), *args],
        env=env, capture_output=True, text=True, timeout=120, cwd=live.ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [live.PYTHON, "-m", "scorecard.cli", "worker", "--interval", "0.2"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=live.ROOT,
        )  # fmt: skip


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def multipart(field: str, name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def record(server: live.Server, token: str, value: dict[str, Any]) -> int:
    """Record a value through the API of ``server``; its status."""
    status, _, _ = server.request(
        "POST", "/api/v1/measurements", value, headers=live.token_headers(token)
    )
    return status


def kpi_value(server: live.Server, seeded: dict[str, Any], token: str, code: str) -> Any:
    status, body, _ = server.request(
        "GET",
        f"/api/v1/scorecards/{seeded['scorecard_id']}/scores?as_of={AS_OF}",
        headers=live.token_headers(token),
    )
    assert status == 200, body[:500]
    (kpi,) = [k for k in json.loads(body)["kpis"] if k["code"] == code]
    return kpi["value"]


def test_two_servers_and_two_workers_share_one_database_cache_and_storage(
    tmp_path: Path,
) -> None:
    with ExitStack() as stack:
        receiver = Receiver()
        stack.callback(receiver.close)
        cache_url = stack.enter_context(redis_server(tmp_path))
        site = stack.enter_context(live.site(tmp_path, users=2, kpis=6))
        seeded = site.seeded
        mail = tmp_path / "mail"
        mail.mkdir()
        shared = {
            "DJANGO_SETTINGS_MODULE": "tests.scaleout.server_settings",
            "SCORECARD_CACHE_URL": cache_url,
            "SCORECARD_TASKS_BACKEND": "database",
            "SCORECARD_SWEEP_SECONDS": "1",
            "SCORECARD_REMINDERS_EVERY_DAYS": "7",
            "SCORECARD_WEBHOOK_ALLOW_HOSTS": "127.0.0.0/8",
            "SCALEOUT_MAIL_DIR": str(mail),
        }
        env = live.base_env(site.database.url, site.data_dir, **shared)
        emails = run(env, "setup_site.py", json.dumps({"hook": receiver.url}))["emails"]

        # Both servers and both workers start at once (they only meet in the database).
        a = site.serve(workers=1, threads=4, extra_env=shared, wait=False)
        b = site.serve(workers=1, threads=4, extra_env=shared, wait=False)
        workers = [worker(env, tmp_path / f"worker{n}.log") for n in (1, 2)]
        for process in workers:
            stack.callback(stop, process)
        live.wait_until_up(a, timeout=90)
        live.wait_until_up(b, timeout=90)

        user = seeded["users"][0]
        token = user["token"]
        page = live.session_headers(user["session"])
        kpis = {k["code"]: k["id"] for k in seeded["kpis"]}
        base = f"/o/{seeded['organization']}/s/{seeded['scorecard']}/values/import/"

        # A file uploaded through A ...
        body, kind = multipart("file", "values.csv", b"KPI,Period,Value\nk03,2026-01-01,5\n"
                               b"k03,2026-02-01,6\nk04,2026-03-01,7\n")  # fmt: skip
        status, text, headers = a.request(
            "POST", base, body, headers={**page, "Content-Type": kind}
        )
        assert status == 302, text[:2000]
        columns = headers["Location"]
        job = columns.rstrip("/").split("/")[-2]
        # ... is shown, checked, previewed and imported through B.
        status, text, _ = b.request("GET", columns, headers=page)
        assert status == 200 and b"k03" in text
        status, _, headers = b.request(
            "POST", columns, "kpi=0&period=1&value=2",
            headers={**page, "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert status == 302 and headers["Location"] == f"{base}{job}/"
        status, text, _ = b.request("GET", f"{base}{job}/", headers=page)
        assert status == 200 and b"Import 3 rows" in text
        status, _, _ = b.request("POST", f"{base}{job}/run/", headers=page)
        assert status == 302
        assert site.database.query(
            "SELECT k.code, m.value FROM kpis_measurement m JOIN kpis_kpi k ON k.id = m.kpi_id "
            "ORDER BY k.code, m.period_start"
        ) == [("k03", 5.0), ("k03", 6.0), ("k04", 7.0)]
        assert not any((site.data_dir / "files" / "imports").iterdir())  # imported: gone

        # A value written on A is seen on B at once, although B has the scores cached.
        assert kpi_value(b, seeded, token, "k02") is None
        write = {"kpi": kpis["k02"], "period_start": "2026-03-01", "value": 41}
        assert record(a, token, write) == 201
        assert kpi_value(b, seeded, token, "k02") == 41
        write["value"] = 42  # a correction, through B this time, read on A
        assert record(b, token, write) == 201
        assert kpi_value(a, seeded, token, "k02") == 42
        assert kpi_value(b, seeded, token, "k02") == 42
        assert redis.Redis.from_url(cache_url).dbsize() > 0  # the scores were cached there

        # More writes on both servers: each makes one webhook delivery.
        for n, server in enumerate([a, b, a, b, a, b]):
            one = {"kpi": kpis["k05"], "period_start": f"2025-{n + 1:02d}-01", "value": n}
            assert record(server, token, one) == 201

        def deliveries() -> list[tuple[Any, ...]]:
            return site.database.query("SELECT id, state FROM webhooks_delivery ORDER BY id")

        def all_delivered() -> bool:
            rows = deliveries()
            return bool(rows) and all(state == "delivered" for _, state in rows)

        wait_for(all_delivered, 45, f"deliveries not all made: {deliveries()}")

        def reminders_sent() -> int:
            return sum(f.read_text().count("\nTo: ") for f in mail.iterdir())

        wait_for(lambda: reminders_sent() >= len(emails), 45, "the reminders were not sent")
        time.sleep(3)  # several more sweeps of both workers: nothing goes out again
        for process in workers:
            assert process.poll() is None, "a worker stopped"

        rows = deliveries()
        # 3 imported values, 2 writes of k02, 6 of k05 (an import may send one event per row)
        assert len(rows) >= 8
        assert sorted(receiver.calls) == sorted(str(pk) for pk, _ in rows)  # each once
        sent = "".join(f.read_text() for f in mail.iterdir())
        for address in emails:
            assert sent.count(f"To: {address}") == 1, sent[:3000]
