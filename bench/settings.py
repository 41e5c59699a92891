"""Settings for benchmarks: the product's settings plus a minimal page for comparison.

The database is the product's ``DATABASE_URL`` when set; otherwise a SQLite file in
``var/bench/`` so that the benchmark never touches the development database.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("SCORECARD_DATA_DIR", str(ROOT / "var" / "bench"))
# static/ too: whitenoise warns about a missing STATIC_ROOT (files come from the apps).
(Path(os.environ["SCORECARD_DATA_DIR"]) / "static").mkdir(parents=True, exist_ok=True)

from scorecard.settings import *  # noqa: E402,F403

# The product's URLs plus /bench/ping, a view that does (almost) nothing: the ceiling
# that the web benchmark compares the real pages with.
ROOT_URLCONF = "bench.urls"
# Benchmarks are not interested in request logs.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
