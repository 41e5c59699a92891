"""Import benchmark: 1,000,000 measurement rows from a CSV file.

The importer is the product's (``scorecard.imports``, what ``scorecard import`` runs)
through :func:`find_importer`, the one place that knows its interface. Without the
imports app the importer's line says "skipped (imports app not installed)". The second
line sends the same rows to the bulk service alone (``kpis.bulkload.measurement_bulk_load``,
what the importer writes through) in batches of 10,000 inside one transaction.

The floor is SQLite's own CSV import of the same file (the ``sqlite3`` command line's
``.import``, or Python's sqlite3 ``executemany`` when the command is missing) into a
plain table; on PostgreSQL also ``COPY``.

Each import runs in a fresh child process so that its peak memory (``VmHWM``, the
high-water mark of its resident memory; ``ru_maxrss`` would inherit the parent's
across ``exec``) is its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .report import Result

#: The issue's targets for the import (every check on, 1,000,000 rows).
TARGET_ROWS_PER_SECOND = 60_000
TARGET_PEAK_MB = 150

ROWS = 1_000_000
ORG = "bench-import"
#: 1,000 daily KPIs × 1,000 days: the shape of an operations scorecard fed by a script.
KPIS = 1000
BATCH = 10_000

Importer = Callable[[Path, Any, Any, Any], int]


def importer_installed() -> bool:
    """Whether the imports app is part of this tree and of INSTALLED_APPS."""
    from django.apps import apps

    return apps.is_installed("scorecard.imports")


def find_importer() -> Importer | None:
    """``(path, organization, scorecard, user) -> rows`` with the product's CSV importer,
    or None when scorecard.imports is not installed."""
    if not importer_installed():
        return None
    try:
        from scorecard.imports import services as imports
    except ImportError:
        return None

    def run(path: Path, organization: Any, scorecard: Any, user: Any = None) -> int:
        with path.open(newline="") as handle:
            headers = next(csv.reader(handle))
        mapping = imports.mapping_from_names(headers, {})
        checker = imports.RowChecker(scorecard=scorecard, mapping=mapping, user=user, role="admin")
        result = imports.import_table(path=path, fmt="csv", checker=checker, user=user)
        return int(result.rows)

    return run


def fallback_import(path: Path, organization: Any, scorecard: Any, user: Any = None) -> int:
    """Read the CSV and record it with the set-based bulk service (``measurement_bulk_load``,
    what the importer writes through) in batches of BATCH rows, in one transaction."""
    from scorecard.kpis.bulkload import measurement_bulk_load
    from scorecard.kpis.models import Kpi

    kpis = {k.code: k for k in Kpi.objects.filter(scorecard=scorecard)}
    ids = {code: kpi.pk for code, kpi in kpis.items()}
    count = 0

    def batches() -> Any:
        nonlocal count
        with path.open(newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            batch: list[tuple[int, int, dt.date, float, str]] = []
            for code, period, value in reader:
                count += 1
                batch.append((count, ids[code], dt.date.fromisoformat(period), float(value), ""))
                if len(batch) == BATCH:
                    yield batch
                    batch = []
            if batch:
                yield batch

    measurement_bulk_load(batches=batches(), kpis={k.pk: k for k in kpis.values()}, user=user)
    return count


def write_csv(path: Path, rows: int) -> None:
    """kpi,period,value rows: every KPI for day 1, then every KPI for day 2, ..."""
    start = dt.date(2023, 1, 1)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["kpi", "period", "value"])
        for n in range(rows):
            day, kpi = divmod(n, KPIS)
            out.writerow([f"d{kpi:04d}", (start + dt.timedelta(days=day)).isoformat(),
                          f"{(n * 7919) % 10007 / 10.0:.1f}"])  # fmt: skip


def prepare(rows: int) -> tuple[Any, Any]:
    """A fresh organization with one scorecard of daily KPIs to import into, and the
    bench user who imports (created here, in the parent: hashing a new user's password
    with Argon2 takes about 100 MB of memory, which a child creating it on a fresh
    database reported as the import's peak)."""
    from scorecard.kpis.models import Kpi
    from scorecard.organizations.models import Organization, Unit
    from scorecard.strategy.models import Objective, Perspective, Scorecard

    from .generate import bench_user, delete

    bench_user()
    delete(ORG)
    vacuum()
    org = Organization.objects.create(name="Bench import", slug=ORG)
    unit = Unit.objects.create(organization=org, name="Operations", slug="ops")
    sc = Scorecard.objects.create(organization=org, unit=unit, name="Operations", slug="ops")
    perspective = Perspective.objects.create(scorecard=sc, name="Internal processes")
    objective = Objective.objects.create(
        scorecard=sc, perspective=perspective, code="run", name="Run well"
    )
    Kpi.objects.bulk_create(
        Kpi(
            scorecard=sc,
            objective=objective,
            code=f"d{n:04d}",
            name=f"Daily {n}",
            update_interval="day",
            baseline=0.0,
            target=1000.0,
            position=n,
        )
        for n in range(min(KPIS, rows))
    )
    return org, sc


def vacuum() -> None:
    """PostgreSQL: clear the dead rows the previous run's deletion left (a million values
    and their history) before the next import, untimed. Autovacuum would come by some
    minutes later; until then every insertion into the indexes — most of all those where
    every row has the same key, such as the person who imported — stepped over the dead
    entries, and the same import measured 37 s instead of 29 s right after a deletion."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from scorecard.audit.models import Change
    from scorecard.kpis.models import Measurement

    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Measurement, Change))
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")


def peak_kb() -> int:
    """This process's peak resident memory in KiB since it started."""
    try:
        with open("/proc/self/status") as status:
            for row in status:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(path: Path, rows: int, mode: str) -> None:
    """In the child process: import the file (``mode`` "import" with the product's
    importer, "service" with the bulk service), print seconds, rows and memory as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from scorecard.strategy.models import Scorecard

    # The product's limit counts the header line too: let a file of ``rows`` rows in.
    settings.SCORECARD_IMPORT_MAX_ROWS = max(settings.SCORECARD_IMPORT_MAX_ROWS, rows + 1)

    from .generate import bench_user

    # Prepared by the parent, so that this process's peak memory is the import's.
    sc = Scorecard.objects.select_related("organization").get(organization__slug=ORG)
    org = sc.organization
    user = bench_user()
    importer = find_importer() if mode == "import" else fallback_import
    if importer is None:
        raise SystemExit("the imports app is not installed")
    before = peak_kb()
    start = time.perf_counter()
    done = importer(path, org, sc, user)
    seconds = time.perf_counter() - start
    peak = peak_kb()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM kpis_measurement m JOIN kpis_kpi k ON k.id = m.kpi_id "
            "WHERE k.scorecard_id = %s",
            [sc.pk],
        )
        stored = cursor.fetchone()[0]
    print(json.dumps({"seconds": seconds, "rows": done, "stored": stored,
                      "rss_before_kb": before, "rss_peak_kb": peak}))  # fmt: skip


def sqlite_floor(path: Path) -> tuple[float, str]:
    """Seconds for SQLite itself to load the same CSV into a plain table."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "floor.sqlite3"
        cli = shutil.which("sqlite3")
        if cli:
            start = time.perf_counter()
            subprocess.run(
                [cli, str(db)],
                input=f".mode csv\n.import {path} measurement\n",
                text=True,
                check=True,
            )
            return time.perf_counter() - start, "sqlite3 .import"
        start = time.perf_counter()
        with sqlite3.connect(db) as conn, path.open(newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            conn.execute("CREATE TABLE measurement (kpi TEXT, period TEXT, value REAL)")
            conn.executemany("INSERT INTO measurement VALUES (?, ?, ?)", reader)
        return time.perf_counter() - start, "sqlite3 executemany"


def postgres_floor(path: Path) -> float:
    """Seconds for PostgreSQL's COPY of the same CSV into a plain temporary table."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_copy (kpi text, period date, value double precision)"
        )
        with (
            path.open("rb") as handle,
            cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        cursor.execute("DROP TABLE bench_copy")
    return time.perf_counter() - start


def measure(path: Path, rows: int, mode: str) -> dict[str, Any]:
    """Import ``path`` in a child process into a fresh scorecard; what it measured."""
    prepare(rows)
    out = subprocess.run(
        [sys.executable, "-m", "bench.imports", str(path), str(rows), mode],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"the import ({mode}) failed:\n{out.stderr[-3000:]}")
    got: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if got["stored"] != rows:
        raise RuntimeError(f"{rows} rows imported but {got['stored']} stored")
    return got


def run(rows: int = ROWS) -> list[Result]:
    """Write the CSV, import it in a child process, and measure the floors."""
    from django.db import connection

    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "measurements.csv"
        write_csv(path, rows)
        size = path.stat().st_size / 1e6
        floor, how = sqlite_floor(path)
        copy = postgres_floor(path) if connection.vendor == "postgresql" else None
        what = f"{rows:,} rows from CSV ({size:.0f} MB)"
        modes = [("import", f"{what}: scorecard import")]
        if not importer_installed():
            results.append(
                Result("import", modes[0][1], None, detail="skipped (imports app not installed)")
            )
            modes = []
        modes.append(("service", f"{what}: bulk write service alone"))
        for mode, label in modes:
            got = measure(path, rows, mode)
            detail = (
                f"{rows / got['seconds']:,.0f} rows/s; peak memory "
                f"{got['rss_peak_kb'] / 1024:,.0f} MB "
                f"(+{(got['rss_peak_kb'] - got['rss_before_kb']) / 1024:,.0f} MB while importing)"
            )
            if copy is not None:
                detail += f"; PostgreSQL COPY {copy:.1f} s (×{got['seconds'] / copy:,.0f})"
            found = Result.against("import", label, got["seconds"], how, floor, detail)
            rate = rows / got["seconds"]
            peak_mb = got["rss_peak_kb"] / 1024
            results.append(
                replace(
                    found,
                    target=f"≥ {TARGET_ROWS_PER_SECOND:,} rows/s, ≤ {TARGET_PEAK_MB} MB",
                    met=rate >= TARGET_ROWS_PER_SECOND and peak_mb <= TARGET_PEAK_MB,
                )
            )
    return results


if __name__ == "__main__":
    child(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "import")
