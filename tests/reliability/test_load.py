"""Twenty people at once, over real HTTP: nobody gets a server error, no accepted value is lost.

A gunicorn server (2 workers × 8 threads) serves a fresh database (SQLite, or PostgreSQL
when DATABASE_URL says so). Twenty users, one thread each, read the scorecard page, a
KPI page and the scores API and record values through the API and the web form (some
of them corrections) for ``SCORECARD_LOAD_SECONDS`` seconds (10 by default; 60 for a
longer run). Afterwards every write that was acknowledged is in the database, the
corrected ones as history, and the latest value of each period is the current one.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import live

DURATION = float(os.environ.get("SCORECARD_LOAD_SECONDS", "10"))
USERS = 20


@dataclass
class Tally:
    """What the users saw: statuses per kind of request, acknowledged writes, failures."""

    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    writes: list[tuple[int, str, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, kind: str, status: int, body: bytes, expected: int) -> bool:
        with self.lock:
            self.statuses[(kind, status)] += 1
            if status != expected:
                self.failures.append(f"{kind}: {status} {body[:300]!r}")
        return status == expected


def month(n: int) -> str:
    """The first day of the n-th month from January 2020."""
    return dt.date(2020 + n // 12, n % 12 + 1, 1).isoformat()


def user_session(server: live.Server, seeded: dict[str, Any], n: int, deadline: float,
                 tally: Tally) -> None:  # fmt: skip
    """One user: a fixed round of reads and writes, again and again until the deadline."""
    user = seeded["users"][n]
    kpi = seeded["kpis"][n]
    org, sc = seeded["organization"], seeded["scorecard"]
    page = live.session_headers(user["session"])
    form = live.session_headers(
        user["session"], **{"Content-Type": "application/x-www-form-urlencoded"}
    )
    token = live.token_headers(user["token"])
    step = 0
    while time.monotonic() < deadline:
        try:
            status, body, _ = server.request("GET", f"/o/{org}/s/{sc}/", headers=page)
            tally.saw("scorecard page", status, body, 200)
            status, body, _ = server.request(
                "GET", f"/api/v1/scorecards/{seeded['scorecard_id']}/scores", headers=token
            )
            tally.saw("scores API", status, body, 200)
            # A new period through the API, a correction of it through the web form.
            period, value = month(step), float(n * 100_000 + step * 10 + 1)
            status, body, _ = server.request(
                "POST",
                "/api/v1/measurements",
                {"kpi": kpi["id"], "period_start": period, "value": value},
                headers=token,
            )
            if tally.saw("API write", status, body, 201):
                with tally.lock:
                    tally.writes.append((kpi["id"], period, value))
            if step % 3 == 0:
                corrected = value + 5
                status, body, _ = server.request(
                    "POST",
                    f"/o/{org}/s/{sc}/kpi/{kpi['code']}/record/",
                    f"period={period}&value={corrected}&note=corrected",
                    headers=form,
                )
                # A plain form post is redirected back to the KPI page once saved.
                if tally.saw("web form write", status, body, 302):
                    with tally.lock:
                        tally.writes.append((kpi["id"], period, corrected))
            status, body, _ = server.request(
                "GET", f"/o/{org}/s/{sc}/kpi/{kpi['code']}/", headers=page
            )
            tally.saw("KPI page", status, body, 200)
        except OSError as exc:  # a refused or reset connection is a failure too
            with tally.lock:
                tally.failures.append(f"connection: {exc!r}")
        step += 1


def test_twenty_users_reading_and_writing_get_no_errors_and_lose_nothing(tmp_path: Path) -> None:
    with live.site(tmp_path, users=USERS, kpis=USERS) as site:
        server = site.serve(workers=2, threads=8)
        tally = Tally()
        deadline = time.monotonic() + DURATION
        threads = [
            threading.Thread(target=user_session, args=(server, site.seeded, n, deadline, tally))
            for n in range(USERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=DURATION + 120)
        assert not any(thread.is_alive() for thread in threads), "a user never finished"

        print(dict(tally.statuses))  # shown with -s: what the run did
        server_errors = {key: n for key, n in tally.statuses.items() if key[1] >= 500}
        assert not server_errors, server_errors
        assert not tally.failures, tally.failures[:5]
        # Everyone got some work done (the run is not vacuous).
        assert len(tally.writes) >= USERS, tally.statuses

        rows = site.database.query(
            "SELECT kpi_id, period_start, value, superseded_at IS NULL FROM kpis_measurement"
        )
        stored = Counter((kpi, str(period), value) for kpi, period, value, _ in rows)
        acknowledged = Counter(tally.writes)
        # Every acknowledged write is a row, and there is no row nobody wrote.
        assert stored == acknowledged
        # The latest acknowledged value of each period is the current one.
        latest: dict[tuple[int, str], float] = {}
        for kpi, period, value in tally.writes:
            latest[(kpi, period)] = value  # a user's writes to a period happen in order
        current = {(kpi, str(period)): value for kpi, period, value, now in rows if now}
        assert current == latest
