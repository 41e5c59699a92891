"""A MySQL/MariaDB source, read through PyMySQL against a real MariaDB server: values
arrive, the session is read-only, a slow query is stopped, errors are plain.

The server is Debian's mariadb-server (installed and started by .ci/run); its address is
``SOURCE_MYSQL`` (default: the user ``scorecard``, password ``scorecard``, on
127.0.0.1:3306, allowed to create databases). Without a server the test is skipped on a
laptop and fails in CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from scorecard.datasources import services
from scorecard.datasources.models import Run
from scorecard.kpis.models import Measurement
from tests.conftest import IN_CI

from .conftest import Kpis
from .test_pull import current, sql_source

pytestmark = pytest.mark.django_db

#: The MariaDB database the test reads (created and dropped by the fixture; one per test
#: process, as the suite runs in parallel).
MYSQL_SOURCE = f"scorecard_sources_src_{os.getpid()}"


@pytest.fixture
def mysql_source_url() -> Iterator[str]:
    """A MariaDB database of its own with a table of values and a sequence."""
    pymysql = pytest.importorskip("pymysql")
    host = os.environ.get("SOURCE_MYSQL", "scorecard:scorecard@127.0.0.1:3306")
    credentials, address = host.rsplit("@", 1)
    user, password = credentials.split(":", 1)
    server, port = address.split(":")
    try:
        admin = pymysql.connect(
            host=server, port=int(port), user=user, password=password, connect_timeout=3,
            autocommit=True,
        )  # fmt: skip
    except pymysql.err.OperationalError as error:
        # .ci/run starts MariaDB: there a missing server is a failure, not a skip.
        if IN_CI:
            pytest.fail(f"no MariaDB/MySQL server at {address} in CI: {error}")
        pytest.skip("no MariaDB/MySQL server for the source tests (SOURCE_MYSQL)")
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {MYSQL_SOURCE}")
        cursor.execute(f"CREATE DATABASE {MYSQL_SOURCE} CHARACTER SET utf8mb4")
        cursor.execute(f"USE {MYSQL_SOURCE}")
        cursor.execute("CREATE TABLE kpi_values (code text, period date, amount decimal(10, 2))")
        cursor.execute(
            "INSERT INTO kpi_values VALUES ('revenue', '2026-09-01', 455.00), "
            "('revenue', '2026-10-01', 498.25), ('nps', '2026-10-01', 47)"
        )
        cursor.execute("CREATE SEQUENCE counter")
    yield f"mysql://{user}:{password}@{server}:{port}/{MYSQL_SOURCE}"
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {MYSQL_SOURCE}")
    admin.close()


def test_a_mariadb_source_is_read_read_only_with_a_timeout(
    world: Any, kpis: Kpis, mysql_source_url: str, settings: Any
) -> None:
    source = sql_source(
        world, mysql_source_url, "SELECT code, period, amount AS value FROM kpi_values"
    )
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert (run.ok, run.new) == (True, 3), run.message
    assert current(kpis.revenue) == {"2026-09-01": 455.0, "2026-10-01": 498.25}
    assert current(kpis.nps) == {"2026-10-01": 47.0}
    # Run again: nothing new, nothing corrected.
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert (run.ok, run.new, run.corrected, run.unchanged) == (True, 0, 0, 3), run.message
    # The session is read-only: even a SELECT that writes (NEXTVAL) is refused by the server.
    source.query = "SELECT 'nps', '2026-11-01', NEXTVAL(counter)"
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert run.message == "The query tried to write; data sources only read. Nothing was changed."
    settings.SCORECARD_DATA_SOURCE_TIMEOUT = 1
    source.query = "SELECT 'nps', '2026-11-01', SLEEP(5)"
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert not run.ok and "took longer than 1 s" in run.message, run.message
    source.query = "SELECT code, period, amount FROM missing_table"
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert not run.ok and "missing_table" in run.message and "doesn't exist" in run.message
    assert Measurement.objects.count() == 3


def test_a_wrong_password_says_the_database_cannot_be_reached_without_the_secret(
    world: Any, kpis: Kpis, mysql_source_url: str
) -> None:
    wrong = mysql_source_url.replace(":scorecard@", ":Wrong-Sec-9@")
    source = sql_source(world, wrong, "SELECT code, period, amount FROM kpi_values")
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert not run.ok
    assert "Wrong-Sec-9" not in run.message
    assert "Access denied" in run.message, run.message
    assert Measurement.objects.count() == 0
