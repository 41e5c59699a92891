"""``python -m bench`` (``make bench``): generate the organization, run every benchmark,
print one table of each measurement against its floor. docs/performance.md has the
figures of the reference machine.

    python -m bench [--units 50] [--kpis 200] [--months 60] [--small]
                    [--database URL] [--only engine,web,import]
                    [--web-seconds 20] [--import-rows N] [--profile] [--regenerate]

The database is ``--database`` or DATABASE_URL (e.g. postgres://…/scorecard_bench) or,
by default, a SQLite file in var/bench/ (never the development database).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from . import generate
from .report import Result, line, table

AREAS = ("engine", "web", "import")
#: Rows of the import benchmark at the default size (the issue's million).
IMPORT_ROWS = 1_000_000


def machine() -> str:
    """Cores and processor of this machine, for the table's title."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for row in info:
                if row.startswith("model name"):
                    model = row.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def load() -> str:
    """The machine's one-minute load average (other work slows every figure down)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=(__doc__ or "").splitlines()[0]
    )
    generate.size_arguments(parser)
    parser.add_argument("--database", help="a DATABASE_URL (default: $DATABASE_URL or SQLite)")
    parser.add_argument("--only", default=",".join(AREAS), help="some of engine, web, import")
    parser.add_argument(
        "--web-seconds", type=float, default=None, help="load per web target (20, small 3)"
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=None,
        help=f"{IMPORT_ROWS:,} at the default size, else the organization's row count",
    )
    parser.add_argument("--repeat", type=int, default=3, help="engine runs (the best counts)")
    parser.add_argument("--profile", action="store_true", help="print cProfile of the engine")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the organization")
    args = parser.parse_args(argv)
    args.areas = {a.strip() for a in args.only.split(",") if a.strip()}
    if not args.areas or args.areas - set(AREAS):
        parser.error(f"--only takes some of {', '.join(AREAS)}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    size = generate.size_from(args)
    if args.import_rows is None:
        args.import_rows = IMPORT_ROWS if size == generate.DEFAULT else max(10_000, size.rows)
    if args.web_seconds is None:
        args.web_seconds = 20.0 if size == generate.DEFAULT else 3.0
    if args.database:
        os.environ["DATABASE_URL"] = args.database  # read by the settings and the children
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    generate.migrate()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        version = cursor.fetchone()[0]
    print(f"database: {connection.vendor} {version}; {size} = {size.rows:,} measurement rows")
    org = None
    if args.areas & {"engine", "web"}:  # the import benchmark brings its own scorecard
        start = time.perf_counter()
        org = generate.generate(size, regenerate=args.regenerate, progress=sys.stderr.isatty())
        print(f"organization {org.slug} ready in {time.perf_counter() - start:.0f} s", flush=True)

    load_before = load()
    results: list[Result] = []

    def show(found: list[Result]) -> None:
        for result in found:
            print(line(result), flush=True)
        results.extend(found)

    if "engine" in args.areas:
        from . import engine

        show(engine.run(org, repeat=args.repeat, show_profile=args.profile)[0])
    if "web" in args.areas:
        from . import web

        show(web.run(org, seconds=args.web_seconds))
    if "import" in args.areas:
        from . import imports

        show(imports.run(args.import_rows))
    # The machine may be shared: its load says how much the figures can be trusted.
    what = f"{size} = {size.rows:,} measurement rows; " if org is not None else ""
    title = (
        f"\nScorecard benchmarks: {what}{connection.vendor} {version}; {machine()}; "
        f"load average {load_before} before, {load()} after\n"
    )
    print(table(results, title))


if __name__ == "__main__":
    main()
