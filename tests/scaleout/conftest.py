"""What the several-servers test needs: PostgreSQL (a role that may create databases),
Debian's redis-server, the ``redis`` client package and gunicorn.

On SQLite the test is skipped (several servers need PostgreSQL); on a PostgreSQL run a
missing piece skips it on a laptop, with the reason, and fails it in CI (CI=true), so
that CI never passes without having run it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest

from tests.conftest import IN_CI
from tests.reliability.conftest import missing as reliability_missing

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def missing() -> str | None:
    """Why the test cannot run here, or None when it can."""
    problem = reliability_missing()
    if problem is not None:
        return problem
    if importlib.util.find_spec("redis") is None:
        return "the redis package is not installed (pip install -r requirements/base.txt)"
    if not os.access(REDIS_SERVER, os.X_OK):
        return f"{REDIS_SERVER} is not there (apt-get install redis-server)"
    return None


@pytest.fixture(autouse=True)
def _several_servers_requirements() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("several servers share one PostgreSQL database (DATABASE_URL=postgres://...)")
    problem = missing()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"the several-servers test cannot run in CI: {problem}")
    pytest.skip(problem)
