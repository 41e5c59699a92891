"""What the reliability tests need: gunicorn, and for a PostgreSQL run a server that
lets the test role create databases. When something is missing the tests are skipped
on a laptop, with the reason, and fail in CI (CI=true), so that CI never passes
without having run them.

``SCORECARD_LOAD_SECONDS`` sizes the load test (10 s by default, what CI runs; 60 s is
the issue's full run).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import IN_CI


@functools.cache
def missing() -> str | None:
    """Why these tests cannot run here, or None when they can."""
    if importlib.util.find_spec("gunicorn") is None:
        return "gunicorn is not installed (pip install -r requirements/base.txt)"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        try:
            import psycopg
        except ImportError:
            return "DATABASE_URL is PostgreSQL but psycopg is not installed"
        admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
        try:
            with psycopg.connect(admin, connect_timeout=5) as conn:
                row = conn.execute(
                    "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
                ).fetchone()
        except psycopg.Error as exc:
            return f"PostgreSQL at {urlsplit(url).hostname} cannot be reached: {exc}"
        if not row or not row[0]:
            return "the PostgreSQL role of DATABASE_URL may not create databases (CREATEDB)"
    return None


@pytest.fixture(autouse=True)
def _reliability_requirements() -> None:
    problem = missing()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"reliability tests cannot run in CI: {problem}")
    pytest.skip(problem)
