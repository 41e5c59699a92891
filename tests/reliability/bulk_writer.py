"""A large all-or-nothing write in its own process, for the kill tests (test_faults.py).

Usage: bulk_writer.py ROWS PAUSE [service|import CSV]. It records ROWS values of the
seeded organization in one call. After each INSERT into the measurement table (or round
of values copied straight into it) it prints ``inserted`` and pauses PAUSE seconds
(still inside the transaction), so the test can SIGKILL it at a moment when rows have
been written but not committed. It prints
``done`` when the call returned.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any


def months(count: int) -> list[dt.date]:
    return [dt.date(2000 + n // 12, n % 12 + 1, 1) for n in range(count)]


def main() -> None:
    rows, pause = int(sys.argv[1]), float(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else "service"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.reliability.live_settings")
    import django

    django.setup()
    from django.db import connection

    from scorecard.kpis.models import Kpi
    from scorecard.kpis.services import MeasurementRow, measurement_bulk_record

    def announce(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        # On PostgreSQL the bulk load writes the values and their history entries in one
        # statement (WITH new AS (INSERT INTO "kpis_measurement" …) INSERT INTO …).
        if 'INSERT INTO "kpis_measurement"' in sql:
            print("inserted", flush=True)
            time.sleep(pause)
        return result

    # On PostgreSQL a round of new values is copied straight in (COPY), past Django's
    # execute wrappers: announce it too. (SQLite moves such a round from the stage with
    # an INSERT … SELECT, which the wrapper sees.)
    from scorecard.kpis import bulkload

    straight = bulkload._direct_round

    def announced_round(*args: Any, **kwargs: Any) -> Any:
        groups = straight(*args, **kwargs)
        if groups is not None:
            print("inserted", flush=True)
            time.sleep(pause)
        return groups

    bulkload._direct_round = announced_round  # type: ignore[assignment]
    kpis = list(Kpi.objects.order_by("id"))
    periods = months(-(-rows // len(kpis)))
    with connection.execute_wrapper(announce):
        if mode == "import":
            from bench.imports import find_importer

            importer = find_importer()
            assert importer is not None
            importer(Path(sys.argv[4]), kpis[0].scorecard.organization, kpis[0].scorecard)
        else:
            batch = [
                MeasurementRow(index=i, kpi=kpi, period_start=period, value=float(i))
                for i, (period, kpi) in enumerate(
                    (period, kpi) for period in periods for kpi in kpis
                )
            ][:rows]
            measurement_bulk_record(rows=batch)
    print("done", flush=True)


if __name__ == "__main__":
    main()
